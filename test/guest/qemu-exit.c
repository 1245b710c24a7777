// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-exit: hand a verdict to the host through QEMU's isa-debug-exit
 * device (iobase 0xf4); QEMU exits with status (verdict << 1) | 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>

#define DEBUG_EXIT_PORT 0xf4

int main(int argc, char **argv)
{
	int verdict = argc > 1 ? atoi(argv[1]) : 0;

	if (ioperm(DEBUG_EXIT_PORT, 4, 1)) {
		perror("qemu-exit: ioperm");
		return 1;
	}
	outl(verdict, DEBUG_EXIT_PORT);
	return 1;	/* not reached under QEMU */
}
