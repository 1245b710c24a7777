// SPDX-License-Identifier: GPL-2.0
//
// ASoC: component registrations racing against cards waiting for a rebind
//
// cards=N legacy cards, card i linking the CPU DAI of soc-race-dev.(2i) to
// the codec DAI of soc-race-dev.(2i + 1), bind at load. Then, rounds=R
// times: every codec is unregistered, so that every card is unbound and
// waits to be bound again (stock 6.1 keeps such cards on unbind_card_list),
// and two threads run at once: one registers the codecs again, each of
// which completes its card; the other registers and unregisters a
// component no card uses, as fast as it can. On 6.1 before the fix, every
// snd_soc_add_component() walked unbind_card_list after dropping
// client_mutex, so the two threads bind the same card and delete it from
// the list twice. Counted per card with the cards' late_probe, after every
// round: each round must bind each card exactly once (a card missed and
// another bound twice do not cancel out). Prints "soc-test-rebind-race:
// cards=N rounds=R binds=B expected=E bound=K first_bad=..." (K cards bound
// at the end; first_bad "none", or the first round and card whose count
// was wrong) and fails the load on any mismatch; list corruption and
// lockdep reports show in the kernel log.

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <sound/soc.h>

#define DRV_NAME "soc-test-rebind-race"

static unsigned int cards = 4;
module_param(cards, uint, 0444);
MODULE_PARM_DESC(cards, "Cards waiting for a rebind in every round (default: 4)");

static unsigned int rounds = 200;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Rounds (default: 200)");

struct soc_race {
	struct platform_device **comp_devs;
	struct platform_device **card_devs;
	struct platform_device *noise_dev;
	bool *codec_registered;
	atomic_t *card_binds;	/* late_probe calls, per card */
	atomic_t binds;
	bool stop;
};

static struct soc_race race;

static struct snd_soc_dai_driver soc_race_dais[] = {
	{
		.name = "race-cpu-dai",
		.playback = {
			.channels_min = 2, .channels_max = 2,
			.rates = SNDRV_PCM_RATE_48000,
			.formats = SNDRV_PCM_FMTBIT_S16_LE,
		},
	}, {
		.name = "race-codec-dai",
		.playback = {
			.channels_min = 2, .channels_max = 2,
			.rates = SNDRV_PCM_RATE_48000,
			.formats = SNDRV_PCM_FMTBIT_S16_LE,
		},
	}, {
		.name = "race-noise-dai",
	},
};

static const struct snd_soc_component_driver soc_race_comp_drv = {
	.name = "soc-race-comp",
};

static int soc_race_dev_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver soc_race_dev_driver = {
	.driver = { .name = "soc-race-dev" },
	.probe = soc_race_dev_probe,
};

static int soc_race_late_probe(struct snd_soc_card *card)
{
	unsigned long i = (unsigned long)snd_soc_card_get_drvdata(card);

	atomic_inc(&race.card_binds[i]);
	atomic_inc(&race.binds);
	return 0;
}

static int soc_race_card_probe(struct platform_device *pdev)
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

	comps[0].name = devm_kasprintf(dev, GFP_KERNEL, "soc-race-dev.%d",
				       2 * pdev->id);
	comps[0].dai_name = "race-cpu-dai";
	comps[1].name = devm_kasprintf(dev, GFP_KERNEL, "soc-race-dev.%d",
				       2 * pdev->id + 1);
	comps[1].dai_name = "race-codec-dai";
	card->name = devm_kasprintf(dev, GFP_KERNEL, "race%d", pdev->id);
	if (!comps[0].name || !comps[1].name || !card->name)
		return -ENOMEM;

	link->name = "race";
	link->stream_name = "race";
	link->cpus = &comps[0];
	link->num_cpus = 1;
	link->codecs = &comps[1];
	link->num_codecs = 1;
	link->no_pcm = 1;

	card->owner = THIS_MODULE;
	card->dev = dev;
	card->dai_link = link;
	card->num_links = 1;
	card->late_probe = soc_race_late_probe;
	snd_soc_card_set_drvdata(card, (void *)(unsigned long)pdev->id);

	return devm_snd_soc_register_card(dev, card);
}

static struct platform_driver soc_race_card_driver = {
	.driver = { .name = "soc-race-card" },
	.probe = soc_race_card_probe,
};

static int soc_race_codec_add(unsigned int i)
{
	int ret;

	ret = snd_soc_register_component(&race.comp_devs[2 * i + 1]->dev,
					 &soc_race_comp_drv, &soc_race_dais[1],
					 1);
	race.codec_registered[i] = !ret;
	return ret;
}

static void soc_race_codec_del(unsigned int i)
{
	if (race.codec_registered[i])
		snd_soc_unregister_component(&race.comp_devs[2 * i + 1]->dev);
	race.codec_registered[i] = false;
}

/* The other registering thread: a component no card uses, on and off. */
static int soc_race_noise_fn(void *data)
{
	struct completion *done = data;

	while (!READ_ONCE(race.stop)) {
		if (!snd_soc_register_component(&race.noise_dev->dev,
						&soc_race_comp_drv,
						&soc_race_dais[2], 1))
			snd_soc_unregister_component(&race.noise_dev->dev);
		cond_resched();
	}
	complete(done);
	return 0;
}

/*
 * After round @r every card must have been bound exactly @r + 2 times (once
 * at load, once per round so far). A bind runs in the registering thread;
 * allow up to 2 s for a queued one, then compare card by card.
 */
static int soc_race_check_round(unsigned int r, char *bad, size_t len)
{
	unsigned int i, t, want = r + 2;
	bool short_of;

	for (t = 0; t < 100; t++) {
		short_of = false;
		for (i = 0; i < cards; i++)
			if (atomic_read(&race.card_binds[i]) < want)
				short_of = true;
		if (!short_of)
			break;
		msleep(20);
	}
	for (i = 0; i < cards; i++) {
		if (atomic_read(&race.card_binds[i]) != want) {
			snprintf(bad, len, "round%u:race%u:binds=%d:want=%u", r, i,
				 atomic_read(&race.card_binds[i]), want);
			return -EIO;
		}
	}

	return 0;
}

static int soc_race_run(void)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct task_struct *noise;
	unsigned int r, i, expected = 0;
	char bad[64] = "none";
	int ret = 0, bound;

	for (r = 0; r < rounds && !ret; r++) {
		for (i = 0; i < cards; i++)
			soc_race_codec_del(i);

		reinit_completion(&done);
		WRITE_ONCE(race.stop, false);
		noise = kthread_run(soc_race_noise_fn, &done, "soc-race-noise");
		if (IS_ERR(noise))
			return PTR_ERR(noise);
		for (i = 0; i < cards && !ret; i++)
			ret = soc_race_codec_add(i);
		WRITE_ONCE(race.stop, true);
		wait_for_completion(&done);
		expected += cards;
		if (!ret)
			ret = soc_race_check_round(r, bad, sizeof(bad));
	}

	bound = 0;
	for (i = 0; i < cards; i++) {
		struct snd_soc_card *card = platform_get_drvdata(race.card_devs[i]);

		if (card && card->instantiated)
			bound++;
	}
	pr_info("%s: cards=%u rounds=%u binds=%d expected=%u bound=%d first_bad=%s\n",
		DRV_NAME, cards, r, atomic_read(&race.binds) - cards, expected,
		bound, bad);
	if (ret)
		return ret;

	return atomic_read(&race.binds) - cards == expected &&
	       bound == cards ? 0 : -EIO;
}

static void soc_race_cleanup(void)
{
	unsigned int i;

	for (i = 0; race.card_devs && i < cards; i++)
		if (!IS_ERR_OR_NULL(race.card_devs[i]))
			platform_device_unregister(race.card_devs[i]);
	for (i = 0; race.codec_registered && i < cards; i++) {
		soc_race_codec_del(i);
		if (race.comp_devs && !IS_ERR_OR_NULL(race.comp_devs[2 * i]))
			snd_soc_unregister_component(&race.comp_devs[2 * i]->dev);
	}
	for (i = 0; race.comp_devs && i < 2 * cards; i++)
		if (!IS_ERR_OR_NULL(race.comp_devs[i]))
			platform_device_unregister(race.comp_devs[i]);
	if (!IS_ERR_OR_NULL(race.noise_dev))
		platform_device_unregister(race.noise_dev);
	kfree(race.comp_devs);
	kfree(race.card_devs);
	kfree(race.codec_registered);
	kfree(race.card_binds);
	platform_driver_unregister(&soc_race_card_driver);
	platform_driver_unregister(&soc_race_dev_driver);
}

static int __init soc_race_init(void)
{
	unsigned int i;
	int ret;

	if (!cards)
		return -EINVAL;

	ret = platform_driver_register(&soc_race_dev_driver);
	if (ret)
		return ret;
	ret = platform_driver_register(&soc_race_card_driver);
	if (ret) {
		platform_driver_unregister(&soc_race_dev_driver);
		return ret;
	}

	ret = -ENOMEM;
	race.comp_devs = kcalloc(2 * cards, sizeof(*race.comp_devs), GFP_KERNEL);
	race.card_devs = kcalloc(cards, sizeof(*race.card_devs), GFP_KERNEL);
	race.codec_registered = kcalloc(cards, sizeof(bool), GFP_KERNEL);
	race.card_binds = kcalloc(cards, sizeof(*race.card_binds), GFP_KERNEL);
	if (!race.comp_devs || !race.card_devs || !race.codec_registered ||
	    !race.card_binds)
		goto cleanup;

	race.noise_dev = platform_device_register_simple("soc-race-dev",
							 2 * cards, NULL, 0);
	if (IS_ERR(race.noise_dev)) {
		ret = PTR_ERR(race.noise_dev);
		goto cleanup;
	}
	for (i = 0; i < 2 * cards; i++) {
		race.comp_devs[i] = platform_device_register_simple("soc-race-dev",
								    i, NULL, 0);
		if (IS_ERR(race.comp_devs[i])) {
			ret = PTR_ERR(race.comp_devs[i]);
			goto cleanup;
		}
	}
	for (i = 0; i < cards; i++) {
		ret = snd_soc_register_component(&race.comp_devs[2 * i]->dev,
						 &soc_race_comp_drv,
						 &soc_race_dais[0], 1);
		if (ret)
			goto cleanup;
		ret = soc_race_codec_add(i);
		if (ret)
			goto cleanup;
		race.card_devs[i] = platform_device_register_simple("soc-race-card",
								    i, NULL, 0);
		if (IS_ERR(race.card_devs[i])) {
			ret = PTR_ERR(race.card_devs[i]);
			goto cleanup;
		}
	}
	ret = atomic_read(&race.binds) == cards ? soc_race_run() : -ENODEV;

	/* a bound card holds a reference on this module: tear down now */
cleanup:
	soc_race_cleanup();
	return ret;
}
module_init(soc_race_init);

static void __exit soc_race_exit(void)
{
}
module_exit(soc_race_exit);

MODULE_DESCRIPTION("ASoC: component registrations racing against cards waiting for a rebind");
MODULE_LICENSE("GPL");
