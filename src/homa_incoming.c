// SPDX-License-Identifier: GPL-2.0
/*
 * Packet reception: validate each packet, find its socket and RPC, and
 * act on it by type. Softirq context throughout.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/sched/clock.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "homa_grantor.h"
#include "homa_incoming.h"
#include "homa_net.h"
#include "homa_offload.h"
#include "homa_outgoing.h"
#include "homa_peer.h"
#include "homa_rpc.h"
#include "homa_sock.h"

static_assert(sizeof(struct homa_skb_cb) <=
	      sizeof_field(struct sk_buff, cb), "homa_skb_cb too large");

/*
 * Whether a packet starts a request: requests travel in DATA packets
 * whose sender is the client, and client ids are even.
 */
static bool homa_is_request(const struct homa_common_hdr *h)
{
	return h->type == HOMA_DATA && !(be64_to_cpu(h->sender_id) & 1);
}

/*
 * Whether the sender of a packet must hear (ICMP port unreachable) that
 * its destination port has no socket: requests, so that clients fail
 * with ENOTCONN; responses and NEED_ACKs, so that a server frees an RPC
 * whose client socket is gone and can never acknowledge it.
 */
static bool homa_needs_socket(const struct homa_common_hdr *h)
{
	return h->type == HOMA_DATA || h->type == HOMA_NEED_ACK;
}

/* Find the RPC a packet from @saddr is about; a held reference or NULL. */
static struct homa_rpc *homa_find_rpc(struct homa_sock *hsk,
				      const struct in6_addr *saddr,
				      const struct homa_common_hdr *h)
{
	u64 id = be64_to_cpu(h->sender_id) ^ 1;
	struct homa_rpc *rpc;

	if (id & 1)
		return homa_rpc_find_server(hsk, saddr, id);
	/* Client ids are only unique here: the packet must come from the
	 * server the request went to, or anyone could answer it.
	 */
	rpc = homa_rpc_find_client(hsk, id);
	if (rpc && (rpc->dport != ntohs(h->sport) ||
		    !ipv6_addr_equal(&rpc->peer->addr, saddr))) {
		homa_rpc_put(rpc);
		rpc = NULL;
	}
	return rpc;
}

/* The server side of an ack: free the RPC it names, if it still exists. */
static void homa_rpc_acked(struct homa_net *hn, const struct in6_addr *saddr,
			   const struct homa_ack *ack)
{
	struct homa_sock *hsk;
	struct homa_rpc *rpc;

	hsk = homa_port_find(&hn->ports, ntohs(ack->server_port));
	if (!hsk)
		return;
	rpc = homa_rpc_find_server(hsk, saddr,
				   be64_to_cpu(ack->client_id) ^ 1);
	if (rpc) {
		homa_rpc_end_locking(rpc);
		homa_rpc_put(rpc);
		HOMA_INC(hn, acks_received);
	}
	sock_put(&hsk->inet.sk);
}

/* Send our cutoffs to a peer that used others, at most once a jiffy. */
static void homa_maybe_send_cutoffs(struct homa_sock *hsk,
				    struct homa_peer *peer, u16 dport)
{
	struct homa_config *cfg = &homa_sock_net(hsk)->cfg;
	struct homa_cutoffs_hdr c;
	unsigned int i;

	spin_lock_bh(&peer->lock);
	if (!time_after(jiffies, peer->cutoffs_sent)) {
		spin_unlock_bh(&peer->lock);
		return;
	}
	peer->cutoffs_sent = jiffies;
	spin_unlock_bh(&peer->lock);
	homa_wire_init_common(&c.common, HOMA_CUTOFFS, 0, 0, 0);
	for (i = 0; i < HOMA_MAX_PRIORITIES; i++)
		c.unsched_cutoffs[i] = cpu_to_be32(cfg->unsched_cutoffs[i]);
	c.cutoff_version = htons(cfg->cutoff_version);
	homa_xmit_control_to(hsk, peer, dport, &c, sizeof(c));
}

/*
 * Reserve buffer space for an RPC's incoming message and start accepting
 * its data. The caller holds rpc->lock. Returns false if the region has
 * no room now: the message then waits (its data dropped, its silence not
 * counted) on the socket's list until homa_resume_buffer_waiters() finds
 * room. Full buffers never abort an RPC.
 */
static bool homa_msgin_get_buffers(struct homa_rpc *rpc)
{
	struct homa_net *hn = homa_sock_net(rpc->hsk);
	struct homa_sock *hsk = rpc->hsk;
	struct homa_msgin *in = &rpc->msgin;
	struct homa_rpc *other;
	int n;

	n = homa_rcvbuf_alloc(&hsk->rcvbuf, in->length, in->bpage_offsets);
	if (n < 0) {
		if (!in->buf_wait) {
			in->buf_wait = true;
			spin_lock_bh(&hsk->lock);
			list_for_each_entry(other, &hsk->buf_waiters, buf_link)
				if (other->msgin.length > in->length)
					break;
			list_add_tail(&rpc->buf_link, &other->buf_link);
			spin_unlock_bh(&hsk->lock);
		}
		return false;
	}
	in->buf_wait = false;
	in->num_bpages = n;
	if (in->granted < in->length)
		homa_grantor_add(&hn->grantor, rpc);
	else
		atomic64_add(in->length, &hn->grantor.unsched_incoming);
	return true;
}

/*
 * Set up an RPC's incoming message from its first DATA packet. The caller
 * holds rpc->lock. Returns false if the packet must be dropped.
 */
static bool homa_msgin_init(struct homa_rpc *rpc,
			    const struct homa_data_hdr *h)
{
	struct homa_msgin *in = &rpc->msgin;
	u32 length = be32_to_cpu(h->message_length);

	if (length == 0 || length > HOMA_MAX_MESSAGE_LENGTH)
		return false;
	/* homa_xmit_resend() reads it without the lock. */
	WRITE_ONCE(in->length, length);
	in->granted = min(be32_to_cpu(h->incoming), length);
	homa_gaps_init(&in->gaps);
	return homa_msgin_get_buffers(rpc);
}

/**
 * homa_resume_buffer_waiters() - Give buffer space to the messages that
 * wait for it, shortest first, and ask their senders for the data. Called
 * after bpages were released, without any lock held (a release never
 * wakes RPCs under a lock: that nesting deadlocked the reference).
 * @hsk: the socket.
 */
void homa_resume_buffer_waiters(struct homa_sock *hsk)
{
	struct homa_rpc *rpc;
	bool resumed;

	for (;;) {
		spin_lock_bh(&hsk->lock);
		rpc = list_first_entry_or_null(&hsk->buf_waiters,
					       struct homa_rpc, buf_link);
		if (rpc && !refcount_inc_not_zero(&rpc->refs))
			rpc = NULL;
		spin_unlock_bh(&hsk->lock);
		if (!rpc)
			return;

		spin_lock_bh(&rpc->lock);
		resumed = rpc->state != HOMA_RPC_DEAD && rpc->msgin.buf_wait &&
			  homa_msgin_get_buffers(rpc);
		if (resumed) {
			spin_lock_bh(&hsk->lock);
			list_del_init(&rpc->buf_link);
			spin_unlock_bh(&hsk->lock);
		}
		spin_unlock_bh(&rpc->lock);
		if (resumed)
			homa_xmit_resend(rpc, 0, 0);
		homa_rpc_put(rpc);
		if (!resumed)
			return;
	}
}

/*
 * An incomplete message is offered to waiting recvmsg threads once this
 * many bytes are queued and at least as many are still to come: each
 * offer may wake a thread, so not one per packet, and near the end the
 * rest arrives about as soon as a woken thread could start copying.
 */
#define HOMA_COPY_EARLY_MIN HOMA_GSO_MAX_BYTES

/*
 * Offer an incomplete message's queued packets to the socket's waiting
 * recvmsg threads (homa_copy_early()), so that they copy while the rest
 * arrives, as TCP's reader does, rather than all of it at the end. The
 * caller holds rpc->lock.
 */
static void homa_offer_copy(struct homa_rpc *rpc)
{
	struct homa_sock *hsk = rpc->hsk;

	rpc->msgin.copy_listed = true;
	spin_lock_bh(&hsk->lock);
	list_add_tail(&rpc->copy_link, &hsk->copy_rpcs);
	spin_unlock_bh(&hsk->lock);
	hsk->inet.sk.sk_data_ready(&hsk->inet.sk);
}

/*
 * Record bytes [@start, @end) of an incoming message; returns how many
 * were new. A range that would need too many gaps counts as lost.
 */
static u32 homa_msgin_add_range(struct homa_msgin *in, u32 start, u32 end)
{
	int fresh = homa_gaps_add(&in->gaps, start, end);

	return fresh > 0 ? fresh : 0;
}

/*
 * A DATA packet for @rpc: one segment, or several when a GSO packet came
 * through whole (veth and loopback do not split them). Each segment that
 * fits the message adds its bytes; the skb is queued once if any of them
 * was new (homa_skb_cb() says how to find its segments when the data is
 * copied out). Consumes @skb. Returns true if the grantor must run (the
 * message is scheduled).
 */
static bool homa_data_pkt(struct homa_rpc *rpc, struct sk_buff *skb)
{
	const struct homa_data_hdr *h = (const struct homa_data_hdr *)skb->data;
	u32 gso_size = skb_is_gso(skb) ? skb_shinfo(skb)->gso_size : 0;
	u32 n = homa_wire_num_segs(skb->len, gso_size), i, offset;
	u32 run_start, run_end;
	struct homa_net *hn = homa_sock_net(rpc->hsk);
	struct homa_skb_cb *cb = homa_skb_cb(skb);
	struct homa_msgin *in = &rpc->msgin;
	struct homa_seg_hdr seg_hdr;
	struct homa_wire_seg seg;
	bool scheduled = false;
	u32 total = 0;

	spin_lock_bh(&rpc->lock);
	if (homa_rpc_is_client(rpc) && rpc->state == HOMA_RPC_OUTGOING &&
	    rpc->msgout.length >= 0 && !rpc->msgout.building) {
		rpc->state = HOMA_RPC_INCOMING;
		homa_msgout_release(rpc);
	}
	if (rpc->state != HOMA_RPC_INCOMING || n == 0)
		goto discard;
	if (in->length < 0 && !homa_msgin_init(rpc, h) && !in->buf_wait)
		goto discard;
	if (in->buf_wait) {
		HOMA_INC(hn, dropped_data_no_bufs);
		goto drop;
	}
	if (be32_to_cpu(h->message_length) != in->length)
		goto discard;
	rpc->silent_ticks = 0;
	scheduled = !list_empty(&in->grant_link);
	/* Segments that follow each other in the message (all of them, in
	 * a packet we built) go to the gaps as one range.
	 */
	run_start = 0;
	run_end = 0;
	for (i = 0; i < n; i++) {
		seg = homa_wire_seg(skb->len, gso_size, i);
		if (skb_copy_bits(skb, seg.seg_at, &seg_hdr, sizeof(seg_hdr)))
			break;
		offset = be32_to_cpu(seg_hdr.offset);
		if (!homa_msgin_seg_fits(in, offset, seg.data_len))
			continue;
		if (n == 1) {
			cb->offset = offset;
			cb->data_offset = seg.seg_at + sizeof(seg_hdr);
			cb->length = seg.data_len;
		}
		if (offset != run_end) {
			total += homa_msgin_add_range(in, run_start, run_end);
			run_start = offset;
		}
		run_end = offset + seg.data_len;
	}
	total += homa_msgin_add_range(in, run_start, run_end);
	if (total == 0)
		goto discard;
	WRITE_ONCE(in->received, in->received + total);
	in->queued += total;
	if (!scheduled)
		atomic64_sub(total, &hn->grantor.unsched_incoming);
	cb->num_segs = n;
	cb->gso_size = gso_size;
	__skb_queue_tail(&in->packets, skb);
	if (in->received == in->length) {
		homa_metrics_msg_in(hn, in->length);
		homa_grantor_remove(&hn->grantor, rpc);
		homa_rpc_ready(rpc);
	} else if (!in->copy_listed && in->queued >= HOMA_COPY_EARLY_MIN &&
		   in->length - in->received >= HOMA_COPY_EARLY_MIN) {
		homa_offer_copy(rpc);
	}
	spin_unlock_bh(&rpc->lock);
	return scheduled;

discard:
	HOMA_INC(hn, packet_discards);
drop:
	spin_unlock_bh(&rpc->lock);
	kfree_skb(skb);
	return scheduled;
}

static void homa_grant_pkt(struct homa_rpc *rpc,
			   const struct homa_grant_hdr *h)
{
	struct homa_msgout *out = &rpc->msgout;
	u32 offset = be32_to_cpu(h->offset);

	spin_lock_bh(&rpc->lock);
	if (rpc->state == HOMA_RPC_DEAD || out->length < 0) {
		spin_unlock_bh(&rpc->lock);
		return;
	}
	rpc->silent_ticks = 0;
	if (offset > out->granted) {
		out->granted = min_t(u32, offset, out->length);
		out->sched_prio = min_t(u8, h->priority,
					HOMA_MAX_PRIORITIES - 1);
	}
	spin_unlock_bh(&rpc->lock);
	homa_xmit_data(rpc);
}

/*
 * A RESEND. Every state answers (a state that ignored RESENDs deadlocked
 * the reference implementation): with data if we sent the bytes before,
 * with BUSY if we have nothing to send yet.
 */
static void homa_resend_pkt(struct homa_rpc *rpc,
			    const struct homa_resend_hdr *h)
{
	struct homa_msgout *out = &rpc->msgout;
	u32 start = be32_to_cpu(h->offset);
	u32 length = be32_to_cpu(h->length);
	bool more = false;
	u32 end;

	spin_lock_bh(&rpc->lock);
	if (rpc->state == HOMA_RPC_DEAD) {
		spin_unlock_bh(&rpc->lock);
		return;
	}
	if (out->length < 0 ||
	    (!homa_rpc_is_client(rpc) && rpc->state != HOMA_RPC_OUTGOING)) {
		spin_unlock_bh(&rpc->lock);
		goto busy;
	}
	end = length == HOMA_RESEND_ALL ? out->sent :
	      min_t(u32, start + length, out->length);
	if (length != HOMA_RESEND_ALL && end > out->granted) {
		/* The peer asks for bytes it must have granted: a GRANT
		 * was lost.
		 */
		out->granted = end;
		more = true;
	}
	if (start < out->sent && start < end) {
		homa_resend_data(rpc, start, min(end, out->sent), h->priority);
		spin_unlock_bh(&rpc->lock);
	} else {
		spin_unlock_bh(&rpc->lock);
		if (!more)
			goto busy;
	}
	if (more)
		homa_xmit_data(rpc);
	return;

busy:
	homa_xmit_busy(rpc);
}

/* RPC_UNKNOWN: the peer has no record of the RPC. */
static void homa_unknown_pkt(struct homa_rpc *rpc)
{
	struct homa_msgout *out = &rpc->msgout;
	bool restart = false;

	spin_lock_bh(&rpc->lock);
	if (!homa_rpc_is_client(rpc)) {
		homa_rpc_end(rpc);
	} else if (rpc->state == HOMA_RPC_OUTGOING && out->length >= 0) {
		/* The server lost our request: send it all again. */
		out->next_pkt = 0;
		out->sent = 0;
		out->granted = out->unscheduled;
		restart = true;
	}
	spin_unlock_bh(&rpc->lock);
	if (restart)
		homa_xmit_data(rpc);
}

/*
 * NEED_ACK for an RPC we (the client) still have: ask for what's missing,
 * or say BUSY so a server waiting for our grants knows we are alive.
 * Bytes count as missing only after resend_ticks of silence, as for the
 * timer's RESENDs: the server sends NEED_ACK once the response has left
 * it, and its tail may still be queued in the network (in the emulated
 * rack for tens of milliseconds); asking for it then doubled the load.
 */
static void homa_need_ack_pkt(struct homa_rpc *rpc)
{
	u32 resend_ticks = READ_ONCE(homa_sock_net(rpc->hsk)->cfg.resend_ticks);
	struct homa_gap missing;
	bool ask;

	if (!homa_rpc_is_client(rpc))
		return;
	spin_lock_bh(&rpc->lock);
	ask = rpc->state == HOMA_RPC_INCOMING && rpc->msgin.length >= 0 &&
	      rpc->silent_ticks >= resend_ticks &&
	      homa_gaps_missing(&rpc->msgin.gaps, rpc->msgin.granted,
				&missing, 1) > 0;
	spin_unlock_bh(&rpc->lock);
	if (ask)
		homa_xmit_resend(rpc, missing.start, missing.end);
	else
		homa_xmit_busy(rpc);
}

/* A packet naming an RPC this socket does not have. */
static void homa_no_rpc(struct homa_sock *hsk, struct homa_peer *peer,
			const struct homa_common_hdr *h)
{
	struct homa_ack_hdr ack;
	struct homa_common_hdr unknown;

	switch (h->type) {
	case HOMA_RESEND:
		homa_wire_init_common(&unknown, HOMA_RPC_UNKNOWN, 0, 0,
				      be64_to_cpu(h->sender_id) ^ 1);
		homa_xmit_control_to(hsk, peer, ntohs(h->sport), &unknown,
				     sizeof(unknown));
		break;
	case HOMA_NEED_ACK:
		/* The response arrived and the RPC is gone: confirm it. */
		homa_wire_init_common(&ack.common, HOMA_ACK, 0, 0,
				      be64_to_cpu(h->sender_id) ^ 1);
		ack.num_acks = 0;
		memset(ack.acks, 0, sizeof(ack.acks));
		homa_xmit_control_to(hsk, peer, ntohs(h->sport), &ack,
				     sizeof(ack));
		break;
	}
}

static void homa_cutoffs_pkt(struct homa_peer *peer,
			     const struct homa_cutoffs_hdr *h)
{
	unsigned int i;

	spin_lock_bh(&peer->lock);
	for (i = 0; i < HOMA_MAX_PRIORITIES; i++)
		peer->cutoffs[i] = be32_to_cpu(h->unsched_cutoffs[i]);
	peer->cutoff_version = ntohs(h->cutoff_version);
	spin_unlock_bh(&peer->lock);
}

static void homa_ack_pkt(struct homa_net *hn, const struct in6_addr *saddr,
			 const struct homa_ack_hdr *h)
{
	u32 i, n = min_t(u32, ntohs(h->num_acks), HOMA_MAX_ACKS_PER_PKT);

	for (i = 0; i < n; i++)
		homa_rpc_acked(hn, saddr, &h->acks[i]);
}

/*
 * Deliver one packet from @saddr. Consumes @skb. Returns true when no
 * socket serves a request sent to the packet's port, so the caller must
 * tell the sender with ICMP (and still free the skb). The IP layer holds
 * rcu_read_lock(), which keeps the peer found here valid.
 */
static bool homa_rcv_one(struct homa_net *hn, struct sk_buff *skb,
			 const struct in6_addr *saddr)
{
	unsigned int avail = min_t(unsigned int, skb->len, HOMA_MAX_HEADER);
	const struct homa_common_hdr *h;
	struct homa_sock *hsk;
	struct homa_peer *peer;
	struct homa_rpc *rpc;
	bool created, run_grants = false;

	if (!pskb_may_pull(skb, avail))
		goto drop;
	switch (homa_wire_check(skb->data, avail)) {
	case HOMA_WIRE_OK:
		break;
	case HOMA_WIRE_SHORT:
		HOMA_INC(hn, short_packets);
		goto drop;
	case HOMA_WIRE_BAD_TYPE:
		HOMA_INC(hn, unknown_packet_types);
		goto drop;
	case HOMA_WIRE_BAD_PORT:
		HOMA_INC(hn, bad_ports);
		goto drop;
	}
	h = (const struct homa_common_hdr *)skb->data;
	homa_metrics_packet(hn, h->type, false);
	hsk = homa_port_find(&hn->ports, ntohs(h->dport));
	/* Ports are shared by both families, but an IPv4 socket cannot
	 * talk to an IPv6 host (an IPv6 socket serves IPv4 hosts too).
	 */
	if (hsk && hsk->inet.sk.sk_family == AF_INET &&
	    !ipv6_addr_v4mapped(saddr)) {
		sock_put(&hsk->inet.sk);
		hsk = NULL;
	}
	if (!hsk || READ_ONCE(hsk->shutdown)) {
		if (hsk)
			sock_put(&hsk->inet.sk);
		if (homa_needs_socket(h))
			return true;
		goto drop;
	}
	peer = homa_peer_find(hn, saddr);
	if (!peer) {
		HOMA_INC(hn, peer_alloc_errors);
		goto drop_sock;
	}

	if (h->type == HOMA_DATA) {
		const struct homa_data_hdr *d = (const void *)h;

		if (d->ack.client_id)
			homa_rpc_acked(hn, saddr, &d->ack);
		if (ntohs(d->cutoff_version) != hn->cfg.cutoff_version)
			homa_maybe_send_cutoffs(hsk, peer, ntohs(h->sport));
		if (homa_is_request(h)) {
			if (!READ_ONCE(hsk->is_server)) {
				sock_put(&hsk->inet.sk);
				return true;
			}
			/* A retransmission names an RPC this server had:
			 * if it is gone, it was finished, and a new RPC would
			 * execute the request a second time.
			 */
			if (d->retransmit) {
				rpc = homa_rpc_find_server(hsk, saddr,
							   be64_to_cpu(h->sender_id) ^ 1);
				if (!rpc) {
					HOMA_INC(hn, unknown_rpcs);
					goto drop_sock;
				}
			} else {
				rpc = homa_rpc_new_server(hsk, peer,
							  ntohs(h->sport),
							  be64_to_cpu(h->sender_id) ^ 1,
							  &created);
			}
			if (IS_ERR(rpc)) {
				/* -EALREADY: a late copy of a finished request. */
				if (PTR_ERR(rpc) == -EALREADY)
					HOMA_INC(hn, packet_discards);
				else
					HOMA_INC(hn, server_cant_create_rpcs);
				goto drop_sock;
			}
		} else {
			rpc = homa_find_rpc(hsk, saddr, h);
			if (!rpc) {
				HOMA_INC(hn, unknown_rpcs);
				goto drop_sock;
			}
		}
		run_grants = homa_data_pkt(rpc, skb);
		homa_rpc_put(rpc);
		if (run_grants)
			homa_grantor_run(hn);
		sock_put(&hsk->inet.sk);
		return false;
	}

	switch (h->type) {
	case HOMA_CUTOFFS:
		homa_cutoffs_pkt(peer, (const void *)h);
		goto drop_sock;
	case HOMA_ACK:
		homa_rpc_acked(hn, saddr, &(struct homa_ack){
			.client_id = cpu_to_be64(be64_to_cpu(h->sender_id)),
			.server_port = h->dport });
		homa_ack_pkt(hn, saddr, (const void *)h);
		goto drop_sock;
	case HOMA_FREEZE:
		goto drop_sock;
	}

	rpc = homa_find_rpc(hsk, saddr, h);
	if (!rpc) {
		HOMA_INC(hn, unknown_rpcs);
		homa_no_rpc(hsk, peer, h);
		goto drop_sock;
	}
	switch (h->type) {
	case HOMA_GRANT:
		homa_grant_pkt(rpc, (const void *)h);
		break;
	case HOMA_RESEND:
		homa_resend_pkt(rpc, (const void *)h);
		break;
	case HOMA_RPC_UNKNOWN:
		homa_unknown_pkt(rpc);
		break;
	case HOMA_BUSY:
		/* Under the lock: the timer's increment must not undo it. */
		spin_lock_bh(&rpc->lock);
		rpc->silent_ticks = 0;
		spin_unlock_bh(&rpc->lock);
		break;
	case HOMA_NEED_ACK:
		homa_need_ack_pkt(rpc);
		break;
	}
	homa_rpc_put(rpc);

drop_sock:
	sock_put(&hsk->inet.sk);
drop:
	kfree_skb(skb);
	return false;
}

/* homa_rcv_one(), its time counted. */
static bool homa_rcv(struct sk_buff *skb, const struct in6_addr *saddr)
{
	struct homa_net *hn = homa_net(dev_net(skb->dev));
	u64 start = local_clock();
	bool unreachable = homa_rcv_one(hn, skb, saddr);

	HOMA_ADD(hn, rcv_ns, local_clock() - start);
	return unreachable;
}

/* A chain of packets that GRO merged (homa_gro_receive()). */
static bool homa_is_gro_chain(const struct sk_buff *skb)
{
	return skb_is_gso(skb) &&
	       (skb_shinfo(skb)->gso_type & SKB_GSO_FRAGLIST);
}

int homa_v4_rcv(struct sk_buff *skb)
{
	struct in6_addr saddr;

	if (homa_is_gro_chain(skb))
		return homa_gro_split(skb, homa_v4_rcv);
	ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, &saddr);
	if (homa_rcv(skb, &saddr)) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		kfree_skb(skb);
	}
	return 0;
}

int homa_v6_rcv(struct sk_buff *skb)
{
	struct in6_addr saddr;

	if (homa_is_gro_chain(skb))
		return homa_gro_split(skb, homa_v6_rcv);
	saddr = ipv6_hdr(skb)->saddr;
	if (homa_rcv(skb, &saddr)) {
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
		kfree_skb(skb);
	}
	return 0;
}

/*
 * An ICMP error about a packet we sent to @daddr from port @sport to
 * @dport (0: the whole host): fail the socket's client RPCs to that
 * host (and port); if the port is closed, also end the server RPCs of
 * that client port: their client is gone.
 */
static void homa_icmp_error(struct net *net, const struct in6_addr *daddr,
			    u16 sport, u16 dport, int error)
{
	struct homa_rpc_filter clients = {
		.clients_only = true, .addr = daddr, .port = dport
	};
	struct homa_rpc_filter servers = {
		.servers_only = true, .addr = daddr, .port = dport
	};
	struct homa_sock *hsk;

	hsk = homa_port_find(&homa_net(net)->ports, sport);
	if (!hsk)
		return;
	homa_rpc_abort(hsk, &clients, error);
	/* A closed client port can never acknowledge its responses. */
	if (error == ENOTCONN)
		homa_rpc_abort(hsk, &servers, 0);
	sock_put(&hsk->inet.sk);
}

int homa_v4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct homa_common_hdr *h;
	int type = icmp_hdr(skb)->type, code = icmp_hdr(skb)->code;
	struct in6_addr daddr;
	int error;

	if (type != ICMP_DEST_UNREACH)
		return 0;
	switch (code) {
	case ICMP_PORT_UNREACH:
		error = ENOTCONN;
		break;
	case ICMP_PROT_UNREACH:
		error = EPROTONOSUPPORT;
		break;
	case ICMP_NET_UNREACH:
	case ICMP_HOST_UNREACH:
	case ICMP_NET_UNKNOWN:
	case ICMP_HOST_UNKNOWN:
	case ICMP_HOST_ISOLATED:
	case ICMP_NET_ANO:
	case ICMP_HOST_ANO:
	case ICMP_PKT_FILTERED:
		error = EHOSTUNREACH;
		break;
	default:
		/* E.g. fragmentation needed: no verdict on the peer. */
		return 0;
	}
	if (!pskb_may_pull(skb, iph->ihl * 4 + 4))
		return 0;
	iph = (const struct iphdr *)skb->data;
	h = (const struct homa_common_hdr *)(skb->data + iph->ihl * 4);
	ipv6_addr_set_v4mapped(iph->daddr, &daddr);
	homa_icmp_error(dev_net(skb->dev), &daddr, ntohs(h->sport),
			code == ICMP_PORT_UNREACH ? ntohs(h->dport) : 0, error);
	return 0;
}

int homa_v6_err(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type,
		u8 code, int offset, __be32 info)
{
	const struct ipv6hdr *iph;
	const struct homa_common_hdr *h;
	int error;

	if (type == ICMPV6_DEST_UNREACH && code == ICMPV6_PORT_UNREACH)
		error = ENOTCONN;
	else if (type == ICMPV6_PARAMPROB && code == ICMPV6_UNK_NEXTHDR)
		error = EPROTONOSUPPORT;
	else if (type == ICMPV6_DEST_UNREACH)
		error = EHOSTUNREACH;
	else
		return 0;
	if (!pskb_may_pull(skb, offset + 4))
		return 0;
	iph = (const struct ipv6hdr *)skb->data;
	h = (const struct homa_common_hdr *)(skb->data + offset);
	homa_icmp_error(dev_net(skb->dev), &iph->daddr, ntohs(h->sport),
			error == ENOTCONN ? ntohs(h->dport) : 0, error);
	return 0;
}
