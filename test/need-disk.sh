#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# need-disk.sh TARGET: stop before anything is installed or unpacked when
# the file system that the build directory, the ccache and the packages
# share has less free space than TARGET (check or demo) was measured to use
# on an empty machine (docs/times.md), so that a small disk fails at once
# with the figures instead of with tar's "No space left on device" halfway
# through the first unpack. A build directory that already holds the 6.1
# test kernel needs only a margin. DISK_CHECK=0 skips the check.
. "$(dirname "$0")/lib/common.sh"

target=${1:?usage: need-disk.sh check|demo}
[ "${DISK_CHECK:-1}" = 0 ] && exit 0

# GiB a run writes on an empty machine, with a quarter or more to spare.
# Measured on 2026-12-07 (docs/times.md): make check wrote 9.7 GB (the
# packages 1.1, build/ 8.0, the ccache 0.2, the armel userland and 7.3
# package 0.4); 7.3's two kernels in check add about 2.7 of build/. make
# demo's tree is 2.0 of those, plus the packages.
case $target in
check) cold=15 ;;
demo) cold=5 ;;
*) die "need-disk.sh: unknown target $target (check or demo)" ;;
esac
margin=2

# the nearest existing ancestor of a path that may not exist yet
existing()
{
	local d=$1

	while [ ! -e "$d" ]; do d=$(dirname "$d"); done
	echo "$d"
}

if [ -e "$BUILD_TOP/patched/obj/vmlinux" ]; then
	need=$margin
else
	need=$cold
fi
for d in "$BUILD_TOP" "$CCACHE_DIR"; do
	d=$(existing "$d")
	avail=$(df --output=avail -B1M "$d" | tail -n1 | tr -d ' ')
	[ "$avail" -ge $((need * 1024)) ] && continue
	df -h "$d" >&2
	die "make $target needs about $need GiB free under $d and has $avail MiB" \
		"(a cold run from an empty machine writes about $cold GiB;" \
		"DISK_CHECK=0 to try anyway)"
done
