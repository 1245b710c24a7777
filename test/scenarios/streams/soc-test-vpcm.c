// SPDX-License-Identifier: GPL-2.0
//
// ASoC test CPU DAI and PCM whose hardware position advances with time
//
// Creates the platform device "soc-test-vpcm" and a driver for it whose
// probe registers one component: the CPU DAI "vpcm-dai" (playback and
// capture, S16_LE, 2 channels, 8-48 kHz) and the PCM of its link. Nothing
// is transferred, but the position moves as a DMA engine's would: it is
// computed from the time since the stream started, and an hrtimer signals
// every period, so that a card bound through the pending-card mechanism can
// play and record in a VM (aplay runs at the real rate), and a component
// can be taken away under a running stream. A volume and a switch, kept in
// two virtual registers, give mixer-test controls to check on such a card.

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <sound/pcm.h>
#include <sound/soc.h>

#include "soc-test.h"

#define DRV_NAME "soc-test-vpcm"

/* The virtual registers behind the controls; under the card's controls_rwsem. */
#define SOC_TEST_VPCM_VOLUME	0
#define SOC_TEST_VPCM_SWITCH	1
static unsigned int soc_test_vpcm_regs[2] = { 80, 1 };

static unsigned int soc_test_vpcm_read(struct snd_soc_component *component,
				       unsigned int reg)
{
	return reg < ARRAY_SIZE(soc_test_vpcm_regs) ? soc_test_vpcm_regs[reg] : 0;
}

static int soc_test_vpcm_write(struct snd_soc_component *component,
			       unsigned int reg, unsigned int val)
{
	if (reg >= ARRAY_SIZE(soc_test_vpcm_regs))
		return -EINVAL;

	soc_test_vpcm_regs[reg] = val;

	return 0;
}

static const struct snd_kcontrol_new soc_test_vpcm_controls[] = {
	SOC_SINGLE("VPCM Playback Volume", SOC_TEST_VPCM_VOLUME, 0, 100, 0),
	SOC_SINGLE("VPCM Playback Switch", SOC_TEST_VPCM_SWITCH, 0, 1, 0),
};

/* What one substream's virtual DMA is doing. */
struct soc_test_vpcm_stream {
	struct snd_pcm_substream *substream;
	struct hrtimer timer;
	ktime_t period;
	ktime_t start;		/* when the stream started */
	/* Written by the trigger under the stream lock, read by the timer. */
	bool running;
	snd_pcm_uframes_t stopped_at;
};

static const struct snd_pcm_hardware soc_test_vpcm_hw = {
	.info			= SNDRV_PCM_INFO_INTERLEAVED |
				  SNDRV_PCM_INFO_MMAP |
				  SNDRV_PCM_INFO_MMAP_VALID |
				  SNDRV_PCM_INFO_BLOCK_TRANSFER,
	.formats		= SNDRV_PCM_FMTBIT_S16_LE,
	.rates			= SNDRV_PCM_RATE_8000_48000,
	.rate_min		= 8000,
	.rate_max		= 48000,
	.channels_min		= 2,
	.channels_max		= 2,
	.buffer_bytes_max	= 256 * 1024,
	.period_bytes_min	= 256,
	.period_bytes_max	= 64 * 1024,
	.periods_min		= 2,
	.periods_max		= 64,
};

/* Frames the virtual DMA has moved since the stream started. */
static u64 soc_test_vpcm_frames(struct soc_test_vpcm_stream *vs)
{
	struct snd_pcm_runtime *runtime = vs->substream->runtime;
	u64 ns = ktime_to_ns(ktime_sub(ktime_get(), vs->start));

	return div_u64(ns * runtime->rate, NSEC_PER_SEC);
}

static enum hrtimer_restart soc_test_vpcm_tick(struct hrtimer *timer)
{
	struct soc_test_vpcm_stream *vs =
		container_of(timer, struct soc_test_vpcm_stream, timer);

	if (!READ_ONCE(vs->running))
		return HRTIMER_NORESTART;

	snd_pcm_period_elapsed(vs->substream);
	hrtimer_forward_now(timer, vs->period);

	return HRTIMER_RESTART;
}

static int soc_test_vpcm_open(struct snd_soc_component *component,
			      struct snd_pcm_substream *substream)
{
	struct soc_test_vpcm_stream *vs;

	vs = kzalloc(sizeof(*vs), GFP_KERNEL);
	if (!vs)
		return -ENOMEM;

	vs->substream = substream;
#ifdef SOC_TEST_HRTIMER_SETUP
	hrtimer_setup(&vs->timer, soc_test_vpcm_tick, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
#else
	hrtimer_init(&vs->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	vs->timer.function = soc_test_vpcm_tick;
#endif
	substream->runtime->private_data = vs;

	return snd_soc_set_runtime_hwparams(substream, &soc_test_vpcm_hw);
}

static int soc_test_vpcm_close(struct snd_soc_component *component,
			       struct snd_pcm_substream *substream)
{
	struct soc_test_vpcm_stream *vs = substream->runtime->private_data;

	hrtimer_cancel(&vs->timer);
	kfree(vs);

	return 0;
}

static int soc_test_vpcm_prepare(struct snd_soc_component *component,
				 struct snd_pcm_substream *substream)
{
	struct snd_pcm_runtime *runtime = substream->runtime;
	struct soc_test_vpcm_stream *vs = runtime->private_data;

	vs->period = ns_to_ktime(div_u64((u64)runtime->period_size *
					 NSEC_PER_SEC, runtime->rate));
	vs->stopped_at = 0;

	return 0;
}

static int soc_test_vpcm_trigger(struct snd_soc_component *component,
				 struct snd_pcm_substream *substream, int cmd)
{
	struct soc_test_vpcm_stream *vs = substream->runtime->private_data;

	switch (cmd) {
	case SNDRV_PCM_TRIGGER_START:
		vs->start = ktime_get();
		WRITE_ONCE(vs->running, true);
		hrtimer_start(&vs->timer, vs->period, HRTIMER_MODE_REL_SOFT);
		return 0;
	case SNDRV_PCM_TRIGGER_STOP:
	case SNDRV_PCM_TRIGGER_SUSPEND:
		/*
		 * Atomic context, under the stream lock the timer takes in
		 * snd_pcm_period_elapsed(): it is cancelled for good in
		 * sync_stop, which may sleep.
		 */
		vs->stopped_at = soc_test_vpcm_frames(vs) %
				 substream->runtime->buffer_size;
		WRITE_ONCE(vs->running, false);
		hrtimer_try_to_cancel(&vs->timer);
		return 0;
	default:
		return -EINVAL;
	}
}

static int soc_test_vpcm_sync_stop(struct snd_soc_component *component,
				   struct snd_pcm_substream *substream)
{
	struct soc_test_vpcm_stream *vs = substream->runtime->private_data;

	hrtimer_cancel(&vs->timer);

	return 0;
}

static snd_pcm_uframes_t
soc_test_vpcm_pointer(struct snd_soc_component *component,
		      struct snd_pcm_substream *substream)
{
	struct soc_test_vpcm_stream *vs = substream->runtime->private_data;

	if (!READ_ONCE(vs->running))
		return vs->stopped_at;

	return soc_test_vpcm_frames(vs) % substream->runtime->buffer_size;
}

static int soc_test_vpcm_construct(struct snd_soc_component *component,
				   struct snd_soc_pcm_runtime *rtd)
{
	snd_pcm_set_managed_buffer_all(rtd->pcm, SNDRV_DMA_TYPE_VMALLOC,
				       NULL, 0, 0);

	return 0;
}

static const struct snd_soc_component_driver soc_test_vpcm_component = {
	.name		= DRV_NAME,
	.open		= soc_test_vpcm_open,
	.close		= soc_test_vpcm_close,
	.prepare	= soc_test_vpcm_prepare,
	.trigger	= soc_test_vpcm_trigger,
	.sync_stop	= soc_test_vpcm_sync_stop,
	.pointer	= soc_test_vpcm_pointer,
	.SOC_TEST_PCM_CONSTRUCT = soc_test_vpcm_construct,
	.read		= soc_test_vpcm_read,
	.write		= soc_test_vpcm_write,
	.controls	= soc_test_vpcm_controls,
	.num_controls	= ARRAY_SIZE(soc_test_vpcm_controls),
};

static struct snd_soc_dai_driver soc_test_vpcm_dai = {
	.name		= "vpcm-dai",
	.playback	= {
		.stream_name	= "VPCM Playback",
		.channels_min	= 2,
		.channels_max	= 2,
		.rates		= SNDRV_PCM_RATE_8000_48000,
		.formats	= SNDRV_PCM_FMTBIT_S16_LE,
	},
	.capture	= {
		.stream_name	= "VPCM Capture",
		.channels_min	= 2,
		.channels_max	= 2,
		.rates		= SNDRV_PCM_RATE_8000_48000,
		.formats	= SNDRV_PCM_FMTBIT_S16_LE,
	},
};

static int soc_test_vpcm_probe(struct platform_device *pdev)
{
	return devm_snd_soc_register_component(&pdev->dev,
					       &soc_test_vpcm_component,
					       &soc_test_vpcm_dai, 1);
}

static struct platform_driver soc_test_vpcm_driver = {
	.driver		= {
		.name	= DRV_NAME,
	},
	.probe		= soc_test_vpcm_probe,
};

static struct platform_device *soc_test_vpcm_pdev;

static int __init soc_test_vpcm_init(void)
{
	soc_test_vpcm_pdev = soc_test_register(&soc_test_vpcm_driver);

	return PTR_ERR_OR_ZERO(soc_test_vpcm_pdev);
}
module_init(soc_test_vpcm_init);

static void __exit soc_test_vpcm_exit(void)
{
	soc_test_unregister(&soc_test_vpcm_driver, soc_test_vpcm_pdev);
}
module_exit(soc_test_vpcm_exit);

MODULE_DESCRIPTION("ASoC test CPU DAI and PCM advancing on a timer");
MODULE_LICENSE("GPL");
