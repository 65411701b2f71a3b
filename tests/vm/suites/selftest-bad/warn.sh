#!/bin/sh
# MUST FAIL: loads a module whose init WARNs, then unloads it cleanly and
# exits 0; the harness must fail the test because of the kernel log.
set -eu

insmod "$TESTBED/modules/homa_testbed_warn.ko"
rmmod homa_testbed_warn
