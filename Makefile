# SPDX-License-Identifier: GPL-2.0
# ASoC pending cards: build, boot and prove the patched Debian kernels.
#
# KERNEL=6.1 (the default: Debian 12's own kernel, our first base),
# KERNEL=6.12 (the newer LTS from the same archive, patches-6.12/) or
# KERNEL=7.3 (mainline, from trixie-backports, patches-7.3/) picks the base
# of every target but check, which runs 6.1 and 6.12 (and 7.3 with
# CHECK_KERNELS="6.1 6.12 7.3").
#
#   make demo              boot the patched kernel, load the Kirkwood S/PDIF
#                          stack in a random parallel order, show the card
#   make check             every test on 6.1 and 6.12 (CHECK_KERNELS= adds
#                          7.3), in tiers (see test/check.sh), and a
#                          shortened make stress on 6.1; ends with
#                          "N passed, N failed, N skipped"
#   make vm-test T=DIR     run one scenario directory in the test VM
#   make compare [ONLY=RE] every scenario (or those RE matches) on stock
#                          and on ours, as a table
#   make stress            the scenarios, 10,000 KUnit concurrency rounds and
#                          1,000 fault-injected loads on a KASAN kernel
#   make bench             latency to the bind, cost against cards waiting and a
#                          boot-time probe storm, stock vs ours (build/bench/)
#   make vm-test-arm [T=DIR]   a scenario on the 32-bit ARM kernel (QEMU virt,
#                          Armada 370 DB audio in device tree); default
#                          test/arm/scenarios/dt-smoke
#   make vm-test-arm-stock [T=DIR]   the same on the stock tree
#   make edit              the series as a git tree to change with commits,
#                          fixups and rebase: build/edit/src, branch series
#                          (FORCE=1 re-creates one that differs from patches/)
#   make refresh           write build/edit/src's series back to patches/ and
#                          check that it applies
#   make patchset          build/patchset: the series for posting, with a
#                          cover letter, checkpatch --strict and get_maintainer
#   make series            the series applied and built at every prefix
#   make clean             remove build/ (ccache in ~/.cache stays)

SHELL := /bin/bash
T ?=
export BUILD ?= $(CURDIR)/build
export KERNEL ?= 6.1
export ONLY

.PHONY: all deps source kernel initramfs check demo vm-test compare stock series \
	stress stress-kernel bench lint clean arm arm-stock vm-test-arm vm-test-arm-stock \
	edit refresh patchset mutants

all: kernel

deps:
	@test/deps.sh

disk-check-%:
	@test/need-disk.sh $*

source: deps
	@test/prepare-src.sh patched

kernel: source
	@test/build-kernel.sh patched

initramfs: kernel
	@test/mkinitramfs.sh patched

# A disk too small for a cold run fails here, before anything is unpacked.
check: disk-check-check deps
	@$(MAKE) --no-print-directory KERNEL=6.1 initramfs arm stress-kernel
	@$(MAKE) --no-print-directory KERNEL=6.12 $(if $(CHECK_FULL),initramfs) arm
	$(if $(filter 7.3,$(CHECK_KERNELS)),@$(MAKE) --no-print-directory KERNEL=7.3 initramfs arm)
	@test/check.sh

lint: source
	@test/lint.sh

demo: disk-check-demo initramfs
	@test/run-vm.sh -v patched test/demo

vm-test: initramfs
	@test -n "$(T)" || { echo "usage: make vm-test T=<scenario dir>"; exit 2; }
	@test/run-vm.sh -v patched $(T)

stock: deps
	@test/prepare-src.sh stock
	@test/build-kernel.sh stock
	@test/mkinitramfs.sh stock

# The ARM variants: the patched and the stock tree cross-built for QEMU's
# virt machine (test/arm/).
ARM_T = $(or $(T),test/arm/scenarios/dt-smoke)

arm: source
	@test/build-kernel.sh arm
	@test/mkinitramfs.sh arm

arm-stock: deps
	@test/prepare-src.sh stock
	@test/build-kernel.sh arm-stock
	@test/mkinitramfs.sh arm-stock

vm-test-arm: arm
	@test/run-vm.sh -v arm $(ARM_T)

vm-test-arm-stock: arm-stock
	@test/run-vm.sh -v arm-stock $(ARM_T)

compare: initramfs stock arm arm-stock
	@test/compare.sh

bench: initramfs stock
	@test/bench.sh

series: kernel
	@test/series-build.sh

# Break the mechanism on purpose (test/mutants/): every mutant must fail a
# test. MUTANTS=name... runs some.
mutants: source
	@test/mutants.sh $(MUTANTS)

# The KASAN + failslab kernel: make stress, and check's shortened run.
stress-kernel: source
	@test/build-kernel.sh stress
	@test/mkinitramfs.sh stress

stress: stress-kernel
	@test/stress.sh

# The series as a git tree, and back (test/series.sh).
edit: deps
	@test/series.sh edit

refresh:
	@test/series.sh refresh

patchset: deps
	@test/series.sh patchset

clean:
	rm -rf $(BUILD)
