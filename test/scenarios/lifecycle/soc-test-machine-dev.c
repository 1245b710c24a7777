// SPDX-License-Identifier: GPL-2.0
//
// ASoC test: the "soc-test-machine" platform device alone
//
// For soc-test-machine own_device=0: the card's device stays registered
// while its driver's module comes and goes, as a device tree node's does.

#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static struct platform_device *soc_test_machine_dev;

static int __init soc_test_machine_dev_init(void)
{
	soc_test_machine_dev = platform_device_register_simple("soc-test-machine",
							       PLATFORM_DEVID_NONE,
							       NULL, 0);
	if (IS_ERR(soc_test_machine_dev)) {
		pr_err("ASoC: soc-test-machine-dev: cannot create the device: %ld\n",
		       PTR_ERR(soc_test_machine_dev));
		return PTR_ERR(soc_test_machine_dev);
	}

	return 0;
}
module_init(soc_test_machine_dev_init);

static void __exit soc_test_machine_dev_exit(void)
{
	platform_device_unregister(soc_test_machine_dev);
}
module_exit(soc_test_machine_dev_exit);

MODULE_DESCRIPTION("ASoC test: soc-test-machine platform device");
MODULE_LICENSE("GPL");
