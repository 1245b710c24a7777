// SPDX-License-Identifier: GPL-2.0
//
// ASoC pending cards: a deferred probe storm, as at boot
//
// On load, in this order, as a board's devices appear at boot:
//   1. machines=M machine devices (soc-bench-storm-card.i), whose cards
//      link the CPU DAI of soc-bench-storm-comp.(2i) to the codec DAI of
//      soc-bench-storm-comp.(2i + 1); none is registered, so every card
//      waits: a legacy card's probe defers, a deferrable card (deferrable=1,
//      our kernels only) stays registered and pending;
//   2. noise=N unrelated platform devices, each bound by a driver that does
//      nothing: every bind makes the driver core retry every deferred device;
//   3. the 2M component devices, whose probes register the components.
// Then it waits until every card is bound (at most 30 s) and prints one line
// "soc-bench-storm: card=legacy|deferrable machines=M noise=N
// probe_calls=P probe_us=T total_ms=X bound=B": P calls of the machine
// driver's probe, T microseconds spent in them, X from step 1 to the last
// bind, B binds (late_probe calls: B > M is a card bound twice).
// Everything is taken down again before the module's init returns.

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <sound/soc.h>

#define DRV_NAME "soc-bench-storm"

static unsigned int machines = 20;
module_param(machines, uint, 0444);
MODULE_PARM_DESC(machines, "Machine devices whose cards wait (default: 20)");

static unsigned int noise = 200;
module_param(noise, uint, 0444);
MODULE_PARM_DESC(noise, "Unrelated platform devices bound meanwhile (default: 200)");

static bool deferrable;
module_param(deferrable, bool, 0444);
MODULE_PARM_DESC(deferrable, "Register deferrable cards (our kernels only)");

struct soc_storm {
	struct platform_device **card_devs;
	struct platform_device **noise_devs;
	struct platform_device **comp_devs;
	atomic_t probe_calls;
	atomic64_t probe_ns;
	atomic_t binds;
};

static struct soc_storm storm;

static struct snd_soc_dai_driver soc_storm_dais[] = {
	{
		.name = "storm-cpu-dai",
		.playback = {
			.channels_min = 2, .channels_max = 2,
			.rates = SNDRV_PCM_RATE_48000,
			.formats = SNDRV_PCM_FMTBIT_S16_LE,
		},
	}, {
		.name = "storm-codec-dai",
		.playback = {
			.channels_min = 2, .channels_max = 2,
			.rates = SNDRV_PCM_RATE_48000,
			.formats = SNDRV_PCM_FMTBIT_S16_LE,
		},
	},
};

static const struct snd_soc_component_driver soc_storm_comp_drv = {
	.name = "soc-bench-storm-comp",
};

/* Component device 2i carries card i's CPU DAI, 2i + 1 its codec DAI. */
static int soc_storm_comp_probe(struct platform_device *pdev)
{
	return devm_snd_soc_register_component(&pdev->dev, &soc_storm_comp_drv,
					       &soc_storm_dais[pdev->id % 2], 1);
}

static struct platform_driver soc_storm_comp_driver = {
	.driver = { .name = "soc-bench-storm-comp" },
	.probe = soc_storm_comp_probe,
};

static int soc_storm_noise_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver soc_storm_noise_driver = {
	.driver = { .name = "soc-bench-storm-noise" },
	.probe = soc_storm_noise_probe,
};

/* Counts binds: a card probes its components, then runs this, once a bind. */
static int soc_storm_late_probe(struct snd_soc_card *card)
{
	atomic_inc(&storm.binds);
	return 0;
}

static int soc_storm_card_register(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct snd_soc_dai_link_component *comps;
	struct snd_soc_dai_link *link;
	struct snd_soc_card *card;

	card = devm_kzalloc(dev, sizeof(*card), GFP_KERNEL);
	link = devm_kzalloc(dev, sizeof(*link), GFP_KERNEL);
	comps = devm_kcalloc(dev, 2, sizeof(*comps), GFP_KERNEL);
	if (!card || !link || !comps)
		return -ENOMEM;

	comps[0].name = devm_kasprintf(dev, GFP_KERNEL, "soc-bench-storm-comp.%d",
				       2 * pdev->id);
	comps[0].dai_name = "storm-cpu-dai";
	comps[1].name = devm_kasprintf(dev, GFP_KERNEL, "soc-bench-storm-comp.%d",
				       2 * pdev->id + 1);
	comps[1].dai_name = "storm-codec-dai";
	card->name = devm_kasprintf(dev, GFP_KERNEL, "storm%d", pdev->id);
	if (!comps[0].name || !comps[1].name || !card->name)
		return -ENOMEM;

	link->name = "storm";
	link->stream_name = "storm";
	link->cpus = &comps[0];
	link->num_cpus = 1;
	link->codecs = &comps[1];
	link->num_codecs = 1;
	link->no_pcm = 1;

	card->owner = THIS_MODULE;
	card->dev = dev;
	card->dai_link = link;
	card->num_links = 1;
	card->late_probe = soc_storm_late_probe;

#ifdef HAVE_DEFERRABLE_CARD
	if (deferrable)
		return devm_snd_soc_register_deferrable_card(dev, card);
#endif
	return devm_snd_soc_register_card(dev, card);
}

static int soc_storm_card_probe(struct platform_device *pdev)
{
	ktime_t t0 = ktime_get();
	int ret;

	ret = soc_storm_card_register(pdev);
	atomic_inc(&storm.probe_calls);
	atomic64_add(ktime_to_ns(ktime_sub(ktime_get(), t0)), &storm.probe_ns);

	return ret;
}

static struct platform_driver soc_storm_card_driver = {
	.driver = { .name = "soc-bench-storm-card" },
	.probe = soc_storm_card_probe,
};

static struct platform_driver * const soc_storm_drivers[] = {
	&soc_storm_comp_driver,
	&soc_storm_noise_driver,
	&soc_storm_card_driver,
};

static void soc_storm_unregister(struct platform_device **devs, unsigned int n)
{
	unsigned int i;

	for (i = 0; devs && i < n; i++)
		if (!IS_ERR_OR_NULL(devs[i]))
			platform_device_unregister(devs[i]);
	kfree(devs);
}

/* Register n devices of @name; on error the caller unregisters them. */
static int soc_storm_register(struct platform_device ***devs, const char *name,
			      unsigned int n)
{
	unsigned int i;

	*devs = kcalloc(max(n, 1U), sizeof(**devs), GFP_KERNEL);
	if (!*devs)
		return -ENOMEM;

	for (i = 0; i < n; i++) {
		(*devs)[i] = platform_device_register_simple(name, i, NULL, 0);
		if (IS_ERR((*devs)[i]))
			return PTR_ERR((*devs)[i]);
	}

	return 0;
}

static int __init soc_storm_init(void)
{
	ktime_t t0, t1;
	int bound;
	int ret;

#ifndef HAVE_DEFERRABLE_CARD
	if (deferrable)
		return -EOPNOTSUPP;
#endif
	if (!machines)
		return -EINVAL;

	ret = platform_register_drivers(soc_storm_drivers,
					ARRAY_SIZE(soc_storm_drivers));
	if (ret)
		return ret;

	t0 = ktime_get();
	ret = soc_storm_register(&storm.card_devs, "soc-bench-storm-card",
				 machines);
	if (ret)
		goto unregister_devices;
	ret = soc_storm_register(&storm.noise_devs, "soc-bench-storm-noise",
				 noise);
	if (ret)
		goto unregister_devices;
	ret = soc_storm_register(&storm.comp_devs, "soc-bench-storm-comp",
				 2 * machines);
	if (ret)
		goto unregister_devices;

	t1 = ktime_add_ms(t0, 30 * MSEC_PER_SEC);
	while ((bound = atomic_read(&storm.binds)) < machines &&
	       ktime_before(ktime_get(), t1))
		usleep_range(1000, 2000);
	t1 = ktime_get();

	pr_info("%s: card=%s machines=%u noise=%u probe_calls=%d probe_us=%lld total_ms=%lld bound=%d\n",
		DRV_NAME, deferrable ? "deferrable" : "legacy", machines, noise,
		atomic_read(&storm.probe_calls),
		div_s64(atomic64_read(&storm.probe_ns), NSEC_PER_USEC),
		ktime_ms_delta(t1, t0), bound);

	/*
	 * Tear down at once: a bound card holds a reference on this module,
	 * its components' driver, which could not be removed while they stay.
	 */
unregister_devices:
	soc_storm_unregister(storm.card_devs, machines);
	soc_storm_unregister(storm.comp_devs, 2 * machines);
	soc_storm_unregister(storm.noise_devs, noise);
	platform_unregister_drivers(soc_storm_drivers,
				    ARRAY_SIZE(soc_storm_drivers));
	return ret;
}
module_init(soc_storm_init);

static void __exit soc_storm_exit(void)
{
}
module_exit(soc_storm_exit);

MODULE_DESCRIPTION("ASoC pending cards: a deferred probe storm, as at boot");
MODULE_LICENSE("GPL");
