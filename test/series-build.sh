#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series-build.sh: every prefix of patches/series, with nothing copied on
# top, must build what the series touches (drivers/base, sound/soc) with the
# test kernel's config (W=1) and no warning in our files. Runs in its own
# worktree and object directory; prints one PASS/FAIL line per patch.
. "$(dirname "$0")/lib/common.sh"

main=$(variant_src patched)
src=$BUILD/series/src
obj=$BUILD/series/obj
log=$BUILD/series/build.log
mkdir -p "$obj"
# Files of ours, whose W=1 warnings fail the step.
OURS='soc-pending|soc-core|soc-devres|kirkwood-spdif|trace/events/asoc|simple-card|audio-graph-card|drivers/base/bus'

[ -d "$main/.git" ] || die "run make source first"
# the test kernel's configuration, also where only the ARM kernel is built
[ -e "$(variant_obj patched)/.config" ] ||
	CONFIG_ONLY=1 "$TOP/test/build-kernel.sh" patched >/dev/null
if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	rm -rf "$src"
	git -C "$main" worktree prune
	git -C "$main" worktree add -q --detach "$src" baseline
fi

mapfile -t series < <(grep -v '^[[:space:]]*\(#\|$\)' "$PDIR/series")
commits=$(git -C "$main" rev-list --reverse baseline..HEAD)
[ "$(echo "$commits" | wc -l)" = "${#series[@]}" ] ||
	die "$main does not hold the series (run make source)"

i=0
for c in $commits; do
	p=${series[$i]}
	i=$((i + 1))
	git -C "$src" checkout -q --detach "$c"
	git -C "$src" clean -q -fdx
	# The configuration again only where it may change: the first
	# prefix, one after a prefix that failed, and a patch that touches a
	# Kconfig file. Each kbuild goal costs about 5 s of CPU even when
	# there is nothing to do, and with olddefconfig beside them kbuild
	# runs every goal in a make of its own.
	: >"$log"
	if [ "${passed:-}" != 1 ] ||
	   git -C "$src" diff --name-only "$c^" "$c" | grep -q Kconfig; then
		cp "$(variant_obj patched)/.config" "$obj/.config"
		make -s -C "$src" O="$obj" CC="ccache gcc" olddefconfig >>"$log" 2>&1
	fi
	passed=
	if make -s -C "$src" O="$obj" CC="ccache gcc" -j"$JOBS" W=1 \
		drivers/base/ sound/soc/ >>"$log" 2>&1 &&
	   ! grep -Eq "($OURS).*warning:" "$log"; then
		passed=1
		echo "PASS series/builds-at-$p"
	else
		echo "FAIL series/builds-at-$p: sound/soc does not build cleanly with patches 1-$i"
		grep -m10 'error\|warning:' "$log" | sed 's/^/    /'
	fi
done
