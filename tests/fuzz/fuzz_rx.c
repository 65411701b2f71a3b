// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for Homa's receive side, in user space: the functional
 * core (homa_wire.c, homa_gaps.c, homa_grant.c, homa_prio.c), compiled
 * unchanged, driven by a model of the decisions that src/homa_incoming.c
 * makes with it, packet after packet, so that state carries over.
 *
 * Input: two configuration bytes (grant parameters), then records, each
 * one packet:
 *
 *   be16 LEN, u8 N, N bytes: a packet of LEN bytes that starts with the N
 *                            bytes (N > LEN: the first LEN), then zeros;
 *                            so a short input can stand for a long DATA
 *                            packet
 *   be16 X,   u8 0x80 | A:   not a packet but an event: for an even A,
 *                            the RPC in slot X % MODEL_RPCS ends (a
 *                            timeout, an abort); for an odd A, a timer
 *                            tick runs the grant decisions
 *
 * Each packet goes through homa_wire_check() as homa_rcv() calls it (at
 * most HOMA_MAX_HEADER bytes), in a buffer of exactly its length so that
 * ASan sees every read past its end; the ones it accepts are dispatched
 * by type as homa_rcv() does. After every record the invariants of every
 * RPC are checked: gaps sorted, disjoint, non-empty and below recv_end,
 * received == recv_end - bytes in gaps <= length (and equal to a bitmap
 * kept beside the gaps), granted <= length, every range to ask for again
 * non-empty and inside the message, grant decisions that never take back
 * a grant, never grant past a message's end or the incoming cap,
 * priorities within range, and the bookkeeping of unscheduled bytes
 * (grantor.unsched_incoming) equal to what the live unscheduled messages
 * still expect, also after RPCs end half way.
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/homa.h>
#include "homa_gaps.h"
#include "homa_grant.h"
#include "homa_prio.h"
#include "homa_wire.h"

/* RPCs the model keeps at once (a new one evicts the oldest). */
#define MODEL_RPCS 8

/* Client RPCs that exist from the start: ids 2, 4, ..., 2 * N. */
#define MODEL_CLIENTS 4

/* Payload of the packets the model's senders cut messages into. */
#define MODEL_MAX_PAYLOAD 1400

/* Default unscheduled bytes (sysctl unsched_bytes). */
#define MODEL_UNSCHED 40000

#define BITMAP_WORDS ((HOMA_MAX_MESSAGE_LENGTH + 63) / 64)

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

enum model_state { M_FREE, M_OUTGOING, M_INCOMING };

/* One RPC as src/homa_rpc.h keeps it, less what the model needs not. */
struct model_rpc {
	enum model_state state;
	u64 id;			/* our id: even client, odd server */
	u64 peer;		/* stands for the peer's address */
	u16 dport;		/* the peer's port */
	u64 age;		/* creation order, for eviction */

	s32 in_length;		/* msgin.length, -1 before the first DATA */
	u32 in_received;
	u32 in_granted;
	bool scheduled;		/* on the grantor's list */
	u64 birth;
	struct homa_gaps gaps;

	s32 out_length;		/* msgout.length, -1 if none */
	u32 out_unsched;
	u32 out_granted;
	u32 out_sent;
};

static struct model {
	struct model_rpc rpcs[MODEL_RPCS];
	u64 bitmap[MODEL_RPCS][BITMAP_WORDS];
	u64 next_age, next_birth;
	u64 unsched_incoming;	/* as the kernel counts it */
	struct homa_grant_params params;
	struct homa_grant_state grant_state;
} m;

static const u8 hdr_lengths[] = { 56, 33, 37, 28, 28, 62, 28, 28, 80 };

/* --- the bitmap beside the gaps ---------------------------------- */

static bool bit_test(const u64 *b, u32 i)
{
	return b[i / 64] >> (i % 64) & 1;
}

/* Bits of [start, end) that are clear. */
static u32 bits_clear(const u64 *b, u32 start, u32 end)
{
	u32 n = 0, i = start;

	for (; i < end && i % 64; i++)
		n += !bit_test(b, i);
	for (; i + 64 <= end; i += 64)
		n += 64 - __builtin_popcountll(b[i / 64]);
	for (; i < end; i++)
		n += !bit_test(b, i);
	return n;
}

static void bits_set(u64 *b, u32 start, u32 end)
{
	u32 i;

	for (i = start; i < end; i++)
		b[i / 64] |= 1ULL << (i % 64);
}

/* Runs of clear bits below @end: the gaps the bitmap implies. */
static u32 clear_runs(const u64 *b, u32 end)
{
	u32 runs = 0, i;
	bool in_run = false;

	for (i = 0; i < end; i++) {
		bool clear = !bit_test(b, i);

		if (clear && !in_run)
			runs++;
		in_run = clear;
	}
	return runs;
}

/* --- RPCs ------------------------------------------------------- */

static struct model_rpc *find_rpc(u64 id)
{
	unsigned int i;

	for (i = 0; i < MODEL_RPCS; i++)
		if (m.rpcs[i].state != M_FREE && m.rpcs[i].id == id)
			return &m.rpcs[i];
	return NULL;
}

static void rpc_init(struct model_rpc *r, u64 id, u64 peer)
{
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->peer = peer;
	r->age = m.next_age++;
	r->in_length = -1;
	r->out_length = -1;
}

/* homa_find_rpc(): a client RPC only answers to its server's port. */
static struct model_rpc *find_for(const struct homa_common_hdr *h)
{
	u64 id = be64_to_cpu(h->sender_id) ^ 1;
	struct model_rpc *r = find_rpc(id);

	if (r && !(id & 1) && r->dport != ntohs(h->sport))
		return NULL;
	return r;
}

/* homa_rpc_end(): the RPC goes, whatever it had; the bytes its
 * unscheduled message still expected are expected no more.
 */
static void rpc_end(struct model_rpc *r)
{
	if (r->in_length >= 0 && !r->scheduled)
		m.unsched_incoming -= (u32)r->in_length - r->in_received;
	r->state = M_FREE;
	r->scheduled = false;
}

/* A slot for a new RPC: a free one, else the oldest RPC ends. */
static struct model_rpc *rpc_slot(void)
{
	struct model_rpc *oldest = &m.rpcs[0];
	unsigned int i;

	for (i = 0; i < MODEL_RPCS; i++) {
		if (m.rpcs[i].state == M_FREE)
			return &m.rpcs[i];
		if (m.rpcs[i].age < oldest->age)
			oldest = &m.rpcs[i];
	}
	rpc_end(oldest);
	return oldest;
}

/* A message's length as the model's applications choose it. */
static u32 app_length(u64 id)
{
	return 1 + (u32)((id * 2654435761ULL) % HOMA_MAX_MESSAGE_LENGTH);
}

/* homa_xmit_data(): send every packet that starts below the grant. */
static void xmit(struct model_rpc *r)
{
	u32 end = r->out_granted;

	if (r->out_sent >= end)
		return;
	/* Packets never straddle the unscheduled limit. */
	if (end > r->out_unsched)
		end = r->out_unsched + (end - r->out_unsched +
					MODEL_MAX_PAYLOAD - 1) /
			MODEL_MAX_PAYLOAD * MODEL_MAX_PAYLOAD;
	else
		end = (end + MODEL_MAX_PAYLOAD - 1) / MODEL_MAX_PAYLOAD *
		      MODEL_MAX_PAYLOAD;
	r->out_sent = min_t(u32, end, (u32)r->out_length);
}

/* homa_message_out_init() and the first transmissions. */
static void msgout_init(struct model_rpc *r)
{
	r->out_length = app_length(r->id);
	r->out_unsched = min_t(u32, MODEL_UNSCHED, (u32)r->out_length);
	r->out_granted = r->out_unsched;
	r->out_sent = 0;
	xmit(r);
}

/* --- grants ----------------------------------------------------- */

/* Granted-but-unreceived bytes, as homa_grantor_run() adds them up. */
static u64 total_incoming(void)
{
	u64 total = m.unsched_incoming;
	unsigned int i;

	for (i = 0; i < MODEL_RPCS; i++) {
		const struct model_rpc *r = &m.rpcs[i];

		if (r->state != M_FREE && r->scheduled &&
		    r->in_granted > r->in_received)
			total += r->in_granted - r->in_received;
	}
	return total;
}

/* homa_grantor_run(), with checks of homa_grant_decide(). */
static void run_grants(void)
{
	struct homa_grant_msg msgs[MODEL_RPCS];
	struct model_rpc *rpcs[MODEL_RPCS];
	u32 n = 0, i, j, active = 0;
	u64 before = total_incoming(), added = 0;

	for (i = 0; i < MODEL_RPCS; i++) {
		struct model_rpc *r = &m.rpcs[i];

		if (r->state == M_FREE || !r->scheduled ||
		    r->in_granted >= (u32)r->in_length)
			continue;
		msgs[n].peer = r->peer;
		msgs[n].birth = r->birth;
		msgs[n].length = r->in_length;
		msgs[n].received = r->in_received;
		msgs[n].granted = r->in_granted;
		rpcs[n++] = r;
	}
	if (n == 0)
		return;
	homa_grant_decide(msgs, n, &m.params, min_t(u64, before, 0xffffffffU),
			  &m.grant_state);
	for (i = 0; i < n; i++) {
		CHECK(msgs[i].new_granted >= msgs[i].granted);
		CHECK(msgs[i].new_granted <= msgs[i].length);
		CHECK(msgs[i].rank >= -1 && msgs[i].rank < (int)n);
		if (msgs[i].rank >= 0) {
			active++;
			CHECK(msgs[i].priority <= m.params.max_sched_prio);
			for (j = 0; j < n; j++)
				CHECK(j == i || msgs[j].rank != msgs[i].rank);
			/* At most one active message per peer. */
			for (j = 0; j < n; j++)
				CHECK(j == i || msgs[j].rank < 0 ||
				      msgs[j].peer != msgs[i].peer);
		}
		added += msgs[i].new_granted - msgs[i].granted;
		rpcs[i]->in_granted = msgs[i].new_granted;
	}
	CHECK(active <= min_t(u32, m.params.max_overcommit,
			      HOMA_GRANT_MAX_OVERCOMMIT));
	/* Grants never take the total above the cap (it may already be). */
	if (added)
		CHECK(before + added <= max_t(u64, before,
					      m.params.max_incoming));
}

/* --- packet handlers, as in src/homa_incoming.c ----------------- */

static bool msgin_init(struct model_rpc *r, const struct homa_data_hdr *h)
{
	u32 length = be32_to_cpu(h->message_length);

	if (length == 0 || length > HOMA_MAX_MESSAGE_LENGTH)
		return false;
	r->in_length = length;
	r->in_granted = min(be32_to_cpu(h->incoming), length);
	homa_gaps_init(&r->gaps);
	memset(m.bitmap[r - m.rpcs], 0, (length + 63) / 64 * 8);
	/* homa_msgin_get_buffers(): the model always has room. */
	if (r->in_granted < length) {
		r->scheduled = true;
		r->birth = m.next_birth++;
	} else {
		m.unsched_incoming += length;
	}
	return true;
}

/* The message is complete: hand it to the application. */
static void msgin_done(struct model_rpc *r)
{
	r->scheduled = false;
	if (r->id & 1) {
		/* The server's application answers at once. */
		r->state = M_OUTGOING;
		msgout_init(r);
	} else {
		/* recvmsg takes the response; the client RPC ends. */
		rpc_end(r);
	}
}

static void data_pkt(struct model_rpc *r, const struct homa_data_hdr *h,
		     u32 len)
{
	u64 *bitmap = m.bitmap[r - m.rpcs];
	u32 offset = be32_to_cpu(h->seg.offset);
	u32 length = len - sizeof(*h);
	u32 expected;
	int fresh;

	if (!(r->id & 1) && r->state == M_OUTGOING && r->out_length >= 0)
		r->state = M_INCOMING;
	if (r->state != M_INCOMING)
		return;
	if (r->in_length < 0 && !msgin_init(r, h))
		return;
	if (be32_to_cpu(h->message_length) != (u32)r->in_length ||
	    length == 0 || offset >= (u32)r->in_length ||
	    length > (u32)r->in_length - offset)
		return;
	expected = bits_clear(bitmap, offset, offset + length);
	fresh = homa_gaps_add(&r->gaps, offset, offset + length);
	if (fresh == -ENOSPC) {
		/* Refused: only if recording it needs one gap too many. */
		static u64 saved[BITMAP_WORDS];
		u32 end = max(r->gaps.recv_end, offset + length);

		memcpy(saved, bitmap, (end + 63) / 64 * 8);
		bits_set(bitmap, offset, offset + length);
		CHECK(clear_runs(bitmap, end) > HOMA_MAX_GAPS);
		memcpy(bitmap, saved, (end + 63) / 64 * 8);
		return;
	}
	CHECK(fresh >= 0);
	CHECK((u32)fresh == expected);
	bits_set(bitmap, offset, offset + length);
	if (fresh == 0)
		return;
	r->in_received += fresh;
	if (!r->scheduled)
		m.unsched_incoming -= fresh;
	if (r->in_received == (u32)r->in_length)
		msgin_done(r);
	else if (r->scheduled)
		run_grants();
}

static void grant_pkt(struct model_rpc *r, const struct homa_grant_hdr *h)
{
	u32 offset = be32_to_cpu(h->offset);

	if (r->out_length < 0)
		return;
	if (offset > r->out_granted)
		r->out_granted = min_t(u32, offset, (u32)r->out_length);
	xmit(r);
}

static void resend_pkt(struct model_rpc *r, const struct homa_resend_hdr *h)
{
	u32 start = be32_to_cpu(h->offset);
	u32 length = be32_to_cpu(h->length);
	u32 end;

	if (r->out_length < 0 || (r->id & 1 && r->state != M_OUTGOING))
		return;		/* BUSY */
	end = length == HOMA_RESEND_ALL ? r->out_sent :
	      min_t(u32, start + length, (u32)r->out_length);
	if (length != HOMA_RESEND_ALL && end > r->out_granted)
		r->out_granted = end;
	if (start < r->out_sent && start < end) {
		/* homa_resend_data(start, min(end, sent)): inside what
		 * was sent, and not empty.
		 */
		CHECK(min(end, r->out_sent) <= (u32)r->out_length);
		CHECK(start < min(end, r->out_sent));
	}
	xmit(r);
}

static void unknown_pkt(struct model_rpc *r)
{
	if (r->id & 1) {
		rpc_end(r);
	} else if (r->state == M_OUTGOING && r->out_length >= 0) {
		r->out_sent = 0;
		r->out_granted = r->out_unsched;
		xmit(r);
	}
}

static void need_ack_pkt(struct model_rpc *r)
{
	struct homa_gap missing;

	if (r->state != M_INCOMING || r->in_length < 0)
		return;
	if (homa_gaps_missing(&r->gaps, r->in_granted, &missing, 1) > 0) {
		/* A RESEND of length 0 would mean "everything". */
		CHECK(missing.start < missing.end);
		CHECK(missing.end <= (u32)r->in_length);
	}
}

static void cutoffs_pkt(const struct homa_cutoffs_hdr *h)
{
	u32 cutoffs[HOMA_MAX_PRIORITIES];
	static const u32 lengths[] = { 1, 200, 1400, 40000, 1000000 };
	unsigned int i, levels;

	for (i = 0; i < HOMA_MAX_PRIORITIES; i++)
		cutoffs[i] = be32_to_cpu(h->unsched_cutoffs[i]);
	for (levels = 0; levels <= HOMA_MAX_PRIORITIES + 1; levels++) {
		for (i = 0; i < ARRAY_SIZE(lengths); i++)
			CHECK(homa_prio_unsched(cutoffs, levels, lengths[i]) <
			      max_t(u32, 1, min_t(u32, levels,
						  HOMA_MAX_PRIORITIES)));
		CHECK(homa_prio_max_sched(cutoffs, levels) <
		      HOMA_MAX_PRIORITIES);
	}
}

/* homa_rpc_acked(): a server RPC may go. */
static void acked(u64 client_id)
{
	struct model_rpc *r = find_rpc(client_id ^ 1);

	if (r && (r->id & 1))
		rpc_end(r);
}

static void ack_pkt(const struct homa_ack_hdr *h, u32 len)
{
	u32 i, n = min_t(u32, ntohs(h->num_acks), HOMA_MAX_ACKS_PER_PKT);

	acked(be64_to_cpu(h->common.sender_id));
	CHECK(n <= HOMA_MAX_ACKS_PER_PKT);
	/* Every ack read lies inside the header, inside the packet. */
	CHECK(n == 0 || (const u8 *)&h->acks[n - 1] + sizeof(h->acks[0]) <=
		       (const u8 *)h + sizeof(*h));
	CHECK(sizeof(*h) <= len);
	for (i = 0; i < n; i++)
		acked(be64_to_cpu(h->acks[i].client_id));
}

/* homa_wire_check() against the wire protocol's rules. */
static void check_verdict(const u8 *pkt, u32 avail,
			  enum homa_wire_verdict v)
{
	enum homa_wire_verdict want = HOMA_WIRE_OK;
	u8 type;

	if (avail < sizeof(struct homa_common_hdr)) {
		want = HOMA_WIRE_SHORT;
	} else {
		type = pkt[11];
		if (type < HOMA_DATA || type > HOMA_ACK)
			want = HOMA_WIRE_BAD_TYPE;
		else if (avail < hdr_lengths[type - HOMA_DATA])
			want = HOMA_WIRE_SHORT;
		else if (!(pkt[0] | pkt[1]) || !(pkt[2] | pkt[3]))
			want = HOMA_WIRE_BAD_PORT;	/* port 0 */
		CHECK(homa_wire_hdr_length(type) ==
		      (want == HOMA_WIRE_BAD_TYPE ? 0 :
		       hdr_lengths[type - HOMA_DATA]));
	}
	CHECK(v == want);
}

/* homa_rcv() for one packet of @len bytes. */
static void rcv(const u8 *pkt, u32 len)
{
	u32 avail = min_t(u32, len, HOMA_MAX_HEADER);
	enum homa_wire_verdict v = homa_wire_check(pkt, avail);
	const struct homa_common_hdr *h = (const void *)pkt;
	struct model_rpc *r;
	u64 id;

	check_verdict(pkt, avail, v);
	if (v != HOMA_WIRE_OK)
		return;
	CHECK(len >= homa_wire_hdr_length(h->type));
	id = be64_to_cpu(h->sender_id) ^ 1;

	if (h->type == HOMA_DATA) {
		const struct homa_data_hdr *d = (const void *)h;

		if (d->ack.client_id)
			acked(be64_to_cpu(d->ack.client_id));
		r = find_for(h);
		/* A retransmission never creates an RPC: the one it names
		 * finished, and a new one would execute the request again.
		 */
		if (!r && (id & 1) && !d->retransmit) {
			/* A request: homa_rpc_new_server(). */
			r = rpc_slot();
			rpc_init(r, id, ntohs(h->sport));
			r->dport = ntohs(h->sport);
			r->state = M_INCOMING;
		}
		if (r)
			data_pkt(r, d, len);
		return;
	}
	switch (h->type) {
	case HOMA_CUTOFFS:
		cutoffs_pkt((const void *)h);
		return;
	case HOMA_ACK:
		ack_pkt((const void *)h, len);
		return;
	case HOMA_FREEZE:
		return;
	}
	r = find_for(h);
	if (!r)
		return;
	switch (h->type) {
	case HOMA_GRANT:
		grant_pkt(r, (const void *)h);
		break;
	case HOMA_RESEND:
		resend_pkt(r, (const void *)h);
		break;
	case HOMA_RPC_UNKNOWN:
		unknown_pkt(r);
		break;
	case HOMA_NEED_ACK:
		need_ack_pkt(r);
		break;
	}
}

/* --- invariants ------------------------------------------------- */

static void check_rpc(struct model_rpc *r, bool full)
{
	const struct homa_gaps *g = &r->gaps;
	const u64 *bitmap = m.bitmap[r - m.rpcs];
	struct homa_gap missing[10];
	u32 i, n, bytes = 0;

	if (r->out_length >= 0) {
		CHECK(r->out_granted <= (u32)r->out_length);
		CHECK(r->out_sent <= (u32)r->out_length);
	}
	if (r->in_length < 0) {
		CHECK(r->in_received == 0);
		return;
	}
	CHECK(r->in_length > 0 && r->in_length <= HOMA_MAX_MESSAGE_LENGTH);
	CHECK(r->in_granted <= (u32)r->in_length);
	CHECK(g->recv_end <= (u32)r->in_length);
	CHECK(g->num_gaps <= HOMA_MAX_GAPS);
	for (i = 0; i < g->num_gaps; i++) {
		CHECK(g->gaps[i].start < g->gaps[i].end);
		/* Received bytes separate gaps, and end below recv_end. */
		CHECK(g->gaps[i].end < g->recv_end);
		CHECK(i == 0 || g->gaps[i - 1].end < g->gaps[i].start);
		bytes += g->gaps[i].end - g->gaps[i].start;
	}
	CHECK(bytes == homa_gaps_bytes(g));
	CHECK(r->in_received == g->recv_end - bytes);
	CHECK(r->in_received <= (u32)r->in_length);

	n = homa_gaps_missing(g, r->in_granted, missing, 8);
	CHECK(n <= 8);
	for (i = 0; i < n; i++) {
		/* The timer turns an empty range into "resend all". */
		CHECK(missing[i].start < missing[i].end);
		CHECK(missing[i].end <= (u32)r->in_length);
		CHECK(i == 0 || missing[i - 1].end < missing[i].start);
	}

	if (!full)
		return;
	/* The gaps are exactly the clear bits below recv_end. */
	CHECK(bits_clear(bitmap, 0, g->recv_end) == bytes);
	for (i = 0; i < g->num_gaps; i++) {
		CHECK(bits_clear(bitmap, g->gaps[i].start, g->gaps[i].end) ==
		      g->gaps[i].end - g->gaps[i].start);
	}
	CHECK(g->recv_end == 0 || bit_test(bitmap, g->recv_end - 1));
	CHECK(bits_clear(bitmap, g->recv_end, r->in_length) ==
	      (u32)r->in_length - g->recv_end);
}

static void check_all(bool full)
{
	u64 expected = 0;
	unsigned int i;

	for (i = 0; i < MODEL_RPCS; i++) {
		struct model_rpc *r = &m.rpcs[i];

		if (r->state == M_FREE)
			continue;
		check_rpc(r, full);
		if (r->in_length > 0 && !r->scheduled)
			expected += r->in_length - r->in_received;
	}
	CHECK(m.unsched_incoming == expected);
}

/* --- the input -------------------------------------------------- */

static void configure(const u8 *c)
{
	static const u32 max_incoming[] = { 400000, 0, 1, 50000 };
	static const u32 window[] = { 0, 10000, 1, 0xffffffff };
	static const u32 overcommit[] = { 8, 0, 1, 20 };
	static const u8 sched_prio[] = { 3, 0, 7, 255 };
	static const u32 fifo_fraction[] = { 50, 0, 1000, 0xffffffff };
	static const u32 fifo_increment[] = { 50000, 0, 1, 0xffffffff };
	unsigned int i;

	memset(m.rpcs, 0, sizeof(m.rpcs));
	m.next_age = 0;
	m.next_birth = 0;
	m.unsched_incoming = 0;
	m.grant_state.fifo_credit = 0;
	m.params.max_incoming = max_incoming[c[0] & 3];
	m.params.window = window[c[0] >> 2 & 3];
	m.params.max_overcommit = overcommit[c[0] >> 4 & 3];
	m.params.max_sched_prio = sched_prio[c[0] >> 6];
	m.params.fifo_fraction = fifo_fraction[c[1] & 3];
	m.params.fifo_increment = fifo_increment[c[1] >> 2 & 3];

	/* The client RPCs that sendmsg started. */
	for (i = 0; i < MODEL_CLIENTS; i++) {
		struct model_rpc *r = &m.rpcs[i];

		rpc_init(r, 2 * (i + 1), 0);
		r->dport = 4000;
		r->state = M_OUTGOING;
		msgout_init(r);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u8 defaults[2];
	size_t pos = 2;

	configure(size >= 2 ? data : defaults);
	while (pos + 3 <= size) {
		u32 len = data[pos] << 8 | data[pos + 1];
		u32 n = data[pos + 2];
		u8 *pkt;

		pos += 3;
		if (n & 0x80) {
			struct model_rpc *r = &m.rpcs[len % MODEL_RPCS];

			if (n & 1)
				run_grants();
			else if (r->state != M_FREE)
				rpc_end(r);
			check_all(false);
			continue;
		}
		n = min_t(u32, n, size - pos);
		/* Exactly @len bytes, so that ASan sees reads past them. */
		pkt = calloc(1, len ? len : 1);
		if (!pkt)
			abort();
		memcpy(pkt, data + pos, min(n, len));
		pos += n;
		rcv(pkt, len);
		free(pkt);
		check_all(false);
	}
	check_all(true);
	return 0;
}
