#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stress.sh (make stress): every scenario and the faults scenario on the
# stress kernel (KASAN, kmemleak, lockdep, failslab), scaled up:
#   STRESS_ROUNDS      KUnit concurrency rounds        (default 10000)
#   STRESS_ITERATIONS  faults scenario iterations       (default 1000)
#   STRESS_REPEAT      seed-order iterations per order  (default 8)
# Prints the figures and "N passed, N failed, N skipped"; non-zero on
# failure.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/check-lib.sh"

res=$BUILD/stress.results
: > "$res"
export VM_APPEND="kunit_rounds=${STRESS_ROUNDS:-10000} stress_iterations=${STRESS_ITERATIONS:-1000} seed_repeat=${STRESS_REPEAT:-8} kirkwood_repeat=9"
export VM_TIMEOUT=${STRESS_TIMEOUT:-14400}
out=$BUILD/stress-run
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
# The two longest first (the KUnit concurrency case, then the faults
# scenario), each beside the other scenarios, longest timeout first.
{
	echo "$TOP/test/scenarios/kunit/"
	for d in "$TOP"/test/stress/*/ "$TOP"/test/scenarios/*/; do
		echo "$(cat "$d/timeout" 2>/dev/null || echo 120) $d"
	done | grep -v '/scenarios/kunit/$' | sort -k1,1rn | cut -d' ' -f2-
} | xargs -P "${CHECK_VMS:-2}" -I{} sh -c \
	'n=$(basename "{}"); echo ">>> stress scenario $n" >&2
	 "$0" stress "{}" > "$1/$n.out" 2>&1 || true' \
	"$TOP/test/run-vm.sh" "$out" || true
for f in "$out"/*.out; do
	tee -a "$res" < "$f" | grep -v '^PASS ' || true
	n=$(basename "$f" .out)
	grep -q "^\(PASS\|FAIL\) $n/kernel-log-clean" "$f" ||
		echo "FAIL $n/boot: no kernel-log-clean result" | tee -a "$res"
done

logs=$BUILD/stress/logs
rounds=$(figures stress "$logs/kunit.ktap")
faults=$(figures stress "$logs/faults.ktap")
iters=$(figures figures "$logs"/*.ktap | tr '\n' ' ')
echo "# stress figures: KUnit ${rounds:-none}; faults: ${faults:-none}; load loops: ${iters:-none}"
echo "# stress took $(($(date +%s) - start))s"
summary
