#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh: every test: lint, then each scenario booted on the patched test
# kernel.  Ends with "N passed, N failed, N skipped"; non-zero on failure.
. "$(dirname "$0")/lib/common.sh"

res=$BUILD/check.results
: > "$res"

run()
{
	"$@" | tee -a "$res" | grep -v '^PASS ' || true
}

start=$(date +%s)
run "$TOP/test/lint.sh"
# Two VMs at a time, the longest first: a guest mostly keeps one of its
# two vCPUs busy, so the Kirkwood loop runs beside all the others.
out=$BUILD/check
rm -rf "$out"
mkdir -p "$out"
for d in "$TOP"/test/scenarios/*/; do
	echo "$(cat "$d/timeout" 2>/dev/null || echo 120) $d"
done | sort -rn | cut -d' ' -f2- |
	xargs -P "${CHECK_VMS:-2}" -I{} sh -c \
		'n=$(basename "{}"); echo ">>> scenario $n" >&2
		 "$0" "$1" "{}" > "$2/$n.out" 2>&1' \
		"$TOP/test/run-vm.sh" "${VARIANT:-patched}" "$out" || true
for f in "$out"/*.out; do
	run cat "$f"
done
log "harness self-test"
run "$TOP/test/selftest.sh"
log "series, patch by patch"
run "$TOP/test/series-build.sh"
log "ARM cross build"
run "$TOP/test/arm-build.sh"

p=$(grep -c '^PASS ' "$res" || true)
f=$(grep -c '^FAIL ' "$res" || true)
s=$(grep -c '^SKIP ' "$res" || true)
if [ "$f" != 0 ]; then
	echo
	echo "Failed:"
	grep '^FAIL ' "$res" | sed 's/^FAIL /  /'
fi
echo "# check took $(($(date +%s) - start))s"
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
