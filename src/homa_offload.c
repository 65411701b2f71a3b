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
#include <linux/delay.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <net/gro.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/protocol.h>
#include <linux/homa.h>

#include "homa_compat.h"
#include "homa_metrics.h"
#include "homa_net.h"
#include "homa_offload.h"
#include "homa_wire.h"

/*
 * GRO chains that devices hold, not yet passed up (per CPU; a chain may be
 * completed on another CPU than the one that started it, so only the sum
 * means anything). Unloading waits for them: completing a chain calls
 * back into this module.
 */
static DEFINE_PER_CPU(int, homa_gro_chains_held);

/* Set while the module unloads: GRO starts no more chains. */
static bool homa_gro_closing;

/*
 * Give every packet of a chain, just taken apart into the list @segs, the
 * IP header fields of the head that forwarding or NAT may have changed:
 * the packets agreed on them when GRO chained them, but the stack has
 * acted on the head's header alone since.
 */
static void homa_chain_copy_ip(struct sk_buff *segs)
{
	const struct ipv6hdr *head6 = ipv6_hdr(segs);
	const struct iphdr *head4 = ip_hdr(segs);
	struct sk_buff *seg;

	for (seg = segs->next; seg; seg = seg->next) {
		if (head4->version == 4) {
			ip_hdr(seg)->tos = head4->tos;
			ip_hdr(seg)->ttl = head4->ttl;
			ip_hdr(seg)->saddr = head4->saddr;
			ip_hdr(seg)->daddr = head4->daddr;
		} else {
			/* Version, traffic class and flow label. */
			*(__be32 *)ipv6_hdr(seg) = *(const __be32 *)head6;
			ipv6_hdr(seg)->hop_limit = head6->hop_limit;
			ipv6_hdr(seg)->saddr = head6->saddr;
			ipv6_hdr(seg)->daddr = head6->daddr;
		}
	}
}

/* Called by inet_gso_segment() and ipv6_gso_segment() with skb->data at
 * the Homa header; they fix the IP lengths (and IPv4 checksums) of the
 * segments afterwards.
 */
static struct sk_buff *homa_gso_segment(struct sk_buff *skb,
					netdev_features_t features)
{
	struct sk_buff *segs;

	if (skb_shinfo(skb)->gso_type & SKB_GSO_FRAGLIST) {
		segs = skb_segment_list(skb, features,
					skb_mac_header_len(skb));
		if (!IS_ERR(segs))
			homa_chain_copy_ip(segs);
		return segs;
	}
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
	/* Taking the chain apart finds each packet's IP header there. */
	skb_set_network_header(skb, (u8 *)homa_gro_network_header(skb) -
				    skb->data);
	skb_pull(skb, skb_gro_offset(skb));
	/* The head's gso_size (its length from the Homa header on) is what a
	 * forwarding path checks against the next link's MTU: it must cover
	 * the longest packet.
	 */
	skb_shinfo(p)->gso_size = max_t(u32, skb_shinfo(p)->gso_size,
					skb->len);
	if (NAPI_GRO_CB(p)->last == p) {
		skb_shinfo(p)->frag_list = skb;
		this_cpu_inc(homa_gro_chains_held);
	} else {
		NAPI_GRO_CB(p)->last->next = skb;
	}
	NAPI_GRO_CB(p)->last = skb;
	NAPI_GRO_CB(p)->count++;
	p->data_len += skb->len;
	p->len += skb->len;
	p->truesize += skb->truesize;
	NAPI_GRO_CB(skb)->same_flow = 1;
}

/*
 * Whether two packets from the same addresses differ in IP header fields
 * that a forwarding path reads (priority, TTL): a chain is forwarded or
 * classified by its head's header. 6.1's IP layer ends a chain on these
 * itself; 6.12's leaves it to the transport.
 */
static bool homa_gro_ip_differs(struct sk_buff *p, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6 = homa_gro_network_header(p);
	const struct ipv6hdr *ip6b = homa_gro_network_header(skb);
	const struct iphdr *ip4 = (const struct iphdr *)ip6;
	const struct iphdr *ip4b = (const struct iphdr *)ip6b;

	if (ip4->version == 4)
		return ip4->tos != ip4b->tos || ip4->ttl != ip4b->ttl;
	return ip6_tclass(ip6_flowinfo(ip6)) != ip6_tclass(ip6_flowinfo(ip6b)) ||
	       ip6->hop_limit != ip6b->hop_limit;
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
	if (max < 2 || READ_ONCE(homa_gro_closing) || skb_is_gso(skb) ||
	    NAPI_GRO_CB(skb)->flush ||
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
		if (p->len + skb_gro_len(skb) > IP_MAX_MTU ||
		    homa_gro_ip_differs(p, skb))
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
	this_cpu_dec(homa_gro_chains_held);
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
	homa_chain_copy_ip(segs);
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

/* Chains still held, summed over CPUs. */
static int homa_gro_chains_pending(void)
{
	int cpu, n = 0;

	for_each_possible_cpu(cpu)
		n += per_cpu(homa_gro_chains_held, cpu);
	return n;
}

void homa_offload_end(void)
{
	unsigned long end;

	/* A device may hold a chain past its NAPI poll (gro_flush_timeout,
	 * napi_defer_hard_irqs); completing it after the callbacks are gone
	 * would make the IP layer WARN and drop it. Start no more chains and
	 * give the held ones time to go up. A chain that a device drops
	 * without completing it (its NAPI deleted) is never counted down:
	 * hence the bound.
	 */
	WRITE_ONCE(homa_gro_closing, true);
	synchronize_net();
	end = jiffies + msecs_to_jiffies(HOMA_GRO_UNLOAD_WAIT_MS);
	while (homa_gro_chains_pending() && time_before(jiffies, end))
		usleep_range(500, 1000);
	/* Both wait for running callers (synchronize_net()). */
	inet6_del_offload(&homa_offload, IPPROTO_HOMA);
	inet_del_offload(&homa_offload, IPPROTO_HOMA);
}
