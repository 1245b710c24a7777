#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series-6.12.sh (make series-6.12): the draft 6.12 LTS series in
# patches-6.12/ (see its NOTES.md), applied with git am on Debian's
# linux-source-6.12 and built at every prefix, with nothing copied on top:
# drivers/base and sound/soc, W=1, the x86 test kernel's config fragments,
# no warning in our files. Prints one PASS/FAIL line per patch. The 6.12
# kernel is not booted yet: this is the first step of the port.
. "$(dirname "$0")/lib/common.sh"

PDIR=$TOP/patches-6.12
TARBALL=/usr/src/linux-source-6.12.tar.xz
root=$BUILD/6.12
src=$root/src
obj=$root/obj
log=$root/build.log
OURS='soc-pending|soc-core|soc-devres|kirkwood-spdif|trace/events/asoc|drivers/base/bus'

if [ ! -r "$TARBALL" ]; then
	[ "$(id -u)" = 0 ] || die "$TARBALL missing: apt-get install linux-source-6.12"
	log "installing linux-source-6.12"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.12 >/dev/null
fi
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)
mkdir -p "$root" "$obj"

if [ ! -d "$src/.git" ] || [ "$(cat "$root/source-version" 2>/dev/null)" != "$ver" ]; then
	log "unpacking $TARBALL ($ver) into $src"
	make_baseline_tree "$src"
	echo "$ver" > "$root/source-version"
	rm -f "$root/series.stamp"
fi
hash=$(cat "$PDIR/series" "$PDIR"/*.patch | sha1sum | cut -d' ' -f1)
if [ "$(cat "$root/series.stamp" 2>/dev/null)" != "$hash" ]; then
	git_in "$src" am --abort >/dev/null 2>&1 || true
	git_in "$src" checkout -q -B series baseline
	git_in "$src" clean -q -fdx
	apply_series "$src" "$root/am.log" "$PDIR"
	echo "$hash" > "$root/series.stamp"
fi

# The config: tinyconfig plus the x86 fragments, made on the whole series
# (its KUnit and Kirkwood options exist only there), then given to every
# prefix, which drops what it does not know.
git -C "$src" checkout -q series
if [ ! -f "$root/config.stamp" ] || [ "$(cat "$root/config.stamp")" != "$hash" ]; then
	make -s -C "$src" O="$obj" tinyconfig >/dev/null
	# shellcheck disable=SC2046
	(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" \
		$(variant_configs patched)) >"$root/merge.log" 2>&1
	make -s -C "$src" O="$obj" olddefconfig >/dev/null
	cp "$obj/.config" "$root/config.full"
	echo "$hash" > "$root/config.stamp"
fi

fail=0
i=0
for c in $(git -C "$src" rev-list --reverse baseline..series); do
	i=$((i + 1))
	p=$(sed -n "${i}p" <(grep -v '^[[:space:]]*\(#\|$\)' "$PDIR/series"))
	git -C "$src" checkout -q --detach "$c"
	cmp -s "$root/config.full" "$obj/.config" || cp "$root/config.full" "$obj/.config"
	if make -s -C "$src" O="$obj" CC="ccache gcc" -j"$JOBS" W=1 \
		olddefconfig drivers/base/ sound/soc/ >"$log" 2>&1 &&
	   ! grep -Eq "($OURS).*warning:" "$log"; then
		echo "PASS series-6.12/builds-at-$p"
	else
		echo "FAIL series-6.12/builds-at-$p: does not build cleanly with patches 1-$i"
		grep -m10 'error\|warning:' "$log" | sed 's/^/    /'
		fail=1
	fi
done
git -C "$src" checkout -q series
exit $fail
