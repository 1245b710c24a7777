// SPDX-License-Identifier: GPL-2.0
//
// ASoC test: the "spdif-dit" platform device
//
// Creates the platform device that the real snd-soc-spdif-tx driver binds
// to, so a test can load the device and the codec driver in either order.
// With dir=1 it also creates "spdif-dir", for the real snd-soc-spdif-rx:
// a second codec for a multi-codec link.

#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>

static bool dir;
module_param(dir, bool, 0444);
MODULE_PARM_DESC(dir, "Create the spdif-dir device too (default: no)");

static struct platform_device *soc_test_spdif_pdev;
static struct platform_device *soc_test_spdif_dir_pdev;

static struct platform_device *soc_test_spdif_dev_create(const char *name)
{
	struct platform_device *pdev;

	pdev = platform_device_register_simple(name, PLATFORM_DEVID_NONE,
					       NULL, 0);
	if (IS_ERR(pdev))
		pr_err("ASoC: soc-test-spdif-dev: cannot create %s: %ld\n",
		       name, PTR_ERR(pdev));

	return pdev;
}

static int __init soc_test_spdif_dev_init(void)
{
	soc_test_spdif_pdev = soc_test_spdif_dev_create("spdif-dit");
	if (IS_ERR(soc_test_spdif_pdev))
		return PTR_ERR(soc_test_spdif_pdev);

	if (!dir)
		return 0;

	soc_test_spdif_dir_pdev = soc_test_spdif_dev_create("spdif-dir");
	if (IS_ERR(soc_test_spdif_dir_pdev)) {
		platform_device_unregister(soc_test_spdif_pdev);
		return PTR_ERR(soc_test_spdif_dir_pdev);
	}

	return 0;
}
module_init(soc_test_spdif_dev_init);

static void __exit soc_test_spdif_dev_exit(void)
{
	if (soc_test_spdif_dir_pdev)
		platform_device_unregister(soc_test_spdif_dir_pdev);
	platform_device_unregister(soc_test_spdif_pdev);
}
module_exit(soc_test_spdif_dev_exit);

MODULE_DESCRIPTION("ASoC test: spdif-dit (and spdif-dir) platform devices");
MODULE_LICENSE("GPL");
