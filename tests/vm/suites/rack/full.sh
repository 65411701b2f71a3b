#!/bin/sh
# timeout: 1500
# The emulated rack's measurement (rack.lib): Homa and TCP, unloaded and
# at each load, with the workload and durations that scripts/rack.sh
# passes on the kernel command line (RACK_FULL=1 RACK_WORKLOAD=...
# RACK_SECONDS=... RACK_CAL_SECONDS=...; every RACK_* setting of rack.lib
# may be given so). Skipped in other runs: scripts/rack.sh collects its
# CSV, draws the plots and prints the summary.
set -u
# shellcheck source=/dev/null
. "$TESTBED/suites/rack/rack.lib"

[ "${RACK_FULL:-}" = 1 ] || skip "run by scripts/rack.sh (RACK_FULL=1)"
rack_setup
rack_run
rack_report
