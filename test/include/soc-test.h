/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the ASoC test modules share: the one stream format every test DAI
 * offers, and the driver-plus-device pair a board file would have made.
 * Each scenario directory that builds a module using it links this file
 * (scenario directories are copied with their links followed).
 */
#ifndef SOC_TEST_H
#define SOC_TEST_H

#include <linux/err.h>
#include <linux/platform_device.h>
#include <sound/pcm.h>

/*
 * The component driver's PCM constructor: .pcm_construct, which mainline
 * has renamed .pcm_new (SOC_TEST_PCM_NEW, see soc-test.mk).
 */
#ifdef SOC_TEST_PCM_NEW
#define SOC_TEST_PCM_CONSTRUCT	pcm_new
#else
#define SOC_TEST_PCM_CONSTRUCT	pcm_construct
#endif

/* A stream of a test DAI: stereo, 48 kHz, S16_LE */
#define SOC_TEST_STREAM(sname) {			\
	.stream_name	= sname,			\
	.channels_min	= 2,				\
	.channels_max	= 2,				\
	.rates		= SNDRV_PCM_RATE_48000,		\
	.formats	= SNDRV_PCM_FMTBIT_S16_LE,	\
}

/**
 * soc_test_register() - register a platform driver and one device for it
 * @drv: the driver; the device gets its name and no id
 *
 * Context: module init.
 * Return: the device, or an ERR_PTR() with nothing left registered.
 */
static inline struct platform_device *
soc_test_register(struct platform_driver *drv)
{
	struct platform_device *pdev;
	int ret;

	ret = platform_driver_register(drv);
	if (ret)
		return ERR_PTR(ret);

	pdev = platform_device_register_simple(drv->driver.name,
					       PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev)) {
		pr_err("ASoC: %s: cannot create device: %ld\n",
		       drv->driver.name, PTR_ERR(pdev));
		platform_driver_unregister(drv);
	}

	return pdev;
}

/**
 * soc_test_unregister() - undo soc_test_register()
 * @drv: the driver
 * @pdev: the device soc_test_register() returned
 *
 * Context: module exit.
 */
static inline void soc_test_unregister(struct platform_driver *drv,
				       struct platform_device *pdev)
{
	platform_device_unregister(pdev);
	platform_driver_unregister(drv);
}

#endif /* SOC_TEST_H */
