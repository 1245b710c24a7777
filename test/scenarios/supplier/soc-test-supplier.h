/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ASoC test supplier: what its driver data tells a card
 *
 * The card of the supplier scenario reads this through the driver data of
 * the supplier's device (snd_soc_component_get_drvdata() on the CPU DAI's
 * component), not through an exported symbol: symbol_get() fails while the
 * supplier's module is still initialising, which is exactly when its probe
 * runs, and a plain symbol reference would make modprobe load the supplier
 * before the card.
 */
#ifndef SOC_TEST_SUPPLIER_H
#define SOC_TEST_SUPPLIER_H

#include <linux/types.h>

#define SOC_TEST_SUPPLIER_DAI_DRV	"soc-test-supplier-dai"
#define SOC_TEST_SUPPLIER_PCM_DRV	"soc-test-supplier-pcm"

/**
 * struct soc_test_supplier - driver data of the supplier's device
 * @probe_done: set with smp_store_release() right before the supplier's
 *	probe returns 0; read with smp_load_acquire()
 */
struct soc_test_supplier {
	bool probe_done;
};

#endif /* SOC_TEST_SUPPLIER_H */
