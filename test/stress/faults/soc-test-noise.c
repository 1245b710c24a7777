// SPDX-License-Identifier: GPL-2.0
//
// ASoC test: a component registered outside any probe, when the test says
//
// Creates the platform device "soc-test-noise" and binds a driver to it at
// load (a component needs a bound device for its name). Writing 1 to the
// parameter "registered" registers a component with one DAI on that
// device, from the writing process: outside any probe, long after the
// bind, so that the driver core has nothing to retry when the world
// changes for ASoC. Writing 0 unregisters it; so does unloading.

#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <sound/soc.h>

#define DRV_NAME "soc-test-noise"

static struct platform_device *soc_test_noise_dev;
static DEFINE_MUTEX(soc_test_noise_lock);
static bool soc_test_noise_registered;

static const struct snd_soc_component_driver soc_test_noise_component = {
	.name = DRV_NAME,
};

static struct snd_soc_dai_driver soc_test_noise_dai = {
	.name = "soc-test-noise-dai",
};

static int soc_test_noise_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;

	mutex_lock(&soc_test_noise_lock);
	if (!soc_test_noise_dev || !soc_test_noise_dev->dev.driver) {
		ret = -ENODEV;
	} else if (on && !soc_test_noise_registered) {
		ret = snd_soc_register_component(&soc_test_noise_dev->dev,
						 &soc_test_noise_component,
						 &soc_test_noise_dai, 1);
		soc_test_noise_registered = !ret;
	} else if (!on && soc_test_noise_registered) {
		snd_soc_unregister_component(&soc_test_noise_dev->dev);
		soc_test_noise_registered = false;
	}
	mutex_unlock(&soc_test_noise_lock);

	return ret;
}

static int soc_test_noise_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", soc_test_noise_registered);
}

static const struct kernel_param_ops soc_test_noise_ops = {
	.set = soc_test_noise_set,
	.get = soc_test_noise_get,
};
module_param_cb(registered, &soc_test_noise_ops, NULL, 0644);
MODULE_PARM_DESC(registered,
		 "1 registers the component, from the writer, 0 unregisters it");

static int soc_test_noise_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver soc_test_noise_driver = {
	.driver = { .name = DRV_NAME },
	.probe = soc_test_noise_probe,
};

static int __init soc_test_noise_init(void)
{
	int ret;

	ret = platform_driver_register(&soc_test_noise_driver);
	if (ret)
		return ret;

	soc_test_noise_dev = platform_device_register_simple(DRV_NAME,
							     PLATFORM_DEVID_NONE,
							     NULL, 0);
	if (IS_ERR(soc_test_noise_dev)) {
		ret = PTR_ERR(soc_test_noise_dev);
		soc_test_noise_dev = NULL;
		platform_driver_unregister(&soc_test_noise_driver);
	}

	return ret;
}
module_init(soc_test_noise_init);

static void __exit soc_test_noise_exit(void)
{
	mutex_lock(&soc_test_noise_lock);
	if (soc_test_noise_registered)
		snd_soc_unregister_component(&soc_test_noise_dev->dev);
	soc_test_noise_registered = false;
	mutex_unlock(&soc_test_noise_lock);
	platform_device_unregister(soc_test_noise_dev);
	platform_driver_unregister(&soc_test_noise_driver);
}
module_exit(soc_test_noise_exit);

MODULE_DESCRIPTION("ASoC test: a component registered outside any probe");
MODULE_LICENSE("GPL");
