// SPDX-License-Identifier: GPL-2.0
//
// KUnit tests for ASoC cards waiting for their components
//
// Every case works through the public ASoC API only: cards and components
// are registered on fake root devices, and binds are counted with the
// card's own callbacks. card->probe runs once per bind attempt that found
// all its components, card->late_probe once per completed bind and
// card->remove once per unbind, so "bound exactly once" is
// probes == late_probes == 1.

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <sound/soc.h>

#include "soc-pending.h"

/* Read at the start of the concurrent case: see pend_stress_read_params() */
static unsigned int stress_rounds = 2000;
module_param(stress_rounds, uint, 0444);
MODULE_PARM_DESC(stress_rounds,
		 "Rounds of the concurrent registration case (default 2000)");

static unsigned int stress_seconds = 30;
module_param(stress_seconds, uint, 0444);
MODULE_PARM_DESC(stress_seconds,
		 "Stop the concurrent case after this many seconds, 0 for never (default 30)");

static ulong stress_seed;
module_param(stress_seed, ulong, 0444);
MODULE_PARM_DESC(stress_seed,
		 "Seed of the concurrent case, 0 for a random one (logged)");

/* ===== FIXTURE =========================================================== */

#define PEND_COMPS	4	/* component devices of a case */
#define PEND_CARDS	2	/* card devices of a case */
#define PEND_LINKS	2	/* DAI links of a card, at most */

static const char * const pend_comp_names[PEND_COMPS] = {
	"pend-comp0", "pend-comp1", "pend-comp2", "pend-comp3",
};

static const char * const pend_card_dev_names[PEND_CARDS] = {
	"pend-card0", "pend-card1",
};

static const char * const pend_link_names[PEND_LINKS] = {
	"pend-link0", "pend-link1",
};

/*
 * snd_soc_register_component() names a component after its device with
 * fmt_single_name(), which reads dev->driver->name: component devices get
 * a minimal driver, as in soc-topology-test.c. Card devices get none: a
 * legacy card's device is re-probed with device_attach(), which must find
 * nothing to bind on a root device.
 */
static struct device_driver pend_test_drv = {
	.name = "snd-soc-pending-test",
};

enum pend_api {
	PEND_API_LEGACY,	/* snd_soc_register_card() */
	PEND_API_DEFERRABLE,	/* snd_soc_register_deferrable_card() */
	PEND_API_DEVM,		/* devm_snd_soc_register_deferrable_card() */
};

static const char * const pend_api_names[] = {
	[PEND_API_LEGACY] = "legacy",
	[PEND_API_DEFERRABLE] = "deferrable",
	[PEND_API_DEVM] = "devm-deferrable",
};

struct pend_card {
	struct snd_soc_card card;
	struct snd_soc_dai_link links[PEND_LINKS];
	struct snd_soc_dai_link_component cpus[PEND_LINKS];
	struct snd_soc_dai_link_component codecs[PEND_LINKS];
	struct snd_soc_dai_link_component platform;
	struct snd_soc_aux_dev aux;
	bool registered;
	bool was_registered;	/* is_pending() has something to look at */
	void *devres_group;	/* devm registration: released to unregister */
	atomic_t probes;	/* card->probe calls */
	atomic_t late_probes;	/* card->late_probe calls */
	atomic_t removes;	/* card->remove calls */
	atomic_t bound;		/* 1 from probe to remove */
	atomic_t misorders;	/* probe while bound, remove while not */
};

struct pend_stress;

struct pend_ctx {
	struct device *comp_dev[PEND_COMPS];
	struct device *card_dev[PEND_CARDS];
	struct pend_card *cards[PEND_CARDS];
	unsigned int base;	/* snd_soc_pending_count() before the case */
	int probe_err;		/* what pend_fail_probe() returns */
	struct pend_stress *stress;
};

static struct pend_card *to_pend_card(struct snd_soc_card *card)
{
	return container_of(card, struct pend_card, card);
}

static int pend_card_probe(struct snd_soc_card *card)
{
	struct pend_card *pc = to_pend_card(card);

	if (atomic_inc_return(&pc->bound) != 1)
		atomic_inc(&pc->misorders);
	atomic_inc(&pc->probes);

	return 0;
}

static int pend_card_late_probe(struct snd_soc_card *card)
{
	atomic_inc(&to_pend_card(card)->late_probes);

	return 0;
}

static int pend_card_remove(struct snd_soc_card *card)
{
	struct pend_card *pc = to_pend_card(card);

	if (atomic_dec_return(&pc->bound) != 0)
		atomic_inc(&pc->misorders);
	atomic_inc(&pc->removes);

	return 0;
}

static void pend_dlc_set(struct snd_soc_dai_link_component *dlc,
			 const char *name, const char *dai_name)
{
	dlc->name = name;
	dlc->of_node = NULL;
	dlc->dai_name = dai_name;
}

/* A card of @num_links links, each a CPU DAI to be set and the dummy codec */
static void pend_card_init(struct pend_card *pc, struct device *dev,
			   const char *name, unsigned int num_links)
{
	unsigned int i;

	pc->card.name = name;
	pc->card.owner = THIS_MODULE;
	pc->card.dev = dev;
	pc->card.probe = pend_card_probe;
	pc->card.late_probe = pend_card_late_probe;
	pc->card.remove = pend_card_remove;
	pc->card.dai_link = pc->links;
	pc->card.num_links = num_links;

	for (i = 0; i < num_links; i++) {
		struct snd_soc_dai_link *link = &pc->links[i];

		link->name = pend_link_names[i];
		link->stream_name = pend_link_names[i];
		link->cpus = &pc->cpus[i];
		link->num_cpus = 1;
		link->codecs = &pc->codecs[i];
		link->num_codecs = 1;
		pend_dlc_set(&pc->codecs[i], "snd-soc-dummy", "snd-soc-dummy-dai");
	}
}

static struct pend_card *pend_card_new(struct kunit *test, unsigned int idx,
				       const char *name, unsigned int num_links)
{
	struct pend_ctx *ctx = test->priv;
	struct pend_card *pc;

	pc = kunit_kzalloc(test, sizeof(*pc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pc);

	pend_card_init(pc, ctx->card_dev[idx], name, num_links);
	ctx->cards[idx] = pc;

	return pc;
}

static int pend_card_register(struct pend_card *pc, enum pend_api api)
{
	struct device *dev = pc->card.dev;
	void *group;
	int ret;

	switch (api) {
	case PEND_API_LEGACY:
		ret = snd_soc_register_card(&pc->card);
		break;
	case PEND_API_DEFERRABLE:
		ret = snd_soc_register_deferrable_card(&pc->card);
		break;
	default:
		group = devres_open_group(dev, NULL, GFP_KERNEL);
		if (!group)
			return -ENOMEM;
		ret = devm_snd_soc_register_deferrable_card(dev, &pc->card);
		devres_close_group(dev, group);
		if (ret)
			devres_release_group(dev, group);
		else
			pc->devres_group = group;
		break;
	}

	if (!ret) {
		pc->registered = true;
		pc->was_registered = true;
	}

	return ret;
}

static void pend_card_unregister(struct pend_card *pc)
{
	if (!pc->registered)
		return;

	if (pc->devres_group) {
		devres_release_group(pc->card.dev, pc->devres_group);
		pc->devres_group = NULL;
	} else {
		snd_soc_unregister_card(&pc->card);
	}
	pc->registered = false;
}

/*
 * DAI drivers: only names. With no streams a link creates an empty PCM and
 * no DAPM widgets, which keeps binds cheap. Not const: the registration API
 * takes them as such, but never writes them unless they have probe-type
 * callbacks or endianness, which these have not.
 */
static struct snd_soc_dai_driver pend_cpu_dai[] = {
	{ .name = "pend-cpu-dai" },
};

static struct snd_soc_dai_driver pend_codec_dai[] = {
	{ .name = "pend-codec-dai" },
};

static struct snd_soc_dai_driver pend_cpu_dais2[] = {
	{ .name = "pend-cpu-a" },
	{ .name = "pend-cpu-b" },
};

static struct snd_soc_dai_driver pend_codec_dais2[] = {
	{ .name = "pend-codec-a" },
	{ .name = "pend-codec-b" },
};

/* With legacy_dai_naming the DAI is named after the device, not this */
static struct snd_soc_dai_driver pend_legacy_dai[] = {
	{ .name = "pend-legacy-dai" },
};

static struct snd_soc_dai_driver pend_stress_dai[] = {
	{ .name = "pend-stress-dai" },
};

static const struct snd_soc_component_driver pend_comp_drv = {
	.name = "pend-comp",
};

/* A second component on the same device, under the same name */
static const struct snd_soc_component_driver pend_comp_drv_b = {
	.name = "pend-comp-b",
#ifdef CONFIG_DEBUG_FS
	.debugfs_prefix = "b",	/* the card's debugfs has the name already */
#endif
};

static const struct snd_soc_component_driver pend_legacy_naming_drv = {
	.name = "pend-legacy-naming",
	.legacy_dai_naming = 1,
};

static int pend_fail_probe(struct snd_soc_component *component)
{
	struct pend_ctx *ctx = dev_get_drvdata(component->dev);

	return ctx->probe_err;
}

static const struct snd_soc_component_driver pend_fail_drv = {
	.name = "pend-fail",
	.probe = pend_fail_probe,
};

static int pend_comp_add(struct kunit *test, unsigned int idx,
			 const struct snd_soc_component_driver *drv,
			 struct snd_soc_dai_driver *dais, int num_dais)
{
	struct pend_ctx *ctx = test->priv;

	return snd_soc_register_component(ctx->comp_dev[idx], drv, dais,
					  num_dais);
}

static void pend_comp_del(struct kunit *test, unsigned int idx)
{
	struct pend_ctx *ctx = test->priv;

	snd_soc_unregister_component(ctx->comp_dev[idx]);
}

/*
 * root_device_register() would link the device to THIS_MODULE in sysfs, but
 * 6.1 runs a module's suites from the MODULE_STATE_COMING notifier, before
 * the module has a sysfs directory: the link fails with -ENOENT. Register
 * the root device without an owner instead.
 */
static struct device *pend_dev_new(const char *name, bool component)
{
	struct device *dev = __root_device_register(name, NULL);

	if (!IS_ERR(dev) && component)
		dev->driver = &pend_test_drv;

	return dev;
}

static void pend_dev_free(struct device *dev)
{
	if (IS_ERR_OR_NULL(dev))
		return;

	dev->driver = NULL;
	root_device_unregister(dev);
}

static void pend_check_binds(struct kunit *test, int line, struct pend_card *pc,
			     int binds, int unbinds)
{
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pc->probes), binds,
			    "%s: probe calls, line %d", pc->card.name, line);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pc->late_probes), binds,
			    "%s: late_probe calls, line %d", pc->card.name, line);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pc->removes), unbinds,
			    "%s: remove calls, line %d", pc->card.name, line);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pc->misorders), 0,
			    "%s: bound twice or unbound twice, line %d",
			    pc->card.name, line);
}

static void pend_check(struct kunit *test, int line, struct pend_card *pc,
		       int binds, int unbinds, bool pending)
{
	pend_check_binds(test, line, pc, binds, unbinds);
	/* a card never registered is not pending; don't ask about it */
	if (pc->was_registered)
		KUNIT_EXPECT_EQ_MSG(test, snd_soc_card_is_pending(&pc->card),
				    pending, "%s: pending, line %d",
				    pc->card.name, line);
}

static void pend_check_count(struct kunit *test, int line, unsigned int cards)
{
	struct pend_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ_MSG(test, snd_soc_pending_count(), ctx->base + cards,
			    "pending records, line %d", line);
}

/* Binds and unbinds so far, and whether the card waits for components */
#define PEND_CHECK(test, pc, binds, unbinds, pending) \
	pend_check(test, __LINE__, pc, binds, unbinds, pending)
#define PEND_CHECK_BINDS(test, pc, binds, unbinds) \
	pend_check_binds(test, __LINE__, pc, binds, unbinds)
/* Pending records beyond the ones there before the case */
#define PEND_CHECK_COUNT(test, cards) \
	pend_check_count(test, __LINE__, cards)

static void pend_stress_cleanup(struct pend_stress *st);

static int pend_test_init(struct kunit *test)
{
	struct pend_ctx *ctx;
	unsigned int i;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	test->priv = ctx;

	for (i = 0; i < PEND_COMPS; i++) {
		ctx->comp_dev[i] = pend_dev_new(pend_comp_names[i], true);
		if (IS_ERR(ctx->comp_dev[i]))
			return PTR_ERR(ctx->comp_dev[i]);
		dev_set_drvdata(ctx->comp_dev[i], ctx);
	}

	for (i = 0; i < PEND_CARDS; i++) {
		ctx->card_dev[i] = pend_dev_new(pend_card_dev_names[i], false);
		if (IS_ERR(ctx->card_dev[i]))
			return PTR_ERR(ctx->card_dev[i]);
	}

	ctx->base = snd_soc_pending_count();

	return 0;
}

/* Runs after a failed assertion too: undo whatever the case left behind */
static void pend_test_exit(struct kunit *test)
{
	struct pend_ctx *ctx = test->priv;
	unsigned int i;

	if (!ctx)
		return;

	if (ctx->stress)
		pend_stress_cleanup(ctx->stress);

	for (i = 0; i < PEND_CARDS; i++)
		if (ctx->cards[i])
			pend_card_unregister(ctx->cards[i]);

	for (i = 0; i < PEND_COMPS; i++) {
		if (!IS_ERR_OR_NULL(ctx->comp_dev[i]))
			snd_soc_unregister_component(ctx->comp_dev[i]);
		pend_dev_free(ctx->comp_dev[i]);
	}

	for (i = 0; i < PEND_CARDS; i++)
		pend_dev_free(ctx->card_dev[i]);
}

/* ===== ORDERS ============================================================ */

/*
 * A deferrable card and 1..4 components, registered in every order. The
 * components play every role a card can wait for:
 *	comp0: CPU DAI, matched by DAI name alone
 *	comp1: codec DAI (the dummy codec while there are fewer components)
 *	comp2: platform, no DAIs
 *	comp3: aux device, no DAIs
 */
#define PEND_ORDER_ITEMS	(PEND_COMPS + 1)
#define PEND_NUM_ORDERS		(2 + 6 + 24 + 120)	/* (n + 1)! for n = 1..4 */

struct pend_order {
	unsigned int comps;
	u8 seq[PEND_ORDER_ITEMS];	/* what registers next; comps: the card */
};

static struct pend_order pend_orders[PEND_NUM_ORDERS];

static unsigned int pend_factorial(unsigned int n)
{
	return n ? n * pend_factorial(n - 1) : 1;
}

/* The @rank'th permutation of 0..@items-1 in lexicographic order */
static void pend_order_unrank(struct pend_order *o, unsigned int items,
			      unsigned int rank)
{
	u8 pool[PEND_ORDER_ITEMS];
	unsigned int i, j, f;

	for (i = 0; i < items; i++)
		pool[i] = i;

	for (i = 0; i < items; i++) {
		f = pend_factorial(items - 1 - i);
		j = rank / f;
		rank %= f;
		o->seq[i] = pool[j];
		memmove(&pool[j], &pool[j + 1], items - 1 - i - j);
	}
}

/* Lists the orders the order case runs, one row each */
static int pend_suite_init(struct kunit_suite *suite)
{
	unsigned int comps, rank, n = 0;

	for (comps = 1; comps <= PEND_COMPS; comps++) {
		for (rank = 0; rank < pend_factorial(comps + 1); rank++) {
			if (WARN_ON(n >= ARRAY_SIZE(pend_orders)))
				return -EINVAL;
			pend_orders[n].comps = comps;
			pend_order_unrank(&pend_orders[n], comps + 1, rank);
			n++;
		}
	}

	return n == ARRAY_SIZE(pend_orders) ? 0 : -EINVAL;
}

static void pend_order_desc(struct pend_order *o, char *desc)
{
	size_t len;
	unsigned int i;

	len = scnprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u comps:", o->comps);
	for (i = 0; i <= o->comps; i++) {
		if (o->seq[i] == o->comps)
			len += scnprintf(desc + len, KUNIT_PARAM_DESC_SIZE - len,
					 " card");
		else
			len += scnprintf(desc + len, KUNIT_PARAM_DESC_SIZE - len,
					 " comp%u", o->seq[i]);
	}
}

KUNIT_ARRAY_PARAM(pend_order, pend_orders, pend_order_desc);

static int pend_order_comp_add(struct kunit *test, unsigned int idx)
{
	switch (idx) {
	case 0:
		return pend_comp_add(test, 0, &pend_comp_drv, pend_cpu_dai, 1);
	case 1:
		return pend_comp_add(test, 1, &pend_comp_drv, pend_codec_dai, 1);
	default:
		return pend_comp_add(test, idx, &pend_comp_drv, NULL, 0);
	}
}

static void pend_test_order(struct kunit *test)
{
	const struct pend_order *o = test->param_value;
	unsigned int step, item;
	struct pend_card *pc;
	bool card_in = false;

	pc = pend_card_new(test, 0, "pend-order", 1);
	pend_dlc_set(&pc->cpus[0], NULL, "pend-cpu-dai");
	if (o->comps > 1)
		pend_dlc_set(&pc->codecs[0], pend_comp_names[1], "pend-codec-dai");
	if (o->comps > 2) {
		pend_dlc_set(&pc->platform, pend_comp_names[2], NULL);
		pc->links[0].platforms = &pc->platform;
		pc->links[0].num_platforms = 1;
	}
	if (o->comps > 3) {
		pend_dlc_set(&pc->aux.dlc, pend_comp_names[3], NULL);
		pc->card.aux_dev = &pc->aux;
		pc->card.num_aux_devs = 1;
	}

	for (step = 0; step < o->comps; step++) {
		item = o->seq[step];
		if (item == o->comps) {
			/* registered with components missing: 0, pending */
			KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
			card_in = true;
		} else {
			KUNIT_ASSERT_EQ(test, pend_order_comp_add(test, item), 0);
		}

		/* something is still missing: never bound before the last one */
		PEND_CHECK(test, pc, 0, 0, card_in);
		PEND_CHECK_COUNT(test, card_in ? 1 : 0);
	}

	/* the last registration binds the card, inside that call, once */
	item = o->seq[o->comps];
	if (item == o->comps)
		KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	else
		KUNIT_ASSERT_EQ(test, pend_order_comp_add(test, item), 0);

	PEND_CHECK(test, pc, 1, 0, false);
	KUNIT_EXPECT_TRUE(test, pc->card.instantiated);
	PEND_CHECK_COUNT(test, 0);

	pend_card_unregister(pc);
	PEND_CHECK(test, pc, 1, 1, false);
	PEND_CHECK_COUNT(test, 0);
}

/* ===== MATCHING ========================================================== */

/*
 * One component with two DAIs serves two links, CPU and codec alike. The
 * card waits for four DAIs and binds once, when the second component
 * brings the last two.
 */
static void pend_test_two_dais(struct kunit *test)
{
	struct pend_card *pc;

	pc = pend_card_new(test, 0, "pend-two-dais", 2);
	pend_dlc_set(&pc->cpus[0], pend_comp_names[0], "pend-cpu-a");
	pend_dlc_set(&pc->codecs[0], pend_comp_names[1], "pend-codec-a");
	pend_dlc_set(&pc->cpus[1], pend_comp_names[0], "pend-cpu-b");
	pend_dlc_set(&pc->codecs[1], pend_comp_names[1], "pend-codec-b");

	/* nothing there: pending */
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 0, 0, true);
	PEND_CHECK_COUNT(test, 1);

	/* both codec DAIs there, both CPU DAIs missing: still pending */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dais2, 2), 0);
	PEND_CHECK(test, pc, 0, 0, true);
	PEND_CHECK_COUNT(test, 1);

	/* both CPU DAIs arrive with one component: bound once */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dais2, 2), 0);
	PEND_CHECK(test, pc, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);

	pend_card_unregister(pc);
	PEND_CHECK(test, pc, 1, 1, false);
}

/*
 * A link's DAI name matches a DAI's driver name too: with legacy DAI naming
 * the DAI is called after its device ("pend-comp1") and only its driver is
 * called "pend-legacy-dai". Binding accepts that, so must the records.
 */
static void pend_test_dai_driver_name(struct kunit *test)
{
	struct pend_card *pc;

	pc = pend_card_new(test, 0, "pend-dai-drv", 1);
	pend_dlc_set(&pc->cpus[0], pend_comp_names[0], "pend-cpu-dai");
	pend_dlc_set(&pc->codecs[0], pend_comp_names[1], "pend-legacy-dai");

	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 0, 0, true);
	PEND_CHECK_COUNT(test, 1);

	/* the codec DAI is found by its driver's name: bound once */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_legacy_naming_drv,
					    pend_legacy_dai, 1), 0);
	PEND_CHECK(test, pc, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);
}

struct pend_same_name_param {
	bool b_first;
	const char *desc;
};

static const struct pend_same_name_param pend_same_name_params[] = {
	{ .b_first = false, .desc = "DAI a first" },
	{ .b_first = true, .desc = "DAI b first" },
};

static void pend_same_name_desc(const struct pend_same_name_param *p,
				char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pend_same_name, pend_same_name_params, pend_same_name_desc);

static int pend_same_name_add(struct kunit *test, bool b)
{
	if (b)
		return pend_comp_add(test, 1, &pend_comp_drv_b,
				     &pend_codec_dais2[1], 1);

	return pend_comp_add(test, 1, &pend_comp_drv, &pend_codec_dais2[0], 1);
}

/*
 * Two links name the same codec component, "pend-comp1", with different
 * DAIs, and two components of that name register on that device, one DAI
 * each. The first one's name matches both links, but the card must wait
 * for the component that bears the other DAI.
 */
static void pend_test_same_name(struct kunit *test)
{
	const struct pend_same_name_param *p = test->param_value;
	struct pend_card *pc;

	pc = pend_card_new(test, 0, "pend-same-name", 2);
	pend_dlc_set(&pc->cpus[0], pend_comp_names[0], "pend-cpu-a");
	pend_dlc_set(&pc->codecs[0], pend_comp_names[1], "pend-codec-a");
	pend_dlc_set(&pc->cpus[1], pend_comp_names[0], "pend-cpu-b");
	pend_dlc_set(&pc->codecs[1], pend_comp_names[1], "pend-codec-b");

	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dais2, 2), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 0, 0, true);
	PEND_CHECK_COUNT(test, 1);

	/* the name is there, one of the two DAIs is not: still pending */
	KUNIT_ASSERT_EQ(test, pend_same_name_add(test, p->b_first), 0);
	PEND_CHECK(test, pc, 0, 0, true);
	PEND_CHECK_COUNT(test, 1);

	/* the component bearing the other DAI: bound once */
	KUNIT_ASSERT_EQ(test, pend_same_name_add(test, !p->b_first), 0);
	PEND_CHECK(test, pc, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);
}

/*
 * Two cards waiting for one device. 6.1 binds a component to one card at a
 * time (soc_probe_component() refuses a second card with -ENODEV), so the
 * cards share the device and its component name, "pend-comp2", and each
 * uses its own component there, told apart by DAI. Each card binds once,
 * when its own component arrives; when the device goes away both fall back
 * to pending, and both bind again when it returns.
 */
static void pend_test_two_cards(struct kunit *test)
{
	struct pend_card *pa, *pb;

	pa = pend_card_new(test, 0, "pend-card-a", 1);
	pend_dlc_set(&pa->cpus[0], pend_comp_names[0], "pend-cpu-a");
	pend_dlc_set(&pa->codecs[0], pend_comp_names[2], "pend-codec-a");
	pb = pend_card_new(test, 1, "pend-card-b", 1);
	pend_dlc_set(&pb->cpus[0], pend_comp_names[1], "pend-cpu-b");
	pend_dlc_set(&pb->codecs[0], pend_comp_names[2], "pend-codec-b");

	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    &pend_cpu_dais2[0], 1), 0);
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    &pend_cpu_dais2[1], 1), 0);

	/* both wait for pend-comp2 */
	KUNIT_ASSERT_EQ(test, pend_card_register(pa, PEND_API_DEFERRABLE), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pb, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pa, 0, 0, true);
	PEND_CHECK(test, pb, 0, 0, true);
	PEND_CHECK_COUNT(test, 2);

	/* card A's component: A bound, B still waits */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 2, &pend_comp_drv,
					    &pend_codec_dais2[0], 1), 0);
	PEND_CHECK(test, pa, 1, 0, false);
	PEND_CHECK(test, pb, 0, 0, true);
	PEND_CHECK_COUNT(test, 1);

	/* card B's component: B bound */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 2, &pend_comp_drv_b,
					    &pend_codec_dais2[1], 1), 0);
	PEND_CHECK(test, pa, 1, 0, false);
	PEND_CHECK(test, pb, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);

	/* the device goes away: both unbound once, both pending */
	pend_comp_del(test, 2);
	PEND_CHECK(test, pa, 1, 1, true);
	PEND_CHECK(test, pb, 1, 1, true);
	PEND_CHECK_COUNT(test, 2);

	/* and comes back, the other way round: both bound again, once */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 2, &pend_comp_drv_b,
					    &pend_codec_dais2[1], 1), 0);
	PEND_CHECK(test, pa, 1, 1, true);
	PEND_CHECK(test, pb, 2, 1, false);
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 2, &pend_comp_drv,
					    &pend_codec_dais2[0], 1), 0);
	PEND_CHECK(test, pa, 2, 1, false);
	PEND_CHECK(test, pb, 2, 1, false);
	PEND_CHECK_COUNT(test, 0);

	pend_card_unregister(pa);
	pend_card_unregister(pb);
	PEND_CHECK(test, pa, 2, 2, false);
	PEND_CHECK(test, pb, 2, 2, false);
}

/* ===== LIFE CYCLE ======================================================== */

static const enum pend_api pend_all_apis[] = {
	PEND_API_LEGACY, PEND_API_DEFERRABLE, PEND_API_DEVM,
};

static const enum pend_api pend_deferrable_apis[] = {
	PEND_API_DEFERRABLE, PEND_API_DEVM,
};

static void pend_api_desc(const enum pend_api *api, char *desc)
{
	strscpy(desc, pend_api_names[*api], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pend_all_apis, pend_all_apis, pend_api_desc);
KUNIT_ARRAY_PARAM(pend_deferrable_apis, pend_deferrable_apis, pend_api_desc);

/* A card of one link: pend-comp0's CPU DAI and pend-comp1's codec DAI */
static struct pend_card *pend_simple_card(struct kunit *test, const char *name)
{
	struct pend_card *pc = pend_card_new(test, 0, name, 1);

	pend_dlc_set(&pc->cpus[0], pend_comp_names[0], "pend-cpu-dai");
	pend_dlc_set(&pc->codecs[0], pend_comp_names[1], "pend-codec-dai");

	return pc;
}

/*
 * Legacy and deferrable registration of a card whose codec is missing.
 *
 * Legacy: snd_soc_register_card() fails with -EPROBE_DEFER and a record
 * keyed by the card's device stays (one, however often the driver retries);
 * the codec's arrival completes it, queues the re-probe of the device (a
 * no-op for a root device without driver) and drops it. The driver's next
 * probe then binds the card.
 *
 * Deferrable: registration returns 0, the card stays registered and
 * pending, and the codec's registration binds it.
 */
static void pend_test_legacy_vs_deferrable(struct kunit *test)
{
	const enum pend_api *api = test->param_value;
	struct pend_card *pc;

	pc = pend_simple_card(test, "pend-legacy");
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);

	if (*api == PEND_API_LEGACY) {
		KUNIT_EXPECT_EQ(test, pend_card_register(pc, *api), -EPROBE_DEFER);
		PEND_CHECK_BINDS(test, pc, 0, 0);
		PEND_CHECK_COUNT(test, 1);

		/* the driver core retries: still one record */
		KUNIT_EXPECT_EQ(test, pend_card_register(pc, *api), -EPROBE_DEFER);
		PEND_CHECK_BINDS(test, pc, 0, 0);
		PEND_CHECK_COUNT(test, 1);

		/* complete: record dropped, the card is not bound behind our back */
		KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
						    pend_codec_dai, 1), 0);
		PEND_CHECK_BINDS(test, pc, 0, 0);
		PEND_CHECK_COUNT(test, 0);

		/* the re-probed machine driver registers the card again */
		KUNIT_ASSERT_EQ(test, pend_card_register(pc, *api), 0);
	} else {
		KUNIT_ASSERT_EQ(test, pend_card_register(pc, *api), 0);
		PEND_CHECK(test, pc, 0, 0, true);
		PEND_CHECK_COUNT(test, 1);

		KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
						    pend_codec_dai, 1), 0);
	}

	/* bound once, nothing pending */
	PEND_CHECK(test, pc, 1, 0, false);
	KUNIT_EXPECT_TRUE(test, pc->card.instantiated);
	PEND_CHECK_COUNT(test, 0);

	pend_card_unregister(pc);
	PEND_CHECK(test, pc, 1, 1, false);
	PEND_CHECK_COUNT(test, 0);
}

/*
 * A bound card loses its codec: unbound once, pending again, waiting for
 * it. The codec's return binds it again, once.
 */
static void pend_test_remove_and_return(struct kunit *test)
{
	const enum pend_api *api = test->param_value;
	struct pend_card *pc;

	pc = pend_simple_card(test, "pend-return");
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);

	/* everything there: bound by the registration itself */
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, *api), 0);
	PEND_CHECK(test, pc, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);

	/* codec gone: unbound, pending */
	pend_comp_del(test, 1);
	PEND_CHECK(test, pc, 1, 1, true);
	PEND_CHECK_COUNT(test, 1);

	/* codec back: bound again, once */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	PEND_CHECK(test, pc, 2, 1, false);
	KUNIT_EXPECT_TRUE(test, pc->card.instantiated);
	PEND_CHECK_COUNT(test, 0);

	pend_card_unregister(pc);
	PEND_CHECK(test, pc, 2, 2, false);
	PEND_CHECK_COUNT(test, 0);
}

/*
 * A pending card unregistered: its record goes, the codec's arrival then
 * binds nothing, and the same card registered again binds at once.
 */
static void pend_test_unregister_pending(struct kunit *test)
{
	const enum pend_api *api = test->param_value;
	struct pend_card *pc;

	pc = pend_simple_card(test, "pend-dropped");
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);

	KUNIT_ASSERT_EQ(test, pend_card_register(pc, *api), 0);
	PEND_CHECK(test, pc, 0, 0, true);
	PEND_CHECK_COUNT(test, 1);

	/* dropped: no record, not pending, never bound */
	pend_card_unregister(pc);
	PEND_CHECK(test, pc, 0, 0, false);
	PEND_CHECK_COUNT(test, 0);

	/* the codec it waited for binds nothing */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	PEND_CHECK(test, pc, 0, 0, false);
	PEND_CHECK_COUNT(test, 0);

	/* nothing stale: registered again, it binds at once */
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, *api), 0);
	PEND_CHECK(test, pc, 1, 0, false);

	pend_card_unregister(pc);
	PEND_CHECK(test, pc, 1, 1, false);
	PEND_CHECK_COUNT(test, 0);
}

/*
 * The same component registered twice on one device. 6.1's
 * snd_soc_add_component() does not look for duplicates: the second one is
 * added beside the first, under the same name (a CPU and its dmaengine
 * PCM do that with different drivers). The card binds once, on the first;
 * the second must not bind it again.
 */
static void pend_test_double_component(struct kunit *test)
{
	struct pend_card *pc;
	int ret;

	pc = pend_simple_card(test, "pend-double");
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 0, 0, true);

	/* first codec: bound once */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	PEND_CHECK(test, pc, 1, 0, false);

	/* the same again: accepted as 6.1 does (or refused), no second bind */
	ret = pend_comp_add(test, 1, &pend_comp_drv, pend_codec_dai, 1);
	KUNIT_EXPECT_LE(test, ret, 0);
	if (ret)
		kunit_info(test, "second registration refused: %d", ret);
	PEND_CHECK(test, pc, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);

	/* the card registered anew while both are there: bound once */
	pend_card_unregister(pc);
	PEND_CHECK(test, pc, 1, 1, false);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 2, 1, false);

	/* the device's components all go: unbound once, pending */
	pend_comp_del(test, 1);
	PEND_CHECK(test, pc, 2, 2, true);
	PEND_CHECK_COUNT(test, 1);

	pend_card_unregister(pc);
	PEND_CHECK(test, pc, 2, 2, false);
	PEND_CHECK_COUNT(test, 0);
}

struct pend_work {
	struct work_struct work;
	struct device *dev;
	int ret;
};

static void pend_work_fn(struct work_struct *work)
{
	struct pend_work *pw = container_of(work, struct pend_work, work);

	pw->ret = snd_soc_register_component(pw->dev, &pend_comp_drv,
					     pend_codec_dai, 1);
}

/*
 * The last component registers from a work item, outside any probe: the
 * driver core would not retry anything, the pending card binds all the
 * same.
 */
static void pend_test_from_work(struct kunit *test)
{
	struct pend_ctx *ctx = test->priv;
	struct pend_card *pc;
	struct pend_work pw = { .dev = ctx->comp_dev[1], .ret = -EINVAL };

	pc = pend_simple_card(test, "pend-work");
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 0, 0, true);

	INIT_WORK_ONSTACK(&pw.work, pend_work_fn);
	schedule_work(&pw.work);
	flush_work(&pw.work);
	destroy_work_on_stack(&pw.work);

	KUNIT_EXPECT_EQ(test, pw.ret, 0);
	PEND_CHECK(test, pc, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);
}

/* ===== ERRORS ============================================================ */

struct pend_probe_err_param {
	enum pend_api api;
	int err;
	const char *desc;
};

static const struct pend_probe_err_param pend_probe_err_params[] = {
	{ PEND_API_LEGACY, -EPROBE_DEFER, "legacy, -EPROBE_DEFER" },
	{ PEND_API_LEGACY, -EIO, "legacy, -EIO" },
	{ PEND_API_DEFERRABLE, -EPROBE_DEFER, "deferrable, -EPROBE_DEFER" },
	{ PEND_API_DEFERRABLE, -EIO, "deferrable, -EIO" },
};

static void pend_probe_err_desc(const struct pend_probe_err_param *p,
				char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pend_probe_err, pend_probe_err_params, pend_probe_err_desc);

/*
 * Every component is there but the codec's probe fails. That names nothing
 * to wait for: registration fails with the probe's error, the bind is
 * undone (remove runs for probe, late_probe never), and no record is left.
 * Once the probe succeeds the card registers and binds normally.
 */
static void pend_test_probe_error(struct kunit *test)
{
	const struct pend_probe_err_param *p = test->param_value;
	struct pend_ctx *ctx = test->priv;
	struct pend_card *pc;

	pc = pend_simple_card(test, "pend-probe-err");
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_fail_drv,
					    pend_codec_dai, 1), 0);

	ctx->probe_err = p->err;
	KUNIT_EXPECT_EQ(test, pend_card_register(pc, p->api), p->err);
	KUNIT_EXPECT_EQ(test, atomic_read(&pc->late_probes), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&pc->probes),
			atomic_read(&pc->removes));
	KUNIT_EXPECT_EQ(test, atomic_read(&pc->misorders), 0);
	KUNIT_EXPECT_FALSE(test, pc->card.instantiated);
	if (pc->was_registered)
		KUNIT_EXPECT_FALSE(test, snd_soc_card_is_pending(&pc->card));
	PEND_CHECK_COUNT(test, 0);

	/* the same card once the codec probes */
	pend_card_unregister(pc);
	ctx->probe_err = 0;
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, p->api), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&pc->late_probes), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&pc->probes),
			atomic_read(&pc->removes) + 1);
	KUNIT_EXPECT_FALSE(test, snd_soc_card_is_pending(&pc->card));
	PEND_CHECK_COUNT(test, 0);
}

enum pend_fault {
	PEND_NO_CODEC_NAME,	/* codec: neither name nor of_node */
	PEND_NO_CODEC_DAI,	/* codec: no DAI name */
	PEND_NO_PLATFORM_NAME,	/* platform: neither name nor of_node */
	PEND_NO_CPU_NAMES,	/* CPU: no DAI name, no name, no of_node */
	PEND_NO_CARD_NAME,	/* card: no name */
	PEND_EMPTY_CODEC_NAME,	/* codec: "", which no component has */
};

struct pend_name_param {
	enum pend_fault fault;
	enum pend_api api;
	const char *desc;
};

/*
 * No legacy row for "": a legacy card would leave a record, keyed by a
 * device without bus that nothing can complete.
 */
static const struct pend_name_param pend_name_params[] = {
	{ PEND_NO_CODEC_NAME, PEND_API_LEGACY, "legacy, codec without name" },
	{ PEND_NO_CODEC_NAME, PEND_API_DEFERRABLE, "deferrable, codec without name" },
	{ PEND_NO_CODEC_DAI, PEND_API_LEGACY, "legacy, codec without DAI name" },
	{ PEND_NO_CODEC_DAI, PEND_API_DEFERRABLE, "deferrable, codec without DAI name" },
	{ PEND_NO_PLATFORM_NAME, PEND_API_LEGACY, "legacy, platform without name" },
	{ PEND_NO_PLATFORM_NAME, PEND_API_DEFERRABLE, "deferrable, platform without name" },
	{ PEND_NO_CPU_NAMES, PEND_API_LEGACY, "legacy, CPU without names" },
	{ PEND_NO_CPU_NAMES, PEND_API_DEFERRABLE, "deferrable, CPU without names" },
	{ PEND_NO_CARD_NAME, PEND_API_LEGACY, "legacy, card without name" },
	{ PEND_NO_CARD_NAME, PEND_API_DEFERRABLE, "deferrable, card without name" },
	{ PEND_EMPTY_CODEC_NAME, PEND_API_DEFERRABLE, "deferrable, codec with empty name" },
};

static void pend_name_desc(const struct pend_name_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pend_name, pend_name_params, pend_name_desc);

/*
 * A card with one bad name and everything else registered. Missing names
 * are refused with -EINVAL, as binding refuses them, and leave nothing
 * pending. An empty name is a name: the card may be refused or wait
 * cleanly, and unregistering it leaves nothing behind.
 */
static void pend_test_bad_names(struct kunit *test)
{
	const struct pend_name_param *p = test->param_value;
	struct pend_card *pc;
	int ret;

	pc = pend_card_new(test, 0, "pend-names", 1);
	pend_dlc_set(&pc->cpus[0], pend_comp_names[0], "pend-cpu-dai");
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);

	switch (p->fault) {
	case PEND_NO_CODEC_NAME:
		pend_dlc_set(&pc->codecs[0], NULL, "pend-codec-dai");
		break;
	case PEND_NO_CODEC_DAI:
		pend_dlc_set(&pc->codecs[0], "snd-soc-dummy", NULL);
		break;
	case PEND_NO_PLATFORM_NAME:
		pend_dlc_set(&pc->platform, NULL, NULL);
		pc->links[0].platforms = &pc->platform;
		pc->links[0].num_platforms = 1;
		break;
	case PEND_NO_CPU_NAMES:
		pend_dlc_set(&pc->cpus[0], NULL, NULL);
		break;
	case PEND_NO_CARD_NAME:
		pc->card.name = NULL;
		break;
	case PEND_EMPTY_CODEC_NAME:
		pend_dlc_set(&pc->codecs[0], "", "pend-codec-dai");
		break;
	}

	ret = pend_card_register(pc, p->api);

	if (p->fault == PEND_EMPTY_CODEC_NAME) {
		if (ret) {
			/* refused: nothing pending */
			KUNIT_EXPECT_LT(test, ret, 0);
			PEND_CHECK(test, pc, 0, 0, false);
			PEND_CHECK_COUNT(test, 0);
		} else {
			/* or waits, cleanly */
			PEND_CHECK(test, pc, 0, 0, true);
			PEND_CHECK_COUNT(test, 1);
			pend_card_unregister(pc);
			PEND_CHECK(test, pc, 0, 0, false);
			PEND_CHECK_COUNT(test, 0);
		}
		return;
	}

	/* refused, never bound, nothing pending */
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	PEND_CHECK(test, pc, 0, 0, false);
	PEND_CHECK_COUNT(test, 0);
}

/* ===== CONCURRENCY ======================================================= */

/*
 * Four threads own a card and two components each. Card i links
 * component 2i (CPU) to component 2i + 1 (codec); thread i owns card i,
 * component 2i and the next card's codec, so every card depends on two
 * threads. Each round runs three phases, every thread performing its part
 * of a phase in a random order with random jitter, all threads at once:
 *	setup:    register everything; every card must bind exactly once
 *	churn:    unregister and re-register everything, interleaved at
 *		  random; every card must end up bound, once
 *	teardown: unregister everything; every card must end up unbound
 * and after each phase nothing is pending. The callbacks flag a card bound
 * twice or unbound twice at any moment. Threads never use KUnit: they
 * count failures, the test thread reports them between phases.
 */
#define PEND_STRESS_THREADS	4
#define PEND_STRESS_COMPS	(2 * PEND_STRESS_THREADS)
#define PEND_STRESS_OWN		3	/* a card and two components */

enum pend_phase {
	PEND_PHASE_SETUP,
	PEND_PHASE_CHURN,
	PEND_PHASE_TEARDOWN,
};

static const char * const pend_phase_names[] = {
	[PEND_PHASE_SETUP] = "setup",
	[PEND_PHASE_CHURN] = "churn",
	[PEND_PHASE_TEARDOWN] = "teardown",
};

static const char * const pend_stress_comp_names[PEND_STRESS_COMPS] = {
	"pend-s-comp0", "pend-s-comp1", "pend-s-comp2", "pend-s-comp3",
	"pend-s-comp4", "pend-s-comp5", "pend-s-comp6", "pend-s-comp7",
};

static const char * const pend_stress_card_dev_names[PEND_STRESS_THREADS] = {
	"pend-s-card0", "pend-s-card1", "pend-s-card2", "pend-s-card3",
};

static const char * const pend_stress_card_names[PEND_STRESS_THREADS] = {
	"pend-s0", "pend-s1", "pend-s2", "pend-s3",
};

struct pend_stress_thread {
	struct pend_stress *st;
	struct task_struct *task;
	struct completion go;		/* a phase, or the stop, is on */
	struct completion done;		/* this thread's part is done */
	struct rnd_state rnd;
	unsigned int own[PEND_STRESS_OWN];	/* object numbers, see below */
};

/*
 * Objects 0..3 are the cards, 4..11 the components. A component's memory
 * is devm on its device: each registration gets a devres group, released
 * on unregistration, so thousands of rounds do not pile it up. Only the
 * owning thread touches an object, and only one thread registers on a
 * device, so the groups never interleave.
 */
struct pend_stress {
	unsigned int base;
	struct pend_card cards[PEND_STRESS_THREADS];
	struct device *card_dev[PEND_STRESS_THREADS];
	struct device *comp_dev[PEND_STRESS_COMPS];
	void *comp_group[PEND_STRESS_COMPS];
	struct pend_stress_thread threads[PEND_STRESS_THREADS];
	enum pend_phase phase;
	bool stop;
	atomic_t api_errors;
	atomic_t first_error;
};

static void pend_stress_error(struct pend_stress *st, int err)
{
	atomic_inc(&st->api_errors);
	atomic_cmpxchg(&st->first_error, 0, err);
}

static void pend_stress_up(struct pend_stress *st, unsigned int obj)
{
	struct device *dev;
	unsigned int comp;
	void *group;
	int ret;

	if (obj < PEND_STRESS_THREADS) {
		ret = pend_card_register(&st->cards[obj], PEND_API_DEFERRABLE);
		if (ret)
			pend_stress_error(st, ret);
		return;
	}

	comp = obj - PEND_STRESS_THREADS;
	dev = st->comp_dev[comp];
	group = devres_open_group(dev, NULL, GFP_KERNEL);
	if (!group) {
		pend_stress_error(st, -ENOMEM);
		return;
	}
	ret = snd_soc_register_component(dev, &pend_comp_drv, pend_stress_dai, 1);
	devres_close_group(dev, group);
	if (ret) {
		devres_release_group(dev, group);
		pend_stress_error(st, ret);
		return;
	}
	st->comp_group[comp] = group;
}

static void pend_stress_down(struct pend_stress *st, unsigned int obj)
{
	unsigned int comp;

	if (obj < PEND_STRESS_THREADS) {
		pend_card_unregister(&st->cards[obj]);
		return;
	}

	comp = obj - PEND_STRESS_THREADS;
	if (!st->comp_group[comp])
		return;
	snd_soc_unregister_component(st->comp_dev[comp]);
	devres_release_group(st->comp_dev[comp], st->comp_group[comp]);
	st->comp_group[comp] = NULL;
}

/*
 * A random pause before each operation. Spinning shifts the threads against
 * each other on SMP; a short sleep lets another thread in even on a single
 * CPU without preemption, where the threads would otherwise run one after
 * the other.
 */
static void pend_stress_jitter(struct rnd_state *rnd)
{
	switch (prandom_u32_state(rnd) % 4) {
	case 0:
		break;
	case 1:
		cond_resched();
		break;
	case 2:
		udelay(prandom_u32_state(rnd) % 16);
		break;
	default:
		usleep_range(10, 50);
		break;
	}
}

/* This thread's part of the phase, in a random order */
static void pend_stress_phase(struct pend_stress_thread *t)
{
	struct pend_stress *st = t->st;
	enum pend_phase phase = READ_ONCE(st->phase);
	unsigned int left[PEND_STRESS_OWN];
	unsigned int i, k, total = 0;
	bool up;

	/* churn: each object goes down, then up, interleaved with the others */
	for (i = 0; i < PEND_STRESS_OWN; i++) {
		left[i] = phase == PEND_PHASE_CHURN ? 2 : 1;
		total += left[i];
	}

	while (total) {
		pend_stress_jitter(&t->rnd);

		k = prandom_u32_state(&t->rnd) % total;
		for (i = 0; k >= left[i]; i++)
			k -= left[i];

		up = phase == PEND_PHASE_SETUP ||
		     (phase == PEND_PHASE_CHURN && left[i] == 1);
		if (up)
			pend_stress_up(st, t->own[i]);
		else
			pend_stress_down(st, t->own[i]);

		left[i]--;
		total--;
	}
}

static int pend_stress_thread_fn(void *data)
{
	struct pend_stress_thread *t = data;

	for (;;) {
		wait_for_completion(&t->go);
		if (READ_ONCE(t->st->stop))
			break;
		pend_stress_phase(t);
		complete(&t->done);
	}

	return 0;
}

/* Start a phase in every thread at once and wait for all of them */
static void pend_stress_run(struct pend_stress *st, enum pend_phase phase)
{
	unsigned int i;

	WRITE_ONCE(st->phase, phase);
	for (i = 0; i < PEND_STRESS_THREADS; i++)
		complete(&st->threads[i].go);
	for (i = 0; i < PEND_STRESS_THREADS; i++)
		wait_for_completion(&st->threads[i].done);
}

static void pend_stress_stop(struct pend_stress *st)
{
	struct pend_stress_thread *t;
	unsigned int i;

	WRITE_ONCE(st->stop, true);
	for (i = 0; i < PEND_STRESS_THREADS; i++) {
		t = &st->threads[i];
		if (!t->task)
			continue;
		complete(&t->go);
		kthread_stop(t->task);
		put_task_struct(t->task);
		t->task = NULL;
	}
}

/* The threads are stopped first: from here on only this thread runs */
static void pend_stress_cleanup(struct pend_stress *st)
{
	unsigned int i;

	pend_stress_stop(st);

	for (i = 0; i < PEND_STRESS_THREADS; i++)
		pend_stress_down(st, i);
	for (i = 0; i < PEND_STRESS_COMPS; i++) {
		if (!IS_ERR_OR_NULL(st->comp_dev[i]))
			pend_stress_down(st, PEND_STRESS_THREADS + i);
		pend_dev_free(st->comp_dev[i]);
		st->comp_dev[i] = NULL;
	}
	for (i = 0; i < PEND_STRESS_THREADS; i++) {
		pend_dev_free(st->card_dev[i]);
		st->card_dev[i] = NULL;
	}
}

static int pend_stress_init(struct pend_stress *st, u64 seed)
{
	struct pend_stress_thread *t;
	struct task_struct *task;
	struct pend_card *pc;
	unsigned int i;

	for (i = 0; i < PEND_STRESS_COMPS; i++) {
		st->comp_dev[i] = pend_dev_new(pend_stress_comp_names[i], true);
		if (IS_ERR(st->comp_dev[i]))
			return PTR_ERR(st->comp_dev[i]);
	}

	for (i = 0; i < PEND_STRESS_THREADS; i++) {
		st->card_dev[i] = pend_dev_new(pend_stress_card_dev_names[i],
					       false);
		if (IS_ERR(st->card_dev[i]))
			return PTR_ERR(st->card_dev[i]);

		pc = &st->cards[i];
		pend_card_init(pc, st->card_dev[i], pend_stress_card_names[i], 1);
		pend_dlc_set(&pc->cpus[0], pend_stress_comp_names[2 * i],
			     "pend-stress-dai");
		pend_dlc_set(&pc->codecs[0], pend_stress_comp_names[2 * i + 1],
			     "pend-stress-dai");
	}

	for (i = 0; i < PEND_STRESS_THREADS; i++) {
		t = &st->threads[i];
		t->st = st;
		t->own[0] = i;
		t->own[1] = PEND_STRESS_THREADS + 2 * i;
		t->own[2] = PEND_STRESS_THREADS +
			    2 * ((i + 1) % PEND_STRESS_THREADS) + 1;
		init_completion(&t->go);
		init_completion(&t->done);
		prandom_seed_state(&t->rnd, seed + i);

		task = kthread_run(pend_stress_thread_fn, t, "pend-stress/%u", i);
		if (IS_ERR(task))
			return PTR_ERR(task);
		/* kthread_stop() needs it even if the thread has returned */
		get_task_struct(task);
		t->task = task;
	}

	return 0;
}

/* Report whatever is wrong after @phase of @round; true if nothing is */
static bool pend_stress_check(struct kunit *test, struct pend_stress *st,
			      unsigned int round, enum pend_phase phase,
			      const int *probes_before)
{
	bool up = phase != PEND_PHASE_TEARDOWN;
	unsigned int i, count;
	bool ok = true;

	for (i = 0; i < PEND_STRESS_THREADS; i++) {
		struct pend_card *pc = &st->cards[i];
		int probes = atomic_read(&pc->probes);
		int late = atomic_read(&pc->late_probes);
		int removes = atomic_read(&pc->removes);
		int misorders = atomic_read(&pc->misorders);
		bool pending = snd_soc_card_is_pending(&pc->card);
		bool good;

		good = !misorders && late == probes && !pending &&
		       probes - removes == (up ? 1 : 0);
		if (up)
			good = good && pc->card.instantiated;
		if (phase == PEND_PHASE_SETUP)
			good = good && probes - probes_before[i] == 1;
		if (good)
			continue;

		KUNIT_FAIL(test,
			   "round %u, %s: %s probes %d (%d before setup) late_probes %d removes %d misorders %d pending %d",
			   round, pend_phase_names[phase], pc->card.name,
			   probes, probes_before[i], late, removes, misorders,
			   pending);
		ok = false;
	}

	count = snd_soc_pending_count();
	if (count != st->base) {
		KUNIT_FAIL(test, "round %u, %s: %u pending records, expected %u",
			   round, pend_phase_names[phase], count, st->base);
		ok = false;
	}

	if (atomic_read(&st->api_errors)) {
		KUNIT_FAIL(test, "round %u, %s: %d registrations failed, first with %d",
			   round, pend_phase_names[phase],
			   atomic_read(&st->api_errors),
			   atomic_read(&st->first_error));
		ok = false;
	}

	return ok;
}

/*
 * 6.1 runs a module's suites from the MODULE_STATE_COMING notifier, before
 * load_module() parses the module's parameters: "insmod ... stress_rounds=N"
 * would be seen too late. Read ours from the module's argument string.
 * Built in, the kernel command line has set them before the run.
 */
static void pend_stress_read_params(struct kunit *test)
{
#ifdef MODULE
	char *args, *next, *param, *val;
	int ret;

	args = kstrdup(THIS_MODULE->args, GFP_KERNEL);
	if (!args)
		return;

	next = skip_spaces(args);
	while (*next) {
		next = next_arg(next, &param, &val);
		if (!val)
			continue;

		if (!strcmp(param, "stress_rounds"))
			ret = kstrtouint(val, 0, &stress_rounds);
		else if (!strcmp(param, "stress_seconds"))
			ret = kstrtouint(val, 0, &stress_seconds);
		else if (!strcmp(param, "stress_seed"))
			ret = kstrtoul(val, 0, &stress_seed);
		else
			ret = 0;
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "bad value for %s: %s", param, val);
	}

	kfree(args);
#endif
}

static bool pend_stress_round(struct kunit *test, struct pend_stress *st,
			      unsigned int round)
{
	int probes_before[PEND_STRESS_THREADS];
	unsigned int i;

	for (i = 0; i < PEND_STRESS_THREADS; i++)
		probes_before[i] = atomic_read(&st->cards[i].probes);

	pend_stress_run(st, PEND_PHASE_SETUP);
	if (!pend_stress_check(test, st, round, PEND_PHASE_SETUP, probes_before))
		return false;

	pend_stress_run(st, PEND_PHASE_CHURN);
	if (!pend_stress_check(test, st, round, PEND_PHASE_CHURN, probes_before))
		return false;

	pend_stress_run(st, PEND_PHASE_TEARDOWN);
	return pend_stress_check(test, st, round, PEND_PHASE_TEARDOWN,
				 probes_before);
}

static void pend_test_stress(struct kunit *test)
{
	struct pend_ctx *ctx = test->priv;
	unsigned long deadline;
	struct pend_stress *st;
	unsigned int i, round, done = 0;
	u64 seed;

	pend_stress_read_params(test);
	seed = stress_seed ? stress_seed : get_random_u64();

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, st);
	st->base = ctx->base;
	ctx->stress = st;

	kunit_info(test, "%u rounds, %u s at most, seed %llu",
		   stress_rounds, stress_seconds, seed);
	KUNIT_ASSERT_EQ(test, pend_stress_init(st, seed), 0);

	deadline = jiffies + stress_seconds * HZ;
	for (round = 1; round <= stress_rounds; round++) {
		if (!pend_stress_round(test, st, round))
			break;
		done = round;
		if (stress_seconds && time_after(jiffies, deadline))
			break;
	}

	pend_stress_stop(st);
	kunit_info(test, "%u of %u rounds run", done, stress_rounds);

	/* every card bound at least once per round, unbound as often */
	for (i = 0; i < PEND_STRESS_THREADS; i++) {
		struct pend_card *pc = &st->cards[i];

		KUNIT_EXPECT_EQ(test, atomic_read(&pc->late_probes),
				atomic_read(&pc->probes));
		KUNIT_EXPECT_EQ(test, atomic_read(&pc->removes),
				atomic_read(&pc->probes));
		KUNIT_EXPECT_GE(test, atomic_read(&pc->probes), (int)done);
	}
	PEND_CHECK_COUNT(test, 0);
}

static struct kunit_case pend_test_cases[] = {
	KUNIT_CASE_PARAM(pend_test_order, pend_order_gen_params),
	KUNIT_CASE(pend_test_two_dais),
	KUNIT_CASE(pend_test_dai_driver_name),
	KUNIT_CASE_PARAM(pend_test_same_name, pend_same_name_gen_params),
	KUNIT_CASE(pend_test_two_cards),
	KUNIT_CASE_PARAM(pend_test_legacy_vs_deferrable, pend_all_apis_gen_params),
	KUNIT_CASE_PARAM(pend_test_remove_and_return, pend_all_apis_gen_params),
	KUNIT_CASE_PARAM(pend_test_unregister_pending,
			 pend_deferrable_apis_gen_params),
	KUNIT_CASE(pend_test_double_component),
	KUNIT_CASE(pend_test_from_work),
	KUNIT_CASE_PARAM(pend_test_probe_error, pend_probe_err_gen_params),
	KUNIT_CASE_PARAM(pend_test_bad_names, pend_name_gen_params),
	KUNIT_CASE(pend_test_stress),
	{}
};

static struct kunit_suite pend_test_suite = {
	.name = "snd-soc-pending",
	.suite_init = pend_suite_init,
	.init = pend_test_init,
	.exit = pend_test_exit,
	.test_cases = pend_test_cases,
};

kunit_test_suite(pend_test_suite);

MODULE_DESCRIPTION("KUnit tests for ASoC pending cards");
MODULE_LICENSE("GPL");
/* for snd_soc_pending_count() if it is exported with EXPORT_SYMBOL_IF_KUNIT() */
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
