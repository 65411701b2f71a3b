// SPDX-License-Identifier: GPL-2.0
/*
 * Packet reception: validate each packet's header, find the socket that
 * owns its destination port and refuse requests nobody serves.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/icmp.h>
#include <net/ip.h>

#include "homa_incoming.h"
#include "homa_net.h"
#include "homa_sock.h"
#include "homa_wire.h"

/*
 * Whether a packet starts a request: requests travel in DATA packets
 * whose sender is the client, and client ids are even.
 */
static bool homa_is_request(const struct homa_common_hdr *h)
{
	return h->type == HOMA_DATA && !(be64_to_cpu(h->sender_id) & 1);
}

/*
 * Deliver one packet. Returns true when no socket serves a request sent
 * to the packet's port, so the caller must tell the sender with ICMP.
 */
static bool homa_rcv(struct sk_buff *skb)
{
	unsigned int avail = min_t(unsigned int, skb->len, HOMA_MAX_HEADER);
	const struct homa_common_hdr *h;
	struct homa_sock *hsk;
	bool unserved;

	if (!pskb_may_pull(skb, avail) ||
	    homa_wire_check(skb->data, avail) != HOMA_WIRE_OK)
		return false;
	h = (const struct homa_common_hdr *)skb->data;
	hsk = homa_port_find(&homa_net(dev_net(skb->dev))->ports,
			     ntohs(h->dport));
	unserved = homa_is_request(h) &&
		   (!hsk || !READ_ONCE(hsk->is_server) ||
		    READ_ONCE(hsk->shutdown));
	if (hsk)
		sock_put(&hsk->inet.sk);
	return unserved;
}

int homa_v4_rcv(struct sk_buff *skb)
{
	if (homa_rcv(skb))
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	kfree_skb(skb);
	return 0;
}

int homa_v6_rcv(struct sk_buff *skb)
{
	if (homa_rcv(skb))
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
	kfree_skb(skb);
	return 0;
}
