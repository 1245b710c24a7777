# SPDX-License-Identifier: GPL-2.0
# dt-card.sh: the load-order, rebind and last-component tests of a device
# tree description of the Armada 370 DB sound card
# (test/arm/armada-370-audio.dtsi), sourced by the ARM scenarios that
# describe it with one generic card driver or another. The caller sets:
#   CARD       the card driver's module
#   CARD_NAME  the card's name
#   CARD_DEV   the card's device (its node's name)
#
# 1. The four modules are loaded in every order (24), each order REPEAT
#    times (dt_repeat= on the kernel command line). The first time the
#    first three load together and asoc/pending must then name exactly what
#    the fourth provides: the node of the component the card driver's
#    parse stopped at, against the card's device (nothing when the fourth
#    is the card driver itself), and the card must not be listed; then the
#    fourth loads. The other times all four load from parallel processes
#    (at once, then with random 0-20 ms gaps). Every time the card must
#    bind exactly once (one snd_soc_card_bound event, no other card, at
#    most one "pending" and one "bound" line), the card driver's probe must
#    have succeeded exactly once (initcall_debug's "probe of DEV returned
#    0" lines; it defers while a component is missing, as on stock), on
#    our kernel the card's snd_soc_card_bound event must come after the
#    controller's probe returned (the same lines), the card must list its
#    two S/PDIF devices and asoc/pending must be empty;
#    then everything is unloaded and the card must go. The trace's
#    module_load events must show all 24 orders: the ones the parallel
#    loads did not produce are loaded once more, one module after the
#    other, with the same checks (load_orders_seen; not counted as
#    parallel iterations).
# 2. The controller is unbound under the bound card: the card goes and
#    waits for the controller's DAIs and platform on its links; bound
#    again, it comes back.
# 3. With every module but the transmitter: the exact pending line of the
#    transmitter, the card absent; the transmitter binds it, pending
#    empty, the card driver's probe succeeded once.

I2S=snd-soc-kirkwood
DIT=snd-soc-spdif-tx
DIR=snd-soc-spdif-rx

CPU=5f000000.audio-controller
CPU_NODE=/audio-controller@5f000000
PDRV=/sys/bus/platform/drivers

REPEAT=3
WAIT=15
GIVE_UP=2
for w in $(cat /proc/cmdline); do
	case $w in
	dt_repeat=*) REPEAT=${w#*=} ;;
	esac
done

grep -q ' /sys/kernel/debug ' /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

mod_of()
{
	case $1 in
	i2s)	echo "$I2S" ;;
	dit)	echo "$DIT" ;;
	dir)	echo "$DIR" ;;
	card)	echo "$CARD" ;;
	esac
}

# The links' names once the card has bound: "<cpu dai>-<codec dai>". A
# card that waits again after a bind keeps them.
BOUND1=spdif-dit-hifi
BOUND2=spdif-dir-hifi

# expected LABEL [bound]: the asoc/pending lines (sorted) while only the
# module LABEL stands for is missing, before the card's first bind or,
# with "bound", after it. Before, the card driver's probe defers at the
# first DAI it cannot resolve, and the record is its device's: no card
# name, no link, role "dai", the component's node only. After, the registered card
# waits, on its links' names, for the CPU DAI and platform, or the codec
# DAI, it resolved while it parsed.
expected()
{
	t=$(printf '\t')
	if [ "${2:-}" = bound ]; then
		p="$CARD_NAME$t$CARD_DEV$t"
		case $1 in
		i2s)
			printf '%s\n' \
				"${p}cpu${t}of:$CPU_NODE${t}spdif$t$BOUND1" \
				"${p}cpu${t}of:$CPU_NODE${t}spdif$t$BOUND2" \
				"${p}platform${t}of:$CPU_NODE$t-$t$BOUND1" \
				"${p}platform${t}of:$CPU_NODE$t-$t$BOUND2" ;;
		dit)	printf '%s\n' "${p}codec${t}of:/spdif-out${t}dit-hifi$t$BOUND1" ;;
		dir)	printf '%s\n' "${p}codec${t}of:/spdif-in${t}dir-hifi$t$BOUND2" ;;
		esac | sort
		return
	fi
	p="$CARD_DEV$t$CARD_DEV$t"
	case $1 in
	i2s)	printf '%s\n' "${p}dai${t}of:$CPU_NODE$t-$t-" ;;
	dit)	printf '%s\n' "${p}dai${t}of:/spdif-out$t-$t-" ;;
	dir)	printf '%s\n' "${p}dai${t}of:/spdif-in$t-$t-" ;;
	card)	;;
	esac
}

unload_all()
{
	mod_unload "$CARD" "$I2S" "$DIT" "$DIR"
}

any_loaded()
{
	for m in "$CARD" "$I2S" "$DIT" "$DIR"; do
		mod_loaded "$m" && return 0
	done
	return 1
}

# card_count: how many cards `aplay -l` lists with our name.
card_count()
{
	aplay -l 2>/dev/null | grep "^card [0-9]*: .*\[$CARD_NAME\]" |
		sed 's/, device.*//' | sort -u | wc -l
}

# two_devices: the card has its S/PDIF out (playback, device 0) and in
# (capture, device 1).
two_devices()
{
	aplay -l 2>/dev/null | grep -q "\[$CARD_NAME\], device 0: " &&
		arecord -l 2>/dev/null | grep -q "\[$CARD_NAME\], device 1: "
}

# probes: how often the card driver's probe succeeded since the log was
# cleared (it defers while a component is missing, as on stock).
probes()
{
	dmesg | grep -c "probe of $CARD_DEV \(with driver [^ ]* \)\{0,1\}returned 0 "
}

load_staggered()
{
	pids=
	for m in "$@"; do
		modprobe "$m" &
		pids="$pids $!"
		usleep "$(rand 20000)"
	done
	rc=0
	for p in $pids; do
		wait "$p" || rc=1
	done
	return $rc
}

dump_state()
{
	aplay -l 2>&1 | sed 's/^/#   aplay: /'
	pending_lines | sed 's/^/#   pending: /'
	sed 's/^/#   deferred: /' /sys/kernel/debug/devices_deferred 2>/dev/null
	for m in "$CARD" "$I2S" "$DIT" "$DIR"; do
		mod_loaded "$m" && echo "#   loaded: $m"
	done
	dmesg | grep -i 'asoc\|probe of sound' | tail -8 | sed 's/^/#   log: /'
}

# wait_pending LABEL [bound]: poll until asoc/pending is exactly what
# expected() gives; prints the difference when it never is.
wait_pending()
{
	want=$(expected "$@")
	i=0
	while [ "$i" -lt $((WAIT * 10)) ]; do
		got=$(pending_lines | sort)
		[ "$got" = "$want" ] && return 0
		usleep 100000
		i=$((i + 1))
	done
	echo "$want" | sed 's/^/#   want: /'
	echo "$got" | sed 's/^/#   got:  /'
	return 1
}

ORDERS=$(permutations i2s dit dir card | tr ' ' '_')
N_ORDERS=$(echo "$ORDERS" | wc -l)

ktap_plan $((N_ORDERS + 10))
ktap_diag "kernel $(uname -r), $REPEAT iterations per order"

ITER=0
STUCK=0
DOUBLE=0
SEEN=

# iteration ORDER N LABEL...: load/verify/unload cycle N of ORDER (0: the
# modules loaded one after the other).
iteration()
{
	it_order=$1
	it_n=$2
	shift 2
	err=
	mods=
	for l in "$@"; do
		mods="$mods $(mod_of "$l")"
	done
	once_start
	if [ "$it_n" -eq 0 ]; then
		# shellcheck disable=SC2086
		load_sequential $mods || err="modprobe failed"
	elif [ "$it_n" -eq 1 ]; then
		# shellcheck disable=SC2046
		modprobe_parallel $(mod_of "$1") $(mod_of "$2") $(mod_of "$3") ||
			err="modprobe failed"
		if has_pending; then
			wait_pending "$4" || err="$err; asoc/pending does not name exactly what $(mod_of "$4") provides"
		fi
		card_listed "$CARD_NAME" && err="$err; card listed without $(mod_of "$4")"
		modprobe "$(mod_of "$4")" || err="$err; modprobe $(mod_of "$4") failed"
	else
		# shellcheck disable=SC2086
		load_staggered $mods || err="modprobe failed"
	fi
	SEEN_LAST=$(trace_order i2s="$I2S" dit="$DIT" dir="$DIR" card="$CARD")
	SEEN="$SEEN $SEEN_LAST"

	[ "$it_n" -eq 0 ] || ITER=$((ITER + 1))
	if ! wait_card "$CARD_NAME" "$WAIT"; then
		err="$err; card not bound after ${WAIT}s"
		STUCK=$((STUCK + 1))
	elif [ ! -e "/sys/bus/platform/devices/$CPU/driver" ]; then
		err="$err; card listed while $CPU was still probing"
	elif [ "$(card_count)" -ne 1 ]; then
		err="$err; card listed $(card_count) times"
		DOUBLE=$((DOUBLE + 1))
	else
		once=$(once_check "$CARD_NAME" "$CARD_DEV" | tr '\n' ',')
		[ -n "$once" ] && err="$err; ${once%,}" && DOUBLE=$((DOUBLE + 1))
		after=$(bound_after_probe "$CARD_NAME" "$CPU")
		[ -n "$after" ] && err="$err; $after"
		n=$(probes)
		[ "$n" = 1 ] || err="$err; $CARD's probe succeeded $n times"
		two_devices || err="$err; card without its two S/PDIF devices"
	fi
	pending_empty || err="$err; asoc/pending not empty"

	[ -n "$err" ] && dump_state

	if ! unload_all; then
		usleep 500000
		unload_all || err="$err; unload failed"
	fi
	wait_no_card "$CARD_NAME" "$WAIT" || err="$err; card still listed after unload"
	any_loaded && err="$err; modules left loaded"

	[ -z "$err" ] && return 0
	ktap_diag "$it_order iteration $it_n ($(load_sequence)): ${err#; }"
	return 1
}

for order in $ORDERS; do
	fails=0
	runs=0
	while [ "$runs" -lt "$REPEAT" ]; do
		runs=$((runs + 1))
		# shellcheck disable=SC2046
		iteration "$order" "$runs" $(echo "$order" | tr '_' ' ') ||
			fails=$((fails + 1))
		[ "$fails" -ge "$GIVE_UP" ] && break
	done
	if [ "$fails" -eq 0 ]; then
		ktap_ok "load_$order"
	else
		ktap_fail "load_$order" "$fails of $runs iterations failed"
	fi
done

# fill ORDER: ORDER once more, its modules loaded one after the other
fill()
{
	# shellcheck disable=SC2046
	iteration "$1" 0 $(echo "$1" | tr '_' ' ')
}

orders_seen load_orders_seen fill

# --- the controller under the bound card ---------------------------------------

check()
{
	name=$1
	shift
	if "$@"; then
		ktap_ok "$name"
	else
		dump_state
		ktap_fail "$name" "failed: $*"
	fi
}

setup()
{
	once_start
	modprobe_parallel "$I2S" "$DIT" "$DIR" "$CARD" &&
		wait_card "$CARD_NAME" "$WAIT" && [ "$(card_count)" -eq 1 ]
}

cpu_unbind()
{
	echo "$CPU" > "$PDRV/mvebu-audio/unbind" &&
		wait_no_card "$CARD_NAME" "$WAIT"
}

cpu_pending()
{
	wait_pending i2s bound
}

cpu_rebind()
{
	echo "$CPU" > "$PDRV/mvebu-audio/bind" &&
		wait_card "$CARD_NAME" "$WAIT" && [ "$(card_count)" -eq 1 ] &&
		two_devices && pending_empty && [ "$(probes)" = 1 ]
}

check rebind_setup setup
check cpu_unbind_card_gone cpu_unbind
if has_pending; then
	check cpu_unbind_pending_names_node cpu_pending
else
	ktap_skip cpu_unbind_pending_names_node "kernel has no $PENDING"
fi
check cpu_rebind_card_back cpu_rebind
unload_all

# --- the transmitter last --------------------------------------------------------

last_setup()
{
	once_start
	modprobe_parallel "$I2S" "$DIR" "$CARD"
}

dit_pending()
{
	wait_pending dit && ! card_listed "$CARD_NAME"
}

dit_binds()
{
	modprobe "$DIT" && wait_card "$CARD_NAME" "$WAIT" &&
		[ "$(card_count)" -eq 1 ] && two_devices && pending_empty
}

one_probe_bound()
{
	[ "$(probes)" = 1 ]
}

check dit_last_setup last_setup
if has_pending; then
	check dit_last_pending_line dit_pending
else
	ktap_skip dit_last_pending_line "kernel has no $PENDING"
fi
check dit_last_card_binds dit_binds
check dit_last_one_probe_bound one_probe_bound

teardown()
{
	unload_all && ! any_loaded && ! card_listed "$CARD_NAME" && pending_empty
}
check teardown_clean teardown

ktap_diag "figures: iterations=$ITER stuck=$STUCK double=$DOUBLE"
ktap_done
