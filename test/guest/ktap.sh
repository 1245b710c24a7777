# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for scenario scripts running in the test VM (busybox sh).
# A scenario's `run` sources this file, declares its plan and reports each
# test with ktap_ok/ktap_fail/ktap_skip; ktap_done prints the totals and
# returns non-zero when a test failed.

# busybox sh runs its own applets before anything on PATH: make the module
# tools the real kmod ones.
modprobe() { /sbin/modprobe "$@"; }
insmod() { /sbin/insmod "$@"; }
rmmod() { /sbin/rmmod "$@"; }
lsmod() { /sbin/lsmod "$@"; }
depmod() { /sbin/depmod "$@"; }
modinfo() { /sbin/modinfo "$@"; }

KTAP_N=0
KTAP_FAIL=0
PENDING=/sys/kernel/debug/asoc/pending

ktap_plan()
{
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_diag()
{
	echo "# $*"
}

ktap_ok()
{
	KTAP_N=$((KTAP_N + 1))
	echo "ok $KTAP_N $1"
}

ktap_fail()
{
	local name=$1

	KTAP_N=$((KTAP_N + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	shift
	[ $# -gt 0 ] && echo "# $name: $*"
	echo "not ok $KTAP_N $name"
}

# ours: the guest runs one of our kernels (patched, stress or arm), where
# every feature the scenarios test must be there: a skip is a failure. The
# stock kernels are stock and arm-stock.
ours()
{
	case $(cat /etc/variant 2>/dev/null) in
	stock | *-stock) return 1 ;;
	esac
}

# ktap_skip NAME REASON: skip a test whose feature the kernel lacks. Only
# the stock kernel may lack one: on ours it fails.
ktap_skip()
{
	if ours; then
		ktap_fail "$1" "would be skipped on our kernel: $2"
		return
	fi
	KTAP_N=$((KTAP_N + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

# ktap_check NAME CMD...: ok if CMD succeeds.
ktap_check()
{
	local name=$1

	shift
	if "$@"; then ktap_ok "$name"; else ktap_fail "$name" "failed: $*"; fi
}

ktap_done()
{
	echo "# totals: $((KTAP_N - KTAP_FAIL)) passed, $KTAP_FAIL failed"
	[ "$KTAP_FAIL" -eq 0 ]
}

# card_listed NAME: `aplay -l` lists a card whose id or name is NAME.
card_listed()
{
	aplay -l 2>/dev/null | grep -q "^card [0-9]*: $1 \|\[$1\]"
}

# card_proc NAME: /proc/asound/cards has a card whose id or name is NAME
# (cheap enough to poll; aplay takes a good part of a second under TCG).
card_proc()
{
	grep -q "\[$1 *\]\|: [^ ]* - $1\$" /proc/asound/cards 2>/dev/null
}

# wait_card NAME SECONDS: poll until the card is there, then check that
# `aplay -l` lists it.
wait_card()
{
	local i=0

	while [ "$i" -lt $(($2 * 20)) ]; do
		card_proc "$1" && break
		usleep 50000
		i=$((i + 1))
	done
	card_listed "$1"
}

# wait_no_card NAME SECONDS: poll until the card is gone, then check that
# `aplay -l` does not list it.
wait_no_card()
{
	local i=0

	while [ "$i" -lt $(($2 * 20)) ]; do
		card_proc "$1" || break
		usleep 50000
		i=$((i + 1))
	done
	! card_listed "$1"
}

# parks: the kernel parks a card that cannot bind yet (7.3:
# snd_soc_register_card() returns 0 and the card binds when its components
# come) instead of deferring its machine probe (6.1, 6.12).
parks()
{
	[ "$(uname -r | cut -d. -f1)" -ge 7 ]
}

# parked DEV CARD: the machine device DEV is bound while its card CARD is
# not: the card is parked. Only meaningful once DEV's probe has returned
# (the driver link is there during a probe: three looks 100 ms apart keep
# a deferred probe's retry from passing for it). Sets err on a kernel that
# does not park (a machine probe returned 0 with its card unbound).
parked()
{
	local i

	for i in 1 2 3; do
		[ -e "/sys/bus/platform/devices/$1/driver" ] && ! card_proc "$2" ||
			return 1
		[ $i = 3 ] || usleep 100000
	done
	parks ||
		err="${err:+$err, }$1's probe returned 0 with card $2 unbound, on $(uname -r), which defers"
}

# pending_lines: the ASoC pending list (empty when the kernel has none),
# without its last field, the record's state: card, device, role, key, dai,
# link.
pending_lines()
{
	[ -r "$PENDING" ] && cut -f1-6 "$PENDING"
}

# pending_state CARD: the states asoc/pending gives card CARD's record
# (one per device the card has a record for), empty when it has none.
pending_state()
{
	[ -r "$PENDING" ] && awk -F '\t' -v c="$1" '$1 == c { print $7 }' "$PENDING" |
		sort -u | tr '\n' ' ' | sed 's/ $//'
}

# pending_state_is CARD STATE: card CARD's record is in STATE, and no other.
pending_state_is()
{
	[ "$(pending_state "$1")" = "$2" ]
}

# wait_until SECONDS CMD...: poll CMD every 100 ms, for SECONDS at most.
wait_until()
{
	local w=$(($1 * 10))

	shift
	while [ "$w" -gt 0 ]; do
		"$@" && return 0
		usleep 100000
		w=$((w - 1))
	done
	"$@"
}

# pending_empty: nothing pending. Without the file that is true on stock
# only: on our kernel a missing asoc/pending is a failure, not an empty list.
pending_empty()
{
	if [ ! -r "$PENDING" ]; then
		! ours
		return
	fi
	[ -z "$(cat "$PENDING")" ]
}

# has_pending: the running kernel has the pending-card mechanism: always
# on ours (so that its checks run, and fail if the file is missing).
has_pending()
{
	ours || [ -e "$PENDING" ]
}

# modprobe_parallel MOD...: load every module from its own process, in the
# order given, all at once, as udev does at boot; wait for all of them.
modprobe_parallel()
{
	local pids= m p rc=0

	for m in "$@"; do
		modprobe "$m" &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p" || rc=1
	done
	return $rc
}

# mod_loaded MOD: MOD is in the kernel.
mod_loaded()
{
	[ -d "/sys/module/${1//-/_}" ]
}

# mod_unload MOD...: remove the loaded ones, in the order given, with one
# rmmod (a kmod process start costs a good part of a second under TCG);
# its messages become KTAP diagnostics.
mod_unload()
{
	local mods= m msg rc=0

	for m in "$@"; do
		mod_loaded "$m" && mods="$mods ${m//-/_}"
	done
	[ -z "$mods" ] && return 0
	# shellcheck disable=SC2086
	msg=$(rmmod $mods 2>&1) || rc=1
	[ -n "$msg" ] && echo "$msg" | sed 's/^/# /'
	return $rc
}

# permutations A B C ...: print every order, one per line.
permutations()
{
	if [ $# -le 1 ]; then
		echo "$*"
		return
	fi
	local x y rest p

	for x in "$@"; do
		rest=
		for y in "$@"; do
			[ "$y" = "$x" ] || rest="$rest $y"
		done
		# shellcheck disable=SC2086
		permutations $rest | while read -r p; do echo "$x $p"; done
	done
}

# rand N: a pseudo-random number in 0..N-1.
rand()
{
	echo $(($(od -An -N2 -tu2 /dev/urandom) % $1))
}

# --- exactly once ------------------------------------------------------------

TRACE=/sys/kernel/debug/tracing

# once_start: before a load: clear the kernel log and the trace buffer,
# trace card pending/bound events and module loads.
once_start()
{
	local e

	dmesg -c >/dev/null 2>&1
	[ -d "$TRACE" ] || return 0
	# the asoc events exist once the ASoC core is in
	modprobe snd-soc-core 2>/dev/null
	echo 0 > "$TRACE/tracing_on"
	echo > "$TRACE/trace"
	for e in asoc/snd_soc_card_pending asoc/snd_soc_card_bound \
		 module/module_load; do
		[ -w "$TRACE/events/$e/enable" ] && echo 1 > "$TRACE/events/$e/enable"
	done
	echo 1 > "$TRACE/tracing_on"
}

# sound_cards: how many cards /proc/asound/cards lists.
sound_cards()
{
	grep -c '^ *[0-9][0-9]* \[' /proc/asound/cards 2>/dev/null
}

# load_sequence: the modules in the order they actually loaded, from the
# trace (the processes may have started in another order).
load_sequence()
{
	[ -r "$TRACE/trace" ] || return 0
	sed -n 's/.*module_load: \([^ ]*\).*/\1/p' "$TRACE/trace" | tr '\n' ' '
}

# trace_order LABEL=MODULE...: the LABELs in the order the trace saw their
# modules load (module_load events), joined with "_" as the scenarios name
# their orders
trace_order()
{
	local so l a m

	so=
	for l in $(load_sequence); do
		for a in "$@"; do
			m=${a#*=}
			[ "${m//-/_}" = "$l" ] && so="$so${so:+_}${a%%=*}"
		done
	done
	echo "$so"
}

# load_sequential MOD...: load each module once the previous one's modprobe
# returned, so that the trace shows them in this order
load_sequential()
{
	local m

	for m in "$@"; do
		modprobe "$m" || return 1
	done
}

# orders_seen NAME FN [ORDERS]: the test NAME, that the trace showed every
# order of ORDERS (default $ORDERS: labels joined with "_") in the
# iterations so far, whose orders the scenario gathers in $SEEN. The parallel loads need not produce them
# all: each order missing is run once by FN ORDER, which loads the modules
# one after the other (load_sequential), fails when the card does not end
# bound once, and sets SEEN_LAST to the order the trace showed.
orders_seen()
{
	local name=$1 fn=$2 orders=${3:-$ORDERS} order oerr= filled=0

	for order in $orders; do
		case " $SEEN " in
		*" $order "*) continue ;;
		esac
		filled=$((filled + 1))
		SEEN_LAST=
		"$fn" "$order" || oerr="$oerr; $order loaded one by one failed"
		[ "$SEEN_LAST" = "$order" ] ||
			oerr="$oerr; $order loaded one by one, the trace shows '$SEEN_LAST'"
	done
	ktap_diag "$name: $(($(echo "$orders" | wc -w) - filled)) orders seen in the parallel loads, $filled loaded one by one"
	if [ -z "$oerr" ]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "${oerr#; }"
	fi
}

# bound_after_probe NAME DEV: on our kernel, card NAME's last
# snd_soc_card_bound event came after the last successful probe of DEV,
# its controller, returned: the trace's timestamp against the kernel log's
# "probe of DEV returned 0" (printed with initcall_debug; 7.3 says "probe
# of DEV with driver DRV returned 0"), both taken from
# local_clock(). A card bound inside the controller's probe would expose a
# controller not set up yet, even if the probe returned by the time the
# card is seen. Stock kernels have no such event. Prints what is wrong.
bound_after_probe()
{
	local tb tp

	ours || return 0
	tb=$(sed -n "s/.* \([0-9][0-9]*\.[0-9][0-9]*\): snd_soc_card_bound: card=$1 .*/\1/p" \
		"$TRACE/trace" 2>/dev/null | tail -n1)
	tp=$(dmesg | sed -n "s/^\[ *\([0-9][0-9]*\.[0-9][0-9]*\)\] probe of $2 \(with driver [^ ]* \)\{0,1\}returned 0 .*/\1/p" |
		tail -n1)
	if [ -z "$tb" ]; then
		echo "no snd_soc_card_bound event"
	elif [ -z "$tp" ]; then
		echo "no 'probe of $2 returned 0' in the log (initcall_debug?)"
	elif ! awk -v b="$tb" -v p="$tp" 'BEGIN { exit !(b > p) }'; then
		echo "card bound at $tb, before $2's probe returned at $tp"
	fi
}

# once_check NAME [DEV]: after a load that bound card NAME: it is the only
# card, still the only one after a settle time (a second bind may come
# from a work item), and, on our kernel, one snd_soc_card_bound event and
# as many "bound" log lines as "pending" ones, at most one each. A card
# driver that defers while it parses logs its "pending" line as device
# DEV. Prints what is wrong. The card list is the independent witness; the
# trace event and the log lines are the mechanism's own account.
once_check()
{
	local n ev pend bound

	n=$(sound_cards)
	[ "$n" = 1 ] || echo "$n cards in /proc/asound/cards"
	if ours; then
		ev=$(grep -c "snd_soc_card_bound: card=$1 " "$TRACE/trace" 2>/dev/null)
		[ "$ev" = 1 ] || echo "$ev snd_soc_card_bound events"
		pend=$(dmesg | grep -c "ASoC: card \($1\|${2:-$1}\) pending, waiting for")
		bound=$(dmesg | grep -c "ASoC: card $1 bound after")
		[ "$pend" -le 1 ] && [ "$pend" = "$bound" ] ||
			echo "$pend pending and $bound bound log lines"
	fi
	sleep 0.2
	n=$(sound_cards)
	[ "$n" = 1 ] || echo "$n cards in /proc/asound/cards 0.2 s later"
}
