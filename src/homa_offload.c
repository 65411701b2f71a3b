// SPDX-License-Identifier: GPL-2.0
/*
 * Software GSO for Homa DATA packets. A multi-segment packet (see
 * homa_data_skb()) carries one DATA header whose first HOMA_GSO_HDR_LEN
 * bytes every segment shares; the rest of the packet is a run of
 * gso_size-byte segments, each a struct homa_seg_hdr and its data. A NIC
 * with TSO cuts it as if it were TCP (the header has TCP's layout, with
 * doff covering the shared part). Where the stack must cut it itself (a
 * device without TSO, a qdisc such as tbf that splits GSO packets), the
 * IP layer calls homa_gso_segment(), which does the same: every segment
 * becomes a complete DATA packet.
 */
#include <linux/skbuff.h>
#include <net/protocol.h>
#include <linux/homa.h>

#include "homa_offload.h"
#include "homa_wire.h"

/* Called by inet_gso_segment() and ipv6_gso_segment() with skb->data at
 * the Homa header; they fix the IP headers of the segments afterwards.
 */
static struct sk_buff *homa_gso_segment(struct sk_buff *skb,
					netdev_features_t features)
{
	if (!pskb_may_pull(skb, HOMA_GSO_HDR_LEN))
		return ERR_PTR(-EINVAL);
	/* skb_segment() copies everything before skb->data into each
	 * segment: the IP header and the shared part of the DATA header.
	 */
	__skb_pull(skb, HOMA_GSO_HDR_LEN);
	return skb_segment(skb, features);
}

static const struct net_offload homa_offload = {
	.callbacks = {
		.gso_segment = homa_gso_segment,
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
