// SPDX-License-Identifier: GPL-2.0
/*
 * soc-test-noise: bind @count unrelated platform devices, one after the
 * other. Each bind makes the driver core retry every deferred device: the
 * benchmark counts how often a waiting machine driver is probed for
 * nothing.
 */
#include <linux/module.h>
#include <linux/platform_device.h>

#define DRV_NAME "soc-test-noise"
#define NOISE_MAX 64

static unsigned int count = 20;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "Devices to bind, at most 64 (default: 20)");

static struct platform_device *noise_pdev[NOISE_MAX];

static int soc_test_noise_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver soc_test_noise_driver = {
	.driver = {
		.name = DRV_NAME,
	},
	.probe = soc_test_noise_probe,
};

static void soc_test_noise_unregister(void)
{
	int i;

	for (i = NOISE_MAX - 1; i >= 0; i--) {
		platform_device_unregister(noise_pdev[i]);
		noise_pdev[i] = NULL;
	}
}

static int __init soc_test_noise_init(void)
{
	unsigned int i;
	int ret;

	ret = platform_driver_register(&soc_test_noise_driver);
	if (ret)
		return ret;

	for (i = 0; i < min(count, NOISE_MAX); i++) {
		noise_pdev[i] = platform_device_register_simple(DRV_NAME, i,
								NULL, 0);
		if (IS_ERR(noise_pdev[i])) {
			ret = PTR_ERR(noise_pdev[i]);
			noise_pdev[i] = NULL;
			goto unregister_devices;
		}
	}

	return 0;

unregister_devices:
	soc_test_noise_unregister();
	platform_driver_unregister(&soc_test_noise_driver);
	return ret;
}
module_init(soc_test_noise_init);

static void __exit soc_test_noise_exit(void)
{
	soc_test_noise_unregister();
	platform_driver_unregister(&soc_test_noise_driver);
}
module_exit(soc_test_noise_exit);

MODULE_DESCRIPTION("ASoC test: unrelated device binds for the benchmark");
MODULE_LICENSE("GPL");
