// SPDX-License-Identifier: GPL-2.0
//
// ASoC test codec whose probe a device link defers
//
// Creates the platform devices "soc-test-linked-sup", which no driver ever
// binds, and "soc-test-linked", a consumer of it through a managed device
// link, and a driver for the latter. The driver core defers that driver's
// probe before calling it (the supplier is not bound), and leaves the
// device's link state at "probing": it is not inside any probe, and has no
// driver. A work item then registers the codec component (DAI
// "linked-dai") on that device, outside any probe, as a codec driver does
// that keeps its device and registers late. snd_soc_register_component()
// names a component after its device's driver (fmt_single_name()), so the
// work item sets the driver by hand first, as soc-topology-test does.

#include <linux/device.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/workqueue.h>
#include <sound/soc.h>

#include "soc-test.h"

#define DRV_NAME "soc-test-linked"

static unsigned int delay_ms = 300;
module_param(delay_ms, uint, 0444);
MODULE_PARM_DESC(delay_ms,
		 "Delay from module load to the component's registration in ms (default: 300)");

static int registered;
module_param(registered, int, 0444);
MODULE_PARM_DESC(registered,
		 "1 once the component registered, negative errno if that failed (read-only)");

static unsigned int probe_calls;
module_param(probe_calls, uint, 0444);
MODULE_PARM_DESC(probe_calls, "Driver probe calls, 0 while the link defers it (read-only)");

static const struct snd_soc_component_driver soc_test_linked_component = {
	.name		= DRV_NAME,
};

static struct snd_soc_dai_driver soc_test_linked_dai = {
	.name		= "linked-dai",
	.playback	= SOC_TEST_STREAM("Playback"),
};

static int soc_test_linked_probe(struct platform_device *pdev)
{
	/* never called while soc-test-linked-sup is unbound */
	probe_calls++;

	return -ENODEV;
}

static struct platform_driver soc_test_linked_driver = {
	.driver		= {
		.name	= DRV_NAME,
	},
	.probe		= soc_test_linked_probe,
};

static struct platform_device *soc_test_linked_sup;
static struct platform_device *soc_test_linked_pdev;

static void soc_test_linked_register(struct work_struct *work)
{
	struct device *dev = &soc_test_linked_pdev->dev;
	int ret;

	device_lock(dev);
	dev->driver = &soc_test_linked_driver.driver;
	device_unlock(dev);

	ret = snd_soc_register_component(dev, &soc_test_linked_component,
					 &soc_test_linked_dai, 1);
	if (ret)
		dev_err(dev, "ASoC: registration failed: %d\n", ret);
	WRITE_ONCE(registered, ret ?: 1);
}

static DECLARE_DELAYED_WORK(soc_test_linked_work, soc_test_linked_register);

static int __init soc_test_linked_init(void)
{
	int ret;

	soc_test_linked_sup = platform_device_register_simple(DRV_NAME "-sup",
							      PLATFORM_DEVID_NONE,
							      NULL, 0);
	if (IS_ERR(soc_test_linked_sup))
		return PTR_ERR(soc_test_linked_sup);

	soc_test_linked_pdev = platform_device_register_simple(DRV_NAME,
							       PLATFORM_DEVID_NONE,
							       NULL, 0);
	if (IS_ERR(soc_test_linked_pdev)) {
		ret = PTR_ERR(soc_test_linked_pdev);
		goto unregister_sup;
	}

	/* a managed link: the consumer's probe waits for the supplier's bind */
	if (!device_link_add(&soc_test_linked_pdev->dev,
			     &soc_test_linked_sup->dev, 0)) {
		ret = -EINVAL;
		goto unregister_pdev;
	}

	/* the driver core defers the probe: the supplier is not bound */
	ret = platform_driver_register(&soc_test_linked_driver);
	if (ret)
		goto unregister_pdev;

	schedule_delayed_work(&soc_test_linked_work, msecs_to_jiffies(delay_ms));

	return 0;

unregister_pdev:
	platform_device_unregister(soc_test_linked_pdev);
unregister_sup:
	platform_device_unregister(soc_test_linked_sup);
	return ret;
}
module_init(soc_test_linked_init);

static void __exit soc_test_linked_exit(void)
{
	struct device *dev = &soc_test_linked_pdev->dev;

	cancel_delayed_work_sync(&soc_test_linked_work);
	if (registered > 0)
		snd_soc_unregister_component(dev);

	/*
	 * Take back the driver set by hand, unless a deferred probe found it
	 * set and bound the device meanwhile (the driver core then unbinds it
	 * itself). Test code: the link state is what tells the two apart on
	 * every kernel this builds on.
	 */
	device_lock(dev);
	if (READ_ONCE(dev->links.status) != DL_DEV_DRIVER_BOUND)
		dev->driver = NULL;
	device_unlock(dev);

	platform_device_unregister(soc_test_linked_pdev);
	platform_driver_unregister(&soc_test_linked_driver);
	platform_device_unregister(soc_test_linked_sup);
}
module_exit(soc_test_linked_exit);

MODULE_DESCRIPTION("ASoC test codec on a device whose probe a device link defers");
MODULE_LICENSE("GPL");
