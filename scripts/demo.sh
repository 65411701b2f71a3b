#!/bin/sh
# The main job: install what is needed, build homa.ko and the tools, boot
# a Debian kernel in QEMU, load the module and use it in two network
# namespaces, and print what happened.
# Usage: scripts/demo.sh [KVER]   (default: the first of scripts/kernels.sh)
set -eu
cd "$(dirname "$0")/.."

scripts/setup.sh
kver=${1:-$(scripts/kernels.sh | head -n 1)}
make --no-print-directory -s module tools KVER="$kver"
exec tests/vm/run.sh -k "$kver" -v demo
