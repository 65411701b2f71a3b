#!/bin/sh
# MUST FAIL: exits with status 1.
echo "exiting with status 1 on purpose"
exit 1
