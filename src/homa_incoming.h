/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points for packets that IPv4 and IPv6 deliver to Homa.
 */
#ifndef _HOMA_INCOMING_H
#define _HOMA_INCOMING_H

#include <linux/skbuff.h>

int homa_v4_rcv(struct sk_buff *skb);
int homa_v6_rcv(struct sk_buff *skb);

#endif /* _HOMA_INCOMING_H */
