#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkscenario.sh VARIANT DIR: build a scenario's modules (kbuild M=) against a
# kernel variant and pack the scenario into a cpio archive appended to the
# base initramfs: /scenarios/NAME and /lib/modules/KVER/extra/NAME.
. "$(dirname "$0")/lib/common.sh"

v=${1:?variant}
dir=$(cd "${2:?scenario dir}" && pwd)
name=$(basename "$dir")
kver=$(kernel_release "$v")
work=$BUILD/$v/scen/$name
root=$work/root

# series_file PATH TO: the file PATH of the patched tree, or of the 6.1
# series' patch that adds it, copied to TO
series_file()
{
	local f=$1 to=$2 p t rc

	if [ -f "$(variant_src patched)/$f" ]; then
		cp "$(variant_src patched)/$f" "$to"
		return
	fi
	p=$(grep -l "^+++ b/$f\$" "$TOP"/patches/[0-9]*.patch 2>/dev/null | tail -n 1)
	[ -n "$p" ] || return 1
	t=$(mktemp -d)
	(cd "$t" && git apply --include="$f" "$p") && cp "$t/$f" "$to"
	rc=$?
	rm -rf "$t"
	return $rc
}

rm -rf "$root"
mkdir -p "$root/scenarios" "$work/src"
[ -x "$dir/run" ] || die "$dir/run missing or not executable"
cp -aL "$dir" "$root/scenarios/$name"

if [ -f "$dir/Kbuild" ]; then
	# objects of an earlier build deleted too: every build compiles all,
	# so that its warnings are seen (ccache replays them)
	rsync -aL --delete "$dir/" "$work/src/"
	# series-files: "PATH NAME" lines, a file the series adds to the kernel
	# (taken from the patched tree) built as NAME by the scenario, e.g. for
	# a stock kernel that lacks it. A base whose series does not add it
	# (7.3: the Kirkwood S/PDIF card has no in-tree user there) builds it
	# as the 6.1 series adds it: the file alone, out of patches/.
	if [ -f "$dir/series-files" ]; then
		grep -v '^[[:space:]]*\(#\|$\)' "$dir/series-files" | while read -r f n; do
			series_file "$f" "$work/src/$n" ||
				die "scenario $name: $f is neither in the patched tree (make source) nor added by patches/"
		done
	fi
	if ! kmake "$v" M="$work/src" W=1 modules >"$work/build.log" 2>&1; then
		cat "$work/build.log" >&2
		die "scenario $name: modules do not build against the $v kernel"
	fi
	# W=1 clean, as the series: a warning fails the scenario's build
	if grep -i 'warning:' "$work/build.log" >&2; then
		die "scenario $name: W=1 warnings in its modules"
	fi
	kmake "$v" M="$work/src" \
		INSTALL_MOD_PATH="$root" INSTALL_MOD_DIR="extra/$name" INSTALL_MOD_STRIP=1 \
		DEPMOD=true modules_install >/dev/null
	rm -f "$root/lib/modules/$kver"/modules.*
fi

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$work.cpio.gz"
echo "$work.cpio.gz"
