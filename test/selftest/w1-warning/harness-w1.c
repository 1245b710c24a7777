// SPDX-License-Identifier: GPL-2.0
//
// Harness self-test: a module that builds, and loads, but with a W=1
// warning (a global function without a prototype): the scenario's build
// must fail.

#include <linux/module.h>

int harness_w1_unprototyped(void)
{
	return 0;
}

static int __init harness_w1_init(void)
{
	return harness_w1_unprototyped();
}
module_init(harness_w1_init);

static void __exit harness_w1_exit(void)
{
}
module_exit(harness_w1_exit);

MODULE_DESCRIPTION("Harness self-test: a W=1 warning");
MODULE_LICENSE("GPL");
