#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs; quiet when all are there.
# The ARM guest's userland (armel busybox, kmod, aplay and their libraries)
# is fetched with apt-get download and unpacked into $ARMEL_ROOT, not
# installed on the host.
. "$(dirname "$0")/lib/common.sh"
set +o pipefail

PKGS="linux-source-6.1 linux-source-6.12 build-essential flex bison bc libelf-dev libssl-dev
cpio dwarves kmod busybox-static alsa-utils libasound2-dev sparse ccache
qemu-system-x86 qemu-system-arm device-tree-compiler gcc-arm-linux-gnueabi
binutils-arm-linux-gnueabi rsync git python3 xz-utils pkg-config perl gzip
coreutils gnuplot-nox"

# The armel userland: static busybox; kmod, because the guest scripts use
# the real modprobe/depmod as on x86; alsa-utils for aplay. Their shared
# libraries are added below from the binaries' NEEDED entries; libc6 is
# named because the program interpreter is not a NEEDED entry. armel (soft
# float) rather than armhf, so the guest kernel needs no VFP.
ARMEL_PKGS="busybox-static kmod alsa-utils libc6"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

export DEBIAN_FRONTEND=noninteractive
updated=0
apt_update()
{
	[ $updated = 1 ] || apt-get update -qq
	updated=1
}

if [ -n "$missing" ]; then
	log "installing:$missing"
	[ "$(id -u)" = 0 ] ||
		die "packages missing and not root: apt-get install$missing"
	apt_update
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# ---- linux-source-7.3 from trixie-backports -------------------------------

# fetch_source_73: the pinned linux-source-7.3 ($SRC73_VERSION), downloaded
# with a sources list, package lists and cache of its own (the machine's
# apt configuration is not touched), its SHA256 checked against the one
# pinned in lib/common.sh, unpacked into $BACKPORTS/linux-source-7.3.
# DEBIAN_MIRROR overrides the archive.
fetch_source_73()
{
	local d=$BACKPORTS/apt dst=$BACKPORTS/linux-source-7.3 deb
	local mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
	local -a o

	[ "$(cat "$dst/.version" 2>/dev/null)" = "$SRC73_VERSION" ] && [ -r "$TARBALL" ] &&
		return 0
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/debs"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie-backports main" \
		> "$d/sources.list"
	o=(-o "Dir::Etc::sourcelist=$d/sources.list" -o Dir::Etc::sourceparts=/dev/null
	   -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache")
	[ "$(id -u)" = 0 ] && o+=(-o APT::Sandbox::User=root)
	deb=$(find "$d/debs" -name 'linux-source-7.3_*_all.deb' | sed -n 1p)
	if [ -z "$deb" ] || ! echo "$SRC73_SHA256  $deb" | sha256sum -c --status; then
		log "fetching linux-source-7.3 $SRC73_VERSION from trixie-backports"
		rm -f "$d"/debs/*.deb
		apt-get "${o[@]}" update -qq || die "apt-get update for trixie-backports failed"
		(cd "$d/debs" && apt-get "${o[@]}" download -qq "linux-source-7.3=$SRC73_VERSION") ||
			die "apt-get download linux-source-7.3=$SRC73_VERSION failed"
		deb=$(find "$d/debs" -name 'linux-source-7.3_*_all.deb' | sed -n 1p)
		[ -n "$deb" ] && echo "$SRC73_SHA256  $deb" | sha256sum -c --status ||
			die "linux-source-7.3: the download's SHA256 is not $SRC73_SHA256"
	fi
	log "unpacking $(basename "$deb") into $dst"
	rm -rf "$dst.tmp"
	mkdir -p "$dst.tmp"
	dpkg-deb -x "$deb" "$dst.tmp"
	[ -r "$dst.tmp/usr/src/linux-source-7.3.tar.xz" ] ||
		die "$(basename "$deb") has no usr/src/linux-source-7.3.tar.xz"
	echo "$SRC73_VERSION" > "$dst.tmp/.version"
	rm -rf "$dst"
	mv "$dst.tmp" "$dst"
}

case " $KERNEL $KERNELS " in
*" 7.3 "*) fetch_source_73 ;;
esac

# ---- armel userland for the ARM guest -------------------------------------

# The unpacked tree is complete once the stamp names the same package set.
stamp=$ARMEL_ROOT/.packages
[ "$(cat "$stamp" 2>/dev/null)" = "$ARMEL_PKGS" ] && exit 0

if ! dpkg --print-foreign-architectures | grep -qx armel; then
	[ "$(id -u)" = 0 ] || die "armel architecture missing and not root: dpkg --add-architecture armel"
	log "adding the armel architecture"
	dpkg --add-architecture armel
	updated=0
fi

debs=$ARMEL_CACHE/debs
mkdir -p "$debs"
rm -rf "$ARMEL_ROOT.tmp"
mkdir -p "$ARMEL_ROOT.tmp"

# fetch PKG: download PKG:armel (once; an arch-independent PKG comes as
# _all) and unpack it into the new root.
fetched=
fetch()
{
	local deb

	case " $fetched " in *" $1 "*) return 0 ;; esac
	fetched="$fetched $1"
	deb=$(find "$debs" -name "$1_*_armel.deb" -o -name "$1_*_all.deb" | head -n1)
	if [ -z "$deb" ]; then
		apt_update
		(cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "$1:armel" >/dev/null) ||
			die "apt-get download $1:armel failed"
		deb=$(find "$debs" -name "$1_*_armel.deb" -o -name "$1_*_all.deb" | head -n1)
	fi
	dpkg-deb -x "$deb" "$ARMEL_ROOT.tmp"
}

# package_of SONAME: the Debian package shipping SONAME. Package names are
# the same on every architecture and the host has the amd64 build of each
# library the armel binaries need (it runs the same programs), so ask dpkg.
package_of()
{
	dpkg -S "*/$1" 2>/dev/null | grep -m1 'x86_64-linux-gnu' | cut -d: -f1
}

for p in $ARMEL_PKGS; do
	fetch "$p"
done

# Add the package of every library the guest's binaries need, directly or
# through another library, until none is missing.
while :; do
	# shellcheck disable=SC2086
	missing=$(armel_closure "$ARMEL_ROOT.tmp" $ARMEL_BINS | sed -n 's/^missing://p')
	[ -z "$missing" ] && break
	for so in $missing; do
		pkg=$(package_of "$so")
		[ -n "$pkg" ] || die "no package found for armel library $so"
		case " $fetched " in *" $pkg "*) die "$pkg:armel does not provide $so" ;; esac
		fetch "$pkg"
	done
done

rm -rf "$ARMEL_ROOT"
mv "$ARMEL_ROOT.tmp" "$ARMEL_ROOT"
echo "$ARMEL_PKGS" > "$stamp"
log "armel userland in $ARMEL_ROOT:$fetched"
