// SPDX-License-Identifier: GPL-2.0
/*
 * Offloads. Software GSO for Homa DATA packets. A multi-segment packet (see
 * homa_data_skb()) carries one DATA header whose first HOMA_GSO_HDR_LEN
 * bytes every segment shares; the rest of the packet is a run of
 * gso_size-byte segments, each a struct homa_seg_hdr and its data. A NIC
 * with TSO cuts it as if it were TCP (the header has TCP's layout, with
 * doff covering the shared part). Where the stack must cut it itself (a
 * device without TSO, a qdisc such as tbf that splits GSO packets), the
 * IP layer calls homa_gso_segment(), which does the same: every segment
 * becomes a complete DATA packet.
 *
 * GRO chains received packets, each whole from its Homa header on, onto
 * the first of them (frag_list, like UDP's fraglist GRO), whatever their
 * RPC or type: the IP layer has already matched source and destination.
 * The chain goes up the stack once; homa_gro_split() takes it apart again
 * for the packet handler. A chain that is forwarded instead is cut by
 * homa_gso_segment() back into the packets it was made of.
 */
#include <linux/skbuff.h>
#include <net/gro.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <linux/homa.h>

#include "homa_metrics.h"
#include "homa_net.h"
#include "homa_offload.h"
#include "homa_wire.h"

/* Called by inet_gso_segment() and ipv6_gso_segment() with skb->data at
 * the Homa header; they fix the IP headers of the segments afterwards.
 */
static struct sk_buff *homa_gso_segment(struct sk_buff *skb,
					netdev_features_t features)
{
	if (skb_shinfo(skb)->gso_type & SKB_GSO_FRAGLIST)
		return skb_segment_list(skb, features, skb_mac_header_len(skb));
	if (!pskb_may_pull(skb, HOMA_GSO_HDR_LEN))
		return ERR_PTR(-EINVAL);
	/* skb_segment() copies everything before skb->data into each
	 * segment: the IP header and the shared part of the DATA header.
	 */
	__skb_pull(skb, HOMA_GSO_HDR_LEN);
	return skb_segment(skb, features);
}

/*
 * Chain @skb to the held packet @p, the way skb_gro_receive_list() does
 * (modules cannot call it). The caller has made the headers before the
 * Homa header linear.
 */
static void homa_gro_chain(struct sk_buff *p, struct sk_buff *skb)
{
	/* The IP layer would orphan both anyway; a sender's socket must
	 * not be charged for the truesize of a chain.
	 */
	skb_orphan(p);
	skb_orphan(skb);
	skb_pull(skb, skb_gro_offset(skb));
	if (NAPI_GRO_CB(p)->last == p)
		skb_shinfo(p)->frag_list = skb;
	else
		NAPI_GRO_CB(p)->last->next = skb;
	NAPI_GRO_CB(p)->last = skb;
	NAPI_GRO_CB(p)->count++;
	p->data_len += skb->len;
	p->len += skb->len;
	p->truesize += skb->truesize;
	NAPI_GRO_CB(skb)->same_flow = 1;
}

/*
 * Called by inet_gro_receive() and ipv6_gro_receive() with @held, the
 * packets GRO holds in @skb's bucket; those from other addresses or of
 * other protocols no longer have same_flow set. Returns the held packet
 * to pass up now, if any; @skb is chained, held as the head of a new
 * chain, or (flush set) passed up alone.
 */
static struct sk_buff *homa_gro_receive(struct list_head *held,
					struct sk_buff *skb)
{
	u32 max = READ_ONCE(homa_net(dev_net(skb->dev))->cfg.max_gro_skbs);
	struct sk_buff *p;

	/* Alone: GSO packets (veth passes ours whole), tunnelled packets
	 * (the split could not find their inner headers), and packets too
	 * short for a Homa header (a head's length becomes its gso_size, which
	 * must not be 0). On 6.12 flush is also set for a packet whose IP
	 * length disagrees with its skb.
	 */
	if (max < 2 || skb_is_gso(skb) || NAPI_GRO_CB(skb)->flush ||
	    NAPI_GRO_CB(skb)->encap_mark ||
	    skb_gro_len(skb) < sizeof(struct homa_common_hdr) ||
	    !pskb_may_pull(skb, skb_gro_offset(skb)))
		goto alone;

	list_for_each_entry(p, held, list) {
		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		/* On 6.1 the IP layer marks the held packets, not @skb, when
		 * @skb's IP length is wrong (and when TTL or TOS differ):
		 * pass up both rather than chain a packet that may be bad.
		 */
		if (NAPI_GRO_CB(p)->flush) {
			NAPI_GRO_CB(skb)->flush = 1;
			return p;
		}
		/* The merged packet's IP length field must hold its length. */
		if (p->len + skb_gro_len(skb) > IP_MAX_MTU)
			return p;
		homa_gro_chain(p, skb);
		return NAPI_GRO_CB(p)->count >= max ? p : NULL;
	}
	return NULL;

alone:
	NAPI_GRO_CB(skb)->flush = 1;
	return NULL;
}

/* Called by inet_gro_complete() and ipv6_gro_complete() once a chain has
 * more than one packet, after they have fixed the IP length.
 */
static int homa_gro_complete(struct sk_buff *skb, int thoff)
{
	skb_shinfo(skb)->gso_type = SKB_GSO_FRAGLIST;
	skb_shinfo(skb)->gso_segs = NAPI_GRO_CB(skb)->count;
	/* Homa packets carry no checksum, and a device's sum over the head
	 * would not cover the chain. A forwarding path passes a GSO packet
	 * on whole only if it needs no checksum work; otherwise the chain
	 * would be cut again in front of every device.
	 */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = 0;
	return 0;
}

int homa_gro_split(struct sk_buff *skb, int (*rcv)(struct sk_buff *skb))
{
	struct homa_net *hn = homa_net(dev_net(skb->dev));
	struct sk_buff *segs, *seg, *next;
	u32 n = 0;

	/* skb_segment_list() takes the chain apart as it would for a
	 * device: it unclones the head (a packet tap may share it), copies
	 * the head's route and device to every packet and leaves each at
	 * its network header. No device features: nothing is linearised.
	 * It reads the tunnel header length from the GSO control block,
	 * which only the GSO entry points set up: no tunnel here.
	 */
	SKB_GSO_CB(skb)->mac_offset = skb_mac_header(skb) - skb->head;
	segs = skb_segment_list(skb, NETIF_F_SG | NETIF_F_FRAGLIST, 0);
	if (IS_ERR(segs)) {
		HOMA_INC(hn, packet_discards);
		kfree_skb(skb);
		return 0;
	}
	/* It returns @skb itself, with a reference for the GSO caller that
	 * frees the original.
	 */
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		__skb_pull(seg, skb_network_header_len(seg));
		rcv(seg);
		n++;
	}
	HOMA_INC(hn, gro_batches);
	HOMA_ADD(hn, gro_packets, n);
	return 0;
}

static const struct net_offload homa_offload = {
	.callbacks = {
		.gso_segment = homa_gso_segment,
		.gro_receive = homa_gro_receive,
		.gro_complete = homa_gro_complete,
	},
};

int homa_offload_init(void)
{
	int err;

	err = inet_add_offload(&homa_offload, IPPROTO_HOMA);
	if (err)
		return err;
	err = inet6_add_offload(&homa_offload, IPPROTO_HOMA);
	if (err)
		inet_del_offload(&homa_offload, IPPROTO_HOMA);
	return err;
}

void homa_offload_end(void)
{
	/* Both wait for running callers (synchronize_net()). */
	inet6_del_offload(&homa_offload, IPPROTO_HOMA);
	inet_del_offload(&homa_offload, IPPROTO_HOMA);
}
