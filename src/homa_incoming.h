/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points for packets (and ICMP errors) that IPv4 and IPv6 deliver
 * to Homa.
 */
#ifndef _HOMA_INCOMING_H
#define _HOMA_INCOMING_H

#include <linux/ipv6.h>
#include <linux/skbuff.h>

/**
 * struct homa_skb_cb - What Homa keeps in a received DATA skb's cb while
 * the skb waits in an RPC for its data to be copied out. A packet of one
 * segment is described here; one of several (a GSO packet delivered
 * whole) is walked with homa_wire_seg(), each segment checked again with
 * homa_msgin_seg_fits().
 */
struct homa_skb_cb {
	u32 num_segs;	/* segments in the skb */
	u32 gso_size;	/* bytes per segment when there are several */
	u32 offset;	/* one segment: message offset of its first byte */
	u32 length;	/* one segment: its bytes of data */
	u32 data_offset;	/* one segment: where its data starts */
};

static inline struct homa_skb_cb *homa_skb_cb(struct sk_buff *skb)
{
	return (struct homa_skb_cb *)skb->cb;
}

struct homa_sock;

void homa_resume_buffer_waiters(struct homa_sock *hsk);
int homa_v4_rcv(struct sk_buff *skb);
int homa_v6_rcv(struct sk_buff *skb);
int homa_v4_err(struct sk_buff *skb, u32 info);
int homa_v6_err(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type,
		u8 code, int offset, __be32 info);

#endif /* _HOMA_INCOMING_H */
