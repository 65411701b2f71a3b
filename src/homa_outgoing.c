// SPDX-License-Identifier: GPL-2.0
/*
 * Outgoing packets. A message is cut into DATA packets once, when
 * sendmsg copies it in; each packet's skb stays with the RPC so that it
 * can be sent again, and what goes to IP is a clone (first transmission)
 * or a private copy (retransmission), which IP owns from then on.
 */
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "homa_net.h"
#include "homa_outgoing.h"
#include "homa_pacer.h"
#include "homa_peer.h"
#include "homa_prio.h"
#include "homa_rpc.h"
#include "homa_sock.h"

/* Room in front of a Homa header for IP and link-layer headers. */
#define HOMA_SKB_HEADROOM (MAX_HEADER + sizeof(struct ipv6hdr))

/*
 * Hand a finished packet to IP at a priority level. Consumes @skb in
 * every case.
 */
static void homa_xmit_skb(struct homa_sock *hsk, struct homa_peer *peer,
			  struct sk_buff *skb, u8 priority)
{
	struct homa_net *hn = homa_sock_net(hsk);
	struct homa_config *cfg = &hn->cfg;
	struct sock *sk = &hsk->inet.sk;
	struct dst_entry *dst;
	struct flowi flow;
	u8 tos;

	priority = min_t(u8, priority, cfg->num_priorities - 1);
	dst = homa_peer_route(peer, hsk, &flow);
	if (IS_ERR(dst)) {
		HOMA_INC(hn, route_errors);
		kfree_skb(skb);
		return;
	}
	homa_metrics_packet(hn, ((struct homa_common_hdr *)skb->data)->type,
			    true);
	homa_metrics_prio(hn, priority, skb->len);
	skb_dst_set(skb, dst);
	tos = homa_prio_tos(cfg->priority_map, priority);
	skb->ignore_df = 1;
	if (ipv6_addr_v4mapped(&peer->addr))
		__ip_queue_xmit(sk, skb, &flow, tos);
	else
		ip6_xmit(sk, skb, &flow.u.ip6, sk->sk_mark, NULL, tos,
			 sk->sk_priority);
}

static u32 homa_ip_hdr_len(const struct homa_peer *peer)
{
	return ipv6_addr_v4mapped(&peer->addr) ? sizeof(struct iphdr) :
	       sizeof(struct ipv6hdr);
}

/* Largest DATA payload that fits one packet (one segment) to @peer. */
static u32 homa_max_payload(struct homa_sock *hsk, struct homa_peer *peer)
{
	struct dst_entry *dst;
	struct flowi flow;
	u32 mtu = 1500;

	dst = homa_peer_route(peer, hsk, &flow);
	if (!IS_ERR(dst)) {
		mtu = dst_mtu(dst);
		dst_release(dst);
	}
	return mtu - homa_ip_hdr_len(peer) - sizeof(struct homa_data_hdr);
}

/*
 * A page for the data of an outgoing packet, with a reference for the
 * skb; *@order says how big. The socket's ring gives back a page once the
 * skbs that used it are gone (only the ring's reference left), so a
 * socket that keeps sending large messages stops calling the page
 * allocator (a quarter of the time it took to send 1 MB under TCG).
 * New pages join the ring while it has room. Process context.
 */
static struct page *homa_tx_page_get(struct homa_sock *hsk, u32 *order)
{
	struct homa_tx_pages *ring = &hsk->tx_pages;
	int i, slot, empty = -1;
	struct page *page;

	*order = HOMA_TX_PAGE_ORDER;
	spin_lock(&ring->lock);
	for (i = 0; i < HOMA_TX_PAGES; i++) {
		slot = (ring->next + i) % HOMA_TX_PAGES;
		page = ring->pages[slot];
		if (!page) {
			if (empty < 0)
				empty = slot;
			continue;
		}
		/* Only takers (under this lock) raise the count. */
		if (page_ref_count(page) == 1) {
			get_page(page);
			ring->next = slot + 1;
			spin_unlock(&ring->lock);
			return page;
		}
	}
	spin_unlock(&ring->lock);

	page = alloc_pages(GFP_KERNEL | __GFP_COMP | __GFP_NOWARN |
			   __GFP_NORETRY, HOMA_TX_PAGE_ORDER);
	if (!page) {
		*order = 0;
		return alloc_page(GFP_KERNEL);
	}
	if (empty >= 0) {
		spin_lock(&ring->lock);
		if (!ring->pages[empty]) {
			get_page(page);
			ring->pages[empty] = page;
		}
		spin_unlock(&ring->lock);
	}
	return page;
}

/**
 * homa_tx_pages_release() - Drop a socket's ring of data pages (skbs
 * still in flight keep theirs).
 * @hsk: the socket, being destroyed.
 */
void homa_tx_pages_release(struct homa_sock *hsk)
{
	u32 i;

	for (i = 0; i < HOMA_TX_PAGES; i++) {
		if (hsk->tx_pages.pages[i])
			put_page(hsk->tx_pages.pages[i]);
		hsk->tx_pages.pages[i] = NULL;
	}
}

/*
 * Give a packet @len bytes of page fragments for its data. Returns 0 or
 * -ENOMEM.
 */
static int homa_data_frags(struct homa_sock *hsk, struct sk_buff *skb,
			   u32 len)
{
	struct page *page;
	u32 order, size;
	int i;

	for (i = 0; len > 0; i++) {
		/* 64 KB fit even in single pages. */
		if (i == MAX_SKB_FRAGS)
			return -ENOMEM;
		page = homa_tx_page_get(hsk, &order);
		if (!page)
			return -ENOMEM;
		size = min_t(u32, len, PAGE_SIZE << order);
		skb_fill_page_desc(skb, i, page, 0, size);
		skb->truesize += PAGE_SIZE << order;
		skb->data_len += size;
		skb->len += size;
		len -= size;
	}
	return 0;
}

/*
 * Where the next byte goes in the page fragments of a packet being built,
 * for homa_frags_put(). The fragments are ordinary kernel pages
 * (homa_tx_page_get(), no highmem), so they are written directly.
 */
struct homa_frag_pos {
	struct sk_buff *skb;
	unsigned int frag;
	u32 off;
};

/*
 * Append @len bytes to the fragments at @pos: from @src, or copied from
 * @iter if @src is NULL. Returns 0 or -EFAULT.
 */
static int homa_frags_put(struct homa_frag_pos *pos, const void *src,
			  struct iov_iter *iter, u32 len)
{
	const skb_frag_t *frag;
	u32 n;
	void *dst;

	while (len > 0) {
		frag = &skb_shinfo(pos->skb)->frags[pos->frag];
		n = min(len, skb_frag_size(frag) - pos->off);
		dst = skb_frag_address(frag) + pos->off;
		if (src) {
			memcpy(dst, src, n);
			src += n;
		} else if (copy_from_iter(dst, n, iter) != n) {
			return -EFAULT;
		}
		len -= n;
		pos->off += n;
		if (pos->off == skb_frag_size(frag)) {
			pos->frag++;
			pos->off = 0;
		}
	}
	return 0;
}

/*
 * A DATA packet of a @length-byte message: @chunk bytes from @offset on,
 * in segments of @seg_data bytes, its data copied from @iter. One
 * segment: a linear skb with the whole header. Several: a GSO skb whose
 * linear part is the header and whose pages hold, per segment, a struct
 * homa_seg_hdr (the first one is the header's seg field) and the data;
 * the device or homa_gso_segment() cuts it, replicating the first
 * HOMA_GSO_HDR_LEN bytes, and a receiver that gets it whole parses the
 * segments itself.
 */
static struct sk_buff *homa_data_skb(struct homa_rpc *rpc, u32 length,
				     u32 offset, u32 chunk, u32 seg_data,
				     struct iov_iter *iter, int *err)
{
	u32 segs = DIV_ROUND_UP(chunk, seg_data), i, len;
	u32 extra = (segs - 1) * sizeof(struct homa_seg_hdr);
	struct homa_frag_pos pos = { };
	struct homa_data_hdr *h;
	struct homa_seg_hdr seg;
	struct sk_buff *skb;

	skb = alloc_skb(HOMA_SKB_HEADROOM + sizeof(*h) +
			(segs == 1 ? chunk : 0), GFP_KERNEL);
	if (!skb) {
		*err = -ENOMEM;
		return NULL;
	}
	pos.skb = skb;
	skb_reserve(skb, HOMA_SKB_HEADROOM);
	skb_reset_transport_header(skb);
	h = skb_put_zero(skb, sizeof(*h));
	homa_wire_init_common(&h->common, HOMA_DATA, rpc->hsk->port,
			      rpc->dport, rpc->id);
	h->common.sequence = cpu_to_be32(offset);
	h->message_length = cpu_to_be32(length);
	h->seg.offset = cpu_to_be32(offset);
	if (segs == 1) {
		*err = copy_from_iter_full(skb_put(skb, chunk), chunk, iter) ?
		       0 : -EFAULT;
		return skb;
	}

	h->common.doff = HOMA_DOFF_DATA_GSO;
	if (homa_data_frags(rpc->hsk, skb, chunk + extra)) {
		kfree_skb(skb);
		*err = -ENOMEM;
		return NULL;
	}
	/* The fragments hold segment 0's data, then each further segment's
	 * header and data: written in order, 45 segments at most, without
	 * looking up the position again for each piece.
	 */
	*err = 0;
	for (i = 0; i < segs && !*err; i++) {
		len = min(seg_data, chunk - i * seg_data);
		seg.offset = cpu_to_be32(offset + i * seg_data);
		if (i > 0)
			*err = homa_frags_put(&pos, &seg, NULL, sizeof(seg));
		if (!*err)
			*err = homa_frags_put(&pos, NULL, iter, len);
	}
	skb_shinfo(skb)->gso_size = seg_data + sizeof(seg);
	skb_shinfo(skb)->gso_segs = segs;
	skb_shinfo(skb)->gso_type = ipv6_addr_v4mapped(&rpc->peer->addr) ?
				    SKB_GSO_TCPV4 : SKB_GSO_TCPV6;
	/* A device takes a GSO packet marked untrusted only if it declares
	 * that it checks such packets (NETIF_F_GSO_ROBUST: virtio-net,
	 * xen-netfront, which pass them to their host); for every other
	 * one the stack cuts it with homa_gso_segment().
	 */
	if (READ_ONCE(homa_sock_net(rpc->hsk)->cfg.gso_force_software))
		skb_shinfo(skb)->gso_type |= SKB_GSO_DODGY;
	/* TSO needs a checksum to offload; Homa ignores its value. */
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct homa_common_hdr, checksum);
	return skb;
}

/*
 * Add a packet that homa_message_out_init() built to the message; the
 * first one makes the message visible to the packet handlers, the last
 * one ends the build.
 */
static void homa_msgout_add(struct homa_rpc *rpc, struct sk_buff *skb,
			    u32 offset, u32 chunk, u32 length)
{
	struct homa_msgout *out = &rpc->msgout;
	struct homa_out_pkt *pkt = &out->pkts[out->num_pkts];

	atomic64_add(skb->truesize, &rpc->hsk->tx_bytes);
	spin_lock_bh(&rpc->lock);
	pkt->skb = skb;
	pkt->offset = offset;
	pkt->length = chunk;
	out->num_pkts++;
	out->length = length;
	out->building = offset + chunk < length;
	spin_unlock_bh(&rpc->lock);
}

/**
 * homa_message_out_init() - Build the packets of an RPC's outgoing
 * message from user data, and send each one as soon as it is built and
 * granted: the receiver takes in the first packets while the rest are
 * built. Process context; the caller holds a reference to the RPC but not
 * its lock. Packet handlers leave msgout alone until msgout.length is
 * set, which happens with the first packet; until the last is added,
 * msgout.building is set.
 * @rpc:    the RPC.
 * @iter:   the message.
 * @length: bytes in the message, 1..HOMA_MAX_MESSAGE_LENGTH.
 *
 * Return: 0, -EFAULT or -ENOMEM. After an error, msgout.sent says whether
 * any byte went out.
 */
int homa_message_out_init(struct homa_rpc *rpc, struct iov_iter *iter,
			  size_t length)
{
	struct homa_sock *hsk = rpc->hsk;
	struct homa_config *cfg = &homa_sock_net(hsk)->cfg;
	u32 seg_data = homa_max_payload(hsk, rpc->peer);
	struct homa_msgout *out = &rpc->msgout;
	u32 unscheduled, offset, n, chunk, pkt_data;
	u32 cutoffs[HOMA_MAX_PRIORITIES];
	struct sk_buff *skb;
	int err = 0;

	pkt_data = seg_data *
		   homa_wire_segs_per_pkt(seg_data, READ_ONCE(cfg->max_gso_size),
					  homa_ip_hdr_len(rpc->peer));
	unscheduled = min_t(u32, cfg->unsched_bytes, length);
	/* Packets never straddle the unscheduled limit. */
	n = DIV_ROUND_UP(unscheduled, pkt_data) +
	    DIV_ROUND_UP(length - unscheduled, pkt_data);
	/* kcalloc, not kvcalloc: the array may be freed in atomic context. */
	out->pkts = kcalloc(n, sizeof(*out->pkts), GFP_KERNEL);
	if (!out->pkts)
		return -ENOMEM;

	spin_lock_bh(&rpc->peer->lock);
	memcpy(cutoffs, rpc->peer->cutoffs, sizeof(cutoffs));
	out->cutoff_version = rpc->peer->cutoff_version;
	spin_unlock_bh(&rpc->peer->lock);
	out->unsched_prio = homa_prio_unsched(cutoffs, cfg->num_priorities,
					      length);
	out->unscheduled = unscheduled;
	out->granted = unscheduled;

	for (offset = 0; offset < length; offset += chunk) {
		chunk = min_t(u32, pkt_data, length - offset);
		if (offset < unscheduled)
			chunk = min(chunk, unscheduled - offset);
		skb = homa_data_skb(rpc, length, offset, chunk, seg_data, iter,
				    &err);
		if (err) {
			/* Half filled: it must never go out. */
			kfree_skb(skb);
			break;
		}
		homa_msgout_add(rpc, skb, offset, chunk, length);
		homa_xmit_data(rpc);
	}
	if (err) {
		spin_lock_bh(&rpc->lock);
		out->building = false;
		spin_unlock_bh(&rpc->lock);
	}
	return err;
}

/**
 * homa_msgout_release() - Free the packets of an RPC's outgoing message
 * once nothing can ask for them again (the RPC ends, or a client's
 * response started to arrive, which proves the request was received),
 * and give their memory back to the socket. The caller holds rpc->lock,
 * or the last reference.
 * @rpc: the RPC.
 */
void homa_msgout_release(struct homa_rpc *rpc)
{
	struct homa_msgout *out = &rpc->msgout;
	u64 bytes = 0;
	u32 i;

	if (!out->pkts)
		return;
	for (i = 0; i < out->num_pkts; i++) {
		bytes += out->pkts[i].skb->truesize;
		kfree_skb(out->pkts[i].skb);
	}
	kfree(out->pkts);
	out->pkts = NULL;
	out->num_pkts = 0;
	out->next_pkt = 0;
	atomic64_sub(bytes, &rpc->hsk->tx_bytes);
	homa_sock_wake_writers(rpc->hsk);
}

/*
 * Fill in the fields of a DATA packet that change over the message's life,
 * just before it goes out. The caller holds rpc->lock.
 */
static void homa_data_refresh(struct homa_rpc *rpc, struct homa_data_hdr *h,
			      bool retransmit)
{
	struct homa_ack ack;

	h->incoming = cpu_to_be32(rpc->msgout.granted);
	h->cutoff_version = htons(rpc->msgout.cutoff_version);
	h->retransmit = retransmit;
	if (homa_peer_take_ack(rpc->peer, &ack))
		h->ack = ack;
	else
		memset(&h->ack, 0, sizeof(h->ack));
}

static u8 homa_data_prio(const struct homa_msgout *out, u32 offset)
{
	return offset < out->unscheduled ? out->unsched_prio :
	       out->sched_prio;
}

/* What a packet takes on the link: its bytes and, per segment, headers. */
static u32 homa_wire_bytes(const struct homa_rpc *rpc,
			   const struct homa_out_pkt *pkt)
{
	u32 segs = skb_shinfo(pkt->skb)->gso_segs ?: 1;

	return pkt->length + segs * (sizeof(struct homa_data_hdr) +
				     homa_ip_hdr_len(rpc->peer));
}

/*
 * Send the next packet of an RPC's message if it is granted. Unless
 * @paced (the pacer calls), a packet that the pacer must hold back is not
 * sent and the RPC goes to the pacer. Returns true if a packet went out.
 */
static bool homa_xmit_next(struct homa_rpc *rpc, bool paced)
{
	struct homa_msgout *out = &rpc->msgout;
	struct homa_out_pkt *pkt;
	struct sk_buff *clone;
	u32 wire, length;
	u8 prio;

	spin_lock_bh(&rpc->lock);
	if (rpc->state == HOMA_RPC_DEAD || out->length < 0 ||
	    out->next_pkt >= out->num_pkts ||
	    out->pkts[out->next_pkt].offset >= out->granted) {
		/* Nothing to send until a grant: the pacer lets go. */
		homa_pacer_remove(rpc);
		spin_unlock_bh(&rpc->lock);
		return false;
	}
	pkt = &out->pkts[out->next_pkt];
	wire = homa_wire_bytes(rpc, pkt);
	if (!paced && homa_pacer_hold(rpc, wire)) {
		spin_unlock_bh(&rpc->lock);
		return false;
	}
	out->next_pkt++;
	out->sent = pkt->offset + pkt->length;
	/* The peer cannot have answered a packet not yet sent: silence
	 * counts from the last transmission, so a RESEND never overtakes
	 * the data it asks about.
	 */
	rpc->silent_ticks = 0;
	homa_data_refresh(rpc, (struct homa_data_hdr *)pkt->skb->data, false);
	prio = homa_data_prio(out, pkt->offset);
	clone = skb_clone(pkt->skb, GFP_ATOMIC);
	/* Once the lock is dropped, a response that ends the request may
	 * free the packet array.
	 */
	length = pkt->length;
	spin_unlock_bh(&rpc->lock);
	homa_pacer_sent(homa_sock_net(rpc->hsk), wire);
	if (paced)
		HOMA_ADD(homa_sock_net(rpc->hsk), pacer_bytes, length);
	/* A failed clone is a lost packet: RESEND recovers it. */
	if (clone)
		homa_xmit_skb(rpc->hsk, rpc->peer, clone, prio);
	return true;
}

/**
 * homa_xmit_data() - Send every packet of an RPC's message that is
 * granted and not yet sent, unless the pacer holds the message back (then
 * the pacer sends them). The RPC lock is dropped around each
 * transmission, so everything is checked again after it is retaken.
 * @rpc: the RPC; the caller holds a reference but not its lock.
 */
void homa_xmit_data(struct homa_rpc *rpc)
{
	while (homa_xmit_next(rpc, false))
		;
	if (!list_empty_careful(&rpc->msgout.throttled_link))
		homa_pacer_help(homa_sock_net(rpc->hsk));
}

/**
 * homa_xmit_paced() - Send the next packet of an RPC the pacer holds.
 * @rpc: the RPC; the caller holds a reference but not its lock.
 */
void homa_xmit_paced(struct homa_rpc *rpc)
{
	homa_xmit_next(rpc, true);
}

/**
 * homa_resend_data() - Send again the packets of a range that were sent
 * before. The caller holds rpc->lock.
 * @rpc:      the RPC.
 * @start:    first byte of the range.
 * @end:      end of the range.
 * @priority: priority for the retransmitted packets.
 */
void homa_resend_data(struct homa_rpc *rpc, u32 start, u32 end, u8 priority)
{
	struct homa_msgout *out = &rpc->msgout;
	struct homa_out_pkt *pkt;
	struct sk_buff *copy;
	u32 i;

	for (i = 0; i < out->next_pkt; i++) {
		pkt = &out->pkts[i];
		if (pkt->offset + pkt->length <= start || pkt->offset >= end)
			continue;
		/* A copy of the header (the data is shared, never
		 * written): an earlier clone may still be on its way.
		 */
		copy = pskb_copy(pkt->skb, GFP_ATOMIC);
		if (!copy)
			continue;
		/* Unlike a clone, the copy does not look shared: without
		 * this, code that transforms data in place when nobody else
		 * holds the packet (ESP) would rewrite the message's pages.
		 */
		skb_shinfo(copy)->flags |= SKBFL_SHARED_FRAG;
		homa_data_refresh(rpc, (struct homa_data_hdr *)copy->data,
				  true);
		HOMA_INC(homa_sock_net(rpc->hsk), resent_packets);
		homa_xmit_skb(rpc->hsk, rpc->peer, copy, priority);
	}
}

/**
 * homa_xmit_control_to() - Send a control packet to a host and port.
 * @hsk:    the sending socket.
 * @peer:   the destination host.
 * @dport:  the destination port.
 * @hdr:    the packet's header; its common part (but ports) is filled in.
 * @length: bytes in @hdr.
 */
void homa_xmit_control_to(struct homa_sock *hsk, struct homa_peer *peer,
			  u16 dport, void *hdr, size_t length)
{
	struct homa_common_hdr *h = hdr;
	struct sk_buff *skb;

	h->sport = htons(hsk->port);
	h->dport = htons(dport);
	skb = alloc_skb(HOMA_SKB_HEADROOM + length, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, HOMA_SKB_HEADROOM);
	skb_reset_transport_header(skb);
	skb_put_data(skb, hdr, length);
	/* Control packets go at the highest level. */
	homa_xmit_skb(hsk, peer, skb, HOMA_MAX_PRIORITIES - 1);
}

/**
 * homa_xmit_control() - Send a control packet about an RPC to its peer.
 * @rpc:    the RPC.
 * @hdr:    the header, whose common part is set except for the ports.
 * @length: bytes in @hdr.
 */
void homa_xmit_control(struct homa_rpc *rpc, void *hdr, size_t length)
{
	homa_xmit_control_to(rpc->hsk, rpc->peer, rpc->dport, hdr, length);
}

/**
 * homa_xmit_grant() - Tell an RPC's sender how far it may now send.
 * @rpc:      the RPC; the caller holds a reference, not its lock.
 * @priority: priority for the granted bytes.
 */
void homa_xmit_grant(struct homa_rpc *rpc, u8 priority)
{
	struct homa_grant_hdr g;

	homa_wire_init_common(&g.common, HOMA_GRANT, 0, 0, rpc->id);
	g.offset = cpu_to_be32(READ_ONCE(rpc->msgin.granted));
	g.priority = priority;
	homa_xmit_control(rpc, &g, sizeof(g));
}

/**
 * homa_xmit_resend() - Ask an RPC's sender to send part of its message
 * again, at the level homa_prio_resend() picks.
 * @rpc:   the RPC.
 * @start: offset of the first byte wanted.
 * @end:   offset after the last byte wanted; @start or less: everything
 *         sent so far.
 */
void homa_xmit_resend(struct homa_rpc *rpc, u32 start, u32 end)
{
	struct homa_config *cfg = &homa_sock_net(rpc->hsk)->cfg;
	struct homa_resend_hdr r;

	homa_wire_init_common(&r.common, HOMA_RESEND, 0, 0, rpc->id);
	r.offset = cpu_to_be32(start);
	r.length = cpu_to_be32(end > start ? end - start : HOMA_RESEND_ALL);
	r.priority = homa_prio_resend(cfg->unsched_cutoffs,
				      READ_ONCE(cfg->num_priorities),
				      READ_ONCE(rpc->msgin.length));
	homa_xmit_control(rpc, &r, sizeof(r));
}

/**
 * homa_xmit_busy() - Tell an RPC's peer that we are alive but have
 * nothing to send or to ask for now; it resets the peer's silence count.
 * @rpc: the RPC.
 */
void homa_xmit_busy(struct homa_rpc *rpc)
{
	struct homa_common_hdr busy;

	homa_wire_init_common(&busy, HOMA_BUSY, 0, 0, rpc->id);
	homa_xmit_control(rpc, &busy, sizeof(busy));
}

/**
 * homa_xmit_acks() - Send an explicit ACK packet.
 * @hsk:      the sending socket.
 * @peer:     the server's host.
 * @dport:    a port of that host (any Homa socket there handles it).
 * @acks:     the acks.
 * @num_acks: entries in @acks, at most HOMA_MAX_ACKS_PER_PKT.
 */
void homa_xmit_acks(struct homa_sock *hsk, struct homa_peer *peer,
		    u16 dport, const struct homa_ack *acks, u32 num_acks)
{
	struct homa_ack_hdr a;

	homa_wire_init_common(&a.common, HOMA_ACK, 0, 0, 0);
	a.num_acks = htons(num_acks);
	memset(a.acks, 0, sizeof(a.acks));
	memcpy(a.acks, acks, num_acks * sizeof(*acks));
	homa_xmit_control_to(hsk, peer, dport, &a, sizeof(a));
}
