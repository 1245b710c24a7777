// SPDX-License-Identifier: GPL-2.0
//
// ASoC test codec that registers its component late
//
// Creates the platform device "soc-test-late-codec" and a driver for it
// whose probe returns at once and queues a delayed work item; the work item,
// running after every probe has finished, registers the component (named
// after the device) with the codec DAI "late-codec-dai". This is what a
// codec waiting for its firmware does, and the driver core's deferred-probe
// trigger does not cover it.
//
// With hold=1 the work item is not queued by the probe but when the test
// writes to the release parameter: the test picks the moment the component
// registers, still from the work item, outside any probe. With
// register_on_suspend=1 the device's system suspend callback queues it
// instead: the component registers delay_ms into a system sleep (a sleep
// with pm_test=devices keeps every device suspended for 5 s).

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <sound/soc.h>

#include "soc-test.h"

#define DRV_NAME "soc-test-late-codec"

static unsigned int delay_ms = 200;
module_param(delay_ms, uint, 0444);
MODULE_PARM_DESC(delay_ms,
		 "Delay between probe and component registration in ms (default: 200)");

static bool hold;
module_param(hold, bool, 0444);
MODULE_PARM_DESC(hold,
		 "Register only when the release parameter is written (default: no)");

static bool register_on_suspend;
module_param(register_on_suspend, bool, 0444);
MODULE_PARM_DESC(register_on_suspend,
		 "Register delay_ms after the device's system suspend, not after its probe (default: no)");

static int suspended_at_register = -1;
module_param(suspended_at_register, int, 0444);
MODULE_PARM_DESC(suspended_at_register,
		 "At the last registration: 1 if the codec's device was suspended, 0 if not, -1 before any (read-only)");

struct soc_test_late_codec {
	struct device *dev;
	struct delayed_work register_work;
	/* Written by register_work, read once it is cancelled or done. */
	bool registered;
};

static const struct snd_soc_component_driver soc_test_late_codec_component = {
	.name		= DRV_NAME,
};

static struct snd_soc_dai_driver soc_test_late_codec_dai = {
	.name		= "late-codec-dai",
	.playback	= SOC_TEST_STREAM("Playback"),
};

/* The bound device's state; set and cleared under kernel_param_lock() */
static struct soc_test_late_codec *soc_test_late_codec_priv;

static int soc_test_late_codec_release(const char *val,
				       const struct kernel_param *kp)
{
	/* the caller holds kernel_param_lock() */
	if (!soc_test_late_codec_priv)
		return -ENODEV;

	mod_delayed_work(system_wq, &soc_test_late_codec_priv->register_work, 0);

	return 0;
}

static const struct kernel_param_ops soc_test_late_codec_release_ops = {
	.set	= soc_test_late_codec_release,
};
module_param_cb(release, &soc_test_late_codec_release_ops, NULL, 0200);
MODULE_PARM_DESC(release, "Write anything: with hold=1, register the component now");

static void soc_test_late_codec_register(struct work_struct *work)
{
	struct soc_test_late_codec *priv =
		container_of(to_delayed_work(work), struct soc_test_late_codec,
			     register_work);
	int ret;

#ifdef CONFIG_PM_SLEEP
	suspended_at_register = priv->dev->power.is_suspended;
#else
	suspended_at_register = 0;
#endif
	/* The device is bound: its probe returned 0 before this was queued. */
	ret = snd_soc_register_component(priv->dev,
					 &soc_test_late_codec_component,
					 &soc_test_late_codec_dai, 1);
	if (ret) {
		dev_err(priv->dev, "ASoC: late registration failed: %d\n", ret);
		return;
	}

	priv->registered = true;
}

static int soc_test_late_codec_probe(struct platform_device *pdev)
{
	struct soc_test_late_codec *priv;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	priv->dev = &pdev->dev;
	INIT_DELAYED_WORK(&priv->register_work, soc_test_late_codec_register);
	platform_set_drvdata(pdev, priv);

	kernel_param_lock(THIS_MODULE);
	soc_test_late_codec_priv = priv;
	kernel_param_unlock(THIS_MODULE);

	if (!hold && !register_on_suspend)
		schedule_delayed_work(&priv->register_work,
				      msecs_to_jiffies(delay_ms));

	return 0;
}

static int soc_test_late_codec_suspend(struct device *dev)
{
	struct soc_test_late_codec *priv = dev_get_drvdata(dev);

	/* system_wq is not frozen: the work runs while devices sleep. */
	if (register_on_suspend && !priv->registered)
		schedule_delayed_work(&priv->register_work,
				      msecs_to_jiffies(delay_ms));

	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(soc_test_late_codec_pm_ops,
				soc_test_late_codec_suspend, NULL);

static void soc_test_late_codec_teardown(struct platform_device *pdev)
{
	struct soc_test_late_codec *priv = platform_get_drvdata(pdev);

	kernel_param_lock(THIS_MODULE);
	soc_test_late_codec_priv = NULL;
	kernel_param_unlock(THIS_MODULE);

	/* After this the work has either run to completion or never will. */
	cancel_delayed_work_sync(&priv->register_work);

	if (priv->registered)
		snd_soc_unregister_component(&pdev->dev);
}

/* .remove returns void from 6.11 on, int before (see Kbuild) */
#ifdef SOC_TEST_REMOVE_VOID
#define soc_test_late_codec_remove soc_test_late_codec_teardown
#else
static int soc_test_late_codec_remove(struct platform_device *pdev)
{
	soc_test_late_codec_teardown(pdev);
	return 0;
}
#endif

static struct platform_driver soc_test_late_codec_driver = {
	.driver		= {
		.name	= DRV_NAME,
		.pm	= pm_sleep_ptr(&soc_test_late_codec_pm_ops),
	},
	.probe		= soc_test_late_codec_probe,
	.remove		= soc_test_late_codec_remove,
};

static struct platform_device *soc_test_late_codec_pdev;

static int __init soc_test_late_codec_init(void)
{
	soc_test_late_codec_pdev = soc_test_register(&soc_test_late_codec_driver);

	return PTR_ERR_OR_ZERO(soc_test_late_codec_pdev);
}
module_init(soc_test_late_codec_init);

static void __exit soc_test_late_codec_exit(void)
{
	soc_test_unregister(&soc_test_late_codec_driver, soc_test_late_codec_pdev);
}
module_exit(soc_test_late_codec_exit);

MODULE_DESCRIPTION("ASoC test codec registering its component from a work item");
MODULE_LICENSE("GPL");
