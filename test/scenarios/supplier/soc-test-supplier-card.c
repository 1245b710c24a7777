// SPDX-License-Identifier: GPL-2.0
//
// ASoC test machine driver for the supplier scenario
//
// Creates the platform device "soc-test-supplier-card" and a driver for it
// whose probe registers the card "suppliercard": one DAI link, "supplier",
// from the CPU DAI "soc-test-supplier-dai" of "soc-test-supplier" to a codec
// DAI (by default the dummy codec's), whose platform is "soc-test-supplier"
// by device name: it matches every component of that device, the DAI
// component and the PCM component alike.
//
// Each bind records, in read-only parameters, what it found: the number of
// components on the link's runtime, whether the supplier's PCM component is
// among them, and whether the supplier's probe had returned.
//
// With deferrable=1 the card is registered with
// devm_snd_soc_register_deferrable_card(), which only kernels with the
// pending-card mechanism provide (Kbuild defines HAVE_DEFERRABLE_CARD for
// them); other kernels refuse the parameter when the module is loaded.
//
// With linger_ms set, a probe whose card registration failed with
// -EPROBE_DEFER goes on for that long before returning it (lingering reads 1
// meanwhile), as a machine driver does that still sets up GPIOs or an
// amplifier on its error path: the window in which a component registered
// outside any probe completes a card whose machine probe has not returned.
// With alloc_linger_ms set, a probe whose deferrable card is registered but
// not bound yet goes on for that long and then allocates with devm, as a
// machine driver setting up jacks after its registration: the card must
// not be bound beside it (binds_beside_probe), nor may a later bind release
// what the probe allocated (probe_alloc_freed). bound_suspended counts
// binds that ran while the card's device was suspended.

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sound/soc.h>

#include "soc-test-supplier.h"

/* 6.7 renamed the runtime's DAI accessors; 6.1 has only the old name */
#ifndef snd_soc_rtd_to_cpu
#define snd_soc_rtd_to_cpu(rtd, n) asoc_rtd_to_cpu(rtd, n)
#endif

#define DRV_NAME "soc-test-supplier-card"

static bool deferrable;
module_param(deferrable, bool, 0444);
MODULE_PARM_DESC(deferrable,
		 "Register with devm_snd_soc_register_deferrable_card() (default: no)");

static char *codec = "snd-soc-dummy";
module_param(codec, charp, 0444);
MODULE_PARM_DESC(codec, "Codec component name (default: snd-soc-dummy)");

static char *codec_dai = "snd-soc-dummy-dai";
module_param(codec_dai, charp, 0444);
MODULE_PARM_DESC(codec_dai, "Codec DAI name (default: snd-soc-dummy-dai)");

static unsigned int linger_ms;
module_param(linger_ms, uint, 0444);
MODULE_PARM_DESC(linger_ms,
		 "Time a probe whose registration deferred goes on before returning, in ms (default: 0)");

static int lingering;
module_param(lingering, int, 0444);
MODULE_PARM_DESC(lingering, "1 while a deferring probe lingers (read-only)");

static unsigned int alloc_linger_ms;
module_param(alloc_linger_ms, uint, 0444);
MODULE_PARM_DESC(alloc_linger_ms,
		 "Time a probe whose deferrable card waits goes on before a devm allocation, in ms (default: 0)");

static unsigned int binds_beside_probe;
module_param(binds_beside_probe, uint, 0444);
MODULE_PARM_DESC(binds_beside_probe,
		 "Binds run by another task while the machine probe ran (read-only)");

static unsigned int probe_alloc_freed;
module_param(probe_alloc_freed, uint, 0444);
MODULE_PARM_DESC(probe_alloc_freed,
		 "Releases of the probe's late devm allocation (read-only)");

static unsigned int bound_suspended;
module_param(bound_suspended, uint, 0444);
MODULE_PARM_DESC(bound_suspended,
		 "Binds that ran while the card's device was suspended (read-only)");

/* The task running the machine probe, NULL outside it */
static struct task_struct *probe_task;

static unsigned int probe_calls;
module_param(probe_calls, uint, 0444);
MODULE_PARM_DESC(probe_calls, "Machine driver probe calls so far (read-only)");

static unsigned int card_probes;
module_param(card_probes, uint, 0444);
MODULE_PARM_DESC(card_probes, "Card probe callbacks, one per bind attempt (read-only)");

static unsigned int card_binds;
module_param(card_binds, uint, 0444);
MODULE_PARM_DESC(card_binds, "Card late_probe callbacks, one per complete bind (read-only)");

static int bound_after_supplier_probe = -1;
module_param(bound_after_supplier_probe, int, 0444);
MODULE_PARM_DESC(bound_after_supplier_probe,
		 "At the last link init: 1 if the supplier's probe had returned, 0 if not, -1 before any (read-only)");

static unsigned int rtd_components;
module_param(rtd_components, uint, 0444);
MODULE_PARM_DESC(rtd_components,
		 "At the last link init: components on the runtime (read-only)");

static int rtd_has_pcm;
module_param(rtd_has_pcm, int, 0444);
MODULE_PARM_DESC(rtd_has_pcm,
		 "At the last link init: 1 if the supplier's PCM component is on the runtime (read-only)");

static bool soc_test_card_is_drv(struct snd_soc_component *component,
				 const char *name)
{
	return component->driver->name &&
	       !strcmp(component->driver->name, name);
}

static int soc_test_card_link_init(struct snd_soc_pcm_runtime *rtd)
{
	struct snd_soc_component *cpu = snd_soc_rtd_to_cpu(rtd, 0)->component;
	struct snd_soc_component *component;
	struct soc_test_supplier *supplier;
	unsigned int n = 0;
	bool pcm = false;
	int i;

	for_each_rtd_components(rtd, i, component) {
		dev_info(rtd->card->dev, "ASoC: runtime component %s (%s)\n",
			 component->name,
			 component->driver->name ?: "no driver name");
		n++;
		if (soc_test_card_is_drv(component, SOC_TEST_SUPPLIER_PCM_DRV))
			pcm = true;
	}
	rtd_components = n;
	rtd_has_pcm = pcm;

	if (!soc_test_card_is_drv(cpu, SOC_TEST_SUPPLIER_DAI_DRV)) {
		dev_err(rtd->card->dev, "ASoC: CPU DAI is not the supplier's\n");
		return -EINVAL;
	}

	supplier = snd_soc_component_get_drvdata(cpu);
	/* pairs with smp_store_release() in the supplier's probe */
	bound_after_supplier_probe = smp_load_acquire(&supplier->probe_done);

	return 0;
}

static int soc_test_card_probe(struct snd_soc_card *card)
{
	card_probes++;
	return 0;
}

static int soc_test_card_late_probe(struct snd_soc_card *card)
{
	struct task_struct *task = READ_ONCE(probe_task);

	card_binds++;
	if (task && task != current)
		binds_beside_probe++;
#ifdef CONFIG_PM_SLEEP
	if (card->dev->power.is_suspended)
		bound_suspended++;
#endif
	return 0;
}

static void soc_test_card_probe_alloc_release(void *data)
{
	probe_alloc_freed++;
}

#ifdef HAVE_DEFERRABLE_CARD
static int soc_test_card_register(struct device *dev, struct snd_soc_card *card)
{
	if (deferrable)
		return devm_snd_soc_register_deferrable_card(dev, card);

	return devm_snd_soc_register_card(dev, card);
}

static bool soc_test_card_params_ok(void)
{
	return true;
}
#else
static int soc_test_card_register(struct device *dev, struct snd_soc_card *card)
{
	return devm_snd_soc_register_card(dev, card);
}

/* Without the pending-card mechanism deferrable=1 cannot be honoured. */
static bool soc_test_card_params_ok(void)
{
	return !deferrable;
}
#endif

static int soc_test_card_drv_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct snd_soc_dai_link_component *comps;
	struct snd_soc_dai_link *link;
	struct snd_soc_card *card;
	int ret;

	probe_calls++;
	WRITE_ONCE(probe_task, current);

	/*
	 * Everything the card points to is device-managed: it must stay
	 * alive for as long as the card may still bind, which for a
	 * deferrable card is after this probe has returned.
	 */
	card = devm_kzalloc(dev, sizeof(*card), GFP_KERNEL);
	link = devm_kzalloc(dev, sizeof(*link), GFP_KERNEL);
	comps = devm_kcalloc(dev, 3, sizeof(*comps), GFP_KERNEL);
	if (!card || !link || !comps)
		return -ENOMEM;

	comps[0].name = "soc-test-supplier";
	comps[0].dai_name = "soc-test-supplier-dai";
	comps[1].name = codec;
	comps[1].dai_name = codec_dai;
	comps[2].name = "soc-test-supplier";

	link->name = "supplier";
	link->stream_name = "supplier";
	link->cpus = &comps[0];
	link->num_cpus = 1;
	link->codecs = &comps[1];
	link->num_codecs = 1;
	link->platforms = &comps[2];
	link->num_platforms = 1;
	link->init = soc_test_card_link_init;

	card->name = "suppliercard";
	card->owner = THIS_MODULE;
	card->dev = dev;
	card->dai_link = link;
	card->num_links = 1;
	card->probe = soc_test_card_probe;
	card->late_probe = soc_test_card_late_probe;

	ret = soc_test_card_register(dev, card);
	if (ret == -EPROBE_DEFER && linger_ms) {
		WRITE_ONCE(lingering, 1);
		msleep(linger_ms);
		WRITE_ONCE(lingering, 0);
	}
	if (!ret && alloc_linger_ms && !card->instantiated) {
		WRITE_ONCE(lingering, 1);
		msleep(alloc_linger_ms);
		ret = devm_add_action(dev, soc_test_card_probe_alloc_release, NULL);
		WRITE_ONCE(lingering, 0);
	}
	WRITE_ONCE(probe_task, NULL);
	if (ret)
		return dev_err_probe(dev, ret, "ASoC: failed to register card\n");

	return 0;
}

static struct platform_driver soc_test_card_driver = {
	.driver		= {
		.name	= DRV_NAME,
	},
	.probe		= soc_test_card_drv_probe,
};

static struct platform_device *soc_test_card_pdev;

static int __init soc_test_card_init(void)
{
	int ret;

	if (!soc_test_card_params_ok()) {
		pr_err("ASoC: %s: deferrable=1 needs the pending-card mechanism\n",
		       DRV_NAME);
		return -EINVAL;
	}

	ret = platform_driver_register(&soc_test_card_driver);
	if (ret)
		return ret;

	soc_test_card_pdev = platform_device_register_simple(DRV_NAME,
							     PLATFORM_DEVID_NONE,
							     NULL, 0);
	if (IS_ERR(soc_test_card_pdev)) {
		ret = PTR_ERR(soc_test_card_pdev);
		pr_err("ASoC: %s: cannot create device: %d\n", DRV_NAME, ret);
		goto unregister_driver;
	}

	return 0;

unregister_driver:
	platform_driver_unregister(&soc_test_card_driver);
	return ret;
}
module_init(soc_test_card_init);

static void __exit soc_test_card_exit(void)
{
	platform_device_unregister(soc_test_card_pdev);
	platform_driver_unregister(&soc_test_card_driver);
}
module_exit(soc_test_card_exit);

MODULE_DESCRIPTION("ASoC test machine driver for a supplier with DAI and PCM components");
MODULE_LICENSE("GPL");
