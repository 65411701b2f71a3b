/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peers: what a namespace knows about each host it talks to — the route
 * to it, the priority cutoffs it asked us to use, and the acks we owe it.
 */
#ifndef _HOMA_PEER_H
#define _HOMA_PEER_H

#include <linux/in6.h>
#include <linux/spinlock.h>
#include <net/flow.h>

#include "homa_wire.h"

struct homa_net;
struct homa_sock;

/* Buckets in a namespace's peer table; a power of two. */
#define HOMA_PEER_BUCKETS 256

/**
 * struct homa_peer_table - A namespace's peers, by address. Peers live
 * until the namespace goes away (no RPC outlives its socket, and no socket
 * its namespace), so lookups need no reference.
 */
struct homa_peer_table {
	/** @lock: serialises additions. */
	spinlock_t lock;

	/** @buckets: hash chains, read under RCU. */
	struct hlist_head buckets[HOMA_PEER_BUCKETS];
};

/**
 * struct homa_peer - One remote host.
 */
struct homa_peer {
	/** @link: entry in the peer table. */
	struct hlist_node link;

	/** @addr: the host's address; IPv4 as v4-mapped IPv6. */
	struct in6_addr addr;

	/** @lock: protects every field below. */
	spinlock_t lock;

	/** @dst: cached route to the host, or NULL. */
	struct dst_entry *dst;

	/** @flow: the flow @dst was looked up for (holds the source). */
	struct flowi flow;

	/** @cutoffs: the host's unscheduled cutoffs, used when sending to it. */
	u32 cutoffs[HOMA_MAX_PRIORITIES];

	/** @cutoff_version: version of @cutoffs (0 = defaults). */
	u16 cutoff_version;

	/** @cutoffs_sent: jiffies when we last sent the host our cutoffs. */
	unsigned long cutoffs_sent;

	/** @acks: RPCs of the host's servers that we (as client) finished. */
	struct homa_ack acks[HOMA_MAX_ACKS_PER_PKT];

	/** @num_acks: valid entries in @acks. */
	u32 num_acks;
};

void homa_peer_table_init(struct homa_peer_table *table);
void homa_peer_table_destroy(struct homa_peer_table *table);
struct homa_peer *homa_peer_find(struct homa_net *hn,
				 const struct in6_addr *addr);
struct dst_entry *homa_peer_route(struct homa_peer *peer,
				  struct homa_sock *hsk, struct flowi *flow);
bool homa_peer_add_ack(struct homa_peer *peer, u64 client_id, u16 server_port,
		       struct homa_ack *batch);
bool homa_peer_take_ack(struct homa_peer *peer, struct homa_ack *ack);
int homa_peer_live_count(void);

#endif /* _HOMA_PEER_H */
