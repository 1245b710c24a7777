// SPDX-License-Identifier: GPL-2.0
//
// Harness self-test: one deliberate kernel report per value of what=, each
// of a kind the runner's kernel log scan must catch (test/run-vm.sh). The
// module loads (its init returns 0) whatever it provoked, so that only the
// kernel log can fail the boot.
//
//   sleep      a sleep under a spinlock: "BUG: scheduling while atomic"
//   nonstatic  lockdep's "trying to register non-static key"
//   dupsysfs   "sysfs: cannot create duplicate filename"
//   hung       a task blocked 8 s (the scenario sets hung_task_timeout_secs)
//   softlockup a CPU busy 6 s with preemption off (watchdog_thresh 1)
//   rcustall   an RCU reader busy 20 s (rcupdate.rcu_cpu_stall_timeout=3)
//   kasan      an out-of-bounds read (KASAN kernels)
//   asocbind   the ASoC core's error line for a card whose bind failed
//   allowed    a WARN from harness_allowed_warn(), then one from
//              harness_other_warn(): the scenario's log-allow names the
//              first only

#include <linux/bug.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *what = "";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "The report to provoke (see the source)");

static struct platform_device *harness_pdev;
static struct rcu_head harness_rcu;
static bool harness_rcu_queued;

static void harness_rcu_cb(struct rcu_head *head)
{
}

struct harness_locked {
	spinlock_t lock;	/* deliberately never initialised */
};

/*
 * Busy for @ms by the clock, not by mdelay()'s loop count: a guest that
 * found its TSC unstable on a loaded host delays by a loop calibrated at
 * boot, which runs short when the host is less loaded later.
 */
static void harness_busy(unsigned int ms)
{
	ktime_t end = ktime_add_ms(ktime_get(), ms);

	while (ktime_before(ktime_get(), end))
		cpu_relax();
}

static noinline void harness_allowed_warn(void)
{
	WARN(1, "harness self-test: allowed warning\n");
}

static noinline void harness_other_warn(void)
{
	WARN(1, "harness self-test: warning the scenario does not allow\n");
}

static int __init harness_break_init(void)
{
	static DEFINE_SPINLOCK(atomic_lock);
	struct harness_locked *l;
	struct platform_device *dup;
	char *p;
	unsigned long i;

	if (!strcmp(what, "sleep")) {
		spin_lock(&atomic_lock);
		msleep(20);
		spin_unlock(&atomic_lock);
	} else if (!strcmp(what, "nonstatic")) {
		/* lockdep needs a static key: no spin_lock_init() here */
		l = kzalloc(sizeof(*l), GFP_KERNEL);
		if (!l)
			return -ENOMEM;
		spin_lock(&l->lock);
		spin_unlock(&l->lock);
		kfree(l);
	} else if (!strcmp(what, "dupsysfs")) {
		harness_pdev = platform_device_register_simple("harness-dup", 0,
							       NULL, 0);
		if (IS_ERR(harness_pdev))
			return PTR_ERR(harness_pdev);
		dup = platform_device_register_simple("harness-dup", 0, NULL, 0);
		if (!IS_ERR(dup))
			platform_device_unregister(dup);
	} else if (!strcmp(what, "hung")) {
		msleep(8000);
	} else if (!strcmp(what, "softlockup")) {
		preempt_disable();
		harness_busy(6000);
		preempt_enable();
	} else if (!strcmp(what, "rcustall")) {
		rcu_read_lock();
		/* a grace period that waits for this reader */
		call_rcu(&harness_rcu, harness_rcu_cb);
		harness_rcu_queued = true;
		harness_busy(20000);
		rcu_read_unlock();
	} else if (!strcmp(what, "kasan")) {
		p = kmalloc(8, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		/* one past the end, the compiler none the wiser */
		i = strlen(what) + 3;
		pr_info("harness self-test: read %d\n", READ_ONCE(p[i]));
		kfree(p);
	} else if (!strcmp(what, "asocbind")) {
		/* the line the ASoC core logs for a card whose bind failed */
		pr_err("ASoC: card harness-card failed to bind (-EINVAL), retrying when components or drivers come\n");
	} else if (!strcmp(what, "allowed")) {
		harness_allowed_warn();
		harness_other_warn();
	} else {
		pr_err("harness self-test: unknown what=%s\n", what);
		return -EINVAL;
	}

	return 0;
}
module_init(harness_break_init);

static void __exit harness_break_exit(void)
{
	if (!IS_ERR_OR_NULL(harness_pdev))
		platform_device_unregister(harness_pdev);
	if (harness_rcu_queued)
		rcu_barrier();
}
module_exit(harness_break_exit);

MODULE_DESCRIPTION("Harness self-test: deliberate kernel reports");
MODULE_LICENSE("GPL");
