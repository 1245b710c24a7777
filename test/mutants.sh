#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mutants.sh [NAME...]: break the mechanism on purpose and show that the
# tests notice (KILL_BY="scenario ...": run those instead of each mutant's
# own list; device tree scenarios boot the ARM kernel of the mutant's
# tree). Each test/mutants/NN-NAME.patch is a small patch on top of the 6.1
# series (a lookup and its record in two critical sections, a
# legacy card never re-probed, a bind that does not wait for its supplier,
# ...); its header names the scenarios that should kill it ("kill: a b").
# For every mutant, in its own build tree (build/mutants, a worktree of the
# patched source at the series' head, sharing ccache with the test kernel),
# the patch is applied, the kernel and initramfs are rebuilt, and the
# scenarios run one after the other until one fails: the mutant is killed,
# and the failed tests are its killers. A mutant every scenario passes
# survived: a test is missing. Prints a table (also in
# build/mutants/table.txt, where a run of some mutants replaces their rows
# only) and "N killed, N survived"; exits non-zero when a mutant of this
# run survived or did not build.
. "$(dirname "$0")/lib/common.sh"

[ "$KERNEL" = 6.1 ] || die "the mutants are written against the 6.1 series"

main=$(variant_src patched)
[ -d "$main/.git" ] || die "run make source first"
head=$(git -C "$main" rev-parse HEAD)

# Everything below builds and boots in build/mutants: the scripts find the
# variant "patched" there.
export BUILD_TOP=$BUILD_TOP/mutants
M=$BUILD_TOP
src=$M/patched/src
mkdir -p "$M/patched"
if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	rm -rf "$src"
	git -C "$main" worktree prune
	git -C "$main" worktree add -q --detach "$src" "$head"
fi

# reset_tree: the series' head, nothing else
reset_tree()
{
	git -C "$src" checkout -q --detach -f "$head"
	git -C "$src" clean -q -fdx
}

# the scenarios' short scale, as make check's 6.12 tier
export VM_APPEND="seed_repeat=1 ${VM_APPEND:-}"

table=$M/table.txt
want=" $* "
[ "$want" = "  " ] && : > "$table"
touch "$table"
killed=0 survived=0 broken=0

# row NAME TEXT...: the table's row of mutant NAME, replacing an older one
row()
{
	local n=$1

	shift
	awk -F '\t' -v n="$n" '$1 != n' "$table" > "$table.new"
	printf '%s\t%s\n' "$n" "$*" >> "$table.new"
	mv "$table.new" "$table"
	echo "$n	$*"
}

for p in "$TOP"/test/mutants/[0-9]*.patch; do
	name=$(sed -n 's/^mutant: //p' "$p" | head -n1)
	kill=$(sed -n 's/^kill: //p' "$p" | head -n1)
	[ "$want" = "  " ] || [[ $want == *" $name "* ]] || continue
	log "mutant $name (killed by: $kill?)"
	reset_tree
	if ! git -C "$src" apply "$p"; then
		row "$name" "does not apply"
		broken=$((broken + 1))
		continue
	fi
	if ! "$TOP/test/build-kernel.sh" patched >"$M/$name.build" 2>&1 ||
	   ! "$TOP/test/mkinitramfs.sh" patched >>"$M/$name.build" 2>&1; then
		tail -5 "$M/$name.build" | sed 's/^/    /'
		row "$name" "does not build"
		broken=$((broken + 1))
		continue
	fi
	# KILL_BY="scenario ...": those scenarios instead of the header's,
	# to show that a given test kills the mutant too
	[ -n "${KILL_BY:-}" ] && kill=$KILL_BY
	by=
	arm_built=
	for s in $kill; do
		# an x86 scenario on the patched kernel, a device tree one on
		# the ARM kernel of the same tree, built when first needed
		v=patched
		dir=$TOP/test/scenarios/$s
		if [ ! -d "$dir" ] && [ -d "$TOP/test/arm/scenarios/$s" ]; then
			v=arm
			dir=$TOP/test/arm/scenarios/$s
			if [ -z "$arm_built" ]; then
				if ! "$TOP/test/build-kernel.sh" arm >>"$M/$name.build" 2>&1 ||
				   ! "$TOP/test/mkinitramfs.sh" arm >>"$M/$name.build" 2>&1; then
					tail -5 "$M/$name.build" | sed 's/^/    /'
					arm_built=failed
					break
				fi
				arm_built=1
			fi
		fi
		[ -d "$dir" ] || die "mutant $name: no scenario $s"
		out=$("$TOP/test/run-vm.sh" "$v" "$dir" 2>&1) || true
		echo "$out" > "$M/$name.$s.out"
		fails=$(echo "$out" | sed -n 's/^FAIL \([^:]*\).*/\1/p' | sed -n 1,4p | tr '\n' ' ')
		if [ -n "$fails" ]; then
			by=$fails
			break
		fi
	done
	if [ "$arm_built" = failed ]; then
		row "$name" "does not build for ARM"
		broken=$((broken + 1))
	elif [ -n "$by" ]; then
		row "$name" "killed	$by"
		killed=$((killed + 1))
	else
		row "$name" "SURVIVED	($kill all passed)"
		survived=$((survived + 1))
	fi
done
reset_tree

# the table in the order of the patches
echo
for p in "$TOP"/test/mutants/[0-9]*.patch; do
	awk -F '\t' -v n="$(sed -n 's/^mutant: //p' "$p" | head -n1)" '$1 == n' "$table"
done | column -t -s '	'
echo "$killed killed, $survived survived, $broken broken"
[ "$survived" = 0 ] && [ "$broken" = 0 ]
