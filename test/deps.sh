#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs; quiet when all are there.
set -eu

PKGS="linux-source-6.1 build-essential flex bison bc libelf-dev libssl-dev
cpio dwarves kmod busybox-static alsa-utils libasound2-dev sparse ccache
qemu-system-x86 gcc-arm-linux-gnueabi rsync git python3 xz-utils pkg-config
perl gzip coreutils"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo ">>> installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "error: packages missing and not root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
