// SPDX-License-Identifier: GPL-2.0
//
// ASoC test CPU DAI
//
// Creates the platform device "soc-test-cpu" and a driver for it whose probe
// registers one component with one playback CPU DAI, "soc-test-cpu-dai".
// The component has no PCM operations; it carries three controls backed by
// an in-memory register file so that mixer-test has something to exercise.

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <sound/soc.h>

#include "soc-test.h"

#define DRV_NAME "soc-test-cpu"

enum {
	SOC_TEST_CPU_VOLUME,
	SOC_TEST_CPU_SWITCH,
	SOC_TEST_CPU_MODE,
	SOC_TEST_CPU_NUM_REGS,
};

struct soc_test_cpu {
	unsigned int regs[SOC_TEST_CPU_NUM_REGS];
};

/* Component I/O runs under component->io_mutex. */
static unsigned int soc_test_cpu_read(struct snd_soc_component *component,
				      unsigned int reg)
{
	struct soc_test_cpu *priv = snd_soc_component_get_drvdata(component);

	if (reg >= SOC_TEST_CPU_NUM_REGS)
		return 0;

	return priv->regs[reg];
}

static int soc_test_cpu_write(struct snd_soc_component *component,
			      unsigned int reg, unsigned int val)
{
	struct soc_test_cpu *priv = snd_soc_component_get_drvdata(component);

	if (reg >= SOC_TEST_CPU_NUM_REGS)
		return -EINVAL;

	priv->regs[reg] = val;
	return 0;
}

static const char * const soc_test_cpu_modes[] = {
	"Normal", "Loud", "Quiet",
};

static SOC_ENUM_SINGLE_DECL(soc_test_cpu_mode_enum, SOC_TEST_CPU_MODE, 0,
			    soc_test_cpu_modes);

static const struct snd_kcontrol_new soc_test_cpu_controls[] = {
	SOC_SINGLE("Test Playback Volume", SOC_TEST_CPU_VOLUME, 0, 63, 0),
	SOC_SINGLE("Test Playback Switch", SOC_TEST_CPU_SWITCH, 0, 1, 0),
	SOC_ENUM("Test Mode", soc_test_cpu_mode_enum),
};

static const struct snd_soc_component_driver soc_test_cpu_component = {
	.name		= DRV_NAME,
	.read		= soc_test_cpu_read,
	.write		= soc_test_cpu_write,
	.controls	= soc_test_cpu_controls,
	.num_controls	= ARRAY_SIZE(soc_test_cpu_controls),
};

static struct snd_soc_dai_driver soc_test_cpu_dai = {
	.name		= "soc-test-cpu-dai",
	.playback	= SOC_TEST_STREAM("Playback"),
};

static int soc_test_cpu_probe(struct platform_device *pdev)
{
	struct soc_test_cpu *priv;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	platform_set_drvdata(pdev, priv);

	return devm_snd_soc_register_component(&pdev->dev,
					       &soc_test_cpu_component,
					       &soc_test_cpu_dai, 1);
}

static struct platform_driver soc_test_cpu_driver = {
	.driver		= {
		.name	= DRV_NAME,
	},
	.probe		= soc_test_cpu_probe,
};

static struct platform_device *soc_test_cpu_pdev;

static int __init soc_test_cpu_init(void)
{
	soc_test_cpu_pdev = soc_test_register(&soc_test_cpu_driver);

	return PTR_ERR_OR_ZERO(soc_test_cpu_pdev);
}
module_init(soc_test_cpu_init);

static void __exit soc_test_cpu_exit(void)
{
	soc_test_unregister(&soc_test_cpu_driver, soc_test_cpu_pdev);
}
module_exit(soc_test_cpu_exit);

MODULE_DESCRIPTION("ASoC test CPU DAI with register-backed controls");
MODULE_LICENSE("GPL");
