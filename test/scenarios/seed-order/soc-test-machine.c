// SPDX-License-Identifier: GPL-2.0
//
// ASoC test machine driver
//
// Creates the platform device "soc-test-machine" and a driver for it whose
// probe registers the card "soctestcard": one DAI link, "seed", from a CPU
// DAI (by default "soc-test-cpu-dai" of "soc-test-cpu") to a codec DAI (by
// default "dit-hifi" of "spdif-dit"), with no platform component: the CPU
// DAI's component provides the PCM if anything does.
//
// With own_device=0 the module registers the driver only, and the device
// comes from elsewhere (lifecycle's soc-test-machine-dev), so that it
// outlives the driver's module.
//
// With aux=NAME the card also has an aux device: the component NAME.
//
// With codec2=NAME (and codec2_dai=DAI) the link has a second codec, as a
// board with two codecs on one I2S bus: num_codecs is 2.
//
// With deferrable=1 the card is registered with
// devm_snd_soc_register_deferrable_card(), which only kernels with the
// pending-card mechanism provide (Kbuild defines HAVE_DEFERRABLE_CARD for
// them); other kernels refuse the parameter when the module is loaded.

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <sound/soc.h>

#define DRV_NAME "soc-test-machine"

static bool deferrable;
module_param(deferrable, bool, 0444);
MODULE_PARM_DESC(deferrable,
		 "Register with devm_snd_soc_register_deferrable_card() (default: no)");

static bool own_device = true;
module_param(own_device, bool, 0444);
MODULE_PARM_DESC(own_device,
		 "Create the soc-test-machine device too (default: yes)");

static char *cpu = "soc-test-cpu";
module_param(cpu, charp, 0444);
MODULE_PARM_DESC(cpu, "CPU DAI component name (default: soc-test-cpu)");

static char *cpu_dai = "soc-test-cpu-dai";
module_param(cpu_dai, charp, 0444);
MODULE_PARM_DESC(cpu_dai, "CPU DAI name (default: soc-test-cpu-dai)");

static char *codec = "spdif-dit";
module_param(codec, charp, 0444);
MODULE_PARM_DESC(codec, "Codec component name (default: spdif-dit)");

static char *codec_dai = "dit-hifi";
module_param(codec_dai, charp, 0444);
MODULE_PARM_DESC(codec_dai, "Codec DAI name (default: dit-hifi)");

static char *codec2;
module_param(codec2, charp, 0444);
MODULE_PARM_DESC(codec2, "Second codec component name (default: none)");

static char *codec2_dai = "dir-hifi";
module_param(codec2_dai, charp, 0444);
MODULE_PARM_DESC(codec2_dai, "Second codec DAI name (default: dir-hifi)");

static char *aux;
module_param(aux, charp, 0444);
MODULE_PARM_DESC(aux, "Aux device component name (default: none)");

/* Read by the tests: how often probe ran, and how often the card bound. */

static unsigned int probe_calls;
module_param(probe_calls, uint, 0444);
MODULE_PARM_DESC(probe_calls, "Machine driver probe calls so far (read-only)");

static unsigned int card_binds;
module_param(card_binds, uint, 0444);
MODULE_PARM_DESC(card_binds, "Card probe callbacks, one per bind (read-only)");

static int soc_test_machine_card_probe(struct snd_soc_card *card)
{
	card_binds++;
	return 0;
}

#ifdef HAVE_DEFERRABLE_CARD
static int soc_test_machine_register_card(struct device *dev,
					  struct snd_soc_card *card)
{
	if (deferrable)
		return devm_snd_soc_register_deferrable_card(dev, card);

	return devm_snd_soc_register_card(dev, card);
}

static bool soc_test_machine_params_ok(void)
{
	return true;
}
#else
static int soc_test_machine_register_card(struct device *dev,
					  struct snd_soc_card *card)
{
	return devm_snd_soc_register_card(dev, card);
}

/* Without the pending-card mechanism deferrable=1 cannot be honoured. */
static bool soc_test_machine_params_ok(void)
{
	return !deferrable;
}
#endif

static int soc_test_machine_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct snd_soc_dai_link_component *comps;
	struct snd_soc_dai_link *link;
	struct snd_soc_card *card;
	int ret;

	probe_calls++;

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

	comps[0].name = cpu;
	comps[0].dai_name = cpu_dai;
	comps[1].name = codec;
	comps[1].dai_name = codec_dai;
	comps[2].name = codec2;
	comps[2].dai_name = codec2_dai;

	if (aux) {
		card->aux_dev = devm_kzalloc(dev, sizeof(*card->aux_dev),
					     GFP_KERNEL);
		if (!card->aux_dev)
			return -ENOMEM;
		card->aux_dev->dlc.name = aux;
		card->num_aux_devs = 1;
	}

	link->name = "seed";
	link->stream_name = "seed";
	link->cpus = &comps[0];
	link->num_cpus = 1;
	link->codecs = &comps[1];
	link->num_codecs = codec2 ? 2 : 1;

	card->name = "soctestcard";
	card->owner = THIS_MODULE;
	card->dev = dev;
	card->dai_link = link;
	card->num_links = 1;
	card->probe = soc_test_machine_card_probe;

	ret = soc_test_machine_register_card(dev, card);
	if (ret)
		return dev_err_probe(dev, ret, "ASoC: failed to register card\n");

	return 0;
}

static struct platform_driver soc_test_machine_driver = {
	.driver		= {
		.name	= DRV_NAME,
	},
	.probe		= soc_test_machine_probe,
};

static struct platform_device *soc_test_machine_pdev;

static int __init soc_test_machine_init(void)
{
	int ret;

	if (!soc_test_machine_params_ok()) {
		pr_err("ASoC: %s: deferrable=1 needs the pending-card mechanism\n",
		       DRV_NAME);
		return -EINVAL;
	}

	ret = platform_driver_register(&soc_test_machine_driver);
	if (ret || !own_device)
		return ret;

	soc_test_machine_pdev = platform_device_register_simple(DRV_NAME,
								PLATFORM_DEVID_NONE,
								NULL, 0);
	if (IS_ERR(soc_test_machine_pdev)) {
		ret = PTR_ERR(soc_test_machine_pdev);
		pr_err("ASoC: %s: cannot create device: %d\n", DRV_NAME, ret);
		goto unregister_driver;
	}

	return 0;

unregister_driver:
	platform_driver_unregister(&soc_test_machine_driver);
	return ret;
}
module_init(soc_test_machine_init);

static void __exit soc_test_machine_exit(void)
{
	if (soc_test_machine_pdev)
		platform_device_unregister(soc_test_machine_pdev);
	platform_driver_unregister(&soc_test_machine_driver);
}
module_exit(soc_test_machine_exit);

MODULE_DESCRIPTION("ASoC test machine driver for the seed topology");
MODULE_LICENSE("GPL");
