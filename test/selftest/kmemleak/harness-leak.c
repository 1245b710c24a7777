// SPDX-License-Identifier: GPL-2.0
//
// Harness self-test: leaks, which kmemleak and the runner must report.
//
// One leaked object is not enough: a stale copy of its address in a stack
// slot (modprobe's kernel stack, cached for reuse after the task exits, is
// still scanned) or in a register hides it from kmemleak, which happened
// once in CI. Of HARNESS_LEAKS objects, such leftovers can hide at most the
// last one or two.

#include <linux/module.h>
#include <linux/slab.h>

#define HARNESS_LEAKS	8

/* Written and forgotten, so the compiler keeps the allocations. */
static unsigned long harness_leak_addr_bits;
module_param(harness_leak_addr_bits, ulong, 0444);
MODULE_PARM_DESC(harness_leak_addr_bits, "Low bits of the leaked addresses");

static int __init harness_leak_init(void)
{
	void *p;
	int i;

	for (i = 0; i < HARNESS_LEAKS; i++) {
		p = kmalloc(256, GFP_KERNEL);
		if (!p)
			return i ? 0 : -ENOMEM;
		memset(p, 0x5a, 256);
		/* keep no pointer kmemleak could find: only its low byte */
		harness_leak_addr_bits ^= (unsigned long)p & 0xff;
	}
	return 0;
}
module_init(harness_leak_init);

static void __exit harness_leak_exit(void)
{
}
module_exit(harness_leak_exit);

MODULE_DESCRIPTION("Harness self-test: deliberate leaks");
MODULE_LICENSE("GPL");
