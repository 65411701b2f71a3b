// SPDX-License-Identifier: GPL-2.0
/*
 * Test-bed self-test module: its init emits a kernel WARNING and succeeds,
 * so that the VM harness can prove it fails a test whose kernel log
 * contains a warning even though the test itself exits 0.
 */

#include <linux/bug.h>
#include <linux/module.h>

static int __init homa_testbed_warn_init(void)
{
	WARN(1, "homa_testbed_warn: deliberate warning for the test bed\n");
	return 0;
}

static void __exit homa_testbed_warn_exit(void)
{
}

module_init(homa_testbed_warn_init);
module_exit(homa_testbed_warn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VM test bed self-test: WARN on load");
