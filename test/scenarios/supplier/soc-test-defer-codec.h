/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ASoC test codec whose component probe defers: what its clock provider
 * calls. soc-test-bus-provider uses it, so modprobe loads the codec first.
 */
#ifndef SOC_TEST_DEFER_CODEC_H
#define SOC_TEST_DEFER_CODEC_H

/* The codec's MCLK is there: its component probes stop deferring. */
void soc_test_defer_codec_provide(void);

#endif /* SOC_TEST_DEFER_CODEC_H */
