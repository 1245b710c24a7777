#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm-build.sh: cross-build sound/soc of the patched tree for ARM, the
# architecture Kirkwood is (multi_v5_defconfig + configs/arm.config), with
# W=1. Prints PASS/FAIL lines: the build, and no warning in our files.
. "$(dirname "$0")/lib/common.sh"

src=$(variant_src patched)
# Not $BUILD/arm: that is the arm test kernel variant (test/lib/common.sh).
obj=$BUILD/arm-v5/obj
log=$BUILD/arm-v5/build.log
mkdir -p "$obj"
A=(make -s -C "$src" O="$obj" ARCH=arm CROSS_COMPILE=arm-linux-gnueabi-
   CC="ccache arm-linux-gnueabi-gcc" -j"$JOBS")

cfg=$BUILD/arm-v5/config
rm -rf "$cfg"
mkdir -p "$cfg"
"${A[@]}" O="$cfg" multi_v5_defconfig >/dev/null
(cd "$src" && ARCH=arm scripts/kconfig/merge_config.sh -m -O "$cfg" "$cfg/.config" "$TOP/configs/arm.config") >/dev/null 2>&1
"${A[@]}" O="$cfg" olddefconfig >/dev/null
missing=$(grep '^CONFIG_.*=[ym]' "$TOP/configs/arm.config" | while read -r l; do
	grep -qx "$l" "$cfg/.config" || echo "$l"; done)
cmp -s "$cfg/.config" "$obj/.config" || cp "$cfg/.config" "$obj/.config"
rm -rf "$cfg"

if [ -n "$missing" ]; then
	echo "FAIL arm/config: not set by multi_v5_defconfig + arm.config: $missing"
	exit 1
fi

log "cross-building sound/soc for ARM"
if "${A[@]}" modules_prepare >"$log" 2>&1 &&
   "${A[@]}" W=1 sound/soc/ >>"$log" 2>&1; then
	echo "PASS arm/build-sound-soc"
else
	echo "FAIL arm/build-sound-soc: see $log"
	grep -m5 'error' "$log" | sed 's/^/    /'
	exit 1
fi

ours='soc-pending|soc-core|soc-devres|kirkwood-spdif|trace/events/asoc|simple-card|audio-graph-card'
if grep -E "($ours).*warning:" "$log" >/dev/null; then
	echo "FAIL arm/no-warnings-in-our-files"
	grep -E "($ours).*warning:" "$log" | sed -n 1,10p | sed 's/^/    /'
	exit 1
fi
echo "PASS arm/no-warnings-in-our-files"
