#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lint.sh: checkpatch.pl --strict over every patch of the base's series
# (KERNEL, see lib/common.sh) and, on 6.1, every C/header file under test/;
# kernel-doc over the C files the series adds.
# Prints PASS/FAIL lines like run-vm.sh.
. "$(dirname "$0")/lib/common.sh"

src=$(variant_src patched)
# UNKNOWN_COMMIT_ID: the Debian tree has no history to find a Fixes: commit
# in; patch 1's was checked against mainline.
cp=("$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types
    --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,GERRIT_CHANGE_ID,UNKNOWN_COMMIT_ID)
fail=0

while read -r p; do
	case $p in ''|'#'*) continue ;; esac
	if out=$("${cp[@]}" "$PDIR/$p" 2>&1); then
		echo "PASS lint/checkpatch:$p"
	else
		echo "FAIL lint/checkpatch:$p"
		echo "$out" | grep -v '^total:' | sed -n 1,20p | sed 's/^/    /'
		fail=1
	fi
done < "$PDIR/series"

cd "$TOP"
tests=
[ "$KERNEL" = 6.1 ] && tests=$(find test -name '*.[ch]' | sort)
for f in $tests; do
	ign=
	# SPDX in a .h is /* */ by rule; .c files under test/ are modules too.
	if out=$("${cp[@]}" $ign -f "$f" 2>&1); then
		echo "PASS lint/checkpatch:$f"
	else
		echo "FAIL lint/checkpatch:$f"
		echo "$out" | grep -v '^total:' | sed -n 1,20p | sed 's/^/    /'
		fail=1
	fi
done

# the C files the series creates
new_c=$(git -C "$src" diff --name-only --diff-filter=A baseline HEAD -- '*.c' | sort)
[ -n "$new_c" ] || { echo "FAIL lint/kernel-doc: the series adds no C file?"; fail=1; }
for f in $new_c; do
	if out=$(cd "$src" && scripts/kernel-doc -v -none "$f" 2>&1 | grep -i 'warn\|error'); then
		echo "FAIL lint/kernel-doc:$f"
		echo "$out" | sed -n 1,20p | sed 's/^/    /'
		fail=1
	else
		echo "PASS lint/kernel-doc:$f"
	fi
done
exit $fail
