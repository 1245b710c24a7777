#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fix-check.sh: the series' first patch alone, as a stable tree would take
# it: the stock tree of the base (KERNEL) plus "ASoC: soc-core: walk
# unbind_card_list under client_mutex" (variant fix-stock), built and
# booted with the rebind-race scenario, which stock fails. Prints
# run-vm.sh's results as "PASS fix/rebind-race/..." lines.
. "$(dirname "$0")/lib/common.sh"

"$TOP/test/prepare-src.sh" fix-stock
"$TOP/test/build-kernel.sh" fix-stock
"$TOP/test/mkinitramfs.sh" fix-stock
rc=0
"$TOP/test/run-vm.sh" fix-stock "$TOP/test/scenarios/rebind-race" > "$BUILD/fix-stock/run.out" 2>&1 || rc=$?
sed -n 's#^\(PASS\|FAIL\|SKIP\) #\1 fix/#p' "$BUILD/fix-stock/run.out"
exit $rc
