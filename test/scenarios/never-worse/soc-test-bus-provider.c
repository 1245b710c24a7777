// SPDX-License-Identifier: GPL-2.0
//
// ASoC test: a clock provider on a bus of its own
//
// Registers the bus "soc-test-bus", one device on it, "soc-test-mclk", and a
// driver for it. The driver's probe is what an I2C clock chip's (a cs2000,
// a si5351) is to a codec that needs its MCLK: once it has bound, the
// component probe of soc-test-defer-codec stops deferring
// (soc_test_defer_codec_provide()). Nothing here is on the platform bus and
// nothing registers an ASoC component: the only event a waiting card can
// see is a driver binding on another bus, which is what the driver core
// retries deferred probes on.

#include <linux/device.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "soc-test-defer-codec.h"

#define DRV_NAME "soc-test-mclk"

static unsigned int probe_calls;
module_param(probe_calls, uint, 0444);
MODULE_PARM_DESC(probe_calls, "Driver probe calls so far (read-only)");

/* the driver argument of .match is const from 6.11 on (see Kbuild) */
#ifdef SOC_TEST_MATCH_CONST
static int soc_test_bus_match(struct device *dev, const struct device_driver *drv)
#else
static int soc_test_bus_match(struct device *dev, struct device_driver *drv)
#endif
{
	return 1;
}

static struct bus_type soc_test_bus = {
	.name	= "soc-test-bus",
	.match	= soc_test_bus_match,
};

static int soc_test_mclk_probe(struct device *dev)
{
	probe_calls++;
	dev_info(dev, "MCLK provider bound\n");
	soc_test_defer_codec_provide();

	return 0;
}

static struct device_driver soc_test_mclk_driver = {
	.name	= DRV_NAME,
	.bus	= &soc_test_bus,
	.probe	= soc_test_mclk_probe,
};

static void soc_test_mclk_release(struct device *dev)
{
}

static struct device soc_test_mclk_dev = {
	.init_name	= DRV_NAME,
	.bus		= &soc_test_bus,
	.release	= soc_test_mclk_release,
};

static int __init soc_test_bus_provider_init(void)
{
	int ret;

	ret = bus_register(&soc_test_bus);
	if (ret)
		return ret;

	ret = driver_register(&soc_test_mclk_driver);
	if (ret)
		goto unregister_bus;

	ret = device_register(&soc_test_mclk_dev);
	if (ret) {
		put_device(&soc_test_mclk_dev);
		goto unregister_driver;
	}

	return 0;

unregister_driver:
	driver_unregister(&soc_test_mclk_driver);
unregister_bus:
	bus_unregister(&soc_test_bus);
	return ret;
}
module_init(soc_test_bus_provider_init);

static void __exit soc_test_bus_provider_exit(void)
{
	device_unregister(&soc_test_mclk_dev);
	driver_unregister(&soc_test_mclk_driver);
	bus_unregister(&soc_test_bus);
}
module_exit(soc_test_bus_provider_exit);

MODULE_DESCRIPTION("ASoC test: an MCLK provider on a bus of its own");
MODULE_LICENSE("GPL");
