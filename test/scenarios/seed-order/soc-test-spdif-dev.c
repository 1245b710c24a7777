// SPDX-License-Identifier: GPL-2.0
//
// ASoC test: the "spdif-dit" platform device
//
// Creates the platform device that the real snd-soc-spdif-tx driver binds
// to, so a test can load the device and the codec driver in either order.

#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static struct platform_device *soc_test_spdif_pdev;

static int __init soc_test_spdif_dev_init(void)
{
	int ret;

	soc_test_spdif_pdev = platform_device_register_simple("spdif-dit",
							      PLATFORM_DEVID_NONE,
							      NULL, 0);
	if (IS_ERR(soc_test_spdif_pdev)) {
		ret = PTR_ERR(soc_test_spdif_pdev);
		pr_err("ASoC: soc-test-spdif-dev: cannot create spdif-dit: %d\n",
		       ret);
		return ret;
	}

	return 0;
}
module_init(soc_test_spdif_dev_init);

static void __exit soc_test_spdif_dev_exit(void)
{
	platform_device_unregister(soc_test_spdif_pdev);
}
module_exit(soc_test_spdif_dev_exit);

MODULE_DESCRIPTION("ASoC test: spdif-dit platform device");
MODULE_LICENSE("GPL");
