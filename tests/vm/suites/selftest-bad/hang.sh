#!/bin/sh
# timeout: 5
# MUST FAIL: never ends; the harness must report a TIMEOUT after 5 s.
set -eu

sleep 3600
