#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-vm.sh [-v] VARIANT DIR: boot the VARIANT kernel under QEMU (TCG, -smp 2;
# x86_64 pc, or virt with a device tree for the arm variants) with the
# scenario in DIR, read its KTAP, scan the console log for kernel
# reports, and print one result line per test:
#   PASS scenario/test | FAIL scenario/test: why | SKIP scenario/test: why
# Exit status: 0 when nothing failed.
. "$(dirname "$0")/lib/common.sh"

verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
v=${1:?variant}
dir=${2:?scenario dir}
name=$(basename "$(cd "$dir" && pwd)")
logs=$BUILD/$v/logs
mkdir -p "$logs" "$BUILD/$v/boot"
console=$logs/$name.console
ktap=$logs/$name.ktap
rm -f "$console" "$ktap"

fail=0
nres=0
result()
{
	echo "$1 $name/$2"
	[ "$1" = FAIL ] && fail=1
	nres=$((nres + 1))
	return 0
}

if ! cpio=$("$TOP/test/mkscenario.sh" "$v" "$dir" 2>"$logs/$name.build"); then
	sed 's/^/    /' "$logs/$name.build"
	why=$(sed -n 's/^error: scenario [^:]*: //p' "$logs/$name.build" | sed -n 1p)
	result FAIL "build: ${why:-modules do not build against the $v kernel}"
	exit 1
fi
initrd=$BUILD/$v/boot/$name.gz
cat "$BUILD/$v/initrd-base.gz" "$cpio" > "$initrd"

tmo=${VM_TIMEOUT:-$(cat "$dir/timeout" 2>/dev/null || echo 120)}
extra=$(cat "$dir/cmdline" 2>/dev/null || true)
cpus=${VM_CPUS:-2}
# VM_APPEND: more kernel arguments for every boot (make stress scales the
# iteration counts with them)
args="panic=-1 oops=panic loglevel=7 log_buf_len=2M scenario=$name cpus=$cpus vm_timeout=$tmo $extra ${VM_APPEND:-}"
kernel=$(variant_obj "$v")/$(variant_image "$v")

# arm_dtb DTB: the device tree of an ARM boot. QEMU's own for this machine
# (dumped with the same -M/-cpu/-smp/-m, so CPUs, GIC, timer, PSCI, UART
# and virtio-mmio are what QEMU emulates), plus the Armada 370 DB audio
# nodes of test/arm/armada-370-audio.dtsi. A scenario directory may add
# device tree of its own: every *.dtsi in it is appended to that source
# (nodes and properties under "/ { ... };" or "&label { ... };", with the
# labels of armada-370-audio.dtsi), and every *.dtso is applied afterwards
# as an overlay (/dts-v1/; /plugin/; with fragments on those labels or
# paths). dtc's warnings, about QEMU's nodes mostly, stay in the log.
arm_dtb()
{
	local dtb=$1 base=${1%.dtb} f
	local machine=(-M virt -cpu cortex-a15 -smp "$cpus" -m 1024 -nodefaults -nographic)

	qemu-system-arm "${machine[@]}" -machine dumpdtb="$base.qemu.dtb" \
		>"$base.dtc.log" 2>&1 || return 1
	{
		dtc -I dtb -O dts "$base.qemu.dtb"
		echo "/include/ \"$TOP/test/arm/armada-370-audio.dtsi\""
		for f in "$dir"/*.dtsi; do
			[ -e "$f" ] || continue
			echo "/include/ \"$(cd "$(dirname "$f")" && pwd)/${f##*/}\""
		done
	} >"$base.dts" 2>>"$base.dtc.log" || return 1
	dtc -@ -I dts -O dtb -o "$dtb" "$base.dts" 2>>"$base.dtc.log" || return 1
	for f in "$dir"/*.dtso; do
		[ -e "$f" ] || continue
		dtc -@ -I dts -O dtb -o "$base.dtbo" "$f" 2>>"$base.dtc.log" &&
			fdtoverlay -i "$dtb" -o "$dtb" "$base.dtbo" >>"$base.dtc.log" 2>&1 ||
			return 1
	done
}

start=$(date +%s)
rc=0
if variant_is_arm "$v"; then
	dtb=$BUILD/$v/boot/$name.dtb
	if ! arm_dtb "$dtb"; then
		sed 's/^/    /' "${dtb%.dtb}.dtc.log"
		result FAIL "boot: no device tree (see ${dtb%.dtb}.dts)"
		exit 1
	fi
	# virt has one UART, the kernel's console: the KTAP goes to a virtio
	# console (hvc0 in the guest). With -no-reboot, the guest's reboot -f
	# (PSCI SYSTEM_RESET) ends QEMU with status 0, whatever the verdict.
	# initramfs_async=0: unpacked beside the other initcalls, the 11 MB
	# cpio took 19 s under multi-threaded TCG; unpacked first, 1 s.
	timeout --foreground -k 5 "$tmo" qemu-system-arm \
		-M virt -accel tcg,thread=multi -cpu cortex-a15 -smp "$cpus" -m 1024 \
		-nodefaults -nographic -no-reboot \
		-serial "file:$console" \
		-device virtio-serial-device \
		-chardev "file,id=ktap,path=$ktap" -device virtconsole,chardev=ktap \
		-dtb "$dtb" -kernel "$kernel" \
		-initrd "$initrd" -append "console=ttyAMA0 initramfs_async=0 $args" \
		</dev/null >/dev/null 2>&1 || rc=$?
else
	# No LA57: with 5-level paging, 6.1's identify_cpu() clears the boot
	# CPU's feature bits for a moment, and an interrupt in that window
	# makes KASAN take a direct-map address for a wild one (a false
	# report at 0.002 s, seen once in make stress).
	timeout --foreground -k 5 "$tmo" qemu-system-x86_64 \
		-M pc -accel tcg,thread=multi -cpu max,la57=off -smp "$cpus" -m 1024 \
		-nodefaults -nographic -no-reboot \
		-serial "file:$console" -serial "file:$ktap" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$kernel" \
		-initrd "$initrd" -append "console=ttyS0 $args" </dev/null >/dev/null 2>&1 || rc=$?
fi
secs=$(($(date +%s) - start))
touch "$console" "$ktap"
sed -i "s/\r$//" "$console" "$ktap"

[ $verbose = 1 ] && { grep -v "^@@@ dmesg " "$ktap" || true; }

# The scenario's own tests: top-level KTAP results.
plan=$(grep -m1 '^1\.\.[0-9]*' "$ktap" | cut -d. -f3 || true)
n=0
while read -r line; do
	case $line in
	"ok "*"# SKIP"*)
		t=${line#ok * }
		result SKIP "${t%% *}: ${line#*# SKIP }" ;;
	"ok "*)
		t=${line#ok * }
		result PASS "${t%% *}" ;;
	"not ok "*)
		t=${line#not ok * }
		why=$(grep -m1 "^# ${t%% *}: " "$ktap" | sed "s/^# ${t%% *}: //" || true)
		result FAIL "${t%% *}${why:+: $why}" ;;
	*) continue ;;
	esac
	n=$((n + 1))
done < <(grep -E '^(not )?ok [0-9]+ ' "$ktap" || true)

bail=$(grep -m1 '^Bail out!' "$ktap" | sed 's/^Bail out! *//' || true)
if [ -n "$bail" ]; then
	result FAIL "boot: bail out: $bail"
	# the guest's watchdog: what the scenario's processes were doing;
	# the newest last (by pid), and kept when the list is long
	grep '^@@@ watchdog: ' "$ktap" | tail -n 80 | sed 's/^@@@ watchdog: /    /' || true
elif [ $rc = 124 ] || [ $rc = 137 ]; then
	result FAIL "boot: timed out after ${tmo}s (see $console)"
	tail -n 25 "$console" | sed 's/^/    /'
elif [ -z "$plan" ]; then
	result FAIL "boot: no KTAP plan (qemu status $rc, see $console)"
elif [ "$n" != "$plan" ]; then
	result FAIL "boot: $n of $plan planned tests reported"
elif variant_is_arm "$v"; then
	# No isa-debug-exit on virt: the guest's end line is the verdict.
	if ! grep -q '^@@@ end rc=0$' "$ktap" && [ $fail = 0 ]; then
		end=$(sed -n 's/^@@@ end rc=//p' "$ktap")
		result FAIL "boot: guest verdict ${end:-missing} (qemu status $rc)"
	fi
elif [ $rc != 1 ] && [ $fail = 0 ]; then
	# QEMU's status carries the guest's verdict; once in a long run it
	# has been 127 after the guest had finished cleanly (QEMU exiting
	# from a vCPU thread while the other runs): the guest's own end line
	# then stands for the verdict
	if grep -q '^@@@ end rc=0$' "$ktap"; then
		echo "# $name: qemu status $rc after the guest ended with rc=0" >&2
	else
		result FAIL "boot: guest verdict $(((rc - 1) / 2)) (qemu status $rc)"
	fi
fi

# Kernel reports anywhere in the boot are failures, whatever the tests said:
# on the console, and in the kernel log the guest dumps at its end ("@@@
# dmesg " lines), which also has what was printed while a scenario had
# lowered the console level. A scenario that ends without that dump (a
# panic, a timeout) still has its console scanned.
# ARM reports a data abort in the kernel as "Unhandled fault:" and
# "Internal error: : 808 [#1]", with no "Oops" in it.
# A scenario that provokes one of the ASoC lines on purpose lists the lines
# it expects, as extended regular expressions, in its log-allow file.
pat='WARNING:|BUG:|Oops|printk messages dropped|kobject_add_internal failed|Internal error:|Unhandled fault:|Kernel panic|general protection fault|DEBUG_LOCKS_WARN_ON|list_add corruption|list_del corruption|UBSAN:|kmemleak: unreferenced|unreferenced object|blocked for more than|soft lockup|rcu: INFO: .* detected stalls|rcu_.* self-detected stall|trying to register non-static key|cannot create duplicate filename|debugfs: (Directory|File) .* already present|ASoC: .*failed to bind'
allow=$dir/log-allow
kmsg=$logs/$name.dmesg
sed -n 's/^@@@ dmesg //p' "$ktap" > "$kmsg"
scan()
{
	if [ -s "$allow" ]; then
		grep -hE "$pat" "$console" "$kmsg" | grep -Evf "$allow"
	else
		grep -hE "$pat" "$console" "$kmsg"
	fi
}
# in_console: the console has a report the scenario does not allow
in_console()
{
	if [ -s "$allow" ]; then
		grep -E "$pat" "$console" | grep -Evqf "$allow"
	else
		grep -Eq "$pat" "$console"
	fi
}
if scan >/dev/null; then
	# (sed -n, not head: no SIGPIPE under pipefail)
	first=$(scan | sed -n '1s/^\[[ 0-9.]*\] //p')
	result FAIL "kernel-log-clean: $first"
	if in_console; then
		grep -En -A12 "$pat" "$console" | sed -n '1,60s/^/    /p'
	else
		echo "    (only in the guest's dmesg, $kmsg)"
		grep -En -A12 "$pat" "$kmsg" | sed -n '1,60s/^/    /p'
	fi
else
	result PASS kernel-log-clean
fi

# The number of results, against test/expected-results: a scenario that
# loses tests (a loop skipped, a plan shrunk with them) fails here, whatever
# its own plan said. Every scenario make check runs must have its line;
# stock variants, whose scenarios skip what stock lacks, have none.
count=$nres
exp=$(awk -F '\t' -v k="$KERNEL" -v v="$v" -v s="$name" \
	'$1 == k && $2 == v && $3 == s { print $4 }' "$TOP/test/expected-results")
where=$(dirname "$(cd "$dir" && pwd)")
if [ -n "$exp" ]; then
	if [ "$count" = "$exp" ]; then
		result PASS result-count
	else
		result FAIL "result-count: $count results, $exp expected (test/expected-results)"
	fi
elif ! variant_is_stock "$v"; then
	case $where in
	"$TOP/test/scenarios" | "$TOP/test/arm/scenarios" | "$TOP/test/stress")
		result FAIL "result-count: no line for $KERNEL $v $name in test/expected-results" ;;
	esac
fi
echo "# $name on $v: ${secs}s, console log $console" >&2
exit $fail
