#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lint.sh: checkpatch.pl --strict over every patch of the series and every
# C/header file under kernel/ and test/; kernel-doc over kernel/ C files.
# Prints PASS/FAIL lines like run-vm.sh.
. "$(dirname "$0")/lib/common.sh"

src=$(variant_src patched)
cp=("$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types
    --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,GERRIT_CHANGE_ID)
fail=0

while read -r p; do
	case $p in ''|'#'*) continue ;; esac
	if out=$("${cp[@]}" "$TOP/patches/$p" 2>&1); then
		echo "PASS lint/checkpatch:$p"
	else
		echo "FAIL lint/checkpatch:$p"
		echo "$out" | grep -v '^total:' | head -20 | sed 's/^/    /'
		fail=1
	fi
done < "$TOP/patches/series"

cd "$TOP"
for f in $(find kernel test -name '*.[ch]' | sort); do
	ign=
	# SPDX in a .h is /* */ by rule; .c files under test/ are modules too.
	if out=$("${cp[@]}" $ign -f "$f" 2>&1); then
		echo "PASS lint/checkpatch:$f"
	else
		echo "FAIL lint/checkpatch:$f"
		echo "$out" | grep -v '^total:' | head -20 | sed 's/^/    /'
		fail=1
	fi
done

for f in $(find kernel -name '*.c' | sort); do
	if out=$("$src/scripts/kernel-doc" -v -none "$f" 2>&1 | grep -i 'warn\|error'); then
		echo "FAIL lint/kernel-doc:$f"
		echo "$out" | head -20 | sed 's/^/    /'
		fail=1
	else
		echo "PASS lint/kernel-doc:$f"
	fi
done
exit $fail
