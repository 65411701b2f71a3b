// SPDX-License-Identifier: GPL-2.0
/*
 * homa_fuzz: flood a host with random and mutated Homa packets through a
 * raw IP socket (protocol 146; the kernel adds the IP header), to check
 * that the receive path survives anything a peer can send: every packet
 * type and unknown ones, truncated packets of every length from 0 to 90
 * bytes, oversized (IP-fragmented) packets, wild offsets, lengths,
 * message lengths that change between packets of one RPC, GRANTs beyond
 * the message, RESENDs of everything, CUTOFFS with any values, ACKs
 * claiming up to 65535 entries, and ids both guessed near the real ones
 * (client ids start at 2 and step by 2 in each namespace) and learned from
 * the Homa packets this host receives (-l).
 *
 *   homa_fuzz TARGET [-n COUNT] [-s SEED] [-p PORTS] [-i LO-HI] [-l]
 *             [-t SECONDS] [-v]
 *   homa_fuzz TARGET -x HEX[:N]     (one given packet, to reproduce)
 *
 * The packets are a function of the seed and the count (learned ids
 * aside). At the end it prints what it sent, by type and by kind, the
 * rate, and a last line "homa_fuzz: done". Exit status: 0, 1 if the
 * socket could not be used, 2 for a usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/homa.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Packet types and header lengths (see the wire protocol). */
#define T_DATA		0x10
#define T_GRANT		0x11
#define T_RESEND	0x12
#define T_RPC_UNKNOWN	0x13
#define T_BUSY		0x14
#define T_CUTOFFS	0x15
#define T_FREEZE	0x16
#define T_NEED_ACK	0x17
#define T_ACK		0x18
#define NUM_TYPES	9

#define COMMON_LEN	28
#define DATA_LEN	56
#define MAX_HEADER	90

/* Field offsets from the start of the Homa header. */
#define O_SPORT		0
#define O_DPORT		2
#define O_SEQ		4
#define O_TYPE		11
#define O_DOFF		12
#define O_ID		20
#define O_MSG_LEN	28	/* DATA */
#define O_INCOMING	32
#define O_ACK_ID	36
#define O_ACK_PORT	44
#define O_CUT_VER	46
#define O_RETRANSMIT	48
#define O_SEG		52
#define O_OFFSET	28	/* GRANT, RESEND */
#define O_GRANT_PRIO	32
#define O_LENGTH	32	/* RESEND */
#define O_RESEND_PRIO	36
#define O_CUTOFFS	28	/* CUTOFFS: 8 x be32, then the version */
#define O_CUTOFFS_VER	60
#define O_NUM_ACKS	28	/* ACK: count, then 5 x (id, port) */
#define O_ACKS		30

/* Largest packet: an IPv4 datagram of 64 KiB less its header. */
#define MAX_PKT		65000

/* Ids remembered for consistent (or deliberately inconsistent) RPCs. */
#define NUM_STORIES	64
#define NUM_LEARNED	256
#define MAX_PORTS	64

static const unsigned char hdr_len[NUM_TYPES] = {
	56, 33, 37, 28, 28, 62, 28, 28, 80
};

static const char *const type_names[NUM_TYPES] = {
	"DATA", "GRANT", "RESEND", "RPC_UNKNOWN", "BUSY", "CUTOFFS",
	"FREEZE", "NEED_ACK", "ACK",
};

/* What kind of packet was built; counted separately in the summary. */
enum kind {
	K_WELL_FORMED,	/* a valid header with wild values */
	K_MUTATED,	/* the same, then some bytes changed */
	K_TRUNCATED,	/* cut to 0..90 bytes */
	K_UNKNOWN_TYPE,	/* type byte outside 0x10..0x18 */
	K_RANDOM,	/* random bytes */
	K_OVERSIZED,	/* a valid header followed by far too many bytes */
	K_NUM
};

static const char *const kind_names[K_NUM] = {
	"well-formed", "mutated", "truncated", "unknown-type", "random",
	"oversized",
};

/* A remote RPC as the target host knows it: its port and its id. */
struct rpc_ref {
	uint16_t port;
	uint64_t id;
};

/* An RPC this program pretends to take part in. */
struct story {
	uint64_t sender_id;	/* id as we, its sender, name it */
	uint32_t msg_len;	/* message length we claimed first */
	uint16_t dport;
	uint16_t sport;
};

static struct {
	long count;
	uint64_t seed;
	uint16_t ports[MAX_PORTS];
	int num_ports;
	uint64_t id_lo, id_hi;
	bool learn;
	long seconds;
	int verbose;
	const char *exact;
} opt = {
	.count = 1000000,
	.seed = 1,
	.id_lo = 1,
	.id_hi = 4096,
};

static uint64_t rng_state;
static struct story stories[NUM_STORIES];
static struct rpc_ref learned[NUM_LEARNED];
static unsigned int num_learned, next_learned;
static long learned_total;

static long sent_by_type[NUM_TYPES];
static long sent_by_kind[K_NUM];
static long sent_other_type, send_errors, errors_by_errno[8];
static unsigned long long bytes_sent;

static const char usage_text[] =
"usage: homa_fuzz TARGET [-n COUNT] [-s SEED] [-p PORTS] [-i LO-HI] [-l]\n"
"                 [-t SECONDS] [-v]\n"
"Send COUNT random and mutated Homa packets to the numeric IPv4 or IPv6\n"
"address TARGET through a raw socket (root needed).\n"
"  -n COUNT    packets to send (default 1000000)\n"
"  -s SEED     seed of the generator (default 1)\n"
"  -p PORTS    the target's real Homa ports, comma-separated, each a port\n"
"              or a range LO-HI (default 4000); most packets go there,\n"
"              the others to random ports\n"
"  -i LO-HI    RPC ids to guess from (default 1-4096)\n"
"  -l          learn ports and ids from the Homa packets this host\n"
"              receives (the target's replies, or, for a local target,\n"
"              its peers' packets) and aim at them too\n"
"  -t SECONDS  stop after SECONDS even before COUNT (default: no limit)\n"
"  -v          print progress every 100000 packets\n"
"  -x HEX[:N]  send one packet: the bytes HEX (a Homa header and maybe\n"
"              data), then N more bytes of 0xaa\n";

static void __attribute__((noreturn)) usage_error(const char *what)
{
	fprintf(stderr, "homa_fuzz: %s\n%s", what, usage_text);
	exit(2);
}

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n); n > 0. */
static uint32_t rnd(uint32_t n)
{
	return (uint32_t)(((rnd64() >> 32) * n) >> 32);
}

/* True with probability percent / 100. */
static bool chance(uint32_t percent)
{
	return rnd(100) < percent;
}

static void put16(unsigned char *p, unsigned int off, uint16_t v)
{
	p[off] = v >> 8;
	p[off + 1] = v;
}

static void put32(unsigned char *p, unsigned int off, uint32_t v)
{
	put16(p, off, v >> 16);
	put16(p, off + 2, v);
}

static void put64(unsigned char *p, unsigned int off, uint64_t v)
{
	put32(p, off, v >> 32);
	put32(p, off + 4, v);
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* A 32-bit value that is likely to sit on an edge of some check. */
static uint32_t wild32(uint32_t near)
{
	static const uint32_t edges[] = {
		0, 1, 2, 1399, 1400, 1401, 39999, 40000, 40001, 65535, 65536,
		999999, 1000000, 1000001, 0x7fffffff, 0x80000000, 0xfffffffe,
		0xffffffff, 0xfffff000,
	};

	switch (rnd(6)) {
	case 0:
		return edges[rnd(ARRAY_SIZE(edges))];
	case 1:
		return (uint32_t)rnd64();
	case 2:
		return near + rnd(3) - 1;
	case 3:
		return rnd(near + 1);
	case 4:
		return near + rnd(100000);
	default:
		return rnd(1500) * rnd(800);
	}
}

/* Add a (port, id) of the target to the learned ring, unless known. */
static void learn(uint16_t port, uint64_t id)
{
	unsigned int i;

	if (port == 0)
		return;
	for (i = 0; i < num_learned; i++)
		if (learned[i].port == port && learned[i].id == id)
			return;
	learned[next_learned].port = port;
	learned[next_learned].id = id;
	next_learned = (next_learned + 1) % NUM_LEARNED;
	if (num_learned < NUM_LEARNED)
		num_learned++;
	learned_total++;
}

/*
 * Learn from one received Homa header @h (@len bytes) that went from
 * @src_is_target / @dst_is_target. A packet from the target names the
 * target's RPC (its sport, its sender_id); a packet from elsewhere to a
 * local target names the target's RPC (dport, sender_id ^ 1).
 */
static void learn_from(const unsigned char *h, size_t len, bool src_is_target,
		       bool dst_is_target)
{
	if (len < COMMON_LEN || h[O_TYPE] < T_DATA || h[O_TYPE] > T_ACK)
		return;
	if (src_is_target && !dst_is_target)
		learn(get16(h + O_SPORT), get64(h + O_ID));
	else if (dst_is_target && !src_is_target)
		learn(get16(h + O_DPORT), get64(h + O_ID) ^ 1);
}

/* Read what has arrived on the raw socket, learning from it if asked. */
static void drain(int fd, int family, const void *target)
{
	unsigned char buf[2048];
	union {
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	} from;
	unsigned int i;
	ssize_t n;

	for (i = 0; i < 256; i++) {
		socklen_t fromlen = sizeof(from);

		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fromlen);
		if (n <= 0)
			return;
		if (!opt.learn)
			continue;
		if (family == AF_INET) {
			const struct iphdr *ip = (const void *)buf;
			size_t ihl = ip->ihl * 4;

			if ((size_t)n < sizeof(*ip) || (size_t)n < ihl)
				continue;
			learn_from(buf + ihl, n - ihl,
				   !memcmp(&ip->saddr, target, 4),
				   !memcmp(&ip->daddr, target, 4));
		} else {
			/* IPv6 raw sockets get no IP header: only the
			 * source is known, and a local target's own packets
			 * come from it too, so only remote targets learn.
			 */
			learn_from(buf, n,
				   !memcmp(&from.in6.sin6_addr, target, 16),
				   false);
		}
	}
}

static uint16_t pick_port(void)
{
	uint32_t r = rnd(100);

	if (r < 70 && opt.num_ports)
		return opt.ports[rnd(opt.num_ports)];
	if (r < 80)
		return HOMA_MIN_DEFAULT_PORT + rnd(16);
	if (r < 83)
		return 0;
	return rnd(65536);
}

/* An id as the sender of a packet names it; parity as @want_odd asks
 * when @want_odd >= 0 (clients' ids are even, servers' odd).
 */
static uint64_t pick_id(int want_odd)
{
	uint64_t id;
	uint32_t r = rnd(100);

	if (r < 35 && num_learned) {
		/* The target's id X is reached with sender_id X ^ 1. */
		return learned[rnd(num_learned)].id ^ 1;
	} else if (r < 85) {
		id = opt.id_lo + rnd64() % (opt.id_hi - opt.id_lo + 1);
	} else if (r < 90) {
		id = 0;
	} else if (r < 93) {
		id = ~0ULL;
	} else {
		id = rnd64();
	}
	if (want_odd >= 0 && chance(90))
		id = (id & ~1ULL) | (uint64_t)want_odd;
	return id;
}

/* Fill in a common header; the rest of the packet stays as it is. */
static void common(unsigned char *p, uint8_t type, struct story *s)
{
	put16(p, O_SPORT, s->sport);
	put16(p, O_DPORT, s->dport);
	put32(p, O_SEQ, chance(90) ? 0 : (uint32_t)rnd64());
	memset(p + 8, 0, 3);
	p[O_TYPE] = type;
	p[O_DOFF] = type == T_DATA ? 14 << 4 : 5 << 4;
	if (chance(3))
		p[O_DOFF] = rnd(256);
	memset(p + 13, 0, 7);
	if (chance(3)) {
		int i;

		for (i = 13; i < 20; i++)
			p[i] = rnd(256);
	}
	put64(p, O_ID, s->sender_id);
}

/* Choose the RPC of the next packet: mostly one of the stories (so that
 * several packets reach one RPC), sometimes a fresh one.
 */
static struct story *pick_story(uint8_t type)
{
	struct story *s = &stories[rnd(NUM_STORIES)];
	int want_odd = -1;

	if (!chance(25) && s->dport)
		return s;
	/* DATA from a client (even id) is a request; from a server (odd)
	 * a response. Control packets go either way.
	 */
	if (type == T_DATA)
		want_odd = chance(60) ? 0 : 1;
	s->sender_id = pick_id(want_odd);
	s->dport = pick_port();
	s->sport = chance(50) ? pick_port() : 1 + rnd(65535);
	switch (rnd(8)) {
	case 0:
		s->msg_len = 0;
		break;
	case 1:
		s->msg_len = 1 + rnd(100);
		break;
	case 2:
		s->msg_len = 1 + rnd(1400);
		break;
	case 3:
		s->msg_len = 1 + rnd(HOMA_MAX_MESSAGE_LENGTH);
		break;
	case 4:
		s->msg_len = HOMA_MAX_MESSAGE_LENGTH;
		break;
	case 5:
		s->msg_len = wild32(HOMA_MAX_MESSAGE_LENGTH);
		break;
	default:
		s->msg_len = 1 + rnd(60000);
		break;
	}
	return s;
}

/* Payload bytes of a DATA packet whose segment starts at @off. */
static uint32_t data_payload(uint32_t msg_len, uint32_t off)
{
	switch (rnd(6)) {
	case 0:
		return 0;
	case 1:
		return 1 + rnd(16);
	case 2:
		/* Exactly to the end of the message (or well past it). */
		return off < msg_len ? msg_len - off : rnd(1400);
	case 3:
		return 1400;
	default:
		return rnd(1401);
	}
}

/* Build a DATA packet; returns its length. */
static size_t build_data(unsigned char *p, struct story *s)
{
	uint32_t msg_len = chance(85) ? s->msg_len : wild32(s->msg_len);
	uint32_t off, payload, r = rnd(100);
	size_t len;

	if (r < 30)
		off = 0;
	else if (r < 60)
		off = rnd(msg_len ? msg_len : 1) / 1400 * 1400;
	else if (r < 75)
		off = rnd(msg_len ? msg_len : 1);
	else
		off = wild32(msg_len);
	payload = data_payload(msg_len, off);
	if (payload > MAX_PKT - DATA_LEN)
		payload = MAX_PKT - DATA_LEN;
	if (payload > 1480 - DATA_LEN && !chance(2))
		payload = 1480 - DATA_LEN;
	len = DATA_LEN + payload;

	common(p, T_DATA, s);
	if (chance(70))
		put32(p, O_SEQ, off);
	put32(p, O_MSG_LEN, msg_len);
	r = rnd(6);
	put32(p, O_INCOMING, r == 0 ? 0 : r == 1 ? msg_len :
			     r == 2 ? 40000 : wild32(msg_len));
	if (chance(20)) {
		put64(p, O_ACK_ID, pick_id(0));
		put16(p, O_ACK_PORT, pick_port());
	} else {
		memset(p + O_ACK_ID, 0, 10);
	}
	put16(p, O_CUT_VER, chance(50) ? 1 : rnd(65536));
	p[O_RETRANSMIT] = chance(80) ? 0 : chance(50) ? 1 : rnd(256);
	memset(p + 49, 0, 3);
	put32(p, O_SEG, off);
	/* A payload that tells packets apart in a capture. */
	memset(p + DATA_LEN, (int)(off % 251), payload);
	return len;
}

/* Build a packet of @type with wild field values; returns its length. */
static size_t build_typed(unsigned char *p, uint8_t type)
{
	struct story *s = pick_story(type);
	uint32_t r;
	int i;

	if (type == T_DATA)
		return build_data(p, s);
	common(p, type, s);
	switch (type) {
	case T_GRANT:
		r = rnd(5);
		put32(p, O_OFFSET, r == 0 ? s->msg_len : r == 1 ?
			s->msg_len + 1 + rnd(100000) : wild32(s->msg_len));
		p[O_GRANT_PRIO] = chance(70) ? rnd(8) : rnd(256);
		break;
	case T_RESEND:
		r = rnd(5);
		put32(p, O_OFFSET, r < 2 ? 0 : wild32(s->msg_len));
		r = rnd(5);
		put32(p, O_LENGTH, r < 2 ? 0xffffffff : r == 2 ?
			s->msg_len : wild32(s->msg_len));
		p[O_RESEND_PRIO] = chance(70) ? rnd(8) : rnd(256);
		break;
	case T_CUTOFFS:
		r = rnd(4);
		for (i = 0; i < 8; i++) {
			uint32_t v;

			if (r == 0)
				v = 0;
			else if (r == 1)
				v = 0xffffffff;
			else if (r == 2)
				v = (uint32_t)(i + 1) * rnd(200000);
			else
				v = wild32(HOMA_MAX_MESSAGE_LENGTH);
			put32(p, O_CUTOFFS + 4 * i, v);
		}
		put16(p, O_CUTOFFS_VER, rnd(65536));
		break;
	case T_ACK:
		r = rnd(10);
		put16(p, O_NUM_ACKS, r < 6 ? r : r == 6 ? 0xffff :
			r == 7 ? 6 : rnd(65536));
		for (i = 0; i < 5; i++) {
			put64(p, O_ACKS + 10 * i, pick_id(0));
			put16(p, O_ACKS + 10 * i + 8, pick_port());
		}
		break;
	default:
		/* RPC_UNKNOWN, BUSY, FREEZE, NEED_ACK: the common header. */
		break;
	}
	return hdr_len[type - T_DATA];
}

static uint8_t pick_type(void)
{
	/* Weights: DATA, GRANT, RESEND, RPC_UNKNOWN, BUSY, CUTOFFS, FREEZE,
	 * NEED_ACK, ACK.
	 */
	static const unsigned char weight[NUM_TYPES] = {
		35, 10, 12, 6, 6, 6, 3, 8, 14
	};
	uint32_t r = rnd(100), i;

	for (i = 0; i < NUM_TYPES - 1; i++) {
		if (r < weight[i])
			break;
		r -= weight[i];
	}
	return T_DATA + i;
}

/* Build packet number @n into @p; returns its length and sets *@kind. */
static size_t build(unsigned char *p, long n, enum kind *kind)
{
	uint32_t r = rnd(1000);
	size_t len, i, extra;
	uint8_t type = pick_type();

	if (r < 60) {
		/* Every length from 0 to 90 in turn, of every type. */
		*kind = K_TRUNCATED;
		build_typed(p, type);
		return (size_t)(n % (MAX_HEADER + 1));
	}
	if (r < 90) {
		*kind = K_UNKNOWN_TYPE;
		len = build_typed(p, type);
		p[O_TYPE] = rnd(2) ? rnd(T_DATA) : T_ACK + 1 + rnd(0xff - T_ACK);
		if (chance(30))
			len = rnd(200);
		return len;
	}
	if (r < 110) {
		*kind = K_RANDOM;
		len = rnd(1481);
		for (i = 0; i < len; i++)
			p[i] = rnd(256);
		return len;
	}
	if (r < 135) {
		*kind = K_OVERSIZED;
		len = build_typed(p, type);
		/* Mostly within one frame; sometimes IP fragments it. */
		if (len < 1480 && chance(90))
			extra = rnd(1481 - len);
		else
			extra = len < MAX_PKT ? rnd(MAX_PKT - len) : 0;
		for (i = 0; i < extra; i += 8)
			memset(p + len + i, rnd(256),
			       extra - i < 8 ? extra - i : 8);
		return len + extra;
	}
	len = build_typed(p, type);
	*kind = K_WELL_FORMED;
	if (chance(15)) {
		uint32_t flips = 1 + rnd(4);

		*kind = K_MUTATED;
		while (flips--) {
			i = rnd(len);
			p[i] ^= 1 << rnd(8);
			if (chance(30))
				p[i] = rnd(256);
		}
	}
	return len;
}

/* Parse "P,LO-HI,..." into opt.ports. */
static void parse_ports(const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL, *end;
	unsigned long lo, hi;

	if (!copy)
		usage_error("out of memory");
	opt.num_ports = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		lo = strtoul(tok, &end, 0);
		hi = lo;
		if (*end == '-')
			hi = strtoul(end + 1, &end, 0);
		if (*end || lo == 0 || hi > 65535 || lo > hi)
			usage_error("bad -p");
		for (; lo <= hi; lo++) {
			if (opt.num_ports == MAX_PORTS)
				usage_error("too many ports");
			opt.ports[opt.num_ports++] = lo;
		}
	}
	free(copy);
}

/* Turn "HEX[:N]" into a packet; returns its length. */
static size_t parse_exact(const char *arg, unsigned char *p)
{
	size_t len = 0;
	unsigned int byte;
	unsigned long pad;
	char *end;

	while (*arg && *arg != ':') {
		if (len == MAX_PKT || sscanf(arg, "%2x", &byte) != 1 ||
		    !arg[1] || arg[1] == ':')
			usage_error("bad -x");
		p[len++] = byte;
		arg += 2;
	}
	if (*arg == ':') {
		pad = strtoul(arg + 1, &end, 0);
		if (*end || pad > MAX_PKT - len)
			usage_error("bad -x");
		memset(p + len, 0xaa, pad);
		len += pad;
	}
	return len;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void count_error(int err)
{
	static const int errs[] = {
		ENOBUFS, EAGAIN, EMSGSIZE, ECONNREFUSED, EHOSTUNREACH,
		ENETUNREACH, EINVAL,
	};
	size_t i;

	send_errors++;
	for (i = 0; i < ARRAY_SIZE(errs); i++)
		if (err == errs[i])
			break;
	errors_by_errno[i]++;
}

static void summary(const char *target, long sent, double elapsed)
{
	static const char *const err_names[] = {
		"ENOBUFS", "EAGAIN", "EMSGSIZE", "ECONNREFUSED", "EHOSTUNREACH",
		"ENETUNREACH", "EINVAL", "other",
	};
	unsigned int i;

	printf("homa_fuzz: sent %ld packets (%llu bytes) to %s in %.1f s: ",
	       sent, bytes_sent, target, elapsed);
	printf("%.0f packets/s\n", elapsed > 0 ? sent / elapsed : 0.0);
	printf("homa_fuzz: by type:");
	for (i = 0; i < NUM_TYPES; i++)
		printf(" %s=%ld", type_names[i], sent_by_type[i]);
	printf(" other=%ld\n", sent_other_type);
	printf("homa_fuzz: by kind:");
	for (i = 0; i < K_NUM; i++)
		printf(" %s=%ld", kind_names[i], sent_by_kind[i]);
	printf("\n");
	printf("homa_fuzz: send errors=%ld", send_errors);
	for (i = 0; i < ARRAY_SIZE(err_names); i++)
		if (errors_by_errno[i])
			printf(" %s=%ld", err_names[i], errors_by_errno[i]);
	printf("; ids learned=%ld\n", learned_total);
	printf("homa_fuzz: done\n");
}

int main(int argc, char **argv)
{
	static unsigned char pkt[MAX_PKT];
	union {
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	} dst = { };
	const void *target_addr;
	socklen_t dstlen;
	double start, deadline = 0;
	int fd, family, c, val;
	char *end;
	long n;

	opt.ports[0] = 4000;
	opt.num_ports = 1;
	while ((c = getopt(argc, argv, "n:s:p:i:lt:vx:h")) != -1) {
		switch (c) {
		case 'n':
			opt.count = strtol(optarg, &end, 0);
			if (*end || opt.count < 0)
				usage_error("bad -n");
			break;
		case 's':
			opt.seed = strtoull(optarg, &end, 0);
			if (*end)
				usage_error("bad -s");
			break;
		case 'p':
			parse_ports(optarg);
			break;
		case 'i':
			opt.id_lo = strtoull(optarg, &end, 0);
			if (*end != '-')
				usage_error("bad -i");
			opt.id_hi = strtoull(end + 1, &end, 0);
			if (*end || opt.id_hi < opt.id_lo)
				usage_error("bad -i");
			break;
		case 'l':
			opt.learn = true;
			break;
		case 't':
			opt.seconds = strtol(optarg, &end, 0);
			if (*end || opt.seconds < 0)
				usage_error("bad -t");
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'x':
			opt.exact = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			usage_error("bad option");
		}
	}
	if (optind != argc - 1)
		usage_error("one TARGET address needed");

	if (inet_pton(AF_INET, argv[optind], &dst.in4.sin_addr) == 1) {
		family = AF_INET;
		dst.in4.sin_family = AF_INET;
		dstlen = sizeof(dst.in4);
		target_addr = &dst.in4.sin_addr;
	} else if (inet_pton(AF_INET6, argv[optind],
			     &dst.in6.sin6_addr) == 1) {
		family = AF_INET6;
		dst.in6.sin6_family = AF_INET6;
		dstlen = sizeof(dst.in6);
		target_addr = &dst.in6.sin6_addr;
	} else {
		usage_error("TARGET must be a numeric IPv4 or IPv6 address");
	}

	fd = socket(family, SOCK_RAW, IPPROTO_HOMA);
	if (fd < 0) {
		perror("homa_fuzz: socket(SOCK_RAW, 146)");
		return 1;
	}
	/* Let IP fragment the oversized packets instead of refusing them. */
	val = family == AF_INET ? IP_PMTUDISC_DONT : IPV6_PMTUDISC_DONT;
	if (setsockopt(fd, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
		       family == AF_INET ? IP_MTU_DISCOVER : IPV6_MTU_DISCOVER,
		       &val, sizeof(val)) < 0)
		perror("homa_fuzz: IP_MTU_DISCOVER");
	/* The socket receives every Homa packet this host gets; unless we
	 * learn from them, keep that queue tiny.
	 */
	val = opt.learn ? 1 << 20 : 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));

	if (opt.exact) {
		size_t len = parse_exact(opt.exact, pkt);

		if (sendto(fd, pkt, len, 0, (struct sockaddr *)&dst,
			   dstlen) < 0) {
			perror("homa_fuzz: sendto");
			return 1;
		}
		printf("homa_fuzz: sent one packet of %zu bytes\n", len);
		return 0;
	}

	rng_state = opt.seed;
	start = now_s();
	if (opt.seconds)
		deadline = start + opt.seconds;
	for (n = 0; n < opt.count; n++) {
		enum kind kind;
		size_t len = build(pkt, n, &kind);

		sent_by_kind[kind]++;
		if (len > O_TYPE && pkt[O_TYPE] >= T_DATA &&
		    pkt[O_TYPE] <= T_ACK)
			sent_by_type[pkt[O_TYPE] - T_DATA]++;
		else
			sent_other_type++;
		if (sendto(fd, pkt, len, 0, (struct sockaddr *)&dst,
			   dstlen) < 0) {
			count_error(errno);
			if (errno == ENOBUFS || errno == EAGAIN)
				usleep(100);
		} else {
			bytes_sent += len;
		}
		if ((n & 31) == 31)
			drain(fd, family, target_addr);
		if ((n & 1023) == 1023 && deadline && now_s() > deadline) {
			n++;
			break;
		}
		if (opt.verbose && n % 100000 == 99999)
			printf("homa_fuzz: %ld packets, %.1f s\n", n + 1,
			       now_s() - start);
	}
	summary(argv[optind], n, now_s() - start);
	close(fd);
	return 0;
}
