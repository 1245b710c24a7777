#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel.sh VARIANT: configure (tinyconfig + configs/ fragments) and
# build bzImage (zImage for the arm variants) and modules out of tree, then
# stage modules_install.
. "$(dirname "$0")/lib/common.sh"

v=${1:?variant}
src=$(variant_src "$v")
obj=$(variant_obj "$v")
mkdir -p "$obj"

# Configure into a scratch directory; replace .config only when it changed
# so an unchanged tree is not rebuilt.
cfgdir=$BUILD/$v/config
rm -rf "$cfgdir"
mkdir -p "$cfgdir"
kmake_in "$v" "$cfgdir" tinyconfig >/dev/null
# shellcheck disable=SC2046
(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$cfgdir" "$cfgdir/.config" $(variant_configs "$v")) >"$cfgdir/merge.log" 2>&1
kmake_in "$v" "$cfgdir" olddefconfig >/dev/null
# Every option we ask for must stick, on stock kernels as on ours: a test
# kernel without, say, lockdep or the second CPU would pass tests it cannot
# run, and a stock column built without what ours has would compare
# nothing. Only the options our series add (the "+config" lines of any
# base's patches) do not exist in a stock tree, and on ours those that
# another base's series adds and this base's does not (7.3's leaves out the
# Kirkwood S/PDIF card, which has no in-tree user there).
added()
{
	cat "$@" 2>/dev/null | sed -n 's/^+config \([A-Z0-9_]*\).*/\1/p' | sort -u || true
}
ours=$(added "$TOP"/patches*/*.patch)
if ! variant_is_stock "$v"; then
	ours=$(comm -23 <(echo "$ours") <(added "$PDIR"/*.patch))
fi
lost=
for frag in $(variant_configs "$v"); do
	while read -r line; do
		sym=${line%%=*}
		case " $(echo $ours) " in
		*" ${sym#CONFIG_} "*) continue ;;
		esac
		grep -qx "$line" "$cfgdir/.config" ||
			lost="$lost $(basename "$frag"):$line"
	done < <(grep -h '^CONFIG_.*=[ym]' "$frag")
done
[ -z "$lost" ] || die "config options that did not stick:$lost"
if ! cmp -s "$cfgdir/.config" "$obj/.config"; then
	cp "$cfgdir/.config" "$obj/.config"
fi
rm -rf "$cfgdir"
# CONFIG_ONLY=1: the configuration alone (series-build.sh's, on a base whose
# check does not build this kernel)
[ -z "${CONFIG_ONLY:-}" ] || exit 0

log "building $v kernel ($JOBS jobs)"
blog=$BUILD/$v/build.log
if ! kmake "$v" "$(basename "$(variant_image "$v")")" modules >"$blog" 2>&1; then
	tail -40 "$blog" >&2
	die "$v kernel build failed (full log: $blog)"
fi
grep -i 'warning:' "$blog" >&2 || true

stage=$BUILD/$v/modules
rm -rf "$stage"
kmake "$v" INSTALL_MOD_PATH="$stage" INSTALL_MOD_STRIP=1 modules_install >/dev/null
