// SPDX-License-Identifier: GPL-2.0
//
// ASoC test: a component no card uses, registered outside any probe
//
// Creates the platform device "soc-test-noise", which no driver binds, and
// registers a component with one DAI on it from module init: the world
// changes for ASoC without any driver binding, so the driver core's own
// deferred-probe retries stay out of it. Unloading unregisters both.

#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <sound/soc.h>

static struct platform_device *soc_test_noise_dev;

static const struct snd_soc_component_driver soc_test_noise_component = {
	.name = "soc-test-noise",
};

static struct snd_soc_dai_driver soc_test_noise_dai = {
	.name = "soc-test-noise-dai",
};

static int __init soc_test_noise_init(void)
{
	int ret;

	soc_test_noise_dev = platform_device_register_simple("soc-test-noise",
							     PLATFORM_DEVID_NONE,
							     NULL, 0);
	if (IS_ERR(soc_test_noise_dev))
		return PTR_ERR(soc_test_noise_dev);

	ret = snd_soc_register_component(&soc_test_noise_dev->dev,
					 &soc_test_noise_component,
					 &soc_test_noise_dai, 1);
	if (ret)
		platform_device_unregister(soc_test_noise_dev);

	return ret;
}
module_init(soc_test_noise_init);

static void __exit soc_test_noise_exit(void)
{
	snd_soc_unregister_component(&soc_test_noise_dev->dev);
	platform_device_unregister(soc_test_noise_dev);
}
module_exit(soc_test_noise_exit);

MODULE_DESCRIPTION("ASoC test: a component no card uses, registered outside any probe");
MODULE_LICENSE("GPL");
