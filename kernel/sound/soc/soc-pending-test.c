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
#include <linux/stringify.h>
#include <linux/workqueue.h>
#include <linux/of.h>
#include <linux/platform_device.h>
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
	PEND_NUM_APIS
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
	struct platform_device *machine;	/* see pend_machine_start() */
	bool machine_drv;			/* pend_machine_drv registered */
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

/*
 * The checks name where they are made in @at: "line N" for the cases
 * written out, "step N" for the scripts. A card is instantiated while it
 * is bound, that is after one more bind than unbinds.
 */
static void pend_check_binds(struct kunit *test, const char *at,
			     struct pend_card *pc, int binds, int unbinds)
{
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pc->probes), binds,
			    "%s: probe calls, %s", pc->card.name, at);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pc->late_probes), binds,
			    "%s: late_probe calls, %s", pc->card.name, at);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pc->removes), unbinds,
			    "%s: remove calls, %s", pc->card.name, at);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&pc->misorders), 0,
			    "%s: bound twice or unbound twice, %s",
			    pc->card.name, at);
	KUNIT_EXPECT_EQ_MSG(test, !!pc->card.instantiated, binds > unbinds,
			    "%s: instantiated, %s", pc->card.name, at);
}

static void pend_check(struct kunit *test, const char *at, struct pend_card *pc,
		       int binds, int unbinds, bool pending)
{
	pend_check_binds(test, at, pc, binds, unbinds);
	/* a card never registered is not pending; don't ask about it */
	if (pc->was_registered)
		KUNIT_EXPECT_EQ_MSG(test, snd_soc_card_is_pending(&pc->card),
				    pending, "%s: pending, %s",
				    pc->card.name, at);
}

static void pend_check_count(struct kunit *test, const char *at,
			     unsigned int cards)
{
	struct pend_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ_MSG(test, snd_soc_pending_count(), ctx->base + cards,
			    "pending records, %s", at);
}

#define PEND_LINE	"line " __stringify(__LINE__)

/* Binds and unbinds so far, and whether the card waits for components */
#define PEND_CHECK(test, pc, binds, unbinds, pending) \
	pend_check(test, PEND_LINE, pc, binds, unbinds, pending)
/* Pending records beyond the ones there before the case */
#define PEND_CHECK_COUNT(test, cards) \
	pend_check_count(test, PEND_LINE, cards)

static void pend_stress_cleanup(struct pend_stress *st);
static void pend_machine_stop(struct pend_ctx *ctx);

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

	pend_machine_stop(ctx);

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

/* ===== SCRIPTS =========================================================== */

/*
 * Cases that only register and unregister cards and components, checking
 * the same counts after every step, are scripts: a table of steps, each an
 * operation and the state it leaves, run by pend_test_script(). After each
 * step it checks every card of the script, as PEND_CHECK() does (binds,
 * unbinds, no misorder, instantiated while bound, pending), and the pending
 * records, as PEND_CHECK_COUNT() does. A card never registered is not asked
 * whether it is pending: its row must say false.
 */

enum pend_op {
	PEND_END,		/* ends a script: its table ends with { } */
	PEND_REGISTER,		/* card @target, with the API of the run */
	PEND_UNREGISTER,	/* card @target */
	PEND_ADD,		/* component @kind on device pend-comp@target */
	PEND_DEL,		/* every component of device pend-comp@target */
};

/* What a PEND_ADD step registers: a component driver and its DAIs */
enum pend_kind {
	PEND_NONE,		/* not a PEND_ADD step */
	PEND_CPU,		/* pend-cpu-dai */
	PEND_CODEC,		/* pend-codec-dai */
	PEND_CPU_AB,		/* pend-cpu-a and pend-cpu-b */
	PEND_CODEC_AB,		/* pend-codec-a and pend-codec-b */
	PEND_CPU_A,		/* pend-cpu-a */
	PEND_CPU_B,		/* pend-cpu-b */
	PEND_CODEC_A,		/* pend-codec-a */
	PEND_CODEC_B,		/* pend-codec-b, the second driver */
	PEND_LEGACY_NAMED,	/* pend-legacy-dai, named after its device */
	PEND_NUM_KINDS
};

struct pend_comp_kind {
	const struct snd_soc_component_driver *drv;
	struct snd_soc_dai_driver *dais;
	int num_dais;
};

/*
 * PEND_CODEC_B has a driver of its own, so that it can share a device and
 * a component name with PEND_CODEC_A.
 */
static const struct pend_comp_kind pend_kinds[PEND_NUM_KINDS] = {
	[PEND_CPU] = { &pend_comp_drv, pend_cpu_dai, 1 },
	[PEND_CODEC] = { &pend_comp_drv, pend_codec_dai, 1 },
	[PEND_CPU_AB] = { &pend_comp_drv, pend_cpu_dais2, 2 },
	[PEND_CODEC_AB] = { &pend_comp_drv, pend_codec_dais2, 2 },
	[PEND_CPU_A] = { &pend_comp_drv, &pend_cpu_dais2[0], 1 },
	[PEND_CPU_B] = { &pend_comp_drv, &pend_cpu_dais2[1], 1 },
	[PEND_CODEC_A] = { &pend_comp_drv, &pend_codec_dais2[0], 1 },
	[PEND_CODEC_B] = { &pend_comp_drv_b, &pend_codec_dais2[1], 1 },
	[PEND_LEGACY_NAMED] = { &pend_legacy_naming_drv, pend_legacy_dai, 1 },
};

/* A card's state after a step */
struct pend_state {
	int binds;		/* probe and late_probe calls */
	int unbinds;		/* remove calls */
	bool pending;		/* snd_soc_card_is_pending() */
};

struct pend_step {
	enum pend_op op;
	unsigned int target;	/* card, or component device */
	enum pend_kind kind;	/* PEND_ADD: what registers */
	struct pend_state cards[PEND_CARDS];	/* after the step */
	unsigned int records;	/* pending records after the step */
	int ret;		/* what the operation returns */
	bool may_refuse;	/* PEND_ADD: an error is fine too */
};

#define PEND_CODECS	2	/* codecs of a DAI link, at most */

struct pend_dlc_desc {
	const char *name;	/* component; NULL: a CPU found by DAI alone */
	const char *dai;
};

struct pend_link_desc {
	struct pend_dlc_desc cpu;
	struct pend_dlc_desc codecs[PEND_CODECS];	/* as many as named */
	bool ignore;
};

struct pend_card_desc {
	const char *name;
	unsigned int num_links;
	struct pend_link_desc links[PEND_LINKS];
};

#define PEND_ALL_APIS \
	(BIT(PEND_API_LEGACY) | BIT(PEND_API_DEFERRABLE) | BIT(PEND_API_DEVM))
#define PEND_DEFERRABLE_APIS	(BIT(PEND_API_DEFERRABLE) | BIT(PEND_API_DEVM))

struct pend_script {
	const char *name;
	unsigned int apis;	/* BIT() of every API it runs with */
	const struct pend_card_desc *cards[PEND_CARDS];
	const struct pend_step *steps;
};

/* A link: pend-comp0's CPU DAI and pend-comp1's codec DAI */
static const struct pend_card_desc pend_simple_desc = {
	.name = "pend-simple",
	.num_links = 1,
	.links = {
		{
			.cpu = { "pend-comp0", "pend-cpu-dai" },
			.codecs = { { "pend-comp1", "pend-codec-dai" } },
		},
	},
};

/* Two links: pend-comp0's CPU DAIs a and b, pend-comp1's codec DAIs a and b */
static const struct pend_card_desc pend_two_dais_desc = {
	.name = "pend-two-dais",
	.num_links = 2,
	.links = {
		{
			.cpu = { "pend-comp0", "pend-cpu-a" },
			.codecs = { { "pend-comp1", "pend-codec-a" } },
		},
		{
			.cpu = { "pend-comp0", "pend-cpu-b" },
			.codecs = { { "pend-comp1", "pend-codec-b" } },
		},
	},
};

/*
 * One component with two DAIs serves two links, CPU and codec alike. The
 * card waits for four DAIs and binds once, when the second component
 * brings the last two.
 */
static const struct pend_step pend_two_dais_steps[] = {
	/* nothing there: pending */
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	/* both codec DAIs there, both CPU DAIs missing: still pending */
	{ PEND_ADD, 1, PEND_CODEC_AB, { { 0, 0, true } }, 1 },
	/* both CPU DAIs arrive with one component: bound once */
	{ PEND_ADD, 0, PEND_CPU_AB, { { 1, 0, false } }, 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 1, 1, false } }, .records = 0 },
	{ }
};

/*
 * A link's DAI name matches a DAI's driver name too: with legacy DAI naming
 * the DAI is called after its device ("pend-comp1") and only its driver is
 * called "pend-legacy-dai". Binding accepts that, so must the records.
 */
static const struct pend_card_desc pend_dai_drv_desc = {
	.name = "pend-dai-drv",
	.num_links = 1,
	.links = {
		{
			.cpu = { "pend-comp0", "pend-cpu-dai" },
			.codecs = { { "pend-comp1", "pend-legacy-dai" } },
		},
	},
};

static const struct pend_step pend_dai_drv_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	/* the codec DAI is found by its driver's name: bound once */
	{ PEND_ADD, 1, PEND_LEGACY_NAMED, { { 1, 0, false } }, 0 },
	{ }
};

/*
 * Two links name the same codec component, "pend-comp1", with different
 * DAIs, and two components of that name register on that device, one DAI
 * each. The first one's name matches both links, but the card must wait
 * for the component that bears the other DAI. Once with DAI a first, once
 * with DAI b first.
 */
static const struct pend_step pend_same_name_a_steps[] = {
	{ PEND_ADD, 0, PEND_CPU_AB, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	/* the name is there, one of the two DAIs is not: still pending */
	{ PEND_ADD, 1, PEND_CODEC_A, { { 0, 0, true } }, 1 },
	/* the component bearing the other DAI: bound once */
	{ PEND_ADD, 1, PEND_CODEC_B, { { 1, 0, false } }, 0 },
	{ }
};

static const struct pend_step pend_same_name_b_steps[] = {
	{ PEND_ADD, 0, PEND_CPU_AB, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	/* the name is there, one of the two DAIs is not: still pending */
	{ PEND_ADD, 1, PEND_CODEC_B, { { 0, 0, true } }, 1 },
	/* the component bearing the other DAI: bound once */
	{ PEND_ADD, 1, PEND_CODEC_A, { { 1, 0, false } }, 0 },
	{ }
};

/*
 * Two cards waiting for one device. 6.1 binds a component to one card at a
 * time (soc_probe_component() refuses a second card with -ENODEV), so the
 * cards share the device and its component name, "pend-comp2", and each
 * uses its own component there, told apart by DAI. Each card binds once,
 * when its own component arrives; when the device goes away both fall back
 * to pending, and both bind again when it returns.
 */
static const struct pend_card_desc pend_card_a_desc = {
	.name = "pend-card-a",
	.num_links = 1,
	.links = {
		{
			.cpu = { "pend-comp0", "pend-cpu-a" },
			.codecs = { { "pend-comp2", "pend-codec-a" } },
		},
	},
};

static const struct pend_card_desc pend_card_b_desc = {
	.name = "pend-card-b",
	.num_links = 1,
	.links = {
		{
			.cpu = { "pend-comp1", "pend-cpu-b" },
			.codecs = { { "pend-comp2", "pend-codec-b" } },
		},
	},
};

static const struct pend_step pend_two_cards_steps[] = {
	{ PEND_ADD, 0, PEND_CPU_A, { { 0, 0, false }, { 0, 0, false } }, 0 },
	{ PEND_ADD, 1, PEND_CPU_B, { { 0, 0, false }, { 0, 0, false } }, 0 },
	/* both wait for pend-comp2 */
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true }, { 0, 0, false } }, .records = 1 },
	{ PEND_REGISTER, 1, .cards = { { 0, 0, true }, { 0, 0, true } }, .records = 2 },
	/* card A's component: A bound, B still waits */
	{ PEND_ADD, 2, PEND_CODEC_A, { { 1, 0, false }, { 0, 0, true } }, 1 },
	/* card B's component: B bound */
	{ PEND_ADD, 2, PEND_CODEC_B, { { 1, 0, false }, { 1, 0, false } }, 0 },
	/* the device goes away: both unbound once, both pending */
	{ PEND_DEL, 2, .cards = { { 1, 1, true }, { 1, 1, true } }, .records = 2 },
	/* and comes back, the other way round: both bound again, once */
	{ PEND_ADD, 2, PEND_CODEC_B, { { 1, 1, true }, { 2, 1, false } }, 1 },
	{ PEND_ADD, 2, PEND_CODEC_A, { { 2, 1, false }, { 2, 1, false } }, 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 2, 2, false }, { 2, 1, false } }, .records = 0 },
	{ PEND_UNREGISTER, 1, .cards = { { 2, 2, false }, { 2, 2, false } }, .records = 0 },
	{ }
};

/*
 * Legacy and deferrable registration of a card whose codec is missing.
 *
 * Legacy: snd_soc_register_card() fails with -EPROBE_DEFER and a record
 * keyed by the card's device stays (one, however often the driver retries);
 * the codec's arrival completes it and queues the re-probe of the device (a
 * no-op for a root device without driver). The driver's next probe binds
 * the card, which drops the record. The card, never registered until then,
 * is not asked whether it is pending.
 *
 * Deferrable: registration returns 0, the card stays registered and
 * pending, and the codec's registration binds it.
 */
static const struct pend_step pend_legacy_defers_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, false } }, .records = 1,
	  .ret = -EPROBE_DEFER },
	/* the driver core retries: still one record */
	{ PEND_REGISTER, 0, .cards = { { 0, 0, false } }, .records = 1,
	  .ret = -EPROBE_DEFER },
	/*
	 * complete: a re-probe of the device is queued (a no-op for a root
	 * device without bus), the card is not bound behind our back, and
	 * the record stays until the card binds
	 */
	{ PEND_ADD, 1, PEND_CODEC, { { 0, 0, false } }, 1 },
	/* the re-probed machine driver registers the card again: bound once */
	{ PEND_REGISTER, 0, .cards = { { 1, 0, false } }, .records = 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 1, 1, false } }, .records = 0 },
	{ }
};

static const struct pend_step pend_deferrable_waits_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	/* bound once, nothing pending */
	{ PEND_ADD, 1, PEND_CODEC, { { 1, 0, false } }, 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 1, 1, false } }, .records = 0 },
	{ }
};

/*
 * A bound card loses its codec: unbound once, pending again, waiting for
 * it. The codec's return binds it again, once.
 */
static const struct pend_step pend_return_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_ADD, 1, PEND_CODEC, { { 0, 0, false } }, 0 },
	/* everything there: bound by the registration itself */
	{ PEND_REGISTER, 0, .cards = { { 1, 0, false } }, .records = 0 },
	/* codec gone: unbound, pending */
	{ PEND_DEL, 1, .cards = { { 1, 1, true } }, .records = 1 },
	/* codec back: bound again, once */
	{ PEND_ADD, 1, PEND_CODEC, { { 2, 1, false } }, 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 2, 2, false } }, .records = 0 },
	{ }
};

/*
 * A pending card unregistered: its record goes, the codec's arrival then
 * binds nothing, and the same card registered again binds at once.
 */
static const struct pend_step pend_dropped_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	/* dropped: no record, not pending, never bound */
	{ PEND_UNREGISTER, 0, .cards = { { 0, 0, false } }, .records = 0 },
	/* the codec it waited for binds nothing */
	{ PEND_ADD, 1, PEND_CODEC, { { 0, 0, false } }, 0 },
	/* nothing stale: registered again, it binds at once */
	{ PEND_REGISTER, 0, .cards = { { 1, 0, false } }, .records = 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 1, 1, false } }, .records = 0 },
	{ }
};

/*
 * The same component registered twice on one device. 6.1's
 * snd_soc_add_component() does not look for duplicates: the second one is
 * added beside the first, under the same name (a CPU and its dmaengine
 * PCM do that with different drivers). The card binds once, on the first;
 * the second must not bind it again.
 */
static const struct pend_step pend_double_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	/* first codec: bound once */
	{ PEND_ADD, 1, PEND_CODEC, { { 1, 0, false } }, 0 },
	/* the same again: accepted as 6.1 does (or refused), no second bind */
	{ PEND_ADD, 1, PEND_CODEC, { { 1, 0, false } }, 0, .may_refuse = true },
	/* the card registered anew while both are there: bound once */
	{ PEND_UNREGISTER, 0, .cards = { { 1, 1, false } }, .records = 0 },
	{ PEND_REGISTER, 0, .cards = { { 2, 1, false } }, .records = 0 },
	/* the device's components all go: unbound once, pending */
	{ PEND_DEL, 1, .cards = { { 2, 2, true } }, .records = 1 },
	{ PEND_UNREGISTER, 0, .cards = { { 2, 2, false } }, .records = 0 },
	{ }
};

/*
 * A link with two codecs, pend-comp1's and pend-comp2's DAI of the same
 * name. The card waits for both: one codec binds nothing, the second binds
 * the card, once; either going unbinds it, and its return binds it again.
 */
static const struct pend_card_desc pend_multi_codec_desc = {
	.name = "pend-multi-codec",
	.num_links = 1,
	.links = {
		{
			.cpu = { "pend-comp0", "pend-cpu-dai" },
			.codecs = {
				{ "pend-comp1", "pend-codec-dai" },
				{ "pend-comp2", "pend-codec-dai" },
			},
		},
	},
};

static const struct pend_step pend_multi_codec_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	/* one codec of two: still pending */
	{ PEND_ADD, 1, PEND_CODEC, { { 0, 0, true } }, 1 },
	/* the other: bound once */
	{ PEND_ADD, 2, PEND_CODEC, { { 1, 0, false } }, 0 },
	/* the second codec gone: unbound, pending; back: bound again */
	{ PEND_DEL, 2, .cards = { { 1, 1, true } }, .records = 1 },
	{ PEND_ADD, 2, PEND_CODEC, { { 2, 1, false } }, 0 },
	/* the first codec gone: unbound, pending; back: bound again */
	{ PEND_DEL, 1, .cards = { { 2, 2, true } }, .records = 1 },
	{ PEND_ADD, 1, PEND_CODEC, { { 3, 2, false } }, 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 3, 3, false } }, .records = 0 },
	{ }
};

/* With every API: the card registers last and binds at once */
static const struct pend_step pend_multi_codec_last_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_ADD, 1, PEND_CODEC, { { 0, 0, false } }, 0 },
	{ PEND_ADD, 2, PEND_CODEC, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 1, 0, false } }, .records = 0 },
	/* a codec gone: unbound, pending; back: bound again, once */
	{ PEND_DEL, 1, .cards = { { 1, 1, true } }, .records = 1 },
	{ PEND_ADD, 1, PEND_CODEC, { { 2, 1, false } }, 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 2, 2, false } }, .records = 0 },
	{ }
};

/* A legacy card defers while a codec of the two is missing */
static const struct pend_step pend_multi_codec_legacy_steps[] = {
	{ PEND_ADD, 0, PEND_CPU, { { 0, 0, false } }, 0 },
	{ PEND_ADD, 1, PEND_CODEC, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 0, 0, false } }, .records = 1,
	  .ret = -EPROBE_DEFER },
	/* the second codec completes the record, which stays until the bind */
	{ PEND_ADD, 2, PEND_CODEC, { { 0, 0, false } }, 1 },
	/* the re-probed machine driver registers the card: bound once */
	{ PEND_REGISTER, 0, .cards = { { 1, 0, false } }, .records = 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 1, 1, false } }, .records = 0 },
	{ }
};

/*
 * A card whose second link is marked ignore (as a topology or a board
 * quirk does): the bind skips that link, so the card waits for the first
 * link's components only. The ignored link's components, pend-comp2 and
 * pend-comp3, never register.
 */
static const struct pend_card_desc pend_ignore_desc = {
	.name = "pend-ignore",
	.num_links = 2,
	.links = {
		{
			.cpu = { "pend-comp0", "pend-cpu-a" },
			.codecs = { { "pend-comp1", "pend-codec-a" } },
		},
		{
			.cpu = { "pend-comp2", "pend-cpu-b" },
			.codecs = { { "pend-comp3", "pend-codec-b" } },
			.ignore = true,
		},
	},
};

static const struct pend_step pend_ignore_steps[] = {
	{ PEND_REGISTER, 0, .cards = { { 0, 0, true } }, .records = 1 },
	{ PEND_ADD, 0, PEND_CPU_A, { { 0, 0, true } }, 1 },
	/* the first link is complete: bound once, nothing pending */
	{ PEND_ADD, 1, PEND_CODEC_A, { { 1, 0, false } }, 0 },
	/* its codec gone: unbound, pending; back: bound again, once */
	{ PEND_DEL, 1, .cards = { { 1, 1, true } }, .records = 1 },
	{ PEND_ADD, 1, PEND_CODEC_A, { { 2, 1, false } }, 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 2, 2, false } }, .records = 0 },
	{ }
};

/* With every API: registered last, bound at once (a legacy card too) */
static const struct pend_step pend_ignore_last_steps[] = {
	{ PEND_ADD, 0, PEND_CPU_A, { { 0, 0, false } }, 0 },
	{ PEND_ADD, 1, PEND_CODEC_A, { { 0, 0, false } }, 0 },
	{ PEND_REGISTER, 0, .cards = { { 1, 0, false } }, .records = 0 },
	{ PEND_UNREGISTER, 0, .cards = { { 1, 1, false } }, .records = 0 },
	{ }
};

static const struct pend_script pend_scripts[] = {
	{ "two DAIs", BIT(PEND_API_DEFERRABLE),
	  { &pend_two_dais_desc }, pend_two_dais_steps },
	{ "DAI driver name", BIT(PEND_API_DEFERRABLE),
	  { &pend_dai_drv_desc }, pend_dai_drv_steps },
	{ "same name, DAI a first", BIT(PEND_API_DEFERRABLE),
	  { &pend_two_dais_desc }, pend_same_name_a_steps },
	{ "same name, DAI b first", BIT(PEND_API_DEFERRABLE),
	  { &pend_two_dais_desc }, pend_same_name_b_steps },
	{ "two cards", BIT(PEND_API_DEFERRABLE),
	  { &pend_card_a_desc, &pend_card_b_desc }, pend_two_cards_steps },
	{ "legacy defers", BIT(PEND_API_LEGACY),
	  { &pend_simple_desc }, pend_legacy_defers_steps },
	{ "deferrable waits", PEND_DEFERRABLE_APIS,
	  { &pend_simple_desc }, pend_deferrable_waits_steps },
	{ "remove and return", PEND_ALL_APIS,
	  { &pend_simple_desc }, pend_return_steps },
	{ "unregister pending", PEND_DEFERRABLE_APIS,
	  { &pend_simple_desc }, pend_dropped_steps },
	{ "double component", BIT(PEND_API_DEFERRABLE),
	  { &pend_simple_desc }, pend_double_steps },
	{ "multi-codec", PEND_DEFERRABLE_APIS,
	  { &pend_multi_codec_desc }, pend_multi_codec_steps },
	{ "multi-codec, card last", PEND_ALL_APIS,
	  { &pend_multi_codec_desc }, pend_multi_codec_last_steps },
	{ "multi-codec, legacy defers", BIT(PEND_API_LEGACY),
	  { &pend_multi_codec_desc }, pend_multi_codec_legacy_steps },
	{ "link ignored", PEND_DEFERRABLE_APIS,
	  { &pend_ignore_desc }, pend_ignore_steps },
	{ "link ignored, card last", PEND_ALL_APIS,
	  { &pend_ignore_desc }, pend_ignore_last_steps },
};

static void pend_script_desc(const struct pend_script *script, char *desc)
{
	strscpy(desc, script->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pend_script, pend_scripts, pend_script_desc);

/* A script and one API of its mask: a parameter of pend_test_script() */
struct pend_run {
	const struct pend_script *script;
	enum pend_api api;
};

static struct pend_run pend_runs[ARRAY_SIZE(pend_scripts)][PEND_NUM_APIS];

/*
 * Every script with every API of its mask: the scripts walked with
 * pend_script_gen_params(), within each the APIs in enum order. The
 * description is the script's name and the API's.
 */
static const void *pend_run_gen_params(const void *prev, char *desc)
{
	const struct pend_run *last = prev;
	const struct pend_script *script;
	struct pend_run *run;
	unsigned int api = 0;
	size_t len;

	if (last) {
		script = last->script;
		api = last->api + 1;
	} else {
		script = pend_script_gen_params(NULL, desc);
	}

	for (; script; script = pend_script_gen_params(script, desc), api = 0) {
		while (api < PEND_NUM_APIS && !(script->apis & BIT(api)))
			api++;
		if (api == PEND_NUM_APIS)
			continue;

		run = &pend_runs[script - pend_scripts][api];
		run->script = script;
		run->api = api;

		pend_script_desc(script, desc);
		len = strlen(desc);
		scnprintf(desc + len, KUNIT_PARAM_DESC_SIZE - len, ", %s",
			  pend_api_names[api]);
		return run;
	}

	return NULL;
}

/* The number of codecs of a link: as many as are named */
static unsigned int pend_link_desc_codecs(const struct pend_link_desc *ld)
{
	unsigned int n = 0;

	while (n < PEND_CODECS && ld->codecs[n].name)
		n++;

	return n;
}

static void pend_script_card(struct kunit *test, unsigned int idx,
			     const struct pend_card_desc *cd)
{
	const struct pend_link_desc *ld;
	struct snd_soc_dai_link_component *codecs;
	struct snd_soc_dai_link *link;
	struct pend_card *pc;
	unsigned int i, j, n;

	KUNIT_ASSERT_GE(test, cd->num_links, 1);
	KUNIT_ASSERT_LE(test, cd->num_links, PEND_LINKS);
	pc = pend_card_new(test, idx, cd->name, cd->num_links);

	for (i = 0; i < cd->num_links; i++) {
		ld = &cd->links[i];
		link = &pc->links[i];
		n = pend_link_desc_codecs(ld);
		KUNIT_ASSERT_GE_MSG(test, n, 1, "%s: link %u without codec",
				    cd->name, i);

		codecs = kunit_kcalloc(test, n, sizeof(*codecs), GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, codecs);
		for (j = 0; j < n; j++)
			pend_dlc_set(&codecs[j], ld->codecs[j].name,
				     ld->codecs[j].dai);

		pend_dlc_set(&pc->cpus[i], ld->cpu.name, ld->cpu.dai);
		link->codecs = codecs;
		link->num_codecs = n;
		link->ignore = ld->ignore;
	}
}

/* Checks the table itself, so that a mistake in it fails, not oopses */
static void pend_step_assert_valid(struct kunit *test, const char *at,
				   const struct pend_step *step)
{
	struct pend_ctx *ctx = test->priv;

	switch (step->op) {
	case PEND_REGISTER:
	case PEND_UNREGISTER:
		KUNIT_ASSERT_LT_MSG(test, step->target, PEND_CARDS,
				    "%s: no such card", at);
		KUNIT_ASSERT_NOT_NULL_MSG(test, ctx->cards[step->target],
					  "%s: card %u not in the script",
					  at, step->target);
		break;
	case PEND_ADD:
		KUNIT_ASSERT_GT_MSG(test, step->kind, PEND_NONE,
				    "%s: no component kind", at);
		KUNIT_ASSERT_LT_MSG(test, step->kind, PEND_NUM_KINDS,
				    "%s: no such component kind", at);
		fallthrough;
	case PEND_DEL:
		KUNIT_ASSERT_LT_MSG(test, step->target, PEND_COMPS,
				    "%s: no such component device", at);
		break;
	default:
		KUNIT_ASSERT_FAILURE(test, "%s: unknown operation %d", at,
				     step->op);
	}
}

static int pend_step_do(struct kunit *test, enum pend_api api,
			const struct pend_step *step)
{
	struct pend_ctx *ctx = test->priv;
	const struct pend_comp_kind *k;

	switch (step->op) {
	case PEND_REGISTER:
		return pend_card_register(ctx->cards[step->target], api);
	case PEND_UNREGISTER:
		pend_card_unregister(ctx->cards[step->target]);
		return 0;
	case PEND_ADD:
		k = &pend_kinds[step->kind];
		return pend_comp_add(test, step->target, k->drv, k->dais,
				     k->num_dais);
	default:
		pend_comp_del(test, step->target);
		return 0;
	}
}

static void pend_step_check(struct kunit *test, const char *at,
			    const struct pend_step *step)
{
	struct pend_ctx *ctx = test->priv;
	const struct pend_state *exp;
	struct pend_card *pc;
	unsigned int i;

	for (i = 0; i < PEND_CARDS; i++) {
		pc = ctx->cards[i];
		exp = &step->cards[i];
		if (!pc) {
			KUNIT_EXPECT_TRUE_MSG(test, !exp->binds &&
					      !exp->unbinds && !exp->pending,
					      "%s: a state for card %u, not in the script",
					      at, i);
			continue;
		}
		if (!pc->was_registered)
			KUNIT_EXPECT_FALSE_MSG(test, exp->pending,
					       "%s: %s, never registered, cannot be asked",
					       at, pc->card.name);
		pend_check(test, at, pc, exp->binds, exp->unbinds,
			   exp->pending);
	}
	pend_check_count(test, at, step->records);
}

static void pend_test_script(struct kunit *test)
{
	const struct pend_run *run = test->param_value;
	const struct pend_script *script = run->script;
	const struct pend_step *step;
	unsigned int i;
	char at[32];
	int ret;

	for (i = 0; i < PEND_CARDS; i++)
		if (script->cards[i])
			pend_script_card(test, i, script->cards[i]);

	for (i = 0, step = script->steps; step->op != PEND_END; i++, step++) {
		snprintf(at, sizeof(at), "step %u", i);
		pend_step_assert_valid(test, at, step);

		ret = pend_step_do(test, run->api, step);
		if (step->may_refuse) {
			KUNIT_EXPECT_LE_MSG(test, ret, 0, "%s", at);
			if (ret)
				kunit_info(test, "%s: refused: %d", at, ret);
		} else {
			KUNIT_ASSERT_EQ_MSG(test, ret, step->ret, "%s", at);
		}

		pend_step_check(test, at, step);
	}
	KUNIT_EXPECT_GT_MSG(test, i, 0, "%s: no steps", script->name);
}

/* ===== LIFE CYCLE ======================================================== */

/* A card of one link: pend-comp0's CPU DAI and pend-comp1's codec DAI */
static struct pend_card *pend_simple_card(struct kunit *test, const char *name)
{
	struct pend_card *pc = pend_card_new(test, 0, name, 1);

	pend_dlc_set(&pc->cpus[0], pend_comp_names[0], "pend-cpu-dai");
	pend_dlc_set(&pc->codecs[0], pend_comp_names[1], "pend-codec-dai");

	return pc;
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
 * Once the probe succeeds the card registers and binds normally. A
 * deferrable card whose codec probe defers is the exception: it stays
 * registered, and the next component registration binds it.
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
	if (p->api != PEND_API_LEGACY && p->err == -EPROBE_DEFER) {
		/* registered, in the error state, retried on a change */
		KUNIT_ASSERT_EQ(test, pend_card_register(pc, p->api), 0);
		KUNIT_EXPECT_TRUE(test, snd_soc_card_is_pending(&pc->card));
		KUNIT_EXPECT_FALSE(test, pc->card.instantiated);
		KUNIT_EXPECT_EQ(test, atomic_read(&pc->late_probes), 0);
		PEND_CHECK_COUNT(test, 1);

		/* an unrelated component registers: bound, once */
		ctx->probe_err = 0;
		KUNIT_ASSERT_EQ(test, pend_comp_add(test, 2, &pend_comp_drv,
						    NULL, 0), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&pc->late_probes), 1);
		KUNIT_EXPECT_TRUE(test, pc->card.instantiated);
		KUNIT_EXPECT_FALSE(test, snd_soc_card_is_pending(&pc->card));
		PEND_CHECK_COUNT(test, 0);
		return;
	}
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
	PEND_ABSENT_CODEC_NO_DAI, /* codec: absent component, no DAI name */
	PEND_ABSENT_CPU_BOTH,	/* CPU: absent, both name and of_node */
};

/* A device tree node without CONFIG_OF: matched by address only */
static struct device_node pend_np = { .name = "pend-np" };

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
	{ PEND_ABSENT_CODEC_NO_DAI, PEND_API_LEGACY, "legacy, absent codec without DAI name" },
	{ PEND_ABSENT_CODEC_NO_DAI, PEND_API_DEFERRABLE,
	  "deferrable, absent codec without DAI name" },
	{ PEND_ABSENT_CPU_BOTH, PEND_API_LEGACY, "legacy, absent CPU with name and node" },
	{ PEND_ABSENT_CPU_BOTH, PEND_API_DEFERRABLE, "deferrable, absent CPU with name and node" },
};

static void pend_name_desc(const struct pend_name_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pend_name, pend_name_params, pend_name_desc);

/*
 * A card with one bad name and everything else registered. Missing names
 * are refused with -EINVAL, as binding refuses them, and leave nothing
 * pending, also when the malformed link names a component that is absent:
 * links are validated before anything is recorded. An empty name is a
 * name: the card may be refused or wait cleanly, and unregistering it
 * leaves nothing behind.
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
	case PEND_ABSENT_CODEC_NO_DAI:
		/* validated before anything waits for pend-comp3 */
		pend_dlc_set(&pc->codecs[0], pend_comp_names[3], NULL);
		break;
	case PEND_ABSENT_CPU_BOTH:
		pend_dlc_set(&pc->cpus[0], pend_comp_names[3], "pend-cpu-dai");
		pc->cpus[0].of_node = &pend_np;
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

/* ===== CONTRACT ========================================================== */

struct pend_fail_param {
	enum pend_api api;
	int err;
	const char *desc;
};

static const struct pend_fail_param pend_fail_params[] = {
	{ PEND_API_LEGACY, -EPROBE_DEFER, "legacy, -EPROBE_DEFER" },
	{ PEND_API_LEGACY, -EIO, "legacy, -EIO" },
	{ PEND_API_DEFERRABLE, -EPROBE_DEFER, "deferrable, -EPROBE_DEFER" },
	{ PEND_API_DEFERRABLE, -EIO, "deferrable, -EIO" },
	{ PEND_API_DEVM, -EPROBE_DEFER, "devm-deferrable, -EPROBE_DEFER" },
};

static void pend_fail_desc(const struct pend_fail_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pend_fail, pend_fail_params, pend_fail_desc);

/*
 * A bound card loses its codec; when the codec returns, its probe fails
 * once (a clock provider not bound yet, or an error). The card is not
 * lost: it stays pending in the error state, and the next registration of
 * anything, here an unrelated component, binds it, once.
 */
static void pend_test_bind_fails_once(struct kunit *test)
{
	const struct pend_fail_param *p = test->param_value;
	struct pend_ctx *ctx = test->priv;
	struct pend_card *pc;

	pc = pend_simple_card(test, "pend-fail-once");
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_fail_drv,
					    pend_codec_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, p->api), 0);
	PEND_CHECK(test, pc, 1, 0, false);

	/* codec gone: unbound, pending */
	pend_comp_del(test, 1);
	PEND_CHECK(test, pc, 1, 1, true);

	/* codec back, its probe fails: still pending, not bound */
	ctx->probe_err = p->err;
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_fail_drv,
					    pend_codec_dai, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&pc->late_probes), 1);
	KUNIT_EXPECT_FALSE(test, pc->card.instantiated);
	KUNIT_EXPECT_TRUE(test, snd_soc_card_is_pending(&pc->card));
	PEND_CHECK_COUNT(test, 1);

	/* the world changes: bound again, once */
	ctx->probe_err = 0;
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 2, &pend_comp_drv, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&pc->late_probes), 2);
	KUNIT_EXPECT_TRUE(test, pc->card.instantiated);
	KUNIT_EXPECT_FALSE(test, snd_soc_card_is_pending(&pc->card));
	KUNIT_EXPECT_EQ(test, atomic_read(&pc->misorders), 0);
	PEND_CHECK_COUNT(test, 0);
}

/* Renames the codec of the first link, as a board quirk would. */
static int pend_rename_add_dai_link(struct snd_soc_card *card,
				    struct snd_soc_dai_link *link)
{
	link->codecs[0].name = pend_comp_names[2];

	return 0;
}

/*
 * The card's add_dai_link hook moves the codec from pend-comp1 to
 * pend-comp2. The card waits for what the bind will look up: pend-comp1
 * binds nothing, pend-comp2 binds it, once.
 */
static void pend_test_hook_renames(struct kunit *test)
{
	struct pend_card *pc;

	pc = pend_simple_card(test, "pend-rename");
	pc->card.add_dai_link = pend_rename_add_dai_link;
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 0, 0, true);

	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	PEND_CHECK(test, pc, 0, 0, true);
	KUNIT_EXPECT_FALSE(test, pc->card.instantiated);

	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 2, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	PEND_CHECK(test, pc, 1, 0, false);
	KUNIT_EXPECT_TRUE(test, pc->card.instantiated);
	PEND_CHECK_COUNT(test, 0);
}

/*
 * A codec named by device tree node only (a static node: the test kernel
 * has no CONFIG_OF). The component whose device carries the node binds
 * the card; one on another device does not.
 */
static void pend_test_of_node(struct kunit *test)
{
	struct pend_ctx *ctx = test->priv;
	struct pend_card *pc;

	pc = pend_simple_card(test, "pend-of-node");
	pend_dlc_set(&pc->codecs[0], NULL, "pend-codec-dai");
	pc->codecs[0].of_node = &pend_np;
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 0, 0, true);

	/* same DAI name, no node: not it */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	PEND_CHECK(test, pc, 0, 0, true);

	ctx->comp_dev[3]->of_node = &pend_np;
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 3, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	PEND_CHECK(test, pc, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);

	pend_card_unregister(pc);
	pend_comp_del(test, 3);
	ctx->comp_dev[3]->of_node = NULL;
}

/*
 * A codec named by device tree node and arguments, as simple-audio-card
 * names it (sound-dai = <&node 1>): the component on the node with too few
 * DAIs for the argument does not complete the card; the one with two binds
 * it to its second DAI, whatever the DAI is called.
 */
static void pend_test_dai_args(struct kunit *test)
{
	static const struct of_phandle_args args = {
		.np = &pend_np, .args_count = 1, .args = { 1 },
	};
	struct pend_ctx *ctx = test->priv;
	struct snd_soc_pcm_runtime *rtd;
	struct pend_card *pc;

	pc = pend_simple_card(test, "pend-dai-args");
	pend_dlc_set(&pc->codecs[0], NULL, NULL);
	pc->codecs[0].of_node = &pend_np;
	pc->codecs[0].dai_args = &args;
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	KUNIT_ASSERT_EQ(test, pend_card_register(pc, PEND_API_DEFERRABLE), 0);
	PEND_CHECK(test, pc, 0, 0, true);

	/* the right node, but no DAI 1 */
	ctx->comp_dev[2]->of_node = &pend_np;
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 2, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	PEND_CHECK(test, pc, 0, 0, true);
	pend_comp_del(test, 2);
	ctx->comp_dev[2]->of_node = NULL;

	ctx->comp_dev[3]->of_node = &pend_np;
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 3, &pend_comp_drv,
					    pend_codec_dais2, 2), 0);
	PEND_CHECK(test, pc, 1, 0, false);
	PEND_CHECK_COUNT(test, 0);
	for_each_card_rtds(&pc->card, rtd)
		KUNIT_EXPECT_STREQ(test, asoc_rtd_to_codec(rtd, 0)->name,
				   "pend-codec-b");

	pend_card_unregister(pc);
	pend_comp_del(test, 3);
	ctx->comp_dev[3]->of_node = NULL;
}

/*
 * A machine driver on the platform bus, so that the driver core's own
 * paths run: probe, deferral, re-probe, unbind and the release of devres.
 * The test sets pend_machine_cur before registering the device; counters
 * live there, since the card is allocated with devm and goes with the
 * device.
 */
struct pend_machine {
	enum pend_api api;
	atomic_t probes;	/* machine driver probe calls */
	atomic_t binds;		/* card late_probe calls */
	atomic_t unbinds;	/* card remove calls */
	atomic_t inits;		/* link init allocations with devm */
	atomic_t frees;		/* ... released */
	atomic_t use_after_free; /* card remove ran after its bind's release */
};

static struct pend_machine *pend_machine_cur;

static void pend_machine_devm_release(void *data)
{
	atomic_inc(&((struct pend_machine *)data)->frees);
}

/* Allocates with devm on the card's device, as machine drivers do. */
static int pend_machine_link_init(struct snd_soc_pcm_runtime *rtd)
{
	struct pend_machine *m = snd_soc_card_get_drvdata(rtd->card);

	atomic_inc(&m->inits);

	return devm_add_action_or_reset(rtd->card->dev,
					pend_machine_devm_release, m);
}

static int pend_machine_late_probe(struct snd_soc_card *card)
{
	struct pend_machine *m = snd_soc_card_get_drvdata(card);

	atomic_inc(&m->binds);

	return 0;
}

/* Uses what link init allocated: it must not be released yet. */
static int pend_machine_remove(struct snd_soc_card *card)
{
	struct pend_machine *m = snd_soc_card_get_drvdata(card);

	if (atomic_read(&m->frees) >= atomic_read(&m->inits))
		atomic_inc(&m->use_after_free);
	atomic_inc(&m->unbinds);

	return 0;
}

static int pend_machine_probe(struct platform_device *pdev)
{
	struct pend_machine *m = pend_machine_cur;
	struct pend_card *pc;

	atomic_inc(&m->probes);

	pc = devm_kzalloc(&pdev->dev, sizeof(*pc), GFP_KERNEL);
	if (!pc)
		return -ENOMEM;

	pend_card_init(pc, &pdev->dev, "pend-machine", 1);
	pc->card.probe = NULL;
	pc->card.late_probe = pend_machine_late_probe;
	pc->card.remove = pend_machine_remove;
	pc->links[0].init = pend_machine_link_init;
	pend_dlc_set(&pc->cpus[0], pend_comp_names[0], "pend-cpu-dai");
	pend_dlc_set(&pc->codecs[0], pend_comp_names[1], "pend-codec-dai");
	snd_soc_card_set_drvdata(&pc->card, m);

	if (m->api == PEND_API_LEGACY)
		return devm_snd_soc_register_card(&pdev->dev, &pc->card);

	return devm_snd_soc_register_deferrable_card(&pdev->dev, &pc->card);
}

static struct platform_driver pend_machine_drv = {
	.driver = {
		.name = "pend-machine",
	},
	.probe = pend_machine_probe,
};

/* Register the machine driver and its device; the probe runs at once. */
static struct pend_machine *pend_machine_start(struct kunit *test,
					       enum pend_api api)
{
	struct pend_ctx *ctx = test->priv;
	struct pend_machine *m;
	int ret;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	m->api = api;
	pend_machine_cur = m;

	/* no owner: the module has no sysfs directory while its suites run */
	ret = __platform_driver_register(&pend_machine_drv, NULL);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ctx->machine_drv = true;

	ctx->machine = platform_device_register_simple("pend-machine",
						       PLATFORM_DEVID_NONE,
						       NULL, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->machine);

	return m;
}

static void pend_machine_del_device(struct pend_ctx *ctx)
{
	if (!IS_ERR_OR_NULL(ctx->machine))
		platform_device_unregister(ctx->machine);
	ctx->machine = NULL;
}

static void pend_machine_stop(struct pend_ctx *ctx)
{
	pend_machine_del_device(ctx);
	if (ctx->machine_drv)
		platform_driver_unregister(&pend_machine_drv);
	ctx->machine_drv = false;
}

/* Wait up to 5 s for @cond, which work items make true. */
#define PEND_WAIT(cond) ({						\
	unsigned long __end = jiffies + 5 * HZ;				\
	bool __done;							\
									\
	for (;;) {							\
		__done = (cond);					\
		if (__done || time_after_eq(jiffies, __end))		\
			break;						\
		msleep(20);						\
	}								\
	__done;								\
})

/*
 * A deferrable card bound after its machine driver's probe returned: its
 * link init allocates with devm on the card's device, its remove uses
 * that. Unbinding the driver releases the card's bind before what the
 * bind allocated; a rebind releases the previous bind's allocations.
 */
static void pend_test_devm_late_bind(struct kunit *test)
{
	struct pend_ctx *ctx = test->priv;
	struct pend_machine *m;

	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	m = pend_machine_start(test, PEND_API_DEVM);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->probes), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->binds), 0);
	PEND_CHECK_COUNT(test, 1);

	/* bound after the probe returned */
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->binds), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->inits), 1);

	/* lost and back: the first bind's allocation is released */
	pend_comp_del(test, 1);
	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->binds), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->inits), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->frees), 1);

	/* the driver goes: card unbound first, then its allocations */
	pend_machine_del_device(ctx);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->unbinds), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->frees), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->use_after_free), 0);
	PEND_CHECK_COUNT(test, 0);
}

/*
 * A legacy card on the platform bus: its probe defers, the codec's
 * registration re-probes the device (the only thing that binds any driver
 * here), and the card binds once.
 */
static void pend_test_legacy_reprobe(struct kunit *test)
{
	struct pend_machine *m;

	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 0, &pend_comp_drv,
					    pend_cpu_dai, 1), 0);
	m = pend_machine_start(test, PEND_API_LEGACY);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->probes), 1);
	PEND_CHECK_COUNT(test, 1);

	KUNIT_ASSERT_EQ(test, pend_comp_add(test, 1, &pend_comp_drv,
					    pend_codec_dai, 1), 0);
	KUNIT_EXPECT_TRUE(test, PEND_WAIT(atomic_read(&m->binds) == 1));
	KUNIT_EXPECT_GE(test, atomic_read(&m->probes), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->binds), 1);
	PEND_CHECK_COUNT(test, 0);
}

/*
 * A legacy card's device deleted while it waits: its record goes without
 * anything registering or anyone reading debugfs.
 */
static void pend_test_legacy_gone(struct kunit *test)
{
	struct pend_ctx *ctx = test->priv;
	struct pend_machine *m;

	m = pend_machine_start(test, PEND_API_LEGACY);
	KUNIT_EXPECT_EQ(test, atomic_read(&m->probes), 1);
	PEND_CHECK_COUNT(test, 1);

	pend_machine_del_device(ctx);
	KUNIT_EXPECT_TRUE(test,
			  PEND_WAIT(snd_soc_pending_count() == ctx->base));
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
	KUNIT_CASE_PARAM(pend_test_script, pend_run_gen_params),
	KUNIT_CASE(pend_test_from_work),
	KUNIT_CASE_PARAM(pend_test_probe_error, pend_probe_err_gen_params),
	KUNIT_CASE_PARAM(pend_test_bad_names, pend_name_gen_params),
	KUNIT_CASE_PARAM(pend_test_bind_fails_once, pend_fail_gen_params),
	KUNIT_CASE(pend_test_hook_renames),
	KUNIT_CASE(pend_test_of_node),
	KUNIT_CASE(pend_test_dai_args),
	KUNIT_CASE(pend_test_devm_late_bind),
	KUNIT_CASE(pend_test_legacy_reprobe),
	KUNIT_CASE(pend_test_legacy_gone),
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
