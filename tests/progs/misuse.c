// SPDX-License-Identifier: GPL-2.0
/*
 * misuse: checks that each misuse of the Homa socket API fails with the
 * errno that the API documents, leaves no RPC or memory behind, and that
 * no call copies out a byte it does not define.
 *
 *   misuse [SECTION...]
 *
 * Sections (default: all of them, in this order):
 *   sendmsg   argument checks of sendmsg, failed copies, shutdown
 *   response  sending responses: not awaited, cookie, vanished RPCs
 *   recvmsg   argument checks of recvmsg, giving back bpages, waiting
 *   sockopt   SO_HOMA_RCVBUF and SO_HOMA_SERVER, unknown options
 *   bind      what tests/progs/socktest.c does not cover
 *   ioctl     HOMAIOCINFO and HOMAIOCABORT arguments, error_msg
 *   abort     HOMAIOCABORT on outstanding RPCs
 *   bytes     structures copied out hold no undefined bytes
 *
 * Every section runs for IPv4 (127.0.0.1) and for IPv6 (::1) over the
 * loopback device of the current network namespace; the server sockets
 * are in this process. Each check prints "ok - WHAT" or
 * "not ok - WHAT: expected X, got Y". The exit status is 1 if a check
 * failed, 2 for a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "homa_lib.h"

/* Byte that fills structures before the kernel writes them. */
#define FILL 0xAA

/* Room for a homa_rpc_info array in HOMAIOCINFO calls. */
#define MAX_INFOS 64

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The kernel's "unknown ioctl" code, which must never reach users. */
#define ENOIOCTLCMD 515

static int num_passed;
static int num_failed;

/* Address family and name of the section running, for the reports. */
static int family;
static const char *section;

/* A page that faults on any access, and a read-only one. */
static char *bad_ptr;
static char *ro_page;

/* Server ports: each server socket gets a new one. */
static int next_port = 3000;

/* Message contents: byte i is (i * 7) & 0xff. */
static unsigned char payload[HOMA_MAX_MESSAGE_LENGTH + 1];

/**
 * struct endpoint - A socket with, optionally, a buffer region.
 */
struct endpoint {
	int fd;
	struct homa_rcvbuf buf;
	union homa_addr addr;	/* loopback address and the socket's port */
};

static const char *errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" },
		{ EPIPE, "EPIPE" }, { ERANGE, "ERANGE" },
		{ ENOTSOCK, "ENOTSOCK" }, { EMSGSIZE, "EMSGSIZE" },
		{ ENOPROTOOPT, "ENOPROTOOPT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ EAFNOSUPPORT, "EAFNOSUPPORT" }, { EADDRINUSE, "EADDRINUSE" },
		{ ENOBUFS, "ENOBUFS" }, { ENOTCONN, "ENOTCONN" },
		{ ESHUTDOWN, "ESHUTDOWN" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ EHOSTUNREACH, "EHOSTUNREACH" }, { ECANCELED, "ECANCELED" },
		{ ENOIOCTLCMD, "ENOIOCTLCMD" },
	};
	static char other[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (names[i].err == err)
			return names[i].name;
	}
	snprintf(other, sizeof(other), "errno %d", err);
	return other;
}

/* printf into one of a few rotating buffers, for report texts. */
static const char *__attribute__((format(printf, 1, 2)))
fmt(const char *format, ...)
{
	static char bufs[16][200];
	static unsigned int next;
	char *buf = bufs[next++ % 16];
	va_list ap;

	va_start(ap, format);
	vsnprintf(buf, sizeof(bufs[0]), format, ap);
	va_end(ap);
	return buf;
}

static void vreport(bool ok, const char *expected, const char *got,
		    const char *what, va_list ap)
{
	char text[300];

	vsnprintf(text, sizeof(text), what, ap);
	if (ok) {
		num_passed++;
		printf("ok - %s/%s: %s\n", section,
		       family == AF_INET ? "IPv4" : "IPv6", text);
	} else {
		num_failed++;
		printf("not ok - %s/%s: %s: expected %s, got %s\n", section,
		       family == AF_INET ? "IPv4" : "IPv6", text, expected, got);
	}
	fflush(stdout);
}

/*
 * check() - Report one check: @ok says whether it passed; @expected and
 * @got describe the failure. Returns @ok.
 */
static bool __attribute__((format(printf, 4, 5)))
check(bool ok, const char *expected, const char *got, const char *what, ...)
{
	va_list ap;

	va_start(ap, what);
	vreport(ok, expected, got, what, ap);
	va_end(ap);
	return ok;
}

/* What a system call returned, for reports; @err is its errno. */
static const char *outcome(long ret, int err)
{
	if (ret >= 0)
		return fmt("success (%ld)", ret);
	return fmt("%s (%s)", errno_name(err), strerror(err));
}

/*
 * want_err() - Check that a system call failed with errno @want. Pass
 * the call itself as @ret and nothing but plain values as the other
 * arguments, so that errno is still the call's.
 */
static bool __attribute__((format(printf, 3, 4)))
want_err(long ret, int want, const char *what, ...)
{
	int err = errno;
	va_list ap;
	bool ok;

	ok = ret == -1 && err == want;
	va_start(ap, what);
	vreport(ok, errno_name(want), outcome(ret, err), what, ap);
	va_end(ap);
	errno = err;
	return ok;
}

/* want_ok() - Check that a system call succeeded; see want_err(). */
static bool __attribute__((format(printf, 2, 3)))
want_ok(long ret, const char *what, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, what);
	vreport(ret >= 0, "success", outcome(ret, err), what, ap);
	va_end(ap);
	errno = err;
	return ret >= 0;
}

/* want_u64() - Check that a value is the one expected. */
static bool __attribute__((format(printf, 3, 4)))
want_u64(uint64_t got, uint64_t expected, const char *what, ...)
{
	va_list ap;

	va_start(ap, what);
	vreport(got == expected, fmt("%llu", (unsigned long long)expected),
		fmt("%llu", (unsigned long long)got), what, ap);
	va_end(ap);
	return got == expected;
}

/* A step that later checks depend on failed: report it, return false. */
static bool __attribute__((format(printf, 1, 2)))
setup_failed(const char *what, ...)
{
	int err = errno;
	char text[200];
	va_list ap;

	va_start(ap, what);
	vsnprintf(text, sizeof(text), what, ap);
	va_end(ap);
	num_failed++;
	printf("not ok - %s/%s: setup: %s: %s (%s); skipping what depends on it\n",
	       section, family == AF_INET ? "IPv4" : "IPv6", text,
	       errno_name(err), strerror(err));
	fflush(stdout);
	return false;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Offset of the first byte of @p[@from..@to) that is not @value, or -1. */
static long first_not(const void *p, size_t from, size_t to, int value)
{
	const unsigned char *b = p;
	size_t i;

	for (i = from; i < to; i++) {
		if (b[i] != (unsigned char)value)
			return (long)i;
	}
	return -1;
}

/* The byte at an offset found by first_not(), for reports. */
static const char *byte_at(const void *p, long off)
{
	return fmt("byte %ld = 0x%02x", off, ((const unsigned char *)p)[off]);
}

static const char *loopback_text(void)
{
	return family == AF_INET ? "127.0.0.1" : "::1";
}

/* An address of the other family than the section's, with a port. */
static void other_family_addr(union homa_addr *addr, int port)
{
	homa_parse_addr(family == AF_INET ? "::1" : "127.0.0.1", port, addr);
}

static int set_rcvtimeo(int fd, long ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };

	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/*
 * ep_open() - Open a socket of the section's family: a server (bound to
 * a new port) or a client, with a buffer region or without. Blocking
 * receives on it give up after 5 s. Returns false (reported) on failure.
 */
static bool ep_open(struct endpoint *ep, bool server, bool with_buf)
{
	union homa_addr bound;
	socklen_t len = sizeof(bound);

	memset(ep, 0, sizeof(*ep));
	ep->fd = socket(family, SOCK_DGRAM, IPPROTO_HOMA);
	if (ep->fd < 0)
		return setup_failed("socket");
	if (set_rcvtimeo(ep->fd, 5000) != 0)
		return setup_failed("SO_RCVTIMEO");
	if (server) {
		homa_parse_addr(loopback_text(), next_port, &bound);
		if (bind(ep->fd, &bound.sa, homa_addr_len(&bound)) != 0)
			return setup_failed("bind to port %d", next_port);
		next_port++;
	}
	if (with_buf &&
	    homa_rcvbuf_setup(ep->fd, HOMA_RCVBUF_DEFAULT_LENGTH, &ep->buf))
		return setup_failed("SO_HOMA_RCVBUF");
	if (getsockname(ep->fd, &bound.sa, &len) != 0)
		return setup_failed("getsockname");
	homa_parse_addr(loopback_text(), homa_addr_port(&bound), &ep->addr);
	return true;
}

static void ep_close(struct endpoint *ep)
{
	if (ep->fd >= 0)
		close(ep->fd);
	ep->fd = -1;
	homa_rcvbuf_free(&ep->buf);
}

/* sendmsg with every part chosen by the caller. */
static long send_raw(int fd, const void *name, socklen_t namelen,
		     const void *data, size_t length, void *control,
		     size_t controllen, int flags)
{
	struct iovec iov;
	struct msghdr hdr;

	iov.iov_base = (void *)data;
	iov.iov_len = length;
	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_name = (void *)name;
	hdr.msg_namelen = namelen;
	hdr.msg_iov = &iov;
	hdr.msg_iovlen = 1;
	hdr.msg_control = control;
	hdr.msg_controllen = controllen;
	return sendmsg(fd, &hdr, flags);
}

/* sendmsg of @length bytes to @dest with @args, the usual way. */
static long send_args(int fd, const union homa_addr *dest, const void *data,
		      size_t length, struct homa_sendmsg_args *args, int flags)
{
	return send_raw(fd, dest, homa_addr_len(dest), data, length, args, 0,
			flags);
}

/* Send the response of server RPC @id (cookie 0). */
static long respond(int fd, const union homa_addr *client, uint64_t id,
		    const void *data, size_t length)
{
	struct homa_sendmsg_args args;

	memset(&args, 0, sizeof(args));
	args.id = id;
	return send_args(fd, client, data, length, &args, 0);
}

/* recvmsg with every part chosen by the caller; *@namelen is in/out. */
static long recv_raw(int fd, void *control, size_t controllen, void *name,
		     socklen_t *namelen, int flags)
{
	struct msghdr hdr;
	long ret;

	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_name = name;
	hdr.msg_namelen = namelen ? *namelen : 0;
	hdr.msg_control = control;
	hdr.msg_controllen = controllen;
	ret = recvmsg(fd, &hdr, flags);
	if (namelen)
		*namelen = hdr.msg_namelen;
	return ret;
}

static long recv_args(int fd, struct homa_recvmsg_args *args, int flags)
{
	return recv_raw(fd, args, sizeof(*args), NULL, NULL, flags);
}

/* Receive a message for RPC @id (0: any), giving back nothing. */
static long recv_id(int fd, struct homa_recvmsg_args *args, uint64_t id,
		    int flags)
{
	memset(args, 0, sizeof(*args));
	args->id = id;
	return recv_args(fd, args, flags);
}

/* Start a request of @length bytes; returns its id, 0 (reported) on error. */
static uint64_t request(const struct endpoint *c, const struct endpoint *s,
			size_t length, uint64_t cookie, int flags)
{
	uint64_t id = 0;

	if (homa_send_request(c->fd, &s->addr, payload, length, cookie, flags,
			      &id) != 0) {
		setup_failed("request of %zu bytes", length);
		return 0;
	}
	return id;
}

static int abort_rpcs(int fd, uint64_t id, uint32_t error)
{
	struct homa_abort_args args;

	memset(&args, 0, sizeof(args));
	args.id = id;
	args.error = error;
	return ioctl(fd, HOMAIOCABORT, &args);
}

/* HOMAIOCINFO with room for @max entries at @rpcs (may be NULL). */
static int get_info(int fd, struct homa_info *info, struct homa_rpc_info *rpcs,
		    size_t max)
{
	memset(info, 0, sizeof(*info));
	info->rpc_info = (uintptr_t)rpcs;
	info->rpc_info_length = max * sizeof(*rpcs);
	return ioctl(fd, HOMAIOCINFO, info);
}

/* RPCs on a socket, -1 if HOMAIOCINFO fails. */
static long num_rpcs(int fd)
{
	struct homa_info info;

	if (get_info(fd, &info, NULL, 0) != 0)
		return -1;
	return info.num_rpcs;
}

/* Whether RPC @id is on socket @fd; -1 if HOMAIOCINFO fails. */
static int has_rpc(int fd, uint64_t id)
{
	static struct homa_rpc_info rpcs[MAX_INFOS];
	struct homa_info info;
	uint32_t i;

	if (get_info(fd, &info, rpcs, MAX_INFOS) != 0)
		return -1;
	for (i = 0; i < info.num_rpcs && i < MAX_INFOS; i++) {
		if (rpcs[i].id == id)
			return 1;
	}
	return 0;
}

/*
 * wait_ready() - Wait up to 5 s until socket @fd has @n complete
 * incoming messages that no recvmsg took yet. With @ids, store the ids of
 * the first @n there. Returns false (reported) if they never came.
 */
static bool wait_ready(int fd, uint32_t n, uint64_t *ids)
{
	static struct homa_rpc_info rpcs[MAX_INFOS];
	uint64_t end = now_ms() + 5000;
	struct homa_info info;
	uint32_t i, ready;

	do {
		if (get_info(fd, &info, rpcs, MAX_INFOS) != 0)
			return setup_failed("HOMAIOCINFO");
		ready = 0;
		for (i = 0; i < info.num_rpcs && i < MAX_INFOS; i++) {
			if (!(rpcs[i].flags & HOMA_RPC_RX_READY))
				continue;
			if (ids && ready < n)
				ids[ready] = rpcs[i].id;
			ready++;
		}
		if (ready >= n)
			return true;
		sleep_ms(10);
	} while (now_ms() < end);
	errno = ETIMEDOUT;
	return setup_failed("%u requests never arrived complete (%u did)", n,
			    ready);
}

/* ------------------------------------------------------------------ */

/*
 * The leak check of test_sendmsg(): that many failed 1 MB sends must not
 * use up the socket's transmit memory. Twice the limit, if known.
 */
static int leak_iterations(void)
{
	FILE *f = fopen("/proc/sys/net/homa/wmem_max", "r");
	long wmem = 100000000;
	long n;

	if (f) {
		if (fscanf(f, "%ld", &wmem) != 1)
			wmem = 100000000;
		fclose(f);
	}
	n = 2 * (wmem / HOMA_MAX_MESSAGE_LENGTH) + 2;
	return n > 1000 ? 1000 : (int)n;
}

static void test_sendmsg(void)
{
	struct homa_sendmsg_args args, *ro_args;
	struct endpoint s = { .fd = -1 }, c = { .fd = -1 };
	union homa_addr other;
	const unsigned char *partial;
	long before, ret = 0;
	socklen_t dlen;
	char text[32];
	int i, n, err;

	if (!ep_open(&s, true, true) || !ep_open(&c, false, false))
		goto out;
	dlen = homa_addr_len(&s.addr);

	memset(&args, 0, sizeof(args));
	if (want_ok(send_args(c.fd, &s.addr, payload, 100, &args, 0),
		    "valid request of 100 bytes"))
		check(args.id != 0 && !(args.id & 1), "an even id",
		      fmt("%llu", (unsigned long long)args.id),
		      "valid request gets a new even id");

	memset(&args, 0, sizeof(args));
	want_err(send_args(c.fd, &s.addr, payload, 0, &args, 0), EINVAL,
		 "message of length 0 -> EINVAL");
	want_err(send_args(c.fd, &s.addr, payload, HOMA_MAX_MESSAGE_LENGTH + 1,
			   &args, 0), EINVAL,
		 "message of HOMA_MAX_MESSAGE_LENGTH + 1 bytes -> EINVAL");
	args.reserved = 1;
	want_err(send_args(c.fd, &s.addr, payload, 100, &args, 0), EINVAL,
		 "homa_sendmsg_args.reserved = 1 -> EINVAL");
	args.reserved = 0x80000000;
	want_err(send_args(c.fd, &s.addr, payload, 100, &args, 0), EINVAL,
		 "homa_sendmsg_args.reserved = 0x80000000 -> EINVAL");
	args.reserved = 0;
	args.flags = 2;
	want_err(send_args(c.fd, &s.addr, payload, 100, &args, 0), EINVAL,
		 "unknown flag 0x2 -> EINVAL");
	args.flags = 0x80000000;
	want_err(send_args(c.fd, &s.addr, payload, 100, &args, 0), EINVAL,
		 "unknown flag 0x80000000 -> EINVAL");
	args.flags = 0;

	want_err(send_raw(c.fd, &s.addr, dlen, payload, 100, NULL, 0, 0),
		 EINVAL, "msg_control NULL -> EINVAL");
	want_err(send_raw(c.fd, &s.addr, dlen, payload, 100, &args,
			  sizeof(args), 0), EINVAL,
		 "msg_controllen = sizeof(homa_sendmsg_args) -> EINVAL");
	want_err(send_raw(c.fd, &s.addr, dlen, payload, 100, bad_ptr, 0, 0),
		 EFAULT, "msg_control points to unmapped memory -> EFAULT");

	want_err(send_raw(c.fd, NULL, dlen, payload, 100, &args, 0, 0), EINVAL,
		 "msg_name NULL -> EINVAL");
	want_err(send_raw(c.fd, &s.addr, dlen - 1, payload, 100, &args, 0, 0),
		 EINVAL, "msg_namelen one byte short (%u) -> EINVAL",
		 (unsigned int)dlen - 1);
	want_err(send_raw(c.fd, &s.addr, 1, payload, 100, &args, 0, 0),
		 EINVAL, "msg_namelen 1 -> EINVAL");
	other_family_addr(&other, homa_addr_port(&s.addr));
	want_err(send_args(c.fd, &other, payload, 100, &args, 0), EAFNOSUPPORT,
		 "destination of the other address family -> EAFNOSUPPORT");
	memcpy(&other, &s.addr, sizeof(other));
	other.sa.sa_family = AF_UNSPEC;
	want_err(send_raw(c.fd, &other, dlen, payload, 100, &args, 0, 0),
		 EAFNOSUPPORT, "destination of family AF_UNSPEC -> EAFNOSUPPORT");
	homa_parse_addr(loopback_text(), 0, &other);
	want_err(send_args(c.fd, &other, payload, 100, &args, 0), EINVAL,
		 "destination port 0 -> EINVAL");
	args.id = 2;
	want_err(send_args(c.fd, &s.addr, payload, 100, &args, 0), EINVAL,
		 "response with an even (client) id -> EINVAL");
	args.id = 0;

	/* Failed copies: the RPC must not stay behind. */
	before = num_rpcs(c.fd);
	want_err(send_args(c.fd, &s.addr, bad_ptr, 100, &args, 0), EFAULT,
		 "message data in unmapped memory -> EFAULT");
	want_u64(num_rpcs(c.fd), before,
		 "RPCs on the socket after the EFAULT (no RPC left behind)");

	ro_args = (struct homa_sendmsg_args *)ro_page;
	want_err(send_args(c.fd, &s.addr, payload, 100, ro_args, 0), EFAULT,
		 "homa_sendmsg_args in read-only memory (new id cannot be written) -> EFAULT");
	want_u64(num_rpcs(c.fd), before,
		 "RPCs on the socket after that EFAULT (no RPC left behind)");

	/* The last 100 bytes of a 1 MB message lie in bad_ptr's page. */
	partial = (const unsigned char *)bad_ptr - (HOMA_MAX_MESSAGE_LENGTH -
						     100);
	n = leak_iterations();
	for (i = 0; i < n; i++) {
		ret = send_args(c.fd, &s.addr, partial,
				HOMA_MAX_MESSAGE_LENGTH, &args, MSG_DONTWAIT);
		if (ret != -1 || errno != EFAULT)
			break;
	}
	err = errno;
	snprintf(text, sizeof(text), i < n ? " (send %d)" : "", i + 1);
	errno = err;
	want_err(ret, EFAULT,
		 "%d sends of 1 MB whose last 100 bytes are unmapped -> EFAULT each%s",
		 n, text);
	want_u64(num_rpcs(c.fd), before,
		 "RPCs on the socket after %d failed 1 MB sends", n);
	memset(&args, 0, sizeof(args));
	want_ok(send_args(c.fd, &s.addr, payload, HOMA_MAX_MESSAGE_LENGTH,
			  &args, MSG_DONTWAIT),
		"MSG_DONTWAIT request of 1 MB after them (no transmit memory leaked)");

	if (want_ok(shutdown(c.fd, SHUT_RDWR), "shutdown")) {
		memset(&args, 0, sizeof(args));
		want_err(send_args(c.fd, &s.addr, payload, 100, &args, 0),
			 ESHUTDOWN, "request after shutdown -> ESHUTDOWN");
	}
out:
	ep_close(&c);
	ep_close(&s);
}

/* ------------------------------------------------------------------ */

/*
 * want_no_rpc_made() - Check that a response to RPC @id, which server
 * socket @fd did not have, made none: @id is still absent and the socket
 * holds at most the @before RPCs it had (fewer is fine: the client's ack
 * may end an answered RPC at any moment).
 */
static void want_no_rpc_made(int fd, uint64_t id, long before)
{
	int present = has_rpc(fd, id);
	long now = num_rpcs(fd);

	check(present == 0 && now >= 0 && now <= before,
	      fmt("at most %ld RPCs, none with id %llu", before,
		  (unsigned long long)id),
	      fmt("%ld RPCs, id %llu %s", now, (unsigned long long)id,
		  present == 1 ? "present" : "absent"),
	      "server RPCs after it (the response did nothing)");
}

static void test_response(void)
{
	struct homa_recvmsg_args rargs, cargs;
	struct homa_sendmsg_args args;
	union homa_addr client;
	struct endpoint s = { .fd = -1 }, c = { .fd = -1 };
	socklen_t nlen;
	uint64_t id, sid, id2, end;
	long before;
	int present;

	if (!ep_open(&s, true, true) || !ep_open(&c, false, true))
		goto out;

	id = request(&c, &s, 100, 11, 0);
	if (!id || !wait_ready(s.fd, 1, &sid))
		goto out;
	want_err(respond(s.fd, &c.addr, sid, payload, 10), EINVAL,
		 "response to a request not yet received by recvmsg (not awaiting a response) -> EINVAL");

	memset(&rargs, 0, sizeof(rargs));
	nlen = sizeof(client);
	if (recv_raw(s.fd, &rargs, sizeof(rargs), &client, &nlen, 0) != 100) {
		setup_failed("server recvmsg of the request");
		goto out;
	}
	want_u64(rargs.id, sid, "server recvmsg returns the RPC HOMAIOCINFO listed");

	memset(&args, 0, sizeof(args));
	args.id = sid;
	args.completion_cookie = 7;
	want_err(send_args(s.fd, &client, payload, 10, &args, 0), EINVAL,
		 "response with completion_cookie 7 -> EINVAL");
	want_ok(respond(s.fd, &client, sid, payload, 10),
		"response after that, with cookie 0");
	want_err(respond(s.fd, &client, sid, payload, 10), EINVAL,
		 "second response to the same request -> EINVAL");

	if (want_u64(recv_id(c.fd, &cargs, 0, 0), 10,
		     "client receives the 10-byte response")) {
		want_u64(cargs.id, id, "response's id is the request's");
		want_u64(cargs.completion_cookie, 11,
			 "response's completion_cookie");
	}

	before = num_rpcs(s.fd);
	want_ok(respond(s.fd, &client, 0x123456789abcdef1ULL, payload, 10),
		"response to an RPC that never existed succeeds");
	want_no_rpc_made(s.fd, 0x123456789abcdef1ULL, before);

	/*
	 * The next request carries the client's ack of the first RPC, which
	 * ends it on the server.
	 */
	id2 = request(&c, &s, 100, 12, 0);
	if (!id2 || recv_id(s.fd, &rargs, 0, 0) != 100) {
		setup_failed("second request");
		goto out;
	}
	end = now_ms() + 5000;
	while ((present = has_rpc(s.fd, sid)) == 1 && now_ms() < end)
		sleep_ms(20);
	if (check(present == 0, "gone", fmt("%d", present),
		  "server RPC %llu gone within 5 s of the client's ack",
		  (unsigned long long)sid)) {
		before = num_rpcs(s.fd);
		want_ok(respond(s.fd, &client, sid, payload, 10),
			"response to an RPC that no longer exists (answered and acked) succeeds");
		want_no_rpc_made(s.fd, sid, before);
		want_err(recv_id(c.fd, &cargs, 0, MSG_DONTWAIT), EAGAIN,
			 "client gets nothing from it (MSG_DONTWAIT -> EAGAIN)");
	}
	want_ok(respond(s.fd, &client, rargs.id, payload, 10),
		"response to the second request");
	want_u64(recv_id(c.fd, &cargs, 0, 0), 10,
		 "client receives the second response");

	/* A response whose data cannot be read. */
	if (!request(&c, &s, 100, 13, 0) || recv_id(s.fd, &rargs, 0, 0) != 100) {
		setup_failed("third request");
		goto out;
	}
	want_err(respond(s.fd, &client, rargs.id, bad_ptr, 10), EFAULT,
		 "response data in unmapped memory -> EFAULT");
	want_ok(respond(s.fd, &client, rargs.id, payload, 10),
		"response again after the EFAULT (sent, or RPC gone) succeeds");
	check(num_rpcs(s.fd) <= 1, "at most 1",
	      fmt("%ld", num_rpcs(s.fd)),
	      "server RPCs after the failed response");

	/* Shut down with a request in service. */
	if (!request(&c, &s, 100, 14, 0) || recv_id(s.fd, &rargs, 0, 0) != 100) {
		setup_failed("fourth request");
		goto out;
	}
	if (want_ok(shutdown(s.fd, SHUT_RDWR), "server shutdown"))
		want_err(respond(s.fd, &client, rargs.id, payload, 10),
			 ESHUTDOWN, "response after shutdown -> ESHUTDOWN");
out:
	ep_close(&c);
	ep_close(&s);
}

/* ------------------------------------------------------------------ */

/* Check that recvmsg left its homa_recvmsg_args as they were. */
static void check_unchanged(const struct homa_recvmsg_args *args,
			    const struct homa_recvmsg_args *before,
			    const char *what)
{
	const unsigned char *a = (const void *)args;
	const unsigned char *b = (const void *)before;
	size_t off;

	for (off = 0; off < sizeof(*args); off++) {
		if (a[off] != b[off])
			break;
	}
	check(off == sizeof(*args), "unchanged",
	      off == sizeof(*args) ? "" :
	      fmt("byte %zu changed from 0x%02x to 0x%02x", off, b[off],
		  a[off]),
	      "%s: homa_recvmsg_args unchanged after the EINVAL", what);
}

/*
 * Give back bpages with recvmsg(MSG_DONTWAIT) on a socket that has no
 * message ready, and check that the kernel refused them (@bad) with
 * EINVAL and left the struct as it was, or took them (EAGAIN: nothing
 * to receive).
 */
static void give_back(int fd, uint32_t num, const uint32_t *offsets,
		      bool bad, const char *what)
{
	struct homa_recvmsg_args args, before;

	memset(&args, FILL, sizeof(args));
	args.id = 0;
	args.reserved = 0;
	args.num_bpages = num;
	memcpy(args.bpage_offsets, offsets, num * sizeof(*offsets));
	memcpy(&before, &args, sizeof(args));
	if (!bad) {
		if (want_err(recv_args(fd, &args, MSG_DONTWAIT), EAGAIN,
			     "%s: accepted (then EAGAIN, nothing to receive)",
			     what))
			want_u64(args.num_bpages, 0,
				 "%s: num_bpages after", what);
		return;
	}
	want_err(recv_args(fd, &args, MSG_DONTWAIT), EINVAL, "%s -> EINVAL",
		 what);
	check_unchanged(&args, &before, what);
}

/* Receive one message on @s, keeping its bpages; returns its length. */
static long recv_keep(const struct endpoint *s, struct homa_recvmsg_args *a)
{
	return recv_id(s->fd, a, 0, 0);
}

static void test_recvmsg(void)
{
	struct homa_recvmsg_args args, before;
	struct endpoint s = { .fd = -1 }, c = { .fd = -1 };
	struct endpoint nobuf = { .fd = -1 }, s2 = { .fd = -1 };
	uint32_t offs[2], last_page;
	uint64_t start, elapsed;
	int flags;
	long ret;

	if (!ep_open(&s, true, true) || !ep_open(&c, false, false))
		goto out;

	memset(&args, 0, sizeof(args));
	want_err(recv_raw(s.fd, &args, 0, NULL, NULL, MSG_DONTWAIT), EINVAL,
		 "msg_controllen 0 -> EINVAL");
	want_err(recv_raw(s.fd, &args, sizeof(args) - 1, NULL, NULL,
			  MSG_DONTWAIT), EINVAL,
		 "msg_controllen sizeof(homa_recvmsg_args) - 1 -> EINVAL");
	want_err(recv_raw(s.fd, &args, sizeof(args) + 1, NULL, NULL,
			  MSG_DONTWAIT), EINVAL,
		 "msg_controllen sizeof(homa_recvmsg_args) + 1 -> EINVAL");
	want_err(recv_raw(s.fd, NULL, sizeof(args), NULL, NULL, MSG_DONTWAIT),
		 EFAULT, "msg_control NULL -> EFAULT");
	want_err(recv_raw(s.fd, bad_ptr, sizeof(args), NULL, NULL,
			  MSG_DONTWAIT), EFAULT,
		 "msg_control points to unmapped memory -> EFAULT");

	memset(&args, 0, sizeof(args));
	args.reserved = 1;
	memcpy(&before, &args, sizeof(args));
	want_err(recv_args(s.fd, &args, MSG_DONTWAIT), EINVAL,
		 "homa_recvmsg_args.reserved = 1 -> EINVAL");
	check_unchanged(&args, &before, "reserved = 1");
	memset(&args, 0, sizeof(args));
	args.num_bpages = HOMA_MAX_BPAGES + 1;
	memcpy(&before, &args, sizeof(args));
	want_err(recv_args(s.fd, &args, MSG_DONTWAIT), EINVAL,
		 "num_bpages HOMA_MAX_BPAGES + 1 -> EINVAL");
	check_unchanged(&args, &before, "num_bpages 17");

	offs[0] = 0;
	give_back(s.fd, 1, offs, true, "giving back bpage 0, never used");
	offs[0] = s.buf.length;
	give_back(s.fd, 1, offs, true,
		  "giving back offset = region length (out of range)");
	offs[0] = 0xffffffff;
	give_back(s.fd, 1, offs, true, "giving back offset 0xffffffff");
	if (ep_open(&nobuf, false, false)) {
		offs[0] = 0;
		give_back(nobuf.fd, 1, offs, true,
			  "giving back a bpage on a socket without buffer region");
	}

	ret = recv_id(s.fd, &args, 0, MSG_DONTWAIT);
	if (want_err(ret, EAGAIN, "MSG_DONTWAIT, nothing ready -> EAGAIN")) {
		want_u64(args.id, 0, "id after that EAGAIN");
		want_u64(args.completion_cookie, 0, "cookie after that EAGAIN");
		want_u64(args.num_bpages, 0, "num_bpages after that EAGAIN");
	}
	flags = fcntl(s.fd, F_GETFL);
	if (fcntl(s.fd, F_SETFL, flags | O_NONBLOCK) == 0) {
		want_err(recv_id(s.fd, &args, 0, 0), EAGAIN,
			 "O_NONBLOCK, nothing ready -> EAGAIN");
		fcntl(s.fd, F_SETFL, flags);
	}
	if (set_rcvtimeo(s.fd, 200) == 0) {
		start = now_ms();
		ret = recv_id(s.fd, &args, 0, 0);
		elapsed = now_ms() - start;
		if (want_err(ret, EAGAIN, "SO_RCVTIMEO 200 ms expires -> EAGAIN"))
			want_u64(args.id, 0, "id after the timeout");
		/* Loose bounds: the emulated guest's timer ticks drift
		 * against CLOCK_MONOTONIC; what matters is that it waited.
		 */
		check(elapsed >= 100 && elapsed < 3000, "100..3000 ms",
		      fmt("%llu ms", (unsigned long long)elapsed),
		      "time until SO_RCVTIMEO 200 ms expired");
		set_rcvtimeo(s.fd, 5000);
	}
	ret = recv_id(s.fd, &args, 1ULL << 40, MSG_DONTWAIT);
	if (want_err(ret, EINVAL, "id of an unknown client RPC -> EINVAL"))
		want_u64(args.id, 0, "id after that EINVAL (no RPC involved)");
	want_err(recv_id(s.fd, &args, 12345, MSG_DONTWAIT), EINVAL,
		 "odd id (a server RPC) -> EINVAL");

	/* A message filling exactly one whole bpage. */
	if (!request(&c, &s, HOMA_BPAGE_SIZE, 0, 0))
		goto out;
	ret = recv_keep(&s, &args);
	if (!want_u64(ret, HOMA_BPAGE_SIZE, "receive a 64 KiB message") ||
	    !want_u64(args.num_bpages, 1, "bpages of a 64 KiB message"))
		goto out;
	last_page = (s.buf.length / HOMA_BPAGE_SIZE - 1) * HOMA_BPAGE_SIZE;
	offs[0] = args.bpage_offsets[0];
	offs[1] = last_page;
	give_back(s.fd, 2, offs, true,
		  "giving back a bpage in use and one never used");
	give_back(s.fd, 1, offs, false,
		  "giving back the bpage in use (must still be in use after the EINVAL)");
	give_back(s.fd, 1, offs, true,
		  "giving back that whole bpage a second time");

	if (!request(&c, &s, HOMA_BPAGE_SIZE, 0, 0))
		goto out;
	ret = recv_keep(&s, &args);
	if (want_u64(ret, HOMA_BPAGE_SIZE, "receive another 64 KiB message")) {
		offs[0] = args.bpage_offsets[0];
		offs[1] = args.bpage_offsets[0];
		give_back(s.fd, 2, offs, true,
			  "giving back one whole bpage twice in one call");
	}

	/* A small message: its chunk shares a bpage with the CPU's. */
	if (!ep_open(&s2, true, true) || !request(&c, &s2, 100, 0, 0))
		goto out;
	ret = recv_keep(&s2, &args);
	if (want_u64(ret, 100, "receive a 100-byte message")) {
		offs[0] = args.bpage_offsets[0];
		give_back(s2.fd, 1, offs, false,
			  "giving back the 100-byte message's chunk");
		give_back(s2.fd, 1, offs, true,
			  "giving back that small chunk a second time");
	}

	if (want_ok(shutdown(s.fd, SHUT_RDWR), "shutdown")) {
		ret = recv_id(s.fd, &args, 0, 0);
		if (want_err(ret, ESHUTDOWN, "recvmsg after shutdown -> ESHUTDOWN"))
			want_u64(args.id, 0, "id after that ESHUTDOWN");
	}
out:
	ep_close(&s2);
	ep_close(&nobuf);
	ep_close(&c);
	ep_close(&s);
}

/* ------------------------------------------------------------------ */

static void test_sockopt(void)
{
	size_t min = homa_rcvbuf_min_length(), page = sysconf(_SC_PAGESIZE);
	size_t map_len = min + 2 * page;
	struct homa_rcvbuf_args rb, got;
	char *region = MAP_FAILED;
	char *huge = MAP_FAILED;
	const size_t four_gib = 1ULL << 32;
	socklen_t len;
	int fd = -1, fd2 = -1, val;

	fd = socket(family, SOCK_DGRAM, IPPROTO_HOMA);
	if (fd < 0) {
		setup_failed("socket");
		goto out;
	}
	region = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		setup_failed("mmap");
		goto out;
	}

	memset(&got, FILL, sizeof(got));
	len = sizeof(got);
	if (want_ok(getsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &got, &len),
		    "getsockopt SO_HOMA_RCVBUF before any region"))
		check(got.start == 0 && got.length == 0 && len == sizeof(got),
		      "start 0, length 0, optlen 16",
		      fmt("start %#llx, length %llu, optlen %u",
			  (unsigned long long)got.start,
			  (unsigned long long)got.length, len),
		      "SO_HOMA_RCVBUF before any region");

	rb.start = (uintptr_t)region + 1;
	rb.length = min;
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, sizeof(rb)),
		 EINVAL, "SO_HOMA_RCVBUF start not page-aligned -> EINVAL");
	rb.start = (uintptr_t)region + page / 2;
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, sizeof(rb)),
		 EINVAL, "SO_HOMA_RCVBUF start half a page in -> EINVAL");
	rb.start = 0;
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, sizeof(rb)),
		 EINVAL, "SO_HOMA_RCVBUF start 0 -> EINVAL");
	rb.start = (uintptr_t)region;
	rb.length = min - page;
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, sizeof(rb)),
		 EINVAL,
		 "SO_HOMA_RCVBUF length one page below CPUs x 64 KiB + 2 MB (%zu) -> EINVAL",
		 min);
	rb.length = 0;
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, sizeof(rb)),
		 EINVAL, "SO_HOMA_RCVBUF length 0 -> EINVAL");
	rb.length = four_gib + HOMA_BPAGE_SIZE;
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, sizeof(rb)),
		 EINVAL, "SO_HOMA_RCVBUF length 4 GiB + 64 KiB -> EINVAL");
	rb.length = ~0ULL & ~(uint64_t)(page - 1);
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, sizeof(rb)),
		 EINVAL, "SO_HOMA_RCVBUF length 2^64 - 1 page -> EINVAL");
	rb.length = min;
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb,
			    sizeof(rb) - 1), EINVAL,
		 "SO_HOMA_RCVBUF optlen 15 -> EINVAL");
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb,
			    sizeof(rb) + 1), EINVAL,
		 "SO_HOMA_RCVBUF optlen 17 -> EINVAL");
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, bad_ptr,
			    sizeof(rb)), EFAULT,
		 "SO_HOMA_RCVBUF optval unmapped -> EFAULT");

	if (want_ok(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb,
			       sizeof(rb)),
		    "SO_HOMA_RCVBUF of exactly CPUs x 64 KiB + 2 MB")) {
		memset(&got, FILL, sizeof(got));
		len = sizeof(got);
		if (want_ok(getsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &got,
				       &len), "getsockopt SO_HOMA_RCVBUF"))
			check(got.start == rb.start && got.length == rb.length &&
			      len == sizeof(got), fmt("start %#llx, length %llu, optlen 16",
						      (unsigned long long)rb.start,
						      (unsigned long long)rb.length),
			      fmt("start %#llx, length %llu, optlen %u",
				  (unsigned long long)got.start,
				  (unsigned long long)got.length, len),
			      "getsockopt SO_HOMA_RCVBUF returns what was set");
		rb.start = (uintptr_t)region + page;
		want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb,
				    sizeof(rb)), EINVAL,
			 "SO_HOMA_RCVBUF set a second time -> EINVAL");
		len = sizeof(got);
		getsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &got, &len);
		want_u64(got.start, (uintptr_t)region,
			 "region start after the refused second setting");
	}
	len = sizeof(got) - 1;
	want_err(getsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &got, &len),
		 EINVAL, "getsockopt SO_HOMA_RCVBUF optlen 15 -> EINVAL");
	len = sizeof(got);
	want_err(getsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, bad_ptr, &len),
		 EFAULT, "getsockopt SO_HOMA_RCVBUF optval unmapped -> EFAULT");
	want_err(getsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &got,
			    (socklen_t *)bad_ptr), EFAULT,
		 "getsockopt SO_HOMA_RCVBUF optlen unmapped -> EFAULT");

	val = 1;
	want_err(setsockopt(fd, IPPROTO_HOMA, 99, &val, sizeof(val)),
		 ENOPROTOOPT, "setsockopt unknown option 99 -> ENOPROTOOPT");
	len = sizeof(val);
	want_err(getsockopt(fd, IPPROTO_HOMA, 99, &val, &len), ENOPROTOOPT,
		 "getsockopt unknown option 99 -> ENOPROTOOPT");
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_SERVER - 2, &val,
			    sizeof(val)), ENOPROTOOPT,
		 "setsockopt option 9 (below SO_HOMA_RCVBUF) -> ENOPROTOOPT");
	want_err(setsockopt(fd, IPPROTO_TCP, SO_HOMA_SERVER, &val, sizeof(val)),
		 ENOPROTOOPT,
		 "SO_HOMA_SERVER at level IPPROTO_TCP -> ENOPROTOOPT");
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_SERVER, &val, 2), EINVAL,
		 "SO_HOMA_SERVER optlen 2 -> EINVAL");
	want_err(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_SERVER, bad_ptr,
			    sizeof(val)), EFAULT,
		 "SO_HOMA_SERVER optval unmapped -> EFAULT");

	/* The upper bound is inclusive: offsets of 4 GiB fit in 32 bits. */
	huge = mmap(NULL, four_gib, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	fd2 = socket(family, SOCK_DGRAM, IPPROTO_HOMA);
	if (huge != MAP_FAILED && fd2 >= 0) {
		rb.start = (uintptr_t)huge;
		rb.length = four_gib;
		want_ok(setsockopt(fd2, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb,
				   sizeof(rb)),
			"SO_HOMA_RCVBUF of exactly 4 GiB");
	} else {
		printf("# %s: skipped the 4 GiB region: %s\n", section,
		       strerror(errno));
	}
out:
	if (fd2 >= 0)
		close(fd2);
	if (fd >= 0)
		close(fd);
	if (huge != MAP_FAILED)
		munmap(huge, four_gib);
	if (region != MAP_FAILED)
		munmap(region, map_len);
}

/* ------------------------------------------------------------------ */

static void test_bind(void)
{
	union homa_addr addr;
	int fd;

	fd = socket(family, SOCK_DGRAM, IPPROTO_HOMA);
	if (fd < 0) {
		setup_failed("socket");
		return;
	}
	homa_parse_addr(loopback_text(), 700, &addr);
	want_err(bind(fd, NULL, 0), EINVAL, "bind with address length 0 -> EINVAL");
	want_err(bind(fd, &addr.sa, homa_addr_len(&addr) - 1), EINVAL,
		 "bind with the address one byte short -> EINVAL");
	want_err(bind(fd, (struct sockaddr *)bad_ptr, homa_addr_len(&addr)),
		 EFAULT, "bind with an unmapped address -> EFAULT");
	if (want_ok(shutdown(fd, SHUT_RDWR), "shutdown")) {
		homa_parse_addr(loopback_text(), 0, &addr);
		want_err(bind(fd, &addr.sa, homa_addr_len(&addr)), ESHUTDOWN,
			 "bind to port 0 after shutdown -> ESHUTDOWN");
	}
	close(fd);
}

/* ------------------------------------------------------------------ */

/* Fresh socket, one EINVAL: does error_msg then explain it? */
static void explain_einval(int which)
{
	struct homa_sendmsg_args sargs;
	struct homa_recvmsg_args rargs;
	struct homa_abort_args aargs;
	struct homa_rcvbuf_args rb;
	struct homa_info info;
	union homa_addr dest;
	const char *what = "";
	socklen_t len;
	long ret = 0;
	int fd, val = 1;

	fd = socket(family, SOCK_DGRAM, IPPROTO_HOMA);
	if (fd < 0) {
		setup_failed("socket");
		return;
	}
	homa_parse_addr(loopback_text(), 4000, &dest);
	memset(&sargs, 0, sizeof(sargs));
	memset(&rargs, 0, sizeof(rargs));
	memset(&aargs, 0, sizeof(aargs));
	rb.start = (uintptr_t)ro_page + 1;
	rb.length = homa_rcvbuf_min_length();
	switch (which) {
	case 0:
		what = "sendmsg of length 0";
		ret = send_args(fd, &dest, payload, 0, &sargs, 0);
		break;
	case 1:
		what = "sendmsg with reserved set";
		sargs.reserved = 1;
		ret = send_args(fd, &dest, payload, 1, &sargs, 0);
		break;
	case 2:
		what = "sendmsg with msg_control NULL";
		ret = send_raw(fd, &dest, homa_addr_len(&dest), payload, 1,
			       NULL, 0, 0);
		break;
	case 3:
		what = "sendmsg with a short msg_namelen";
		ret = send_raw(fd, &dest, 3, payload, 1, &sargs, 0, 0);
		break;
	case 4:
		what = "sendmsg of a response with a cookie";
		sargs.id = 1;
		sargs.completion_cookie = 1;
		ret = send_args(fd, &dest, payload, 1, &sargs, 0);
		break;
	case 5:
		what = "recvmsg with a wrong msg_controllen";
		ret = recv_raw(fd, &rargs, 1, NULL, NULL, MSG_DONTWAIT);
		break;
	case 6:
		what = "recvmsg with num_bpages 17";
		rargs.num_bpages = HOMA_MAX_BPAGES + 1;
		ret = recv_args(fd, &rargs, MSG_DONTWAIT);
		break;
	case 7:
		what = "recvmsg for an unknown id";
		rargs.id = 2;
		ret = recv_args(fd, &rargs, MSG_DONTWAIT);
		break;
	case 8:
		what = "recvmsg giving back a bpage of no region";
		rargs.num_bpages = 1;
		ret = recv_args(fd, &rargs, MSG_DONTWAIT);
		break;
	case 9:
		what = "SO_HOMA_RCVBUF with an unaligned start";
		ret = setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb,
				 sizeof(rb));
		break;
	case 10:
		what = "SO_HOMA_RCVBUF with optlen 15";
		ret = setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb,
				 sizeof(rb) - 1);
		break;
	case 11:
		what = "SO_HOMA_SERVER with optlen 2";
		ret = setsockopt(fd, IPPROTO_HOMA, SO_HOMA_SERVER, &val, 2);
		break;
	case 12:
		what = "getsockopt SO_HOMA_RCVBUF with optlen 4";
		len = 4;
		ret = getsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, &len);
		break;
	case 13:
		what = "HOMAIOCABORT with a pad set";
		aargs._pad1 = 1;
		ret = ioctl(fd, HOMAIOCABORT, &aargs);
		break;
	case 14:
		what = "HOMAIOCABORT of an unknown id";
		aargs.id = 2;
		ret = ioctl(fd, HOMAIOCABORT, &aargs);
		break;
	case 15:
		what = "bind to port 0x8000";
		homa_parse_addr(loopback_text(), HOMA_MIN_DEFAULT_PORT, &dest);
		ret = bind(fd, &dest.sa, homa_addr_len(&dest));
		break;
	}
	if (want_err(ret, EINVAL, "%s -> EINVAL", what) &&
	    want_ok(get_info(fd, &info, NULL, 0), "HOMAIOCINFO after it")) {
		info.error_msg[sizeof(info.error_msg) - 1] = 0;
		check(info.error_msg[0] != 0, "an explanation", "\"\"",
		      "error_msg after %s: \"%s\"", what, info.error_msg);
	}
	close(fd);
}

static void test_ioctl(void)
{
	struct homa_sendmsg_args sargs;
	struct homa_abort_args aargs;
	struct homa_info info, info2;
	struct endpoint c = { .fd = -1 };
	int which;

	if (!ep_open(&c, false, false)) {
		ep_close(&c);
		return;
	}

	memset(&aargs, 0, sizeof(aargs));
	aargs._pad1 = 1;
	want_err(ioctl(c.fd, HOMAIOCABORT, &aargs), EINVAL,
		 "HOMAIOCABORT with _pad1 = 1 -> EINVAL");
	aargs._pad1 = 0;
	aargs._pad2[0] = 1;
	want_err(ioctl(c.fd, HOMAIOCABORT, &aargs), EINVAL,
		 "HOMAIOCABORT with _pad2[0] = 1 -> EINVAL");
	aargs._pad2[0] = 0;
	aargs._pad2[1] = 1ULL << 63;
	want_err(ioctl(c.fd, HOMAIOCABORT, &aargs), EINVAL,
		 "HOMAIOCABORT with _pad2[1] = 1 << 63 -> EINVAL");
	aargs._pad2[1] = 0;
	want_err(abort_rpcs(c.fd, 3, 0), EINVAL,
		 "HOMAIOCABORT of an odd (server) id -> EINVAL");
	want_err(abort_rpcs(c.fd, 1ULL << 40, 0), EINVAL,
		 "HOMAIOCABORT of an unknown id -> EINVAL");
	want_err(abort_rpcs(c.fd, 0, 4096), EINVAL,
		 "HOMAIOCABORT with error 4096 (no errno) -> EINVAL");
	want_err(ioctl(c.fd, HOMAIOCABORT, bad_ptr), EFAULT,
		 "HOMAIOCABORT with an unmapped argument -> EFAULT");
	want_ok(abort_rpcs(c.fd, 0, 0), "HOMAIOCABORT of all, with no RPCs");
	want_ok(abort_rpcs(c.fd, 0, ECANCELED),
		"HOMAIOCABORT of all with ECANCELED, with no RPCs");

	want_err(ioctl(c.fd, HOMAIOCINFO, bad_ptr), EFAULT,
		 "HOMAIOCINFO with an unmapped argument -> EFAULT");
	if (want_ok(get_info(c.fd, &info, NULL, 0),
		    "HOMAIOCINFO with rpc_info NULL")) {
		want_u64(info.port, homa_addr_port(&c.addr),
			 "HOMAIOCINFO port (getsockname's)");
		want_u64(info.num_rpcs, 0, "HOMAIOCINFO num_rpcs, no RPCs");
		want_u64(info.bpool_avail_bytes, 0,
			 "HOMAIOCINFO bpool_avail_bytes, no region");
	}

	want_err(ioctl(c.fd, _IOWR('h', 0x9f, struct homa_info), &info),
		 ENOTTY, "unknown ioctl _IOWR('h', 0x9f) -> ENOTTY");
	want_err(ioctl(c.fd, _IO('h', 0x90), NULL), ENOTTY,
		 "ioctl _IO('h', 0x90) (HOMAIOCINFO's number, wrong size) -> ENOTTY");

	for (which = 0; which < 16; which++)
		explain_einval(which);

	/* A second EINVAL replaces the text of the first. */
	memset(&sargs, 0, sizeof(sargs));
	memset(&aargs, 0, sizeof(aargs));
	aargs._pad1 = 1;
	if (send_args(c.fd, &c.addr, payload, 0, &sargs, 0) == -1 &&
	    get_info(c.fd, &info, NULL, 0) == 0 &&
	    ioctl(c.fd, HOMAIOCABORT, &aargs) == -1 &&
	    get_info(c.fd, &info2, NULL, 0) == 0) {
		info.error_msg[sizeof(info.error_msg) - 1] = 0;
		info2.error_msg[sizeof(info2.error_msg) - 1] = 0;
		check(strcmp(info.error_msg, info2.error_msg) != 0,
		      "a new text", fmt("\"%s\" twice", info2.error_msg),
		      "error_msg after a second, different EINVAL");
	}
	ep_close(&c);
}

/* ------------------------------------------------------------------ */

static void test_abort(void)
{
	static struct homa_rpc_info rpcs[4];
	struct homa_recvmsg_args args;
	uint64_t ids[3], sids[3];
	struct endpoint s = { .fd = -1 }, c = { .fd = -1 };
	struct homa_info info;
	long off, ret;
	int i;

	if (!ep_open(&s, true, true) || !ep_open(&c, false, true))
		goto out;
	for (i = 0; i < 3; i++) {
		ids[i] = request(&c, &s, 100 + i, 1001 + i,
				 i == 2 ? HOMA_SENDMSG_PRIVATE : 0);
		if (!ids[i])
			goto out;
	}
	if (!wait_ready(s.fd, 3, sids))
		goto out;

	if (want_ok(get_info(c.fd, &info, NULL, 0),
		    "HOMAIOCINFO with rpc_info NULL, 3 RPCs"))
		want_u64(info.num_rpcs, 3, "num_rpcs with rpc_info NULL");
	memset(rpcs, FILL, sizeof(rpcs));
	if (want_ok(get_info(c.fd, &info, rpcs, 1),
		    "HOMAIOCINFO with room for 1 of 3 RPCs")) {
		want_u64(info.num_rpcs, 3, "num_rpcs with room for 1");
		off = first_not(rpcs, sizeof(rpcs[0]), sizeof(rpcs), FILL);
		check(off < 0, "entries 1..3 untouched",
		      off < 0 ? "" : byte_at(rpcs, off),
		      "HOMAIOCINFO writes no entry beyond rpc_info_length");
		check(rpcs[0].id == ids[0] || rpcs[0].id == ids[1] ||
		      rpcs[0].id == ids[2], "one of the 3 ids",
		      fmt("%llu", (unsigned long long)rpcs[0].id),
		      "the one entry written");
	}
	memset(rpcs, FILL, sizeof(rpcs));
	memset(&info, 0, sizeof(info));
	info.rpc_info = (uintptr_t)rpcs;
	info.rpc_info_length = sizeof(rpcs[0]) + sizeof(rpcs[0]) / 2;
	if (want_ok(ioctl(c.fd, HOMAIOCINFO, &info),
		    "HOMAIOCINFO with room for 1.5 entries")) {
		want_u64(info.num_rpcs, 3, "num_rpcs with room for 1.5");
		off = first_not(rpcs, sizeof(rpcs[0]), sizeof(rpcs), FILL);
		check(off < 0, "entries 1..3 untouched",
		      off < 0 ? "" : byte_at(rpcs, off),
		      "HOMAIOCINFO writes no partial entry");
	}
	memset(&info, 0, sizeof(info));
	info.rpc_info = (uintptr_t)bad_ptr;
	info.rpc_info_length = sizeof(rpcs);
	want_err(ioctl(c.fd, HOMAIOCINFO, &info), EFAULT,
		 "HOMAIOCINFO with rpc_info unmapped, 3 RPCs -> EFAULT");
	want_u64(num_rpcs(c.fd), 3, "num_rpcs after that EFAULT");

	want_ok(abort_rpcs(s.fd, 0, 0),
		"HOMAIOCABORT of all on the server socket (client RPCs only)");
	want_u64(num_rpcs(s.fd), 3, "server RPCs after it (untouched)");
	want_err(abort_rpcs(s.fd, sids[0], 0), EINVAL,
		 "HOMAIOCABORT of a server RPC's id -> EINVAL");

	/* One RPC with ECANCELED. */
	want_ok(abort_rpcs(c.fd, ids[0], ECANCELED),
		"HOMAIOCABORT of one RPC with ECANCELED");
	ret = recv_id(c.fd, &args, 0, MSG_DONTWAIT);
	if (want_err(ret, ECANCELED, "recvmsg then -> ECANCELED")) {
		want_u64(args.id, ids[0], "id of the ECANCELED RPC");
		want_u64(args.completion_cookie, 1001,
			 "cookie of the ECANCELED RPC");
	}
	want_u64(num_rpcs(c.fd), 2, "client RPCs after receiving it");
	want_err(abort_rpcs(c.fd, ids[0], ECANCELED), EINVAL,
		 "HOMAIOCABORT of that RPC again (gone) -> EINVAL");

	/* All with ECANCELED: the shared one, then the private one. */
	want_ok(abort_rpcs(c.fd, 0, ECANCELED),
		"HOMAIOCABORT of all with ECANCELED");
	ret = recv_id(c.fd, &args, 0, MSG_DONTWAIT);
	if (want_err(ret, ECANCELED, "recvmsg (id 0) then -> ECANCELED")) {
		want_u64(args.id, ids[1], "id of the ECANCELED RPC");
		want_u64(args.completion_cookie, 1002,
			 "cookie of the ECANCELED RPC");
	}
	want_err(recv_id(c.fd, &args, 0, MSG_DONTWAIT), EAGAIN,
		 "recvmsg (id 0) again -> EAGAIN (the private RPC is not for id 0)");
	ret = recv_id(c.fd, &args, ids[2], MSG_DONTWAIT);
	if (want_err(ret, ECANCELED,
		     "recvmsg of the private RPC's id -> ECANCELED")) {
		want_u64(args.id, ids[2], "id of the private ECANCELED RPC");
		want_u64(args.completion_cookie, 1003,
			 "cookie of the private ECANCELED RPC");
	}
	want_u64(num_rpcs(c.fd), 0, "client RPCs after all were received");

	/* All silently. */
	for (i = 0; i < 3; i++) {
		ids[i] = request(&c, &s, 200, 2001 + i,
				 i == 2 ? HOMA_SENDMSG_PRIVATE : 0);
		if (!ids[i])
			goto out;
	}
	want_u64(num_rpcs(c.fd), 3, "client RPCs after 3 new requests");
	want_ok(abort_rpcs(c.fd, 0, 0), "HOMAIOCABORT of all with error 0");
	want_u64(num_rpcs(c.fd), 0, "client RPCs right after it");
	want_err(recv_id(c.fd, &args, 0, MSG_DONTWAIT), EAGAIN,
		 "recvmsg (id 0) after it -> EAGAIN (nothing to report)");
	want_err(recv_id(c.fd, &args, ids[2], MSG_DONTWAIT), EINVAL,
		 "recvmsg of the aborted private RPC's id -> EINVAL");
	want_err(abort_rpcs(c.fd, ids[1], ECANCELED), EINVAL,
		 "HOMAIOCABORT of a silently aborted RPC -> EINVAL");
out:
	ep_close(&c);
	ep_close(&s);
}

/* ------------------------------------------------------------------ */

/* Check the bytes of a homa_info: only defined fields may be non-zero. */
static void check_info_bytes(const struct homa_info *info, const char *what)
{
	struct homa_info copy;
	size_t n;
	long off;

	memcpy(&copy, info, sizeof(copy));
	n = strnlen(copy.error_msg, sizeof(copy.error_msg));
	if (!check(n < sizeof(copy.error_msg), "a NUL", "none",
		   "%s: error_msg is NUL-terminated", what))
		return;
	memset(copy.error_msg, 0, n);
	copy.rpc_info = 0;
	copy.rpc_info_length = 0;
	copy.bpool_avail_bytes = 0;
	copy.port = 0;
	copy.num_rpcs = 0;
	off = first_not(&copy, 0, sizeof(copy), 0);
	check(off < 0, "zero", off < 0 ? "" :
	      fmt("byte %ld (error_msg[%ld], after \"%s\") = 0x%02x", off,
		  off - (long)offsetof(struct homa_info, error_msg),
		  info->error_msg, ((unsigned char *)&copy)[off]),
	      "%s: bytes of homa_info outside its fields and error_msg's text",
	      what);
}

/*
 * Check one homa_rpc_info: its peer is @peer (loopback, port), and every
 * byte outside the defined fields (padding, the rest of the peer union,
 * sin_zero, sin6_flowinfo, sin6_scope_id) is zero.
 */
static void check_rpc_info(const struct homa_rpc_info *e,
			   const union homa_addr *peer, const char *what)
{
	struct homa_rpc_info copy;
	long off;

	if (family == AF_INET)
		check(e->peer.in4.sin_family == AF_INET &&
		      e->peer.in4.sin_port == peer->in4.sin_port &&
		      e->peer.in4.sin_addr.s_addr == peer->in4.sin_addr.s_addr,
		      fmt("AF_INET 127.0.0.1 port %d", homa_addr_port(peer)),
		      fmt("family %d port %d", e->peer.in4.sin_family,
			  ntohs(e->peer.in4.sin_port)),
		      "%s: peer", what);
	else
		check(e->peer.in6.sin6_family == AF_INET6 &&
		      e->peer.in6.sin6_port == peer->in6.sin6_port &&
		      !memcmp(&e->peer.in6.sin6_addr, &peer->in6.sin6_addr,
			      sizeof(struct in6_addr)),
		      fmt("AF_INET6 ::1 port %d", homa_addr_port(peer)),
		      fmt("family %d port %d", e->peer.in6.sin6_family,
			  ntohs(e->peer.in6.sin6_port)),
		      "%s: peer", what);
	memcpy(&copy, e, sizeof(copy));
	copy.id = 0;
	if (family == AF_INET) {
		copy.peer.in4.sin_family = 0;
		copy.peer.in4.sin_port = 0;
		copy.peer.in4.sin_addr.s_addr = 0;
	} else {
		copy.peer.in6.sin6_family = 0;
		copy.peer.in6.sin6_port = 0;
		memset(&copy.peer.in6.sin6_addr, 0, sizeof(struct in6_addr));
	}
	copy.completion_cookie = 0;
	copy.tx_length = 0;
	copy.tx_sent = 0;
	copy.tx_granted = 0;
	copy.tx_prio = 0;
	copy.rx_length = 0;
	copy.rx_remaining = 0;
	copy.rx_gaps = 0;
	copy.rx_gap_bytes = 0;
	copy.rx_granted = 0;
	copy.flags = 0;
	off = first_not(&copy, 0, sizeof(copy), 0);
	check(off < 0, "zero", off < 0 ? "" : byte_at(&copy, off),
	      "%s: bytes of homa_rpc_info outside its fields (padding, rest of peer)",
	      what);
}

/*
 * Check what recvmsg wrote: in @args, only id, cookie, num_bpages and
 * that many offsets may be non-zero; @name (@size bytes, FILL before the
 * call) holds @namelen bytes of an address of the section's family with
 * sin_zero / flowinfo / scope_id zero, and nothing after them.
 */
static void check_recv_bytes(const struct homa_recvmsg_args *args,
			     const void *name, socklen_t namelen, size_t size,
			     const char *what)
{
	struct homa_recvmsg_args copy;
	union homa_addr addr;
	socklen_t want_len;
	uint32_t i;
	long off;

	memcpy(&copy, args, sizeof(copy));
	copy.id = 0;
	copy.completion_cookie = 0;
	for (i = 0; i < copy.num_bpages && i < HOMA_MAX_BPAGES; i++)
		copy.bpage_offsets[i] = 0;
	copy.num_bpages = 0;
	off = first_not(&copy, 0, sizeof(copy), 0);
	check(off < 0, "zero", off < 0 ? "" : byte_at(&copy, off),
	      "%s: homa_recvmsg_args outside id, cookie and the %u offsets in use",
	      what, args->num_bpages);
	if (!name)
		return;

	want_len = family == AF_INET ? sizeof(struct sockaddr_in) :
		   sizeof(struct sockaddr_in6);
	if (!want_u64(namelen, want_len, "%s: msg_namelen", what))
		return;
	memset(&addr, 0, sizeof(addr));
	memcpy(&addr, name, namelen);
	check(addr.sa.sa_family == family, fmt("family %d", family),
	      fmt("family %d", addr.sa.sa_family), "%s: msg_name family", what);
	if (family == AF_INET) {
		addr.in4.sin_family = 0;
		addr.in4.sin_port = 0;
		addr.in4.sin_addr.s_addr = 0;
	} else {
		addr.in6.sin6_family = 0;
		addr.in6.sin6_port = 0;
		memset(&addr.in6.sin6_addr, 0, sizeof(struct in6_addr));
	}
	off = first_not(&addr, 0, namelen, 0);
	check(off < 0, "zero", off < 0 ? "" : byte_at(&addr, off),
	      "%s: msg_name bytes outside family, port and address", what);
	off = first_not(name, namelen, size, FILL);
	check(off < 0, "untouched", off < 0 ? "" : byte_at(name, off),
	      "%s: msg_name buffer beyond msg_namelen", what);
}

/* recvmsg into FILL-filled args and name; checks what it wrote. */
static long recv_filled(int fd, uint64_t id, int flags,
			struct homa_recvmsg_args *args, const char *what)
{
	struct sockaddr_storage name;
	socklen_t namelen = sizeof(name);
	long ret;
	int err;

	memset(args, FILL, sizeof(*args));
	args->id = id;
	args->num_bpages = 0;
	args->reserved = 0;
	memset(&name, FILL, sizeof(name));
	ret = recv_raw(fd, args, sizeof(*args), &name, &namelen, flags);
	err = errno;
	check_recv_bytes(args, ret >= 0 ? &name : NULL, namelen, sizeof(name),
			 what);
	errno = err;
	return ret;
}

static void test_bytes(void)
{
	static struct homa_rpc_info rpcs[3];
	struct homa_recvmsg_args args;
	struct homa_rcvbuf_args rb;
	struct homa_info info;
	struct endpoint s = { .fd = -1 }, c = { .fd = -1 };
	unsigned char opt[32];
	uint64_t id, sid;
	socklen_t len;
	long off, ret;

	if (!ep_open(&s, true, true) || !ep_open(&c, false, true))
		goto out;

	/* getsockopt writes optlen bytes and no more. */
	memset(opt, FILL, sizeof(opt));
	len = 8;
	if (want_ok(getsockopt(s.fd, IPPROTO_HOMA, SO_HOMA_SERVER, opt, &len),
		    "getsockopt SO_HOMA_SERVER into 8 bytes")) {
		want_u64(len, sizeof(int), "SO_HOMA_SERVER optlen");
		off = first_not(opt, sizeof(int), sizeof(opt), FILL);
		check(off < 0, "untouched", off < 0 ? "" : byte_at(opt, off),
		      "SO_HOMA_SERVER: bytes after the int");
	}
	memset(opt, FILL, sizeof(opt));
	len = sizeof(opt);
	if (want_ok(getsockopt(s.fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, opt, &len),
		    "getsockopt SO_HOMA_RCVBUF into 32 bytes")) {
		want_u64(len, sizeof(rb), "SO_HOMA_RCVBUF optlen");
		memcpy(&rb, opt, sizeof(rb));
		check(rb.start == (uintptr_t)s.buf.base &&
		      rb.length == s.buf.length, "the region",
		      fmt("start %#llx length %llu",
			  (unsigned long long)rb.start,
			  (unsigned long long)rb.length),
		      "SO_HOMA_RCVBUF value");
		off = first_not(opt, sizeof(rb), sizeof(opt), FILL);
		check(off < 0, "untouched", off < 0 ? "" : byte_at(opt, off),
		      "SO_HOMA_RCVBUF: bytes after the struct");
	}

	/* HOMAIOCINFO: fresh socket, then after errors of two lengths. */
	memset(&info, FILL, sizeof(info));
	info.rpc_info = 0;
	info.rpc_info_length = 0;
	if (want_ok(ioctl(c.fd, HOMAIOCINFO, &info), "HOMAIOCINFO")) {
		want_u64(info.bpool_avail_bytes, c.buf.length,
			 "bpool_avail_bytes of an unused region");
		check(info.error_msg[0] == 0, "\"\"",
		      fmt("\"%.*s\"", (int)sizeof(info.error_msg),
			  info.error_msg),
		      "error_msg of a socket without errors");
		check_info_bytes(&info, "HOMAIOCINFO, fresh socket");
	}
	rb.start = (uintptr_t)ro_page;
	rb.length = 1000;
	setsockopt(c.fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &rb, sizeof(rb));
	abort_rpcs(c.fd, 3, 0);
	memset(&info, FILL, sizeof(info));
	info.rpc_info = 0;
	info.rpc_info_length = 0;
	if (want_ok(ioctl(c.fd, HOMAIOCINFO, &info),
		    "HOMAIOCINFO after a long and then a short error text"))
		check_info_bytes(&info, "HOMAIOCINFO after a long, then a short error");

	/* HOMAIOCINFO entries, client and server side. */
	id = request(&c, &s, 100, 77, 0);
	if (!id || !wait_ready(s.fd, 1, &sid))
		goto out;
	memset(rpcs, FILL, sizeof(rpcs));
	if (want_ok(get_info(c.fd, &info, rpcs, 2),
		    "client HOMAIOCINFO with 1 RPC, room for 2") &&
	    want_u64(info.num_rpcs, 1, "client num_rpcs")) {
		want_u64(rpcs[0].id, id, "client entry id");
		want_u64(rpcs[0].completion_cookie, 77, "client entry cookie");
		want_u64((uint32_t)rpcs[0].tx_length, 100,
			 "client entry tx_length");
		check_rpc_info(&rpcs[0], &s.addr, "client entry");
		off = first_not(rpcs, sizeof(rpcs[0]), sizeof(rpcs), FILL);
		check(off < 0, "untouched", off < 0 ? "" : byte_at(rpcs, off),
		      "client HOMAIOCINFO: entries after the one RPC");
	}
	memset(rpcs, FILL, sizeof(rpcs));
	if (want_ok(get_info(s.fd, &info, rpcs, 3),
		    "server HOMAIOCINFO with 1 RPC") &&
	    want_u64(info.num_rpcs, 1, "server num_rpcs")) {
		want_u64(rpcs[0].id, sid, "server entry id");
		want_u64((uint32_t)rpcs[0].rx_length, 100,
			 "server entry rx_length");
		check(rpcs[0].flags & HOMA_RPC_RX_READY, "RX_READY set",
		      fmt("flags %#x", rpcs[0].flags), "server entry flags");
		check_rpc_info(&rpcs[0], &c.addr, "server entry");
		check_info_bytes(&info, "server HOMAIOCINFO");
	}

	/* recvmsg of a request, of a response, of an error. */
	ret = recv_filled(s.fd, 0, 0, &args, "server recvmsg of a request");
	if (!want_u64(ret, 100, "server receives the 100-byte request"))
		goto out;
	want_u64(args.num_bpages, 1, "bpages of the request");
	if (!want_ok(respond(s.fd, &c.addr, args.id, payload, 70000),
		     "70000-byte response"))
		goto out;
	ret = recv_filled(c.fd, 0, 0, &args,
			  "client recvmsg of a 70000-byte response");
	if (want_u64(ret, 70000, "client receives the response")) {
		want_u64(args.num_bpages, 2, "bpages of the response");
		want_u64(args.completion_cookie, 77, "cookie of the response");
	}

	ret = recv_filled(c.fd, 0, MSG_DONTWAIT, &args,
			  "recvmsg -> EAGAIN");
	want_err(ret, EAGAIN, "recvmsg with nothing ready -> EAGAIN");

	id = request(&c, &s, 100, 78, 0);
	if (id && want_ok(abort_rpcs(c.fd, id, ECANCELED),
			  "HOMAIOCABORT with ECANCELED")) {
		ret = recv_filled(c.fd, 0, MSG_DONTWAIT, &args,
				  "recvmsg of an aborted RPC");
		if (want_err(ret, ECANCELED, "recvmsg of an aborted RPC -> ECANCELED"))
			want_u64(args.id, id, "id of the aborted RPC");
	}
out:
	ep_close(&c);
	ep_close(&s);
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	void (*run)(void);
} sections[] = {
	{ "sendmsg", test_sendmsg },
	{ "response", test_response },
	{ "recvmsg", test_recvmsg },
	{ "sockopt", test_sockopt },
	{ "bind", test_bind },
	{ "ioctl", test_ioctl },
	{ "abort", test_abort },
	{ "bytes", test_bytes },
};

#define NUM_SECTIONS ARRAY_SIZE(sections)

static void run_section(size_t i)
{
	section = sections[i].name;
	family = AF_INET;
	sections[i].run();
	family = AF_INET6;
	sections[i].run();
}

static bool setup_memory(void)
{
	size_t page = sysconf(_SC_PAGESIZE);
	size_t i;
	char *p;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (unsigned char)(i * 7);

	/*
	 * Enough readable pages before a PROT_NONE page for a whole message
	 * that ends in it.
	 */
	i = (HOMA_MAX_MESSAGE_LENGTH + page - 1) / page + 1;
	p = mmap(NULL, (i + 1) * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return false;
	bad_ptr = p + i * page;
	if (mprotect(bad_ptr, page, PROT_NONE) != 0)
		return false;
	ro_page = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro_page == MAP_FAILED)
		return false;
	memset(ro_page, 0, page);
	return mprotect(ro_page, page, PROT_READ) == 0;
}

int main(int argc, char **argv)
{
	size_t i;
	int a;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!setup_memory()) {
		perror("misuse: mmap");
		return 1;
	}
	if (argc == 1) {
		for (i = 0; i < NUM_SECTIONS; i++)
			run_section(i);
	}
	for (a = 1; a < argc; a++) {
		for (i = 0; i < NUM_SECTIONS; i++) {
			if (!strcmp(argv[a], sections[i].name))
				break;
		}
		if (i == NUM_SECTIONS) {
			fprintf(stderr, "misuse: no section \"%s\"; sections:",
				argv[a]);
			for (i = 0; i < NUM_SECTIONS; i++)
				fprintf(stderr, " %s", sections[i].name);
			fprintf(stderr, "\n");
			return 2;
		}
		run_section(i);
	}
	printf("# misuse: %d passed, %d failed\n", num_passed, num_failed);
	return num_failed ? 1 : 0;
}
