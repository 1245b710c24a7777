// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test: take two mutexes in A-B and then B-A order, a lock
 * inversion lockdep reports although it never deadlocks here.
 */
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(harness_a);
static DEFINE_MUTEX(harness_b);

static int __init harness_abba_init(void)
{
	mutex_lock(&harness_a);
	mutex_lock(&harness_b);
	mutex_unlock(&harness_b);
	mutex_unlock(&harness_a);

	mutex_lock(&harness_b);
	mutex_lock(&harness_a);
	mutex_unlock(&harness_a);
	mutex_unlock(&harness_b);

	return 0;
}
module_init(harness_abba_init);

static void __exit harness_abba_exit(void)
{
}
module_exit(harness_abba_exit);

MODULE_DESCRIPTION("Harness self-test: a lock inversion for lockdep");
MODULE_LICENSE("GPL");
