# SPDX-License-Identifier: GPL-2.0
# The verdict machinery of check.sh (sourced, bash), kept apart so that the
# harness self-test can prove it fails: results go to $res, one
# "PASS|FAIL|SKIP name[: why]" line each.

# stage NAME CMD...: run a stage, its result lines into the results; then
# one line for the stage itself, from its exit status.
stage()
{
	local name=$1 rc=0 o
	shift
	o=$BUILD/stage-${name//\//-}.out
	"$@" > "$o" 2>&1 || rc=$?
	tee -a "$res" < "$o" | grep -v '^PASS ' || true
	if [ "$rc" = 0 ]; then
		echo "PASS stage/$name" >> "$res"
	else
		echo "FAIL stage/$name: exited with status $rc" | tee -a "$res"
	fi
}

# expect_results NAME N [exact]: the results of NAME number at least N
# (exactly N with exact).
expect_results()
{
	local n
	n=$(grep -cE "^(PASS|FAIL|SKIP) $1/" "$res" || true)
	if [ "${3:-}" = exact ]; then
		if [ "$n" = "$2" ]; then
			echo "PASS count/$1" >> "$res"
		else
			echo "FAIL count/$1: $n results, exactly $2 expected" | tee -a "$res"
		fi
	elif [ "$n" -ge "$2" ]; then
		echo "PASS count/$1" >> "$res"
	else
		echo "FAIL count/$1: $n results, at least $2 expected" | tee -a "$res"
	fi
}

# summary: the failures, then "N passed, N failed, N skipped"; non-zero
# when anything failed.
summary()
{
	local p f s
	p=$(grep -c '^PASS ' "$res" || true)
	f=$(grep -c '^FAIL ' "$res" || true)
	s=$(grep -c '^SKIP ' "$res" || true)
	if [ "$f" != 0 ]; then
		echo
		echo "Failed:"
		grep '^FAIL ' "$res" | sed 's/^FAIL /  /'
	fi
	echo "$p passed, $f failed, $s skipped"
	[ "$f" = 0 ]
}
