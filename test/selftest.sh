#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest.sh: the harness must be able to fail. Boot the deliberately
# broken scenarios of test/selftest/ and check each fails for its reason.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/check-lib.sh"

# The host side: a stage that dies, a stage short of results and a failed
# result must each fail the run; check's summary must then exit non-zero.
host_selftest()
{
	local out rc=0

	BUILD=$(mktemp -d)
	res=$BUILD/results
	: > "$res"
	stage dies sh -c 'echo "PASS dies/first"; exit 3' >/dev/null
	expect_results short 2 >/dev/null
	printf 'PASS long/%s\n' a b c >> "$res"
	expect_results long 2 exact >/dev/null
	out=$(summary) || rc=$?
	rm -rf "$BUILD"
	if grep -qx '  stage/dies: exited with status 3' <<< "$out" &&
	   grep -qx '  count/short: 0 results, at least 2 expected' <<< "$out" &&
	   grep -qx '  count/long: 3 results, exactly 2 expected' <<< "$out" &&
	   echo "$out" | tail -n1 | grep -qx '4 passed, 3 failed, 0 skipped' &&
	   [ "$rc" != 0 ]; then
		echo "PASS harness/detects-dead-stage"
	else
		echo "FAIL harness/detects-dead-stage: summary exited $rc with:"
		echo "$out" | sed 's/^/    /'
	fi
}
(host_selftest)

# expect DIR PATTERN [DETAIL]: the boot of broken scenario DIR fails with a
# result matching PATTERN (and its output has a line matching DETAIL). The
# boots run at the end, CHECK_VMS (2) at a time, their results in order.
boots=()
expect()
{
	boots+=("${VARIANT:-patched}"$'\t'"$1"$'\t'"$2"$'\t'"${3:-}")
}

# run_expect VARIANT DIR PATTERN DETAIL: one boot of expect.
run_expect()
{
	local variant=$1 dir=$2 pattern=$3 detail=$4 out

	out=$("$TOP/test/run-vm.sh" "$variant" "$TOP/test/selftest/$dir" 2>/dev/null || true)
	if grep -Eq "^FAIL .*$pattern" <<< "$out" &&
	   { [ -z "$detail" ] || grep -Eq "$detail" <<< "$out"; }; then
		echo "PASS harness/detects-$dir"
	else
		echo "FAIL harness/detects-$dir: expected a FAIL matching '$pattern'${detail:+ and a line matching '$detail'}"
		echo "$out" | sed 's/^/    /'
	fi
}

expect never-card 'card-appears: card no-such-card not listed'
expect lockdep 'kernel-log-clean: .*possible circular locking'
expect timeout 'boot: timed out'
# the guest's watchdog names the process a stuck scenario waits in
expect stuck 'boot: bail out: scenario stuck still running' '^    [0-9]+ S .* sleep 1000'
expect no-plan 'boot: no KTAP plan'
expect plan-mismatch 'boot: 2 of 3 planned tests reported'
expect panic 'kernel-log-clean: .*(sysrq|Kernel panic|Oops)'
expect warning 'kernel-log-clean: WARNING:'
# the same WARN with the console level at 1: found in the guest's dmesg only
expect quiet-warning 'kernel-log-clean: WARNING:' "only in the guest's dmesg"
# 8 objects leak: a stale stack copy of one address can hide one, not all
expect kmemleak 'kernel-log-clean: .*(kmemleak|unreferenced object)'
expect bug-sleep 'kernel-log-clean: BUG: scheduling while atomic'
expect nonstatic-key 'kernel-log-clean: .*trying to register non-static key'
expect dup-sysfs 'kernel-log-clean: .*cannot create duplicate filename'
expect hung-task 'kernel-log-clean: .*blocked for more than'
expect soft-lockup 'kernel-log-clean: .*BUG: soft lockup'
expect rcu-stall 'kernel-log-clean: .*rcu: INFO: .* detected stalls'
# the allowed WARN filtered, the other one reported
expect log-allow 'kernel-log-clean: WARNING: .*harness_other_warn'
expect skip-on-ours 'skipped: would be skipped on our kernel'
expect exit-nonzero 'boot: guest verdict'
expect cpu-offline 'boot: bail out: 1 of 2 CPUs online'
expect asoc-bind 'kernel-log-clean: ASoC: card harness-card failed to bind'
# a scenario whose result count is not the one test/expected-results keeps
expect shrunk 'result-count: 3 results, 4 expected'
expect w1-warning 'build: W=1 warnings in its modules'
# KASAN is on the stress kernel only (make check builds it)
VARIANT=stress expect kasan 'kernel-log-clean: BUG: KASAN: slab-out-of-bounds'

tmp=$(mktemp -d)
i=0
for b in "${boots[@]}"; do
	IFS=$'\t' read -r variant dir pattern detail <<< "$b"
	i=$((i + 1))
	run_expect "$variant" "$dir" "$pattern" "$detail" > "$tmp/$(printf %03d $i)" &
	while [ "$(jobs -rp | wc -l)" -ge "${CHECK_VMS:-2}" ]; do
		wait -n
	done
done
wait
cat "$tmp"/* 2>/dev/null
rm -rf "$tmp"
