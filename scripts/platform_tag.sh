#!/usr/bin/env bash
# Prints the wheel platform tag a shared library needs: manylinux_2_<N>_<arch>,
# where 2.N is the newest glibc symbol version it references.
# Usage: scripts/platform_tag.sh build/lib/libglove.so.1
set -euo pipefail
floor=$(objdump -T "$1" | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n | tail -1)
echo "manylinux_2_${floor#GLIBC_2.}_$(uname -m)"
