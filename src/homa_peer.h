/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peers: what a namespace knows about each host it talks to — the route
 * to it, the priority cutoffs it asked us to use, and the acks we owe it.
 */
#ifndef _HOMA_PEER_H
#define _HOMA_PEER_H

#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <net/flow.h>

#include "homa_wire.h"

struct homa_net;
struct homa_sock;

/* Buckets in a namespace's peer table; a power of two. */
#define HOMA_PEER_BUCKETS 256

/* Finished request ids remembered per peer (see homa_peer.done_ids). */
#define HOMA_PEER_DONE_IDS 32

/**
 * struct homa_peer_table - A namespace's peers, by address. The table
 * holds a reference to each peer and every RPC one more; idle peers that
 * no RPC uses are collected (homa_peer_gc()) and freed after an RCU grace
 * period, so a peer found under rcu_read_lock() stays valid until
 * rcu_read_unlock().
 */
struct homa_peer_table {
	/** @lock: serialises additions and removals. */
	spinlock_t lock;

	/** @count: peers in the table. */
	u32 count;

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

	/** @refs: the table's reference plus one per RPC. */
	refcount_t refs;

	/** @last_used: jiffies when a packet or RPC last looked it up. */
	unsigned long last_used;

	/** @rcu: for freeing after a grace period. */
	struct rcu_head rcu;

	/** @lock: protects every field below. */
	spinlock_t lock;

	/** @dst: cached route to the host, or NULL. */
	struct dst_entry *dst;

	/** @flow: the flow @dst was looked up for (holds the source). */
	struct flowi flow;

	/** @dst_cookie: what dst_check() needs to validate @dst (IPv6). */
	u32 dst_cookie;

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

	/**
	 * @done_ids: ids of the host's requests that our servers executed
	 * and whose RPCs have ended, most recent last (a ring; 0 = empty).
	 * A late copy of such a request (sent before the client restarted
	 * it) must not create an RPC that executes it again.
	 */
	u64 done_ids[HOMA_PEER_DONE_IDS];

	/** @next_done: where the next id goes in @done_ids. */
	u32 next_done;
};

void homa_peer_table_init(struct homa_peer_table *table);
void homa_peer_table_destroy(struct homa_peer_table *table);
struct homa_peer *homa_peer_find(struct homa_net *hn,
				 const struct in6_addr *addr);
u32 homa_peer_gc(struct homa_peer_table *table, u32 threshold,
		 u32 idle_secs_min, u32 idle_secs_max);

/* A reference for an RPC; fails for a peer being collected. */
static inline bool homa_peer_hold(struct homa_peer *peer)
{
	return refcount_inc_not_zero(&peer->refs);
}

/* Drop an RPC's reference (the table's keeps the peer). */
static inline void homa_peer_put(struct homa_peer *peer)
{
	refcount_dec(&peer->refs);
}

struct dst_entry *homa_peer_route(struct homa_peer *peer,
				  struct homa_sock *hsk, struct flowi *flow);
bool homa_peer_add_ack(struct homa_peer *peer, u64 client_id, u16 server_port,
		       struct homa_ack *batch);
bool homa_peer_take_ack(struct homa_peer *peer, struct homa_ack *ack);
void homa_peer_remember_done(struct homa_peer *peer, u64 id);
bool homa_peer_was_done(struct homa_peer *peer, u64 id);
int homa_peer_live_count(void);

#endif /* _HOMA_PEER_H */
