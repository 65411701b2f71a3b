// SPDX-License-Identifier: GPL-2.0
/*
 * homacap: print the Homa packets (IP protocol 146) that arrive on an
 * interface, one line each, for tests that check what went on the wire:
 *
 *   type=DATA tos=0xa0 src=10.0.0.1 len=10000 off=0 seg=0 payload=1424
 *   type=GRANT tos=0xe0 src=10.0.0.2 offset=41424 prio=0
 *
 * usage: homacap [-w FILE] [-s SNAPLEN] IFNAME SECONDS
 * Captures for SECONDS, or until SIGTERM or SIGINT, flushing each line;
 * then prints "dropped N packets": those the kernel could not queue to
 * this program (its socket buffer was full).
 * With -w it also writes every Homa packet (IP header included) to FILE
 * in pcap format, link type LINKTYPE_RAW (101: the packet starts with
 * its IPv4 or IPv6 header), each record cut to SNAPLEN bytes (default
 * 65535) and flushed at once, so that the file is complete even if the
 * program is killed. tools/wireshark/homa.lua decodes such files.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char * const type_names[] = {
	"DATA", "GRANT", "RESEND", "RPC_UNKNOWN", "BUSY", "CUTOFFS",
	"FREEZE", "NEED_ACK", "ACK",
};

/* pcap file format: the file header, then a record header per packet. */
#define PCAP_MAGIC 0xa1b2c3d4	/* microsecond timestamps */
#define LINKTYPE_RAW 101

struct pcap_file_hdr {
	uint32_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_usec;
	uint32_t incl_len;
	uint32_t orig_len;
};

/* Open @path and write the pcap file header; NULL on error. */
static FILE *pcap_open(const char *path, uint32_t snaplen)
{
	struct pcap_file_hdr h = {
		.magic = PCAP_MAGIC,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = snaplen,
		.linktype = LINKTYPE_RAW,
	};
	FILE *f = fopen(path, "wb");

	if (!f)
		return NULL;
	if (fwrite(&h, sizeof(h), 1, f) != 1 || fflush(f) != 0) {
		fclose(f);
		return NULL;
	}
	return f;
}

/*
 * Append one packet of @len bytes, of which @have are in @pkt, cut to
 * @snaplen. Returns 0, or -1 on a write error.
 */
static int pcap_write(FILE *f, const unsigned char *pkt, size_t have,
		      size_t len, uint32_t snaplen)
{
	struct pcap_rec_hdr r;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (have > snaplen)
		have = snaplen;
	r.ts_sec = (uint32_t)ts.tv_sec;
	r.ts_usec = (uint32_t)(ts.tv_nsec / 1000);
	r.incl_len = (uint32_t)have;
	r.orig_len = (uint32_t)len;
	if (fwrite(&r, sizeof(r), 1, f) != 1 ||
	    fwrite(pkt, 1, have, f) != have || fflush(f) != 0)
		return -1;
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: homacap [-w FILE] [-s SNAPLEN] IFNAME SECONDS\n");
	return 2;
}

static uint32_t be32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Print one Homa header that follows an IP header with @tos from @src. */
static void print_homa(const unsigned char *h, size_t len, unsigned int tos,
		       const char *src)
{
	unsigned int type;

	if (len < 28)
		return;
	type = h[11];
	if (type < 0x10 || type > 0x18) {
		printf("type=0x%02x tos=0x%02x src=%s len=%zu\n", type, tos,
		       src, len);
		return;
	}
	printf("type=%s tos=0x%02x src=%s", type_names[type - 0x10], tos, src);
	if (type == 0x10 && len >= 56)
		printf(" len=%u off=%u seg=%u payload=%zu retransmit=%u",
		       be32_at(h + 28), be32_at(h + 4), be32_at(h + 52),
		       len - 56, h[48]);
	else if (type == 0x11 && len >= 33)
		printf(" offset=%u prio=%u", be32_at(h + 28), h[32]);
	else if (type == 0x12 && len >= 37)
		printf(" offset=%u length=%d prio=%u", be32_at(h + 28),
		       (int32_t)be32_at(h + 32), h[36]);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	static unsigned char buf[70000];
	char src[INET6_ADDRSTRLEN];
	const char *path = NULL;
	unsigned long snaplen = 65535;
	struct timespec start, now;
	struct tpacket_stats stats = { 0 };
	socklen_t stats_len = sizeof(stats);
	int rcvbuf = 32 << 20;
	struct pollfd pfd[2];
	sigset_t signals;
	FILE *pcap = NULL;
	int fd, seconds, opt, stopping = 0;
	size_t have;
	ssize_t n;
	char *end;

	while ((opt = getopt(argc, argv, "w:s:")) != -1) {
		switch (opt) {
		case 'w':
			path = optarg;
			break;
		case 's':
			snaplen = strtoul(optarg, &end, 10);
			if (*end || snaplen < 20 || snaplen > 262144)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 2)
		return usage();
	seconds = atoi(argv[optind + 1]);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(argv[optind]);
	if (!sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror(argv[optind]);
		return 1;
	}
	/* Room for long bursts: a lost packet would be a hole in the record. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* SIGTERM and SIGINT end the capture through the poll loop. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigprocmask(SIG_BLOCK, &signals, NULL);
	pfd[1].fd = signalfd(-1, &signals, 0);
	pfd[1].events = POLLIN;
	if (pfd[1].fd < 0) {
		perror("signalfd");
		return 1;
	}
	if (path) {
		pcap = pcap_open(path, snaplen);
		if (!pcap) {
			perror(path);
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("capturing on %s\n", argv[optind]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= seconds)
			break;
		/* After a signal, take what is queued already, then stop. */
		if (poll(pfd, stopping ? 1 : 2, stopping ? 0 : 100) <= 0) {
			if (stopping)
				break;
			continue;
		}
		if (!stopping && pfd[1].revents) {
			stopping = 1;
			continue;
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		/* MSG_TRUNC: the packet's real length, even if longer. */
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (n <= 0)
			continue;
		have = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf);
		if ((buf[0] >> 4) == 4 && have >= 20 && buf[9] == 146 &&
		    (buf[0] & 0xf) * 4U <= have) {
			size_t ihl = (buf[0] & 0xf) * 4;

			inet_ntop(AF_INET, buf + 12, src, sizeof(src));
			print_homa(buf + ihl, have - ihl, buf[1], src);
		} else if ((buf[0] >> 4) == 6 && have >= 40 && buf[6] == 146) {
			unsigned int tclass = ((buf[0] & 0xf) << 4) |
					      (buf[1] >> 4);

			inet_ntop(AF_INET6, buf + 8, src, sizeof(src));
			print_homa(buf + 40, have - 40, tclass, src);
		} else {
			continue;
		}
		if (pcap && pcap_write(pcap, buf, have, n, snaplen) < 0) {
			perror(path);
			return 1;
		}
	}
	if (pcap && fclose(pcap) != 0) {
		perror(path);
		return 1;
	}
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &stats, &stats_len);
	printf("dropped %u packets\n", stats.tp_drops);
	return 0;
}
