#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh (make bench): the mechanism's own costs, stock against ours on
# the base (KERNEL, see lib/common.sh), on the same workloads and the same
# kprobe points (test/guest/bench.sh):
#   test/bench        latency from the completing registration to the card,
#                     the bind's own duration and the rest (overhead);
#                     legacy and deferrable cards, codec from a probe or from
#                     a work item, 20 runs each
#   test/bench-scale  the cost of one registration against the number of
#                     cards waiting (0, 10, 100, 1,000); stock's rebind list
#                     (every parked card retried at every registration, as
#                     mainline does) is the peer
#   test/bench-storm  a deferred probe storm as at boot: 20 waiting cards,
#                     200 unrelated devices binding, then the components
# Prints the tables and writes them, with the machine, to
# $BUILD/bench/results.md, and plots to $BUILD/bench/*.svg (gnuplot).
# Exit status: non-zero if a run on our kernel failed its checks. Stock's
# failures are what is measured (its late codec's card is never bound) and
# are listed, not counted.
. "$(dirname "$0")/lib/common.sh"

out=$BUILD/bench
mkdir -p "$out"
rm -f "$out"/*.dat "$out"/*.svg "$out/results.md"
fail=0
results=

# BENCH_REPORT=1: no runs, the report from the logs of the last ones
start=$(date +%s)
for v in stock patched; do
	for s in bench bench-scale bench-storm; do
		log=$out/$s.$v.log
		if [ "${BENCH_REPORT:-0}" = 1 ]; then
			results+=$(grep -h '^\(PASS\|FAIL\|SKIP\)' "$log" | sed "s/^/  $v: /")$'\n'
			continue
		fi
		if ! "$TOP/test/run-vm.sh" "$v" "$TOP/test/$s" >"$log" 2>&1; then
			[ "$v" = stock ] || fail=1
		fi
		results+=$(grep -h '^\(PASS\|FAIL\|SKIP\)' "$log" | sed "s/^/  $v: /")$'\n'
	done
done
secs=$(($(date +%s) - start))
# the guest time the logs report ("# bench on stock: 215s, ..."), which is
# also right for BENCH_REPORT=1 and for a scenario run again alone
logged=$(cat "$out"/*.log 2>/dev/null |
	sed -n 's/^# [a-z-]* on [a-z0-9-]*: \([0-9]*\)s,.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
[ "$logged" = 0 ] || secs=$logged

klog()
{
	grep -v '^@@@ dmesg ' "$BUILD/$1/logs/$2.ktap" 2>/dev/null || true
}

# kv KEY: awk function text extracting KEY=VALUE from the current line
read -r -d '' AWK_LIB <<'AWK' || true
function kv(key,    i, n, f) {
	n = split($0, f, /[ \t]+/)
	for (i = 1; i <= n; i++)
		if (index(f[i], key "=") == 1)
			return substr(f[i], length(key) + 2)
	return ""
}
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n ? a[int((n + 1) / 2)] : "-"
}
function maxof(a, n,    i, m) {
	m = "-"
	for (i = 1; i <= n; i++)
		if (m == "-" || a[i] + 0 > m + 0)
			m = a[i]
	return m
}
function ms(us) {
	return us == "-" || us == "none" ? us : sprintf("%.2f", us / 1000)
}
AWK

# Latency: one row per kernel, card and codec.
latency_table()
{
	{ klog stock bench; klog patched bench; } | grep '^bench:' | awk "$AWK_LIB"'
	{
		k = kv("kernel") " | " kv("card") " | " kv("codec")
		if (!(k in n)) { order[++rows] = k; n[k] = 0 }
		i = ++n[k]
		lat[k, i] = kv("latency_us"); bind[k, i] = kv("bind_us")
		ovh[k, i] = kv("overhead_us"); pc[k, i] = kv("probe_calls")
		fb[k, i] = kv("failed_binds"); ln[k, i] = kv("info_lines")
		if (lat[k, i] == "none") none[k]++
	}
	END {
		print "| kernel | card | codec from | runs bound | latency ms (median / max) | bind ms (median / max) | overhead ms (median / max) | probe calls | failed binds | ASoC lines |"
		print "|---|---|---|---|---|---|---|---|---|---|"
		for (r = 1; r <= rows; r++) {
			k = order[r]; m = 0
			for (i = 1; i <= n[k]; i++)
				if (lat[k, i] != "none") {
					m++; L[m] = lat[k, i]; B[m] = bind[k, i]; O[m] = ovh[k, i]
				}
			for (i = 1; i <= n[k]; i++) {
				P[i] = pc[k, i]; F[i] = fb[k, i]; N[i] = ln[k, i]
			}
			if (m)
				printf "| %s | %d of %d | %s / %s | %s / %s | %s / %s | %s | %s | %s |\n", k, m, n[k],
					ms(median(L, m)), ms(maxof(L, m)), ms(median(B, m)), ms(maxof(B, m)),
					ms(median(O, m)), ms(maxof(O, m)), median(P, n[k]), median(F, n[k]), median(N, n[k])
			else
				printf "| %s | 0 of %d | never (5 s) | - | - | %s | %s | %s |\n", k, n[k],
					median(P, n[k]), median(F, n[k]), median(N, n[k])
		}
	}'
}

# Scale: one row per number of cards; writes scale.dat for the plot.
scale_table()
{
	{ klog stock bench-scale; klog patched bench-scale; } | sed -n 's/^# scale: //p' |
		awk -v dat="$out/scale.dat" "$AWK_LIB"'
	{
		c = kv("cards"); col = kv("kernel") "-" kv("mode")
		if (!(c in seen)) { seen[c] = 1; cs[++rows] = c }
		un[c, col] = kv("unrelated_ns") / 1000; unmax[c, col] = kv("unrelated_max_ns") / 1000
		co[c, col] = kv("completing_ns") / 1000
		b = kv("bound"); all = kv("all_ms")
		if (b + 0 < c + 0 && b + 0 > 0) all = sprintf("~%d", all * c / b)
		tot[c, col] = all
	}
	function cell(x) { return x == "" ? "-" : sprintf("%d", x) }
	function total(x) { return x == "" ? "-" : x }
	END {
		# stock 7.3 parks deferrable cards: its column only where it ran
		ncol = split("patched-deferrable patched-lost stock-lost", cols, " ")
		split("ours deferrable|ours lost|stock lost (peer)", names, "|")
		for (r = 1; r <= rows; r++)
			if (un[cs[r], "stock-deferrable"] != "") parked = 1
		if (parked) {
			ncol = split("patched-deferrable patched-lost stock-deferrable stock-lost", cols, " ")
			split("ours deferrable|ours lost|stock parked (peer)|stock lost", names, "|")
		}
		head = "| cards waiting"
		for (w = 1; w <= 3; w++)
			for (i = 1; i <= ncol; i++)
				head = head " | " (i == 1 ? (w == 1 ? "unrelated µs: " : w == 2 ? "completing µs: " : "all, ms: ") : "") names[i]
		print head " |"
		sep = "|---"
		for (i = 1; i <= 3 * ncol; i++) sep = sep "|---"
		print sep "|"
		printf "# cards" > dat
		for (i = 1; i <= ncol; i++) printf " %s", cols[i] > dat
		printf " (unrelated registration, us)\n" > dat
		for (r = 1; r <= rows; r++) {
			c = cs[r]
			line = "| " c
			for (i = 1; i <= ncol; i++) line = line " | " cell(un[c, cols[i]])
			for (i = 1; i <= ncol; i++) line = line " | " cell(co[c, cols[i]])
			for (i = 1; i <= ncol; i++) line = line " | " total(tot[c, cols[i]])
			print line " |"
			printf "%s", (c == 0 ? 0.5 : c) > dat
			for (i = 1; i <= ncol; i++) printf " %s", un[c, cols[i]] > dat
			printf "\n" > dat
		}
		r0 = un[0, "patched-deferrable"]; r1 = un[1000, "patched-deferrable"]
		if (r0 != "" && r1 != "")
			printf "\nUnrelated registration with 1,000 cards waiting: %.2fx the cost with none (target: 2x or less).\n", r1 / r0
		p1 = un[100, "stock-deferrable"]; o1 = un[100, "patched-deferrable"]
		if (p1 != "" && o1 != "")
			printf "With 100 cards parked, stock 7.3 retries every parked card at each registration (its soc_component_add() walks unbind_card_list) and ours retries none: an unrelated registration costs %.1fx as much on stock as on ours.\n", p1 / o1
	}'
}

# Storm: one row per kernel and card, medians of the runs.
storm_table()
{
	{ klog stock bench-storm; klog patched bench-storm; } | sed -n 's/^# storm: //p' | awk "$AWK_LIB"'
	{
		k = kv("kernel") " | " kv("card")
		if (!(k in n)) { order[++rows] = k; n[k] = 0 }
		i = ++n[k]
		pc[k, i] = kv("probe_calls"); fb[k, i] = kv("failed_binds"); ll[k, i] = kv("log_lines")
		pu[k, i] = kv("probe_us"); tt[k, i] = kv("total_ms"); bd[k, i] = kv("bound")
	}
	END {
		print "| kernel | card | runs | machine probe calls | failed bind attempts | ASoC log lines | time in machine probes, ms | total, ms | binds |"
		print "|---|---|---|---|---|---|---|---|---|"
		for (r = 1; r <= rows; r++) {
			k = order[r]
			for (i = 1; i <= n[k]; i++) {
				A[i] = pc[k, i]; B[i] = fb[k, i]; C[i] = ll[k, i]
				D[i] = pu[k, i]; E[i] = tt[k, i]; F[i] = bd[k, i]
			}
			printf "| %s | %d | %s | %s | %s | %s | %s | %s |\n", k, n[k], median(A, n[k]),
				median(B, n[k]), median(C, n[k]), ms(median(D, n[k])), median(E, n[k]), median(F, n[k])
		}
	}'
}

# Latency plot data: median bind and overhead per configuration.
latency_dat()
{
	{ klog stock bench; klog patched bench; } | grep '^bench:' | awk "$AWK_LIB"'
	{
		k = kv("kernel") "/" kv("card") "/" kv("codec")
		if (!(k in n)) { order[++rows] = k; n[k] = 0 }
		if (kv("latency_us") == "none") next
		i = ++n[k]; B[k, i] = kv("bind_us"); O[k, i] = kv("overhead_us")
	}
	END {
		print "# configuration bind_ms overhead_ms"
		for (r = 1; r <= rows; r++) {
			k = order[r]
			for (i = 1; i <= n[k]; i++) { b[i] = B[k, i]; o[i] = O[k, i] }
			if (n[k])
				printf "\"%s\" %s %s\n", k, ms(median(b, n[k])), ms(median(o, n[k]))
			else
				printf "\"%s (never)\" 0 0\n", k
		}
	}' > "$out/latency.dat"
}

plots()
{
	local stock_series="\"\" using 1:4 with linespoints title \"stock $KERNEL, cards that lost a codec (retry all)\""

	command -v gnuplot >/dev/null || { echo "(gnuplot missing: no plots)"; return 0; }
	# stock 7.3 parks the deferrable cards: its own retry-all, the peer
	if head -1 "$out/scale.dat" | grep -q stock-deferrable; then
		stock_series="\"\" using 1:4 with linespoints title \"stock $KERNEL, parked cards (retry all)\", \\
     \"\" using 1:5 with linespoints title \"stock $KERNEL, cards that lost a codec (retry all)\""
	fi
	gnuplot <<GP || echo "(gnuplot failed: no plots)"
set terminal svg size 800,500 dynamic
set output "$out/scale.svg"
set title "Cost of a registration that completes no card"
set logscale x
set xlabel "cards waiting (0 plotted at 0.5)"
set ylabel "microseconds (median, TCG)"
set key top left
plot "$out/scale.dat" using 1:2 with linespoints title "ours, deferrable cards", \
     "" using 1:3 with linespoints title "ours, cards that lost a codec", \
     $stock_series
set output "$out/latency.svg"
unset logscale x
set title "Completing registration to snd_card_register(), median"
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.7
set xtics rotate by -30
set xlabel ""
set ylabel "milliseconds (TCG)"
plot "$out/latency.dat" using 2:xtic(1) title "bind", "" using 3 title "overhead"
GP
}

latency_dat
{
	echo "# make bench results"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $secs s of guest runs. Host: $(nproc) CPUs,"
	echo "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1),"
	echo "$(free -g | awk '/^Mem:/ { print $2 " GB" }'); guests: QEMU $(qemu-system-x86_64 --version | sed -n 's/.*version \([^ ]*\).*/\1/p') TCG, 2 vCPUs,"
	echo "the test kernel of linux-source-$KERNEL $(source_version), stock and with"
	echo "${PDIR##*/}/ (PROVE_LOCKING, DEBUG_LIST, preemptible): absolute figures"
	echo "are emulated and slow; compare the columns, not the machine."
	echo
	echo "## Latency: completing registration to the card"
	echo
	echo "From the codec's \`snd_soc_add_component()\` (on 7.3, which inlines it, \`snd_soc_register_component_c()\`)"
	echo "to the card's \`snd_card_register()\`;"
	echo "bind: the bind that registered the card, entry to return; overhead: the"
	echo "latency less that bind's part (registration to the bind's entry). A run"
	echo "whose card is not up 5 s after the codec counts as not bound; after two"
	echo "such runs a configuration stops."
	echo
	latency_table
	echo
	echo "## Registration cost against cards waiting"
	echo
	echo "Medians of 50; completing includes the bind; all: every card's codec in a"
	echo "random order (~: extrapolated from the registrations measured)."
	echo
	scale_table
	echo
	echo "## Deferred probe storm at boot"
	echo
	echo "20 machine drivers, 200 unrelated platform devices binding while they wait,"
	echo "then 40 components; medians of 3 runs."
	echo
	storm_table
	echo
	echo "## Checks"
	echo
	echo "$results" | sed '/^$/d'
} > "$out/results.md"
plots
cat "$out/results.md"
echo
echo "written: $out/results.md $(ls "$out"/*.svg 2>/dev/null | tr '\n' ' ')"
exit $fail
