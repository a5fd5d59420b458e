// SPDX-License-Identifier: BSD-2-Clause
/* The init's shell commands for the virtio devices: disk, block device, network, entropy, hvc. */
/* For O_DIRECT and cfmakeraw(3). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <linux/fs.h>

#include "io.h"

#define DISK_DEV	"/dev/vda"
#define DISK_SYSFS	"/sys/block/vda"
#define MOUNT_DIR	"/mnt"
#define NET_IF		"eth0"
#define NET_ADDR	"10.0.2.15"
#define NET_MASK	"255.255.255.0"
#define NET_PREFIX	24
#define NET_GATEWAY	"10.0.2.2"
#define RNG_DEV		"/dev/hwrng"
#define RNG_CURRENT	"/sys/class/misc/hw_random/rng_current"
#define RNG_MAX		64
#define IO_TIMEOUT_S	20		/* fetch and hvc give up after this long without data */
#define HVC_MAX		8		/* the hvc driver's ttys: /dev/hvc0..7 */

/* ---- helpers ---- */

/* The first line of a small (sysfs) file, without its newline; false if unreadable. */
static bool read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

bool write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

static int usage(const char *text)
{
	fprintf(stderr, "usage: %s\n", text);
	return 1;
}

/* ---- disk: a filesystem on /dev/vda ---- */

/* ext4 first; ext2 is the fallback (this kernel's ext4 driver also serves "ext2"). */
static int mount_ext(const char *dev, const char *dir, unsigned long flags)
{
	int err;

	if (!mount(dev, dir, "ext4", flags, NULL))
		return 0;
	err = errno;
	if (!mount(dev, dir, "ext2", flags, NULL))
		return 0;
	return err;
}

/* Is the block device @dev read-only (BLKROGET)? False if that cannot be told. */
static bool blk_read_only(const char *dev)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC), ro = 0;

	if (fd < 0)
		return false;
	if (ioctl(fd, BLKROGET, &ro))
		ro = 0;
	close(fd);
	return ro;
}

static int disk_mount(const char *dev)
{
	bool ro = blk_read_only(dev);
	int err;

	if (mkdir(MOUNT_DIR, 0755) && errno != EEXIST) {
		fprintf(stderr, "disk: mkdir %s: %s\n", MOUNT_DIR, strerror(errno));
		return 1;
	}
	err = mount_ext(dev, MOUNT_DIR, ro ? MS_RDONLY : 0);
	/* A disk that refuses a read-write mount (EACCES, EROFS) may still mount read-only. */
	if (!ro && (err == EACCES || err == EROFS)) {
		ro = true;
		err = mount_ext(dev, MOUNT_DIR, MS_RDONLY);
	}
	if (err) {
		fprintf(stderr, "disk: mount %s on %s: %s\n", dev, MOUNT_DIR, strerror(err));
		return 1;
	}
	printf("disk: mounted %s on %s%s\n", dev, MOUNT_DIR, ro ? " (read-only)" : "");
	return 0;
}

int sh_disk(int argc, char **argv)
{
	if (argc >= 2 && argc <= 3 && !strcmp(argv[1], "mount"))
		return disk_mount(argc == 3 ? argv[2] : DISK_DEV);
	if (argc == 2 && !strcmp(argv[1], "umount")) {
		if (umount(MOUNT_DIR)) {
			fprintf(stderr, "disk: umount %s: %s\n", MOUNT_DIR, strerror(errno));
			return 1;
		}
		printf("disk: unmounted %s\n", MOUNT_DIR);
		return 0;
	}
	return usage("disk mount [DEV] | disk umount");
}

int sh_put(int argc, char **argv)
{
	char text[512];
	size_t len = 0;
	int fd;

	if (argc < 3)
		return usage("put FILE TEXT...");
	/* The shell split TEXT at blanks: join the words with single spaces again. */
	for (int i = 2; i < argc; i++)
		len += snprintf(text + len, len < sizeof(text) ? sizeof(text) - len : 0, "%s%s",
				argv[i], i + 1 < argc ? " " : "\n");
	if (len >= sizeof(text)) {
		fprintf(stderr, "put: text too long\n");
		return 1;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || !write_all(fd, text, len) || fsync(fd)) {
		fprintf(stderr, "put: %s: %s\n", argv[1], strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (close(fd)) {
		fprintf(stderr, "put: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("put: %zu bytes\n", len);
	return 0;
}

int sh_sync(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sync();
	printf("sync: done\n");
	return 0;
}

/* ---- blk: the raw block device ---- */

static int blk_info(void)
{
	char size[32], ro[8];
	unsigned long long sectors;

	if (!read_line(DISK_SYSFS "/size", size, sizeof(size)) ||
	    !read_line(DISK_SYSFS "/ro", ro, sizeof(ro))) {
		fprintf(stderr, "blk: %s: %s\n", DISK_SYSFS, strerror(errno));
		return 1;
	}
	sectors = strtoull(size, NULL, 10);
	printf("blk: vda sectors=%llu (%llu MiB) ro=%s\n", sectors, sectors / 2048, ro);
	return 0;
}

/*
 * Rewrites the first logical block of the disk with its own contents, bypassing the page
 * cache, and waits for the device: the write reaches the device, the data does not change.
 */
static int blk_write_test(void)
{
	int fd = open(DISK_DEV, O_RDWR | O_DIRECT | O_SYNC | O_CLOEXEC), bsize = 512;
	void *buf = NULL;
	ssize_t n;

	if (fd < 0) {
		/* A read-only disk: the kernel refuses to open it for writing (EROFS). */
		printf("blk: write failed: %s (open refused by the kernel)\n", strerror(errno));
		return 1;
	}
	if (ioctl(fd, BLKSSZGET, &bsize) || bsize <= 0)
		bsize = 512;
	if (posix_memalign(&buf, 4096, bsize)) {
		fprintf(stderr, "blk: out of memory\n");
		close(fd);
		return 1;
	}
	n = pread(fd, buf, bsize, 0);
	if (n != bsize) {
		printf("blk: read failed: %s\n", n < 0 ? strerror(errno) : "short read");
		goto out;
	}
	n = pwrite(fd, buf, bsize, 0);
	if (n == bsize)
		printf("blk: write ok\n");
	else if (n >= 0)
		printf("blk: write failed: short write (%zd of %d bytes)\n", n, bsize);
	else
		/* EIO: the device failed the request; anything else the kernel refused it. */
		printf("blk: write failed: %s (refused by the %s)\n", strerror(errno),
		       errno == EIO ? "device" : "kernel");
out:
	free(buf);
	close(fd);
	return n == bsize ? 0 : 1;
}

int sh_blk(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "info"))
		return blk_info();
	if (argc == 2 && !strcmp(argv[1], "write-test"))
		return blk_write_test();
	return usage("blk info | blk write-test");
}

/* ---- net: eth0 by ioctl, and a TCP client ---- */

/* eth0, or else the first interface other than lo. */
static void net_ifname(char *name, size_t len)
{
	DIR *dir = opendir("/sys/class/net");
	struct dirent *de;

	snprintf(name, len, "%s", NET_IF);
	if (!dir || !access("/sys/class/net/" NET_IF, F_OK)) {
		if (dir)
			closedir(dir);
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] != '.' && strcmp(de->d_name, "lo")) {
			snprintf(name, len, "%.*s", IFNAMSIZ - 1, de->d_name);
			break;
		}
	}
	closedir(dir);
}

static void set_sin(struct sockaddr *sa, const char *addr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin->sin_addr);
}

/* Sets IFF_UP (and IFF_RUNNING) on @name. */
static bool if_up(int fd, const char *name)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		return false;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return !ioctl(fd, SIOCSIFFLAGS, &ifr);
}

bool net_up(char *why, size_t len)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct rtentry rt = { 0 };
	struct ifreq ifr = { 0 };
	const char *step;
	char name[IFNAMSIZ];

	if (fd < 0) {
		snprintf(why, len, "socket: %s", strerror(errno));
		return false;
	}
	net_ifname(name, sizeof(name));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if_up(fd, "lo");
	step = "address";
	set_sin(&ifr.ifr_addr, NET_ADDR);
	if (ioctl(fd, SIOCSIFADDR, &ifr))
		goto fail;
	step = "netmask";
	set_sin(&ifr.ifr_netmask, NET_MASK);
	if (ioctl(fd, SIOCSIFNETMASK, &ifr))
		goto fail;
	step = "up";
	if (!if_up(fd, name))
		goto fail;
	/* The default route; one left from an earlier "net up" is fine. */
	step = "default route";
	set_sin(&rt.rt_dst, "0.0.0.0");
	set_sin(&rt.rt_genmask, "0.0.0.0");
	set_sin(&rt.rt_gateway, NET_GATEWAY);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	if (ioctl(fd, SIOCADDRT, &rt) && errno != EEXIST)
		goto fail;
	close(fd);
	snprintf(why, len, "%s up, inet %s/%d, gateway %s", name, NET_ADDR, NET_PREFIX, NET_GATEWAY);
	return true;
fail:
	snprintf(why, len, "%s %s: %s", name, step, strerror(errno));
	close(fd);
	return false;
}

static int prefix_len(uint32_t mask)
{
	return __builtin_popcount(mask);
}

static int net_show(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	unsigned char mac[6];
	char name[IFNAMSIZ], inet[40] = "none";
	short flags;

	if (fd < 0) {
		fprintf(stderr, "net: socket: %s\n", strerror(errno));
		return 1;
	}
	net_ifname(name, sizeof(name));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		fprintf(stderr, "net: %s: %s\n", name, strerror(errno));
		close(fd);
		return 1;
	}
	flags = ifr.ifr_flags;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		fprintf(stderr, "net: %s: %s\n", name, strerror(errno));
		close(fd);
		return 1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, sizeof(mac));
	/* No address yet is EADDRNOTAVAIL: "inet none". */
	if (!ioctl(fd, SIOCGIFADDR, &ifr)) {
		struct in_addr addr = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
		int len = 0;

		if (!ioctl(fd, SIOCGIFNETMASK, &ifr))
			len = prefix_len(((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr.s_addr);
		snprintf(inet, sizeof(inet), "%s/%d", inet_ntoa(addr), len);
	}
	close(fd);
	printf("net: %s mac %02x:%02x:%02x:%02x:%02x:%02x inet %s %s\n", name, mac[0], mac[1],
	       mac[2], mac[3], mac[4], mac[5], inet, flags & IFF_UP ? "up" : "down");
	return 0;
}

int sh_net(int argc, char **argv)
{
	char why[96];

	if (argc == 2 && !strcmp(argv[1], "up")) {
		if (!net_up(why, sizeof(why))) {
			fprintf(stderr, "net: %s\n", why);
			return 1;
		}
		printf("net: %s\n", why);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "show"))
		return net_show();
	return usage("net up | net show");
}

/* Prints @len bytes of received text as "fetch: " lines; a partial line waits in @line. */
static void fetch_lines(const char *buf, size_t len, char *line, size_t *fill, size_t cap)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n' && *fill < cap - 1) {
			if (buf[i] != '\r')
				line[(*fill)++] = buf[i];
			continue;
		}
		line[*fill] = '\0';
		printf("fetch: %s\n", line);
		*fill = 0;
		/* An over-long line goes out in pieces; the byte that did not fit starts the next. */
		if (buf[i] != '\n' && buf[i] != '\r')
			line[(*fill)++] = buf[i];
	}
}

int sh_fetch(int argc, char **argv)
{
	static const char hello[] = "hello from guest\n";
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char buf[1024], line[256];
	size_t fill = 0, total = 0;
	unsigned long port;
	char *end;
	ssize_t n;
	int fd;

	if (argc != 3)
		return usage("fetch HOST PORT (HOST an IPv4 address)");
	port = strtoul(argv[2], &end, 10);
	if (*end || !port || port > 65535 || inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1)
		return usage("fetch HOST PORT (HOST an IPv4 address)");
	sin.sin_port = htons(port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* The send timeout also bounds connect(2). */
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    !write_all(fd, hello, sizeof(hello) - 1)) {
		fprintf(stderr, "fetch: error: %s\n", strerror(errno == EINPROGRESS ? ETIMEDOUT : errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		total += n;
		fetch_lines(buf, n, line, &fill, sizeof(line));
	}
	if (fill) {
		line[fill] = '\0';
		printf("fetch: %s\n", line);
	}
	close(fd);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			fprintf(stderr, "fetch: error: no data for %d s (%zu bytes received)\n", IO_TIMEOUT_S,
			       total);
		else
			fprintf(stderr, "fetch: error: %s (%zu bytes received)\n", strerror(errno), total);
		return 1;
	}
	printf("fetch: closed, %zu bytes\n", total);
	return 0;
}

/* ---- rng ---- */

int sh_rng(int argc, char **argv)
{
	unsigned char bytes[RNG_MAX];
	char source[64] = "unknown", hex[2 * RNG_MAX + 1];
	unsigned long want = 16;
	size_t got = 0;
	char *end;
	int fd;

	if (argc > 2)
		return usage("rng [N] (N <= 64, default 16)");
	if (argc == 2) {
		want = strtoul(argv[1], &end, 10);
		if (*end || !want || want > RNG_MAX)
			return usage("rng [N] (N <= 64, default 16)");
	}
	read_line(RNG_CURRENT, source, sizeof(source));
	printf("rng: source %s\n", source);
	fd = open(RNG_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "rng: error: %s: %s\n", RNG_DEV, strerror(errno));
		return 1;
	}
	/* The device may hand out fewer bytes per read than asked. */
	while (got < want) {
		ssize_t n = read(fd, bytes + got, want - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "rng: error: %s: %s\n", RNG_DEV, n ? strerror(errno) : "end of file");
			close(fd);
			return 1;
		}
		got += n;
	}
	close(fd);
	for (size_t i = 0; i < got; i++)
		snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
	printf("rng: %s\n", hex);
	return 0;
}

/* ---- hvc: the virtio console port ---- */

/* Does /sys/class/tty/hvcN/device lead to a virtio device? */
static bool hvc_is_virtio(int n)
{
	char path[64], target[PATH_MAX];
	ssize_t len;

	snprintf(path, sizeof(path), "/sys/class/tty/hvc%d/device", n);
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return false;
	target[len] = '\0';
	return strstr(target, "virtio");
}

/* Is a virtio console device bound to its driver (its ports show in /sys/class/virtio-ports)? */
static bool have_virtio_console(void)
{
	DIR *dir = opendir("/sys/class/virtio-ports");
	struct dirent *de;
	bool found = false;

	if (!dir)
		return false;
	while (!found && (de = readdir(dir)))
		found = de->d_name[0] != '.';
	closedir(dir);
	return found;
}

static int open_hvc(int n, char *path, size_t len)
{
	snprintf(path, len, "/dev/hvc%d", n);
	return open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

/*
 * The tty of the virtio console port. hvc0 is the SBI console when the firmware has one, so
 * the virtio port is usually hvc1. The hvc driver names no parent device for either, so unless
 * sysfs does lead to virtio, the first hvc1..7 that opens (an absent one fails with ENODEV) is
 * taken, then hvc0 - once a virtio console port is known to exist.
 */
static int find_hvc(char *path, size_t len)
{
	int fd;

	for (int n = 0; n < HVC_MAX; n++)
		if (hvc_is_virtio(n) && (fd = open_hvc(n, path, len)) >= 0)
			return fd;
	if (!have_virtio_console()) {
		errno = ENODEV;
		return -1;
	}
	for (int n = 1; n <= HVC_MAX; n++)
		if ((fd = open_hvc(n % HVC_MAX, path, len)) >= 0)
			return fd;
	return -1;
}

/* Reads one line (without its end) from @fd into @line; false on timeout, error or EOF. */
static bool read_line_timeout(int fd, char *line, size_t cap, int timeout_s, const char **why)
{
	struct timespec start, now;
	size_t fill = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left, ret;
		char c;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_s * 1000 - (int)((now.tv_sec - start.tv_sec) * 1000 +
						(now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0) {
			*why = "timed out";
			return false;
		}
		ret = poll(&p, 1, left);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			*why = strerror(errno);
			return false;
		}
		if (!ret)
			continue;
		n = read(fd, &c, 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			*why = n ? strerror(errno) : "end of file";
			return false;
		}
		if (c == '\n' || fill == cap - 1) {
			line[fill] = '\0';
			return true;
		}
		if (c != '\r')
			line[fill++] = c;
	}
}

int sh_hvc(int argc, char **argv)
{
	static const char hello[] = "hvc: hello from the guest\n";
	char path[32], line[256], reply[300];
	struct termios tio;
	const char *why;
	int fd, len;

	(void)argv;
	if (argc != 1)
		return usage("hvc");
	fd = find_hvc(path, sizeof(path));
	if (fd < 0) {
		fprintf(stderr, "hvc: error: no virtio console port: %s\n", strerror(errno));
		return 1;
	}
	/* Raw: no echo of what the host sends, no newline translation either way. */
	if (!tcgetattr(fd, &tio)) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	printf("hvc: port %s\n", path);
	if (!write_all(fd, hello, sizeof(hello) - 1)) {
		fprintf(stderr, "hvc: error: write %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	if (!read_line_timeout(fd, line, sizeof(line), IO_TIMEOUT_S, &why)) {
		fprintf(stderr, "hvc: error: read %s: %s\n", path, why);
		close(fd);
		return 1;
	}
	printf("hvc: got %s\n", line);
	len = snprintf(reply, sizeof(reply), "pong: %s\n", line);
	if (!write_all(fd, reply, len)) {
		fprintf(stderr, "hvc: error: write %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	/* Let the reply leave before close(2) hangs up the port. */
	tcdrain(fd);
	close(fd);
	return 0;
}
