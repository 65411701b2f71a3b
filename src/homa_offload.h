/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offloads for Homa: software GSO for devices and qdiscs that cannot pass
 * a multi-segment DATA packet on whole, and GRO that chains received
 * packets so that one trip up the stack carries several.
 */
#ifndef _HOMA_OFFLOAD_H
#define _HOMA_OFFLOAD_H

struct sk_buff;

/* Upper bound of the max_gro_skbs sysctl. */
#define HOMA_GRO_MAX_SKBS 64

/* How long unloading waits for devices to pass up the chains they hold. */
#define HOMA_GRO_UNLOAD_WAIT_MS 1000

int homa_offload_init(void);
int homa_gro_split(struct sk_buff *skb, int (*rcv)(struct sk_buff *skb));
void homa_offload_end(void);

#endif /* _HOMA_OFFLOAD_H */
