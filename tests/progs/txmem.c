// SPDX-License-Identifier: GPL-2.0
/*
 * txmem: checks that a Homa socket's transmit memory is limited (the
 * namespace's wmem_max): once its outgoing messages fill it, a blocking
 * sendmsg waits until memory comes back and then succeeds; a
 * non-blocking one fails with EAGAIN, and poll reports POLLOUT again
 * later. Memory comes back when responses start to arrive.
 *
 *   txmem HOST PORT COUNT SIZE
 * The server at HOST:PORT must delay its responses (homa_smoke server
 * --delay-ms), so that requests pile up.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "homa_lib.h"

static union homa_addr dest;
static int fd;
static int count;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A request with sendmsg's MSG_DONTWAIT (homa_lib passes no flags). */
static int send_nonblocking(const void *data, size_t size)
{
	struct homa_sendmsg_args args = { };
	struct iovec iov = { .iov_base = (void *)data, .iov_len = size };
	struct msghdr hdr = {
		.msg_name = (void *)&dest,
		.msg_namelen = homa_addr_len(&dest),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = &args,
	};

	return sendmsg(fd, &hdr, MSG_DONTWAIT) < 0 ? -1 : 0;
}

static void die(const char *what)
{
	fprintf(stderr, "txmem: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Receive @n responses, failing after 30 s without one. */
static void *receiver(void *arg)
{
	struct homa_msg msg;
	struct timeval tv = { .tv_sec = 30 };
	long n = (long)arg, i;

	homa_msg_init(&msg);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		die("SO_RCVTIMEO");
	for (i = 0; i < n; i++)
		if (homa_recv(fd, 0, 0, &msg) < 0)
			die("recvmsg");
	return NULL;
}

int main(int argc, char **argv)
{
	static char data[HOMA_MAX_MESSAGE_LENGTH];
	struct pollfd pfd;
	struct homa_rcvbuf buf;
	double start, longest = 0;
	pthread_t thread;
	int i, eagain = 0, sent = 0;
	size_t size;
	uint64_t id;

	if (argc != 5) {
		fprintf(stderr, "usage: txmem HOST PORT COUNT SIZE\n");
		return 2;
	}
	if (homa_parse_addr(argv[1], atoi(argv[2]), &dest) < 0)
		die("address");
	count = atoi(argv[3]);
	size = strtoul(argv[4], NULL, 0);
	fd = socket(dest.sa.sa_family, SOCK_DGRAM, IPPROTO_HOMA);
	if (fd < 0 || homa_rcvbuf_setup(fd, HOMA_RCVBUF_DEFAULT_LENGTH,
					&buf) < 0)
		die("socket");
	if (pthread_create(&thread, NULL, receiver, (void *)(long)(2 * count)))
		die("pthread_create");

	/* Blocking: every send succeeds, some only after waiting. */
	for (i = 0; i < count; i++) {
		start = now_ms();
		if (homa_send_request(fd, &dest, data, size, i, 0, &id) < 0)
			die("blocking sendmsg");
		if (now_ms() - start > longest)
			longest = now_ms() - start;
	}
	printf("blocking: %d sends, longest took %.1f ms\n", count, longest);
	if (longest < 50) {
		fprintf(stderr, "txmem: no blocking send waited\n");
		return 1;
	}

	/* Non-blocking: EAGAIN when full, POLLOUT once memory is back. */
	pfd.fd = fd;
	pfd.events = POLLOUT;
	while (sent < count) {
		if (send_nonblocking(data, size) == 0) {
			sent++;
			continue;
		}
		if (errno != EAGAIN)
			die("non-blocking sendmsg");
		eagain++;
		if (poll(&pfd, 1, 0) != 0) {
			fprintf(stderr, "txmem: POLLOUT while sendmsg says EAGAIN\n");
			return 1;
		}
		if (poll(&pfd, 1, 30000) != 1 || !(pfd.revents & POLLOUT)) {
			fprintf(stderr, "txmem: no POLLOUT within 30 s\n");
			return 1;
		}
	}
	printf("non-blocking: %d sends, %d EAGAIN, each followed by POLLOUT\n",
	       sent, eagain);
	if (eagain == 0) {
		fprintf(stderr, "txmem: transmit memory never filled\n");
		return 1;
	}
	pthread_join(thread, NULL);
	printf("all %d responses received\n", 2 * count);
	return 0;
}
