#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs.sh VARIANT: the base initramfs for a kernel variant: busybox,
# kmod, aplay with alsa-lib, the kselftest alsa binaries with their runner
# (and coreutils' timeout, which it needs), the kernel's modules and the
# guest scripts.  Libraries come from ldd, not a list.
# The arm variants get the same guest scripts with the armel userland that
# test/deps.sh unpacked (busybox, kmod, aplay; libraries from their NEEDED
# entries), and no kselftest or qemu-exit (see below).
. "$(dirname "$0")/lib/common.sh"

v=${1:?variant}
out=$BUILD/$v/initrd-base.gz
root=$BUILD/$v/initramfs
kver=$(kernel_release "$v")

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,lib,usr/share,scenarios,kselftest}

# The applet list is the host busybox's: the same Debian build (version
# and configuration) as the armel one, which cannot run here.
applets()
{
	for a in $(/bin/busybox --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
}

# Real kmod: modprobe with dependencies and aliases, as udev uses it.
kmod_links()
{
	for a in modprobe insmod rmmod lsmod depmod modinfo; do
		rm -f "$root/bin/$a"
		ln -s kmod "$root/sbin/$a"
	done
}

if variant_is_arm "$v"; then
	[ -s "$ARMEL_ROOT/.packages" ] ||
		die "no armel userland in $ARMEL_ROOT: run test/deps.sh"
	install -m 0755 "$ARMEL_ROOT/bin/busybox" "$root/bin/busybox"
	applets
	install -m 0755 "$ARMEL_ROOT/bin/kmod" "$root/sbin/kmod"
	kmod_links
	install -D -m 0755 "$ARMEL_ROOT/usr/bin/aplay" "$root/usr/bin/aplay"
	# install dereferences: each soname the loader looks for is a file.
	# shellcheck disable=SC2086
	for lib in $(armel_closure "$ARMEL_ROOT" $ARMEL_BINS); do
		case $lib in
		missing:*) die "armel library ${lib#missing:} not in $ARMEL_ROOT: run test/deps.sh" ;;
		usr/bin/aplay | bin/kmod) ;;
		*) install -D "$ARMEL_ROOT/$lib" "$root/$lib" ;;
		esac
	done
	# The ALSA kselftests are not cross-built (no ARM scenario runs them),
	# and the verdict is the KTAP end line: virt has no isa-debug-exit.
else
	cp /bin/busybox "$root/bin/busybox"
	applets
	cp /usr/bin/kmod "$root/sbin/kmod"
	kmod_links
	install -D /usr/bin/aplay "$root/usr/bin/aplay"

	# The ALSA kselftests, built and installed the kernel's own way, one
	# build per source tree (the stock tree has mixer-test only), again
	# when a program of the Makefile's TEST_GEN_PROGS is missing or older
	# than the alsa directory's files or the kselftest headers.
	src=$(variant_src "$v")
	sel=$src/tools/testing/selftests
	ksft=$(dirname "$src")/kselftest
	stale=
	for p in $(sed -n 's/^TEST_GEN_PROGS[[:space:]]*[:+]*=//p' "$sel/alsa/Makefile"); do
		bin=$ksft/install/alsa/$p
		if [ ! -x "$bin" ] ||
			[ -n "$(find "$sel/alsa" "$sel/kselftest.h" "$sel/kselftest_harness.h" \
				-newer "$bin" -print -quit)" ]; then
			stale="$stale $p"
		fi
	done
	if [ -n "$stale" ]; then
		log "building kselftest alsa (for$stale)"
		rm -rf "$ksft"
		# against the kernel's own uapi (6.12's utimer-test needs
		# its SNDRV_TIMER_IOCTL_CREATE), not the host's
		kmake "$v" headers >"$ksft.log" 2>&1 ||
			{ tail -20 "$ksft.log" >&2; die "make headers failed"; }
		make -s -C "$sel" O="$ksft/obj" TARGETS=alsa \
			KHDR_INCLUDES="-isystem $(variant_obj "$v")/usr/include" \
			KSFT_INSTALL_PATH="$ksft/install" install >>"$ksft.log" 2>&1 ||
			{ tail -20 "$ksft.log" >&2; die "kselftest alsa build failed"; }
	fi
	cp -a "$ksft/install/." "$root/kselftest/"
	# run_kselftest.sh runs each test under /usr/bin/timeout --foreground
	# when there is one, and without a time limit otherwise: busybox's
	# timeout has no --foreground, coreutils' has.
	install -D /usr/bin/timeout "$root/usr/bin/timeout"

	# Shared libraries of every dynamic binary, found by ldd.
	bins="$root/sbin/kmod $root/usr/bin/aplay $root/usr/bin/timeout
		$(find "$root/kselftest" -type f -perm -u+x)"
	# shellcheck disable=SC2086
	# (ldd heads each file's libraries with its name and a colon)
	for lib in $(ldd $bins 2>/dev/null | grep -v ':$' | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
		install -D "$lib" "$root$lib"
	done
	# alsa-lib dlopens its plugins from here; aplay -l needs none, keep them anyway.
	[ -d /usr/lib/x86_64-linux-gnu/alsa-lib ] &&
		cp -a /usr/lib/x86_64-linux-gnu/alsa-lib "$root/usr/lib/x86_64-linux-gnu/" || true
	gcc -static -O2 -Wall -o "$root/sbin/qemu-exit" "$TOP/test/guest/qemu-exit.c"
fi

# alsa.conf and the card configurations (architecture independent).
cp -a /usr/share/alsa "$root/usr/share/alsa"
# arecord is aplay under another name: `arecord -l` lists capture devices.
ln -sf aplay "$root/usr/bin/arecord"
cp -a "$BUILD/$v/modules/lib/modules" "$root/lib/"
rm -f "$root/lib/modules/$kver/build" "$root/lib/modules/$kver/source"

install -m 0755 "$TOP/test/guest/init" "$root/init"
# ktap.sh and the other helpers scenarios source, as /lib/NAME.sh
for f in "$TOP"/test/guest/*.sh; do
	install -m 0644 "$f" "$root/lib/${f##*/}"
done
echo "$v" > "$root/etc/variant"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
log "initramfs $out ($(du -h "$out" | cut -f1))"
