#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# compare.sh: every scenario on stock and on the patched kernel of the base
# (KERNEL, see lib/common.sh), as a table of passed/failed tests per
# scenario: the x86 scenarios on stock and patched, the device tree ones
# (dt-*) on arm-stock and arm. The table is printed and kept in
# $BUILD/compare/table.txt. Scenarios that count their parallel load
# iterations (kirkwood, seed-order, the device tree cards) get a note per
# kernel: how many loads left the card never bound and how many bound it
# more than once, so that a stock failure says which. TABLE_ONLY=1 prints
# the table of the last run again without booting anything.
. "$(dirname "$0")/lib/common.sh"

out=$BUILD/compare
mkdir -p "$out"
rows=()
none=0
# STOCK OURS DIR: the x86 scenarios, then the device tree ones on ARM
scenarios()
{
	local a d

	scenario_dirs | while read -r a d; do
		# ONLY=REGEX (make compare ONLY=...): the scenarios it matches
		[ -z "${ONLY:-}" ] || echo "${d%/}" | grep -Eq "/(${ONLY})\$" || continue
		if [ "$a" = arm ]; then echo "arm-stock arm $d"; else echo "stock patched $d"; fi
	done
}

# Two VMs at a time (CHECK_VMS), the longest scenarios first, as in check.
scenarios | while read -r sv ov d; do
	t=$(cat "$d/timeout" 2>/dev/null || echo 120)
	echo "$t $sv $d"
	echo "$t $ov $d"
done | sort -rn -s -k1,1 | cut -d' ' -f2- |
	if [ -z "${TABLE_ONLY:-}" ]; then
		xargs -P "${CHECK_VMS:-2}" -L1 sh -c \
			'# $0 run-vm.sh, $1 the table directory, $2 BUILD; then
			 # the line: $3 the variant, $4 the scenario directory
			 n=$(basename "$4"); echo ">>> $n on $3" >&2
			 rm -f "$1/$n.$3.ktap"
			 "$0" "$3" "$4" > "$1/$n.$3" 2>/dev/null || true
			 cp "$2/$3/logs/$n.ktap" "$1/$n.$3.ktap" 2>/dev/null || true' \
			"$TOP/test/run-vm.sh" "$out" "$BUILD" || true
	else
		cat >/dev/null
	fi || true

while read -r sv ov d; do
	name=$(basename "$d")
	line=$(printf '%-16s' "$name")
	for v in "$sv" "$ov"; do
		p=$(grep -c '^PASS ' "$out/$name.$v" 2>/dev/null || true)
		f=$(grep -c '^FAIL ' "$out/$name.$v" 2>/dev/null || true)
		s=$(grep -c '^SKIP ' "$out/$name.$v" 2>/dev/null || true)
		# a boot that reported nothing is no pass: run-vm.sh always ends
		# with kernel-log-clean
		if ! grep -q "^\(PASS\|FAIL\) $name/kernel-log-clean" "$out/$name.$v" 2>/dev/null; then
			verdict=NONE
			none=$((none + 1))
		elif [ "$f" = 0 ]; then
			verdict=pass
		else
			verdict=FAIL
		fi
		line="$line $(printf '%-6s %4s/%-4s %3s skip' "$verdict" "$p" "$((p + f))" "$s")"
	done
	req=$(cat "$d/requires" 2>/dev/null || true)
	rows+=("$line${req:+  (needs: $req)}")
	# never bound / bound more than once, from the scenario's own figures
	note=
	for v in "$sv" "$ov"; do
		fig=$(figures figures "$out/$name.$v.ktap" | tail -n 1)
		[ -n "$fig" ] || continue
		# no parallel load ran (stock without our machine driver)
		case $fig in *'iterations=0 '*) continue ;; esac
		it=$(echo "$fig" | sed -n 's/.*iterations=\([0-9]*\).*/\1/p')
		st=$(echo "$fig" | sed -n 's/.*stuck=\([0-9]*\).*/\1/p')
		db=$(echo "$fig" | sed -n 's/.*double=\([0-9]*\).*/\1/p')
		note="$note${note:+; }$v: ${st:-?} never bound, ${db:-?} bound twice of ${it:-?} loads"
	done
	[ -z "$note" ] || rows+=("$(printf '%-16s' '')   ($note)")
done < <(scenarios)

# The table also goes to $out/table.txt, for make patchset's cover letter.
echo
{
	printf '%-16s %-22s %-22s\n' scenario "stock $KERNEL" "patched $KERNEL"
	printf '%-16s %-22s %-22s\n' "" "verdict passed/total" "verdict passed/total"
	printf '%s\n' "${rows[@]}"
	echo
	[ -z "${ONLY:-}" ] || echo "Only the scenarios matching ONLY=$ONLY ran."
	echo "NONE: the boot produced no result. Skips are tests whose feature the"
	echo "kernel lacks (stock only: on our kernel a skip fails)."
} | tee "$out/table.txt"
echo "Failures per kernel: $out/<scenario>.<variant>"
# A boot with no result is the harness's failure, not the kernel's: a
# compare whose every cell said NONE once passed for a run.
if [ "$none" != 0 ]; then
	echo "compare: $none boots produced no result" >&2
	exit 1
fi
