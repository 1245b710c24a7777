#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh: run test/bench on the stock and the patched kernel and print
# the measurements side by side; then test/bench-scale on the patched
# kernel: the cost of a component registration against the number of
# cards waiting.
. "$(dirname "$0")/lib/common.sh"

for v in stock patched; do
	"$TOP/test/run-vm.sh" "$v" "$TOP/test/bench" > "$BUILD/bench.$v" 2>&1 || true
done
echo
printf '%-8s %-10s %-6s %12s %6s %10s %11s\n' kernel card codec probe_calls binds info_lines latency_ms
for v in stock patched; do
	grep -h '^bench:' "$BUILD/$v/logs/bench.ktap" | sed 's/^bench: //; s/[a-z_]*=//g' |
		while read -r k c co p b l t; do
			printf '%-8s %-10s %-6s %12s %6s %10s %11s\n' "$k" "$c" "$co" "$p" "$b" "$l" "$t"
		done
done
echo
grep -h '^\(PASS\|FAIL\|SKIP\)' "$BUILD/bench.stock" "$BUILD/bench.patched" | sed 's/^/  /'

"$TOP/test/run-vm.sh" patched "$TOP/test/bench-scale" > "$BUILD/bench-scale.patched" 2>&1 || true
echo
echo "registration cost against cards waiting (patched, median of 50; completing"
echo "includes the bind; all: every card's codec in a random order)"
printf '%6s %14s %14s %15s %15s %9s %6s\n' cards unrelated_us unrelated_max completing_us completing_max all_ms bound
sed -n 's/^# scale: //p' "$BUILD/patched/logs/bench-scale.ktap" | sed 's/[a-z_]*=//g' |
	while read -r c _ un unmax co comax all b; do
		printf '%6s %14s %14s %15s %15s %9s %6s\n' "$c" "$((un / 1000))" "$((unmax / 1000))" \
			"$((co / 1000))" "$((comax / 1000))" "$all" "$b"
	done
grep -h '^\(PASS\|FAIL\|SKIP\)' "$BUILD/bench-scale.patched" | sed 's/^/  /'
