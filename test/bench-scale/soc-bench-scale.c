// SPDX-License-Identifier: GPL-2.0
//
// ASoC pending cards: how the cost of a component registration grows with
// the number of cards waiting
//
// On load: cards=N cards, card i linking its own CPU component (on
// soc-bench-dev.(2i + 2)) to its own codec "soc-bench-dev.(2i + 3)", set up
// so that N cards wait, each for one codec:
//   deferrable (lost=0, our kernels and stock 7.3, where the deferrable
//               API is an alias and the cards park): deferrable cards
//               whose codecs are not registered;
//   lost (lost=1, stock and ours): legacy cards that bound, then lost their
//               codec. Stock keeps them on its rebind list and retries every
//               one of them on every component registration, as mainline
//               does with its deferrable cards: the peer to compare with.
// Then, with ktime, outside any probe (so a completing registration binds
// its card before it returns):
//   unrelated   snd_soc_register_component() of a component no card waits
//               for, reps times (registered and unregistered again)
//   completing  the registration of each card's codec, in a random order,
//               which binds that card; the codec is unregistered again
//               (untimed), so that N cards wait at every measurement and the
//               bound card frees its ALSA card slot (ALSA has at most
//               CONFIG_SND_MAX_CARDS cards, 256 at most: 1,000 cards cannot
//               be bound at once); completing=K stops after K codecs
// and prints one line "soc-bench-scale: mode=M cards=N reps=R unrelated_ns=MEDIAN
// unrelated_max_ns=MAX completing_ns=MEDIAN completing_max_ns=MAX
// all_ms=SUM bound=B": all_ms is the sum of the completing registrations,
// B the cards bound by their codec's registration. Everything is taken down
// again before the module's init returns.

#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <sound/soc.h>

#define DRV_NAME "soc-bench-scale"

static unsigned int cards = 100;
module_param(cards, uint, 0444);
MODULE_PARM_DESC(cards, "Cards waiting, each for its own codec (default: 100)");

static unsigned int reps = 50;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "Timed registrations of each kind (default: 50)");

struct soc_bench {
	struct platform_device *unrelated_dev;
	struct platform_device **cpu_devs;
	struct platform_device **card_devs;
	struct platform_device **codec_devs;
	bool *cpu_registered;
	u64 *ns;
};

static bool lost;
module_param(lost, bool, 0444);
MODULE_PARM_DESC(lost, "Cards that bound and lost their codec, instead of deferrable cards");

static unsigned int completing = UINT_MAX;
module_param(completing, uint, 0444);
MODULE_PARM_DESC(completing, "Completing registrations to measure (default: all)");

static struct soc_bench bench;

static const struct snd_soc_component_driver soc_bench_cpu_drv = {
	.name = "soc-bench-cpu",
};

static const struct snd_soc_component_driver soc_bench_codec_drv = {
	.name = "soc-bench-codec",
};

static struct snd_soc_dai_driver soc_bench_cpu_dai = {
	.name = "soc-bench-cpu-dai",
	.playback = {
		.channels_min = 2, .channels_max = 2,
		.rates = SNDRV_PCM_RATE_48000,
		.formats = SNDRV_PCM_FMTBIT_S16_LE,
	},
};

static struct snd_soc_dai_driver soc_bench_codec_dai = {
	.name = "soc-bench-codec-dai",
	.playback = {
		.channels_min = 2, .channels_max = 2,
		.rates = SNDRV_PCM_RATE_48000,
		.formats = SNDRV_PCM_FMTBIT_S16_LE,
	},
};

/* Devices that components register on need a bound driver: this one. */
static int soc_bench_dev_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver soc_bench_dev_driver = {
	.driver = { .name = "soc-bench-dev" },
	.probe = soc_bench_dev_probe,
};

/* Card i: soc-bench-dev.(2i + 2)'s CPU DAI to soc-bench-dev.(2i + 3)'s. */
static int soc_bench_card_probe(struct platform_device *pdev)
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

	comps[0].name = devm_kasprintf(dev, GFP_KERNEL, "soc-bench-dev.%d",
				       2 * pdev->id + 2);
	comps[0].dai_name = "soc-bench-cpu-dai";
	comps[1].name = devm_kasprintf(dev, GFP_KERNEL, "soc-bench-dev.%d",
				       2 * pdev->id + 3);
	comps[1].dai_name = "soc-bench-codec-dai";
	if (!comps[0].name || !comps[1].name)
		return -ENOMEM;

	link->name = "bench";
	link->stream_name = "bench";
	link->cpus = &comps[0];
	link->num_cpus = 1;
	link->codecs = &comps[1];
	link->num_codecs = 1;
	link->no_pcm = 1;

	card->name = devm_kasprintf(dev, GFP_KERNEL, "bench%d", pdev->id);
	if (!card->name)
		return -ENOMEM;
	card->owner = THIS_MODULE;
	card->dev = dev;
	card->dai_link = link;
	card->num_links = 1;

#ifdef HAVE_DEFERRABLE_CARD
	if (!lost)
		return devm_snd_soc_register_deferrable_card(dev, card);
#endif
	return devm_snd_soc_register_card(dev, card);
}

static struct platform_driver soc_bench_card_driver = {
	.driver = { .name = "soc-bench-card" },
	.probe = soc_bench_card_probe,
};

static int soc_bench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median and maximum of the first n samples (sorts them). */
static void soc_bench_stats(u64 *ns, unsigned int n, u64 *median, u64 *max)
{
	sort(ns, n, sizeof(*ns), soc_bench_cmp, NULL);
	*median = n ? ns[n / 2] : 0;
	*max = n ? ns[n - 1] : 0;
}

static void soc_bench_cleanup(void)
{
	unsigned int i;

	for (i = 0; i < cards; i++) {
		if (bench.card_devs && !IS_ERR_OR_NULL(bench.card_devs[i]))
			platform_device_unregister(bench.card_devs[i]);
	}
	for (i = 0; i < cards; i++) {
		if (bench.cpu_registered && bench.cpu_registered[i])
			snd_soc_unregister_component(&bench.cpu_devs[i]->dev);
		if (bench.cpu_devs && !IS_ERR_OR_NULL(bench.cpu_devs[i]))
			platform_device_unregister(bench.cpu_devs[i]);
		if (bench.codec_devs && !IS_ERR_OR_NULL(bench.codec_devs[i]))
			platform_device_unregister(bench.codec_devs[i]);
	}
	if (!IS_ERR_OR_NULL(bench.unrelated_dev))
		platform_device_unregister(bench.unrelated_dev);
	kfree(bench.cpu_devs);
	kfree(bench.card_devs);
	kfree(bench.codec_devs);
	kfree(bench.cpu_registered);
	kfree(bench.ns);
	platform_driver_unregister(&soc_bench_card_driver);
	platform_driver_unregister(&soc_bench_dev_driver);
}

static bool soc_bench_bound(unsigned int i)
{
	struct snd_soc_card *card = platform_get_drvdata(bench.card_devs[i]);

	return card && card->instantiated;
}

static int soc_bench_run(void)
{
	u64 un_med, un_max, co_med, co_max, all_ns = 0;
	unsigned int i, n, bound = 0;
	unsigned int *order;
	ktime_t t0;
	u64 ns;
	int ret;

	/* unrelated: a component no card waits for */
	for (i = 0; i < reps; i++) {
		t0 = ktime_get();
		ret = snd_soc_register_component(&bench.unrelated_dev->dev,
						 &soc_bench_codec_drv,
						 &soc_bench_codec_dai, 1);
		bench.ns[i] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		if (ret)
			return ret;
		snd_soc_unregister_component(&bench.unrelated_dev->dev);
	}
	soc_bench_stats(bench.ns, reps, &un_med, &un_max);

	/* completing: every card's codec, in a random order */
	order = kmalloc_array(max(cards, 1U), sizeof(*order), GFP_KERNEL);
	if (!order)
		return -ENOMEM;
	for (i = 0; i < cards; i++)
		order[i] = i;
	for (i = cards; i > 1; i--)
		swap(order[i - 1], order[get_random_u32_below(i)]);
	n = 0;
	for (i = 0; i < min(cards, completing); i++) {
		struct device *dev = &bench.codec_devs[order[i]]->dev;

		t0 = ktime_get();
		ret = snd_soc_register_component(dev, &soc_bench_codec_drv,
						 &soc_bench_codec_dai, 1);
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		if (ret)
			break;
		all_ns += ns;
		if (n < reps)
			bench.ns[n++] = ns;
		if (soc_bench_bound(order[i]))
			bound++;
		/* the card waits again, and frees its ALSA slot */
		snd_soc_unregister_component(dev);
	}
	kfree(order);
	if (ret)
		return ret;
	soc_bench_stats(bench.ns, n, &co_med, &co_max);

	pr_info("%s: mode=%s cards=%u reps=%u unrelated_ns=%llu unrelated_max_ns=%llu completing_ns=%llu completing_max_ns=%llu all_ms=%llu bound=%u\n",
		DRV_NAME, lost ? "lost" : "deferrable", cards, reps, un_med,
		un_max, co_med, co_max,
		div_u64(all_ns, NSEC_PER_MSEC), bound);

	return 0;
}

static int __init soc_bench_init(void)
{
	unsigned int i;
	int ret;

	if (!reps)
		return -EINVAL;
#ifndef HAVE_DEFERRABLE_CARD
	if (!lost)
		return -EOPNOTSUPP;
#endif

	ret = platform_driver_register(&soc_bench_dev_driver);
	if (ret)
		return ret;
	ret = platform_driver_register(&soc_bench_card_driver);
	if (ret) {
		platform_driver_unregister(&soc_bench_dev_driver);
		return ret;
	}

	ret = -ENOMEM;
	bench.cpu_devs = kcalloc(cards, sizeof(*bench.cpu_devs), GFP_KERNEL);
	bench.card_devs = kcalloc(cards, sizeof(*bench.card_devs), GFP_KERNEL);
	bench.codec_devs = kcalloc(cards, sizeof(*bench.codec_devs), GFP_KERNEL);
	bench.cpu_registered = kcalloc(cards, sizeof(bool), GFP_KERNEL);
	bench.ns = kcalloc(reps, sizeof(*bench.ns), GFP_KERNEL);
	if ((cards && (!bench.cpu_devs || !bench.card_devs ||
		       !bench.codec_devs || !bench.cpu_registered)) || !bench.ns)
		goto cleanup;

	bench.unrelated_dev = platform_device_register_simple("soc-bench-dev",
							      1, NULL, 0);
	if (IS_ERR(bench.unrelated_dev)) {
		ret = PTR_ERR(bench.unrelated_dev);
		goto cleanup;
	}

	for (i = 0; i < cards; i++) {
		bench.cpu_devs[i] =
			platform_device_register_simple("soc-bench-dev",
							2 * i + 2, NULL, 0);
		bench.codec_devs[i] =
			platform_device_register_simple("soc-bench-dev",
							2 * i + 3, NULL, 0);
		if (IS_ERR(bench.cpu_devs[i]) || IS_ERR(bench.codec_devs[i])) {
			ret = -ENODEV;
			goto cleanup;
		}
		ret = snd_soc_register_component(&bench.cpu_devs[i]->dev,
						 &soc_bench_cpu_drv,
						 &soc_bench_cpu_dai, 1);
		if (ret)
			goto cleanup;
		bench.cpu_registered[i] = true;
		if (lost) {
			ret = snd_soc_register_component(&bench.codec_devs[i]->dev,
							 &soc_bench_codec_drv,
							 &soc_bench_codec_dai, 1);
			if (ret)
				goto cleanup;
		}
		bench.card_devs[i] =
			platform_device_register_simple("soc-bench-card", i,
							NULL, 0);
		if (IS_ERR(bench.card_devs[i])) {
			ret = PTR_ERR(bench.card_devs[i]);
			goto cleanup;
		}
		if (lost) {
			/* bound in its probe; now it loses its codec */
			ret = soc_bench_bound(i) ? 0 : -ENODEV;
			snd_soc_unregister_component(&bench.codec_devs[i]->dev);
			if (ret)
				goto cleanup;
		}
	}

	/*
	 * Measure and tear down at once: a bound card holds a reference on
	 * the module of its components' driver, this one, which could not be
	 * removed while the cards stay.
	 */
	ret = soc_bench_run();

cleanup:
	soc_bench_cleanup();
	return ret;
}
module_init(soc_bench_init);

static void __exit soc_bench_exit(void)
{
}
module_exit(soc_bench_exit);

MODULE_DESCRIPTION("ASoC pending cards: registration cost against cards waiting");
MODULE_LICENSE("GPL");
