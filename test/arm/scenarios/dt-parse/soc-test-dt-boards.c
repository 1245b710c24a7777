// SPDX-License-Identifier: GPL-2.0
//
// ASoC test components, described by the device tree, shaped like the
// parts of real boards that a generic card works out while it parses
//
// - "asoc-test,boards-cpu": an I2S controller that registers its DAI
//   component and then, from the same probe, a separate PCM component
//   without DAIs, as rockchip-i2s, fsl-sai or stm32-sai do with their
//   dmaengine PCM. The PCM component counts its pcm_construct calls: one
//   per link that got it as its platform.
// - "asoc-test,boards-xlate-codec": a codec with one DAI that translates
//   graph endpoints to DAI ids itself (of_xlate_dai_id: every endpoint is
//   DAI 0), as cs42l51 does on STM32MP15 DK boards, whose port has two
//   endpoints.
// - "asoc-test,boards-codec": a codec with one DAI that records the system
//   clock the card sets on it.
// - "asoc-test,boards-clock": a fixed-rate clock provider (the codec's
//   MCLK, "clock-frequency" Hz).

#include <linux/clk-provider.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <sound/soc.h>

#include "soc-test.h"

#define DRV_NAME "soc-test-dt-boards"

static int pcm_constructs;
module_param(pcm_constructs, int, 0444);
MODULE_PARM_DESC(pcm_constructs,
		 "Links that got a controller's separate PCM component (read-only)");

static unsigned int sysclk_hz;
module_param(sysclk_hz, uint, 0444);
MODULE_PARM_DESC(sysclk_hz,
		 "Last system clock a card set on a codec, in Hz (read-only)");

/* --- the controller: a DAI component, then a PCM component ---------------- */

static const struct snd_soc_component_driver soc_test_boards_cpu_component = {
	.name		= "soc-test-boards-cpu",
};

/* named after each controller's device (see the probe) */
static const struct snd_soc_dai_driver soc_test_boards_cpu_dai = {
	.playback	= SOC_TEST_STREAM("Playback"),
	.capture	= SOC_TEST_STREAM("Capture"),
};

static int soc_test_boards_pcm_construct(struct snd_soc_component *component,
					 struct snd_soc_pcm_runtime *rtd)
{
	/* probes and binds run under the ASoC core's client mutex */
	pcm_constructs++;
	return 0;
}

static const struct snd_soc_component_driver soc_test_boards_pcm_component = {
	.name		= "soc-test-boards-pcm",
	.SOC_TEST_PCM_CONSTRUCT = soc_test_boards_pcm_construct,
#ifdef SOC_TEST_COMPONENT_ALLOC
	.debugfs_prefix	= "pcm",
#endif
};

/* what devm_snd_dmaengine_pcm_register() does, after the DAIs */
#ifdef SOC_TEST_COMPONENT_ALLOC
static int soc_test_boards_add_pcm(struct device *dev)
{
	struct snd_soc_component *pcm = snd_soc_component_alloc(dev);

	if (!pcm)
		return -ENOMEM;
	return snd_soc_register_component(pcm, &soc_test_boards_pcm_component,
					  NULL, 0);
}
#else
static int soc_test_boards_add_pcm(struct device *dev)
{
	struct snd_soc_component *pcm;
	int ret;

	pcm = devm_kzalloc(dev, sizeof(*pcm), GFP_KERNEL);
	if (!pcm)
		return -ENOMEM;
	ret = snd_soc_component_initialize(pcm, &soc_test_boards_pcm_component,
					   dev);
	if (ret)
		return ret;
#ifdef CONFIG_DEBUG_FS
	pcm->debugfs_prefix = "pcm";
#endif
	return snd_soc_add_component(pcm, NULL, 0);
}
#endif

static int soc_test_boards_cpu_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct snd_soc_dai_driver *dai;
	int ret;

	/*
	 * One DAI per controller, named after it, so that the links of a card
	 * with two of them get different names ("<cpu dai>-<codec dai>").
	 */
	dai = devm_kmemdup(dev, &soc_test_boards_cpu_dai, sizeof(*dai),
			   GFP_KERNEL);
	if (!dai)
		return -ENOMEM;
	dai->name = dev_name(dev);

	ret = snd_soc_register_component(dev, &soc_test_boards_cpu_component,
					 dai, 1);
	if (ret)
		return ret;

	ret = soc_test_boards_add_pcm(dev);
	if (ret)
		snd_soc_unregister_component(dev);
	return ret;
}

/* --- the codecs ------------------------------------------------------------- */

/* every endpoint of the codec's port is its one DAI, as for cs42l51 */
static int soc_test_boards_xlate_dai_id(struct snd_soc_component *component,
					struct device_node *endpoint)
{
	return 0;
}

static const struct snd_soc_component_driver soc_test_boards_xlate_component = {
	.name		= "soc-test-boards-xlate-codec",
	.of_xlate_dai_id = soc_test_boards_xlate_dai_id,
};

static struct snd_soc_dai_driver soc_test_boards_xlate_dai = {
	.name		= "xlate-codec-dai",
	.playback	= SOC_TEST_STREAM("Playback"),
	.capture	= SOC_TEST_STREAM("Capture"),
};

static int soc_test_boards_set_sysclk(struct snd_soc_dai *dai, int clk_id,
				      unsigned int freq, int dir)
{
	WRITE_ONCE(sysclk_hz, freq);
	return 0;
}

static const struct snd_soc_dai_ops soc_test_boards_codec_ops = {
	.set_sysclk	= soc_test_boards_set_sysclk,
};

static const struct snd_soc_component_driver soc_test_boards_codec_component = {
	.name		= "soc-test-boards-codec",
};

static struct snd_soc_dai_driver soc_test_boards_codec_dai = {
	.name		= "boards-codec-dai",
	.playback	= SOC_TEST_STREAM("Playback"),
	.capture	= SOC_TEST_STREAM("Capture"),
	.ops		= &soc_test_boards_codec_ops,
};

static int soc_test_boards_codec_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;

	if (of_device_is_compatible(dev->of_node, "asoc-test,boards-xlate-codec"))
		return snd_soc_register_component(dev,
						  &soc_test_boards_xlate_component,
						  &soc_test_boards_xlate_dai, 1);

	return snd_soc_register_component(dev, &soc_test_boards_codec_component,
					  &soc_test_boards_codec_dai, 1);
}

static void soc_test_boards_unregister(struct platform_device *pdev)
{
	snd_soc_unregister_component(&pdev->dev);
}

/* --- the clock ---------------------------------------------------------------- */

static int soc_test_boards_clock_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct clk_hw *hw;
	u32 rate;
	int ret;

	ret = of_property_read_u32(dev->of_node, "clock-frequency", &rate);
	if (ret)
		return dev_err_probe(dev, ret, "no clock-frequency\n");

	hw = clk_hw_register_fixed_rate(dev, dev_name(dev), NULL, 0, rate);
	if (IS_ERR(hw))
		return PTR_ERR(hw);

	ret = of_clk_add_hw_provider(dev->of_node, of_clk_hw_simple_get, hw);
	if (ret) {
		clk_hw_unregister_fixed_rate(hw);
		return ret;
	}
	platform_set_drvdata(pdev, hw);

	return 0;
}

static void soc_test_boards_clock_teardown(struct platform_device *pdev)
{
	of_clk_del_provider(pdev->dev.of_node);
	clk_hw_unregister_fixed_rate(platform_get_drvdata(pdev));
}

/* .remove returns void from 6.11 on, int before (see Kbuild) */
#ifdef SOC_TEST_REMOVE_VOID
#define soc_test_boards_remove soc_test_boards_unregister
#define soc_test_boards_clock_remove soc_test_boards_clock_teardown
#else
static int soc_test_boards_remove(struct platform_device *pdev)
{
	soc_test_boards_unregister(pdev);
	return 0;
}

static int soc_test_boards_clock_remove(struct platform_device *pdev)
{
	soc_test_boards_clock_teardown(pdev);
	return 0;
}
#endif

static const struct of_device_id soc_test_boards_clock_of_match[] = {
	{ .compatible = "asoc-test,boards-clock", },
	{ }
};

static const struct of_device_id soc_test_boards_cpu_of_match[] = {
	{ .compatible = "asoc-test,boards-cpu", },
	{ }
};

static const struct of_device_id soc_test_boards_codec_of_match[] = {
	{ .compatible = "asoc-test,boards-xlate-codec", },
	{ .compatible = "asoc-test,boards-codec", },
	{ }
};

static struct platform_driver soc_test_boards_clock_driver = {
	.driver		= {
		.name		= DRV_NAME "-clock",
		.of_match_table	= soc_test_boards_clock_of_match,
	},
	.probe		= soc_test_boards_clock_probe,
	.remove		= soc_test_boards_clock_remove,
};

static struct platform_driver soc_test_boards_cpu_driver = {
	.driver		= {
		.name		= DRV_NAME "-cpu",
		.of_match_table	= soc_test_boards_cpu_of_match,
	},
	.probe		= soc_test_boards_cpu_probe,
	.remove		= soc_test_boards_remove,
};

static struct platform_driver soc_test_boards_codec_driver = {
	.driver		= {
		.name		= DRV_NAME "-codec",
		.of_match_table	= soc_test_boards_codec_of_match,
	},
	.probe		= soc_test_boards_codec_probe,
	.remove		= soc_test_boards_remove,
};

/* In this order: the clock is there before the last DAI's component. */
static struct platform_driver * const soc_test_boards_drivers[] = {
	&soc_test_boards_clock_driver,
	&soc_test_boards_cpu_driver,
	&soc_test_boards_codec_driver,
};

static int __init soc_test_boards_init(void)
{
	return platform_register_drivers(soc_test_boards_drivers,
					 ARRAY_SIZE(soc_test_boards_drivers));
}
module_init(soc_test_boards_init);

static void __exit soc_test_boards_exit(void)
{
	platform_unregister_drivers(soc_test_boards_drivers,
				    ARRAY_SIZE(soc_test_boards_drivers));
}
module_exit(soc_test_boards_exit);

MODULE_DESCRIPTION("ASoC test components shaped like real boards' parts, from the device tree");
MODULE_LICENSE("GPL");
