// SPDX-License-Identifier: GPL-2.0
//
// ASoC test: a component no card asks for
//
// Creates the platform device "soc-test-unrelated" and a driver for it
// whose probe registers a component without DAIs that no card uses. Its
// device binding and its component registration stand for "the world
// changed": what the driver core and ASoC retry deferred cards on.

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <sound/soc.h>

#include "soc-test.h"

#define DRV_NAME "soc-test-unrelated"

static unsigned int probe_calls;
module_param(probe_calls, uint, 0444);
MODULE_PARM_DESC(probe_calls, "Driver probe calls so far (read-only)");

static const struct snd_soc_component_driver soc_test_unrelated_component = {
	.name		= DRV_NAME,
};

static int soc_test_unrelated_probe(struct platform_device *pdev)
{
	probe_calls++;

	return devm_snd_soc_register_component(&pdev->dev,
					       &soc_test_unrelated_component,
					       NULL, 0);
}

static struct platform_driver soc_test_unrelated_driver = {
	.driver		= {
		.name	= DRV_NAME,
	},
	.probe		= soc_test_unrelated_probe,
};

static struct platform_device *soc_test_unrelated_pdev;

static int __init soc_test_unrelated_init(void)
{
	soc_test_unrelated_pdev = soc_test_register(&soc_test_unrelated_driver);

	return PTR_ERR_OR_ZERO(soc_test_unrelated_pdev);
}
module_init(soc_test_unrelated_init);

static void __exit soc_test_unrelated_exit(void)
{
	soc_test_unregister(&soc_test_unrelated_driver, soc_test_unrelated_pdev);
}
module_exit(soc_test_unrelated_exit);

MODULE_DESCRIPTION("ASoC test: a component no card uses");
MODULE_LICENSE("GPL");
