#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# compare.sh: every scenario on stock 6.1 and on the patched kernel, as a
# table of passed/failed tests per scenario: the x86 scenarios on stock and
# patched, the device tree ones (dt-*) on arm-stock and arm.  The table is
# printed and kept in $BUILD/compare/table.txt.
. "$(dirname "$0")/lib/common.sh"

out=$BUILD/compare
mkdir -p "$out"
rows=()
# STOCK OURS DIR: the x86 scenarios, then the device tree ones on ARM
scenarios()
{
	local a d

	scenario_dirs | while read -r a d; do
		if [ "$a" = arm ]; then echo "arm-stock arm $d"; else echo "stock patched $d"; fi
	done
}

while read -r sv ov d; do
	name=$(basename "$d")
	line=$(printf '%-16s' "$name")
	for v in "$sv" "$ov"; do
		log "$name on $v"
		"$TOP/test/run-vm.sh" "$v" "$d" > "$out/$name.$v" 2>/dev/null || true
		p=$(grep -c '^PASS ' "$out/$name.$v" || true)
		f=$(grep -c '^FAIL ' "$out/$name.$v" || true)
		s=$(grep -c '^SKIP ' "$out/$name.$v" || true)
		# a boot that reported nothing is no pass: run-vm.sh always ends
		# with kernel-log-clean
		if ! grep -q "^\(PASS\|FAIL\) $name/kernel-log-clean" "$out/$name.$v"; then
			verdict=NONE
		elif [ "$f" = 0 ]; then
			verdict=pass
		else
			verdict=FAIL
		fi
		line="$line $(printf '%-6s %4s/%-4s %3s skip' "$verdict" "$p" "$((p + f))" "$s")"
	done
	req=$(cat "$d/requires" 2>/dev/null || true)
	rows+=("$line${req:+  (needs: $req)}")
done < <(scenarios)

# The table also goes to $out/table.txt, for make patchset's cover letter.
echo
{
	printf '%-16s %-22s %-22s\n' scenario "stock 6.1" "patched"
	printf '%-16s %-22s %-22s\n' "" "verdict passed/total" "verdict passed/total"
	printf '%s\n' "${rows[@]}"
	echo
	echo "NONE: the boot produced no result. Skips are tests whose feature the"
	echo "kernel lacks (stock only: on our kernel a skip fails)."
} | tee "$out/table.txt"
echo "Failures per kernel: $out/<scenario>.<variant>"
