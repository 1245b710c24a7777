// SPDX-License-Identifier: GPL-2.0
//
// ASoC test supplier: a controller that registers two components
//
// Creates the platform device "soc-test-supplier" and a driver for it whose
// probe does what rockchip-i2s and the fsl dmaengine users do, and what
// kirkwood-i2s does with its hardware initialisation: it registers a
// component with the CPU DAI "soc-test-supplier-dai", keeps initialising
// for probe_delay_ms, then registers a second component on the same device,
// the PCM component (as devm_snd_dmaengine_pcm_register() would), and only
// then returns, after tail_ms more (a controller whose probe goes on once
// everything is registered: a card registered meanwhile must not bind
// yet). A card whose platform names this device must bind after that
// probe returned, with both components. With suspend_sleep_ms, its system
// suspend callback sleeps, keeping the system in its sleep.

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <sound/soc.h>

#include "soc-test.h"

#include "soc-test-supplier.h"

#define DRV_NAME "soc-test-supplier"

static unsigned int probe_delay_ms = 800;
module_param(probe_delay_ms, uint, 0444);
MODULE_PARM_DESC(probe_delay_ms,
		 "Time between the DAI and the PCM component registration in ms (default: 800)");

static unsigned int tail_ms;
module_param(tail_ms, uint, 0444);
MODULE_PARM_DESC(tail_ms,
		 "Time the probe goes on after registering both components in ms (default: 0)");

static int components;
module_param(components, int, 0444);
MODULE_PARM_DESC(components,
		 "Components the current probe has registered (read-only)");

static int probe_done;
module_param(probe_done, int, 0444);
MODULE_PARM_DESC(probe_done,
		 "1 once the probe is about to return 0 (read-only)");

static bool fail_probe;
module_param(fail_probe, bool, 0644);
MODULE_PARM_DESC(fail_probe,
		 "Fail the probe with -EIO after registering both components");

static unsigned int suspend_sleep_ms;
module_param(suspend_sleep_ms, uint, 0644);
MODULE_PARM_DESC(suspend_sleep_ms,
		 "Time the device's system suspend callback sleeps in ms (default: 0)");

static unsigned int pcm_construct_calls;
module_param(pcm_construct_calls, uint, 0444);
MODULE_PARM_DESC(pcm_construct_calls,
		 "PCM component pcm_construct calls, one per bound card (read-only)");

static int soc_test_supplier_pcm_construct(struct snd_soc_component *component,
					   struct snd_soc_pcm_runtime *rtd)
{
	pcm_construct_calls++;
	return 0;
}

static const struct snd_soc_component_driver soc_test_supplier_dai_component = {
	.name		= SOC_TEST_SUPPLIER_DAI_DRV,
};

static const struct snd_soc_component_driver soc_test_supplier_pcm_component = {
	.name		= SOC_TEST_SUPPLIER_PCM_DRV,
	.SOC_TEST_PCM_CONSTRUCT = soc_test_supplier_pcm_construct,
#ifdef CONFIG_DEBUG_FS
	/* both components carry the device's name */
	.debugfs_prefix	= "pcm",
#endif
};

static struct snd_soc_dai_driver soc_test_supplier_dai = {
	.name		= "soc-test-supplier-dai",
	.playback	= SOC_TEST_STREAM("Playback"),
};

static int soc_test_supplier_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct soc_test_supplier *priv;
	int ret;

	probe_done = 0;
	components = 0;
	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	platform_set_drvdata(pdev, priv);

	ret = devm_snd_soc_register_component(dev,
					      &soc_test_supplier_dai_component,
					      &soc_test_supplier_dai, 1);
	if (ret)
		return dev_err_probe(dev, ret, "ASoC: DAI component\n");
	components = 1;

	/* the controller's own initialisation, as kirkwood_i2s_init() */
	msleep(probe_delay_ms);

	ret = devm_snd_soc_register_component(dev,
					      &soc_test_supplier_pcm_component,
					      NULL, 0);
	if (ret)
		return dev_err_probe(dev, ret, "ASoC: PCM component\n");
	components = 2;

	/* a controller whose last initialisation step fails */
	if (fail_probe)
		return dev_err_probe(dev, -EIO, "ASoC: failing on request\n");

	/* the rest of the controller's probe, everything registered */
	msleep(tail_ms);

	/* pairs with smp_load_acquire() in the card's link init */
	smp_store_release(&priv->probe_done, true);
	probe_done = 1;

	return 0;
}

/*
 * With suspend_sleep_ms, the device's system suspend callback sleeps: the
 * devices suspended before it (those registered after it) stay suspended
 * for that long, a wait no busy host shortens, unlike pm_test's mdelay().
 */
static int soc_test_supplier_suspend(struct device *dev)
{
	if (suspend_sleep_ms)
		msleep(suspend_sleep_ms);
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(soc_test_supplier_pm_ops,
				soc_test_supplier_suspend, NULL);

static struct platform_driver soc_test_supplier_driver = {
	.driver		= {
		.name	= DRV_NAME,
		.pm	= pm_sleep_ptr(&soc_test_supplier_pm_ops),
	},
	.probe		= soc_test_supplier_probe,
};

static struct platform_device *soc_test_supplier_pdev;

static int __init soc_test_supplier_init(void)
{
	soc_test_supplier_pdev = soc_test_register(&soc_test_supplier_driver);

	return PTR_ERR_OR_ZERO(soc_test_supplier_pdev);
}
module_init(soc_test_supplier_init);

static void __exit soc_test_supplier_exit(void)
{
	soc_test_unregister(&soc_test_supplier_driver, soc_test_supplier_pdev);
}
module_exit(soc_test_supplier_exit);

MODULE_DESCRIPTION("ASoC test supplier registering a DAI and then a PCM component");
MODULE_LICENSE("GPL");
