// SPDX-License-Identifier: GPL-2.0
/*
 * homacap: print the Homa packets (IP protocol 146) that arrive on an
 * interface, one line each, for tests that check what went on the wire:
 *
 *   type=DATA tos=0xa0 src=10.0.0.1 len=10000 off=0 seg=0 payload=1424
 *   type=GRANT tos=0xe0 src=10.0.0.2 offset=41424 prio=0
 *
 * usage: homacap IFNAME SECONDS
 * Captures for SECONDS (or until killed), flushing each line.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char * const type_names[] = {
	"DATA", "GRANT", "RESEND", "RPC_UNKNOWN", "BUSY", "CUTOFFS",
	"FREEZE", "NEED_ACK", "ACK",
};

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
	unsigned char buf[70000];
	char src[INET6_ADDRSTRLEN];
	struct timespec start, now;
	struct pollfd pfd;
	int fd, seconds;
	ssize_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: homacap IFNAME SECONDS\n");
		return 2;
	}
	seconds = atoi(argv[2]);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	if (!sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror(argv[1]);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("capturing on %s\n", argv[1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= seconds)
			break;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			continue;
		if ((buf[0] >> 4) == 4 && n >= 20 && buf[9] == 146) {
			size_t ihl = (buf[0] & 0xf) * 4;

			inet_ntop(AF_INET, buf + 12, src, sizeof(src));
			print_homa(buf + ihl, n - ihl, buf[1], src);
		} else if ((buf[0] >> 4) == 6 && n >= 40 && buf[6] == 146) {
			unsigned int tclass = ((buf[0] & 0xf) << 4) |
					      (buf[1] >> 4);

			inet_ntop(AF_INET6, buf + 8, src, sizeof(src));
			print_homa(buf + 40, n - 40, tclass, src);
		}
	}
	return 0;
}
