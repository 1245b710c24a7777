// SPDX-License-Identifier: GPL-2.0
/*
 * A Kirkwood audio "board file" for x86 QEMU, for tests only.
 *
 * Registers what a Kirkwood board registered for its S/PDIF output, so the
 * real snd-soc-kirkwood, snd-soc-spdif-tx and snd-soc-kirkwood-spdif drivers
 * bind on a PC:
 *
 *  - the audio controller's clocks: a fixed-rate "tclk" looked up with no
 *    connection id and, unless extclk=0, a fixed-rate "extclk", both for
 *    device mvebu-audio.1;
 *  - the controller, platform device "mvebu-audio" id 1, with its registers
 *    in RAM the kernel was told to leave alone (memmap=64K$0x1f000000 on
 *    the command line), an interrupt line that nothing raises, and
 *    struct kirkwood_asoc_platform_data;
 *  - the S/PDIF transmitter "spdif-dit" (no id);
 *  - the card, "kirkwood-spdif-audio" id 1.
 *
 * The controller's probe only reads and writes its registers, and takes its
 * interrupt only when a PCM is opened: `aplay -l` works, playback does not
 * (nothing moves the DMA pointer, and nothing raises the interrupt).
 *
 * Unloading the module removes everything in reverse order, so the drivers
 * are unbound before their clocks go away.
 */

#include <linux/clk-provider.h>
#include <linux/clkdev.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/platform_data/asoc-kirkwood.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>

#define KW_AUDIO_ID	1
#define KW_AUDIO_DEV	"mvebu-audio.1"
#define KW_AUDIO_SIZE	SZ_16K
#define KW_TCLK_RATE	200000000
#define KW_EXTCLK_RATE	11289600	/* 256 * 44100 */

static ulong mem = 0x1f000000;
module_param(mem, ulong, 0444);
MODULE_PARM_DESC(mem, "controller registers, in RAM reserved with memmap= (default 0x1f000000)");

/*
 * Legacy ISA line 5 is free on QEMU pc and, like every legacy line, has an
 * interrupt descriptor from boot; an I/O APIC pin above 15 (20, say) has
 * none without ACPI or PCI, and request_irq() on it fails with -EINVAL.
 */
static uint irq = 5;
module_param(irq, uint, 0444);
MODULE_PARM_DESC(irq, "controller interrupt, requested when a PCM is opened (default 5)");

/*
 * With an external clock, hw_params sets its rate; without one it programs
 * the internal DCO and spins until a lock bit that RAM never sets.
 */
static bool extclk = true;
module_param(extclk, bool, 0444);
MODULE_PARM_DESC(extclk, "give the controller an external clock, as the seed's board had; without it hw_params never returns (default Y)");

static const struct kirkwood_asoc_platform_data kw_audio_data = {
	.burst = 128,
};

static struct clk_hw *kw_tclk;
static struct clk_lookup *kw_tclk_lookup;
static struct clk_hw *kw_extclk;
static struct clk_lookup *kw_extclk_lookup;
static struct platform_device *kw_audio;
static struct platform_device *kw_dit;
static struct platform_device *kw_card;

/**
 * kw_add_clock() - register a fixed-rate clock for the controller
 * @name: clock name
 * @con_id: connection id the controller asks for, NULL for its main clock
 * @rate: rate in Hz
 * @lookup: the clkdev lookup, returned
 *
 * Return: the clock, or an ERR_PTR(); nothing is left registered on error.
 */
static struct clk_hw *kw_add_clock(const char *name, const char *con_id,
				   unsigned long rate,
				   struct clk_lookup **lookup)
{
	struct clk_hw *hw;

	hw = clk_hw_register_fixed_rate(NULL, name, NULL, 0, rate);
	if (IS_ERR(hw))
		return hw;

	*lookup = clkdev_hw_create(hw, con_id, "%s", KW_AUDIO_DEV);
	if (!*lookup) {
		clk_hw_unregister_fixed_rate(hw);
		return ERR_PTR(-ENOMEM);
	}

	return hw;
}

/**
 * kw_remove_clock() - undo kw_add_clock()
 * @hw: the clock
 * @lookup: its clkdev lookup
 */
static void kw_remove_clock(struct clk_hw *hw, struct clk_lookup *lookup)
{
	clkdev_drop(lookup);
	clk_hw_unregister_fixed_rate(hw);
}

static int __init kw_board_init(void)
{
	struct resource res[] = {
		DEFINE_RES_MEM(mem, KW_AUDIO_SIZE),
		DEFINE_RES_IRQ(irq),
	};
	struct platform_device_info audio_info = {
		.name = "mvebu-audio",
		.id = KW_AUDIO_ID,
		.res = res,
		.num_res = ARRAY_SIZE(res),
		.data = &kw_audio_data,
		.size_data = sizeof(kw_audio_data),
	};
	int ret;

	kw_tclk = kw_add_clock("kirkwood-qemu-tclk", NULL, KW_TCLK_RATE,
			       &kw_tclk_lookup);
	if (IS_ERR(kw_tclk))
		return PTR_ERR(kw_tclk);

	if (extclk) {
		kw_extclk = kw_add_clock("kirkwood-qemu-extclk", "extclk",
					 KW_EXTCLK_RATE, &kw_extclk_lookup);
		if (IS_ERR(kw_extclk)) {
			ret = PTR_ERR(kw_extclk);
			goto remove_tclk;
		}
	}

	kw_audio = platform_device_register_full(&audio_info);
	if (IS_ERR(kw_audio)) {
		ret = PTR_ERR(kw_audio);
		goto remove_extclk;
	}

	kw_dit = platform_device_register_simple("spdif-dit",
						 PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(kw_dit)) {
		ret = PTR_ERR(kw_dit);
		goto unregister_audio;
	}

	kw_card = platform_device_register_simple("kirkwood-spdif-audio",
						  KW_AUDIO_ID, NULL, 0);
	if (IS_ERR(kw_card)) {
		ret = PTR_ERR(kw_card);
		goto unregister_dit;
	}

	return 0;

unregister_dit:
	platform_device_unregister(kw_dit);
unregister_audio:
	platform_device_unregister(kw_audio);
remove_extclk:
	if (kw_extclk)
		kw_remove_clock(kw_extclk, kw_extclk_lookup);
remove_tclk:
	kw_remove_clock(kw_tclk, kw_tclk_lookup);
	return ret;
}
module_init(kw_board_init);

static void __exit kw_board_exit(void)
{
	platform_device_unregister(kw_card);
	platform_device_unregister(kw_dit);
	platform_device_unregister(kw_audio);
	if (kw_extclk)
		kw_remove_clock(kw_extclk, kw_extclk_lookup);
	kw_remove_clock(kw_tclk, kw_tclk_lookup);
}
module_exit(kw_board_exit);

MODULE_DESCRIPTION("Kirkwood S/PDIF audio board devices for x86 QEMU (test only)");
MODULE_LICENSE("GPL");
