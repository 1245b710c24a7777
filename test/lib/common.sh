# SPDX-License-Identifier: GPL-2.0
# Shared settings for the harness scripts (sourced, bash).

set -eu -o pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JOBS=${JOBS:-$(nproc)}

# The base: KERNEL=6.1 (the default, Debian 12's kernel), KERNEL=6.12 (the
# newer LTS, same archive) or KERNEL=7.3 (mainline, from trixie-backports:
# see BACKPORTS below; its series is not written yet). Each has its series (PDIR) and its tarball. The
# 6.1 trees are under $BUILD_TOP, the 6.12 ones under $BUILD_TOP/6.12: a
# script run with KERNEL=6.12 finds every variant there, and BUILD_TOP
# keeps scripts that call each other from nesting it twice.
KERNEL=${KERNEL:-6.1}
BUILD_TOP=${BUILD_TOP:-${BUILD:-$TOP/build}}
case $KERNEL in
6.1)
	PDIR=$TOP/patches
	BUILD=$BUILD_TOP ;;
6.12)
	PDIR=$TOP/patches-6.12
	BUILD=$BUILD_TOP/6.12 ;;
7.3)
	PDIR=$TOP/patches-7.3
	BUILD=$BUILD_TOP/7.3 ;;
*)
	echo "error: KERNEL=$KERNEL: the bases are 6.1, 6.12 and 7.3" >&2
	exit 2 ;;
esac
export KERNEL BUILD_TOP BUILD
# Bookworm has no 7.3: test/deps.sh downloads linux-source-7.3 from Debian's
# trixie-backports suite with a sources list and apt state of its own (the
# machine's sources stay as they are), checks the pinned version's SHA256
# and unpacks the package here instead of installing it.
BACKPORTS=${BACKPORTS:-${HOME:-/root}/.cache/asoc-pending/backports}
SRC73_VERSION=7.3.4-1~bpo13+1
SRC73_SHA256=703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3
if [ "$KERNEL" = 7.3 ]; then
	TARBALL=$BACKPORTS/linux-source-7.3/usr/src/linux-source-7.3.tar.xz
else
	TARBALL=/usr/src/linux-source-$KERNEL.tar.xz
fi
# every base make check runs
KERNELS="6.1 6.12"

# ccache: hash relative paths so the stock and patched trees share objects.
export CCACHE_BASEDIR=$BUILD
export CCACHE_NOHASHDIR=1
export CCACHE_DIR=${CCACHE_DIR:-${HOME:-/root}/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=asoc-pending KBUILD_BUILD_HOST=qemu

# A variant is a kernel build: which source tree, which configs.
#   patched: our series (the test kernel)
#   stock:   the same config on the pristine tree, for comparisons
#   fix-stock: stock with the series' first patch alone (the stable fix of
#            the unlocked rebind walk), for the rebind-race scenario
#   stress:  patched + KASAN
#   arm, arm-stock: patched and stock, cross-built for 32-bit ARM and
#            booted on QEMU's virt machine with a device tree describing
#            the Armada 370 DB audio path (test/arm/)
variant_src()
{
	case $1 in
	stock | arm-stock) echo "$BUILD/stock/src" ;;
	fix-stock) echo "$BUILD/fix-stock/src" ;;
	*) echo "$BUILD/patched/src" ;;
	esac
}

variant_obj()
{
	echo "$BUILD/$1/obj"
}

# variant_is_arm VARIANT / variant_is_stock VARIANT
variant_is_arm()
{
	case $1 in arm | arm-*) return 0 ;; esac
	return 1
}

variant_is_stock()
{
	case $1 in stock | *-stock) return 0 ;; esac
	return 1
}

variant_configs()
{
	local c="$TOP/configs"

	if variant_is_arm "$1"; then
		echo "$c/arm-virt.config $c/sound.config $c/kunit.config $c/debug.config $c/arm-sound.config"
		return 0
	fi
	echo "$c/base.config $c/sound.config $c/kunit.config $c/debug.config"
	[ "$1" = stress ] && echo "$c/kasan.config"
	return 0
}

# variant_image VARIANT: the boot image, relative to the object tree.
variant_image()
{
	if variant_is_arm "$1"; then
		echo arch/arm/boot/zImage
	else
		echo arch/x86/boot/bzImage
	fi
}

# kmake_in VARIANT OBJDIR ARGS...: kbuild in the variant's source tree with
# its output in OBJDIR, with the variant's architecture and (ccache) compiler.
kmake_in()
{
	local v=$1 o=$2
	shift 2
	if variant_is_arm "$v"; then
		make -s -C "$(variant_src "$v")" O="$o" ARCH=arm \
			CROSS_COMPILE=arm-linux-gnueabi- CC="ccache arm-linux-gnueabi-gcc" \
			-j"$JOBS" "$@"
	else
		make -s -C "$(variant_src "$v")" O="$o" CC="ccache gcc" -j"$JOBS" "$@"
	fi
}

# kmake VARIANT ARGS...: kbuild in the variant's object tree.
kmake()
{
	local v=$1
	shift
	kmake_in "$v" "$(variant_obj "$v")" "$@"
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

# figures TAG FILE...: the values of the "# TAG: ..." lines that scenarios
# print for the harness ("figures" of parallel load loops, "stress" of the
# stress runs), one per line; nothing for a missing file
figures()
{
	local tag=$1

	shift
	sed -n "s/^# $tag: //p" "$@" 2>/dev/null || true
}

# source_version: the Debian version of the linux-source-$KERNEL package
# that $TARBALL comes from ("unknown" without dpkg's record of it, or for
# 7.3 without the version deps.sh wrote beside the unpacked package).
source_version()
{
	if [ "$KERNEL" = 7.3 ]; then
		cat "$BACKPORTS/linux-source-7.3/.version" 2>/dev/null || echo unknown
		return
	fi
	dpkg-query -W -f='${Version}' "linux-source-$KERNEL" 2>/dev/null || echo unknown
}

# git_in DIR ARGS...: git in DIR, committing as the harness: the baseline
# commit, and the series applied with git am (whose authors come from the
# patches).
git_in()
{
	local d=$1

	shift
	git -C "$d" -c user.name=asoc-pending -c user.email=asoc-pending@localhost "$@"
}

# make_baseline_tree DIR: unpack $TARBALL into DIR (emptied first) and make
# it a git tree whose one commit, tagged baseline, is the Debian source.
make_baseline_tree()
{
	local src=$1

	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$TARBALL" -C "$src" --strip-components=1
	git_in "$src" init -q
	git_in "$src" add -A -f .
	git_in "$src" commit -q -m "linux-source-$KERNEL $(source_version) (Debian)"
	git_in "$src" tag baseline
}

# apply_series DIR LOG [PATCHDIR]: git am every patch PATCHDIR/series
# (default $PDIR, the base's series) names onto DIR's HEAD, no fuzz and no
# whitespace error allowed; a patch that does not apply has git am's
# messages (kept in LOG) printed, the am aborted, and stops the script
# naming it.
apply_series()
{
	local src=$1 amlog=$2 pdir=${3:-$PDIR} p

	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		[ -f "$pdir/$p" ] || die "$pdir/series names $p, which does not exist"
		if ! git_in "$src" am -q --whitespace=error-all "$pdir/$p" >/dev/null 2>"$amlog"; then
			cat "$amlog" >&2
			git_in "$src" am --abort >/dev/null 2>&1 || true
			die "patch $p does not apply to its Debian tree (no fuzz allowed)"
		fi
	done < "$pdir/series"
}

# The ARM guest's userland: armel packages fetched by test/deps.sh with
# apt-get download and unpacked here (kept across make clean, like ccache).
ARMEL_CACHE=${ARMEL_CACHE:-${HOME:-/root}/.cache/asoc-pending/armel}
ARMEL_ROOT=$ARMEL_CACHE/root
# The dynamic binaries the guest runs, relative to ARMEL_ROOT.
ARMEL_BINS="usr/bin/aplay bin/kmod"

# armel_closure ROOT FILE...: the shared libraries FILEs (relative to ROOT)
# need, directly or through each other, as paths relative to ROOT, plus
# the dynamic loader; a library that is not in ROOT prints as missing:SONAME.
armel_closure()
{
	local root=$1 f so d found todo seen=
	shift

	todo="$*"
	while [ -n "$todo" ]; do
		# shellcheck disable=SC2086
		set -- $todo
		f=$1
		shift
		todo="$*"
		case " $seen " in *" $f "*) continue ;; esac
		seen="$seen $f"
		echo "$f"
		for so in $(arm-linux-gnueabi-readelf -d "$root/$f" 2>/dev/null |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			found=
			for d in lib/arm-linux-gnueabi usr/lib/arm-linux-gnueabi lib usr/lib; do
				[ -e "$root/$d/$so" ] && { found=$d/$so; break; }
			done
			if [ -n "$found" ]; then
				todo="$todo $found"
			else
				echo "missing:$so"
			fi
		done
		# the program interpreter (ld-linux.so.3) of a dynamic executable
		so=$(arm-linux-gnueabi-readelf -l "$root/$f" 2>/dev/null |
			sed -n 's/.*interpreter: \/\(.*\)\]/\1/p')
		if [ -n "$so" ]; then
			if [ -e "$root/$so" ]; then todo="$todo $so"; else echo "missing:${so##*/}"; fi
		fi
	done
}

# scenario_dirs: "x86 DIR" for every scenario of test/scenarios, then "arm
# DIR" for the device tree ones of test/arm/scenarios.
scenario_dirs()
{
	local d

	for d in "$TOP"/test/scenarios/*/; do
		echo "x86 $d"
	done
	for d in "$TOP"/test/arm/scenarios/*/; do
		echo "arm $d"
	done
}
