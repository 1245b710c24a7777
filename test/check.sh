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
for d in "$TOP"/test/scenarios/*/; do
	log "scenario $(basename "$d")"
	run "$TOP/test/run-vm.sh" "${VARIANT:-patched}" "$d"
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
