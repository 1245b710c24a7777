# SPDX-License-Identifier: GPL-2.0
# bench.sh: kprobe events for make bench, the same probe points on stock and
# on ours (sourced by the bench scenarios):
#   bench/add       snd_soc_add_component() entry: a component registers
#                   (7.3 inlines it, renamed soc_component_add(), into
#                   snd_soc_register_component_c(), whose entry it is there)
#   bench/bind      the card bind's entry: snd_soc_bind_card() on stock,
#                   snd_soc_bind_card_unlocked() on ours, where the same
#                   function is called with client_mutex already held
#   bench/bind_ret  its return, with the return value
#   bench/reg       snd_card_register() entry: the card's sound device
# Load snd-soc-core first: the symbols must be there.

TRACEFS=/sys/kernel/tracing

bench_bind_symbol()
{
	if grep -q ' snd_soc_bind_card_unlocked' /proc/kallsyms; then
		echo snd_soc_bind_card_unlocked
	else
		echo snd_soc_bind_card
	fi
}

bench_add_symbol()
{
	if grep -Eq ' snd_soc_add_component([[:space:]]|$)' /proc/kallsyms; then
		echo snd_soc_add_component
	else
		echo snd_soc_register_component_c
	fi
}

# bench_probes_on: (re)define and enable the probes; the hit counts in
# kprobe_profile start from 0.
bench_probes_on()
{
	local bind

	grep -q " $TRACEFS " /proc/mounts ||
		mount -t tracefs nodev "$TRACEFS" 2>/dev/null
	bench_probes_off
	bind=$(bench_bind_symbol)
	{
		echo "p:bench/add $(bench_add_symbol)"
		echo "p:bench/bind $bind"
		echo "r:bench/bind_ret $bind ret=\$retval:s32"
		echo 'p:bench/reg snd_card_register'
	} >> "$TRACEFS/kprobe_events" || return 1
	echo 4096 > "$TRACEFS/buffer_size_kb"
	echo > "$TRACEFS/trace"
	echo 1 > "$TRACEFS/events/bench/enable"
}

bench_probes_off()
{
	[ -d "$TRACEFS/events/bench" ] || return 0
	echo 0 > "$TRACEFS/events/bench/enable"
	echo > "$TRACEFS/kprobe_events"
}

# bench_hits EVENT: how often bench/EVENT fired since bench_probes_on
bench_hits()
{
	awk -v e="$1" '$1 == e || $1 == "bench/" e { print $2 }' "$TRACEFS/kprobe_profile"
}

# bench_trace_clear: empty the trace buffer
bench_trace_clear()
{
	echo > "$TRACEFS/trace"
}

# bench_trace_times: from the trace since the last clear, print
# "LATENCY BIND OVERHEAD FAILED" in microseconds: the first component
# registration to the first snd_card_register(); the duration of the bind
# that registered the card (entry to return); what is left of the latency
# once that bind is subtracted (registration to the bind's entry); and the
# binds that failed in between. "none" if no card registered.
bench_trace_times()
{
	awk '
	/^#/ { next }
	{
		ev = ""
		for (i = 1; i < NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/) {
				ts = substr($i, 1, length($i) - 1) * 1000000
				ev = $(i + 1)
				break
			}
	}
	ev == "add:" && add == "" { add = ts }
	ev == "bind:" && reg == "" { bind = ts }
	ev == "reg:" && reg == "" && add != "" { reg = ts; sbind = bind }
	ev == "bind_ret:" && add != "" && reg == "" && $0 !~ /ret=0/ { failed++ }
	ev == "bind_ret:" && reg != "" && ret == "" { ret = ts }
	END {
		if (reg == "" || ret == "")
			print "none none none " failed + 0
		else
			printf "%d %d %d %d\n", reg - add, ret - sbind, sbind - add, failed
	}' "$TRACEFS/trace"
}
