// SPDX-License-Identifier: GPL-2.0
/*
 * homa_bench: RPC round-trip benchmark for Homa, TCP and UDP.
 *
 *   homa_bench server --proto homa|tcp|udp [options]
 *   homa_bench client --proto homa|tcp|udp --server HOST [options]
 *
 * The server echoes: every request starts with a small header (struct
 * bench_hdr) that gives the request's length, the length of the response
 * wanted and an id, and the server answers with a message of that length
 * that starts with the same id. Every protocol carries the same messages:
 *   homa  one message per sendmsg, received from the receive buffer pool;
 *   tcp   messages back to back on a connection (TCP_NODELAY); the
 *         header's length field frames them;
 *   udp   a message is cut into datagrams of at most UDP_DGRAM_MAX bytes,
 *         each with a struct udp_frag header (message id, offset, total),
 *         and reassembled; a lost datagram loses its message (there is no
 *         retransmission), the client counts it as lost after a timeout.
 * The client runs closed loops (each thread keeps --outstanding RPCs in
 * flight) or, with --load-gbps, an open loop (requests arrive as a Poisson
 * process, at most --outstanding in flight), times each RPC with
 * CLOCK_MONOTONIC and reports throughput, round-trip percentiles and its
 * own CPU time per RPC, overall and per request-size bucket; with
 * --baseline (the CSV of an unloaded run) also each bucket's slowdown.
 * `--help` tells everything.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "homa_lib.h"
#include "homa_util.h"

#define DEFAULT_PORT 4100
#define MAX_MSG HOMA_MAX_MESSAGE_LENGTH

/* Largest UDP datagram sent (its header included). */
#define UDP_DGRAM_MAX 65000
#define UDP_FRAG_DATA (UDP_DGRAM_MAX - (int)sizeof(struct udp_frag))

/* Socket buffer sizes asked for TCP and UDP sockets (best effort). */
#define SOCK_BUF_BYTES (8 << 20)

/* Round-trip samples kept per run, over all threads (16 bytes each). */
#define SAMPLE_LIMIT (2 << 20)

/* Servers a client may name in --server, and size buckets at most. */
#define MAX_SERVERS 64
#define MAX_BUCKETS 64

/* Open loop: RPCs in flight per thread unless --outstanding says. */
#define OPEN_LOOP_OUTSTANDING 64

/* Incomplete UDP messages a server thread keeps reassembling. */
#define REASM_SLOTS 256

/* Bytes read at once by TCP and UDP receivers. */
#define RX_CHUNK 65536

/**
 * struct bench_hdr - Start of every message (network byte order).
 */
struct bench_hdr {
	/** @length: bytes in the message, this header included. */
	uint32_t length;

	/** @resp_length: in a request, bytes of response wanted; else 0. */
	uint32_t resp_length;

	/** @id: chosen by the client, echoed in the response. */
	uint64_t id;
};

#define HDR_LEN ((int)sizeof(struct bench_hdr))

/**
 * struct udp_frag - Start of every UDP datagram (network byte order).
 */
struct udp_frag {
	/** @msg_id: the request's id (struct bench_hdr) in both directions. */
	uint64_t msg_id;

	/** @offset: offset of this datagram's data in the message. */
	uint32_t offset;

	/** @total: bytes in the whole message. */
	uint32_t total;
};

enum proto { PROTO_HOMA, PROTO_TCP, PROTO_UDP };

static const char *const proto_names[] = { "homa", "tcp", "udp" };

/* Command line settings. */
static struct {
	int server;
	enum proto proto;
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 */
	int port;
	int threads;
	const char *host;
	int size;
	int resp_size;		/* 0: same as the request */
	const char *workload;
	int outstanding;
	double seconds;
	long long count;	/* 0: run for --seconds */
	int warmup;
	const char *json;
	const char *csv;
	const char *label;
	double timeout;		/* seconds */
	double loss_timeout;	/* seconds (udp) */
	double load_gbps;	/* 0: closed loop */
	const char *buckets;	/* NULL: the default bounds */
	const char *baseline;
	unsigned long long seed;
} opt = {
	.proto = PROTO_HOMA,
	.family = AF_UNSPEC,
	.port = DEFAULT_PORT,
	.threads = 1,
	.size = 100,
	.outstanding = 0,	/* 1, or OPEN_LOOP_OUTSTANDING open loop */
	.seconds = 5,
	.warmup = 10,
	.label = "",
	.timeout = 5,
	.loss_timeout = 0.5,
};

/* The distribution of request sizes (a single point for --size). */
static struct {
	int n;
	uint32_t *size;
	double *cum;
	double mean;		/* of the sizes as sent */
	uint32_t max;		/* largest size as sent */
	double truncated;	/* fraction of sizes cut to MAX_MSG */
	double raised;		/* fraction of sizes raised to HDR_LEN */
} dist;

/* Message contents after the header: a fixed pattern, never written. */
static char *pattern;

static void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		homa_die(1, "out of memory (%zu bytes)", size);
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		homa_die(1, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/* xorshift64*: a small, fast per-thread generator. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static double rng_unit(uint64_t *state)
{
	return (rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---------------------------------------------------------------------- */
/* Command line */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: homa_bench server --proto homa|tcp|udp [-4|-6] [--port P] [--threads N]\n"
		"       homa_bench client --proto homa|tcp|udp --server HOST [options]\n"
		"\n"
		"Measures RPC round trips over Homa, TCP or UDP with the same messages.\n"
		"Each request starts with a 16-byte header (length, response length, id);\n"
		"the server answers with a message of the response length.\n"
		"\n"
		"Server: an echo server that runs until it is killed; prints one line\n"
		"\"homa_bench server: ... ready\" once it serves.\n"
		"  homa: one socket bound to the port, --threads threads receiving on it\n"
		"  tcp:  one thread per connection (--threads is ignored)\n"
		"  udp:  --threads sockets sharing the port (SO_REUSEPORT)\n"
		"\n"
		"Client: closed loop, --outstanding RPCs in flight per thread; or, with\n"
		"--load-gbps, open loop: requests arrive as a Poisson process whatever\n"
		"the responses do, at most --outstanding in flight per thread.\n"
		"  homa: one socket per thread with a receive buffer pool\n"
		"  tcp:  one connection per outstanding RPC and server (TCP_NODELAY)\n"
		"  udp:  one socket per thread; messages over %d bytes go in several\n"
		"        datagrams; lost messages are counted, not retried\n"
		"\n"
		"Options:\n"
		"  --proto P            homa, tcp or udp (default homa)\n"
		"  -4, -6               IPv4 or IPv6 (server default: IPv4; tcp and udp\n"
		"                       servers with -6 accept IPv4 too; client default:\n"
		"                       whatever --server resolves to)\n"
		"  --port P             server port (default %d, for every protocol)\n"
		"  --threads N          server: see above; client: threads (default 1)\n"
		"  --server HOST[,HOST...]  client: the server's name or address; with\n"
		"                       several, each RPC goes to one chosen at random\n"
		"  --size BYTES         request size (default 100; 16 to %d; smaller\n"
		"                       sizes are raised to the 16-byte header)\n"
		"  --response-size B    response size (default: the request's size)\n"
		"  --workload FILE      draw request sizes from a CDF file of\n"
		"                       \"<bytes> <cumulative fraction>\" lines; sizes\n"
		"                       over %d (Homa's limit) are truncated to it\n"
		"  --outstanding N      RPCs in flight per client thread (default 1; open\n"
		"                       loop: the most in flight, default %d)\n"
		"  --load-gbps G        open loop: Poisson arrivals offering G Gbit/s of\n"
		"                       payload (request + response) over all threads;\n"
		"                       an arrival that finds --outstanding RPCs in\n"
		"                       flight is skipped and counted\n"
		"  --seed N             random seed for sizes, arrivals and servers\n"
		"                       (default 0; give each client its own)\n"
		"  --seconds S          measure for S seconds (default 5)\n"
		"  --count N            measure N RPCs in all instead\n"
		"  --warmup N           RPCs per thread before measuring (default 10)\n"
		"  --timeout S          fail if an RPC gets no response in S seconds\n"
		"                       (default 5; udp: if no RPC completes in S s)\n"
		"  --loss-timeout S     udp: count an RPC lost after S s (default 0.5)\n"
		"  --json FILE          write the run's results as a JSON object\n"
		"  --csv FILE           append the results as a CSV line (header first\n"
		"                       if FILE is new)\n"
		"  --label TEXT         label for the JSON and CSV records\n"
		"  --buckets B1,B2,...  upper bounds of the request-size buckets, bytes,\n"
		"                       ascending (default 1024,2048,4096,...,524288,\n"
		"                       then %d); a last bucket up to %d is added\n"
		"  --baseline FILE      a CSV written by --csv on an unloaded run (say\n"
		"                       --outstanding 1): each RPC's slowdown is its RTT\n"
		"                       over the unloaded RTT of its size, interpolated\n"
		"                       between the baseline buckets' mean sizes and\n"
		"                       P50 RTTs (its last run of the same --proto)\n"
		"  -h, --help           this text\n"
		"\n"
		"Output: RPCs completed (and lost, udp), throughput in RPC/s and in\n"
		"Gbit/s of payload (request + response bytes), round-trip time\n"
		"percentiles P50/P90/P99/P99.9/max in microseconds, and client CPU\n"
		"time (user + sys, getrusage) per RPC; open loop: offered and skipped\n"
		"load; with a workload, --buckets or --baseline, a table per size\n"
		"bucket (RTT and slowdown percentiles), which the JSON (\"buckets\")\n"
		"and the CSV (a row per bucket after the \"all\" row) always carry.\n"
		"Progress lines go to stderr every few seconds on runs over 5 s.\n"
		"Exit status 1 on any failure.\n",
		UDP_DGRAM_MAX, DEFAULT_PORT, MAX_MSG, MAX_MSG,
		OPEN_LOOP_OUTSTANDING, MAX_MSG, MAX_MSG);
}

static long long parse_int(const char *name, const char *arg,
			   long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 0);
	if (errno || end == arg || *end || v < min || v > max)
		homa_die(1, "%s: expected an integer from %lld to %lld, not \"%s\"",
			 name, min, max, arg);
	return v;
}

static double parse_double(const char *name, const char *arg, double min)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= min) || isinf(v))
		homa_die(1, "%s: expected a number >= %g, not \"%s\"", name, min, arg);
	return v;
}

enum {
	OPT_PROTO = 256, OPT_PORT, OPT_THREADS, OPT_SERVER, OPT_SIZE,
	OPT_RESP_SIZE, OPT_WORKLOAD, OPT_OUTSTANDING, OPT_SECONDS, OPT_COUNT,
	OPT_WARMUP, OPT_JSON, OPT_CSV, OPT_LABEL, OPT_TIMEOUT,
	OPT_LOSS_TIMEOUT, OPT_LOAD_GBPS, OPT_BUCKETS, OPT_BASELINE, OPT_SEED,
};

static const struct option long_opts[] = {
	{ "proto", required_argument, NULL, OPT_PROTO },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "response-size", required_argument, NULL, OPT_RESP_SIZE },
	{ "workload", required_argument, NULL, OPT_WORKLOAD },
	{ "outstanding", required_argument, NULL, OPT_OUTSTANDING },
	{ "seconds", required_argument, NULL, OPT_SECONDS },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "loss-timeout", required_argument, NULL, OPT_LOSS_TIMEOUT },
	{ "load-gbps", required_argument, NULL, OPT_LOAD_GBPS },
	{ "buckets", required_argument, NULL, OPT_BUCKETS },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void parse_args(int argc, char **argv)
{
	int c, i;

	if (argc < 2) {
		usage(stderr);
		exit(2);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		exit(0);
	}
	if (!strcmp(argv[1], "server"))
		opt.server = 1;
	else if (strcmp(argv[1], "client"))
		homa_die(1, "first argument must be \"server\" or \"client\" (see --help)");

	optind = 2;
	while ((c = getopt_long(argc, argv, "46h", long_opts, NULL)) != -1) {
		switch (c) {
		case '4':
			opt.family = AF_INET;
			break;
		case '6':
			opt.family = AF_INET6;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_PROTO:
			for (i = 0; i < 3; i++)
				if (!strcmp(optarg, proto_names[i]))
					break;
			if (i == 3)
				homa_die(1, "--proto: expected homa, tcp or udp, not \"%s\"",
					 optarg);
			opt.proto = i;
			break;
		case OPT_PORT:
			opt.port = parse_int("--port", optarg, 1, 65535);
			break;
		case OPT_THREADS:
			opt.threads = parse_int("--threads", optarg, 1, 1024);
			break;
		case OPT_SERVER:
			opt.host = optarg;
			break;
		case OPT_SIZE:
			opt.size = parse_int("--size", optarg, 1, MAX_MSG);
			break;
		case OPT_RESP_SIZE:
			opt.resp_size = parse_int("--response-size", optarg, 1,
						  MAX_MSG);
			break;
		case OPT_WORKLOAD:
			opt.workload = optarg;
			break;
		case OPT_OUTSTANDING:
			opt.outstanding = parse_int("--outstanding", optarg, 1,
						    10000);
			break;
		case OPT_SECONDS:
			opt.seconds = parse_double("--seconds", optarg, 0.001);
			break;
		case OPT_COUNT:
			opt.count = parse_int("--count", optarg, 1,
					      1000000000000ll);
			break;
		case OPT_WARMUP:
			opt.warmup = parse_int("--warmup", optarg, 0, 100000000);
			break;
		case OPT_JSON:
			opt.json = optarg;
			break;
		case OPT_CSV:
			opt.csv = optarg;
			break;
		case OPT_LABEL:
			opt.label = optarg;
			break;
		case OPT_TIMEOUT:
			opt.timeout = parse_double("--timeout", optarg, 0.01);
			break;
		case OPT_LOSS_TIMEOUT:
			opt.loss_timeout = parse_double("--loss-timeout", optarg,
							0.001);
			break;
		case OPT_LOAD_GBPS:
			opt.load_gbps = parse_double("--load-gbps", optarg,
						     0.000001);
			break;
		case OPT_BUCKETS:
			opt.buckets = optarg;
			break;
		case OPT_BASELINE:
			opt.baseline = optarg;
			break;
		case OPT_SEED:
			opt.seed = parse_int("--seed", optarg, 0,
					     1000000000000000000ll);
			break;
		default:
			fprintf(stderr, "homa_bench: see --help\n");
			exit(2);
		}
	}
	if (optind < argc)
		homa_die(1, "unexpected argument \"%s\" (see --help)", argv[optind]);
	if (!opt.server && !opt.host)
		homa_die(1, "client: --server HOST is required");
	if (!opt.outstanding)
		opt.outstanding = opt.load_gbps > 0 ? OPEN_LOOP_OUTSTANDING : 1;
}

/* ---------------------------------------------------------------------- */
/* Message sizes */

static void dist_fixed(int size)
{
	dist.n = 1;
	dist.size = xmalloc(sizeof(*dist.size));
	dist.cum = xmalloc(sizeof(*dist.cum));
	dist.size[0] = size < HDR_LEN ? HDR_LEN : size;
	dist.cum[0] = 1.0;
	dist.mean = dist.size[0];
	dist.max = dist.size[0];
	dist.raised = size < HDR_LEN;
}

static void dist_load(const char *path)
{
	double bytes, frac, prev = 0;
	char line[256];
	int cap = 64, lineno = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		homa_die(1, "cannot open workload %s: %s", path, strerror(errno));
	dist.size = xmalloc(cap * sizeof(*dist.size));
	dist.cum = xmalloc(cap * sizeof(*dist.cum));
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t");
		uint32_t size;

		lineno++;
		if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
			continue;
		if (sscanf(p, "%lf %lf", &bytes, &frac) != 2 || bytes < 0 ||
		    frac < prev || frac > 1.000001)
			homa_die(1, "%s:%d: expected \"<bytes> <cumulative fraction>\""
				 " with fractions ascending to 1", path, lineno);
		if (dist.n == cap) {
			cap *= 2;
			dist.size = realloc(dist.size,
					    cap * sizeof(*dist.size));
			dist.cum = realloc(dist.cum, cap * sizeof(*dist.cum));
			if (!dist.size || !dist.cum)
				homa_die(1, "out of memory");
		}
		if (bytes > MAX_MSG) {
			size = MAX_MSG;
			dist.truncated += frac - prev;
		} else if (bytes < HDR_LEN) {
			size = HDR_LEN;
			dist.raised += frac - prev;
		} else {
			size = (uint32_t)bytes;
		}
		dist.size[dist.n] = size;
		dist.cum[dist.n] = frac;
		dist.mean += (frac - prev) * size;
		if (size > dist.max)
			dist.max = size;
		dist.n++;
		prev = frac;
	}
	fclose(f);
	if (dist.n == 0 || prev < 0.999999)
		homa_die(1, "%s: no distribution, or its last fraction is not 1", path);
	dist.cum[dist.n - 1] = 1.0;
}

static uint32_t dist_draw(uint64_t *rng)
{
	double u;
	int lo = 0, hi = dist.n - 1;

	if (dist.n == 1)
		return dist.size[0];
	u = rng_unit(rng);
	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (dist.cum[mid] >= u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return dist.size[lo];
}

/* ---------------------------------------------------------------------- */
/* Size buckets and the baseline */

/* Request-size buckets: bucket i holds the sizes in (max[i - 1], max[i]]. */
static struct {
	int n;
	uint32_t max[MAX_BUCKETS + 1];
} bk;

static void buckets_setup(void)
{
	const char *p = opt.buckets;
	long long v;
	uint32_t b;
	char *end;

	if (!p) {
		for (b = 1024; b < MAX_MSG; b *= 2)
			bk.max[bk.n++] = b;
		bk.max[bk.n++] = MAX_MSG;
		return;
	}
	while (*p) {
		errno = 0;
		v = strtoll(p, &end, 0);
		if (errno || end == p || (*end && *end != ',') || v < 1 ||
		    v > MAX_MSG || (bk.n && v <= bk.max[bk.n - 1]))
			homa_die(1, "--buckets: expected ascending sizes, 1 to %d, not \"%s\"",
				 MAX_MSG, opt.buckets);
		if (bk.n == MAX_BUCKETS)
			homa_die(1, "--buckets: at most %d buckets", MAX_BUCKETS);
		bk.max[bk.n++] = (uint32_t)v;
		p = *end ? end + 1 : end;
	}
	if (!bk.n)
		homa_die(1, "--buckets: no size given");
	if (bk.max[bk.n - 1] < MAX_MSG)
		bk.max[bk.n++] = MAX_MSG;
}

static int bucket_of(uint32_t size)
{
	int lo = 0, hi = bk.n - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (bk.max[mid] >= size)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The unloaded RTT as a function of the request size: the baseline's
 * buckets as points (mean request size, P50 RTT), joined by lines.
 */
static struct {
	int n;
	double size[MAX_BUCKETS + 1];
	double rtt_ns[MAX_BUCKETS + 1];
	char proto[16];
	int line;		/* of the "all" row of the run used */
} base;

/* Split a CSV line into at most @max fields, in place; returns how many. */
static int csv_split(char *line, char **fields, int max)
{
	char *in = line, *out;
	int n = 0;

	line[strcspn(line, "\r\n")] = 0;
	for (;;) {
		if (n == max)
			return n;
		fields[n++] = in;
		out = in;
		if (*in == '"') {
			for (in++; *in; in++) {
				if (*in == '"' && in[1] == '"')
					in++;
				else if (*in == '"')
					break;
				*out++ = *in;
			}
			if (*in == '"')
				in++;
			while (*in && *in != ',')
				in++;
		} else {
			while (*in && *in != ',')
				*out++ = *in++;
		}
		if (!*in) {
			*out = 0;
			return n;
		}
		*out = 0;
		in++;
	}
}

/* Read the points of the last run of --proto in a --csv file (or, if it
 * has none, of its last run).
 */
static void baseline_load(const char *path)
{
	enum { C_PROTO, C_BUCKET, C_MEAN, C_P50, C_RPCS, C_NUM };
	static const char *const names[C_NUM] = {
		"proto", "bucket", "mean_request_bytes", "p50_us", "rpcs"
	};
	int col[C_NUM], i, nf, lineno = 0, cur_n = 0, have = 0, in_run = 0;
	double cur_size[MAX_BUCKETS + 1], cur_rtt[MAX_BUCKETS + 1];
	char line[4096], cur_proto[16] = "", *f[64];
	int cur_line = 0;
	FILE *file;

	file = fopen(path, "r");
	if (!file)
		homa_die(1, "cannot open baseline %s: %s", path, strerror(errno));
	for (i = 0; i < C_NUM; i++)
		col[i] = -1;
	if (fgets(line, sizeof(line), file)) {
		nf = csv_split(line, f, 64);
		for (i = 0; i < nf; i++) {
			int j;

			for (j = 0; j < C_NUM; j++)
				if (!strcmp(f[i], names[j]))
					col[j] = i;
		}
		lineno++;
	}
	for (i = 0; i < C_NUM; i++)
		if (col[i] < 0)
			homa_die(1, "baseline %s: no column %s (not a --csv file of this version?)",
				 path, names[i]);

	/* A run is its "all" row and the bucket rows after it. */
	for (;;) {
		int eof = !fgets(line, sizeof(line), file);
		int is_all = 0;

		if (!eof) {
			lineno++;
			nf = csv_split(line, f, 64);
			if (nf <= col[C_BUCKET] || nf <= col[C_PROTO] ||
			    nf <= col[C_MEAN] || nf <= col[C_P50] ||
			    nf <= col[C_RPCS] ||
			    !strcmp(f[col[C_BUCKET]], "bucket"))
				continue;	/* short, or a header again */
			is_all = !strcmp(f[col[C_BUCKET]], "all");
		}
		if ((eof || is_all) && in_run && cur_n > 0 &&
		    (!have || !strcmp(cur_proto, proto_names[opt.proto]) ||
		     strcmp(base.proto, proto_names[opt.proto]))) {
			base.n = cur_n;
			memcpy(base.size, cur_size, sizeof(cur_size));
			memcpy(base.rtt_ns, cur_rtt, sizeof(cur_rtt));
			snprintf(base.proto, sizeof(base.proto), "%s", cur_proto);
			base.line = cur_line;
			have = 1;
		}
		if (eof)
			break;
		if (is_all) {
			in_run = 1;
			cur_n = 0;
			cur_line = lineno;
			snprintf(cur_proto, sizeof(cur_proto), "%s",
				 f[col[C_PROTO]]);
			continue;
		}
		if (!in_run || cur_n > MAX_BUCKETS ||
		    atof(f[col[C_RPCS]]) <= 0 || atof(f[col[C_P50]]) <= 0)
			continue;
		cur_size[cur_n] = atof(f[col[C_MEAN]]);
		cur_rtt[cur_n] = atof(f[col[C_P50]]) * 1000;
		if (cur_n && cur_size[cur_n] <= cur_size[cur_n - 1])
			homa_die(1, "baseline %s:%d: bucket sizes not ascending", path,
				 lineno);
		cur_n++;
	}
	fclose(file);
	if (!have)
		homa_die(1, "baseline %s: no run with bucket rows", path);
}

/* The unloaded RTT of a request of @size bytes, in ns. */
static double base_rtt_ns(double size)
{
	double slope, v;
	int i;

	if (base.n == 1 || size <= base.size[0])
		return base.rtt_ns[0];
	for (i = 1; i < base.n - 1 && size > base.size[i]; i++)
		;
	/* Between points i - 1 and i, or past the last on its segment. */
	slope = (base.rtt_ns[i] - base.rtt_ns[i - 1]) /
		(base.size[i] - base.size[i - 1]);
	if (size > base.size[i] && slope < 0)
		return base.rtt_ns[i];
	v = base.rtt_ns[i - 1] + slope * (size - base.size[i - 1]);
	return v > 0 ? v : base.rtt_ns[i];
}

/* ---------------------------------------------------------------------- */
/* Sockets */

static void resolve(const char *host, int port, union homa_addr *a)
{
	struct addrinfo hints = { .ai_family = opt.family,
				  .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res;
	int err;

	err = getaddrinfo(host, NULL, &hints, &res);
	if (err)
		homa_die(1, "cannot resolve %s: %s", host, gai_strerror(err));
	memset(a, 0, sizeof(*a));
	memcpy(a, res->ai_addr, res->ai_addrlen < sizeof(*a) ?
	       res->ai_addrlen : sizeof(*a));
	freeaddrinfo(res);
	if (a->sa.sa_family == AF_INET6)
		a->in6.sin6_port = htons(port);
	else
		a->in4.sin_port = htons(port);
}

static void any_addr(int family, int port, union homa_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET6) {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_addr = in6addr_any;
		a->in6.sin6_port = htons(port);
	} else {
		a->in4.sin_family = AF_INET;
		a->in4.sin_addr.s_addr = htonl(INADDR_ANY);
		a->in4.sin_port = htons(port);
	}
}

/* Raise a TCP or UDP socket's buffers; the FORCE options (root) may pass
 * the net.core.[rw]mem_max limits.
 */
static void set_sock_bufs(int fd)
{
	int size = SOCK_BUF_BYTES;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

static void set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		homa_die(1, "fcntl(O_NONBLOCK): %s", strerror(errno));
}

static int timeout_ms(double seconds)
{
	return (int)(seconds * 1000 + 0.5);
}

/* The kernel's explanation of a Homa socket's last error, as
 * " (kernel: ...)", or "".
 */
static const char *homa_why(int fd)
{
	static __thread char text[sizeof(((struct homa_info *)0)->error_msg)
				  + 16];
	struct homa_info info;

	if (homa_get_info(fd, &info, NULL, 0) < 0 || !info.error_msg[0])
		return "";
	info.error_msg[sizeof(info.error_msg) - 1] = 0;
	snprintf(text, sizeof(text), " (kernel: %s)", info.error_msg);
	return text;
}

/* Fill in a message header for the wire. */
static void put_hdr(struct bench_hdr *h, uint32_t length,
		    uint32_t resp_length, uint64_t id)
{
	h->length = htobe32(length);
	h->resp_length = htobe32(resp_length);
	h->id = htobe64(id);
}

/* Send a whole message as UDP datagrams: header @h, then the pattern up to
 * @total bytes. Returns 0, or -1 with errno if a datagram could not be sent
 * (the message is then lost).
 */
static int udp_send_msg(int fd, const union homa_addr *to, uint64_t msg_id,
			const struct bench_hdr *h, uint32_t total)
{
	struct udp_frag frag;
	struct msghdr m = { 0 };
	struct iovec iov[3];
	uint32_t off, len;

	if (to) {
		m.msg_name = (void *)to;
		m.msg_namelen = homa_addr_len(to);
	}
	m.msg_iov = iov;
	frag.msg_id = htobe64(msg_id);
	frag.total = htobe32(total);
	iov[0].iov_base = &frag;
	iov[0].iov_len = sizeof(frag);
	for (off = 0; off < total; off += len) {
		len = total - off;
		if (len > UDP_FRAG_DATA)
			len = UDP_FRAG_DATA;
		frag.offset = htobe32(off);
		if (off == 0) {
			iov[1].iov_base = (void *)h;
			iov[1].iov_len = HDR_LEN;
			iov[2].iov_base = pattern + HDR_LEN;
			iov[2].iov_len = len - HDR_LEN;
			m.msg_iovlen = 3;
		} else {
			iov[1].iov_base = pattern + off;
			iov[1].iov_len = len;
			m.msg_iovlen = 2;
		}
		while (sendmsg(fd, &m, 0) < 0) {
			if (errno != EINTR)
				return -1;
		}
	}
	return 0;
}

/* Checks a UDP datagram of @len bytes; returns its fragment index, or -1
 * if it is malformed.
 */
static int udp_frag_check(const char *buf, ssize_t len, uint64_t *msg_id,
			  uint32_t *offset, uint32_t *total)
{
	const struct udp_frag *f = (const struct udp_frag *)buf;
	uint32_t want;

	if (len < (ssize_t)sizeof(*f))
		return -1;
	*msg_id = be64toh(f->msg_id);
	*offset = be32toh(f->offset);
	*total = be32toh(f->total);
	if (*total < HDR_LEN || *total > MAX_MSG || *offset >= *total ||
	    *offset % UDP_FRAG_DATA)
		return -1;
	want = *total - *offset;
	if (want > UDP_FRAG_DATA)
		want = UDP_FRAG_DATA;
	if (len - (ssize_t)sizeof(*f) != want)
		return -1;
	return *offset / UDP_FRAG_DATA;
}

static uint32_t udp_all_frags(uint32_t total)
{
	uint32_t n = (total + UDP_FRAG_DATA - 1) / UDP_FRAG_DATA;

	return n >= 32 ? ~0u : (1u << n) - 1;
}

/* ---------------------------------------------------------------------- */
/* Servers */

/* Check a request header; returns the response length, or 0 if bad. */
static uint32_t check_request(const struct bench_hdr *h, uint32_t length)
{
	uint32_t resp = be32toh(h->resp_length);

	if (be32toh(h->length) != length || resp < HDR_LEN || resp > MAX_MSG)
		return 0;
	return resp;
}

/* The Homa server's socket, shared by its threads. */
static struct {
	int fd;
	struct homa_rcvbuf buf;
} homa_srv;

static void *homa_server_thread(void *arg)
{
	struct homa_rcvbuf *rcvbuf = &homa_srv.buf;
	int fd = homa_srv.fd, len;
	char *tx = xmalloc(MAX_MSG);
	struct homa_msg msg;
	struct bench_hdr h;
	uint32_t resp;

	(void)arg;
	memcpy(tx, pattern, MAX_MSG);
	homa_msg_init(&msg);
	for (;;) {
		len = homa_recv(fd, 0, 0, &msg);
		if (len < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ESHUTDOWN)
				break;
			fprintf(stderr, "homa_bench server: recvmsg: %s\n",
				strerror(errno));
			continue;
		}
		if (!(msg.args.id & 1))
			continue;	/* a response: not for a server */
		if (len < HDR_LEN ||
		    homa_msg_copy(rcvbuf, &msg, 0, &h, HDR_LEN) != HDR_LEN) {
			fprintf(stderr, "homa_bench server: short request (%d bytes)\n",
				len);
			continue;
		}
		resp = check_request(&h, len);
		if (!resp) {
			fprintf(stderr, "homa_bench server: bad request header\n");
			continue;
		}
		put_hdr((struct bench_hdr *)tx, resp, 0, be64toh(h.id));
		if (homa_send_response(fd, &msg.peer, msg.args.id, tx, resp) < 0)
			fprintf(stderr, "homa_bench server: sending a response: %s%s\n",
				strerror(errno), homa_why(fd));
	}
	return NULL;
}

static void homa_server(void)
{
	struct homa_rcvbuf *buf = &homa_srv.buf;
	int family = opt.family == AF_INET6 ? AF_INET6 : AF_INET;
	union homa_addr a;
	pthread_t t;
	int i;

	homa_srv.fd = socket(family, SOCK_DGRAM, IPPROTO_HOMA);
	if (homa_srv.fd < 0)
		homa_die(1, "socket(IPPROTO_HOMA): %s (is homa.ko loaded?)",
			 strerror(errno));
	any_addr(family, opt.port, &a);
	if (bind(homa_srv.fd, &a.sa, homa_addr_len(&a)) < 0)
		homa_die(1, "bind(homa port %d): %s", opt.port, strerror(errno));
	if (homa_rcvbuf_setup(homa_srv.fd, homa_rcvbuf_min_length() +
			      HOMA_RCVBUF_DEFAULT_LENGTH, buf) < 0)
		homa_die(1, "homa_rcvbuf_setup: %s%s", strerror(errno),
			 homa_why(homa_srv.fd));
	printf("homa_bench server: homa on port %d (%s), %d thread(s), ready\n",
	       opt.port, family == AF_INET6 ? "IPv6" : "IPv4", opt.threads);
	fflush(stdout);
	for (i = 1; i < opt.threads; i++)
		if (pthread_create(&t, NULL, homa_server_thread, NULL))
			homa_die(1, "pthread_create failed");
	homa_server_thread(NULL);
}

/* Read exactly @len bytes (blocking); returns 0, or -1 on EOF or error. */
static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t r;

	while (len > 0) {
		r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= r;
	}
	return 0;
}

static void *tcp_conn_thread(void *arg)
{
	int fd = (int)(intptr_t)arg, one = 1, iovcnt;
	char *rx = xmalloc(RX_CHUNK);
	struct bench_hdr h;
	struct iovec iov[2];
	uint32_t len, resp, got;
	ssize_t r;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (;;) {
		if (read_full(fd, &h, HDR_LEN) < 0)
			break;
		len = be32toh(h.length);
		resp = check_request(&h, len);
		if (!resp || len < HDR_LEN || len > MAX_MSG) {
			fprintf(stderr,
				"homa_bench server: bad request header on a TCP connection\n");
			break;
		}
		for (got = HDR_LEN; got < len; got += r) {
			r = read(fd, rx, len - got < RX_CHUNK ? len - got :
				 RX_CHUNK);
			if (r < 0 && errno == EINTR) {
				r = 0;
				continue;
			}
			if (r <= 0)
				goto done;
		}
		put_hdr(&h, resp, 0, be64toh(h.id));
		iov[0].iov_base = &h;
		iov[0].iov_len = HDR_LEN;
		iov[1].iov_base = pattern + HDR_LEN;
		iov[1].iov_len = resp - HDR_LEN;
		iovcnt = 2;
		while (iovcnt > 0) {
			r = writev(fd, iov + 2 - iovcnt, iovcnt);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				goto done;
			while (iovcnt > 0 && (size_t)r >= iov[2 - iovcnt].iov_len) {
				r -= iov[2 - iovcnt].iov_len;
				iovcnt--;
			}
			if (iovcnt > 0) {
				iov[2 - iovcnt].iov_base =
					(char *)iov[2 - iovcnt].iov_base + r;
				iov[2 - iovcnt].iov_len -= r;
			}
		}
	}
done:
	close(fd);
	free(rx);
	return NULL;
}

static void tcp_server(void)
{
	int family = opt.family == AF_INET6 ? AF_INET6 : AF_INET;
	int fd, conn, one = 1, zero = 0;
	pthread_attr_t attr;
	union homa_addr a;
	pthread_t t;

	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		homa_die(1, "socket(tcp): %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	set_sock_bufs(fd);
	any_addr(family, opt.port, &a);
	if (bind(fd, &a.sa, homa_addr_len(&a)) < 0)
		homa_die(1, "bind(tcp port %d): %s", opt.port, strerror(errno));
	if (listen(fd, 1024) < 0)
		homa_die(1, "listen: %s", strerror(errno));
	printf("homa_bench server: tcp on port %d (%s), a thread per connection, ready\n",
	       opt.port, family == AF_INET6 ? "IPv6 and IPv4" : "IPv4");
	fflush(stdout);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		conn = accept(fd, NULL, NULL);
		if (conn < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			homa_die(1, "accept: %s", strerror(errno));
		}
		if (pthread_create(&t, &attr, tcp_conn_thread,
				   (void *)(intptr_t)conn)) {
			fprintf(stderr, "homa_bench server: pthread_create failed\n");
			close(conn);
		}
	}
}

/**
 * struct reasm - A UDP message being reassembled by a server.
 */
struct reasm {
	union homa_addr peer;
	socklen_t peer_len;
	uint64_t msg_id;
	uint32_t total;
	uint32_t frags;		/* bitmap of fragments received */
	uint32_t resp;		/* response length, once fragment 0 came */
	uint64_t id;		/* bench_hdr id, once fragment 0 came */
	uint64_t last_ns;	/* time of the last fragment; 0: slot free */
};

static void *udp_server_thread(void *arg)
{
	struct reasm *table = xcalloc(REASM_SLOTS, sizeof(*table));
	char *buf = xmalloc(RX_CHUNK);
	int fd = (int)(intptr_t)arg, idx, i;
	const struct bench_hdr *h;
	uint32_t off, total, resp;
	struct bench_hdr out;
	union homa_addr peer;
	struct reasm *r;
	uint64_t msg_id;
	socklen_t plen;
	ssize_t len;

	for (;;) {
		plen = sizeof(peer);
		len = recvfrom(fd, buf, RX_CHUNK, 0, &peer.sa, &plen);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			homa_die(1, "recvfrom: %s", strerror(errno));
		}
		idx = udp_frag_check(buf, len, &msg_id, &off, &total);
		if (idx < 0)
			continue;
		h = (const struct bench_hdr *)(buf + sizeof(struct udp_frag));
		if (total <= UDP_FRAG_DATA) {
			/* The whole request in one datagram. */
			resp = check_request(h, total);
			if (!resp)
				continue;
			put_hdr(&out, resp, 0, be64toh(h->id));
			udp_send_msg(fd, &peer, msg_id, &out, resp);
			continue;
		}

		/* Find the message's slot, or take a free or the oldest one. */
		r = NULL;
		for (i = 0; i < REASM_SLOTS; i++) {
			struct reasm *e = &table[i];

			if (e->last_ns && e->msg_id == msg_id &&
			    e->peer_len == plen && e->total == total &&
			    !memcmp(&e->peer, &peer, plen)) {
				r = e;
				break;
			}
			if (!r || (r->last_ns && e->last_ns < r->last_ns))
				r = e;
		}
		if (!r->last_ns || r->msg_id != msg_id ||
		    memcmp(&r->peer, &peer, plen)) {
			memset(r, 0, sizeof(*r));
			r->peer = peer;
			r->peer_len = plen;
			r->msg_id = msg_id;
			r->total = total;
		}
		r->last_ns = homa_now_ns();
		r->frags |= 1u << idx;
		if (idx == 0) {
			r->resp = check_request(h, total);
			r->id = be64toh(h->id);
		}
		if (r->frags != udp_all_frags(total))
			continue;
		if (r->resp) {
			put_hdr(&out, r->resp, 0, r->id);
			udp_send_msg(fd, &peer, msg_id, &out, r->resp);
		}
		r->last_ns = 0;
	}
	return NULL;
}

static void udp_server(void)
{
	int family = opt.family == AF_INET6 ? AF_INET6 : AF_INET;
	int i, fd = -1, one = 1, zero = 0;
	union homa_addr a;
	pthread_t t;

	any_addr(family, opt.port, &a);
	for (i = 0; i < opt.threads; i++) {
		fd = socket(family, SOCK_DGRAM, 0);
		if (fd < 0)
			homa_die(1, "socket(udp): %s", strerror(errno));
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
		if (family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
				   sizeof(zero));
		set_sock_bufs(fd);
		if (bind(fd, &a.sa, homa_addr_len(&a)) < 0)
			homa_die(1, "bind(udp port %d): %s", opt.port, strerror(errno));
		if (i == opt.threads - 1)
			break;
		if (pthread_create(&t, NULL, udp_server_thread,
				   (void *)(intptr_t)fd))
			homa_die(1, "pthread_create failed");
	}
	printf("homa_bench server: udp on port %d (%s), %d thread(s), ready\n",
	       opt.port, family == AF_INET6 ? "IPv6 and IPv4" : "IPv4",
	       opt.threads);
	fflush(stdout);
	udp_server_thread((void *)(intptr_t)fd);
}

/* ---------------------------------------------------------------------- */
/* Client */

/**
 * struct slot - One outstanding RPC of a client thread.
 */
struct slot {
	int index;
	int busy;
	int server;		/* index in servers[] of this RPC's server */
	int bucket;		/* of the request size */
	int fd;			/* tcp: this RPC's connection (in fds) */
	int *fds;		/* tcp: the slot's connection to each server */
	uint64_t id;		/* bench id; id % outstanding == index */
	uint64_t homa_id;	/* homa: the RPC's id */
	uint64_t start_ns;
	uint32_t req_len;
	uint32_t resp_len;
	uint32_t sent;		/* tcp: request bytes written */
	uint32_t rcvd;		/* tcp: response bytes read */
	uint32_t frags;		/* udp: bitmap of response datagrams */
	struct bench_hdr tx_hdr;
	struct bench_hdr rx_hdr;
};

/**
 * struct client - A client thread.
 */
struct client {
	int index;
	pthread_t thread;
	int fd;			/* homa, udp: the thread's socket */
	struct slot *slots;
	int nslots;
	int busy;		/* slots with an RPC in flight */
	struct pollfd *pfds;	/* tcp */
	struct slot **pslots;	/* tcp: slot of each pfds entry */
	struct homa_rcvbuf rcvbuf;
	struct homa_msg msg;
	char *tx;		/* homa: header + pattern */
	char *rx;		/* tcp, udp: receive buffer */
	uint64_t rng;
	uint64_t seq;
	int *free_slots;	/* open loop: indexes of the idle slots */
	int nfree;
	double arrival_ns;	/* open loop: mean time between arrivals */
	uint64_t next_arrival;	/* open loop: time of the next one */
	long rcvtimeo_us;	/* homa open loop: SO_RCVTIMEO as set */

	/* The current phase (warmup or measured). */
	uint64_t limit;		/* RPCs to issue, 0: no limit */
	uint64_t issued;
	uint64_t deadline;	/* stop issuing then, 0: never */
	int record;
	uint64_t last_done_ns;	/* last completion (or start) */
	uint64_t end_ns;	/* when the measured phase ended */

	/* Results of the measured phase. */
	uint64_t completed;	/* read by the main thread for progress */
	uint64_t lost;
	uint64_t bytes;
	uint64_t req_bytes;
	uint64_t max_ns;
	uint64_t arrivals;	/* open loop */
	uint64_t skipped;	/* open loop: arrivals with no slot free */
	struct bucket_count *bk;
	uint64_t seen;
	struct sample *samples;
	size_t nsamples;
	size_t cap;
};

/**
 * struct sample - One RPC's round trip, kept for percentiles.
 */
struct sample {
	uint64_t rtt_ns;
	uint32_t size;		/* request bytes */
	uint32_t bucket;
};

/**
 * struct bucket_count - What a client thread counted in one size bucket.
 */
struct bucket_count {
	uint64_t completed;
	uint64_t lost;
	uint64_t bytes;		/* request + response */
	uint64_t req_bytes;
	uint64_t max_ns;
};

static union homa_addr servers[MAX_SERVERS];
static int nservers;
static pthread_barrier_t barrier;
static int threads_done;

static void proto_send(struct client *c, struct slot *s);

static int may_issue(struct client *c, uint64_t now)
{
	return (!c->limit || c->issued < c->limit) &&
		(!c->deadline || now < c->deadline);
}

static void start_rpc(struct client *c, struct slot *s)
{
	s->req_len = dist_draw(&c->rng);
	s->resp_len = opt.resp_size ? (uint32_t)opt.resp_size : s->req_len;
	if (s->resp_len < HDR_LEN)
		s->resp_len = HDR_LEN;
	s->bucket = bucket_of(s->req_len);
	s->server = nservers > 1 ? (int)(rng_next(&c->rng) % nservers) : 0;
	if (s->fds)
		s->fd = s->fds[s->server];
	c->seq++;
	s->id = c->seq * c->nslots + s->index;
	s->busy = 1;
	c->busy++;
	c->issued++;
	s->start_ns = homa_now_ns();
	proto_send(c, s);
}

static void record_rtt(struct client *c, const struct slot *s, uint64_t rtt)
{
	struct bucket_count *b = &c->bk[s->bucket];
	struct sample sm = { rtt, s->req_len, (uint32_t)s->bucket };
	uint64_t j;

	c->seen++;
	if (rtt > c->max_ns)
		c->max_ns = rtt;
	b->completed++;
	b->bytes += s->req_len + s->resp_len;
	b->req_bytes += s->req_len;
	if (rtt > b->max_ns)
		b->max_ns = rtt;
	if (c->nsamples < c->cap) {
		c->samples[c->nsamples++] = sm;
		return;
	}
	/* Reservoir sampling keeps a uniform sample of every RTT seen. */
	j = rng_next(&c->rng) % c->seen;
	if (j < c->cap)
		c->samples[j] = sm;
}

static void end_rpc(struct client *c, struct slot *s, int ok)
{
	uint64_t now = homa_now_ns();

	s->busy = 0;
	c->busy--;
	if (ok)
		c->last_done_ns = now;
	if (c->record) {
		if (ok) {
			record_rtt(c, s, now - s->start_ns);
			c->bytes += s->req_len + s->resp_len;
			c->req_bytes += s->req_len;
			__atomic_store_n(&c->completed, c->completed + 1,
					 __ATOMIC_RELAXED);
		} else {
			c->lost++;
			c->bk[s->bucket].lost++;
		}
	}
	if (opt.load_gbps > 0)
		c->free_slots[c->nfree++] = s->index;
	else if (may_issue(c, now))
		start_rpc(c, s);
}

/* Handle RPCs that waited too long: udp counts them lost, the others
 * fail. Returns the poll timeout until the next expiry, in ms.
 */
static int check_timeouts(struct client *c)
{
	uint64_t now = homa_now_ns(), limit, first = UINT64_MAX, exp;
	int i;

	limit = (uint64_t)((opt.proto == PROTO_UDP ? opt.loss_timeout :
			    opt.timeout) * 1e9);
	if (opt.proto == PROTO_UDP &&
	    now - c->last_done_ns > (uint64_t)(opt.timeout * 1e9))
		homa_die(1, "udp: no RPC completed in %g s: server down or all messages lost",
			 opt.timeout);
	for (i = 0; i < c->nslots; i++) {
		struct slot *s = &c->slots[i];

		if (!s->busy)
			continue;
		exp = s->start_ns + limit;
		if (exp <= now) {
			if (opt.proto != PROTO_UDP)
				homa_die(1, "%s: no response to an RPC within %g s (server down?)",
					 proto_names[opt.proto], opt.timeout);
			end_rpc(c, s, 0);
			now = homa_now_ns();
			if (!s->busy)
				continue;
			exp = s->start_ns + limit;
		}
		if (exp < first)
			first = exp;
	}
	if (first == UINT64_MAX)
		return 0;
	return (int)((first - now) / 1000000) + 1;
}

/* A ppoll timeout: @ms (from check_timeouts()), or less to end by @until
 * (ns; 0: no such bound), the next arrival of the open loop.
 */
static struct timespec *wait_ts(int ms, uint64_t until, struct timespec *ts)
{
	uint64_t wait = (uint64_t)ms * 1000000, now;

	if (until) {
		now = homa_now_ns();
		if (until <= now)
			wait = 0;
		else if (until - now < wait)
			wait = until - now;
	}
	ts->tv_sec = (time_t)(wait / 1000000000);
	ts->tv_nsec = (long)(wait % 1000000000);
	return ts;
}

static void check_response_hdr(struct slot *s, const struct bench_hdr *h,
			       uint32_t length)
{
	if (be64toh(h->id) != s->id || be32toh(h->length) != s->resp_len ||
	    length != s->resp_len)
		homa_die(1, "%s: bad response: id %llu length %u/%u, expected id %llu length %u",
			 proto_names[opt.proto], (unsigned long long)be64toh(h->id),
			 be32toh(h->length), length, (unsigned long long)s->id,
			 s->resp_len);
}

/* Homa */

static void homa_client_setup(struct client *c)
{
	uint32_t most = opt.resp_size ? (uint32_t)opt.resp_size : dist.max;
	struct timeval tv;
	size_t len;

	c->fd = socket(servers[0].sa.sa_family, SOCK_DGRAM, IPPROTO_HOMA);
	if (c->fd < 0)
		homa_die(1, "socket(IPPROTO_HOMA): %s (is homa.ko loaded?)",
			 strerror(errno));
	most = (most + HOMA_BPAGE_SIZE - 1) & ~(HOMA_BPAGE_SIZE - 1);
	len = homa_rcvbuf_min_length() +
		2 * (size_t)c->nslots * (most + HOMA_BPAGE_SIZE);
	if (homa_rcvbuf_setup(c->fd, len, &c->rcvbuf) < 0)
		homa_die(1, "homa_rcvbuf_setup: %s%s", strerror(errno),
			 homa_why(c->fd));
	homa_msg_init(&c->msg);
	c->tx = xmalloc(MAX_MSG);
	memcpy(c->tx, pattern, MAX_MSG);
	/* recvmsg blocks (busy-polling in the kernel first), but never
	 * longer than the RPC timeout.
	 */
	tv.tv_sec = (time_t)opt.timeout;
	tv.tv_usec = (suseconds_t)((opt.timeout - tv.tv_sec) * 1e6);
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		homa_die(1, "SO_RCVTIMEO: %s", strerror(errno));
	c->rcvtimeo_us = (long)(opt.timeout * 1e6);
}

/* Open loop: let a blocking recvmsg return by @until (ns, 0: no bound).
 * Returns 1 if it is already time, so that recvmsg must not block.
 */
static int homa_bound_wait(struct client *c, uint64_t until)
{
	long us = (long)(opt.timeout * 1e6);
	uint64_t now = homa_now_ns();
	struct timeval tv;

	if (until) {
		if (until < now + 1000)
			return 1;
		if ((until - now) / 1000 < (uint64_t)us)
			us = (long)((until - now) / 1000);
	}
	if (us == c->rcvtimeo_us)
		return 0;
	tv.tv_sec = us / 1000000;
	tv.tv_usec = us % 1000000;
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		homa_die(1, "SO_RCVTIMEO: %s", strerror(errno));
	c->rcvtimeo_us = us;
	return 0;
}

static void homa_send(struct client *c, struct slot *s)
{
	put_hdr((struct bench_hdr *)c->tx, s->req_len, s->resp_len, s->id);
	if (homa_send_request(c->fd, &servers[s->server], c->tx, s->req_len,
			      s->index, 0, &s->homa_id) < 0)
		homa_die(1, "homa: sending a request: %s%s", strerror(errno),
			 homa_why(c->fd));
}

static void homa_wait(struct client *c, uint64_t until)
{
	/* Block for the first response, then take whatever else is ready. */
	int len, got = 0, flags = c->busy ? 0 : MSG_DONTWAIT;
	struct bench_hdr h;
	struct slot *s;
	uint64_t cookie;
	char why[160];

	if (!flags && opt.load_gbps > 0 && homa_bound_wait(c, until))
		flags = MSG_DONTWAIT;

	for (;;) {
		len = homa_recv(c->fd, 0, flags, &c->msg);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (c->msg.args.id)
				homa_die(1, "homa: RPC %llu failed: %s",
					 (unsigned long long)c->msg.args.id,
					 strerror(errno));
			homa_die(1, "homa: recvmsg: %s%s", strerror(errno),
				 homa_why(c->fd));
		}
		cookie = c->msg.args.completion_cookie;
		if (cookie >= (uint64_t)c->nslots)
			homa_die(1, "homa: response with unknown cookie %llu",
				 (unsigned long long)cookie);
		s = &c->slots[cookie];
		if (!s->busy || s->homa_id != c->msg.args.id)
			homa_die(1, "homa: response for RPC %llu, expected %llu",
				 (unsigned long long)c->msg.args.id,
				 (unsigned long long)s->homa_id);
		if (homa_msg_check(&c->rcvbuf, &c->msg, why, sizeof(why)))
			homa_die(1, "homa: response of RPC %llu: %s",
				 (unsigned long long)c->msg.args.id, why);
		if (len < HDR_LEN ||
		    homa_msg_copy(&c->rcvbuf, &c->msg, 0, &h, HDR_LEN) != HDR_LEN)
			homa_die(1, "homa: short response (%d bytes)", len);
		check_response_hdr(s, &h, len);
		end_rpc(c, s, 1);
		got = 1;
		flags = MSG_DONTWAIT;
	}
	if (!got)
		check_timeouts(c);
}

/* TCP */

static void tcp_client_setup(struct client *c)
{
	int i, one = 1, err;
	socklen_t len;

	c->pfds = xcalloc(c->nslots, sizeof(*c->pfds));
	c->pslots = xcalloc(c->nslots, sizeof(*c->pslots));
	c->rx = xmalloc(RX_CHUNK);
	for (i = 0; i < c->nslots * nservers; i++) {
		struct slot *s = &c->slots[i / nservers];
		union homa_addr *to = &servers[i % nservers];
		struct pollfd p;
		int fd;

		if (!s->fds)
			s->fds = xcalloc(nservers, sizeof(*s->fds));
		fd = socket(to->sa.sa_family, SOCK_STREAM, 0);
		if (fd < 0)
			homa_die(1, "socket(tcp): %s", strerror(errno));
		set_sock_bufs(fd);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		set_nonblock(fd);
		if (connect(fd, &to->sa, homa_addr_len(to)) &&
		    errno != EINPROGRESS)
			homa_die(1, "tcp: connect: %s", strerror(errno));
		p.fd = fd;
		p.events = POLLOUT;
		if (poll(&p, 1, timeout_ms(opt.timeout)) != 1)
			homa_die(1, "tcp: connect: no answer within %g s", opt.timeout);
		len = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
		    err)
			homa_die(1, "tcp: connect: %s", strerror(err));
		s->fds[i % nservers] = fd;
		s->fd = s->fds[0];
	}
}

static void tcp_send(struct client *c, struct slot *s)
{
	struct iovec iov[2];
	ssize_t r;
	int n;

	(void)c;
	while (s->sent < s->req_len) {
		if (s->sent < HDR_LEN) {
			iov[0].iov_base = (char *)&s->tx_hdr + s->sent;
			iov[0].iov_len = HDR_LEN - s->sent;
			iov[1].iov_base = pattern + HDR_LEN;
			iov[1].iov_len = s->req_len - HDR_LEN;
			n = 2;
		} else {
			iov[0].iov_base = pattern + s->sent;
			iov[0].iov_len = s->req_len - s->sent;
			n = 1;
		}
		r = writev(s->fd, iov, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			homa_die(1, "tcp: write: %s", strerror(errno));
		}
		s->sent += r;
	}
}

static void tcp_recv(struct client *c, struct slot *s)
{
	uint32_t want, before;
	ssize_t r;

	for (;;) {
		before = s->rcvd;
		if (before < HDR_LEN) {
			r = read(s->fd, (char *)&s->rx_hdr + s->rcvd,
				 HDR_LEN - s->rcvd);
		} else {
			want = s->resp_len - s->rcvd;
			r = read(s->fd, c->rx, want < RX_CHUNK ? want : RX_CHUNK);
		}
		if (r == 0)
			homa_die(1, "tcp: the server closed a connection");
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			homa_die(1, "tcp: read: %s", strerror(errno));
		}
		s->rcvd += r;
		if (s->rcvd < HDR_LEN)
			continue;
		if (before < HDR_LEN)
			check_response_hdr(s, &s->rx_hdr,
					   be32toh(s->rx_hdr.length));
		if (s->rcvd == s->resp_len) {
			end_rpc(c, s, 1);
			return;
		}
	}
}

static void tcp_wait(struct client *c, uint64_t until)
{
	int i, n = 0, timeout;
	struct timespec ts;

	timeout = check_timeouts(c);
	for (i = 0; i < c->nslots; i++) {
		struct slot *s = &c->slots[i];

		if (!s->busy)
			continue;
		c->pfds[n].fd = s->fd;
		c->pfds[n].events = s->sent < s->req_len ? POLLOUT : POLLIN;
		c->pfds[n].revents = 0;
		c->pslots[n++] = s;
	}
	if (n == 0)
		return;
	if (ppoll(c->pfds, n, wait_ts(timeout, until, &ts), NULL) < 0) {
		if (errno == EINTR)
			return;
		homa_die(1, "poll: %s", strerror(errno));
	}
	for (i = 0; i < n; i++) {
		struct slot *s = c->pslots[i];

		if (!c->pfds[i].revents)
			continue;
		if (s->sent < s->req_len) {
			tcp_send(c, s);
			if (s->sent < s->req_len)
				continue;
		}
		tcp_recv(c, s);
	}
}

/* UDP */

static void udp_client_setup(struct client *c)
{
	struct timeval tv;

	c->fd = socket(servers[0].sa.sa_family, SOCK_DGRAM, 0);
	if (c->fd < 0)
		homa_die(1, "socket(udp): %s", strerror(errno));
	set_sock_bufs(c->fd);
	/* Bound sends too: a datagram that cannot go out is lost. */
	tv.tv_sec = (time_t)opt.timeout;
	tv.tv_usec = (suseconds_t)((opt.timeout - tv.tv_sec) * 1e6);
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/* With one server, connect: its refusals then come back as errors. */
	if (nservers == 1 &&
	    connect(c->fd, &servers[0].sa, homa_addr_len(&servers[0])) < 0)
		homa_die(1, "udp: connect: %s", strerror(errno));
	c->rx = xmalloc(RX_CHUNK);
}

static void udp_send(struct client *c, struct slot *s)
{
	put_hdr(&s->tx_hdr, s->req_len, s->resp_len, s->id);
	s->frags = 0;
	if (udp_send_msg(c->fd, nservers > 1 ? &servers[s->server] : NULL,
			 s->id, &s->tx_hdr, s->req_len) == 0)
		return;
	if (errno == ECONNREFUSED)
		homa_die(1, "udp: server %s port %d refuses (not running?)", opt.host,
			 opt.port);
	/* ENOBUFS, EAGAIN (send timeout) ...: the message is lost. */
}

static void udp_wait(struct client *c, uint64_t until)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	struct timespec ts;
	uint32_t off, total;
	uint64_t msg_id;
	struct slot *s;
	int idx, got = 0;
	ssize_t len;

	for (;;) {
		len = recv(c->fd, c->rx, RX_CHUNK, MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ECONNREFUSED)
				homa_die(1, "udp: server %s port %d refuses (not running?)",
					 opt.host, opt.port);
			homa_die(1, "udp: recv: %s", strerror(errno));
		}
		idx = udp_frag_check(c->rx, len, &msg_id, &off, &total);
		if (idx < 0)
			continue;
		s = &c->slots[msg_id % c->nslots];
		if (!s->busy || s->id != msg_id)
			continue;	/* late: already counted lost */
		if (total != s->resp_len)
			homa_die(1, "udp: response of %u bytes, expected %u", total,
				 s->resp_len);
		if (idx == 0)
			check_response_hdr(s, (const struct bench_hdr *)
					   (c->rx + sizeof(struct udp_frag)),
					   total);
		s->frags |= 1u << idx;
		if (s->frags == udp_all_frags(total)) {
			end_rpc(c, s, 1);
			got = 1;
		}
	}
	if (got)
		return;
	idx = check_timeouts(c);
	if (c->busy && ppoll(&p, 1, wait_ts(idx, until, &ts), NULL) < 0 &&
	    errno != EINTR)
		homa_die(1, "poll: %s", strerror(errno));
}

static void proto_send(struct client *c, struct slot *s)
{
	switch (opt.proto) {
	case PROTO_HOMA:
		homa_send(c, s);
		break;
	case PROTO_TCP:
		put_hdr(&s->tx_hdr, s->req_len, s->resp_len, s->id);
		s->sent = 0;
		s->rcvd = 0;
		tcp_send(c, s);
		break;
	case PROTO_UDP:
		udp_send(c, s);
		break;
	}
}

/* Wait for responses (and handle them), but in the open loop no later
 * than @until (ns; 0: no bound).
 */
static void proto_wait(struct client *c, uint64_t until)
{
	switch (opt.proto) {
	case PROTO_HOMA:
		homa_wait(c, until);
		break;
	case PROTO_TCP:
		tcp_wait(c, until);
		break;
	case PROTO_UDP:
		udp_wait(c, until);
		break;
	}
}

/* Open loop: the time to the next arrival, exponentially distributed. */
static uint64_t next_gap(struct client *c)
{
	return (uint64_t)(-log(1.0 - rng_unit(&c->rng)) * c->arrival_ns);
}

/* Open loop: a request arrives; it starts if a slot is idle. */
static void arrive(struct client *c)
{
	if (c->record)
		c->arrivals++;
	if (c->nfree == 0) {
		if (c->record)
			c->skipped++;
		return;
	}
	start_rpc(c, &c->slots[c->free_slots[--c->nfree]]);
}

static void run_phase(struct client *c, uint64_t limit, uint64_t deadline,
		      int record)
{
	struct timespec ts;
	uint64_t now;
	int i;

	c->limit = limit;
	c->issued = 0;
	c->deadline = deadline;
	c->record = record;
	c->last_done_ns = homa_now_ns();
	if (opt.load_gbps <= 0) {
		for (i = 0; i < c->nslots && may_issue(c, homa_now_ns()); i++)
			start_rpc(c, &c->slots[i]);
		while (c->busy > 0)
			proto_wait(c, 0);
		return;
	}

	/* Arrivals follow their own schedule: one that is late (the thread
	 * was busy) starts at once, with those due after it.
	 */
	c->next_arrival = c->last_done_ns + next_gap(c);
	for (;;) {
		now = homa_now_ns();
		while (may_issue(c, now) && now >= c->next_arrival) {
			arrive(c);
			c->next_arrival += next_gap(c);
		}
		if (!may_issue(c, now)) {
			if (c->busy == 0)
				break;
			proto_wait(c, 0);
		} else if (c->busy == 0) {
			ts.tv_sec = (time_t)(c->next_arrival / 1000000000);
			ts.tv_nsec = (long)(c->next_arrival % 1000000000);
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					NULL);
		} else {
			proto_wait(c, c->next_arrival);
		}
	}
}

static void *client_thread(void *arg)
{
	struct client *c = arg;
	uint64_t limit = 0, deadline = 0;
	int i;

	c->nslots = opt.outstanding;
	c->slots = xcalloc(c->nslots, sizeof(*c->slots));
	c->free_slots = xcalloc(c->nslots, sizeof(*c->free_slots));
	for (i = 0; i < c->nslots; i++) {
		c->slots[i].index = i;
		c->slots[i].fd = -1;
		/* Idle slots are taken from the end: slot 0 first. */
		c->free_slots[c->nfree++] = c->nslots - 1 - i;
	}
	c->bk = xcalloc(bk.n, sizeof(*c->bk));
	c->rng = 0x9e3779b97f4a7c15ull * (c->index + 1) + 12345 +
		0xbf58476d1ce4e5b9ull * opt.seed;
	if (!c->rng)
		c->rng = 1;
	if (opt.load_gbps > 0) {
		double rpc_bytes = dist.mean + (opt.resp_size ?
			(opt.resp_size < HDR_LEN ? HDR_LEN : opt.resp_size) :
			dist.mean);

		/* Each thread offers its share of the load. */
		c->arrival_ns = rpc_bytes * 8 * opt.threads / opt.load_gbps;
	}
	switch (opt.proto) {
	case PROTO_HOMA:
		homa_client_setup(c);
		break;
	case PROTO_TCP:
		tcp_client_setup(c);
		break;
	case PROTO_UDP:
		udp_client_setup(c);
		break;
	}
	if (opt.warmup)
		run_phase(c, opt.warmup, 0, 0);

	pthread_barrier_wait(&barrier);
	if (opt.count) {
		limit = opt.count / opt.threads +
			(c->index < opt.count % opt.threads);
		if (limit == 0)
			goto done;
	} else {
		deadline = homa_now_ns() + (uint64_t)(opt.seconds * 1e9);
	}
	run_phase(c, limit, deadline, 1);
done:
	c->end_ns = homa_now_ns();
	__atomic_add_fetch(&threads_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Results */

/**
 * struct stats - Results of all the RPCs, or of one size bucket.
 */
struct stats {
	uint64_t rpcs;
	uint64_t lost;
	double rate;		/* RPC/s */
	double gbps;		/* payload, request + response */
	double mean_req;	/* bytes */
	double share;		/* of all the RPCs completed */
	double pct[4];		/* RTT P50, P90, P99, P99.9 in us */
	double max_us;
	double base_us;		/* unloaded RTT at mean_req; 0: none */
	double sd[4];		/* slowdown percentiles (with a baseline) */
};

struct results {
	double elapsed;
	double cpu_us;
	uint64_t arrivals;	/* open loop */
	uint64_t skipped;
	struct stats all;
	struct stats *bucket;	/* bk.n of them */
};

static const char *const pct_names[] = { "p50", "p90", "p99", "p99.9" };
static const char *const pct_keys[] = { "p50", "p90", "p99", "p999" };
static const double pct_values[] = { 0.50, 0.90, 0.99, 0.999 };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* By bucket, then by RTT. */
static int cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return x->rtt_ns < y->rtt_ns ? -1 : x->rtt_ns > y->rtt_ns;
}

/* The index of percentile @p among @n sorted values. */
static size_t pct_index(double p, size_t n)
{
	size_t k = (size_t)ceil(p * n);

	return k ? k - 1 : 0;
}

/* RTT and slowdown percentiles of @n samples sorted by RTT; @sd is room
 * for @n doubles.
 */
static void sample_pcts(const struct sample *sm, size_t n, double *sd,
			struct stats *st)
{
	size_t i;
	int j;

	for (j = 0; j < 4 && n; j++)
		st->pct[j] = sm[pct_index(pct_values[j], n)].rtt_ns / 1000.0;
	if (!base.n || !n)
		return;
	for (i = 0; i < n; i++)
		sd[i] = sm[i].rtt_ns / base_rtt_ns(sm[i].size);
	qsort(sd, n, sizeof(*sd), cmp_double);
	for (j = 0; j < 4; j++)
		st->sd[j] = sd[pct_index(pct_values[j], n)];
}

static double tv_sec(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

static void summarise(struct client *clients, double elapsed,
		      const struct rusage *ru0, const struct rusage *ru1,
		      struct results *res)
{
	uint64_t bytes = 0, req_bytes = 0, max_ns = 0, *rtt;
	struct sample *all;
	size_t n = 0, k, first;
	double cpu, *sd;
	int i, b;

	memset(res, 0, sizeof(*res));
	res->bucket = xcalloc(bk.n, sizeof(*res->bucket));
	for (i = 0; i < opt.threads; i++)
		n += clients[i].nsamples;
	all = xmalloc(n * sizeof(*all));
	rtt = xmalloc(n * sizeof(*rtt));
	sd = xmalloc(n * sizeof(*sd));
	n = 0;
	for (i = 0; i < opt.threads; i++) {
		struct client *c = &clients[i];

		memcpy(all + n, c->samples, c->nsamples * sizeof(*all));
		n += c->nsamples;
		res->all.rpcs += c->completed;
		res->all.lost += c->lost;
		res->arrivals += c->arrivals;
		res->skipped += c->skipped;
		bytes += c->bytes;
		req_bytes += c->req_bytes;
		if (c->max_ns > max_ns)
			max_ns = c->max_ns;
		for (b = 0; b < bk.n; b++) {
			struct stats *st = &res->bucket[b];
			struct bucket_count *bc = &c->bk[b];

			st->rpcs += bc->completed;
			st->lost += bc->lost;
			st->gbps += bc->bytes;		/* bytes for now */
			st->mean_req += bc->req_bytes;	/* likewise */
			if (bc->max_ns / 1000.0 > st->max_us)
				st->max_us = bc->max_ns / 1000.0;
		}
	}

	/* All RPCs. */
	for (k = 0; k < n; k++)
		rtt[k] = all[k].rtt_ns;
	qsort(rtt, n, sizeof(*rtt), cmp_u64);
	for (i = 0; i < 4 && n; i++)
		res->all.pct[i] = rtt[pct_index(pct_values[i], n)] / 1000.0;
	if (base.n && n) {
		for (k = 0; k < n; k++)
			sd[k] = all[k].rtt_ns / base_rtt_ns(all[k].size);
		qsort(sd, n, sizeof(*sd), cmp_double);
		for (i = 0; i < 4; i++)
			res->all.sd[i] = sd[pct_index(pct_values[i], n)];
	}

	/* Each bucket: its run of the samples sorted by bucket and RTT. */
	qsort(all, n, sizeof(*all), cmp_sample);
	for (first = 0; first < n; first = k) {
		for (k = first; k < n && all[k].bucket == all[first].bucket; k++)
			;
		sample_pcts(all + first, k - first, sd,
			    &res->bucket[all[first].bucket]);
	}
	for (b = 0; b < bk.n; b++) {
		struct stats *st = &res->bucket[b];

		st->rate = st->rpcs / elapsed;
		st->gbps = st->gbps * 8 / elapsed / 1e9;
		st->mean_req = st->rpcs ? st->mean_req / st->rpcs : 0;
		st->share = res->all.rpcs ?
			(double)st->rpcs / res->all.rpcs : 0;
		if (base.n && st->rpcs)
			st->base_us = base_rtt_ns(st->mean_req) / 1000;
	}
	free(all);
	free(rtt);
	free(sd);

	res->elapsed = elapsed;
	res->all.max_us = max_ns / 1000.0;
	res->all.rate = res->all.rpcs / elapsed;
	res->all.gbps = bytes * 8.0 / elapsed / 1e9;
	res->all.share = 1;
	cpu = tv_sec(&ru1->ru_utime) - tv_sec(&ru0->ru_utime) +
		tv_sec(&ru1->ru_stime) - tv_sec(&ru0->ru_stime);
	res->cpu_us = res->all.rpcs ? cpu * 1e6 / res->all.rpcs : 0;
	res->all.mean_req = res->all.rpcs ?
		(double)req_bytes / res->all.rpcs : 0;
}

/* Payload bytes of an average RPC (request + response). */
static double mean_rpc_bytes(void)
{
	if (!opt.resp_size)
		return 2 * dist.mean;
	return dist.mean + (opt.resp_size < HDR_LEN ? HDR_LEN : opt.resp_size);
}

static void describe_sizes(FILE *f)
{
	if (!opt.workload) {
		fprintf(f, "  sizes: request %u B", dist.size[0]);
	} else {
		fprintf(f, "  sizes: workload %s (%d points), mean request %.0f B",
			opt.workload, dist.n, dist.mean);
	}
	if (opt.resp_size)
		fprintf(f, ", response %d B\n", opt.resp_size < HDR_LEN ?
			HDR_LEN : opt.resp_size);
	else
		fprintf(f, ", response the same (echo)\n");
	if (dist.truncated > 0)
		fprintf(f,
			"  note: %.3g%% of the workload's messages are over %d B"
			" (Homa's limit) and were truncated to %d B\n",
			dist.truncated * 100, MAX_MSG, MAX_MSG);
	if (dist.raised > 0 || (opt.resp_size && opt.resp_size < HDR_LEN))
		fprintf(f,
			"  note: sizes below %d B (the benchmark's header) were"
			" raised to %d B (%.3g%% of requests)\n",
			HDR_LEN, HDR_LEN, dist.raised * 100);
}

/* The smallest size bucket @b holds. */
static uint32_t bucket_min(int b)
{
	return b ? bk.max[b - 1] + 1 : 1;
}

static void print_text(const struct results *r)
{
	char range[32];
	int b, j;

	printf("homa_bench client: %s to %s port %d, %d thread(s) x %d outstanding\n",
	       proto_names[opt.proto], opt.host, opt.port, opt.threads,
	       opt.outstanding);
	describe_sizes(stdout);
	printf("  rpcs: %llu completed in %.3f s (after %d warmup per thread)",
	       (unsigned long long)r->all.rpcs, r->elapsed, opt.warmup);
	if (opt.proto == PROTO_UDP)
		printf(", %llu lost (%.3f%%)", (unsigned long long)r->all.lost,
		       r->all.lost + r->all.rpcs ? r->all.lost * 100.0 /
		       (r->all.lost + r->all.rpcs) : 0.0);
	printf("\n  throughput: %.1f RPC/s, %.3f Gbit/s of payload (request+response)\n",
	       r->all.rate, r->all.gbps);
	printf("  rtt (us):");
	for (j = 0; j < 4; j++)
		printf(" %s %.1f", pct_names[j], r->all.pct[j]);
	printf(" max %.1f\n", r->all.max_us);
	printf("  client cpu: %.2f us per RPC (user+sys)\n", r->cpu_us);
	if (opt.load_gbps > 0) {
		printf("  open loop: offered %.4f Gbit/s (%.1f RPC/s, Poisson), achieved %.4f;",
		       opt.load_gbps, opt.load_gbps * 1e9 / 8 / mean_rpc_bytes(),
		       r->all.gbps);
		printf(" %llu of %llu arrivals skipped (%.2f%%, at %d in flight per thread)\n",
		       (unsigned long long)r->skipped,
		       (unsigned long long)r->arrivals,
		       r->arrivals ? r->skipped * 100.0 / r->arrivals : 0.0,
		       opt.outstanding);
	}
	if (base.n) {
		printf("  slowdown (RTT / unloaded RTT of the size, from %s):",
		       opt.baseline);
		for (j = 0; j < 4; j++)
			printf(" %s %.2f", pct_names[j], r->all.sd[j]);
		printf("\n");
	}
	if (!opt.workload && !opt.buckets && !opt.baseline)
		return;
	printf("  per request size (bytes; RTT in us%s):\n",
	       base.n ? "; sd: slowdown" : "");
	printf("  %15s %9s %6s %9s %9s %9s %9s", "size", "rpcs", "share",
	       "p50", "p99", "p99.9", "max");
	if (base.n)
		printf(" %9s %7s %7s %8s", "unloaded", "sd p50", "sd p99",
		       "sd p99.9");
	printf("\n");
	for (b = 0; b < bk.n; b++) {
		const struct stats *st = &r->bucket[b];

		if (!st->rpcs && !st->lost)
			continue;
		if (b == 0)
			snprintf(range, sizeof(range), "<=%u", bk.max[0]);
		else
			snprintf(range, sizeof(range), "%u-%u", bucket_min(b),
				 bk.max[b]);
		printf("  %15s %9llu %5.1f%% %9.1f %9.1f %9.1f %9.1f", range,
		       (unsigned long long)st->rpcs, st->share * 100,
		       st->pct[0], st->pct[2], st->pct[3], st->max_us);
		if (base.n)
			printf(" %9.1f %7.2f %7.2f %8.2f", st->base_us,
			       st->sd[0], st->sd[2], st->sd[3]);
		if (st->lost)
			printf(" (%llu lost)", (unsigned long long)st->lost);
		printf("\n");
	}
	fflush(stdout);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* The measured values of @st as JSON members, each followed by ", ". */
static void json_stats(FILE *f, const struct stats *st)
{
	int j;

	fprintf(f, "\"rpcs\": %llu, \"lost\": %llu, \"rpcs_per_s\": %.3f, ",
		(unsigned long long)st->rpcs, (unsigned long long)st->lost,
		st->rate);
	fprintf(f, "\"gbit_per_s\": %.6f, \"mean_request_bytes\": %.1f, ",
		st->gbps, st->mean_req);
	fprintf(f, "\"share\": %.6f, ", st->share);
	for (j = 0; j < 4; j++)
		fprintf(f, "\"%s_us\": %.3f, ", pct_keys[j], st->pct[j]);
	fprintf(f, "\"max_us\": %.3f, ", st->max_us);
	if (st->base_us > 0)
		fprintf(f, "\"base_rtt_us\": %.3f, ", st->base_us);
	else
		fprintf(f, "\"base_rtt_us\": null, ");
	for (j = 0; j < 4; j++) {
		if (base.n && st->rpcs)
			fprintf(f, "\"slowdown_%s\": %.4f, ", pct_keys[j],
				st->sd[j]);
		else
			fprintf(f, "\"slowdown_%s\": null, ", pct_keys[j]);
	}
}

static void write_json(const struct results *r)
{
	FILE *f = fopen(opt.json, "w");
	const char *sep = "";
	int b;

	if (!f)
		homa_die(1, "cannot write %s: %s", opt.json, strerror(errno));
	fprintf(f, "{\"label\": ");
	json_string(f, opt.label);
	fprintf(f, ", \"proto\": \"%s\", \"server\": ", proto_names[opt.proto]);
	json_string(f, opt.host);
	fprintf(f, ", \"port\": %d, \"family\": \"%s\", \"size\": %u, ",
		opt.port, servers[0].sa.sa_family == AF_INET6 ? "ipv6" : "ipv4",
		opt.workload ? 0 : dist.size[0]);
	fprintf(f, "\"response_size\": %d, \"workload\": ", opt.resp_size);
	if (opt.workload)
		json_string(f, opt.workload);
	else
		fprintf(f, "null");
	fprintf(f, ", \"truncated_fraction\": %.6f, ", dist.truncated);
	fprintf(f, "\"threads\": %d, \"outstanding\": %d, \"warmup\": %d, ",
		opt.threads, opt.outstanding, opt.warmup);
	fprintf(f, "\"load_gbps\": %.6f, \"arrivals\": %llu, \"skipped\": %llu, ",
		opt.load_gbps, (unsigned long long)r->arrivals,
		(unsigned long long)r->skipped);
	fprintf(f, "\"seed\": %llu, \"baseline\": ", opt.seed);
	if (opt.baseline)
		json_string(f, opt.baseline);
	else
		fprintf(f, "null");
	fprintf(f, ", \"elapsed_s\": %.6f, \"cpu_us_per_rpc\": %.3f, ",
		r->elapsed, r->cpu_us);
	json_stats(f, &r->all);
	fprintf(f, "\"buckets\": [");
	for (b = 0; b < bk.n; b++) {
		const struct stats *st = &r->bucket[b];

		if (!st->rpcs && !st->lost)
			continue;
		fprintf(f, "%s\n  {\"bucket_min\": %u, \"bucket_max\": %u, ",
			sep, bucket_min(b), bk.max[b]);
		json_stats(f, st);
		fprintf(f, "\"bucket\": %d}", b);
		sep = ",";
	}
	fprintf(f, "]}\n");
	if (fclose(f))
		homa_die(1, "writing %s: %s", opt.json, strerror(errno));
}

static void csv_string(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* One CSV row: the run's settings, @st's measures, and bucket @b (-1:
 * the "all" row).
 */
static void csv_row(FILE *f, const struct results *r, const struct stats *st,
		    int b)
{
	int j;

	csv_string(f, opt.label);
	fprintf(f, ",%s,", proto_names[opt.proto]);
	csv_string(f, opt.host);
	fprintf(f, ",%d,%s,%u,%d,", opt.port,
		servers[0].sa.sa_family == AF_INET6 ? "ipv6" : "ipv4",
		opt.workload ? 0 : dist.size[0], opt.resp_size);
	csv_string(f, opt.workload ? opt.workload : "");
	fprintf(f, ",%.1f,%.6f,%d,%d,%d,%.6f,%llu,%llu,%.3f,%.6f,",
		st->mean_req, dist.truncated, opt.threads, opt.outstanding,
		opt.warmup, r->elapsed, (unsigned long long)st->rpcs,
		(unsigned long long)st->lost, st->rate, st->gbps);
	fprintf(f, "%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,", st->pct[0], st->pct[1],
		st->pct[2], st->pct[3], st->max_us, r->cpu_us);
	if (b < 0)
		fprintf(f, "all,,,");
	else
		fprintf(f, "%u,%u,%u,", bk.max[b], bucket_min(b), bk.max[b]);
	fprintf(f, "%.6f,%.6f,%llu,%llu,", st->share, opt.load_gbps,
		(unsigned long long)r->arrivals,
		(unsigned long long)r->skipped);
	if (st->base_us > 0)
		fprintf(f, "%.3f", st->base_us);
	for (j = 0; j < 4; j++) {
		if (base.n && st->rpcs)
			fprintf(f, ",%.4f", st->sd[j]);
		else
			fprintf(f, ",");
	}
	fprintf(f, "\n");
}

static void write_csv(const struct results *r)
{
	int is_new = access(opt.csv, F_OK) != 0;
	FILE *f = fopen(opt.csv, "a");
	int b;

	if (!f)
		homa_die(1, "cannot write %s: %s", opt.csv, strerror(errno));
	if (is_new)
		fprintf(f, "label,proto,server,port,family,size,response_size,"
			"workload,mean_request_bytes,truncated_fraction,threads,"
			"outstanding,warmup,elapsed_s,rpcs,lost,rpcs_per_s,"
			"gbit_per_s,p50_us,p90_us,p99_us,p999_us,max_us,"
			"cpu_us_per_rpc,bucket,bucket_min,bucket_max,share,"
			"load_gbps,arrivals,skipped,base_rtt_us,slowdown_p50,"
			"slowdown_p90,slowdown_p99,slowdown_p999\n");
	csv_row(f, r, &r->all, -1);
	for (b = 0; b < bk.n; b++)
		if (r->bucket[b].rpcs || r->bucket[b].lost)
			csv_row(f, r, &r->bucket[b], b);
	if (fclose(f))
		homa_die(1, "writing %s: %s", opt.csv, strerror(errno));
}

static uint64_t total_completed(struct client *clients)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < opt.threads; i++)
		sum += __atomic_load_n(&clients[i].completed, __ATOMIC_RELAXED);
	return sum;
}

/* Resolve the comma-separated --server list into servers[]. */
static void resolve_servers(void)
{
	char *list = strdup(opt.host), *name, *save = NULL;

	if (!list)
		homa_die(1, "out of memory");
	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		if (nservers == MAX_SERVERS)
			homa_die(1, "--server: at most %d servers", MAX_SERVERS);
		resolve(name, opt.port, &servers[nservers]);
		if (servers[nservers].sa.sa_family != servers[0].sa.sa_family)
			homa_die(1, "--server: %s is not of the address family of the first server",
				 name);
		nservers++;
	}
	free(list);
	if (!nservers)
		homa_die(1, "--server: no host given");
}

static void run_client(void)
{
	struct client *clients = xcalloc(opt.threads, sizeof(*clients));
	uint64_t t0, t1, next_progress, now;
	struct rusage ru0, ru1;
	struct timespec nap = { 0, 50000000 };
	struct results res;
	size_t cap;
	int i;

	resolve_servers();
	cap = SAMPLE_LIMIT / opt.threads;
	if (cap < 4096)
		cap = 4096;
	if (opt.count && (uint64_t)opt.count / opt.threads + 1 < cap)
		cap = opt.count / opt.threads + 1;
	if (pthread_barrier_init(&barrier, NULL, opt.threads + 1))
		homa_die(1, "pthread_barrier_init failed");
	for (i = 0; i < opt.threads; i++) {
		struct client *c = &clients[i];

		c->index = i;
		c->cap = cap;
		c->samples = xmalloc(cap * sizeof(*c->samples));
		if (pthread_create(&c->thread, NULL, client_thread, c))
			homa_die(1, "pthread_create failed");
	}
	pthread_barrier_wait(&barrier);
	getrusage(RUSAGE_SELF, &ru0);
	t0 = homa_now_ns();

	/* Progress every 2 s on runs planned over 5 s (or, with --count,
	 * once a run has lasted 5 s).
	 */
	next_progress = t0 + (!opt.count && opt.seconds > 5 ? 2 : 5) *
		1000000000ull;
	while (__atomic_load_n(&threads_done, __ATOMIC_ACQUIRE) < opt.threads) {
		nanosleep(&nap, NULL);
		now = homa_now_ns();
		if (now >= next_progress) {
			double t = (now - t0) / 1e9;
			uint64_t n = total_completed(clients);

			fprintf(stderr, "homa_bench: %s %.0f s: %llu RPCs, %.0f RPC/s\n",
				proto_names[opt.proto], t,
				(unsigned long long)n, n / t);
			next_progress += 2000000000ull;
		}
	}
	getrusage(RUSAGE_SELF, &ru1);
	t1 = t0;
	for (i = 0; i < opt.threads; i++) {
		pthread_join(clients[i].thread, NULL);
		if (clients[i].end_ns > t1)
			t1 = clients[i].end_ns;
	}

	summarise(clients, (t1 - t0) / 1e9, &ru0, &ru1, &res);
	print_text(&res);
	if (opt.json)
		write_json(&res);
	if (opt.csv)
		write_csv(&res);
	if (res.all.rpcs == 0)
		homa_die(1, "no RPC completed");
}

int main(int argc, char **argv)
{
	int i;

	homa_prog = "homa_bench";

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	parse_args(argc, argv);
	pattern = xmalloc(MAX_MSG);
	for (i = 0; i < MAX_MSG; i++)
		pattern[i] = 'a' + i % 26;
	if (opt.server) {
		switch (opt.proto) {
		case PROTO_HOMA:
			homa_server();
			break;
		case PROTO_TCP:
			tcp_server();
			break;
		case PROTO_UDP:
			udp_server();
			break;
		}
		return 0;
	}
	if (opt.workload)
		dist_load(opt.workload);
	else
		dist_fixed(opt.size);
	buckets_setup();
	if (opt.baseline)
		baseline_load(opt.baseline);
	run_client();
	return 0;
}
