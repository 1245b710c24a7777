// SPDX-License-Identifier: GPL-2.0
//
// Harness self-test: a leak, which kmemleak and the runner must report.

#include <linux/module.h>
#include <linux/slab.h>

/* Written and forgotten, so the compiler keeps the allocation. */
static unsigned long harness_leak_addr_bits;
module_param(harness_leak_addr_bits, ulong, 0444);
MODULE_PARM_DESC(harness_leak_addr_bits, "Low bits of the leaked address");

static int __init harness_leak_init(void)
{
	void *p = kmalloc(256, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	memset(p, 0x5a, 256);
	/* keep no pointer kmemleak could find: only its low byte */
	harness_leak_addr_bits = (unsigned long)p & 0xff;
	return 0;
}
module_init(harness_leak_init);

static void __exit harness_leak_exit(void)
{
}
module_exit(harness_leak_exit);

MODULE_DESCRIPTION("Harness self-test: a deliberate leak");
MODULE_LICENSE("GPL");
