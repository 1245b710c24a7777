#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh: run test/bench on the stock and the patched kernel and print
# the measurements side by side.
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
