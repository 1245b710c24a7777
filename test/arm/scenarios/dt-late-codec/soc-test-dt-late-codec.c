// SPDX-License-Identifier: GPL-2.0
//
// ASoC test codec, described by the device tree, that registers its
// component late
//
// Binds to "asoc-test,late-codec" nodes. Its probe returns at once and
// queues a delayed work item; the work item, running after every probe has
// finished, registers the component with one capture DAI. This is what a
// codec waiting for its firmware does: the registration happens outside
// any probe, so the driver core's deferred-probe trigger does not see it.

#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/workqueue.h>
#include <sound/soc.h>

#define DRV_NAME "soc-test-dt-late-codec"

static unsigned int delay_ms = 200;
module_param(delay_ms, uint, 0444);
MODULE_PARM_DESC(delay_ms,
		 "Delay between probe and component registration in ms (default: 200)");

struct soc_test_dt_late_codec {
	struct device *dev;
	struct delayed_work register_work;
	/* Written by register_work, read once it is cancelled or done. */
	bool registered;
};

static const struct snd_soc_component_driver soc_test_dt_late_codec_component = {
	.name		= DRV_NAME,
};

static struct snd_soc_dai_driver soc_test_dt_late_codec_dai = {
	.name		= "late-codec-dai",
	.capture	= {
		.stream_name	= "Capture",
		.channels_min	= 2,
		.channels_max	= 2,
		.rates		= SNDRV_PCM_RATE_8000_192000,
		.formats	= SNDRV_PCM_FMTBIT_S16_LE |
				  SNDRV_PCM_FMTBIT_S24_LE,
	},
};

static void soc_test_dt_late_codec_register(struct work_struct *work)
{
	struct soc_test_dt_late_codec *priv =
		container_of(to_delayed_work(work),
			     struct soc_test_dt_late_codec, register_work);
	int ret;

	/* The device is bound: its probe returned 0 before this was queued. */
	ret = snd_soc_register_component(priv->dev,
					 &soc_test_dt_late_codec_component,
					 &soc_test_dt_late_codec_dai, 1);
	if (ret) {
		dev_err(priv->dev, "ASoC: late registration failed: %d\n", ret);
		return;
	}

	priv->registered = true;
}

static int soc_test_dt_late_codec_probe(struct platform_device *pdev)
{
	struct soc_test_dt_late_codec *priv;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;

	priv->dev = &pdev->dev;
	INIT_DELAYED_WORK(&priv->register_work,
			  soc_test_dt_late_codec_register);
	platform_set_drvdata(pdev, priv);

	schedule_delayed_work(&priv->register_work, msecs_to_jiffies(delay_ms));

	return 0;
}

static void soc_test_dt_late_codec_teardown(struct platform_device *pdev)
{
	struct soc_test_dt_late_codec *priv = platform_get_drvdata(pdev);

	/* After this the work has either run to completion or never will. */
	cancel_delayed_work_sync(&priv->register_work);

	if (priv->registered)
		snd_soc_unregister_component(&pdev->dev);
}

/* .remove returns void from 6.11 on, int before (see Kbuild) */
#ifdef SOC_TEST_REMOVE_VOID
#define soc_test_dt_late_codec_remove soc_test_dt_late_codec_teardown
#else
static int soc_test_dt_late_codec_remove(struct platform_device *pdev)
{
	soc_test_dt_late_codec_teardown(pdev);
	return 0;
}
#endif

static const struct of_device_id soc_test_dt_late_codec_of_match[] = {
	{ .compatible = "asoc-test,late-codec", },
	{ }
};
MODULE_DEVICE_TABLE(of, soc_test_dt_late_codec_of_match);

static struct platform_driver soc_test_dt_late_codec_driver = {
	.driver		= {
		.name		= DRV_NAME,
		.of_match_table	= soc_test_dt_late_codec_of_match,
	},
	.probe		= soc_test_dt_late_codec_probe,
	.remove		= soc_test_dt_late_codec_remove,
};
module_platform_driver(soc_test_dt_late_codec_driver);

MODULE_DESCRIPTION("ASoC test codec from the device tree, registering its component from a work item");
MODULE_LICENSE("GPL");
