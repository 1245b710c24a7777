/* SPDX-License-Identifier: GPL-2.0 */
/*
 * soc-pending.h -- ALSA SoC core internals shared by soc-core.c and
 * soc-pending.c. Not for drivers.
 */

#ifndef __SOUND_SOC_PENDING_H
#define __SOUND_SOC_PENDING_H

#include <linux/mutex.h>
#include <linux/types.h>

struct snd_soc_card;
struct snd_soc_component;
struct snd_soc_dai_link_component;

/*
 * client_mutex serialises card binding against component registration and
 * removal. It protects component_list, the DAIs of every registered
 * component, and the pending list of soc-pending.c.
 */
extern struct mutex client_mutex;

/* soc-core.c */
int snd_soc_is_matching_component(const struct snd_soc_dai_link_component *dlc,
				  struct snd_soc_component *component);
struct snd_soc_component *
snd_soc_find_component_unlocked(const struct snd_soc_dai_link_component *dlc);
int snd_soc_bind_card_unlocked(struct snd_soc_card *card);

/* soc-pending.c */
int snd_soc_pending_update(struct snd_soc_card *card, bool lost);
void snd_soc_pending_bound(struct snd_soc_card *card);
void snd_soc_pending_failed(struct snd_soc_card *card, int err);
void snd_soc_pending_forget(struct snd_soc_card *card);
void snd_soc_pending_detach(struct snd_soc_card *card);
void snd_soc_pending_add_component(struct snd_soc_component *component);
unsigned int snd_soc_pending_count(void);
int snd_soc_pending_init(void);
void snd_soc_pending_exit(void);

#endif /* __SOUND_SOC_PENDING_H */
