// SPDX-License-Identifier: GPL-2.0
//
// ASoC test codec whose component probe defers
//
// Creates the platform device "soc-test-defer-codec" and a driver for it
// whose probe registers one component, named after the device, with the
// codec DAI "defer-codec-dai". The component's probe, which runs when a
// card binds, returns -EPROBE_DEFER while defer_count is above zero and
// counts it down, and always while it is negative: this is a codec whose
// MCLK provider is not bound yet. defer_count is writable, so a test can arm
// it again before the codec's device is bound anew, or hold the codec
// deferring (-1) and let it go (0) when it chooses, or have its clock
// provider (soc-test-bus-provider) let it go by binding.

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <sound/soc.h>

#include "soc-test.h"

#include "soc-test-defer-codec.h"

#define DRV_NAME "soc-test-defer-codec"

static int defer_count = 1;
module_param(defer_count, int, 0644);
MODULE_PARM_DESC(defer_count,
		 "Component probes that return -EPROBE_DEFER before one succeeds, all if negative (default: 1)");

static unsigned int probe_calls;
module_param(probe_calls, uint, 0444);
MODULE_PARM_DESC(probe_calls, "Component probe calls so far (read-only)");

static int soc_test_defer_codec_component_probe(struct snd_soc_component *component)
{
	int ret = 0;

	/* defer_count is writable through sysfs */
	kernel_param_lock(THIS_MODULE);
	probe_calls++;
	if (defer_count > 0) {
		defer_count--;
		ret = -EPROBE_DEFER;
	} else if (defer_count < 0) {
		ret = -EPROBE_DEFER;
	}
	kernel_param_unlock(THIS_MODULE);

	if (ret)
		dev_info(component->dev,
			 "ASoC: component probe defers (clock not ready)\n");

	return ret;
}

void soc_test_defer_codec_provide(void)
{
	kernel_param_lock(THIS_MODULE);
	defer_count = 0;
	kernel_param_unlock(THIS_MODULE);
}
EXPORT_SYMBOL_GPL(soc_test_defer_codec_provide);

static const struct snd_soc_component_driver soc_test_defer_codec_component = {
	.name		= DRV_NAME,
	.probe		= soc_test_defer_codec_component_probe,
};

static struct snd_soc_dai_driver soc_test_defer_codec_dai = {
	.name		= "defer-codec-dai",
	.playback	= SOC_TEST_STREAM("Playback"),
};

static int soc_test_defer_codec_probe(struct platform_device *pdev)
{
	return devm_snd_soc_register_component(&pdev->dev,
					       &soc_test_defer_codec_component,
					       &soc_test_defer_codec_dai, 1);
}

static struct platform_driver soc_test_defer_codec_driver = {
	.driver		= {
		.name	= DRV_NAME,
	},
	.probe		= soc_test_defer_codec_probe,
};

static struct platform_device *soc_test_defer_codec_pdev;

static int __init soc_test_defer_codec_init(void)
{
	soc_test_defer_codec_pdev = soc_test_register(&soc_test_defer_codec_driver);

	return PTR_ERR_OR_ZERO(soc_test_defer_codec_pdev);
}
module_init(soc_test_defer_codec_init);

static void __exit soc_test_defer_codec_exit(void)
{
	soc_test_unregister(&soc_test_defer_codec_driver, soc_test_defer_codec_pdev);
}
module_exit(soc_test_defer_codec_exit);

MODULE_DESCRIPTION("ASoC test codec whose component probe defers");
MODULE_LICENSE("GPL");
