// SPDX-License-Identifier: GPL-2.0
/*
 * rpcorder: shows the order in which a Homa server receives requests that
 * were all started at once, to observe SRPT scheduling.
 *
 *   rpcorder server PORT N [POOL_BYTES HOLD_MS]
 *                              receive N requests; print "LENGTH" for each
 *                              in arrival order; answer each with 1 byte.
 *                              POOL_BYTES sizes the receive buffer region
 *                              (0: the smallest allowed); HOLD_MS keeps
 *                              each message's buffers that long before
 *                              the next recvmsg hands them back
 *   rpcorder client HOST PORT SIZE...
 *                              start one request per SIZE, in that order,
 *                              without waiting; then collect the responses
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "homa_lib.h"

static int fail(const char *what)
{
	fprintf(stderr, "rpcorder: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Wait up to 30 s for a message; -1 on error or timeout. */
static int recv_bounded(int fd, struct homa_msg *msg)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int i, n;

	for (i = 0; i < 300; i++) {
		n = homa_recv(fd, 0, MSG_DONTWAIT, msg);
		if (n >= 0 || errno != EAGAIN)
			return n;
		poll(&pfd, 1, 100);
	}
	errno = ETIMEDOUT;
	return -1;
}

static int server(int port, int count, size_t pool, int hold_ms)
{
	union homa_addr addr = { .in4 = { .sin_family = AF_INET } };
	struct homa_msg msg = { };
	struct homa_rcvbuf buf;
	int fd, i, n;
	char one = 1;

	fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_HOMA);
	if (fd < 0)
		return fail("socket");
	addr.in4.sin_port = htons(port);
	if (bind(fd, &addr.sa, sizeof(addr.in4)) < 0)
		return fail("bind");
	if (homa_rcvbuf_setup(fd, pool ? pool : homa_rcvbuf_min_length(),
			      &buf) < 0)
		return fail("SO_HOMA_RCVBUF");
	printf("ready\n");
	fflush(stdout);
	for (i = 0; i < count; i++) {
		n = recv_bounded(fd, &msg);
		if (n < 0)
			return fail("recvmsg");
		printf("%d\n", n);
		fflush(stdout);
		if (homa_send_response(fd, &msg.peer, msg.args.id, &one, 1) < 0)
			return fail("sendmsg (response)");
		usleep(hold_ms * 1000);
	}
	return 0;
}

static int client(const char *host, int port, int num, char **sizes)
{
	static char data[HOMA_MAX_MESSAGE_LENGTH];
	struct homa_msg msg = { };
	union homa_addr dest;
	struct homa_rcvbuf buf;
	uint64_t id;
	int fd, i;

	if (homa_parse_addr(host, port, &dest) < 0)
		return fail("address");
	fd = socket(dest.sa.sa_family, SOCK_DGRAM, IPPROTO_HOMA);
	if (fd < 0)
		return fail("socket");
	if (homa_rcvbuf_setup(fd, 64 << 20, &buf) < 0)
		return fail("SO_HOMA_RCVBUF");
	for (i = 0; i < num; i++) {
		size_t size = strtoul(sizes[i], NULL, 0);

		if (homa_send_request(fd, &dest, data, size, i, 0, &id) < 0)
			return fail("sendmsg");
	}
	for (i = 0; i < num; i++)
		if (recv_bounded(fd, &msg) < 0)
			return fail("recvmsg (response)");
	printf("all %d responses received\n", num);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "server") == 0)
		return server(atoi(argv[2]), atoi(argv[3]), 64 << 20, 0);
	if (argc == 6 && strcmp(argv[1], "server") == 0)
		return server(atoi(argv[2]), atoi(argv[3]),
			      strtoul(argv[4], NULL, 0), atoi(argv[5]));
	if (argc >= 5 && strcmp(argv[1], "client") == 0)
		return client(argv[2], atoi(argv[3]), argc - 4, argv + 4);
	fprintf(stderr, "usage: rpcorder server PORT N [POOL HOLD_MS]\n"
		"       rpcorder client HOST PORT SIZE...\n");
	return 2;
}
