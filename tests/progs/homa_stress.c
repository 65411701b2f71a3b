// SPDX-License-Identifier: GPL-2.0
/*
 * homa_stress: many RPCs of random sizes, every byte checked, every
 * execution counted; meant to run while the network misbehaves.
 *
 *   homa_stress server [-4|-6] -p PORT [--report FILE] [OPTIONS]
 *   homa_stress client HOST -p PORT -n RPCS -t THREADS [OPTIONS]
 *
 * Every request starts with a 16-byte header: a key unique to the request
 * (client pid, thread and sequence number), the length of the response
 * wanted and a check word over both and the request's length. The rest of
 * the request, and the whole response, are a pattern that depends on the
 * key and on each byte's offset. The server checks each request, records
 * its key in a hash set (a key seen twice is a request executed twice,
 * which Homa's at-most-once delivery forbids) and answers with the
 * response asked for. The client checks each response byte for byte,
 * counts RPCs that completed, failed (by errno), came back wrong, or were
 * still outstanding ("stuck") when --deadline expired, and then exits
 * whatever the kernel does. usage() tells the rest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "homa_lib.h"
#include "homa_util.h"

#define MAX_THREADS 64
#define MAX_OUTSTANDING 1000
#define MAX_ERRNO 256

/* Request header: key (8), response length (4), check word (4). */
#define HDR_LEN 16

/* Salts that keep the three uses of a key's hash apart. */
#define SALT_HDR 0x6873747268647221ULL
#define SALT_REQ 0x6873747272657121ULL
#define SALT_RESP 0x6873747272737021ULL

/* Bound on each recvmsg, so that threads notice the deadline. */
#define RECV_TIMEOUT_MS 100

/* Problems described in detail (the counts include every one). */
#define MAX_REPORTED 10

/* RPCs listed from HOMAIOCINFO when a socket still holds some. */
#define MAX_RPC_INFO 32

static const char *const usage_text =
"usage: homa_stress server [-4|-6] -p PORT [--report FILE] [OPTIONS]\n"
"       homa_stress client HOST -p PORT -n RPCS -t THREADS [OPTIONS]\n"
"\n"
"server: one socket bound to PORT (IPv4 unless -6), served by -t threads\n"
"  (default 2), until SIGTERM or SIGINT. Checks every request, counts\n"
"  executions per request key and answers with the response length the\n"
"  request asks for. Prints \"ready\" once it serves, and a summary line\n"
"  \"homa_stress server: executions=N duplicates=N bad=N failed=N\n"
"  send_errors=N rpcs=N\" when it ends.\n"
"  --report FILE   keep FILE up to date (every 100 ms, on SIGUSR1 and at\n"
"                  exit; replaced atomically) with lines NAME=VALUE:\n"
"                  executions, duplicates, bad_requests, failed (server RPCs\n"
"                  recvmsg reported failed), send_errors, rpcs (HOMAIOCINFO\n"
"                  num_rpcs now), max_rpcs, bpool_avail_bytes; then one\n"
"                  \"rpc ...\" line per RPC the socket holds (at most 32)\n"
"\n"
"client HOST: HOST is a numeric IPv4 or IPv6 address. RPCS requests in\n"
"  all, issued by THREADS threads, each keeping up to OUTSTANDING in\n"
"  flight; request and response sizes are drawn independently and\n"
"  log-uniformly from [--min, --max] (requests are at least 16 bytes: they\n"
"  carry a header). Ends with one line\n"
"  \"homa_stress client: rpcs=N issued=N completed=N failed=N wrong=N\n"
"  stuck=N client_rpcs=N errors=E:N,... elapsed_s=S max_rtt_ms=MS\n"
"  max_fail_ms=MS inflight_at_first_fail=N\"\n"
"  where failed counts RPCs that ended with an errno (sendmsg or recvmsg),\n"
"  wrong those whose response had wrong bytes, length, id or cookie,\n"
"  stuck those still outstanding at the deadline, client_rpcs the RPCs\n"
"  the client sockets still hold at the end (HOMAIOCINFO; 0 expected).\n"
"  Exit status 0 if every RPC completed correctly and the sockets hold no\n"
"  RPC, 1 if not, 2 for a usage error.\n"
"  -o N            RPCs in flight per thread (default 4)\n"
"  --min N, --max N  size range (default 1 and 1000000)\n"
"  --seed S        seed of the size sequence (default: from the clock;\n"
"                  printed)\n"
"  --deadline SEC  stop waiting after SEC seconds (default 120): what is\n"
"                  still outstanding then is stuck; the client exits\n"
"  --shared        all threads share one socket (default: one each)\n"
"  --stop-on-error issue no new RPC once one has failed\n"
"  --linger SEC    keep the sockets open SEC seconds before closing (so\n"
"                  the server can still get acks); SIGTERM or SIGINT end\n"
"                  the lingering early\n"
"  -v              one line per RPC\n"
"\n"
"Both: -4, -6 address family; --rcvbuf BYTES receive buffer region per\n"
"socket (suffix K or M).\n";

static struct {
	int family;
	int port;
	long threads;
	long num;
	long outstanding;
	long min_size;
	long max_size;
	uint64_t seed;
	int have_seed;
	long deadline_s;
	int shared;
	int stop_on_error;
	long linger_s;
	int verbose;
	const char *report;
	size_t rcvbuf;
} opt = {
	.outstanding = 4,
	.min_size = 1,
	.max_size = HOMA_MAX_MESSAGE_LENGTH,
	.deadline_s = 120,
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size);

	if (!p)
		homa_die(1, "out of memory (%zu bytes)", size);
	return p;
}

static const char *errno_name(int err)
{
	static __thread char text[16];
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(text, sizeof(text), "E%d", err);
	return text;
}

/* --- message contents ---------------------------------------------- */

/* The finaliser of SplitMix64: a good 64-bit mixing function. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * pattern_fill() - Bytes [start, start + n) of the pattern with @seed:
 * 8-byte word i is a hash of the seed and i, so a byte from another
 * message, or from another offset, differs with near certainty.
 */
static void pattern_fill(uint64_t seed, size_t start, unsigned char *dst,
			 size_t n)
{
	size_t word = start / 8, skip = start % 8, k;
	uint64_t v;

	while (n > 0) {
		v = mix64(seed ^ (word * 0xd6e8feb86659fd93ULL));
		k = 8 - skip < n ? 8 - skip : n;
		memcpy(dst, (unsigned char *)&v + skip, k);
		dst += k;
		n -= k;
		skip = 0;
		word++;
	}
}

static void put_be64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

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

/* The check word of a request header. */
static uint32_t hdr_check(uint64_t key, uint32_t resp_len, uint32_t req_len)
{
	return (uint32_t)mix64(key ^ SALT_HDR ^
			       ((uint64_t)resp_len << 32 | req_len));
}

/* Build a request of @req_len bytes (at least HDR_LEN) into @dst. */
static void request_build(unsigned char *dst, uint64_t key, uint32_t req_len,
			  uint32_t resp_len)
{
	put_be64(dst, key);
	put_be32(dst + 8, resp_len);
	put_be32(dst + 12, hdr_check(key, resp_len, req_len));
	pattern_fill(mix64(key ^ SALT_REQ), HDR_LEN, dst + HDR_LEN,
		     req_len - HDR_LEN);
}

/*
 * msg_compare() - Compare a received message with the pattern @seed from
 * offset @from on.
 * @buf:     the socket's buffer region.
 * @msg:     the message.
 * @seed:    the pattern's seed.
 * @from:    first offset to compare.
 * @scratch: HOMA_BPAGE_SIZE bytes of room.
 *
 * Return: -1 if every byte matches, else the offset of the first that
 * does not (or that cannot be read).
 */
static long msg_compare(const struct homa_rcvbuf *buf,
			const struct homa_msg *msg, uint64_t seed, size_t from,
			unsigned char *scratch)
{
	const unsigned char *got;
	size_t off, n, i;

	for (off = from; off < (size_t)msg->length; off += n) {
		got = homa_msg_chunk(buf, msg, off, &n);
		if (!got)
			return (long)off;
		pattern_fill(seed, off, scratch, n);
		if (!memcmp(got, scratch, n))
			continue;
		for (i = 0; got[i] == scratch[i]; i++)
			;
		return (long)(off + i);
	}
	return -1;
}

/* Print the RPCs a socket holds (HOMAIOCINFO) to @f, each line @prefix'ed. */
static void print_rpcs(FILE *f, const char *prefix,
		       const struct homa_rpc_info *rpcs, uint32_t n)
{
	char a[HOMA_ADDR_STRLEN];
	uint32_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%srpc id=%llu peer=%s cookie=%#llx tx_length=%d "
			"tx_sent=%u tx_granted=%u rx_length=%d "
			"rx_remaining=%u rx_gaps=%u rx_gap_bytes=%u "
			"rx_granted=%u flags=%#x\n", prefix,
			(unsigned long long)rpcs[i].id,
			homa_addr_str((const union homa_addr *)&rpcs[i].peer,
				      a, sizeof(a)),
			(unsigned long long)rpcs[i].completion_cookie,
			rpcs[i].tx_length, rpcs[i].tx_sent,
			rpcs[i].tx_granted, rpcs[i].rx_length,
			rpcs[i].rx_remaining, rpcs[i].rx_gaps,
			rpcs[i].rx_gap_bytes, rpcs[i].rx_granted,
			rpcs[i].flags);
}

/* --- server ---------------------------------------------------------- */

/*
 * The keys of the requests executed so far: an open-addressing hash set
 * (0 marks a free entry; keys are never 0), grown at half load.
 */
static struct {
	pthread_mutex_t lock;
	uint64_t *keys;
	size_t size;		/* entries, a power of 2 */
	size_t used;
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void seen_put(uint64_t *keys, size_t size, uint64_t key)
{
	size_t i = mix64(key) & (size - 1);

	while (keys[i])
		i = (i + 1) & (size - 1);
	keys[i] = key;
}

/* Record @key; returns 1 if it was there already. */
static int seen_add(uint64_t key)
{
	size_t i, new_size;
	uint64_t *keys;

	pthread_mutex_lock(&seen.lock);
	if (2 * (seen.used + 1) > seen.size) {
		new_size = seen.size ? 2 * seen.size : 4096;
		keys = calloc(new_size, sizeof(*keys));
		if (!keys)
			homa_die(1, "out of memory for %zu request keys", new_size);
		for (i = 0; i < seen.size; i++)
			if (seen.keys[i])
				seen_put(keys, new_size, seen.keys[i]);
		free(seen.keys);
		seen.keys = keys;
		seen.size = new_size;
	}
	for (i = mix64(key) & (seen.size - 1); seen.keys[i];
	     i = (i + 1) & (seen.size - 1)) {
		if (seen.keys[i] == key) {
			pthread_mutex_unlock(&seen.lock);
			return 1;
		}
	}
	seen.keys[i] = key;
	seen.used++;
	pthread_mutex_unlock(&seen.lock);
	return 0;
}

static int server_fd;
static struct homa_rcvbuf server_buf;
static atomic_ullong executions, duplicates, bad_requests, server_failed,
		     send_errors;
static atomic_uint max_rpcs;

/*
 * Print a problem of the server or the client side, one line each, for
 * the first MAX_REPORTED problems of that side.
 */
struct problem_log {
	const char *side;
	atomic_int reported;
};

static struct problem_log server_problems = { .side = "server" };
static struct problem_log client_problems = { .side = "client" };

static void __attribute__((format(printf, 2, 3)))
report_problem(struct problem_log *log, const char *fmt, ...)
{
	char text[400];
	va_list ap;

	if (atomic_fetch_add(&log->reported, 1) >= MAX_REPORTED)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* One call, so that lines of several threads do not mix. */
	fprintf(stderr, "homa_stress %s: %s\n", log->side, text);
}

static void sample_rpcs(void)
{
	struct homa_info info;
	unsigned int old;

	if (homa_get_info(server_fd, &info, NULL, 0) != 0)
		return;
	old = atomic_load(&max_rpcs);
	while (info.num_rpcs > old &&
	       !atomic_compare_exchange_weak(&max_rpcs, &old, info.num_rpcs))
		;
}

/*
 * Check the request in @m; returns the response length it asks for, or
 * 0 if the request is malformed (then it gets a 1-byte answer, so that
 * the client is not left waiting, and the client finds it wrong).
 */
static uint32_t server_check(const struct homa_msg *m, unsigned char *scratch,
			     uint64_t *key)
{
	unsigned char hdr[HDR_LEN];
	uint32_t resp_len;
	long bad;

	*key = 0;
	if (m->length < HDR_LEN ||
	    homa_msg_copy(&server_buf, m, 0, hdr, HDR_LEN) != HDR_LEN) {
		report_problem(&server_problems, "request %llu has only %d bytes",
			       (unsigned long long)m->args.id,
			       m->length);
		return 0;
	}
	*key = get_be64(hdr);
	resp_len = get_be32(hdr + 8);
	if (get_be32(hdr + 12) != hdr_check(*key, resp_len, m->length) ||
	    resp_len < 1 || resp_len > HOMA_MAX_MESSAGE_LENGTH) {
		report_problem(&server_problems, "request %llu (%d bytes): bad header "
			       "(key %#llx, response length %u)",
			       (unsigned long long)m->args.id,
			       m->length, (unsigned long long)*key,
			       resp_len);
		*key = 0;
		return 0;
	}
	bad = msg_compare(&server_buf, m, mix64(*key ^ SALT_REQ), HDR_LEN,
			  scratch);
	if (bad >= 0) {
		report_problem(&server_problems, "request %llu (key %#llx, %d bytes): "
			       "wrong byte at offset %ld",
			       (unsigned long long)m->args.id,
			       (unsigned long long)*key, m->length,
			       bad);
		return 0;
	}
	return resp_len;
}

static void *server_thread(void *arg)
{
	unsigned char *tx = xmalloc(HOMA_MAX_MESSAGE_LENGTH);
	unsigned char *scratch = xmalloc(HOMA_BPAGE_SIZE);
	struct homa_msg m;
	uint32_t resp_len;
	char why[200];
	uint64_t key;
	int n;

	(void)arg;
	homa_msg_init(&m);
	for (;;) {
		n = homa_recv(server_fd, 0, 0, &m);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ESHUTDOWN)
				return NULL;
			if (m.args.id) {
				atomic_fetch_add(&server_failed, 1);
				report_problem(&server_problems, "server RPC %llu failed: %s",
					       (unsigned long long)m.args.id,
					       strerror(errno));
				continue;
			}
			homa_die(1, "server: recvmsg: %s", strerror(errno));
		}
		if (!(m.args.id & 1)) {
			atomic_fetch_add(&bad_requests, 1);
			report_problem(&server_problems, "recvmsg returned response %llu",
				       (unsigned long long)m.args.id);
			continue;
		}
		if (homa_msg_check(&server_buf, &m, why, sizeof(why)) != 0)
			homa_die(1, "server: request %llu (%d bytes): %s",
				 (unsigned long long)m.args.id, n, why);
		resp_len = server_check(&m, scratch, &key);
		if (!resp_len) {
			atomic_fetch_add(&bad_requests, 1);
			resp_len = 1;
			tx[0] = 0;
		} else {
			atomic_fetch_add(&executions, 1);
			if (seen_add(key)) {
				atomic_fetch_add(&duplicates, 1);
				report_problem(&server_problems,
					       "key %#llx executed again (RPC %llu, %d B)",
					       (unsigned long long)key,
					       (unsigned long long)m.args.id,
					       n);
			}
			pattern_fill(mix64(key ^ SALT_RESP), 0, tx, resp_len);
		}
		if (opt.verbose)
			fprintf(stderr, "request %llu key %#llx: %d bytes, responding with %u\n",
				(unsigned long long)m.args.id,
				(unsigned long long)key, n, resp_len);
		if (homa_send_response(server_fd, &m.peer, m.args.id, tx,
				       resp_len) != 0) {
			if (errno == ESHUTDOWN)
				return NULL;
			atomic_fetch_add(&send_errors, 1);
			report_problem(&server_problems, "sendmsg of the response to RPC %llu: %s",
				       (unsigned long long)m.args.id,
				       strerror(errno));
			continue;
		}
		if (opt.report)
			sample_rpcs();
	}
	return NULL;
}

/* Rewrite the --report file; returns the socket's RPC count. */
static unsigned int write_report(void)
{
	static struct homa_rpc_info rpcs[MAX_RPC_INFO];
	struct homa_info info;
	char tmp[4096];
	uint32_t shown;
	FILE *f;

	if (homa_get_info(server_fd, &info, rpcs, MAX_RPC_INFO) != 0) {
		fprintf(stderr, "homa_stress server: ioctl(HOMAIOCINFO): %s\n",
			strerror(errno));
		return 0;
	}
	if (!opt.report)
		return info.num_rpcs;
	sample_rpcs();
	snprintf(tmp, sizeof(tmp), "%s.tmp", opt.report);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "homa_stress server: %s: %s\n", tmp,
			strerror(errno));
		return info.num_rpcs;
	}
	fprintf(f, "executions=%llu\nduplicates=%llu\nbad_requests=%llu\n"
		"failed=%llu\nsend_errors=%llu\nrpcs=%u\nmax_rpcs=%u\n"
		"bpool_avail_bytes=%llu\n",
		atomic_load(&executions), atomic_load(&duplicates),
		atomic_load(&bad_requests), atomic_load(&server_failed),
		atomic_load(&send_errors), info.num_rpcs,
		atomic_load(&max_rpcs),
		(unsigned long long)info.bpool_avail_bytes);
	shown = info.num_rpcs < MAX_RPC_INFO ? info.num_rpcs : MAX_RPC_INFO;
	print_rpcs(f, "", rpcs, shown);
	if (fclose(f) != 0 || rename(tmp, opt.report) != 0)
		fprintf(stderr, "homa_stress server: writing %s: %s\n",
			opt.report, strerror(errno));
	return info.num_rpcs;
}

static int server_main(void)
{
	struct timespec period = { 0, 100 * 1000000 };
	union homa_addr addr;
	pthread_t thread;
	unsigned int rpcs;
	sigset_t sigs;
	long i;
	int sig;

	/* Only the main thread takes signals (with sigtimedwait). */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	if (!opt.port)
		homa_usage_error("server needs -p PORT");
	if (!opt.family)
		opt.family = AF_INET;
	if (!opt.threads)
		opt.threads = 2;
	if (!opt.rcvbuf)
		opt.rcvbuf = HOMA_RCVBUF_DEFAULT_LENGTH;
	server_fd = socket(opt.family, SOCK_DGRAM, IPPROTO_HOMA);
	if (server_fd < 0)
		homa_die(1, "server: socket: %s", strerror(errno));
	homa_parse_addr(opt.family == AF_INET ? "0.0.0.0" : "::", opt.port,
			&addr);
	if (bind(server_fd, &addr.sa, homa_addr_len(&addr)) != 0)
		homa_die(1, "server: bind to port %d: %s", opt.port, strerror(errno));
	if (homa_rcvbuf_setup(server_fd, opt.rcvbuf, &server_buf) != 0)
		homa_die(1, "server: setsockopt(SO_HOMA_RCVBUF, %zu bytes): %s",
			 opt.rcvbuf, strerror(errno));
	for (i = 0; i < opt.threads; i++) {
		if (pthread_create(&thread, NULL, server_thread, NULL) != 0)
			homa_die(1, "server: cannot create a thread");
		pthread_detach(thread);
	}
	write_report();
	printf("listening on port %d (%s), %ld threads\nready\n", opt.port,
	       opt.family == AF_INET ? "IPv4" : "IPv6", opt.threads);
	fflush(stdout);

	for (;;) {
		sig = sigtimedwait(&sigs, NULL, &period);
		rpcs = write_report();
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	printf("homa_stress server: executions=%llu duplicates=%llu bad=%llu "
	       "failed=%llu send_errors=%llu rpcs=%u\n",
	       atomic_load(&executions), atomic_load(&duplicates),
	       atomic_load(&bad_requests), atomic_load(&server_failed),
	       atomic_load(&send_errors), rpcs);
	fflush(stdout);
	/* Exit without closing: serving threads may still be in a call. */
	return atomic_load(&duplicates) || atomic_load(&bad_requests) ? 1 : 0;
}

/* --- client ---------------------------------------------------------- */

/* Slot states. */
enum { SLOT_FREE, SLOT_RESERVED, SLOT_BUSY };

/**
 * struct slot - One outstanding RPC of a client socket.
 */
struct slot {
	int state;
	uint64_t key;		/* request key */
	uint64_t cookie;	/* completion cookie: socket, slot, serial */
	uint64_t id;		/* Homa's id for the RPC */
	uint32_t req_len;
	uint32_t resp_len;
	uint64_t start_ns;
};

/**
 * struct csock - A client socket, used by one thread (or all, --shared).
 * @lock protects the slots; it is held across sendmsg so that a response
 * is never looked up before its slot is complete.
 */
struct csock {
	int index;
	int fd;
	struct homa_rcvbuf buf;
	pthread_mutex_t lock;
	struct slot *slots;
	int num_slots;
	atomic_int in_flight;	/* reserved or busy slots */
	uint64_t serial;
};

/**
 * struct cthread - A client thread.
 */
struct cthread {
	int index;
	pthread_t thread;
	struct csock *sock;
	struct homa_msg msg;
	unsigned char *tx;
	unsigned char *scratch;
	uint64_t rng;
	uint32_t seq;
};

static union homa_addr server_addr;
static struct csock *csocks;
static int num_csocks;
static struct cthread *cthreads;
static uint64_t start_ns;
static uint32_t key_pid;

static atomic_long issued, completed, failed, wrong, recv_errors;
static atomic_long errno_counts[MAX_ERRNO];
static atomic_int stop, any_failure;
static atomic_long inflight_at_first_fail = -1;
static atomic_ullong max_rtt_ns, max_fail_ns;

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond;
static int threads_done;

static void atomic_max(atomic_ullong *v, uint64_t x)
{
	unsigned long long old = atomic_load(v);

	while (x > old && !atomic_compare_exchange_weak(v, &old, x))
		;
}

static long total_in_flight(void)
{
	long n = 0;
	int i;

	for (i = 0; i < num_csocks; i++)
		n += atomic_load(&csocks[i].in_flight);
	return n;
}

static uint64_t rng_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix64(*state);
}

/* A size drawn log-uniformly from [--min, --max]. */
static uint32_t draw_size(uint64_t *rng)
{
	double lo = log((double)opt.min_size);
	double hi = log((double)opt.max_size + 1);
	double u = (double)(rng_next(rng) >> 11) / (double)(1ULL << 53);
	long v = (long)exp(lo + u * (hi - lo));

	if (v < opt.min_size)
		v = opt.min_size;
	if (v > opt.max_size)
		v = opt.max_size;
	return (uint32_t)v;
}

/* Count an RPC that ended with @err; @s is its slot (lock held). */
static void rpc_failed(struct csock *s, struct slot *sl, int err)
{
	uint64_t took = homa_now_ns() - sl->start_ns;
	long expected = -1;

	atomic_compare_exchange_strong(&inflight_at_first_fail, &expected,
				       total_in_flight());
	atomic_store(&any_failure, 1);
	atomic_fetch_add(&failed, 1);
	atomic_fetch_add(&errno_counts[err > 0 && err < MAX_ERRNO ? err : 0],
			 1);
	atomic_max(&max_fail_ns, took);
	report_problem(&client_problems, "RPC %llu (key %#llx, %u bytes out, %u expected back) "
		       "failed after %.1f ms: %s",
		       (unsigned long long)sl->id,
		       (unsigned long long)sl->key, sl->req_len,
		       sl->resp_len, took / 1e6, errno_name(err));
	sl->state = SLOT_FREE;
	atomic_fetch_sub(&s->in_flight, 1);
}

/* Whether this client may still start RPCs. */
static int may_issue(void)
{
	return !atomic_load(&stop) &&
	       !(opt.stop_on_error && atomic_load(&any_failure)) &&
	       atomic_load(&issued) < opt.num;
}

/*
 * Start one RPC on the thread's socket if a slot is free and RPCs remain;
 * returns 1 if it did.
 */
static int issue_one(struct cthread *t)
{
	struct csock *s = t->sock;
	uint32_t req_len, resp_len;
	struct slot *sl = NULL;
	uint64_t key, id = 0;
	long n;
	int i;

	if (!may_issue() || atomic_load(&s->in_flight) >= s->num_slots)
		return 0;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->num_slots; i++) {
		if (s->slots[i].state == SLOT_FREE) {
			sl = &s->slots[i];
			sl->state = SLOT_RESERVED;
			atomic_fetch_add(&s->in_flight, 1);
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	if (!sl)
		return 0;
	n = atomic_load(&issued);
	while (n < opt.num && !atomic_compare_exchange_weak(&issued, &n, n + 1))
		;
	if (n >= opt.num) {
		pthread_mutex_lock(&s->lock);
		sl->state = SLOT_FREE;
		atomic_fetch_sub(&s->in_flight, 1);
		pthread_mutex_unlock(&s->lock);
		return 0;
	}

	req_len = draw_size(&t->rng);
	if (req_len < HDR_LEN)
		req_len = HDR_LEN;
	resp_len = draw_size(&t->rng);
	key = (uint64_t)key_pid << 40 | (uint64_t)t->index << 32 | ++t->seq;
	request_build(t->tx, key, req_len, resp_len);

	pthread_mutex_lock(&s->lock);
	sl->key = key;
	sl->req_len = req_len;
	sl->resp_len = resp_len;
	sl->cookie = (uint64_t)s->index << 56 | (uint64_t)(sl - s->slots) << 40 |
		     (++s->serial & 0xffffffffffULL);
	sl->start_ns = homa_now_ns();
	if (homa_send_request(s->fd, &server_addr, t->tx, req_len, sl->cookie,
			      0, &id) != 0) {
		sl->id = 0;
		rpc_failed(s, sl, errno);
	} else {
		sl->id = id;
		sl->state = SLOT_BUSY;
		if (opt.verbose)
			printf("thread %d: RPC %llu key %#llx: %u bytes out, %u expected\n",
			       t->index, (unsigned long long)id,
			       (unsigned long long)key, req_len, resp_len);
	}
	pthread_mutex_unlock(&s->lock);
	return 1;
}

/* The slot a cookie names, if it is busy with that cookie (lock held). */
static struct slot *slot_of(struct csock *s, uint64_t cookie)
{
	uint64_t i = cookie >> 40 & 0xffff;

	if ((int)(cookie >> 56) != s->index || i >= (uint64_t)s->num_slots ||
	    s->slots[i].state != SLOT_BUSY || s->slots[i].cookie != cookie)
		return NULL;
	return &s->slots[i];
}

/* A response arrived in t->msg (@n bytes): check it. */
static void handle_response(struct cthread *t, int n)
{
	struct csock *s = t->sock;
	struct homa_msg *m = &t->msg;
	struct slot *sl, copy;
	char why[200];
	uint64_t rtt;
	long bad;

	pthread_mutex_lock(&s->lock);
	sl = slot_of(s, m->args.completion_cookie);
	if (!sl) {
		pthread_mutex_unlock(&s->lock);
		atomic_fetch_add(&wrong, 1);
		report_problem(&client_problems,
			       "response for RPC %llu (%d bytes) carries cookie %#llx, "
			       "which names no outstanding RPC",
			       (unsigned long long)m->args.id, n,
			       (unsigned long long)m->args.completion_cookie);
		return;
	}
	copy = *sl;
	sl->state = SLOT_FREE;
	atomic_fetch_sub(&s->in_flight, 1);
	pthread_mutex_unlock(&s->lock);

	rtt = homa_now_ns() - copy.start_ns;
	if (m->args.id != copy.id) {
		snprintf(why, sizeof(why), "it carries id %llu",
			 (unsigned long long)m->args.id);
	} else if ((uint32_t)n != copy.resp_len) {
		snprintf(why, sizeof(why), "it has %d bytes", n);
	} else if (homa_msg_check(&s->buf, m, why, sizeof(why)) == 0) {
		bad = msg_compare(&s->buf, m, mix64(copy.key ^ SALT_RESP), 0,
				  t->scratch);
		if (bad < 0) {
			atomic_fetch_add(&completed, 1);
			atomic_max(&max_rtt_ns, rtt);
			if (opt.verbose)
				printf("thread %d: RPC %llu: %d bytes back in %.1f ms, ok\n",
				       t->index, (unsigned long long)copy.id, n,
				       rtt / 1e6);
			return;
		}
		snprintf(why, sizeof(why), "byte %ld is wrong", bad);
	}
	atomic_fetch_add(&wrong, 1);
	report_problem(&client_problems, "response to RPC %llu (key %#llx, %u/%u bytes): %s",
		       (unsigned long long)copy.id,
		       (unsigned long long)copy.key, copy.req_len,
		       copy.resp_len, why);
}

/* recvmsg reported RPC t->msg.args.id failed with @err. */
static void handle_failure(struct cthread *t, int err)
{
	struct csock *s = t->sock;
	struct homa_msg *m = &t->msg;
	struct slot *sl;

	pthread_mutex_lock(&s->lock);
	sl = slot_of(s, m->args.completion_cookie);
	if (!sl || sl->id != m->args.id) {
		pthread_mutex_unlock(&s->lock);
		atomic_fetch_add(&wrong, 1);
		report_problem(&client_problems,
			       "recvmsg reports RPC %llu (cookie %#llx) failed (%s), "
			       "but that is no outstanding RPC",
			       (unsigned long long)m->args.id,
			       (unsigned long long)m->args.completion_cookie,
			       errno_name(err));
		return;
	}
	rpc_failed(s, sl, err);
	pthread_mutex_unlock(&s->lock);
}

static void thread_done(void)
{
	pthread_mutex_lock(&done_lock);
	threads_done++;
	pthread_cond_signal(&done_cond);
	pthread_mutex_unlock(&done_lock);
}

static void *client_thread(void *arg)
{
	struct cthread *t = arg;
	struct csock *s = t->sock;
	int n, err;

	for (;;) {
		while (issue_one(t))
			;
		if (atomic_load(&stop))
			break;
		if (!may_issue() && atomic_load(&s->in_flight) == 0)
			break;
		n = homa_recv(s->fd, 0, 0, &t->msg);
		if (n >= 0) {
			handle_response(t, n);
			continue;
		}
		err = errno;
		if (t->msg.args.id) {
			handle_failure(t, err);
			continue;
		}
		if (err == EAGAIN || err == EINTR)
			continue;
		/* An error that names no RPC: nothing more can be done. */
		atomic_fetch_add(&recv_errors, 1);
		report_problem(&client_problems, "recvmsg: %s", strerror(err));
		atomic_store(&stop, 1);
		break;
	}
	thread_done();
	return NULL;
}

static void client_open(struct csock *s, int index, int slots)
{
	struct timeval tv = { 0, RECV_TIMEOUT_MS * 1000 };
	size_t length = opt.rcvbuf;

	s->index = index;
	s->num_slots = slots;
	s->slots = calloc(slots, sizeof(*s->slots));
	if (!s->slots)
		homa_die(1, "out of memory");
	pthread_mutex_init(&s->lock, NULL);
	s->fd = socket(server_addr.sa.sa_family, SOCK_DGRAM, IPPROTO_HOMA);
	if (s->fd < 0)
		homa_die(1, "socket(IPPROTO_HOMA): %s", strerror(errno));
	/* Room for every response in flight, twice over. */
	if (!length)
		length = homa_rcvbuf_min_length() + 2 * (size_t)slots *
			 (opt.max_size + HOMA_BPAGE_SIZE);
	if (homa_rcvbuf_setup(s->fd, length, &s->buf) != 0)
		homa_die(1, "setsockopt(SO_HOMA_RCVBUF, %zu bytes): %s", length,
			 strerror(errno));
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
		homa_die(1, "setsockopt(SO_RCVTIMEO): %s", strerror(errno));
}

/*
 * The RPCs the client sockets hold; waits up to @wait_ms for them to go
 * to 0, and lists them on stderr if some remain.
 */
static unsigned long client_rpcs(long wait_ms)
{
	static struct homa_rpc_info rpcs[MAX_RPC_INFO];
	uint64_t end = homa_now_ns() + (uint64_t)wait_ms * 1000000;
	struct homa_info info;
	unsigned long total;
	int i;

	for (;;) {
		total = 0;
		for (i = 0; i < num_csocks; i++) {
			if (homa_get_info(csocks[i].fd, &info, NULL, 0) != 0)
				homa_die(1, "ioctl(HOMAIOCINFO): %s", strerror(errno));
			total += info.num_rpcs;
		}
		if (!total || homa_now_ns() >= end)
			break;
		sleep_ms(20);
	}
	for (i = 0; total && i < num_csocks; i++) {
		if (homa_get_info(csocks[i].fd, &info, rpcs, MAX_RPC_INFO) != 0)
			continue;
		if (!info.num_rpcs)
			continue;
		fprintf(stderr, "homa_stress client: socket %d (port %u) holds %u RPCs:\n",
			i, info.port, info.num_rpcs);
		print_rpcs(stderr, "homa_stress client:   ", rpcs,
			   info.num_rpcs < MAX_RPC_INFO ? info.num_rpcs :
			   MAX_RPC_INFO);
	}
	return total;
}

/* List the RPCs still outstanding (stuck), as the client sees them. */
static void print_stuck(void)
{
	uint64_t now = homa_now_ns();
	int i, j, shown = 0;

	for (i = 0; i < num_csocks; i++) {
		struct csock *s = &csocks[i];

		for (j = 0; j < s->num_slots; j++) {
			struct slot *sl = &s->slots[j];

			if (sl->state == SLOT_FREE || shown++ >= MAX_RPC_INFO)
				continue;
			fprintf(stderr, "homa_stress client: stuck: %s RPC %llu key %#llx, "
				"%u bytes out, %u expected back, for %.1f s\n",
				sl->state == SLOT_RESERVED ? "unsent" : "",
				(unsigned long long)sl->id,
				(unsigned long long)sl->key, sl->req_len,
				sl->resp_len, (now - sl->start_ns) / 1e9);
		}
	}
}

static void client_addresses(const char *host)
{
	union homa_addr a;
	struct in_addr v4;

	if (homa_parse_addr(host, opt.port, &a) != 0)
		homa_usage_error("HOST \"%s\" is not a numeric IPv4 or IPv6 address",
				 host);
	if (a.sa.sa_family == AF_INET6 && opt.family == AF_INET)
		homa_usage_error("-4 with the IPv6 address %s", host);
	if (a.sa.sa_family == AF_INET && opt.family == AF_INET6) {
		/* An IPv6 socket reaches an IPv4 host at its mapped address. */
		v4 = a.in4.sin_addr;
		memset(&a, 0, sizeof(a));
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_port = htons(opt.port);
		a.in6.sin6_addr.s6_addr[10] = 0xff;
		a.in6.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&a.in6.sin6_addr.s6_addr[12], &v4, 4);
	}
	server_addr = a;
}

static int client_main(int argc, char **argv)
{
	pthread_condattr_t attr;
	struct timespec until;
	unsigned long rpcs;
	sigset_t sigs;
	long stuck, i, hung = 0;
	char errors[512];
	size_t len = 0;
	double elapsed;
	int err, slots;

	if (argc != 1)
		homa_usage_error("client needs exactly one HOST");
	if (!opt.port || !opt.num || !opt.threads)
		homa_usage_error("client needs -p PORT, -n RPCS and -t THREADS");
	if (opt.min_size > opt.max_size)
		homa_usage_error("--min is larger than --max");
	client_addresses(argv[0]);
	if (!opt.have_seed)
		opt.seed = mix64(homa_now_ns() ^ (uint64_t)getpid() << 32);
	key_pid = (uint32_t)getpid() & 0xffffff;
	printf("homa_stress client: %ld RPCs to %s port %d, %ld threads x %ld "
	       "outstanding, %s, sizes %ld..%ld, seed %llu, deadline %ld s\n",
	       opt.num, argv[0], opt.port, opt.threads, opt.outstanding,
	       opt.shared ? "one shared socket" : "a socket per thread",
	       opt.min_size, opt.max_size, (unsigned long long)opt.seed,
	       opt.deadline_s);
	fflush(stdout);

	/*
	 * With --linger, SIGTERM and SIGINT only end the lingering: they stay
	 * blocked (in every thread) until then.
	 */
	sigemptyset(&sigs);
	if (opt.linger_s) {
		sigaddset(&sigs, SIGTERM);
		sigaddset(&sigs, SIGINT);
		pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	}

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&done_cond, &attr);

	num_csocks = opt.shared ? 1 : opt.threads;
	slots = opt.shared ? opt.threads * opt.outstanding : opt.outstanding;
	csocks = calloc(num_csocks, sizeof(*csocks));
	cthreads = calloc(opt.threads, sizeof(*cthreads));
	if (!csocks || !cthreads)
		homa_die(1, "out of memory");
	for (i = 0; i < num_csocks; i++)
		client_open(&csocks[i], i, slots);
	start_ns = homa_now_ns();
	for (i = 0; i < opt.threads; i++) {
		struct cthread *t = &cthreads[i];

		t->index = i;
		t->sock = &csocks[opt.shared ? 0 : i];
		t->rng = mix64(opt.seed + i);
		t->tx = xmalloc(HOMA_MAX_MESSAGE_LENGTH);
		t->scratch = xmalloc(HOMA_BPAGE_SIZE);
		homa_msg_init(&t->msg);
		if (pthread_create(&t->thread, NULL, client_thread, t) != 0)
			homa_die(1, "cannot create thread %ld", i);
	}

	/* Wait for the threads, or the deadline. */
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += opt.deadline_s;
	pthread_mutex_lock(&done_lock);
	err = 0;
	while (threads_done < opt.threads && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&done_cond, &done_lock, &until);
	if (threads_done < opt.threads) {
		atomic_store(&stop, 1);
		/* Threads notice within a recvmsg timeout, unless a call
		 * hangs in the kernel.
		 */
		until.tv_sec += 3;
		err = 0;
		while (threads_done < opt.threads && err != ETIMEDOUT)
			err = pthread_cond_timedwait(&done_cond, &done_lock,
						     &until);
		hung = opt.threads - threads_done;
	}
	pthread_mutex_unlock(&done_lock);
	elapsed = (homa_now_ns() - start_ns) / 1e9;
	stuck = total_in_flight();
	if (stuck)
		print_stuck();
	if (hung)
		fprintf(stderr, "homa_stress client: %ld threads hang in a call\n",
			hung);
	rpcs = hung ? 0 : client_rpcs(stuck ? 0 : 2000);

	errors[0] = 0;
	for (i = 0; i < MAX_ERRNO; i++) {
		long c = atomic_load(&errno_counts[i]);

		if (c && len < sizeof(errors) - 32)
			len += snprintf(errors + len, sizeof(errors) - len,
					"%s%s:%ld", len ? "," : "",
					i ? errno_name(i) : "other", c);
	}
	if (atomic_load(&recv_errors) && len < sizeof(errors) - 32)
		len += snprintf(errors + len, sizeof(errors) - len,
				"%srecvmsg:%ld", len ? "," : "",
				atomic_load(&recv_errors));
	printf("homa_stress client: rpcs=%ld issued=%ld completed=%ld failed=%ld "
	       "wrong=%ld stuck=%ld client_rpcs=%lu errors=%s elapsed_s=%.2f "
	       "max_rtt_ms=%.1f max_fail_ms=%.1f inflight_at_first_fail=%ld\n",
	       opt.num, atomic_load(&issued), atomic_load(&completed),
	       atomic_load(&failed), atomic_load(&wrong), stuck, rpcs,
	       len ? errors : "none", elapsed, atomic_load(&max_rtt_ns) / 1e6,
	       atomic_load(&max_fail_ns) / 1e6,
	       atomic_load(&inflight_at_first_fail) < 0 ? 0 :
	       atomic_load(&inflight_at_first_fail));
	fflush(stdout);
	if (hung)
		_exit(1);
	if (opt.linger_s) {
		/* SIGTERM or SIGINT (blocked since the start) ends it early. */
		struct timespec linger = { opt.linger_s, 0 };

		sigtimedwait(&sigs, NULL, &linger);
	}
	for (i = 0; i < num_csocks; i++)
		close(csocks[i].fd);
	return atomic_load(&completed) == opt.num && !atomic_load(&wrong) &&
	       !stuck && !rpcs && !atomic_load(&recv_errors) ? 0 : 1;
}

/* --- command line ------------------------------------------------------ */

enum {
	OPT_MIN = 256,
	OPT_MAX,
	OPT_SEED,
	OPT_DEADLINE,
	OPT_REPORT,
	OPT_SHARED,
	OPT_STOP_ON_ERROR,
	OPT_LINGER,
	OPT_RCVBUF,
};

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "min", required_argument, NULL, OPT_MIN },
	{ "max", required_argument, NULL, OPT_MAX },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "shared", no_argument, NULL, OPT_SHARED },
	{ "stop-on-error", no_argument, NULL, OPT_STOP_ON_ERROR },
	{ "linger", required_argument, NULL, OPT_LINGER },
	{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	char *end;
	int c;

	homa_prog = "homa_stress";

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "46p:n:t:o:vh", long_options,
				NULL)) != -1) {
		switch (c) {
		case '4':
			opt.family = AF_INET;
			break;
		case '6':
			opt.family = AF_INET6;
			break;
		case 'p':
			opt.port = homa_parse_num(optarg, 1, 65535, "port");
			break;
		case 'n':
			opt.num = homa_parse_num(optarg, 1, 1000000000, "RPC count");
			break;
		case 't':
			opt.threads = homa_parse_num(optarg, 1, MAX_THREADS,
						     "thread count");
			break;
		case 'o':
			opt.outstanding = homa_parse_num(optarg, 1, MAX_OUTSTANDING,
							 "outstanding count");
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case OPT_MIN:
			opt.min_size = homa_parse_num(optarg, 1,
						      HOMA_MAX_MESSAGE_LENGTH, "--min");
			break;
		case OPT_MAX:
			opt.max_size = homa_parse_num(optarg, 1,
						      HOMA_MAX_MESSAGE_LENGTH, "--max");
			break;
		case OPT_SEED:
			errno = 0;
			opt.seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end)
				homa_usage_error("bad seed \"%s\"", optarg);
			opt.have_seed = 1;
			break;
		case OPT_DEADLINE:
			opt.deadline_s = homa_parse_num(optarg, 1, 86400,
							"deadline");
			break;
		case OPT_REPORT:
			opt.report = optarg;
			break;
		case OPT_SHARED:
			opt.shared = 1;
			break;
		case OPT_STOP_ON_ERROR:
			opt.stop_on_error = 1;
			break;
		case OPT_LINGER:
			opt.linger_s = homa_parse_num(optarg, 0, 86400, "linger");
			break;
		case OPT_RCVBUF:
			opt.rcvbuf = homa_parse_bytes(optarg);
			break;
		default:
			fputs(usage_text, stderr);
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
