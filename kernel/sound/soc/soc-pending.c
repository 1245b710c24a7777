// SPDX-License-Identifier: GPL-2.0
//
// soc-pending.c -- ALSA SoC cards waiting for their components
//
// Copyright (C) 2026 The asoc-pending authors

/**
 * DOC: overview
 *
 * A sound card is bound once every component its DAI links and auxiliary
 * devices name has registered: CPU DAIs, codec DAIs, platforms and aux
 * devices. When some are missing, the ASoC core records exactly which ones
 * against the card, in a pending list, instead of failing item by item.
 * Every component registration checks that list and binds, or re-probes,
 * exactly the cards it completes.
 *
 * Looking up the components of a card, recording what is missing and
 * matching a new component against the records all happen under
 * client_mutex, the mutex that also protects the component list. A
 * component registration adds the component and scans the pending list in
 * one critical section; a card binding looks up its components and records
 * the missing ones in one critical section. Whichever runs second sees the
 * other's result, so a component can never register unnoticed in the window
 * between a card's failed lookup and its record: the race that could leave
 * a card unbound forever after boot cannot happen.
 *
 * A record lists every missing item, so a card waiting for three components
 * is attempted once, when the third one arrives. Items are matched with the
 * rules binding uses (snd_soc_find_dai() for CPU and codec DAIs, the
 * component lookup for platforms and aux devices), so a record is never
 * satisfied by a component the bind would refuse. Records own copies of the
 * names and hold references on the device nodes and on the card's device:
 * the card itself may be freed before its components arrive. Links are
 * validated, and the card's add_dai_link hook has run, before anything is
 * recorded: a malformed link fails with -EINVAL instead of waiting, and a
 * hook that renames a link is waited for under its new name.
 *
 * When the bind happens: the decision that a card is complete is taken
 * under client_mutex by the registration that completes it, but the bind
 * itself waits until every supplier the card uses has returned from its
 * probe. Drivers register a DAI component, keep initialising their
 * hardware, and often register a PCM component on the same device last; a
 * card bound in between would miss the PCM component or expose a
 * controller that is not in its safe state yet. The bind then runs from a
 * work item, once the supplier's device lock (held by the driver core for
 * the whole probe) has been released, and checks completeness again: a
 * supplier whose probe failed took its components away, and the card keeps
 * waiting. A component registered outside any probe (a work item after a
 * firmware load, module init) binds its card before its registration
 * returns.
 *
 * Cards described by the device tree name their DAIs by a phandle and its
 * arguments (``sound-dai = <&i2s 1>``). simple-audio-card and
 * audio-graph-card keep them as such (snd_soc_dlc_set_dai_args()) instead
 * of resolving them to DAI names while they parse, and register deferrable
 * cards: a DAI whose component is missing is waited for by its node and
 * arguments, and the DAI they select is found when the card binds. Their
 * link names, made of DAI names, are set then too.
 *
 * What happens when a record completes depends on how the card registered:
 *
 * - A card registered with devm_snd_soc_register_deferrable_card() stays
 *   registered while it waits, and is bound exactly once.
 * - A card registered with snd_soc_register_card() fails with -EPROBE_DEFER,
 *   and its machine driver's probe with it. The record is then keyed by the
 *   card's device alone. When it completes, that device, and no other, is
 *   re-probed from a work item: the registering thread may hold device locks
 *   the machine driver's probe needs. The driver core's own deferred probing
 *   keeps working beside it.
 * - A bound card that loses a component is unbound and goes back to pending
 *   with that component recorded as missing; its return binds the card again.
 *
 * When the bind fails: a card registered with the deferrable API, or a card
 * that lost a component, is never dropped. If its bind fails (a component
 * probe returning -EPROBE_DEFER because its clock provider is not there
 * yet, or any error), the failure is logged once and the card stays on the
 * list in an error state, and is tried again whenever a component registers
 * or a platform driver binds, as stock ASoC retried its unbound cards. A
 * legacy card's failed registration is its machine driver's error, handled
 * by the driver core as before.
 *
 * How long records live: until the card binds or is unregistered; a legacy
 * card's record until its device binds or is deleted (platform devices are
 * watched with a bus notifier; others are dropped when found unregistered).
 * Reading debugfs changes nothing, and references are dropped outside
 * client_mutex.
 *
 * The list is visible in debugfs as ``asoc/pending``, one line per item that
 * is still missing, with six fields separated by a tab::
 *
 *   card	device	role	key	dai	link
 *
 * card is the card's name, device the name of the card's device, role one
 * of ``cpu``, ``codec``, ``platform`` or ``aux``, key the component name the
 * link asks for, or ``of:`` followed by the device tree node path when the
 * link names a node only, dai the DAI name (or, for a DAI the device tree
 * selects by position, its ``sound-dai`` arguments, such as ``1``) and link
 * the DAI link name; an absent dai or link reads ``-``. A card whose last
 * bind attempt failed has one more line with role ``error`` and the error
 * as key (for example ``-EPROBE_DEFER``, or the number when the kernel has
 * no error names). A card logs one line when it becomes pending and one
 * when it binds (and one when a bind fails with a new error), and the
 * trace events snd_soc_card_pending and snd_soc_card_bound time it. A card still
 * waiting for components when the driver core's deferred probe timeout has
 * passed since it started waiting gets one warning naming what it waits
 * for (the timeout as set when the ASoC core initialised, or 10 s if it had
 * expired by then).
 */

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/hashtable.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringhash.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>
#include <sound/soc.h>
#include <trace/events/asoc.h>

#include "soc-pending.h"

enum soc_pending_role {
	SOC_PENDING_CPU,
	SOC_PENDING_CODEC,
	SOC_PENDING_PLATFORM,
	SOC_PENDING_AUX,
};

static const char * const soc_pending_role_name[] = {
	[SOC_PENDING_CPU]	= "cpu",
	[SOC_PENDING_CODEC]	= "codec",
	[SOC_PENDING_PLATFORM]	= "platform",
	[SOC_PENDING_AUX]	= "aux",
};

/*
 * struct soc_pending_item - one component a pending card waits for
 * @list: entry in soc_pending_card.items
 * @hash: entry in soc_pending_index, or in soc_pending_any for an item that
 *	names neither a component nor a device node, while its record is on
 *	soc_pending_list
 * @pc: the record the item belongs to, once indexed
 * @role: what the card uses the component for
 * @dlc: what to look for: owned copies of the component and DAI names and
 *	of the device tree arguments, and a reference on the device node
 * @link: owned copy of the DAI link name, NULL for an aux device
 */
struct soc_pending_item {
	struct list_head list;
	struct hlist_node hash;
	struct soc_pending_card *pc;
	enum soc_pending_role role;
	struct snd_soc_dai_link_component dlc;
	const char *link;
};

/*
 * struct soc_pending_card - a card waiting for components
 * @list: entry in soc_pending_list, then in soc_pending_dead
 * @retry: entry in soc_pending_retry while @err is set or @items is empty:
 *	any registration may complete such a record
 * @scan: entry in the candidates of one soc_pending_scan()
 * @card: the registered card, or NULL once its registration failed and the
 *	record is keyed by @dev alone
 * @dev: the card's device, referenced
 * @name: owned copy of the card's name
 * @items: what the card waits for; empty for a card that lost a component
 *	which another registered component still replaces
 * @since: when the card became pending
 * @err: what the last bind attempt made for the card failed with, 0 if none
 * @kicks: failed retries in a row that a driver bind, not a component,
 *	triggered; see SOC_PENDING_MAX_KICKS
 * @ready: complete; the bind or re-probe waits for a supplier's probe
 * @reprobe: a re-probe of @dev is queued
 * @warned: the deferred probe timeout warning was printed
 */
struct soc_pending_card {
	struct list_head list;
	struct list_head retry;
	struct list_head scan;
	struct snd_soc_card *card;
	struct device *dev;
	const char *name;
	struct list_head items;
	ktime_t since;
	int err;
	unsigned int kicks;
	bool ready;
	bool reprobe;
	bool warned;
};

/*
 * A bind that fails may itself bind platform devices (a component probe
 * creating children), which would retry it at once, for ever. Driver binds
 * stop retrying a card after this many failures in a row; a component
 * registration still retries it, and resets the count.
 */
#define SOC_PENDING_MAX_KICKS	16

/* A supplier whose probe a complete card waits for, or a device to re-probe */
struct soc_pending_dev_work {
	struct work_struct work;
	struct device *dev;
};

/* A platform device that went away, for soc_pending_kick_work() */
struct soc_pending_gone {
	struct list_head list;
	struct device *dev;	/* compared only, never dereferenced */
};

/*
 * Cards waiting for components. client_mutex must be held any time the list,
 * or any record or item on it, is read or changed: the same critical section
 * that looks up components records what is missing, and the same one that
 * adds a component scans this list. Records taken off it wait on
 * soc_pending_dead, also under client_mutex, until soc_pending_reap_work()
 * frees them without the mutex, since dropping the last reference on a
 * device runs its release callback.
 */
static LIST_HEAD(soc_pending_list);
static LIST_HEAD(soc_pending_dead);

/*
 * The items of the records on soc_pending_list, by what a component must
 * carry to match them: the device node, for an item that names one, or
 * else the component name. Items that name neither (a CPU DAI looked up by
 * DAI name alone) are on soc_pending_any, and records that any
 * registration may complete on soc_pending_retry. A registration looks at
 * its own two buckets and those two lists only, so that its cost does not
 * grow with the records that wait for other components. All three are
 * protected by client_mutex, like soc_pending_list.
 */
#define SOC_PENDING_INDEX_BITS	8
static DEFINE_HASHTABLE(soc_pending_index, SOC_PENDING_INDEX_BITS);
static HLIST_HEAD(soc_pending_any);
static LIST_HEAD(soc_pending_retry);

/* Platform devices deleted since soc_pending_kick_work() last ran */
static DEFINE_SPINLOCK(soc_pending_gone_lock);
static LIST_HEAD(soc_pending_gone_list);

/* Binds after a supplier's probe, re-probes, retries; drained on exit */
static struct workqueue_struct *soc_pending_wq;

static void soc_pending_reap_work(struct work_struct *work);
static DECLARE_WORK(soc_pending_reap, soc_pending_reap_work);
static void soc_pending_kick_work(struct work_struct *work);
static DECLARE_WORK(soc_pending_kick, soc_pending_kick_work);
static void soc_pending_timeout_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(soc_pending_timeout, soc_pending_timeout_work);

static void soc_pending_free_item(struct soc_pending_item *item)
{
	kfree_const(item->dlc.name);
	kfree_const(item->dlc.dai_name);
	kfree(item->dlc.dai_args);
	of_node_put(item->dlc.of_node);
	kfree_const(item->link);
	kfree(item);
}

static void soc_pending_free_items(struct list_head *items)
{
	struct soc_pending_item *item, *n;

	list_for_each_entry_safe(item, n, items, list) {
		list_del(&item->list);
		soc_pending_free_item(item);
	}
}

/* Free a record that is on no list any more. */
static void soc_pending_free(struct soc_pending_card *pc)
{
	soc_pending_free_items(&pc->items);
	put_device(pc->dev);
	kfree_const(pc->name);
	kfree(pc);
}

/* The bucket of the items naming device node @np */
static struct hlist_head *soc_pending_node_bucket(const struct device_node *np)
{
	return &soc_pending_index[hash_min((unsigned long)np,
					   HASH_BITS(soc_pending_index))];
}

/* The bucket of the items naming component @name and no device node */
static struct hlist_head *soc_pending_name_bucket(const char *name)
{
	return &soc_pending_index[hash_min(full_name_hash(NULL, name, strlen(name)),
					   HASH_BITS(soc_pending_index))];
}

/* Index the items of @pc, a record on soc_pending_list. */
static void soc_pending_index_items(struct soc_pending_card *pc)
{
	struct soc_pending_item *item;

	lockdep_assert_held(&client_mutex);

	list_for_each_entry(item, &pc->items, list) {
		item->pc = pc;
		if (item->dlc.of_node)
			hlist_add_head(&item->hash,
				       soc_pending_node_bucket(item->dlc.of_node));
		else if (item->dlc.name)
			hlist_add_head(&item->hash,
				       soc_pending_name_bucket(item->dlc.name));
		else
			hlist_add_head(&item->hash, &soc_pending_any);
	}
}

static void soc_pending_unindex_items(struct soc_pending_card *pc)
{
	struct soc_pending_item *item;

	lockdep_assert_held(&client_mutex);

	list_for_each_entry(item, &pc->items, list)
		hash_del(&item->hash);
}

/* Keep @pc on soc_pending_retry exactly while any registration may complete it. */
static void soc_pending_sync_retry(struct soc_pending_card *pc)
{
	lockdep_assert_held(&client_mutex);

	if (pc->err || list_empty(&pc->items))
		list_move_tail(&pc->retry, &soc_pending_retry);
	else
		list_del_init(&pc->retry);
}

/* Take a record off the pending list; it is freed without client_mutex. */
static void soc_pending_release(struct soc_pending_card *pc)
{
	lockdep_assert_held(&client_mutex);

	soc_pending_unindex_items(pc);
	list_del_init(&pc->retry);
	list_move_tail(&pc->list, &soc_pending_dead);
	queue_work(soc_pending_wq, &soc_pending_reap);
}

static void soc_pending_reap_work(struct work_struct *work)
{
	struct soc_pending_card *pc, *n;
	LIST_HEAD(dead);

	mutex_lock(&client_mutex);
	list_splice_init(&soc_pending_dead, &dead);
	mutex_unlock(&client_mutex);

	list_for_each_entry_safe(pc, n, &dead, list) {
		list_del(&pc->list);
		soc_pending_free(pc);
	}
}

/*
 * A link component that names nothing to look for is a driver bug that
 * binding reports with its own error (soc_dai_link_check_names()); it is
 * not something to wait for.
 */
static bool soc_pending_dlc_valid(const struct snd_soc_dai_link_component *dlc,
				  enum soc_pending_role role)
{
	if (dlc->name || dlc->of_node)
		return true;

	return role == SOC_PENDING_CPU && dlc->dai_name;
}

/* Whether @item is registered now, by the rules snd_soc_bind_card() uses. */
static bool soc_pending_item_found(struct soc_pending_item *item)
{
	lockdep_assert_held(&client_mutex);

	switch (item->role) {
	case SOC_PENDING_CPU:
	case SOC_PENDING_CODEC:
		return snd_soc_find_dai(&item->dlc);
	default:
		return snd_soc_find_component_unlocked(&item->dlc);
	}
}

static int soc_pending_add_item(struct list_head *items,
				enum soc_pending_role role,
				const struct snd_soc_dai_link_component *dlc,
				const char *link)
{
	struct soc_pending_item *item;

	item = kzalloc(sizeof(*item), GFP_KERNEL);
	if (!item)
		return -ENOMEM;

	item->role = role;
	list_add_tail(&item->list, items);

	item->dlc.of_node = of_node_get(dlc->of_node);
	if (dlc->name) {
		item->dlc.name = kstrdup_const(dlc->name, GFP_KERNEL);
		if (!item->dlc.name)
			return -ENOMEM;
	}
	if (dlc->dai_name) {
		item->dlc.dai_name = kstrdup_const(dlc->dai_name, GFP_KERNEL);
		if (!item->dlc.dai_name)
			return -ENOMEM;
	}
	if (dlc->dai_args) {
		item->dlc.dai_args = kmemdup(dlc->dai_args,
					     sizeof(*dlc->dai_args), GFP_KERNEL);
		if (!item->dlc.dai_args)
			return -ENOMEM;
	}
	if (link) {
		item->link = kstrdup_const(link, GFP_KERNEL);
		if (!item->link)
			return -ENOMEM;
	}

	return 0;
}

/* Record @dlc on @items unless it names nothing or is registered already. */
static int soc_pending_check(struct list_head *items,
			     enum soc_pending_role role,
			     const struct snd_soc_dai_link_component *dlc,
			     const char *link)
{
	struct soc_pending_item lookup = { .role = role, .dlc = *dlc };

	if (!soc_pending_dlc_valid(dlc, role) || soc_pending_item_found(&lookup))
		return 0;

	return soc_pending_add_item(items, role, dlc, link);
}

/*
 * Collect every missing component of @card on @items, in one pass over its
 * aux devices and DAI links. Returns 0 or -ENOMEM; on error @items may hold
 * part of the set and the caller frees it.
 */
static int soc_pending_collect(struct snd_soc_card *card,
			       struct list_head *items)
{
	struct snd_soc_dai_link_component *dlc;
	struct snd_soc_dai_link *link;
	struct snd_soc_aux_dev *aux;
	int i, j, ret;

	lockdep_assert_held(&client_mutex);

	for_each_card_pre_auxs(card, i, aux) {
		ret = soc_pending_check(items, SOC_PENDING_AUX, &aux->dlc, NULL);
		if (ret)
			return ret;
	}

	for_each_card_prelinks(card, i, link) {
		if (link->ignore)
			continue;

		for_each_link_cpus(link, j, dlc) {
			ret = soc_pending_check(items, SOC_PENDING_CPU, dlc,
						link->name);
			if (ret)
				return ret;
		}
		for_each_link_codecs(link, j, dlc) {
			ret = soc_pending_check(items, SOC_PENDING_CODEC, dlc,
						link->name);
			if (ret)
				return ret;
		}
		for_each_link_platforms(link, j, dlc) {
			ret = soc_pending_check(items, SOC_PENDING_PLATFORM, dlc,
						link->name);
			if (ret)
				return ret;
		}
	}

	return 0;
}

/*
 * The record of @card: the one of the registered card itself, or the one a
 * failed registration left for the card's device.
 */
static struct soc_pending_card *soc_pending_find(struct snd_soc_card *card)
{
	struct soc_pending_card *pc;

	lockdep_assert_held(&client_mutex);

	list_for_each_entry(pc, &soc_pending_list, list)
		if (pc->card == card || (!pc->card && pc->dev == card->dev))
			return pc;

	return NULL;
}

/*
 * Describe the items of @pc that are still missing into @buf of @size
 * bytes, or only measure them when @buf is NULL. Returns the length the
 * whole description needs, without its NUL.
 */
static size_t soc_pending_format(struct soc_pending_card *pc, char *buf,
				 size_t size)
{
	struct soc_pending_item *item;
	size_t pos = 0;

#define soc_pending_out(...)						\
	(pos += snprintf(pos < size ? buf + pos : NULL,			\
			 pos < size ? size - pos : 0, __VA_ARGS__))

	list_for_each_entry(item, &pc->items, list) {
		const struct snd_soc_dai_link_component *dlc = &item->dlc;

		if (soc_pending_item_found(item))
			continue;

		soc_pending_out("%s%s ", pos ? ", " : "",
				soc_pending_role_name[item->role]);
		if (dlc->name)
			soc_pending_out("%s", dlc->name);
		else if (dlc->of_node)
			soc_pending_out("%pOF", dlc->of_node);
		if (dlc->dai_name)
			soc_pending_out("%sDAI %s",
					dlc->name || dlc->of_node ? " " : "",
					dlc->dai_name);
		else if (dlc->dai_args && dlc->dai_args->args_count)
			soc_pending_out(" DAI %u", dlc->dai_args->args[0]);
	}
#undef soc_pending_out

	return pos;
}

/*
 * What @pc still misses, for a log line: a string to kfree(), or NULL when
 * nothing is missing or there is no memory to say it.
 */
static char *soc_pending_describe(struct soc_pending_card *pc)
{
	size_t len = soc_pending_format(pc, NULL, 0);
	char *buf;

	if (!len)
		return NULL;

	buf = kmalloc(len + 1, GFP_KERNEL);
	if (buf)
		soc_pending_format(pc, buf, len + 1);

	return buf;
}

static bool soc_pending_same_args(const struct of_phandle_args *a,
				  const struct of_phandle_args *b)
{
	if (!a || !b)
		return a == b;

	return a->args_count == b->args_count &&
	       !memcmp(a->args, b->args, a->args_count * sizeof(a->args[0]));
}

static bool soc_pending_same(struct list_head *a, struct list_head *b)
{
	struct soc_pending_item *x, *y;

	y = list_first_entry(b, struct soc_pending_item, list);
	list_for_each_entry(x, a, list) {
		if (list_entry_is_head(y, b, list))
			return false;
		if (x->role != y->role || x->dlc.of_node != y->dlc.of_node ||
		    !soc_pending_same_args(x->dlc.dai_args, y->dlc.dai_args) ||
		    strcmp(x->dlc.name ?: "", y->dlc.name ?: "") ||
		    strcmp(x->dlc.dai_name ?: "", y->dlc.dai_name ?: "") ||
		    strcmp(x->link ?: "", y->link ?: ""))
			return false;
		y = list_next_entry(y, list);
	}

	return list_entry_is_head(y, b, list);
}

/*
 * Seconds a card may wait before it is warned about: the driver core's
 * deferred probe timeout as it was when the ASoC core initialised (the
 * driver core sets it to 0 once it expired), or its default of 10 s if it
 * had expired already.
 */
static int soc_pending_timeout_s;

/*
 * A record was added: make sure the timeout work runs once the deferred
 * probe timeout has passed for it. Records are added in time order, so a
 * work already queued is due first.
 */
static void soc_pending_arm_timeout(void)
{
	queue_delayed_work(soc_pending_wq, &soc_pending_timeout,
			   soc_pending_timeout_s * HZ);
}

/* A new record of @card, with no items, on the pending list; or NULL. */
static struct soc_pending_card *soc_pending_new(struct snd_soc_card *card)
{
	struct soc_pending_card *pc;

	lockdep_assert_held(&client_mutex);

	pc = kzalloc(sizeof(*pc), GFP_KERNEL);
	if (!pc)
		return NULL;

	pc->name = kstrdup_const(card->name, GFP_KERNEL);
	if (!pc->name) {
		kfree(pc);
		return NULL;
	}

	pc->card = card;
	pc->dev = get_device(card->dev);
	pc->since = ktime_get();
	INIT_LIST_HEAD(&pc->items);
	INIT_LIST_HEAD(&pc->retry);
	INIT_LIST_HEAD(&pc->scan);
	list_add_tail(&pc->list, &soc_pending_list);
	soc_pending_arm_timeout();

	return pc;
}

/**
 * snd_soc_pending_update() - record what a card waits for
 * @card: the card about to bind, or that just lost a component
 * @lost: @card was bound and lost a component; record it even if nothing
 *	is missing, so that the next component registration binds it again
 *
 * Looks up every component @card names and records the missing ones, in the
 * same critical section. An existing record of the card is updated in place;
 * the card logs and traces only when it becomes pending. A card that lost a
 * component is recorded whatever happens: if there is no memory for its
 * items, its record is put in the error state and retried like a failed
 * bind, so that the component's return is never missed.
 *
 * Context: Caller holds client_mutex.
 * Return: 0 when nothing is missing and @lost is false (a record of the card
 * stays until snd_soc_pending_bound() or snd_soc_pending_forget()), 1 when
 * the card is pending, or -ENOMEM.
 */
int snd_soc_pending_update(struct snd_soc_card *card, bool lost)
{
	struct soc_pending_card *pc;
	LIST_HEAD(items);
	char *what;
	int ret;

	lockdep_assert_held(&client_mutex);

	ret = soc_pending_collect(card, &items);
	if (ret) {
		soc_pending_free_items(&items);
		if (lost)
			snd_soc_pending_failed(card, ret);
		return ret;
	}

	if (list_empty(&items) && !lost)
		return 0;

	pc = soc_pending_find(card);
	if (pc) {
		pc->card = card;
		pc->err = 0;
		pc->reprobe = false;
		if (!soc_pending_same(&pc->items, &items)) {
			soc_pending_unindex_items(pc);
			soc_pending_free_items(&pc->items);
			list_splice_init(&items, &pc->items);
			soc_pending_index_items(pc);
		}
		soc_pending_sync_retry(pc);
		soc_pending_free_items(&items);
		return 1;
	}

	pc = soc_pending_new(card);
	if (!pc) {
		soc_pending_free_items(&items);
		dev_err(card->dev, "ASoC: card %s: no memory to wait for its components\n",
			card->name);
		return -ENOMEM;
	}
	list_splice_init(&items, &pc->items);
	soc_pending_index_items(pc);
	soc_pending_sync_retry(pc);

	what = soc_pending_describe(pc);
	dev_info(card->dev, "ASoC: card %s pending, waiting for %s\n",
		 card->name, what ?: "a component to replace the one it lost");
	kfree(what);
	trace_snd_soc_card_pending(card, list_count_nodes(&pc->items));

	return 1;
}

/**
 * snd_soc_pending_bound() - a card has bound
 * @card: the card
 *
 * Drops the record of @card, if it was pending, logging how long it waited.
 *
 * Context: Caller holds client_mutex.
 */
void snd_soc_pending_bound(struct snd_soc_card *card)
{
	struct soc_pending_card *pc;
	s64 waited = 0;

	lockdep_assert_held(&client_mutex);

	pc = soc_pending_find(card);
	if (pc) {
		waited = ktime_ms_delta(ktime_get(), pc->since);
		dev_info(card->dev, "ASoC: card %s bound after %lld ms pending\n",
			 card->name, waited);
		soc_pending_release(pc);
	}
	trace_snd_soc_card_bound(card, waited);
}

/**
 * snd_soc_pending_failed() - a registered card failed to bind
 * @card: a card that stays registered: registered with the deferrable API,
 *	or bound before and lost a component
 * @err: what the bind failed with
 *
 * Keeps @card on the pending list in the error state, to be tried again
 * when a component registers or a platform driver binds. Logs only when
 * the error is new, so that retries stay quiet.
 *
 * Context: Caller holds client_mutex.
 */
void snd_soc_pending_failed(struct snd_soc_card *card, int err)
{
	struct soc_pending_card *pc;

	lockdep_assert_held(&client_mutex);

	pc = soc_pending_find(card);
	if (!pc)
		pc = soc_pending_new(card);
	if (!pc) {
		dev_err(card->dev, "ASoC: card %s failed to bind (%pe), no memory to retry it\n",
			card->name, ERR_PTR(err));
		return;
	}

	if (pc->err != err)
		dev_err(card->dev, "ASoC: card %s failed to bind (%pe), retrying when components or drivers come\n",
			card->name, ERR_PTR(err));
	pc->card = card;
	pc->err = err;
	soc_pending_sync_retry(pc);
}

/**
 * snd_soc_pending_forget() - drop the record of a card
 * @card: a card being unregistered, or whose registration failed
 *
 * Context: Caller holds client_mutex.
 */
void snd_soc_pending_forget(struct snd_soc_card *card)
{
	struct soc_pending_card *pc;

	lockdep_assert_held(&client_mutex);

	pc = soc_pending_find(card);
	if (pc)
		soc_pending_release(pc);
}

/**
 * snd_soc_pending_detach() - keep a failed registration's record by device
 * @card: a pending card whose snd_soc_register_card() returns -EPROBE_DEFER
 *
 * The machine driver frees @card when its probe fails, so the record lets
 * go of it and keeps only the device, which is re-probed when the record
 * completes. Sets the device's deferred probe reason.
 *
 * Context: Caller holds client_mutex.
 */
void snd_soc_pending_detach(struct snd_soc_card *card)
{
	struct soc_pending_card *pc;
	char *what;

	lockdep_assert_held(&client_mutex);

	pc = soc_pending_find(card);
	if (!pc)
		return;

	pc->card = NULL;

	/*
	 * Inside the machine driver's probe, the driver core queues the
	 * device as deferred, shows this reason, and frees it on binding.
	 */
	if (pc->dev->driver) {
		what = soc_pending_describe(pc);
		dev_err_probe(pc->dev, -EPROBE_DEFER,
			      "ASoC: card %s waiting for %s\n", pc->name,
			      what ?: "components");
		kfree(what);
	}
}

/* Whether @dev is inside its driver's probe. */
static bool soc_pending_dev_probing(struct device *dev)
{
	return READ_ONCE(dev->links.status) == DL_DEV_PROBING;
}

/* The device of a component @dlc names, if it is inside its probe. */
static struct device *
soc_pending_dlc_probing(const struct snd_soc_dai_link_component *dlc,
			enum soc_pending_role role)
{
	struct snd_soc_component *component;
	struct snd_soc_dai *dai;

	if (!soc_pending_dlc_valid(dlc, role))
		return NULL;

	if (role == SOC_PENDING_CPU || role == SOC_PENDING_CODEC) {
		dai = snd_soc_find_dai(dlc);
		if (dai && soc_pending_dev_probing(dai->component->dev))
			return dai->component->dev;
		if (!dlc->name && !dlc->of_node)
			return NULL;
	}

	component = snd_soc_find_component_unlocked(dlc);
	if (component && soc_pending_dev_probing(component->dev))
		return component->dev;

	return NULL;
}

/*
 * A supplier of @pc that is still inside its probe, or NULL. A registered
 * card's every link component is a supplier, found or not when it started
 * waiting; a legacy record knows only what it waited for.
 */
static struct device *soc_pending_probing(struct soc_pending_card *pc)
{
	struct snd_soc_card *card = pc->card;
	struct snd_soc_dai_link_component *dlc;
	struct snd_soc_dai_link *link;
	struct soc_pending_item *item;
	struct snd_soc_aux_dev *aux;
	struct device *dev = NULL;
	int i, j;

	lockdep_assert_held(&client_mutex);

	if (!card) {
		list_for_each_entry(item, &pc->items, list) {
			dev = soc_pending_dlc_probing(&item->dlc, item->role);
			if (dev)
				return dev;
		}
		return NULL;
	}

	for_each_card_pre_auxs(card, i, aux) {
		dev = soc_pending_dlc_probing(&aux->dlc, SOC_PENDING_AUX);
		if (dev)
			return dev;
	}

	for_each_card_prelinks(card, i, link) {
		if (link->ignore)
			continue;
		for_each_link_cpus(link, j, dlc) {
			dev = soc_pending_dlc_probing(dlc, SOC_PENDING_CPU);
			if (dev)
				return dev;
		}
		for_each_link_codecs(link, j, dlc) {
			dev = soc_pending_dlc_probing(dlc, SOC_PENDING_CODEC);
			if (dev)
				return dev;
		}
		for_each_link_platforms(link, j, dlc) {
			dev = soc_pending_dlc_probing(dlc, SOC_PENDING_PLATFORM);
			if (dev)
				return dev;
		}
	}

	return NULL;
}

static bool soc_pending_complete(struct soc_pending_card *pc)
{
	struct soc_pending_item *item;

	list_for_each_entry(item, &pc->items, list)
		if (!soc_pending_item_found(item))
			return false;

	return true;
}

static void soc_pending_run_ready(void);

/* Runs once @dev's probe has returned, then the binds that waited for it. */
static void soc_pending_wait_work(struct work_struct *work)
{
	struct soc_pending_dev_work *w =
		container_of(work, struct soc_pending_dev_work, work);

	/* The driver core holds the device lock for the whole probe. */
	device_lock(w->dev);
	device_unlock(w->dev);
	put_device(w->dev);
	kfree(w);

	mutex_lock(&client_mutex);
	soc_pending_run_ready();
	mutex_unlock(&client_mutex);
}

/* Re-probe a legacy card's device, unless it bound or went meanwhile. */
static void soc_pending_reprobe_work(struct work_struct *work)
{
	struct soc_pending_dev_work *w =
		container_of(work, struct soc_pending_dev_work, work);
	struct soc_pending_card *pc;
	bool reprobe = false;

	mutex_lock(&client_mutex);
	list_for_each_entry(pc, &soc_pending_list, list) {
		if (!pc->card && pc->dev == w->dev && pc->reprobe) {
			pc->reprobe = false;
			reprobe = true;
			break;
		}
	}
	mutex_unlock(&client_mutex);

	/*
	 * The re-probe logs through snd_soc_pending_bound() if it binds. A
	 * bus whose automatic probing userspace turned off is left alone,
	 * as the driver core's own deferred probing leaves it.
	 */
	if (reprobe && device_is_registered(w->dev) &&
	    !READ_ONCE(w->dev->driver) && device_bus_autoprobe(w->dev) &&
	    device_attach(w->dev) < 0)
		dev_dbg(w->dev, "ASoC: re-probe found no bus to attach on\n");

	put_device(w->dev);
	kfree(w);
}

static int soc_pending_queue_dev_work(struct device *dev, work_func_t func)
{
	struct soc_pending_dev_work *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;

	INIT_WORK(&w->work, func);
	w->dev = get_device(dev);
	queue_work(soc_pending_wq, &w->work);

	return 0;
}

/*
 * Act on a complete record: once no supplier is inside its probe, bind the
 * registered card or re-probe the legacy card's device. Failing to queue
 * the work puts the record in the error state, so the next component or
 * driver tries again: a card is never dropped.
 */
static void soc_pending_act(struct soc_pending_card *pc)
{
	struct snd_soc_card *card = pc->card;
	struct device *supplier;
	int ret;

	lockdep_assert_held(&client_mutex);

	supplier = soc_pending_probing(pc);
	if (supplier) {
		ret = soc_pending_queue_dev_work(supplier, soc_pending_wait_work);
		pc->ready = !ret;
		if (ret) {
			pc->err = ret;
			soc_pending_sync_retry(pc);
		}
		return;
	}

	pc->ready = false;
	if (!card) {
		ret = soc_pending_queue_dev_work(pc->dev, soc_pending_reprobe_work);
		pc->reprobe = !ret;
		pc->err = ret;
		soc_pending_sync_retry(pc);
		return;
	}

	/* the bind drops the record, updates it, or we keep it as failed */
	ret = snd_soc_bind_card_unlocked(card);
	if (ret < 0)
		snd_soc_pending_failed(card, ret);
}

/* Act on the records of @candidates, each put back on the pending list. */
static void soc_pending_act_all(struct list_head *candidates)
{
	struct soc_pending_card *pc;

	/*
	 * Binding a card updates or drops its own record, so put each record
	 * back on the pending list before acting on it.
	 */
	while (!list_empty(candidates)) {
		pc = list_first_entry(candidates, struct soc_pending_card, list);
		list_move_tail(&pc->list, &soc_pending_list);
		soc_pending_act(pc);
	}
}

/* Records that waited for a supplier's probe: bind what is still complete. */
static void soc_pending_run_ready(void)
{
	struct soc_pending_card *pc, *n;
	LIST_HEAD(ready);

	lockdep_assert_held(&client_mutex);

	list_for_each_entry_safe(pc, n, &soc_pending_list, list) {
		if (!pc->ready)
			continue;
		if (soc_pending_complete(pc))
			list_move_tail(&pc->list, &ready);
		else
			/* the supplier's probe failed: wait for it again */
			pc->ready = false;
	}

	soc_pending_act_all(&ready);
}

/* Whether a registration of @component (NULL: any change) may complete @pc */
static bool soc_pending_touches(struct soc_pending_card *pc,
				struct snd_soc_component *component)
{
	struct soc_pending_item *item;

	if (pc->ready || pc->reprobe)
		return false;
	if (pc->err || list_empty(&pc->items) || !component)
		return true;

	list_for_each_entry(item, &pc->items, list)
		if (snd_soc_is_matching_component(&item->dlc, component))
			return true;

	return false;
}

/* Add @pc to the candidates of a scan, once. */
static void soc_pending_candidate(struct soc_pending_card *pc,
				  struct list_head *candidates)
{
	if (list_empty(&pc->scan))
		list_add_tail(&pc->scan, candidates);
}

static void soc_pending_candidates_in(struct hlist_head *head,
				      struct snd_soc_component *component,
				      struct list_head *candidates)
{
	struct soc_pending_item *item;

	hlist_for_each_entry(item, head, hash)
		if (snd_soc_is_matching_component(&item->dlc, component))
			soc_pending_candidate(item->pc, candidates);
}

/*
 * The records a registration of @component may complete: those with an
 * item that matches it, found through the index, and those that any
 * registration may complete. With @component NULL, only the latter.
 */
static void soc_pending_candidates(struct snd_soc_component *component,
				   struct list_head *candidates)
{
	struct soc_pending_card *pc;
	struct device_node *np;

	lockdep_assert_held(&client_mutex);

	if (component) {
		/* the node snd_soc_is_matching_component() compares */
		np = component->dev->of_node;
		if (!np && component->dev->parent)
			np = component->dev->parent->of_node;
		if (np)
			soc_pending_candidates_in(soc_pending_node_bucket(np),
						  component, candidates);
		if (component->name)
			soc_pending_candidates_in(soc_pending_name_bucket(component->name),
						  component, candidates);
		soc_pending_candidates_in(&soc_pending_any, component,
					  candidates);
	}

	list_for_each_entry(pc, &soc_pending_retry, retry)
		soc_pending_candidate(pc, candidates);
}

/*
 * Act on every record that @component completes, and on every record in
 * the error state: something changed that a failed bind may have waited
 * for. With @component NULL (a driver bound), only the latter.
 */
static void soc_pending_scan(struct snd_soc_component *component)
{
	struct soc_pending_card *pc, *n;
	LIST_HEAD(candidates);
	LIST_HEAD(ready);

	lockdep_assert_held(&client_mutex);

	soc_pending_candidates(component, &candidates);

	list_for_each_entry_safe(pc, n, &candidates, scan) {
		list_del_init(&pc->scan);
		if (!pc->card && !device_is_registered(pc->dev)) {
			soc_pending_release(pc);
			continue;
		}
		if (!component && pc->kicks >= SOC_PENDING_MAX_KICKS)
			continue;
		if (!component)
			pc->kicks++;
		else
			pc->kicks = 0;
		if (soc_pending_touches(pc, component) && soc_pending_complete(pc))
			list_move_tail(&pc->list, &ready);
	}

	soc_pending_act_all(&ready);
}

/**
 * snd_soc_pending_add_component() - bind the cards a new component completes
 * @component: a component just added to the component list
 *
 * Only records that name @component, and records whose last bind failed,
 * are examined. A registered card that @component completes is bound once:
 * here, or, if a supplier of the card is still inside its probe (as the
 * one registering @component usually is), from a work item once that
 * probe has returned. A legacy card's device is queued for a re-probe.
 *
 * Context: Caller holds client_mutex, and added @component to the component
 * list in the same critical section.
 */
void snd_soc_pending_add_component(struct snd_soc_component *component)
{
	lockdep_assert_held(&client_mutex);

	soc_pending_scan(component);
}

/* Drop the records of deleted devices; retry failed binds. */
static void soc_pending_kick_work(struct work_struct *work)
{
	struct soc_pending_gone *g, *gn;
	struct soc_pending_card *pc, *n;
	LIST_HEAD(gone);

	spin_lock(&soc_pending_gone_lock);
	list_splice_init(&soc_pending_gone_list, &gone);
	spin_unlock(&soc_pending_gone_lock);

	mutex_lock(&client_mutex);
	list_for_each_entry_safe(pc, n, &soc_pending_list, list) {
		if (pc->card)
			continue;
		/* a device whose notification found no memory, too */
		if (!device_is_registered(pc->dev)) {
			soc_pending_release(pc);
			continue;
		}
		list_for_each_entry(g, &gone, list) {
			if (g->dev == pc->dev) {
				soc_pending_release(pc);
				break;
			}
		}
	}
	soc_pending_scan(NULL);
	mutex_unlock(&client_mutex);

	list_for_each_entry_safe(g, gn, &gone, list)
		kfree(g);
}

/*
 * Platform devices: a deleted one drops its legacy record, a bound one
 * retries failed binds (it may be the clock provider a codec waited for).
 * Called with the device's locks held, maybe under client_mutex: defer to
 * soc_pending_kick_work().
 */
static int soc_pending_bus_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	struct soc_pending_gone *g;

	switch (action) {
	case BUS_NOTIFY_DEL_DEVICE:
		g = kzalloc(sizeof(*g), GFP_KERNEL);
		if (!g)
			break;	/* the kick finds it unregistered */
		g->dev = data;
		spin_lock(&soc_pending_gone_lock);
		list_add_tail(&g->list, &soc_pending_gone_list);
		spin_unlock(&soc_pending_gone_lock);
		queue_work(soc_pending_wq, &soc_pending_kick);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		queue_work(soc_pending_wq, &soc_pending_kick);
		break;
	}

	return NOTIFY_DONE;
}

static struct notifier_block soc_pending_bus_nb = {
	.notifier_call = soc_pending_bus_notify,
};

/**
 * snd_soc_card_is_pending() - whether a card waits for components
 * @card: a registered card
 *
 * Context: Takes and releases client_mutex: not from card callbacks or
 * anything else that runs under it.
 * Return: true if @card is registered with devm_snd_soc_register_deferrable_card()
 * (or lost a component after binding) and waits for components, or failed
 * its last bind and waits to be retried.
 */
bool snd_soc_card_is_pending(struct snd_soc_card *card)
{
	struct soc_pending_card *pc;
	bool pending;

	lockdep_assert_not_held(&client_mutex);

	mutex_lock(&client_mutex);
	pc = soc_pending_find(card);
	pending = pc && pc->card == card;
	mutex_unlock(&client_mutex);

	return pending;
}
EXPORT_SYMBOL_GPL(snd_soc_card_is_pending);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * snd_soc_pending_count() - number of cards waiting for components
 *
 * Context: Takes and releases client_mutex.
 * Return: the number of records: registered cards waiting for components and
 * failed registrations waiting for theirs.
 */
unsigned int snd_soc_pending_count(void)
{
	unsigned int n;

	mutex_lock(&client_mutex);
	n = list_count_nodes(&soc_pending_list);
	mutex_unlock(&client_mutex);

	return n;
}
EXPORT_SYMBOL_IF_KUNIT(snd_soc_pending_count);
#endif

/* Warn once per card that waits longer than the deferred probe timeout. */
static void soc_pending_timeout_work(struct work_struct *work)
{
	s64 timeout_ms = soc_pending_timeout_s * MSEC_PER_SEC;
	s64 next = 0, left;
	struct soc_pending_card *pc;
	char *what;

	mutex_lock(&client_mutex);
	list_for_each_entry(pc, &soc_pending_list, list) {
		if (pc->warned || soc_pending_complete(pc))
			continue;
		left = timeout_ms - ktime_ms_delta(ktime_get(), pc->since);
		if (left > 0) {
			next = next ? min(next, left) : left;
			continue;
		}
		pc->warned = true;
		what = soc_pending_describe(pc);
		dev_warn(pc->dev,
			 "ASoC: card %s still pending after the deferred probe timeout, waiting for %s\n",
			 pc->name, what ?: "components");
		kfree(what);
	}
	if (next)
		queue_delayed_work(soc_pending_wq, &soc_pending_timeout,
				   msecs_to_jiffies(next));
	mutex_unlock(&client_mutex);
}

#ifdef CONFIG_DEBUG_FS
/*
 * The dai field: the DAI name, or the arguments of a DAI the device tree
 * names by position ("1", or "0,2" for two cells), or "-".
 */
static void soc_pending_show_dai(struct seq_file *m,
				 const struct snd_soc_dai_link_component *dlc)
{
	const struct of_phandle_args *args = dlc->dai_args;
	int i;

	if (dlc->dai_name) {
		seq_puts(m, dlc->dai_name);
	} else if (args && args->args_count) {
		for (i = 0; i < args->args_count; i++)
			seq_printf(m, "%s%u", i ? "," : "", args->args[i]);
	} else {
		seq_puts(m, "-");
	}
}

static int soc_pending_show(struct seq_file *m, void *v)
{
	struct soc_pending_card *pc;
	struct soc_pending_item *item;

	mutex_lock(&client_mutex);
	list_for_each_entry(pc, &soc_pending_list, list) {
		if (pc->err)
			seq_printf(m, "%s\t%s\terror\t%pe\t-\t-\n", pc->name,
				   dev_name(pc->dev), ERR_PTR(pc->err));
		list_for_each_entry(item, &pc->items, list) {
			const struct snd_soc_dai_link_component *dlc = &item->dlc;

			if (soc_pending_item_found(item))
				continue;

			seq_printf(m, "%s\t%s\t%s\t", pc->name,
				   dev_name(pc->dev),
				   soc_pending_role_name[item->role]);
			if (dlc->name)
				seq_puts(m, dlc->name);
			else if (dlc->of_node)
				seq_printf(m, "of:%pOF", dlc->of_node);
			else
				seq_puts(m, "-");
			seq_putc(m, '\t');
			soc_pending_show_dai(m, dlc);
			seq_printf(m, "\t%s\n", item->link ?: "-");
		}
	}
	mutex_unlock(&client_mutex);

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(soc_pending);

static void soc_pending_debugfs_init(void)
{
	debugfs_create_file("pending", 0444, snd_soc_debugfs_root, NULL,
			    &soc_pending_fops);
}
#else
static inline void soc_pending_debugfs_init(void) { }
#endif

/**
 * snd_soc_pending_init() - set up pending card tracking
 *
 * Context: Module init, after the ASoC debugfs root was created.
 * Return: 0 or a negative errno.
 */
int snd_soc_pending_init(void)
{
	int ret;

	soc_pending_timeout_s = driver_deferred_probe_timeout > 0 ?
				driver_deferred_probe_timeout : 10;

	soc_pending_wq = alloc_workqueue("snd-soc-pending", WQ_UNBOUND, 0);
	if (!soc_pending_wq)
		return -ENOMEM;

	ret = bus_register_notifier(&platform_bus_type, &soc_pending_bus_nb);
	if (ret) {
		destroy_workqueue(soc_pending_wq);
		return ret;
	}

	soc_pending_debugfs_init();

	return 0;
}

/**
 * snd_soc_pending_exit() - wait for queued work, drop the records left
 *
 * Context: Module exit, when no card or component is registered any more.
 */
void snd_soc_pending_exit(void)
{
	struct soc_pending_gone *g, *gn;
	struct soc_pending_card *pc, *n;
	LIST_HEAD(dead);

	bus_unregister_notifier(&platform_bus_type, &soc_pending_bus_nb);
	cancel_delayed_work_sync(&soc_pending_timeout);
	destroy_workqueue(soc_pending_wq);

	list_for_each_entry_safe(g, gn, &soc_pending_gone_list, list)
		kfree(g);

	mutex_lock(&client_mutex);
	list_for_each_entry(pc, &soc_pending_list, list) {
		soc_pending_unindex_items(pc);
		list_del_init(&pc->retry);
	}
	list_splice_init(&soc_pending_list, &dead);
	list_splice_init(&soc_pending_dead, &dead);
	mutex_unlock(&client_mutex);

	list_for_each_entry_safe(pc, n, &dead, list) {
		list_del(&pc->list);
		soc_pending_free(pc);
	}
}
