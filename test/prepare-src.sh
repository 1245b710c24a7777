#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# prepare-src.sh VARIANT: unpack the Debian tree of the base (KERNEL, see
# lib/common.sh) into a git tree tagged `baseline`, then (patched variant)
# apply the base's series ($PDIR/series) with `git am`.
# Incremental: nothing is touched when the series did not change.
. "$(dirname "$0")/lib/common.sh"

v=${1:?variant}
src=$(variant_src "$v")
root=$(dirname "$src")
G=(git -C "$src" -c user.name=asoc-pending -c user.email=asoc-pending@localhost)

[ -r "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-$KERNEL)"
pkgver=$(source_version)

if [ "$v" = fix-stock ]; then
	# Stock with the series' first patch alone, the fix a stable tree would
	# take: a worktree of the patched tree at its first commit.
	main=$(variant_src patched)
	[ -d "$main/.git" ] || die "prepare the patched tree first"
	first=$(git -C "$main" rev-list --reverse baseline..HEAD | sed -n 1p)
	[ -n "$first" ] || die "the patched tree holds no series"
	if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		rm -rf "$src"
		git -C "$main" worktree prune
		git -C "$main" worktree add -q --detach "$src" "$first"
	elif [ "$(git -C "$src" rev-parse HEAD)" != "$first" ]; then
		git -C "$src" checkout -q --detach "$first"
	fi
	exit 0
fi

if variant_is_stock "$v"; then
	# The pristine tree, for comparisons: no git, no series.
	if [ "$(cat "$root/source-version" 2>/dev/null)" != "$pkgver" ]; then
		log "unpacking $TARBALL ($pkgver) into $src"
		rm -rf "$src"
		mkdir -p "$src"
		tar -xf "$TARBALL" -C "$src" --strip-components=1
		echo "$pkgver" > "$root/source-version"
	fi
	exit 0
fi

if [ ! -d "$src/.git" ] || [ "$(cat "$root/source-version" 2>/dev/null)" != "$pkgver" ]; then
	log "unpacking $TARBALL ($pkgver) into $src"
	make_baseline_tree "$src"
	echo "$pkgver" > "$root/source-version"
	rm -f "$root/series.stamp"
fi

# The series: re-applied from baseline whenever a patch changed.
series_hash=$(cd "$PDIR" && cat series $(grep -v '^[[:space:]]*\(#\|$\)' series || true) | sha1sum)
if [ "$(cat "$root/series.stamp" 2>/dev/null)" != "$series_hash" ]; then
	"${G[@]}" am --abort >/dev/null 2>&1 || true
	"${G[@]}" reset -q --hard baseline
	"${G[@]}" clean -q -fdx
	apply_series "$src" "$root/am.log"
	echo "$series_hash" > "$root/series.stamp"
	log "applied $(grep -cv '^[[:space:]]*\(#\|$\)' "$PDIR/series" || true) patches to $KERNEL"
fi

# The series is the whole product: nothing is copied on top. A tree made
# when kernel/ was still copied in is reset above (the series changed).
rm -f "$root/kernel.manifest"
