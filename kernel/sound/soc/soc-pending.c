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
 * the card itself may be freed before its components arrive.
 *
 * What happens when a record completes depends on how the card registered:
 *
 * - A card registered with devm_snd_soc_register_deferrable_card() stays
 *   registered while it waits. The component registration that completes it
 *   binds it, under client_mutex, exactly once.
 * - A card registered with snd_soc_register_card() fails with -EPROBE_DEFER,
 *   and its machine driver's probe with it. The record is then keyed by the
 *   card's device alone. When it completes, that device, and no other, is
 *   re-probed from a work item: the registering thread may hold device locks
 *   the machine driver's probe needs. The driver core's own deferred probing
 *   keeps working beside it.
 * - A bound card that loses a component is unbound and goes back to pending
 *   with that component recorded as missing; its return binds the card again.
 *
 * Deferrals that are not a missing name, such as a component probe
 * returning -EPROBE_DEFER, a missing clock or an error, leave no record: the
 * card takes the ordinary error or deferral path.
 *
 * The list is visible in debugfs as ``asoc/pending``, one line per item that
 * is still missing, with six fields separated by a tab::
 *
 *   card	device	role	key	dai	link
 *
 * card is the card's name, device the name of the card's device, role one
 * of ``cpu``, ``codec``, ``platform`` or ``aux``, key the component name the
 * link asks for, or ``of:`` followed by the device tree node path when the
 * link names a node only, dai the DAI name and link the DAI link name; an
 * absent dai or link reads ``-``. A card logs one line when it becomes
 * pending and one when it binds, and the trace events snd_soc_card_pending
 * and snd_soc_card_bound time it. Cards still pending when the driver core's
 * deferred probe timeout expires get one warning naming what they wait for.
 */

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
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
 * @role: what the card uses the component for
 * @dlc: what to look for: owned copies of the component and DAI names and a
 *	reference on the device node
 * @link: owned copy of the DAI link name, NULL for an aux device
 */
struct soc_pending_item {
	struct list_head list;
	enum soc_pending_role role;
	struct snd_soc_dai_link_component dlc;
	const char *link;
};

/*
 * struct soc_pending_card - a card waiting for components
 * @list: entry in soc_pending_list
 * @card: the registered card, or NULL once its registration failed and the
 *	record is keyed by @dev alone
 * @dev: the card's device, referenced
 * @name: owned copy of the card's name
 * @items: what the card waits for; empty for a card that lost a component
 *	which another registered component still replaces
 * @since: when the card became pending
 * @warned: the deferred probe timeout warning was printed
 */
struct soc_pending_card {
	struct list_head list;
	struct snd_soc_card *card;
	struct device *dev;
	const char *name;
	struct list_head items;
	ktime_t since;
	bool warned;
};

/*
 * struct soc_pending_reprobe - a legacy card's device to re-probe
 * @work: runs soc_pending_reprobe_work() on soc_pending_wq
 * @dev: the device, referenced
 * @name: owned copy of the card's name, for the log
 * @since: when the card became pending
 */
struct soc_pending_reprobe {
	struct work_struct work;
	struct device *dev;
	const char *name;
	ktime_t since;
};

/*
 * Cards waiting for components. client_mutex must be held any time the list,
 * or any record or item on it, is read or changed: the same critical section
 * that looks up components records what is missing, and the same one that
 * adds a component scans this list.
 */
static LIST_HEAD(soc_pending_list);

/* Re-probes of legacy cards' devices; drained before the core goes away. */
static struct workqueue_struct *soc_pending_wq;

static void soc_pending_timeout_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(soc_pending_timeout, soc_pending_timeout_work);

static void soc_pending_free_item(struct soc_pending_item *item)
{
	kfree_const(item->dlc.name);
	kfree_const(item->dlc.dai_name);
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

/* Unlink and free a record, dropping its device reference. */
static void soc_pending_free(struct soc_pending_card *pc)
{
	list_del(&pc->list);
	soc_pending_free_items(&pc->items);
	put_device(pc->dev);
	kfree_const(pc->name);
	kfree(pc);
}

/*
 * A link component that names nothing to look for is a driver bug that
 * binding reports with its own error (soc_dai_link_sanity_check()); it is
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

/* Describe the items of @pc that are still missing, for the log. */
static const char *soc_pending_describe(struct soc_pending_card *pc,
					char *buf, size_t size)
{
	struct soc_pending_item *item;
	size_t pos = 0;

	buf[0] = '\0';
	list_for_each_entry(item, &pc->items, list) {
		const struct snd_soc_dai_link_component *dlc = &item->dlc;

		if (soc_pending_item_found(item))
			continue;

		pos += scnprintf(buf + pos, size - pos, "%s%s ",
				 pos ? ", " : "",
				 soc_pending_role_name[item->role]);
		if (dlc->name)
			pos += scnprintf(buf + pos, size - pos, "%s", dlc->name);
		else if (dlc->of_node)
			pos += scnprintf(buf + pos, size - pos, "%pOF",
					 dlc->of_node);
		if (dlc->dai_name)
			pos += scnprintf(buf + pos, size - pos, "%s%s",
					 dlc->name || dlc->of_node ? " DAI " : "DAI ",
					 dlc->dai_name);
	}

	return pos ? buf : "a component to replace the one it lost";
}

static bool soc_pending_same(struct list_head *a, struct list_head *b)
{
	struct soc_pending_item *x, *y;

	y = list_first_entry(b, struct soc_pending_item, list);
	list_for_each_entry(x, a, list) {
		if (list_entry_is_head(y, b, list))
			return false;
		if (x->role != y->role || x->dlc.of_node != y->dlc.of_node ||
		    strcmp(x->dlc.name ?: "", y->dlc.name ?: "") ||
		    strcmp(x->dlc.dai_name ?: "", y->dlc.dai_name ?: "") ||
		    strcmp(x->link ?: "", y->link ?: ""))
			return false;
		y = list_next_entry(y, list);
	}

	return list_entry_is_head(y, b, list);
}

/**
 * snd_soc_pending_update() - record what a card waits for
 * @card: the card about to bind, or that just lost a component
 * @lost: @card was bound and lost a component; record it even if nothing
 *	is missing, so that the next component registration binds it again
 *
 * Looks up every component @card names and records the missing ones, in the
 * same critical section. An existing record of the card is updated in place;
 * the card logs and traces only when it becomes pending.
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
	char buf[160];
	int ret;

	lockdep_assert_held(&client_mutex);

	ret = soc_pending_collect(card, &items);
	if (ret)
		goto free_items;

	if (list_empty(&items) && !lost)
		return 0;

	pc = soc_pending_find(card);
	if (pc) {
		pc->card = card;
		if (!soc_pending_same(&pc->items, &items)) {
			soc_pending_free_items(&pc->items);
			list_splice_init(&items, &pc->items);
		}
		soc_pending_free_items(&items);
		return 1;
	}

	pc = kzalloc(sizeof(*pc), GFP_KERNEL);
	if (!pc) {
		ret = -ENOMEM;
		goto free_items;
	}
	pc->name = kstrdup_const(card->name, GFP_KERNEL);
	if (!pc->name) {
		ret = -ENOMEM;
		goto free_record;
	}

	pc->card = card;
	pc->dev = get_device(card->dev);
	pc->since = ktime_get();
	INIT_LIST_HEAD(&pc->items);
	list_splice_init(&items, &pc->items);
	list_add_tail(&pc->list, &soc_pending_list);

	dev_info(card->dev, "ASoC: card %s pending, waiting for %s\n",
		 card->name, soc_pending_describe(pc, buf, sizeof(buf)));
	trace_snd_soc_card_pending(card, list_count_nodes(&pc->items));

	return 1;

free_record:
	kfree(pc);
free_items:
	soc_pending_free_items(&items);
	return ret;
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
		soc_pending_free(pc);
	}
	trace_snd_soc_card_bound(card, waited);
}

/**
 * snd_soc_pending_forget() - drop the record of a card
 * @card: a card being unregistered, or that failed to bind for a reason
 *	other than a missing component
 *
 * Context: Caller holds client_mutex.
 */
void snd_soc_pending_forget(struct snd_soc_card *card)
{
	struct soc_pending_card *pc;

	lockdep_assert_held(&client_mutex);

	pc = soc_pending_find(card);
	if (pc)
		soc_pending_free(pc);
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
	char buf[160];

	lockdep_assert_held(&client_mutex);

	pc = soc_pending_find(card);
	if (!pc)
		return;

	pc->card = NULL;

	/*
	 * Inside the machine driver's probe, the driver core queues the
	 * device as deferred, shows this reason, and frees it on binding.
	 */
	if (pc->dev->driver)
		dev_err_probe(pc->dev, -EPROBE_DEFER,
			      "ASoC: card %s waiting for %s\n", pc->name,
			      soc_pending_describe(pc, buf, sizeof(buf)));
}

static void soc_pending_reprobe_work(struct work_struct *work)
{
	struct soc_pending_reprobe *rp =
		container_of(work, struct soc_pending_reprobe, work);

	if (device_is_registered(rp->dev) && device_attach(rp->dev) > 0)
		dev_info(rp->dev, "ASoC: card %s bound after %lld ms pending\n",
			 rp->name, ktime_ms_delta(ktime_get(), rp->since));

	put_device(rp->dev);
	kfree_const(rp->name);
	kfree(rp);
}

/* Hand a completed legacy record over to a re-probe of its device. */
static void soc_pending_reprobe(struct soc_pending_card *pc)
{
	struct soc_pending_reprobe *rp;

	rp = kzalloc(sizeof(*rp), GFP_KERNEL);
	if (!rp) {
		/* The driver core's deferred probing still retries it. */
		soc_pending_free(pc);
		return;
	}

	INIT_WORK(&rp->work, soc_pending_reprobe_work);
	rp->dev = pc->dev;
	rp->name = pc->name;
	rp->since = pc->since;
	pc->dev = NULL;
	pc->name = NULL;
	soc_pending_free(pc);

	queue_work(soc_pending_wq, &rp->work);
}

static bool soc_pending_touches(struct soc_pending_card *pc,
				struct snd_soc_component *component)
{
	struct soc_pending_item *item;

	if (list_empty(&pc->items))
		return true;

	list_for_each_entry(item, &pc->items, list)
		if (snd_soc_is_matching_component(&item->dlc, component))
			return true;

	return false;
}

static bool soc_pending_complete(struct soc_pending_card *pc)
{
	struct soc_pending_item *item;

	list_for_each_entry(item, &pc->items, list)
		if (!soc_pending_item_found(item))
			return false;

	return true;
}

/**
 * snd_soc_pending_add_component() - bind the cards a new component completes
 * @component: a component just added to the component list
 *
 * Only records that name @component are examined. A registered card that
 * @component completes is bound here, once; a legacy card's device is
 * queued for a re-probe. Records of devices that went away are dropped.
 *
 * Context: Caller holds client_mutex, and added @component to the component
 * list in the same critical section.
 */
void snd_soc_pending_add_component(struct snd_soc_component *component)
{
	struct soc_pending_card *pc, *n;
	struct snd_soc_card *card;
	LIST_HEAD(ready);
	int ret;

	lockdep_assert_held(&client_mutex);

	list_for_each_entry_safe(pc, n, &soc_pending_list, list) {
		if (!pc->card && !device_is_registered(pc->dev)) {
			soc_pending_free(pc);
			continue;
		}
		if (soc_pending_touches(pc, component) && soc_pending_complete(pc))
			list_move_tail(&pc->list, &ready);
	}

	/*
	 * Binding a card updates or drops its own record, so put each record
	 * back on the pending list before binding its card.
	 */
	while (!list_empty(&ready)) {
		pc = list_first_entry(&ready, struct soc_pending_card, list);
		list_move_tail(&pc->list, &soc_pending_list);

		if (!pc->card) {
			soc_pending_reprobe(pc);
			continue;
		}

		/* the bind drops the record or updates it */
		card = pc->card;
		ret = snd_soc_bind_card_unlocked(card);
		if (ret < 0)
			dev_err(card->dev, "ASoC: card %s failed to bind: %d\n",
				card->name, ret);
	}
}

/**
 * snd_soc_card_is_pending() - whether a card waits for components
 * @card: a registered card
 *
 * Context: Takes and releases client_mutex.
 * Return: true if @card is registered with devm_snd_soc_register_deferrable_card()
 * (or lost a component after binding) and waits for components.
 */
bool snd_soc_card_is_pending(struct snd_soc_card *card)
{
	struct soc_pending_card *pc;
	bool pending;

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

static void soc_pending_timeout_work(struct work_struct *work)
{
	struct soc_pending_card *pc;
	char buf[160];

	mutex_lock(&client_mutex);
	list_for_each_entry(pc, &soc_pending_list, list) {
		if (pc->warned || list_empty(&pc->items))
			continue;
		pc->warned = true;
		dev_warn(pc->dev,
			 "ASoC: card %s still pending after the deferred probe timeout, waiting for %s\n",
			 pc->name, soc_pending_describe(pc, buf, sizeof(buf)));
	}
	mutex_unlock(&client_mutex);
}

#ifdef CONFIG_DEBUG_FS
static int soc_pending_show(struct seq_file *m, void *v)
{
	struct soc_pending_card *pc, *n;
	struct soc_pending_item *item;

	mutex_lock(&client_mutex);
	list_for_each_entry_safe(pc, n, &soc_pending_list, list) {
		if (!pc->card && !device_is_registered(pc->dev)) {
			soc_pending_free(pc);
			continue;
		}
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
			seq_printf(m, "\t%s\t%s\n", dlc->dai_name ?: "-",
				   item->link ?: "-");
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
 * Return: 0 or -ENOMEM.
 */
int snd_soc_pending_init(void)
{
	soc_pending_wq = alloc_workqueue("snd-soc-pending", 0, 0);
	if (!soc_pending_wq)
		return -ENOMEM;

	soc_pending_debugfs_init();
	if (driver_deferred_probe_timeout > 0)
		queue_delayed_work(soc_pending_wq, &soc_pending_timeout,
				   driver_deferred_probe_timeout * HZ);

	return 0;
}

/**
 * snd_soc_pending_exit() - wait for queued re-probes, drop the records left
 *
 * Context: Module exit, when no card or component is registered any more.
 */
void snd_soc_pending_exit(void)
{
	struct soc_pending_card *pc, *n;

	cancel_delayed_work_sync(&soc_pending_timeout);
	destroy_workqueue(soc_pending_wq);

	mutex_lock(&client_mutex);
	list_for_each_entry_safe(pc, n, &soc_pending_list, list)
		soc_pending_free(pc);
	mutex_unlock(&client_mutex);
}
