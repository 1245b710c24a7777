#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest.sh: the harness must be able to fail. Boot the deliberately
# broken scenarios of test/selftest/ and check each fails for its reason.
. "$(dirname "$0")/lib/common.sh"

expect()
{
	local dir=$1 pattern=$2 out

	out=$("$TOP/test/run-vm.sh" "${VARIANT:-patched}" "$TOP/test/selftest/$dir" 2>/dev/null || true)
	if echo "$out" | grep -q "^FAIL .*$pattern"; then
		echo "PASS harness/detects-$dir"
	else
		echo "FAIL harness/detects-$dir: expected a FAIL matching '$pattern'"
		echo "$out" | sed 's/^/    /'
	fi
}

expect never-card 'card-appears: card no-such-card not listed'
expect lockdep 'kernel-log-clean: .*possible circular locking'
