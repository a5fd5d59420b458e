// SPDX-License-Identifier: BSD-2-Clause
/* dv.bench=io: block reads and TCP transfers between markers counted by a QEMU plugin. */
/*
 * Each workload runs inside window k of tools/qemu-plugin/insn_window.c, which counts the
 * instructions all harts execute between the marker HINTs below. Each prints
 * "BENCHIO <name> bytes=N", or "BENCHIO <name> failed: <why>"; the plugin prints the counts when
 * QEMU exits. The host side (tools/bench.py) serves TCP on 10.0.2.2:PORT, PORT from
 * dv.benchport=PORT: a connection sends "send N\n" to get N bytes, or "recv N\n" and N bytes,
 * which the host acknowledges with "ok N\n".
 */
/* For O_DIRECT. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io.h"

#define BENCH_DISK	"/dev/vda"
#define DISK_BYTES	(16u << 20)
#define NET_BYTES	(8u << 20)
#define NET_CHUNK	(64u << 10)
#define HOST_ADDR	"10.0.2.2"
#define DEFAULT_PORT	15555

/*
 * addi x0, x0, 0x7d0 + k begins window k, addi x0, x0, 0x7e0 + k ends it (k = 1..15): HINTs,
 * no-ops on any hart. The immediate must be a compile-time constant, so this and every function
 * that passes its window number down to it are always inlined.
 */
#define ALWAYS_INLINE	inline __attribute__((always_inline))

static ALWAYS_INLINE void insn_mark(const int imm)
{
	__asm__ volatile("addi x0, x0, %0" : : "i"(imm) : "memory");
}

#define WINDOW_BEGIN(k)	insn_mark(0x7d0 + (k))
#define WINDOW_END(k)	insn_mark(0x7e0 + (k))

struct workload {
	const char *name;
	char why[128];		/* empty if the workload ran to its end */
	size_t bytes;
};

static void report(const struct workload *w)
{
	if (w->why[0])
		printf("BENCHIO %s failed: %s\n", w->name, w->why);
	else
		printf("BENCHIO %s bytes=%zu\n", w->name, w->bytes);
	fflush(stdout);
}

/* dv.benchport=PORT from /proc/cmdline, or DEFAULT_PORT. */
static unsigned int bench_port(void)
{
	static const char key[] = "dv.benchport=";
	char cmdline[1024], *p;
	FILE *f = fopen("/proc/cmdline", "re");
	unsigned int port = DEFAULT_PORT;

	if (f && fgets(cmdline, sizeof(cmdline), f)) {
		for (p = strstr(cmdline, key); p; p = strstr(p + 1, key)) {
			if (p == cmdline || p[-1] == ' ') {
				port = strtoul(p + sizeof(key) - 1, NULL, 10);
				break;
			}
		}
	}
	if (f)
		fclose(f);
	return port ? port : DEFAULT_PORT;
}

/* Reads the first DISK_BYTES of the disk in @req-byte O_DIRECT reads, inside window @k. */
static ALWAYS_INLINE void disk_read(struct workload *w, int k, size_t req, void *buf)
{
	int fd = open(BENCH_DISK, O_RDONLY | O_DIRECT | O_CLOEXEC);
	ssize_t n = 0;

	if (fd < 0) {
		snprintf(w->why, sizeof(w->why), "%s: %s", BENCH_DISK, strerror(errno));
		return;
	}
	WINDOW_BEGIN(k);
	while (w->bytes < DISK_BYTES) {
		n = pread(fd, buf, req, w->bytes);
		if (n <= 0 && !(n < 0 && errno == EINTR))
			break;
		if (n > 0)
			w->bytes += n;
	}
	WINDOW_END(k);
	if (w->bytes < DISK_BYTES)
		snprintf(w->why, sizeof(w->why), "read at %zu: %s", w->bytes,
			 n < 0 ? strerror(errno) : "end of device");
	close(fd);
}

static int connect_host(unsigned int port, char *why, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, HOST_ADDR, &sin.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		snprintf(why, len, "connect %s:%u: %s", HOST_ADDR, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * Gets NET_BYTES from the host, inside window @k. No receive timeout: under -icount sleep=off
 * the guest's clock jumps while it waits, so a timeout would fire early; bench.py has its own.
 */
static ALWAYS_INLINE void net_recv(struct workload *w, int k, unsigned int port, char *buf)
{
	int fd = connect_host(port, w->why, sizeof(w->why));
	char req[32];
	int len = snprintf(req, sizeof(req), "send %u\n", NET_BYTES);
	ssize_t n = 0;

	if (fd < 0)
		return;
	WINDOW_BEGIN(k);
	if (write_all(fd, req, len)) {
		while (w->bytes < NET_BYTES) {
			n = recv(fd, buf, NET_CHUNK, 0);
			if (n <= 0 && !(n < 0 && errno == EINTR))
				break;
			if (n > 0)
				w->bytes += n;
		}
	} else {
		n = -1;
	}
	WINDOW_END(k);
	if (w->bytes < NET_BYTES)
		snprintf(w->why, sizeof(w->why), "received %zu bytes: %s", w->bytes,
			 n < 0 ? strerror(errno) : "closed by the host");
	close(fd);
}

/* Sends NET_BYTES to the host and waits for its acknowledgement, inside window @k. */
static ALWAYS_INLINE void net_send(struct workload *w, int k, unsigned int port, char *buf)
{
	int fd = connect_host(port, w->why, sizeof(w->why));
	char req[32], ack[32], want[32];
	int len = snprintf(req, sizeof(req), "recv %u\n", NET_BYTES);
	ssize_t n = -1;
	bool sent;

	snprintf(want, sizeof(want), "ok %u\n", NET_BYTES);
	if (fd < 0)
		return;
	WINDOW_BEGIN(k);
	sent = write_all(fd, req, len);
	for (size_t off = 0; sent && off < NET_BYTES; off += NET_CHUNK)
		sent = write_all(fd, buf, NET_CHUNK);
	if (sent)
		do
			n = recv(fd, ack, sizeof(ack) - 1, MSG_WAITALL);
		while (n < 0 && errno == EINTR);
	WINDOW_END(k);
	if (!sent)
		snprintf(w->why, sizeof(w->why), "send: %s", strerror(errno));
	else if (n < 0)
		snprintf(w->why, sizeof(w->why), "no acknowledgement: %s", strerror(errno));
	else if ((ack[n] = '\0', strcmp(ack, want)))
		snprintf(w->why, sizeof(w->why), "acknowledgement \"%.*s\", want \"ok %u\"",
			 (int)strcspn(ack, "\n"), ack, NET_BYTES);
	else
		w->bytes = NET_BYTES;
	close(fd);
}

void bench_io(void)
{
	struct workload w[] = {
		{ .name = "blk-read-4k" }, { .name = "blk-read-64k" },
		{ .name = "net-recv" }, { .name = "net-send" },
	};
	unsigned int port = bench_port();
	char net_why[96];
	bool net = net_up(net_why, sizeof(net_why));
	void *buf = NULL;

	if (posix_memalign(&buf, 4096, NET_CHUNK)) {
		printf("BENCHIO failed: out of memory\n");
		return;
	}
	/* Fault the buffer in before the windows, and give the host something to receive. */
	memset(buf, 0xa5, NET_CHUNK);
	disk_read(&w[0], 1, 4096, buf);
	report(&w[0]);
	disk_read(&w[1], 2, 64 << 10, buf);
	report(&w[1]);
	if (net) {
		net_recv(&w[2], 3, port, buf);
		report(&w[2]);
		net_send(&w[3], 4, port, buf);
		report(&w[3]);
	} else {
		for (int i = 2; i < 4; i++) {
			snprintf(w[i].why, sizeof(w[i].why), "net up: %s", net_why);
			report(&w[i]);
		}
	}
	printf("BENCHIO done\n");
	free(buf);
}
