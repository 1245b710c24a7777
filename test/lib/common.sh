# SPDX-License-Identifier: GPL-2.0
# Shared settings for the harness scripts (sourced, bash).

set -eu -o pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
TARBALL=${TARBALL:-/usr/src/linux-source-6.1.tar.xz}
JOBS=${JOBS:-$(nproc)}

# ccache: hash relative paths so the stock and patched trees share objects.
export CCACHE_BASEDIR=$BUILD
export CCACHE_NOHASHDIR=1
export CCACHE_DIR=${CCACHE_DIR:-${HOME:-/root}/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=asoc-pending KBUILD_BUILD_HOST=qemu

# A variant is a kernel build: which source tree, which configs.
#   patched: our series + kernel/ (the test kernel)
#   stock:   the same config on the pristine tree, for comparisons
#   stress:  patched + KASAN
variant_src()
{
	case $1 in
	stock) echo "$BUILD/stock/src" ;;
	*) echo "$BUILD/patched/src" ;;
	esac
}

variant_obj()
{
	echo "$BUILD/$1/obj"
}

variant_configs()
{
	local c="$TOP/configs"

	echo "$c/base.config $c/sound.config $c/kunit.config $c/debug.config"
	[ "$1" = stress ] && echo "$c/kasan.config"
	return 0
}

kmake()
{
	local v=$1
	shift
	make -s -C "$(variant_src "$v")" O="$(variant_obj "$v")" \
		CC="ccache gcc" -j"$JOBS" "$@"
}

kernel_release()
{
	cat "$(variant_obj "$1")/include/config/kernel.release"
}

die()
{
	echo "error: $*" >&2
	exit 1
}

log()
{
	echo ">>> $*" >&2
}
