# SPDX-License-Identifier: GPL-2.0
# What the test modules need to know of the kernel they are built against,
# read from its headers, never from its version (Debian's and mainline's
# trees differ; the series adds API). A scenario's Kbuild includes this file
# through a link beside it:
#   HAVE_DEFERRABLE_CARD    devm_snd_soc_register_deferrable_card() exists:
#                           the series on 6.1 and 6.12, and mainline since
#                           7.2, where it is an alias (every card parks)
#   SOC_TEST_REMOVE_VOID    platform_driver.remove returns void (6.11)
#   SOC_TEST_MATCH_CONST    bus_type.match takes a const driver (6.11)
#   SOC_TEST_PCM_NEW        the component's PCM callbacks are pcm_new and
#                           pcm_free, no longer pcm_construct and
#                           pcm_destruct (mainline, 7.x)
#   SOC_TEST_HRTIMER_SETUP  hrtimer_setup(), hrtimer_init() gone (7.x)
#   SOC_TEST_COMPONENT_ALLOC snd_soc_component_alloc(): a driver's second
#                           component is allocated by ASoC and registered
#                           with snd_soc_register_component(); its debugfs
#                           prefix is in its driver (7.x)
ccflags-y += $(if $(shell grep -s devm_snd_soc_register_deferrable_card \
	$(srctree)/include/sound/soc.h),-DHAVE_DEFERRABLE_CARD)
ccflags-y += $(if $(shell grep -s 'void (\*remove)' \
	$(srctree)/include/linux/platform_device.h),-DSOC_TEST_REMOVE_VOID)
ccflags-y += $(if $(shell grep -s 'const struct device_driver \*drv.;' \
	$(srctree)/include/linux/device/bus.h),-DSOC_TEST_MATCH_CONST)
ccflags-y += $(if $(shell grep -s '(\*pcm_new)' \
	$(srctree)/include/sound/soc-component.h),-DSOC_TEST_PCM_NEW)
ccflags-y += $(if $(shell grep -s 'void hrtimer_setup.struct hrtimer ' \
	$(srctree)/include/linux/hrtimer.h),-DSOC_TEST_HRTIMER_SETUP)
ccflags-y += $(if $(shell grep -s 'snd_soc_component_alloc.struct device' \
	$(srctree)/include/sound/soc-component.h),-DSOC_TEST_COMPONENT_ALLOC)
