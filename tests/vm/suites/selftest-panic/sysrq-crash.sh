#!/bin/sh
# MUST CRASH THE VM: triggers a kernel panic; run.sh must report it.
set -eu

echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
