#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series.sh edit|refresh|patchset: work on the series in patches/ with git.
#
#   edit      $BUILD/edit/src: the Debian tree committed and tagged baseline
#             (as test/prepare-src.sh makes it), the series applied with
#             git am on branch `series`, to change with ordinary commits,
#             fixups and `git rebase -i baseline`.  An existing tree is kept:
#             if its commits are what patches/ holds, it is only reported;
#             if they differ, or it has uncommitted changes or a rebase or am
#             in progress, it is refused, and re-created only with FORCE=1.
#   refresh   writes baseline..series of the edit tree back to patches/ and
#             patches/series, says which patch files changed, were added,
#             renamed or removed (git rm when the repository tracks them),
#             then checks in a temporary worktree of the edit tree that the
#             new patches/ applies on baseline with git am, without fuzz,
#             and gives the branch's tree, authors and messages.  Refuses an
#             edit tree with uncommitted changes, untracked files or an
#             operation in progress, and (unless FORCE=1) a patches/ that
#             changed since the edit tree and it last agreed.
#   patchset  $BUILD/patchset: the series for posting (format-patch
#             --cover-letter --thread -n) from the edit tree when it holds
#             patches/ and is clean, else from $BUILD/patched/src (read
#             only) when its HEAD holds patches/, else from its own tree
#             $BUILD/patchset-src; the cover letter filled from
#             patches/cover-letter.txt with the latest make compare table
#             and make bench results; checkpatch.pl --strict of every patch
#             (checkpatch.txt) and get_maintainer.pl --no-git
#             --no-git-fallback (get_maintainer.txt), run inside that tree.
#             Exit status non-zero if checkpatch reports an error, a
#             warning or a check on any patch.
#
# Stable patch files.  refresh writes each commit so that a commit that did
# not change gives a byte-identical file, whatever changed around it:
#   --zero-commit     the From line carries no commit id (the id changes
#                     whenever an earlier patch is rebased);
#   -N                "[PATCH]" without n/m, which would change in every
#                     patch when one is added or dropped (the number in the
#                     file name still shifts: such a file is reported as
#                     renamed, its content unchanged);
#   --no-signature    no git version at the end;
#   --abbrev=12       index lines do not depend on the number of objects in
#                     the repository, as core.abbrev=auto does;
#   global and system git configuration ignored, and subject prefix, rename
#   detection and file name length given, so that another developer's
#   format.* or diff.* settings write the same files.
# The diffstat stays: reviewers read it, and it is made from the commit's
# diff alone, at format-patch's fixed mail width (72 columns, whatever the
# terminal).  So what changes a file is its commit: its message, author,
# date or diff, including the diff's index lines, which name the file's blobs
# before and after the commit: a patch after one that changed the same file
# gets new index lines, since its commit's tree changed too.
#
# Whether a tree holds patches/ is decided on what git am makes of each patch
# (git mailinfo's author, date, subject and message, and the diff's
# patch-id), so numbering, abbrev, diffstat and signature do not count:
# patch files written by hand or by another format-patch compare equal to
# the commits they make.  $BUILD/edit/synced keeps that list from the last
# time the edit tree and patches/ agreed (make edit, make refresh), which
# tells a developer's commits apart from a patches/ that changed under the
# tree (a pull).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
# the series directory as messages name it: patches or patches-6.12
PD=${PDIR##*/}
EDIT=$BUILD/edit
ESRC=$EDIT/src
SYNCED=$EDIT/synced
OUT=$BUILD/patchset
PSRC=$BUILD/patchset-src
FORCE=${FORCE:-0}

# No automatic gc while we work in the kernel trees: the 80,000 loose
# objects of a fresh baseline would start a repack on every CPU.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0

tmp=
wt=
fail_note=
cleanup()
{
	local rc=$?

	if [ -n "$wt" ]; then
		git -C "$ESRC" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
		git -C "$ESRC" worktree prune || true
	fi
	[ -z "$tmp" ] || rm -rf "$tmp"
	if [ "$rc" != 0 ] && [ -n "$fail_note" ]; then
		echo "$fail_note" >&2
	fi
	return 0
}
trap cleanup EXIT
tmp=$(mktemp -d "$BUILD/series.XXXXXX")

# sgit ARGS...: git without the global and system configuration, for output
# that must not depend on who runs it.
sgit()
{
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git "$@"
}

# rel PATH: PATH relative to the top of the repository when it is inside it.
rel()
{
	case $1 in
	"$TOP"/*) echo "${1#"$TOP"/}" ;;
	*) echo "$1" ;;
	esac
}

# is_tree DIR: DIR is the top of a git tree of its own (not a directory of
# the repository around it) with a baseline tag.
is_tree()
{
	[ -d "$1/.git" ] &&
		[ "$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$1" && pwd -P)" ] &&
		git -C "$1" rev-parse -q --verify refs/tags/baseline >/dev/null
}

# series_files: the patch files patches/series names, in order.
series_files()
{
	local p

	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		echo "$p"
	done < "$PDIR/series"
}

# fingerprint FILE...: one line per patch file, "HASH SUBJECT", HASH covering
# what git am makes of it: author, date, subject and message as git mailinfo
# reads them, and the verbatim patch-id of its diff.
fingerprint()
{
	local f h d=$tmp/fp

	mkdir -p "$d"
	for f in "$@"; do
		if [ ! -f "$f" ]; then
			echo "missing $f"
			continue
		fi
		sgit mailinfo "$d/msg" "$d/patch" < "$f" > "$d/info" 2>/dev/null || true
		h=$({
			cat "$d/info"
			sgit stripspace < "$d/msg"
			sgit patch-id --verbatim < "$d/patch" | cut -d' ' -f1
		} | sha1sum | cut -d' ' -f1)
		echo "$h $(sed -n 's/^Subject: //p' "$d/info" | head -n1)"
	done
}

# patches_fp: the fingerprints of the series in patches/.
patches_fp()
{
	local files

	mapfile -t files < <(series_files)
	[ "${#files[@]}" = 0 ] || (cd "$PDIR" && fingerprint "${files[@]}")
}

# render DIR RANGE OUT: the commits of RANGE in DIR as stable patch files in
# OUT (see the top of this file).
render()
{
	rm -rf "$3"
	mkdir -p "$3"
	sgit -C "$1" format-patch -q -N --zero-commit --no-signature --abbrev=12 \
		--find-renames --subject-prefix=PATCH --filename-max-length=64 \
		--no-thread --no-cover-letter -o "$3" "$2"
}

# tree_fp DIR RANGE: the fingerprints of the commits of RANGE in DIR.
tree_fp()
{
	local files

	render "$1" "$2" "$tmp/fp-render"
	mapfile -t files < <(cd "$tmp/fp-render" && ls)
	[ "${#files[@]}" = 0 ] || (cd "$tmp/fp-render" && fingerprint "${files[@]}")
}

# only_in A B: the lines of A that B lacks, without their hash.
only_in()
{
	awk 'NR == FNR { seen[$0] = 1; next } NF && !($0 in seen) { sub(/^[^ ]* /, ""); print }' \
		<(printf '%s\n' "$2") <(printf '%s\n' "$1")
}

# busy DIR: what makes DIR more than its commits, one line each: a rebase,
# am, merge, cherry-pick or revert in progress, uncommitted changes and
# untracked files (git status --porcelain, at most 20 lines).
busy()
{
	local p d n

	for p in rebase-merge:rebase rebase-apply:"rebase or am" MERGE_HEAD:merge \
		CHERRY_PICK_HEAD:cherry-pick REVERT_HEAD:revert; do
		d=$(git -C "$1" rev-parse --git-path "${p%%:*}")
		case $d in /*) ;; *) d=$1/$d ;; esac
		[ ! -e "$d" ] || echo "a git ${p#*:} is in progress"
	done
	git -C "$1" status --porcelain > "$tmp/status"
	head -n 20 "$tmp/status" | sed 's/^/uncommitted: /'
	n=$(wc -l < "$tmp/status")
	[ "$n" -le 20 ] || echo "uncommitted: ... $((n - 20)) more"
}

# hidden DIR: untracked files of DIR that .gitignore hides, at most 10 lines:
# Debian's .gitignore ignores everything at the top of the tree, so a new
# file is in no commit until git add -f, and git status does not show it.
hidden()
{
	git -C "$1" ls-files --others --ignored --exclude-standard --directory > "$tmp/hidden"
	head -n 10 "$tmp/hidden"
	[ "$(wc -l < "$tmp/hidden")" -le 10 ] || echo "... $(($(wc -l < "$tmp/hidden") - 10)) more"
}

# edit_state: sets state to how the edit tree's branch series stands against
# patches/:
#   same      its commits are what patches/ holds
#   work      its commits changed since they last agreed, patches/ did not
#   patches   patches/ changed since then, its commits did not
#   both      both changed
#   unknown   no record of their last agreement (make edit did not finish)
#   nobranch  the tree has no branch series
# and tfp and pfp to the fingerprints of both sides.
state=
tfp=
pfp=
edit_state()
{
	local s

	pfp=$(patches_fp)
	tfp=
	if ! git -C "$ESRC" rev-parse -q --verify refs/heads/series >/dev/null; then
		state=nobranch
		return 0
	fi
	tfp=$(tree_fp "$ESRC" baseline..series)
	s=$(cat "$SYNCED" 2>/dev/null || echo "none -")
	if [ "$tfp" = "$pfp" ]; then
		state=same
	elif [ ! -f "$SYNCED" ]; then
		state=unknown
	elif [ "$pfp" = "$s" ]; then
		state=work
	elif [ "$tfp" = "$s" ]; then
		state=patches
	else
		state=both
	fi
}

# explain STATE: why the edit tree differs from patches/, with the patches
# only one side has.
explain()
{
	case $1 in
	same) ;;
	nobranch) echo "  it has no branch series" ;;
	work) echo "  its branch series has commits that $PD/ lacks ($PD/ did not change since they last agreed)" ;;
	patches) echo "  $PD/ changed since the tree and it last agreed (the tree has no commits of its own)" ;;
	both) echo "  both its branch series and $PD/ changed since they last agreed" ;;
	unknown) echo "  its commits are not those of $PD/, and it never agreed with $PD/ (make edit did not finish)" ;;
	esac
	case $1 in
	same | nobranch) ;;
	*)
		only_in "$tfp" "$pfp" | sed 's/^/    only in the tree: /'
		only_in "$pfp" "$tfp" | sed 's/^/    only in patches\/: /'
		;;
	esac
}

# next_steps: where the edit tree is and what to do with it.
next_steps()
{
	local n v

	n=$(git -C "$ESRC" rev-list --count baseline..series)
	v=$(cat "$EDIT/source-version" 2>/dev/null || echo unknown)
	cat <<-EOF
	Edit tree: $(rel "$ESRC"), branch series: baseline (linux-source-$KERNEL $v) + $n patches
	Next steps:
	  cd $(rel "$ESRC")
	  edit, then commit: git commit -a --fixup=<commit of the patch>,
	    git commit --amend on the last one, or new commits for new patches
	    (new files need git add -f: Debian's .gitignore ignores everything)
	  git rebase -i --autosquash baseline    reorder, squash, reword, drop
	  make refresh      (in $TOP) write the series back to $PD/
	  make patchset     (in $TOP) the series for posting, checked, in $(rel "$OUT")
	EOF
	if [ "$v" != "$(source_version)" ]; then
		echo "Note: the installed linux-source-$KERNEL is $(source_version); FORCE=1 make edit re-creates the tree on it."
	fi
}

# ---- edit ------------------------------------------------------------------

# make_edit_tree: the Debian tree on branch series with patches/ applied,
# reusing the baseline commit of an existing tree of the same source.
make_edit_tree()
{
	local v op

	v=$(source_version)
	rm -f "$SYNCED"
	if is_tree "$ESRC" && [ "$(cat "$EDIT/source-version" 2>/dev/null)" = "$v" ]; then
		for op in am rebase merge cherry-pick revert; do
			git_in "$ESRC" "$op" --abort >/dev/null 2>&1 || true
		done
		git_in "$ESRC" checkout -q -f -B series baseline
		git_in "$ESRC" clean -q -fdx
	else
		[ -r "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-$KERNEL)"
		log "unpacking $TARBALL ($v) into $(rel "$ESRC")"
		make_baseline_tree "$ESRC"
		git_in "$ESRC" branch -M series
		echo "$v" > "$EDIT/source-version"
	fi
	log "applying $(series_files | wc -l) patches of $PD/series on branch series"
	apply_series "$ESRC" "$EDIT/am.log"
	patches_fp > "$SYNCED"
}

edit_cmd()
{
	local b old

	mkdir -p "$EDIT"
	if is_tree "$ESRC"; then
		b=$(busy "$ESRC")
		edit_state
		if [ -z "$b" ] && [ "$state" = same ]; then
			[ -f "$SYNCED" ] || printf '%s\n' "$pfp" > "$SYNCED"
			echo "The edit tree already holds $PD/."
			next_steps
			return 0
		fi
		if [ "$FORCE" != 1 ]; then
			{
				echo "error: the edit tree $(rel "$ESRC") is not what $PD/ holds:"
				[ -z "$b" ] || printf '%s\n' "$b" | sed 's/^/  /'
				explain "$state"
				echo "Its commits go to $PD/ with make refresh (once it is clean);"
				echo "FORCE=1 make edit re-creates it from $PD/, dropping its changes."
			} >&2
			exit 1
		fi
		old=$(git -C "$ESRC" rev-parse -q --verify refs/heads/series || true)
		log "FORCE=1: re-creating $(rel "$ESRC") from $PD/"
		[ -z "$old" ] ||
			log "the old branch series was $old (git -C $(rel "$ESRC") branch old-series $old keeps it)"
	fi
	make_edit_tree
	next_steps
}

# ---- refresh ---------------------------------------------------------------

refresh_cmd()
{
	local b n head f o m kind written=0 newfp oldfp
	local -a names old gone rep
	local -A isnew used

	is_tree "$ESRC" || die "no edit tree in $(rel "$ESRC"): run make edit first"
	git -C "$ESRC" rev-parse -q --verify refs/heads/series >/dev/null ||
		die "$(rel "$ESRC") has no branch series"
	b=$(busy "$ESRC")
	if [ -n "$b" ]; then
		{
			echo "error: the edit tree $(rel "$ESRC") is not clean:"
			printf '%s\n' "$b" | sed 's/^/  /'
			echo "Commit (or stash, or remove) the changes and finish or abort what is in progress, then make refresh."
		} >&2
		exit 1
	fi
	git -C "$ESRC" merge-base --is-ancestor baseline series ||
		die "branch series does not descend from baseline"
	[ -z "$(git -C "$ESRC" rev-list --merges baseline..series)" ] ||
		die "baseline..series has merge commits, which format-patch does not write: rebase them away"
	n=$(git -C "$ESRC" rev-list --count baseline..series)
	[ "$n" -gt 0 ] || die "baseline..series holds no commit"
	head=$(git -C "$ESRC" symbolic-ref -q --short HEAD || echo "a detached HEAD")
	[ "$head" = series ] || log "note: HEAD is on $head; writing branch series"
	b=$(hidden "$ESRC")
	if [ -n "$b" ]; then
		log "note: untracked files that .gitignore hides are in no commit (git add -f adds them):"
		printf '%s\n' "$b" | sed 's/^/    /' >&2
	fi

	render "$ESRC" baseline..series "$tmp/new"
	mapfile -t names < <(cd "$tmp/new" && ls)
	newfp=$(cd "$tmp/new" && fingerprint "${names[@]}")
	oldfp=$(patches_fp)
	if [ -f "$SYNCED" ] && [ "$oldfp" != "$(cat "$SYNCED")" ] && [ "$oldfp" != "$newfp" ] &&
	   [ "$FORCE" != 1 ]; then
		{
			echo "error: $PD/ changed since the edit tree and it last agreed (a pull, an edit by hand);"
			echo "writing the tree's series would undo that:"
			only_in "$oldfp" "$(cat "$SYNCED")" | sed 's/^/  changed in patches\/: /'
			echo "FORCE=1 make refresh overwrites $PD/ with the tree's series;"
			echo "FORCE=1 make edit re-creates the tree from $PD/."
		} >&2
		exit 1
	fi

	# Compare with the files there now: a new name with the content (or the
	# commit) of a file that goes is a rename.
	cd "$PDIR" || exit 1
	shopt -s nullglob
	old=(*.patch)
	shopt -u nullglob
	for f in "${names[@]}"; do
		isnew[$f]=1
	done
	gone=()
	for o in "${old[@]}"; do
		[ -n "${isnew[$o]:-}" ] || gone+=("$o")
	done
	rep=()
	for f in "${names[@]}"; do
		if [ -f "$f" ]; then
			if cmp -s "$tmp/new/$f" "$f"; then
				continue
			elif [ "$(fingerprint "$tmp/new/$f" | cut -d' ' -f1)" = "$(fingerprint "$f" | cut -d' ' -f1)" ]; then
				rep+=("reformatted|$f (same commit, new file format)")
			else
				rep+=("changed|$f")
			fi
			continue
		fi
		m=
		kind=
		for o in "${gone[@]}"; do
			if [ -z "${used[$o]:-}" ] && cmp -s "$tmp/new/$f" "$o"; then
				m=$o
				kind="renamed|same content"
				break
			fi
		done
		if [ -z "$m" ]; then
			for o in "${gone[@]}"; do
				if [ -z "${used[$o]:-}" ] &&
				   [ "$(fingerprint "$tmp/new/$f" | cut -d' ' -f1)" = "$(fingerprint "$o" | cut -d' ' -f1)" ]; then
					m=$o
					kind="renamed|reformatted"
					break
				fi
			done
		fi
		if [ -n "$m" ]; then
			used[$m]=1
			rep+=("${kind%|*}|$m -> $f (${kind#*|})")
		else
			rep+=("added|$f")
		fi
	done
	for o in "${gone[@]}"; do
		[ -n "${used[$o]:-}" ] || rep+=("removed|$o")
	done

	# Write: files that go, then new and changed files, then the list.
	for o in "${gone[@]}"; do
		if git -C "$TOP" ls-files --error-unmatch -- "$PD/$o" >/dev/null 2>&1; then
			git -C "$TOP" rm -q -f -- "$PD/$o"
		else
			rm -f -- "$o"
		fi
		written=1
	done
	for f in "${names[@]}"; do
		if ! cmp -s "$tmp/new/$f" "$f"; then
			cp "$tmp/new/$f" "$f"
			written=1
		fi
	done
	printf '%s\n' "${names[@]}" > "$tmp/series"
	if ! cmp -s "$tmp/series" series; then
		cp "$tmp/series" series
		rep+=("rewritten|series")
		written=1
	fi

	echo "refresh: baseline..series of $(rel "$ESRC") ($n commits) -> $PD/"
	for m in "${rep[@]}"; do
		printf '  %-12s %s\n' "${m%%|*}" "${m#*|}"
	done
	printf '  %-12s %s patches\n' unchanged \
		"$((${#names[@]} - $(printf '%s\n' "${rep[@]}" | grep -c '^\(changed\|reformatted\|added\|renamed\)|' || true)))"
	if [ "$written" = 0 ]; then
		echo "$PD/ already held the series: nothing written."
		printf '%s\n' "$newfp" > "$SYNCED"
		return 0
	fi

	# Check what was written: git am of patches/series on baseline, in a
	# worktree of the edit tree, must give the branch's tree and commits.
	fail_note="error: patches/ was written but does not give the edit tree's series back; git checkout patches/ restores the committed one"
	wt=$EDIT/verify
	git -C "$ESRC" worktree prune
	rm -rf "$wt"
	log "checking $PD/: git am on baseline in a temporary worktree"
	git -C "$ESRC" worktree add -q --detach "$wt" baseline
	apply_series "$wt" "$tmp/am.log"
	[ "$(git -C "$wt" rev-parse 'HEAD^{tree}')" = "$(git -C "$ESRC" rev-parse 'series^{tree}')" ] ||
		die "$PD/ applied on baseline does not give the tree of branch series"
	[ "$(tree_fp "$wt" baseline..HEAD)" = "$newfp" ] ||
		die "$PD/ applied on baseline does not give the authors and messages of branch series"
	fail_note=
	printf '%s\n' "$newfp" > "$SYNCED"
	echo "$PD/ applies on baseline (git am, no fuzz) and gives branch series back."
	if [ -n "$(git -C "$TOP" ls-files --others --exclude-standard -- patches 2>/dev/null)" ]; then
		echo "New files in $PD/ are not staged yet: git add $PD/"
	fi
}

# ---- patchset --------------------------------------------------------------

# psrc_tree: $PSRC with patches/ applied on baseline (made or re-applied
# only when needed).
psrc_tree()
{
	local v

	v=$(source_version)
	if ! is_tree "$PSRC" || [ "$(cat "$PSRC/.git/source-version" 2>/dev/null)" != "$v" ]; then
		[ -r "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-$KERNEL)"
		log "unpacking $TARBALL ($v) into $(rel "$PSRC")"
		make_baseline_tree "$PSRC"
		echo "$v" > "$PSRC/.git/source-version"
	elif [ "$(tree_fp "$PSRC" baseline..HEAD)" = "$pfp" ]; then
		return 0
	fi
	git_in "$PSRC" am --abort >/dev/null 2>&1 || true
	git_in "$PSRC" checkout -q -f --detach baseline
	git_in "$PSRC" clean -q -fd
	log "applying $PD/series in $(rel "$PSRC")"
	apply_series "$PSRC" "$tmp/am.log"
}

# results FILE WHAT TARGET: FILE's content (without a leading "# " title) for
# the cover letter, or a line asking to run make TARGET.
missing_results=
results()
{
	if [ -s "$1" ]; then
		echo "($2, $(date -u -r "$1" '+%Y-%m-%d %H:%M UTC'))"
		echo
		sed '1{/^# /d}' "$1" | awk 'NF { p = 1 } p'
	else
		echo "[No $2 results yet: run \`make $3\`, then \`make patchset\` again.]"
		missing_results="$missing_results make $3"
	fi
}

# cover_blurb SUBJECT-FILE BLURB-FILE: patches/cover-letter.txt filled in.
cover_blurb()
{
	local -a lines
	local l ver

	ver=$(source_version)
	mapfile -t lines < <(grep -v '^#' "$PDIR/cover-letter.txt")
	[ -n "${lines[0]:-}" ] || die "$PD/cover-letter.txt: no subject line"
	[ -z "${lines[1]:-}" ] || die "$PD/cover-letter.txt: the subject must be followed by a blank line"
	! LC_ALL=C grep -q '[^ -~]' <<< "${lines[0]}" ||
		die "$PD/cover-letter.txt: the subject must be plain ASCII"
	echo "${lines[0]}" > "$1"
	for l in "${lines[@]:2}"; do
		case $l in
		@COMPARE@) results "$BUILD/compare/table.txt" "make compare" compare ;;
		@BENCH@) results "$BUILD/bench/results.md" "make bench" bench ;;
		*) echo "${l//@SOURCE@/$ver}" ;;
		esac
	done > "$tmp/blurb.raw"
	# without trailing blank lines
	awk '{ line[NR] = $0 } NF { last = NR } END { for (i = 1; i <= last; i++) print line[i] }' \
		"$tmp/blurb.raw" > "$2"
}

patchset_cmd()
{
	local src tip what p r e w c bad=0 total
	local -a pats

	pfp=$(patches_fp)
	[ -n "$pfp" ] || die "$PD/series names no patch"
	if is_tree "$ESRC" && git -C "$ESRC" rev-parse -q --verify refs/heads/series >/dev/null &&
	   [ -z "$(busy "$ESRC")" ] && [ "$(tree_fp "$ESRC" baseline..series)" = "$pfp" ]; then
		src=$ESRC
		tip=$(git -C "$ESRC" rev-parse series)
		what="the edit tree $(rel "$ESRC")"
	elif src=$(variant_src patched) && is_tree "$src" &&
	     tip=$(git -C "$src" rev-parse -q --verify HEAD) &&
	     [ "$(tree_fp "$src" "baseline..$tip")" = "$pfp" ]; then
		what="$(rel "$src") (read only)"
	else
		src=$PSRC
		psrc_tree
		tip=$(git -C "$src" rev-parse HEAD)
		what=$(rel "$src")
	fi
	log "patch set from $what"

	rm -rf "$OUT"
	mkdir -p "$OUT"
	git -C "$src" format-patch -q --cover-letter --thread -n --abbrev=12 -o "$OUT" "baseline..$tip"

	# The cover letter: subject and blurb from the template.
	cover_blurb "$tmp/subject" "$tmp/blurb"
	awk -v subject="$(cat "$tmp/subject")" -v blurb="$tmp/blurb" '
		!s && (i = index($0, "*** SUBJECT HERE ***")) {
			$0 = substr($0, 1, i - 1) subject substr($0, i + 20)
			s = 1
			# fold the header at 78 columns, as format-patch does
			while (length($0) > 78 && (j = last_space(substr($0, 1, 78))) > 1) {
				print substr($0, 1, j - 1)
				$0 = " " substr($0, j + 1)
			}
		}
		!b && $0 == "*** BLURB HERE ***" {
			while ((getline l < blurb) > 0)
				print l
			b = 1
			next
		}
		{ print }
		END { if (!s || !b) exit 1 }
		function last_space(t,  k) {
			for (k = length(t); k > 0; k--)
				if (substr(t, k, 1) == " ")
					return k
			return 0
		}' "$OUT/0000-cover-letter.patch" > "$tmp/cover" ||
		die "format-patch's cover letter has no SUBJECT HERE or BLURB HERE placeholder"
	! grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE \*\*\*' "$tmp/cover" ||
		die "a placeholder is left in the cover letter"
	cp "$tmp/cover" "$OUT/0000-cover-letter.patch"

	pats=()
	for p in "$OUT"/*.patch; do
		[ "${p##*/}" = 0000-cover-letter.patch ] || pats+=("${p##*/}")
	done

	# checkpatch, from inside the tree (it misreports from outside).
	: > "$OUT/checkpatch.txt"
	echo "checkpatch.pl --strict ($(rel "$OUT")/checkpatch.txt):"
	for p in "${pats[@]}"; do
		# UNKNOWN_COMMIT_ID: the Debian tree has no history before
		# baseline to find a Fixes: commit in (checked by hand against
		# mainline: e894efef9ac7 "ASoC: core: add support to card
		# rebind"). FILE_PATH_CHANGES: the new files are under sound/soc/
		# and tools/testing/selftests/, which MAINTAINERS already covers
		# (get_maintainer.pl below names their maintainers).
		r=$(cd "$src" && ./scripts/checkpatch.pl --strict \
			--ignore UNKNOWN_COMMIT_ID,FILE_PATH_CHANGES "$OUT/$p" 2>&1) || true
		printf '=== %s\n%s\n\n' "$p" "$r" >> "$OUT/checkpatch.txt"
		total=$(printf '%s\n' "$r" | sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \(\([0-9]*\) checks, \)\{0,1\}.*/\1 \2 \4/p' | tail -n1)
		read -r e w c <<< "$total"
		if [ -z "${e:-}" ]; then
			printf '  %-64s no result\n' "$p"
			bad=1
			continue
		fi
		printf '  %-64s %s errors, %s warnings, %s checks\n' "$p" "$e" "$w" "${c:-0}"
		if [ "$e" != 0 ] || [ "$w" != 0 ] || [ "${c:-0}" != 0 ]; then
			printf '%s\n' "$r" | grep -E '^(ERROR|WARNING|CHECK):' | sed -n 1,5p | sed 's/^/      /'
			bad=1
		fi
	done

	# get_maintainer, from inside the tree too; nothing is sent anywhere.
	: > "$OUT/get_maintainer.txt"
	for p in "${pats[@]}"; do
		r=$(cd "$src" && ./scripts/get_maintainer.pl --no-git --no-git-fallback "$OUT/$p" 2>"$tmp/gm.err") ||
			echo "get_maintainer.pl exited with an error" >> "$tmp/gm.err"
		{
			printf '=== %s\n%s\n' "$p" "$r"
			sed 's/^/(stderr) /' "$tmp/gm.err"
			echo
		} >> "$OUT/get_maintainer.txt"
		[ ! -s "$tmp/gm.err" ] || echo "$p" >> "$tmp/gm.errs"
		printf '%s\n' "$r" | sed -n 's/ (.*//p' | sort -u
	done | sort | uniq -c | sort -k1,1nr -k2 > "$tmp/maint"
	echo "get_maintainer.pl --no-git --no-git-fallback ($(rel "$OUT")/get_maintainer.txt):"
	awk -v n="${#pats[@]}" '{ c = $1; $1 = ""; printf "  %2d/%d patches %s\n", c, n, $0 }' "$tmp/maint"
	if [ -s "$tmp/gm.errs" ]; then
		echo "  (errors for $(wc -l < "$tmp/gm.errs") patches, as (stderr) lines in the file; it looks up"
		echo "   the commits of Fixes: tags, which $(rel "$src") lacks: Cc their authors by hand)"
	fi

	[ -z "$missing_results" ] ||
		echo "note: the cover letter's Results ask for$missing_results: no measurements were found"

	echo "patch set: $(rel "$OUT") (${#pats[@]} patches and 0000-cover-letter.patch, from $what)"
	if [ "$bad" != 0 ]; then
		echo "FAIL: checkpatch --strict is not clean" >&2
		exit 1
	fi
}

case ${1:-} in
edit) edit_cmd ;;
refresh) refresh_cmd ;;
patchset) patchset_cmd ;;
*)
	echo "usage: $0 edit|refresh|patchset" >&2
	exit 2
	;;
esac
