// SPDX-License-Identifier: GPL-2.0
//
// Harness self-test: a kernel WARNING, which the runner must report.

#include <linux/bug.h>
#include <linux/module.h>

static int __init harness_warn_init(void)
{
	WARN(1, "harness self-test: deliberate warning\n");
	return 0;
}
module_init(harness_warn_init);

static void __exit harness_warn_exit(void)
{
}
module_exit(harness_warn_exit);

MODULE_DESCRIPTION("Harness self-test: a deliberate WARN");
MODULE_LICENSE("GPL");
