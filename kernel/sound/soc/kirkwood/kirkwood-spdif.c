// SPDX-License-Identifier: GPL-2.0-only
//
// S/PDIF output card for Marvell Kirkwood and Dove
//
// Links the "spdif" DAI of the kirkwood-i2s audio controller to the
// spdif-dit stub codec. Board code registers a "kirkwood-spdif-audio"
// platform device with the same id as the controller's "mvebu-audio"
// device: kirkwood-spdif-audio.1 drives mvebu-audio.1.
//
// The card is registered as deferrable: probe returns as soon as the card
// is registered, and ASoC binds it when the controller and the codec have
// both registered, in whatever order their modules load.

#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <sound/soc.h>

#define DRV_NAME		"kirkwood-spdif-audio"
#define KIRKWOOD_SPDIF_CTRL	"mvebu-audio"

/**
 * struct kirkwood_spdif - card state of one kirkwood-spdif-audio device
 * @card: the ASoC card
 * @link: its only DAI link, controller S/PDIF out to spdif-dit
 * @cpu: the controller's S/PDIF DAI
 * @codec: the spdif-dit codec DAI
 * @platform: the controller's DMA, the same component as @cpu
 *
 * A deferrable card binds after probe has returned, so the link and its
 * components must live as long as the device: they are device-managed,
 * never on the stack or in a table shared between devices.
 */
struct kirkwood_spdif {
	struct snd_soc_card card;
	struct snd_soc_dai_link link;
	struct snd_soc_dai_link_component cpu;
	struct snd_soc_dai_link_component codec;
	struct snd_soc_dai_link_component platform;
};

static const struct snd_soc_dai_link_component kirkwood_spdif_codec = {
	.name		= "spdif-dit",
	.dai_name	= "dit-hifi",
};

static int kirkwood_spdif_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct kirkwood_spdif *priv;
	const char *ctrl;
	int ret;

	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	/* kirkwood-spdif-audio.N drives mvebu-audio.N */
	if (pdev->id == PLATFORM_DEVID_NONE)
		ctrl = KIRKWOOD_SPDIF_CTRL;
	else
		ctrl = devm_kasprintf(dev, GFP_KERNEL, KIRKWOOD_SPDIF_CTRL ".%d",
				      pdev->id);
	if (!ctrl)
		return -ENOMEM;

	priv->cpu.name = ctrl;
	priv->cpu.dai_name = "spdif";
	priv->codec = kirkwood_spdif_codec;
	priv->platform.name = ctrl;

	priv->link.name = "spdif";
	priv->link.stream_name = "spdif";
	priv->link.cpus = &priv->cpu;
	priv->link.num_cpus = 1;
	priv->link.codecs = &priv->codec;
	priv->link.num_codecs = 1;
	priv->link.platforms = &priv->platform;
	priv->link.num_platforms = 1;
	priv->link.playback_only = 1;

	priv->card.name = "kirkwood-spdif";
	priv->card.owner = THIS_MODULE;
	priv->card.dev = dev;
	priv->card.dai_link = &priv->link;
	priv->card.num_links = 1;

	ret = devm_snd_soc_register_deferrable_card(dev, &priv->card);
	if (ret)
		return dev_err_probe(dev, ret, "ASoC: cannot register card\n");

	return 0;
}

static struct platform_driver kirkwood_spdif_driver = {
	.driver = {
		.name = DRV_NAME,
	},
	.probe = kirkwood_spdif_probe,
};

module_platform_driver(kirkwood_spdif_driver);

MODULE_DESCRIPTION("ALSA SoC Kirkwood S/PDIF output card");
MODULE_LICENSE("GPL");
MODULE_ALIAS("platform:" DRV_NAME);
