// SPDX-License-Identifier: BSD-2-Clause
/* The init's commands for the virtio devices, and its I/O benchmark (dv.bench=io). */
#ifndef GUEST_LINUX_IO_H
#define GUEST_LINUX_IO_H

#include <stdbool.h>
#include <stddef.h>

/* Shell builtins: each prints greppable "<name>: ..." lines and returns 0 on success. */
int sh_disk(int argc, char **argv);	/* disk mount [DEV] | disk umount */
int sh_put(int argc, char **argv);	/* put FILE TEXT... */
int sh_sync(int argc, char **argv);	/* sync */
int sh_blk(int argc, char **argv);	/* blk info | blk write-test */
int sh_net(int argc, char **argv);	/* net up | net show */
int sh_fetch(int argc, char **argv);	/* fetch HOST PORT */
int sh_rng(int argc, char **argv);	/* rng [N] */
int sh_hvc(int argc, char **argv);	/* hvc */

/*
 * Gives the network interface 10.0.2.15/24 with a default route via 10.0.2.2 (QEMU user
 * networking's defaults) and brings it and lo up. @why gets what was done, or why it failed.
 */
bool net_up(char *why, size_t len);

/* Writes all of buf to fd (a file or a socket: init is PID 1, so SIGPIPE never kills it). */
bool write_all(int fd, const void *buf, size_t len);

/* dv.bench=io: the I/O windows of bench_io.c; returns when done, the caller powers off. */
void bench_io(void);

#endif
