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
	out=$(summary) || rc=$?
	rm -rf "$BUILD"
	if echo "$out" | grep -qx '  stage/dies: exited with status 3' &&
	   echo "$out" | grep -qx '  count/short: 0 results, at least 2 expected' &&
	   echo "$out" | tail -n1 | grep -qx '1 passed, 2 failed, 0 skipped' &&
	   [ "$rc" != 0 ]; then
		echo "PASS harness/detects-dead-stage"
	else
		echo "FAIL harness/detects-dead-stage: summary exited $rc with:"
		echo "$out" | sed 's/^/    /'
	fi
}
(host_selftest)

expect()
{
	local dir=$1 pattern=$2 out

	out=$("$TOP/test/run-vm.sh" "${VARIANT:-patched}" "$TOP/test/selftest/$dir" 2>/dev/null || true)
	if echo "$out" | grep -Eq "^FAIL .*$pattern"; then
		echo "PASS harness/detects-$dir"
	else
		echo "FAIL harness/detects-$dir: expected a FAIL matching '$pattern'"
		echo "$out" | sed 's/^/    /'
	fi
}

expect never-card 'card-appears: card no-such-card not listed'
expect lockdep 'kernel-log-clean: .*possible circular locking'
expect timeout 'boot: timed out'
expect no-plan 'boot: no KTAP plan'
expect plan-mismatch 'boot: 2 of 3 planned tests reported'
expect panic 'kernel-log-clean: .*(sysrq|Kernel panic|Oops)'
expect warning 'kernel-log-clean: WARNING:'
expect kmemleak 'kernel-log-clean: .*(kmemleak|unreferenced object)'
