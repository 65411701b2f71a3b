// SPDX-License-Identifier: GPL-2.0
/*
 * homa_smoke: smoke tests of the Homa socket API between two hosts.
 *
 * "homa_smoke server" echoes requests back; "homa_smoke client HOST CMD"
 * runs one check against such a server (see usage() for the list) and
 * exits 0 if the kernel behaved as <linux/homa.h> documents, 1 with a
 * message naming what went wrong if not, 2 for a usage error. Every wait
 * is bounded (--timeout), so a broken kernel makes a check fail, never
 * hang.
 *
 * Requests are filled with a pattern that depends on a per-request seed
 * and on each byte's offset, so a response holding another request's
 * bytes, or bytes at the wrong place, is caught. A request may start with
 * a 16-byte command (see usage()) that asks the server for a response of
 * another length, a delay, or its tag.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "homa_lib.h"
#include "homa_util.h"

#define DEFAULT_PORT 4000
#define MAX_PORTS 16
#define MAX_THREADS 32
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The command a request may start with; see usage(). */
#define CMD_MAGIC "HSMK"
#define CMD_LENGTH 16
#define OP_ECHO 'E'
#define OP_LENGTH 'L'
#define OP_TAG 'T'
#define MAX_DELAY_MS 60000

/* Waits: one slot per thread, watched by the watchdog thread. */
#define MAX_WAITERS (MAX_THREADS + 2)

static struct {
	int family;		/* AF_INET, AF_INET6, or 0: from HOST */
	int verbose;
	int ports[MAX_PORTS];
	int num_ports;
	long size;		/* -s; 0: the command's default */
	long threads;		/* -t */
	long num;		/* -n */
	long count;		/* -c */
	long timeout_s;		/* bound on every wait */
	long delay_ms;		/* server: before every response */
	long linger_ms;		/* client: keep the socket open at the end */
	long report_ms;		/* server: --report refresh period */
	const char *report;	/* server: --report FILE */
	const char *tag;	/* server: --tag TEXT */
	size_t rcvbuf;		/* bytes of each socket's buffer region */
} opt = {
	.timeout_s = 10,
	.report_ms = 100,
	.rcvbuf = HOMA_RCVBUF_DEFAULT_LENGTH,
};

static const char *const usage_text =
"usage: homa_smoke server [-4|-6] [-p PORT]... [OPTIONS]\n"
"       homa_smoke client HOST [-4|-6] [-p PORT[,PORT...]] CMD [OPTIONS]\n"
"\n"
"Smoke tests of the Homa transport (<linux/homa.h>). Exit status: 0 when\n"
"every check passed, 1 when one failed (the message says which), 2 for a\n"
"usage error.\n"
"\n"
"server: open one socket per -p PORT (default 4000; IPv4 unless -6), each\n"
"  with its own receive buffer region and thread, and answer every request\n"
"  with a copy of itself, until SIGTERM or SIGINT (exit 0). Prints\n"
"  \"listening on port P\" for each socket, then \"ready\" once all serve.\n"
"  --delay-ms N     wait N ms before sending each response\n"
"  --tag TEXT       text returned for the tag command (default \"port P\")\n"
"  --report FILE    keep FILE up to date (every --report-ms, default 100,\n"
"                   and on SIGUSR1) with HOMAIOCINFO of the sockets:\n"
"                     rpcs=N       RPCs the sockets hold now (sum)\n"
"                     served=N     responses sent so far (sum)\n"
"                     max_rpcs=N   most RPCs seen, sampled also right after\n"
"                                  each response is sent\n"
"                     port=P rpcs=N served=N bpool_avail_bytes=N\n"
"                   FILE is replaced atomically (rename).\n"
"\n"
"client HOST CMD: HOST is a numeric IPv4 or IPv6 address; the socket's\n"
"  family follows it (-6 with an IPv4 HOST uses its IPv4-mapped IPv6\n"
"  address). -p gives the server port(s), default 4000. Commands:\n"
"  one [-s SIZE]          one RPC (default 100 bytes), echo checked byte\n"
"                         for byte; prints the round-trip time\n"
"  sizes [LIST]           one RPC for each size of the comma-separated\n"
"                         LIST (default 1,1399,1400,1401,39999,40000,\n"
"                         40001,65536,65537,500000,1000000), each checked\n"
"  concurrent -t THREADS -n OUTSTANDING [-c COUNT] [-p PORT,PORT...]\n"
"                         THREADS threads (default 4), each on its own\n"
"                         socket, keep OUTSTANDING RPCs (default 10) in\n"
"                         flight, spread over the ports, until COUNT\n"
"                         (default 100) finished; sizes mixed, some\n"
"                         responses longer or shorter than the request;\n"
"                         each response's id, cookie, sender and bytes must\n"
"                         be its request's\n"
"  private                private and shared RPCs: recvmsg with id 0 gets\n"
"                         only the shared responses, each private one only\n"
"                         with its own id\n"
"  forked                 a child process shares the socket and waits in\n"
"                         recvmsg(id 0) while the parent receives 1 MB\n"
"                         private responses, each checked byte for byte\n"
"  poll, epoll            not readable without a message, readable once a\n"
"                         response (delayed 300 ms by the server) arrived,\n"
"                         writable throughout\n"
"  shutdown               shutdown() wakes a thread blocked in recvmsg with\n"
"                         ESHUTDOWN within 1 s; then sendmsg and recvmsg\n"
"                         fail with ESHUTDOWN and poll reports readable\n"
"                         (no server needed)\n"
"  unreachable [-s SIZE]  a request to a port without a server fails:\n"
"                         recvmsg returns ENOTCONN with the request's id\n"
"  count -n N [-s SIZE]   N RPCs (default 1000, 100 bytes) one after the\n"
"                         other; prints \"done\" before --linger-ms\n"
"  tag                    print the server's --tag\n"
"  info [-n N]            do N RPCs (default 0), then print HOMAIOCINFO of\n"
"                         the socket (port, RPCs, free buffer, last error)\n"
"\n"
"Options of both:\n"
"  -4, -6                 address family\n"
"  -v                     verbose: one line per RPC\n"
"  --timeout SEC          bound on every wait (default 10)\n"
"  --rcvbuf BYTES         buffer region per socket (suffix K or M;\n"
"                         default 64M)\n"
"  --linger-ms N          client: keep the socket open N ms after the\n"
"                         command (so the server can still get its acks)\n"
"\n"
"Request commands (for tests): a request of at least 16 bytes that starts\n"
"with the 4 bytes \"HSMK\" is a command:\n"
"  bytes 0-3    \"HSMK\"\n"
"  byte  4      op: 'E' echo the request (as without a command),\n"
"               'L' respond with ARG bytes: byte i of the response is\n"
"                   byte i % (request length) of the request,\n"
"               'T' respond with the server's tag text\n"
"  bytes 5-7    0\n"
"  bytes 8-11   ARG, big-endian (the response length for 'L')\n"
"  bytes 12-15  DELAY, big-endian: milliseconds to wait before responding\n"
"               (on top of --delay-ms; it holds up that server socket)\n"
"Any other request is echoed. The client's data never starts with\n"
"\"HSMK\": its first byte always has the top bit set.\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

/* --- failing ------------------------------------------------------- */

static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

/**
 * fail() - Report a failed check and end the process with status 1.
 * @fmt: printf format of the message, then its arguments.
 *
 * Threads may fail at once: the first one to get here prints and exits,
 * the others wait here until the process is gone, so that exactly one
 * message explains the failure.
 */
static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&fail_lock);
	fflush(stdout);
	fprintf(stderr, "homa_smoke: FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	_exit(1);
}

static void __attribute__((format(printf, 1, 2)))
verbose(const char *fmt, ...)
{
	va_list ap;

	if (!opt.verbose)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* --- watchdog ------------------------------------------------------ */

/*
 * Blocking calls (recvmsg above all) are what a broken kernel would leave
 * hanging; each is bracketed by wait_begin()/wait_end(), and the watchdog
 * fails the run, naming the wait, once one has lasted --timeout seconds.
 * This keeps the ordinary blocking calls in use (they are part of what is
 * being tested) while still bounding them.
 */
static struct waiter {
	uint64_t since;		/* 0: not waiting */
	char what[160];
} waiters[MAX_WAITERS];
static pthread_mutex_t waiters_lock = PTHREAD_MUTEX_INITIALIZER;

static void __attribute__((format(printf, 2, 3)))
wait_begin(int slot, const char *fmt, ...)
{
	struct waiter *w = &waiters[slot];
	va_list ap;

	pthread_mutex_lock(&waiters_lock);
	va_start(ap, fmt);
	vsnprintf(w->what, sizeof(w->what), fmt, ap);
	va_end(ap);
	w->since = homa_now_ns();
	pthread_mutex_unlock(&waiters_lock);
}

static void wait_end(int slot)
{
	pthread_mutex_lock(&waiters_lock);
	waiters[slot].since = 0;
	pthread_mutex_unlock(&waiters_lock);
}

static void *watchdog_main(void *arg)
{
	uint64_t limit = (uint64_t)opt.timeout_s * 1000000000;
	int i;

	(void)arg;
	for (;;) {
		sleep_ms(50);
		pthread_mutex_lock(&waiters_lock);
		for (i = 0; i < MAX_WAITERS; i++) {
			if (waiters[i].since &&
			    homa_now_ns() - waiters[i].since > limit)
				fail("timed out after %ld s %s", opt.timeout_s,
				     waiters[i].what);
		}
		pthread_mutex_unlock(&waiters_lock);
	}
	return NULL;
}

static void start_watchdog(void)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, watchdog_main, NULL) != 0)
		fail("cannot start the watchdog thread");
	pthread_detach(thread);
}

/* --- message contents ---------------------------------------------- */

/* A 64-bit mixing function (the finaliser of SplitMix64). */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/**
 * pattern_fill() - Bytes of a request's pattern.
 * @seed:  the request's seed.
 * @start: offset of the first byte wanted.
 * @dst:   where to put them.
 * @n:     how many.
 *
 * Every 8-byte word is a hash of the seed and the word's offset: a byte
 * that lands at another offset, or comes from another request, differs
 * with near certainty. Byte 0 has its top bit set, so that a request
 * never looks like a command by chance.
 */
static void pattern_fill(uint64_t seed, size_t start, unsigned char *dst,
			 size_t n)
{
	size_t i, end = start + n, word_index = SIZE_MAX;
	uint64_t word = 0;

	for (i = start; i < end; i++) {
		if (i / 8 != word_index) {
			word_index = i / 8;
			word = mix64(seed ^ mix64(word_index));
		}
		*dst++ = (unsigned char)(word >> (8 * (i % 8))) |
			 (i == 0 ? 0x80 : 0);
	}
}

/**
 * struct request - What a client sent, enough to rebuild both the request
 * and the response it expects, byte for byte.
 */
struct request {
	uint64_t seed;		/* pattern seed, unique per request */
	size_t length;		/* bytes in the request */
	size_t resp_length;	/* bytes expected in the response */
	int has_cmd;		/* starts with @cmd */
	unsigned char cmd[CMD_LENGTH];
};

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/**
 * request_init() - Describe a request.
 * @r:        filled in.
 * @seed:     its pattern seed.
 * @length:   its length.
 * @op:       0 for a plain (echoed) request, else the command's op.
 * @arg:      the command's argument (response length for OP_LENGTH).
 * @delay_ms: the command's delay.
 */
static void request_init(struct request *r, uint64_t seed, size_t length,
			 int op, uint32_t arg, uint32_t delay_ms)
{
	memset(r, 0, sizeof(*r));
	r->seed = seed;
	r->length = length;
	r->resp_length = length;
	if (!op)
		return;
	if (length < CMD_LENGTH)
		fail("internal error: a %zu-byte request cannot hold a command",
		     length);
	r->has_cmd = 1;
	memcpy(r->cmd, CMD_MAGIC, 4);
	r->cmd[4] = op;
	put_be32(r->cmd + 8, arg);
	put_be32(r->cmd + 12, delay_ms);
	if (op == OP_LENGTH)
		r->resp_length = arg;
}

/* Bytes [start, start + n) of the request. */
static void request_bytes(const struct request *r, size_t start,
			  unsigned char *dst, size_t n)
{
	pattern_fill(r->seed, start, dst, n);
	if (r->has_cmd && start < CMD_LENGTH)
		memcpy(dst, r->cmd + start,
		       n < CMD_LENGTH - start ? n : CMD_LENGTH - start);
}

/*
 * Bytes [start, start + n) of the expected response: the request repeated
 * (an echo is the case where the lengths are equal).
 */
static void response_bytes(const struct request *r, size_t start,
			   unsigned char *dst, size_t n)
{
	size_t j, k;

	while (n > 0) {
		j = start % r->length;
		k = r->length - j < n ? r->length - j : n;
		request_bytes(r, j, dst, k);
		dst += k;
		start += k;
		n -= k;
	}
}

/* --- client sockets -------------------------------------------------- */

/**
 * struct client - One client socket and what a thread needs to use it.
 */
struct client {
	int slot;			/* waiter slot, thread number */
	int fd;
	struct homa_rcvbuf buf;
	struct homa_msg msg;		/* last message received */
	unsigned char *tx;		/* request being built */
	unsigned char *scratch;		/* expected bytes, one bpage */
};

static char host_text[INET6_ADDRSTRLEN];
static union homa_addr servers[MAX_PORTS];	/* one per -p port */
static uint64_t base_seed;

static const char *addr_text(const union homa_addr *addr)
{
	static __thread char text[HOMA_ADDR_STRLEN];

	return homa_addr_str(addr, text, sizeof(text));
}

/*
 * Store in @v4 the IPv4 address of @addr, be it an IPv4 address or an
 * IPv4-mapped IPv6 one; returns 0 if it is neither.
 */
static int ipv4_of(const union homa_addr *addr, struct in_addr *v4)
{
	if (addr->sa.sa_family == AF_INET) {
		*v4 = addr->in4.sin_addr;
		return 1;
	}
	if (addr->sa.sa_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&addr->in6.sin6_addr)) {
		memcpy(v4, &addr->in6.sin6_addr.s6_addr[12], sizeof(*v4));
		return 1;
	}
	return 0;
}

/*
 * Whether two addresses name the same host and port, taking an IPv4
 * address and its IPv4-mapped IPv6 form as equal.
 */
static int addr_same(const union homa_addr *a, const union homa_addr *b)
{
	struct in_addr a4 = { 0 }, b4 = { 0 };

	if (homa_addr_port(a) != homa_addr_port(b))
		return 0;
	if (a->sa.sa_family == AF_INET6 && b->sa.sa_family == AF_INET6)
		return !memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr,
			       sizeof(a->in6.sin6_addr));
	return ipv4_of(a, &a4) && ipv4_of(b, &b4) && a4.s_addr == b4.s_addr;
}

static void client_open(struct client *c, int slot)
{
	memset(c, 0, sizeof(*c));
	c->slot = slot;
	c->fd = socket(servers[0].sa.sa_family, SOCK_DGRAM, IPPROTO_HOMA);
	if (c->fd < 0)
		fail("socket(%s, SOCK_DGRAM, IPPROTO_HOMA): %s",
		     servers[0].sa.sa_family == AF_INET ? "AF_INET" :
		     "AF_INET6", strerror(errno));
	if (homa_rcvbuf_setup(c->fd, opt.rcvbuf, &c->buf) != 0)
		fail("setsockopt(SO_HOMA_RCVBUF, %zu bytes): %s", opt.rcvbuf,
		     strerror(errno));
	homa_msg_init(&c->msg);
	c->tx = malloc(HOMA_MAX_MESSAGE_LENGTH);
	c->scratch = malloc(HOMA_BPAGE_SIZE);
	if (!c->tx || !c->scratch)
		fail("out of memory");
}

static void client_close(struct client *c)
{
	close(c->fd);
	homa_rcvbuf_free(&c->buf);
	free(c->tx);
	free(c->scratch);
}

/* Send request @r; returns its id. */
static uint64_t client_send(struct client *c, const union homa_addr *dest,
			    const struct request *r, uint64_t cookie,
			    int flags)
{
	uint64_t id = 0;

	request_bytes(r, 0, c->tx, r->length);
	if (homa_send_request(c->fd, dest, c->tx, r->length, cookie, flags,
			      &id) != 0)
		fail("sendmsg of a %zu-byte request to %s: %s", r->length,
		     addr_text(dest), strerror(errno));
	if (id == 0 || (id & 1))
		fail("sendmsg returned id %llu for a new request (must be even, not 0)",
		     (unsigned long long)id);
	return id;
}

/*
 * Receive into c->msg, bounded by the watchdog; returns homa_recv()'s
 * result with errno.
 */
static int client_recv(struct client *c, uint64_t id, int flags,
		       const char *what)
{
	int n, err;

	wait_begin(c->slot, "in recvmsg(id %llu) waiting for %s",
		   (unsigned long long)id, what);
	n = homa_recv(c->fd, id, flags, &c->msg);
	err = errno;
	wait_end(c->slot);
	errno = err;
	return n;
}

/* Fail unless the recvmsg just done returned a message. */
static void expect_message(struct client *c, int n, const char *what)
{
	if (n >= 0)
		return;
	if (c->msg.args.id)
		fail("%s: recvmsg: RPC %llu failed: %s", what,
		     (unsigned long long)c->msg.args.id, strerror(errno));
	fail("%s: recvmsg: %s", what, strerror(errno));
}

/**
 * check_response() - Check the message in c->msg against its request.
 * @c:      the client.
 * @r:      the request.
 * @id:     the request's id.
 * @cookie: its completion cookie.
 * @dest:   the server it went to.
 *
 * Every field recvmsg returned is checked (id, cookie, sender, length,
 * bpage layout), then every byte.
 */
static void check_response(struct client *c, const struct request *r,
			   uint64_t id, uint64_t cookie,
			   const union homa_addr *dest)
{
	const struct homa_msg *m = &c->msg;
	const unsigned char *got;
	char why[200];
	size_t off, n, i;

	if (m->args.id != id)
		fail("response carries id %llu, expected %llu",
		     (unsigned long long)m->args.id, (unsigned long long)id);
	if (m->args.completion_cookie != cookie)
		fail("response to RPC %llu carries cookie %#llx, expected %#llx",
		     (unsigned long long)id,
		     (unsigned long long)m->args.completion_cookie,
		     (unsigned long long)cookie);
	if (!addr_same(&m->peer, dest)) {
		char a[HOMA_ADDR_STRLEN];

		fail("response to RPC %llu came from %s, but the request went to %s",
		     (unsigned long long)id,
		     homa_addr_str(&m->peer, a, sizeof(a)), addr_text(dest));
	}
	if ((size_t)m->length != r->resp_length)
		fail("response to RPC %llu has %d bytes, expected %zu",
		     (unsigned long long)id, m->length, r->resp_length);
	if (homa_msg_check(&c->buf, m, why, sizeof(why)) != 0)
		fail("response to RPC %llu (%d bytes): %s",
		     (unsigned long long)id, m->length, why);
	for (off = 0; off < (size_t)m->length; off += n) {
		got = homa_msg_chunk(&c->buf, m, off, &n);
		if (!got)
			fail("response to RPC %llu: no bytes at offset %zu",
			     (unsigned long long)id, off);
		response_bytes(r, off, c->scratch, n);
		if (!memcmp(got, c->scratch, n))
			continue;
		for (i = 0; got[i] == c->scratch[i]; i++)
			;
		fail("response to RPC %llu (%d bytes): byte %zu is 0x%02x, "
		     "expected 0x%02x (bpage %zu at region offset %u)",
		     (unsigned long long)id, m->length, off + i, got[i],
		     c->scratch[i], off / HOMA_BPAGE_SIZE,
		     m->args.bpage_offsets[off / HOMA_BPAGE_SIZE]);
	}
}

static uint64_t next_seed(void)
{
	static atomic_ullong counter;

	return mix64(base_seed + atomic_fetch_add(&counter, 1));
}

/**
 * client_rpc() - One RPC, with nothing else outstanding on the socket.
 * @c:    the client.
 * @dest: the server.
 * @r:    the request.
 *
 * Return: the round-trip time in nanoseconds.
 */
static uint64_t client_rpc(struct client *c, const union homa_addr *dest,
			   const struct request *r)
{
	uint64_t start = homa_now_ns(), id, rtt;
	char what[100];
	int n;

	id = client_send(c, dest, r, r->seed, 0);
	snprintf(what, sizeof(what), "the response to RPC %llu (%zu bytes)",
		 (unsigned long long)id, r->resp_length);
	n = client_recv(c, 0, 0, what);
	rtt = homa_now_ns() - start;
	if (n < 0) {
		snprintf(what, sizeof(what),
			 "%.1f ms after sending RPC %llu (%zu bytes) to %s",
			 rtt / 1e6, (unsigned long long)id, r->length,
			 addr_text(dest));
		expect_message(c, n, what);
	}
	check_response(c, r, id, r->seed, dest);
	verbose("RPC %llu: %zu bytes out, %d back, %.1f us\n",
		(unsigned long long)id, r->length, n, rtt / 1e3);
	return rtt;
}

/* --- client commands ------------------------------------------------- */

static int cmd_one(void)
{
	struct request r;
	struct client c;
	uint64_t rtt;

	client_open(&c, 0);
	request_init(&r, next_seed(), opt.size ? opt.size : 100, 0, 0, 0);
	rtt = client_rpc(&c, &servers[0], &r);
	printf("one: %zu bytes to %s and back in %.1f us: ok\n", r.length,
	       addr_text(&servers[0]), rtt / 1e3);
	client_close(&c);
	return 0;
}

static int cmd_sizes(const char *list)
{
	static const char default_list[] =
		"1,1399,1400,1401,39999,40000,40001,65536,65537,500000,1000000";
	char *copy = strdup(list ? list : default_list), *tok, *save;
	struct request r;
	struct client c;
	uint64_t rtt;
	int count = 0;

	client_open(&c, 0);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		request_init(&r, next_seed(),
			     homa_parse_num(tok, 1, HOMA_MAX_MESSAGE_LENGTH, "size"),
			     0, 0, 0);
		rtt = client_rpc(&c, &servers[0], &r);
		printf("sizes: %7zu bytes  %10.1f us  ok\n", r.length,
		       rtt / 1e3);
		count++;
	}
	printf("sizes: all %d sizes echoed correctly by %s\n", count,
	       addr_text(&servers[0]));
	free(copy);
	client_close(&c);
	return 0;
}

/*
 * Request sizes for "concurrent": mostly small, some beyond the
 * unscheduled bytes and spanning several bpages.
 */
static const size_t mix_sizes[] = {
	100, 1, 1400, 2000, 40001, 100, 500, 65537, 10000, 150000, 200,
	1401, 300000, 16, 64,
};

#define NUM_MIX ARRAY_SIZE(mix_sizes)

/**
 * struct slot - One outstanding RPC of a "concurrent" thread.
 */
struct slot {
	int busy;
	uint64_t id;
	uint64_t cookie;
	int port_index;
	struct request r;
};

static atomic_ullong total_bytes;

/* Build and send the @seq'th request of a thread, in slot @s. */
static void concurrent_send(struct client *c, struct slot *slots, int s,
			    uint64_t seq)
{
	struct slot *sl = &slots[s];
	size_t length = mix_sizes[(seq + c->slot) % NUM_MIX];
	uint32_t resp = mix_sizes[(seq * 7 + 3) % NUM_MIX];

	/* Every third request asks for a response of another length. */
	if (seq % 3 == 1 && length >= CMD_LENGTH)
		request_init(&sl->r, next_seed(), length, OP_LENGTH, resp, 0);
	else
		request_init(&sl->r, next_seed(), length, 0, 0, 0);
	sl->cookie = (uint64_t)c->slot << 56 | seq << 16 | s;
	sl->port_index = seq % opt.num_ports;
	sl->id = client_send(c, &servers[sl->port_index], &sl->r, sl->cookie,
			     0);
	sl->busy = 1;
	verbose("thread %d: RPC %llu: %zu bytes to %s, cookie %#llx\n",
		c->slot, (unsigned long long)sl->id, length,
		addr_text(&servers[sl->port_index]),
		(unsigned long long)sl->cookie);
}

static void *concurrent_thread(void *arg)
{
	struct client *c = arg;
	struct slot *slots = calloc(opt.num, sizeof(*slots));
	uint64_t sent = 0, done = 0, cookie;
	char what[100];
	struct slot *sl;
	long s;
	int n;

	if (!slots)
		fail("out of memory");
	for (s = 0; s < opt.num && sent < (uint64_t)opt.count; s++)
		concurrent_send(c, slots, s, sent++);
	while (done < (uint64_t)opt.count) {
		snprintf(what, sizeof(what),
			 "a response (thread %d, %llu of %ld done)", c->slot,
			 (unsigned long long)done, opt.count);
		n = client_recv(c, 0, 0, what);
		expect_message(c, n, what);
		cookie = c->msg.args.completion_cookie;
		s = cookie & 0xffff;
		if ((int)(cookie >> 56) != c->slot || s >= opt.num ||
		    !slots[s].busy || slots[s].cookie != cookie)
			fail("thread %d: response for RPC %llu carries cookie %#llx, "
			     "which matches no outstanding request of this socket",
			     c->slot, (unsigned long long)c->msg.args.id,
			     (unsigned long long)cookie);
		sl = &slots[s];
		check_response(c, &sl->r, sl->id, sl->cookie,
			       &servers[sl->port_index]);
		verbose("thread %d: RPC %llu: %d bytes back, ok\n", c->slot,
			(unsigned long long)sl->id, n);
		atomic_fetch_add(&total_bytes, sl->r.length + n);
		sl->busy = 0;
		done++;
		if (sent < (uint64_t)opt.count)
			concurrent_send(c, slots, s, sent++);
	}
	free(slots);
	return NULL;
}

static int cmd_concurrent(void)
{
	struct client clients[MAX_THREADS];
	pthread_t threads[MAX_THREADS];
	uint64_t start;
	double secs;
	long i;

	if (!opt.threads)
		opt.threads = 4;
	if (!opt.num)
		opt.num = 10;
	if (!opt.count)
		opt.count = 100;
	if (opt.threads > MAX_THREADS)
		homa_usage_error("at most %d threads", MAX_THREADS);
	if (opt.num > 0xffff)
		homa_usage_error("at most %d outstanding RPCs", 0xffff);
	for (i = 0; i < opt.threads; i++)
		client_open(&clients[i], i + 1);
	start = homa_now_ns();
	for (i = 0; i < opt.threads; i++)
		if (pthread_create(&threads[i], NULL, concurrent_thread,
				   &clients[i]) != 0)
			fail("cannot create thread %ld", i);
	for (i = 0; i < opt.threads; i++)
		pthread_join(threads[i], NULL);
	secs = (homa_now_ns() - start) / 1e9;
	printf("concurrent: %ld threads x %ld outstanding, %ld RPCs each "
	       "to %d port(s), %.1f MB in %.2f s: "
	       "all responses matched their requests\n",
	       opt.threads, opt.num, opt.count, opt.num_ports,
	       atomic_load(&total_bytes) / 1e6, secs);
	for (i = 0; i < opt.threads; i++)
		client_close(&clients[i]);
	return 0;
}

/* Fail unless a non-blocking recvmsg with id 0 finds nothing. */
static void expect_nothing(struct client *c, const char *when)
{
	int n = homa_recv(c->fd, 0, MSG_DONTWAIT, &c->msg);

	if (n >= 0)
		fail("%s, recvmsg(id 0) returned a %d-byte message for RPC %llu",
		     when, n, (unsigned long long)c->msg.args.id);
	if (errno != EAGAIN)
		fail("%s, recvmsg(id 0, MSG_DONTWAIT) failed with %s instead of EAGAIN",
		     when, strerror(errno));
}

/* poll() the socket without waiting; returns revents. */
static int poll_now(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, 0);

	if (n < 0)
		fail("poll: %s", strerror(errno));
	if (n == 0 && p.revents)
		fail("poll returned 0 but revents %#x", p.revents);
	return p.revents;
}

static int cmd_private(void)
{
	enum { NUM = 4 };
	static const size_t sizes[NUM] = { 100, 5000, 70000, 1 };
	struct request priv[NUM], shared[NUM];
	uint64_t priv_id[NUM], shared_id[NUM];
	int got[NUM] = { 0 };
	char what[100];
	struct client c;
	int i, j, n;

	client_open(&c, 0);
	/*
	 * The private requests go first so that their responses are, if
	 * anything, ready before the shared ones: a recvmsg(id 0) that
	 * wrongly took private responses would then get them first.
	 */
	for (i = 0; i < NUM; i++) {
		request_init(&priv[i], next_seed(), sizes[i], 0, 0, 0);
		priv_id[i] = client_send(&c, &servers[0], &priv[i],
					 priv[i].seed, HOMA_SENDMSG_PRIVATE);
	}
	for (i = 0; i < NUM; i++) {
		request_init(&shared[i], next_seed(), sizes[i], 0, 0, 0);
		shared_id[i] = client_send(&c, &servers[0], &shared[i],
					   shared[i].seed, 0);
	}
	for (i = 0; i < NUM; i++) {
		snprintf(what, sizeof(what), "shared response %d of %d",
			 i + 1, NUM);
		n = client_recv(&c, 0, 0, what);
		expect_message(&c, n, what);
		for (j = 0; j < NUM; j++)
			if (priv_id[j] == c.msg.args.id)
				fail("recvmsg(id 0) returned the response of private RPC %llu",
				     (unsigned long long)priv_id[j]);
		for (j = 0; j < NUM && shared_id[j] != c.msg.args.id; j++)
			;
		if (j == NUM || got[j])
			fail("recvmsg(id 0) returned RPC %llu, which is no outstanding shared RPC",
			     (unsigned long long)c.msg.args.id);
		check_response(&c, &shared[j], shared_id[j], shared[j].seed,
			       &servers[0]);
		got[j] = 1;
	}
	printf("private: recvmsg(id 0) returned the %d shared responses\n",
	       NUM);

	/* Give the private responses time to arrive, then look again. */
	sleep_ms(300);
	if (poll_now(c.fd, POLLIN) & POLLIN)
		fail("poll reports readable with only private responses ready");
	expect_nothing(&c, "with only private responses left");

	/* Each private response comes with its own id, in any order. */
	for (i = NUM - 1; i >= 0; i--) {
		snprintf(what, sizeof(what), "private RPC %llu",
			 (unsigned long long)priv_id[i]);
		n = client_recv(&c, priv_id[i], 0, what);
		expect_message(&c, n, what);
		check_response(&c, &priv[i], priv_id[i], priv[i].seed,
			       &servers[0]);
	}
	expect_nothing(&c, "after all responses were received");
	printf("private: each of the %d private responses came only with its own id: ok\n",
	       NUM);
	client_close(&c);
	return 0;
}

/*
 * A child process shares the socket and waits in recvmsg for any message
 * while the parent receives large private responses. The buffer region
 * is a private mapping, so after fork the child's copy of it is its own:
 * a child that copied part of the parent's message while waiting would
 * write only into its own memory, and the parent would find stale bytes.
 */
static int cmd_forked(void)
{
	enum { NUM = 8, SIZE = 1000000 };
	struct request r;
	struct client c;
	char what[100];
	pid_t child;
	uint64_t id;
	int i, n, status;

	client_open(&c, 0);
	child = fork();
	if (child < 0)
		fail("fork: %s", strerror(errno));
	if (child == 0) {
		/* Only private responses arrive: it waits until killed. */
		n = homa_recv(c.fd, 0, 0, &c.msg);
		fprintf(stderr, "homa_smoke: the child's recvmsg(id 0) returned %d (%s)\n",
			n, n < 0 ? strerror(errno) : "a message");
		_exit(1);
	}
	for (i = 0; i < NUM; i++) {
		request_init(&r, next_seed(), SIZE, 0, 0, 0);
		id = client_send(&c, &servers[0], &r, r.seed,
				 HOMA_SENDMSG_PRIVATE);
		snprintf(what, sizeof(what), "private RPC %llu",
			 (unsigned long long)id);
		n = client_recv(&c, id, 0, what);
		expect_message(&c, n, what);
		check_response(&c, &r, id, r.seed, &servers[0]);
	}
	kill(child, SIGKILL);
	if (waitpid(child, &status, 0) != child)
		fail("waitpid: %s", strerror(errno));
	if (!WIFSIGNALED(status))
		fail("the child's recvmsg(id 0) returned");
	client_close(&c);
	printf("forked: %d responses of %d bytes intact, a child waiting\n",
	       NUM, SIZE);
	return 0;
}

/* Check, for poll or epoll, what the socket reports. */
static void check_events(const char *how, int events, int want_in,
			 const char *when)
{
	if (!(events & POLLOUT))
		fail("%s: not writable %s", how, when);
	if (want_in && !(events & POLLIN))
		fail("%s: not readable %s", how, when);
	if (!want_in && (events & POLLIN))
		fail("%s: readable %s", how, when);
}

/* epoll_wait on @ep for up to @ms; returns the events (0 if none). */
static int epoll_events(int ep, int ms)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, ms);

	if (n < 0)
		fail("epoll_wait: %s", strerror(errno));
	return n ? (int)ev.events : 0;
}

static int cmd_poll(int use_epoll)
{
	const char *how = use_epoll ? "epoll" : "poll";
	const long delay_ms = 300;
	struct epoll_event ev;
	struct pollfd p;
	int ep_all = -1, ep_in = -1, events, n;
	uint64_t start, elapsed_ms, id;
	struct request r;
	struct client c;

	client_open(&c, 0);
	if (use_epoll) {
		/* One set for both events, one that waits for input only. */
		ep_all = epoll_create1(0);
		ep_in = epoll_create1(0);
		if (ep_all < 0 || ep_in < 0)
			fail("epoll_create1: %s", strerror(errno));
		ev.events = EPOLLIN | EPOLLOUT;
		ev.data.fd = c.fd;
		if (epoll_ctl(ep_all, EPOLL_CTL_ADD, c.fd, &ev) != 0)
			fail("epoll_ctl: %s", strerror(errno));
		ev.events = EPOLLIN;
		if (epoll_ctl(ep_in, EPOLL_CTL_ADD, c.fd, &ev) != 0)
			fail("epoll_ctl: %s", strerror(errno));
	}

	if (use_epoll) {
		if (epoll_events(ep_in, 0))
			fail("epoll: readable before anything was sent");
		events = epoll_events(ep_all, 0);
	} else {
		p.fd = c.fd;
		p.events = POLLIN;
		p.revents = 0;
		n = poll(&p, 1, 0);
		if (n != 0)
			fail("poll(POLLIN, timeout 0) returned %d (revents %#x) "
			     "on a socket without messages",
			     n, p.revents);
		events = poll_now(c.fd, POLLIN | POLLOUT);
	}
	check_events(how, events, 0, "before anything was sent");

	/* The server holds the response back, so it cannot be there yet. */
	request_init(&r, next_seed(), 1000, OP_ECHO, 0, delay_ms);
	start = homa_now_ns();
	id = client_send(&c, &servers[0], &r, r.seed, 0);
	events = use_epoll ? epoll_events(ep_all, 0) :
		 poll_now(c.fd, POLLIN | POLLOUT);
	check_events(how, events, 0, "right after sending a request");

	/* Sleep in poll/epoll until the response wakes us. */
	wait_begin(0, "in %s for the response to RPC %llu", how,
		   (unsigned long long)id);
	if (use_epoll) {
		events = epoll_events(ep_in, opt.timeout_s * 1000);
	} else {
		p.fd = c.fd;
		p.events = POLLIN;
		p.revents = 0;
		if (poll(&p, 1, opt.timeout_s * 1000) < 0)
			fail("poll: %s", strerror(errno));
		events = p.revents;
	}
	wait_end(0);
	elapsed_ms = (homa_now_ns() - start) / 1000000;
	if (!(events & POLLIN))
		fail("%s: not readable %ld s after sending a request (revents %#x)",
		     how, opt.timeout_s, events);
	if (elapsed_ms + 20 < (uint64_t)delay_ms)
		fail("%s: readable %llu ms after sending, but the server "
		     "delays its response by %ld ms",
		     how, (unsigned long long)elapsed_ms, delay_ms);
	events = use_epoll ? epoll_events(ep_all, 0) :
		 poll_now(c.fd, POLLIN | POLLOUT);
	check_events(how, events, 1, "with a response ready");

	/* Readable means a message is there now. */
	n = homa_recv(c.fd, 0, MSG_DONTWAIT, &c.msg);
	expect_message(&c, n, "the response reported by poll");
	check_response(&c, &r, id, r.seed, &servers[0]);

	events = use_epoll ? epoll_events(ep_all, 0) :
		 poll_now(c.fd, POLLIN | POLLOUT);
	check_events(how, events, 0, "after the response was received");
	if (use_epoll && epoll_events(ep_in, 100))
		fail("epoll: readable after the response was received");
	printf("%s: not readable while no response was there, readable "
	       "%llu ms after the request (server delay %ld ms), "
	       "writable throughout: ok\n",
	       how, (unsigned long long)elapsed_ms, delay_ms);
	if (use_epoll) {
		close(ep_all);
		close(ep_in);
	}
	client_close(&c);
	return 0;
}

/**
 * struct blocked - A thread blocked in recvmsg for "shutdown".
 */
struct blocked {
	struct client *c;
	atomic_int tid;		/* its thread id once running */
	atomic_int returned;
	int result;
	int err;
	uint64_t when;		/* homa_now_ns() at return */
};

static void *blocked_thread(void *arg)
{
	struct blocked *b = arg;

	atomic_store(&b->tid, (int)syscall(SYS_gettid));
	wait_begin(1, "in recvmsg for shutdown() to wake it");
	b->result = homa_recv(b->c->fd, 0, 0, &b->c->msg);
	b->err = errno;
	wait_end(1);
	b->when = homa_now_ns();
	atomic_store(&b->returned, 1);
	return NULL;
}

/* Whether thread @tid of this process is asleep (state S). */
static int thread_sleeping(int tid)
{
	char path[64], line[256], *p;
	FILE *f;
	int ok = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f)) {
		p = strrchr(line, ')');
		ok = p && p[1] == ' ' && p[2] == 'S';
	}
	fclose(f);
	return ok;
}

static int cmd_shutdown(void)
{
	struct blocked b = { 0 };
	struct timespec deadline;
	struct request r;
	struct client c;
	pthread_t thread;
	uint64_t start, id;
	int i, err;

	client_open(&c, 0);
	b.c = &c;
	if (pthread_create(&thread, NULL, blocked_thread, &b) != 0)
		fail("cannot create a thread");
	/* Wait until the thread sleeps in the kernel (after busy-polling). */
	for (i = 0; i < 200 && !(atomic_load(&b.tid) &&
				 thread_sleeping(atomic_load(&b.tid))); i++)
		sleep_ms(10);
	sleep_ms(100);
	if (atomic_load(&b.returned))
		fail("recvmsg returned %d (%s) before shutdown, on a socket without messages",
		     b.result, b.result < 0 ? strerror(b.err) : "a message");

	start = homa_now_ns();
	if (shutdown(c.fd, SHUT_RDWR) != 0)
		fail("shutdown: %s", strerror(errno));
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 1;
	err = pthread_timedjoin_np(thread, NULL, &deadline);
	if (err == ETIMEDOUT)
		fail("recvmsg still blocked 1 s after shutdown");
	if (err)
		fail("pthread_timedjoin_np: %s", strerror(err));
	if (b.result >= 0)
		fail("recvmsg returned a %d-byte message after shutdown",
		     b.result);
	if (b.err != ESHUTDOWN)
		fail("recvmsg blocked at shutdown failed with %s, expected ESHUTDOWN",
		     strerror(b.err));
	printf("shutdown: blocked recvmsg returned ESHUTDOWN %.1f ms after shutdown()\n",
	       (b.when - start) / 1e6);

	request_init(&r, next_seed(), 100, 0, 0, 0);
	request_bytes(&r, 0, c.tx, r.length);
	if (homa_send_request(c.fd, &servers[0], c.tx, r.length, 1, 0,
			      &id) == 0)
		fail("sendmsg succeeded on a shut-down socket");
	if (errno != ESHUTDOWN)
		fail("sendmsg on a shut-down socket failed with %s, expected ESHUTDOWN",
		     strerror(errno));
	if (homa_recv(c.fd, 0, MSG_DONTWAIT, &c.msg) >= 0)
		fail("recvmsg returned a message on a shut-down socket");
	if (errno != ESHUTDOWN)
		fail("recvmsg on a shut-down socket failed with %s, expected ESHUTDOWN",
		     strerror(errno));
	if (!(poll_now(c.fd, POLLIN) & POLLIN))
		fail("poll: a shut-down socket is not readable");
	printf("shutdown: then sendmsg and recvmsg failed with ESHUTDOWN, "
	       "poll reported readable: ok\n");
	client_close(&c);
	return 0;
}

static int cmd_unreachable(void)
{
	uint64_t start, id, cookie = 0x5eed;
	struct request r;
	struct client c;
	char what[100];
	int n;

	client_open(&c, 0);
	request_init(&r, next_seed(), opt.size ? opt.size : 100, 0, 0, 0);
	start = homa_now_ns();
	id = client_send(&c, &servers[0], &r, cookie, 0);
	snprintf(what, sizeof(what), "RPC %llu to %s to fail",
		 (unsigned long long)id, addr_text(&servers[0]));
	n = client_recv(&c, 0, 0, what);
	if (n >= 0)
		fail("RPC %llu to %s, where no server listens, got a %d-byte response",
		     (unsigned long long)c.msg.args.id, addr_text(&servers[0]),
		     n);
	if (errno != ENOTCONN)
		fail("RPC %llu to %s failed with %s, expected ENOTCONN",
		     (unsigned long long)id, addr_text(&servers[0]),
		     strerror(errno));
	if (c.msg.args.id != id)
		fail("recvmsg failed with ENOTCONN but names RPC %llu, expected %llu",
		     (unsigned long long)c.msg.args.id,
		     (unsigned long long)id);
	if (c.msg.args.completion_cookie != cookie)
		fail("the failed RPC's cookie is %#llx, expected %#llx",
		     (unsigned long long)c.msg.args.completion_cookie,
		     (unsigned long long)cookie);
	printf("unreachable: RPC %llu to %s failed with ENOTCONN after %.1f ms: ok\n",
	       (unsigned long long)id, addr_text(&servers[0]),
	       (homa_now_ns() - start) / 1e6);
	client_close(&c);
	return 0;
}

static int cmd_count(void)
{
	long i, n = opt.num ? opt.num : 1000, size = opt.size ? opt.size : 100;
	struct request r;
	struct client c;
	uint64_t start;
	double secs;

	client_open(&c, 0);
	start = homa_now_ns();
	for (i = 0; i < n; i++) {
		request_init(&r, next_seed(), size, 0, 0, 0);
		client_rpc(&c, &servers[i % opt.num_ports], &r);
	}
	secs = (homa_now_ns() - start) / 1e9;
	printf("count: done %ld RPCs of %ld bytes in %.2f s (%.1f us each)\n",
	       n, size, secs, secs * 1e6 / n);
	fflush(stdout);
	if (opt.linger_ms)
		sleep_ms(opt.linger_ms);
	client_close(&c);
	return 0;
}

static int cmd_tag(void)
{
	char text[256];
	struct request r;
	struct client c;
	uint64_t id;
	size_t n;
	int len;

	client_open(&c, 0);
	request_init(&r, next_seed(), CMD_LENGTH, OP_TAG, 0, 0);
	id = client_send(&c, &servers[0], &r, r.seed, 0);
	len = client_recv(&c, 0, 0, "the tag");
	expect_message(&c, len, "the tag");
	if (c.msg.args.id != id)
		fail("response carries id %llu, expected %llu",
		     (unsigned long long)c.msg.args.id,
		     (unsigned long long)id);
	n = homa_msg_copy(&c.buf, &c.msg, 0, text, sizeof(text) - 1);
	if (n != (size_t)len && n != sizeof(text) - 1)
		fail("could read only %zu of the tag's %d bytes", n, len);
	text[n] = 0;
	printf("%s\n", text);
	client_close(&c);
	return 0;
}

static int cmd_info(void)
{
	enum { MAX_RPCS = 64 };
	struct homa_rpc_info rpcs[MAX_RPCS];
	struct homa_info info;
	struct request r;
	struct client c;
	char a[HOMA_ADDR_STRLEN];
	uint32_t i;
	long k;

	client_open(&c, 0);
	for (k = 0; k < opt.num; k++) {
		request_init(&r, next_seed(), opt.size ? opt.size : 100, 0, 0,
			     0);
		client_rpc(&c, &servers[0], &r);
	}
	if (homa_get_info(c.fd, &info, rpcs, MAX_RPCS) != 0)
		fail("ioctl(HOMAIOCINFO): %s", strerror(errno));
	info.error_msg[sizeof(info.error_msg) - 1] = 0;
	printf("port=%u num_rpcs=%u bpool_avail_bytes=%llu error_msg=\"%s\"\n",
	       info.port, info.num_rpcs,
	       (unsigned long long)info.bpool_avail_bytes, info.error_msg);
	for (i = 0; i < info.num_rpcs && i < MAX_RPCS; i++)
		printf("rpc id=%llu peer=%s cookie=%#llx tx_length=%d "
		       "tx_sent=%u rx_length=%d rx_remaining=%u flags=%#x\n",
		       (unsigned long long)rpcs[i].id,
		       homa_addr_str((union homa_addr *)&rpcs[i].peer, a,
				     sizeof(a)),
		       (unsigned long long)rpcs[i].completion_cookie,
		       rpcs[i].tx_length, rpcs[i].tx_sent,
		       rpcs[i].rx_length, rpcs[i].rx_remaining,
		       rpcs[i].flags);
	client_close(&c);
	return 0;
}

/* --- server ---------------------------------------------------------- */

/**
 * struct server - One server socket and its thread.
 */
struct server {
	int port;
	int fd;
	struct homa_rcvbuf buf;
	unsigned char *tx;		/* response being built */
	atomic_ullong served;		/* responses sent */
};

static struct server server_socks[MAX_PORTS];
static atomic_uint max_rpcs;

/* Log a problem with one RPC; the server goes on serving. */
static void __attribute__((format(printf, 2, 3)))
server_warn(const struct server *s, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "homa_smoke server (port %d): ", s->port);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

/* Count the socket's RPCs into max_rpcs (for --report). */
static void sample_rpcs(const struct server *s)
{
	struct homa_info info;
	unsigned int old;

	if (homa_get_info(s->fd, &info, NULL, 0) != 0)
		return;
	old = atomic_load(&max_rpcs);
	while (info.num_rpcs > old &&
	       !atomic_compare_exchange_weak(&max_rpcs, &old, info.num_rpcs))
		;
}

/*
 * Build the response to the request in @m into s->tx; returns its length
 * and, in @delay_ms, how long to hold it back.
 */
static size_t server_response(struct server *s, const struct homa_msg *m,
			      long *delay_ms)
{
	unsigned char cmd[CMD_LENGTH];
	size_t n = m->length, resp = n, i, k;
	int op = OP_ECHO;
	uint32_t arg = 0;

	*delay_ms = opt.delay_ms;
	if (n >= CMD_LENGTH &&
	    homa_msg_copy(&s->buf, m, 0, cmd, CMD_LENGTH) == CMD_LENGTH &&
	    !memcmp(cmd, CMD_MAGIC, 4)) {
		op = cmd[4];
		arg = get_be32(cmd + 8);
		*delay_ms += get_be32(cmd + 12) < MAX_DELAY_MS ?
			     get_be32(cmd + 12) : MAX_DELAY_MS;
	}
	if (op == OP_TAG) {
		if (opt.tag)
			snprintf((char *)s->tx, 256, "%s", opt.tag);
		else
			snprintf((char *)s->tx, 256, "port %d", s->port);
		return strlen((char *)s->tx);
	}
	if (op == OP_LENGTH) {
		if (arg >= 1 && arg <= HOMA_MAX_MESSAGE_LENGTH)
			resp = arg;
		else
			server_warn(s, "RPC %llu asks for a %u-byte response; echoing instead",
				    (unsigned long long)m->args.id, arg);
	} else if (op != OP_ECHO) {
		server_warn(s, "RPC %llu: unknown command op %#x; echoing",
			    (unsigned long long)m->args.id, op);
	}
	k = resp < n ? resp : n;
	if (homa_msg_copy(&s->buf, m, 0, s->tx, k) != k) {
		fprintf(stderr, "homa_smoke server: FAIL: request %llu (%zu bytes): "
			"bpages point outside the buffer region\n",
			(unsigned long long)m->args.id, n);
		exit(1);
	}
	/* Repeat the request to fill a longer response. */
	for (i = n; i < resp; i += k) {
		k = resp - i < n ? resp - i : n;
		memcpy(s->tx + i, s->tx, k);
	}
	return resp;
}

static void *server_thread(void *arg)
{
	struct server *s = arg;
	struct homa_msg m;
	long delay_ms;
	char why[200];
	size_t len;
	int n;

	homa_msg_init(&m);
	for (;;) {
		n = homa_recv(s->fd, 0, 0, &m);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (m.args.id) {
				server_warn(s, "RPC %llu failed: %s",
					    (unsigned long long)m.args.id,
					    strerror(errno));
				continue;
			}
			if (errno == ESHUTDOWN)
				return NULL;
			fprintf(stderr, "homa_smoke server: FAIL: recvmsg on port %d: %s\n",
				s->port, strerror(errno));
			exit(1);
		}
		if (!(m.args.id & 1)) {
			server_warn(s, "recvmsg returned a response (id %llu) on a server socket",
				    (unsigned long long)m.args.id);
			continue;
		}
		if (homa_msg_check(&s->buf, &m, why, sizeof(why)) != 0) {
			fprintf(stderr, "homa_smoke server: FAIL: request %llu (%d bytes): %s\n",
				(unsigned long long)m.args.id, n, why);
			exit(1);
		}
		len = server_response(s, &m, &delay_ms);
		if (opt.verbose) {
			char a[HOMA_ADDR_STRLEN];

			fprintf(stderr, "port %d: request %llu, %d bytes from %s; "
				"responding with %zu bytes\n",
				s->port, (unsigned long long)m.args.id, n,
				homa_addr_str(&m.peer, a, sizeof(a)), len);
		}
		if (delay_ms)
			sleep_ms(delay_ms);
		if (homa_send_response(s->fd, &m.peer, m.args.id, s->tx,
				       len) != 0) {
			if (errno == ESHUTDOWN)
				return NULL;
			server_warn(s, "sendmsg of the response to RPC %llu: %s",
				    (unsigned long long)m.args.id,
				    strerror(errno));
			continue;
		}
		atomic_fetch_add(&s->served, 1);
		/*
		 * The RPC must still be there now, waiting for its ack:
		 * sampling here shows that num_rpcs counts at all, which
		 * gives "rpcs=0" later its meaning.
		 */
		if (opt.report)
			sample_rpcs(s);
	}
	return NULL;
}

/* Rewrite the --report file from the sockets' current state. */
static void write_report(void)
{
	unsigned long long served = 0, rpcs = 0;
	char tmp[4096], lines[MAX_PORTS][160];
	struct homa_info info;
	FILE *f;
	int i;

	for (i = 0; i < opt.num_ports; i++) {
		struct server *s = &server_socks[i];

		if (homa_get_info(s->fd, &info, NULL, 0) != 0) {
			fprintf(stderr, "homa_smoke server: ioctl(HOMAIOCINFO) on port %d: %s\n",
				s->port, strerror(errno));
			return;
		}
		sample_rpcs(s);
		rpcs += info.num_rpcs;
		served += atomic_load(&s->served);
		snprintf(lines[i], sizeof(lines[i]),
			 "port=%d rpcs=%u served=%llu bpool_avail_bytes=%llu\n",
			 s->port, info.num_rpcs, atomic_load(&s->served),
			 (unsigned long long)info.bpool_avail_bytes);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", opt.report);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "homa_smoke server: %s: %s\n", tmp,
			strerror(errno));
		return;
	}
	fprintf(f, "rpcs=%llu\nserved=%llu\nmax_rpcs=%u\n", rpcs, served,
		atomic_load(&max_rpcs));
	for (i = 0; i < opt.num_ports; i++)
		fputs(lines[i], f);
	if (fclose(f) != 0 || rename(tmp, opt.report) != 0)
		fprintf(stderr, "homa_smoke server: writing %s: %s\n",
			opt.report, strerror(errno));
}

static int server_main(void)
{
	union homa_addr addr;
	struct timespec period;
	pthread_t thread;
	sigset_t sigs;
	int i, sig;

	/*
	 * Only the main thread takes signals (with sigtimedwait), so the
	 * serving threads are never interrupted and exit is orderly.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	if (!opt.num_ports)
		opt.ports[opt.num_ports++] = DEFAULT_PORT;
	if (!opt.family)
		opt.family = AF_INET;
	for (i = 0; i < opt.num_ports; i++) {
		struct server *s = &server_socks[i];

		s->port = opt.ports[i];
		s->fd = socket(opt.family, SOCK_DGRAM, IPPROTO_HOMA);
		if (s->fd < 0) {
			fprintf(stderr, "homa_smoke server: socket: %s\n",
				strerror(errno));
			return 1;
		}
		homa_parse_addr(opt.family == AF_INET ? "0.0.0.0" : "::",
				s->port, &addr);
		if (bind(s->fd, &addr.sa, homa_addr_len(&addr)) != 0) {
			fprintf(stderr, "homa_smoke server: bind to port %d: %s\n",
				s->port, strerror(errno));
			return 1;
		}
		if (homa_rcvbuf_setup(s->fd, opt.rcvbuf, &s->buf) != 0) {
			fprintf(stderr, "homa_smoke server: "
				"setsockopt(SO_HOMA_RCVBUF, %zu bytes): %s\n",
				opt.rcvbuf, strerror(errno));
			return 1;
		}
		s->tx = malloc(HOMA_MAX_MESSAGE_LENGTH);
		if (!s->tx) {
			fprintf(stderr, "homa_smoke server: out of memory\n");
			return 1;
		}
		printf("listening on port %d (%s)\n", s->port,
		       opt.family == AF_INET ? "IPv4" : "IPv6");
	}
	for (i = 0; i < opt.num_ports; i++) {
		if (pthread_create(&thread, NULL, server_thread,
				   &server_socks[i]) != 0) {
			fprintf(stderr, "homa_smoke server: cannot create a thread\n");
			return 1;
		}
		pthread_detach(thread);
	}
	if (opt.report)
		write_report();
	printf("ready\n");

	period.tv_sec = opt.report_ms / 1000;
	period.tv_nsec = opt.report_ms % 1000 * 1000000;
	for (;;) {
		sig = sigtimedwait(&sigs, NULL, opt.report ? &period : NULL);
		if (opt.report)
			write_report();
		if (sig == SIGTERM || sig == SIGINT)
			return 0;
	}
}

/* --- command line ------------------------------------------------------ */

enum {
	OPT_TIMEOUT = 256,
	OPT_DELAY,
	OPT_REPORT,
	OPT_REPORT_MS,
	OPT_TAG,
	OPT_LINGER,
	OPT_RCVBUF,
};

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "delay-ms", required_argument, NULL, OPT_DELAY },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "report-ms", required_argument, NULL, OPT_REPORT_MS },
	{ "tag", required_argument, NULL, OPT_TAG },
	{ "linger-ms", required_argument, NULL, OPT_LINGER },
	{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
	{ NULL, 0, NULL, 0 },
};

/* Add the ports of "P" or "P,P,..." to opt.ports. */
static void add_ports(const char *text)
{
	char *copy = strdup(text), *tok, *save;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (opt.num_ports == MAX_PORTS)
			homa_usage_error("at most %d ports", MAX_PORTS);
		opt.ports[opt.num_ports++] = homa_parse_num(tok, 1, 65535, "port");
	}
	free(copy);
}

/* Set up servers[] from the client's HOST and ports. */
static void client_addresses(const char *host)
{
	union homa_addr a;
	int i;

	if (homa_parse_addr(host, 0, &a) != 0)
		homa_usage_error("HOST \"%s\" is not a numeric IPv4 or IPv6 address",
				 host);
	if (a.sa.sa_family == AF_INET6 && opt.family == AF_INET)
		homa_usage_error("-4 with the IPv6 address %s", host);
	if (a.sa.sa_family == AF_INET && opt.family == AF_INET6) {
		/* An IPv6 socket reaches an IPv4 host at its mapped address. */
		struct in_addr v4 = a.in4.sin_addr;

		memset(&a, 0, sizeof(a));
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_addr.s6_addr[10] = 0xff;
		a.in6.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&a.in6.sin6_addr.s6_addr[12], &v4, 4);
	}
	snprintf(host_text, sizeof(host_text), "%s", host);
	if (!opt.num_ports)
		opt.ports[opt.num_ports++] = DEFAULT_PORT;
	for (i = 0; i < opt.num_ports; i++) {
		servers[i] = a;
		if (a.sa.sa_family == AF_INET)
			servers[i].in4.sin_port = htons(opt.ports[i]);
		else
			servers[i].in6.sin6_port = htons(opt.ports[i]);
	}
}

static int client_main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		homa_usage_error("client needs HOST and a command");
	if (argc > 3 || (argc == 3 && strcmp(argv[1], "sizes") != 0))
		homa_usage_error("unexpected argument \"%s\"", argv[2]);
	client_addresses(argv[0]);
	cmd = argv[1];
	base_seed = mix64(homa_now_ns() ^ (uint64_t)getpid() << 32);
	start_watchdog();
	if (!strcmp(cmd, "sizes"))
		return cmd_sizes(argc == 3 ? argv[2] : NULL);
	if (!strcmp(cmd, "one"))
		return cmd_one();
	if (!strcmp(cmd, "concurrent"))
		return cmd_concurrent();
	if (!strcmp(cmd, "private"))
		return cmd_private();
	if (!strcmp(cmd, "forked"))
		return cmd_forked();
	if (!strcmp(cmd, "poll"))
		return cmd_poll(0);
	if (!strcmp(cmd, "epoll"))
		return cmd_poll(1);
	if (!strcmp(cmd, "shutdown"))
		return cmd_shutdown();
	if (!strcmp(cmd, "unreachable"))
		return cmd_unreachable();
	if (!strcmp(cmd, "count"))
		return cmd_count();
	if (!strcmp(cmd, "tag"))
		return cmd_tag();
	if (!strcmp(cmd, "info"))
		return cmd_info();
	homa_usage_error("unknown command \"%s\"", cmd);
}

int main(int argc, char **argv)
{
	int c;

	homa_prog = "homa_smoke";
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "46p:s:t:n:c:vh", long_options,
				NULL)) != -1) {
		switch (c) {
		case '4':
			opt.family = AF_INET;
			break;
		case '6':
			opt.family = AF_INET6;
			break;
		case 'p':
			add_ports(optarg);
			break;
		case 's':
			opt.size = homa_parse_num(optarg, 1, HOMA_MAX_MESSAGE_LENGTH,
						  "size");
			break;
		case 't':
			opt.threads = homa_parse_num(optarg, 1, MAX_THREADS,
						     "thread count");
			break;
		case 'n':
			opt.num = homa_parse_num(optarg, 0, 100000000, "-n");
			break;
		case 'c':
			opt.count = homa_parse_num(optarg, 1, 100000000, "count");
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_TIMEOUT:
			opt.timeout_s = homa_parse_num(optarg, 1, 3600, "timeout");
			break;
		case OPT_DELAY:
			opt.delay_ms = homa_parse_num(optarg, 0, MAX_DELAY_MS,
						      "delay");
			break;
		case OPT_REPORT:
			opt.report = optarg;
			break;
		case OPT_REPORT_MS:
			opt.report_ms = homa_parse_num(optarg, 1, 60000,
						       "report period");
			break;
		case OPT_TAG:
			opt.tag = optarg;
			break;
		case OPT_LINGER:
			opt.linger_ms = homa_parse_num(optarg, 0, 3600000,
						       "linger time");
			break;
		case OPT_RCVBUF:
			opt.rcvbuf = homa_parse_bytes(optarg);
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc)
		homa_usage_error("say \"server\" or \"client\"");
	if (!strcmp(argv[optind], "server")) {
		if (optind + 1 != argc)
			homa_usage_error("unexpected argument \"%s\"",
					 argv[optind + 1]);
		return server_main();
	}
	if (!strcmp(argv[optind], "client"))
		return client_main(argc - optind - 1, argv + optind + 1);
	homa_usage_error("unknown mode \"%s\"", argv[optind]);
}
