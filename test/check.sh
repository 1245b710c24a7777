#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh: every test: lint, each scenario booted on the patched test
# kernel, the harness self-test, the series patch by patch and the ARM
# build.  Ends with "N passed, N failed, N skipped"; non-zero on failure.
#
# Nothing may vanish: every stage ends with its own PASS or FAIL line
# (stage/NAME, failing with the exit status of a stage that died), every
# scenario directory must report its kernel-log-clean result, and the
# number of results must reach the count the stages are known to produce.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/check-lib.sh"

res=$BUILD/check.results
: > "$res"
variant=${VARIANT:-patched}

start=$(date +%s)
stage lint "$TOP/test/lint.sh"
# checkpatch per patch and per test/ C file; kernel-doc per C file the
# series creates
expect_results lint "$(($(grep -cv '^[[:space:]]*\(#\|$\)' "$TOP/patches/series") +
	$(cd "$TOP" && find test -name '*.[ch]' | wc -l) +
	$(cat "$TOP"/patches/*.patch | grep -A1 '^diff --git a/.*\.c b/' | grep -c '^new file mode')))"

# The scenarios: the x86 ones on $variant, the device tree ones on the ARM
# kernel built from the same series ($arm_variant).
arm_variant=arm
[ "$variant" = stock ] && arm_variant=arm-stock
scenarios()
{
	local a d

	scenario_dirs | while read -r a d; do
		if [ "$a" = arm ]; then echo "$arm_variant $d"; else echo "$variant $d"; fi
	done
}

# Two VMs at a time, the longest first: a guest mostly keeps one of its
# two vCPUs busy, so the Kirkwood loop runs beside all the others.
out=$BUILD/check
rm -rf "$out"
mkdir -p "$out"
scenarios | while read -r v d; do
	echo "$(cat "$d/timeout" 2>/dev/null || echo 120) $v $d"
done | sort -rn | cut -d' ' -f2- |
	xargs -P "${CHECK_VMS:-2}" -L1 sh -c \
		'n=$(basename "$3"); echo ">>> scenario $n ($2)" >&2
		 rc=0; "$0" "$2" "$3" > "$1/$n.out" 2>&1 || rc=$?
		 echo "$rc" > "$1/$n.rc"' \
		"$TOP/test/run-vm.sh" "$out" || true
scenarios | while read -r v d; do
	n=$(basename "$d")
	tee -a "$res" < "$out/$n.out" 2>/dev/null | grep -v '^PASS ' || true
	# run-vm.sh always ends a boot with kernel-log-clean: without it the
	# runner died before reading the guest
	if ! grep -q "^\(PASS\|FAIL\) $n/kernel-log-clean" "$out/$n.out" 2>/dev/null; then
		echo "FAIL $n/boot: no kernel-log-clean result (runner exited $(cat "$out/$n.rc" 2>/dev/null || echo '?'))" |
			tee -a "$res"
	fi
done

# Reliability: parallel load iterations on two CPUs across the scenarios
# that count them, with no card left unbound or bound twice.
it=0 stuck=0 double=0
while read -r v d; do
	f=$BUILD/$v/logs/$(basename "$d").ktap
	[ -r "$f" ] || continue
	while read -r a b c; do
		it=$((it + ${a#iterations=}))
		stuck=$((stuck + ${b#stuck=}))
		double=$((double + ${c#double=}))
	done < <(sed -n 's/^# figures: //p' "$f")
done < <(scenarios)
echo "# reliability: $it parallel load iterations on 2 CPUs, $stuck stuck cards, $double double binds"
if [ "$it" -ge "${CHECK_MIN_ITERATIONS:-300}" ] && [ "$stuck" = 0 ] && [ "$double" = 0 ]; then
	echo "PASS reliability/iterations" >> "$res"
else
	echo "FAIL reliability/iterations: $it iterations (at least ${CHECK_MIN_ITERATIONS:-300}), $stuck stuck, $double double" |
		tee -a "$res"
fi

log "harness self-test"
stage selftest "$TOP/test/selftest.sh"
expect_results harness "$(find "$TOP/test/selftest" -mindepth 1 -maxdepth 1 -type d | wc -l)"
log "series, patch by patch"
stage series "$TOP/test/series-build.sh"
expect_results series "$(grep -cv '^[[:space:]]*\(#\|$\)' "$TOP/patches/series")"
log "ARM cross build"
stage arm "$TOP/test/arm-build.sh"
expect_results arm 2
log "the first patch alone on stock: rebind-race"
stage fix "$TOP/test/fix-check.sh"
expect_results fix 2

echo "# check took $(($(date +%s) - start))s"
summary
