#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# prepare-src.sh VARIANT: unpack the Debian 6.1 tree into a git tree tagged
# `baseline`, then (patched variant) apply patches/series with `git am` and
# copy kernel/ in.  Incremental: nothing is touched when the inputs did not
# change, and only changed kernel/ files are copied.
. "$(dirname "$0")/lib/common.sh"

v=${1:?variant}
src=$(variant_src "$v")
root=$(dirname "$src")
G=(git -C "$src" -c user.name=asoc-pending -c user.email=asoc-pending@localhost)

[ -r "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-6.1)"
pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)

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
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$TARBALL" -C "$src" --strip-components=1
	"${G[@]}" init -q
	"${G[@]}" add -A -f .
	"${G[@]}" commit -q -m "linux-source-6.1 $pkgver (Debian)"
	"${G[@]}" tag baseline
	echo "$pkgver" > "$root/source-version"
	rm -f "$root/series.stamp" "$root/kernel.manifest"
fi

# The series: re-applied from baseline whenever a patch changed.
series_hash=$(cd "$TOP/patches" && cat series $(grep -v '^[[:space:]]*\(#\|$\)' series || true) | sha1sum)
if [ "$(cat "$root/series.stamp" 2>/dev/null)" != "$series_hash" ]; then
	"${G[@]}" am --abort >/dev/null 2>&1 || true
	"${G[@]}" reset -q --hard baseline
	"${G[@]}" clean -q -fd
	rm -f "$root/kernel.manifest"
	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		[ -f "$TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
		if ! "${G[@]}" am -q --whitespace=error-all "$TOP/patches/$p" >/dev/null 2>"$root/am.log"; then
			cat "$root/am.log" >&2
			"${G[@]}" am --abort >/dev/null 2>&1 || true
			die "patch $p does not apply to the Debian 6.1 tree (no fuzz allowed)"
		fi
	done < "$TOP/patches/series"
	echo "$series_hash" > "$root/series.stamp"
	log "applied $(grep -cv '^[[:space:]]*\(#\|$\)' "$TOP/patches/series" || true) patches"
fi

# kernel/: new files at their kernel paths; an upstream path is an error.
cd "$TOP/kernel"
find . -type f | sed 's|^\./||' | sort > "$root/kernel.manifest.new"
while read -r f; do
	if "${G[@]}" cat-file -e "baseline:$f" 2>/dev/null; then
		die "kernel/$f exists upstream: edit it with a patch instead"
	fi
	if ! cmp -s "$f" "$src/$f"; then
		mkdir -p "$src/$(dirname "$f")"
		cp "$f" "$src/$f"
	fi
done < "$root/kernel.manifest.new"
if [ -f "$root/kernel.manifest" ]; then
	comm -23 "$root/kernel.manifest" "$root/kernel.manifest.new" |
		while read -r f; do rm -f "$src/$f"; done
fi
mv "$root/kernel.manifest.new" "$root/kernel.manifest"
