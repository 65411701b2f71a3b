// SPDX-License-Identifier: GPL-2.0
/*
 * The peer table: one entry per remote host, created on first contact.
 */
#include <linux/jhash.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "homa_net.h"
#include "homa_peer.h"
#include "homa_prio.h"
#include "homa_sock.h"

static const u32 homa_default_cutoffs[HOMA_MAX_PRIORITIES] =
	HOMA_DEFAULT_CUTOFFS;

/* Peers allocated and not yet freed, checked when the module unloads. */
static atomic_t homa_peers_live = ATOMIC_INIT(0);

int homa_peer_live_count(void)
{
	return atomic_read(&homa_peers_live);
}

static unsigned int homa_peer_slot(const struct in6_addr *addr)
{
	return jhash2((const u32 *)addr, 4, 0) & (HOMA_PEER_BUCKETS - 1);
}

/**
 * homa_peer_table_init() - Prepare an empty peer table.
 * @table: the table.
 */
void homa_peer_table_init(struct homa_peer_table *table)
{
	unsigned int i;

	spin_lock_init(&table->lock);
	for (i = 0; i < HOMA_PEER_BUCKETS; i++)
		INIT_HLIST_HEAD(&table->buckets[i]);
}

static void homa_peer_free(struct homa_peer *peer)
{
	dst_release(peer->dst);
	kfree(peer);
	atomic_dec(&homa_peers_live);
}

static void homa_peer_free_rcu(struct rcu_head *head)
{
	homa_peer_free(container_of(head, struct homa_peer, rcu));
}

/**
 * homa_peer_table_destroy() - Free every peer; the namespace is going away
 * and no socket (so no RPC) is left in it.
 * @table: the table.
 */
void homa_peer_table_destroy(struct homa_peer_table *table)
{
	struct hlist_node *next;
	struct homa_peer *peer;
	unsigned int i;

	for (i = 0; i < HOMA_PEER_BUCKETS; i++) {
		hlist_for_each_entry_safe(peer, next, &table->buckets[i],
					  link) {
			hlist_del(&peer->link);
			homa_peer_free(peer);
		}
	}
	table->count = 0;
}

/* Note a use; written only when the jiffy changed, to spare the line. */
static void homa_peer_touch(struct homa_peer *peer)
{
	unsigned long now = jiffies;

	if (READ_ONCE(peer->last_used) != now)
		WRITE_ONCE(peer->last_used, now);
}

/**
 * homa_peer_find() - Find the peer for an address, creating it if needed.
 * The caller is in an RCU read-side section, which keeps the peer valid;
 * an RPC that keeps it longer takes a reference (homa_peer_hold()).
 * @hn:   the namespace.
 * @addr: the host's address (IPv4 as v4-mapped).
 *
 * Return: the peer, or NULL if memory ran out. Callable from softirq.
 */
struct homa_peer *homa_peer_find(struct homa_net *hn,
				 const struct in6_addr *addr)
{
	struct homa_peer_table *table = &hn->peers;
	struct hlist_head *bucket = &table->buckets[homa_peer_slot(addr)];
	struct homa_peer *peer, *fresh;

	/* A peer whose count dropped to 0 is being collected: skip it. */
	hlist_for_each_entry_rcu(peer, bucket, link) {
		if (ipv6_addr_equal(&peer->addr, addr) &&
		    refcount_read(&peer->refs)) {
			homa_peer_touch(peer);
			return peer;
		}
	}

	fresh = kzalloc(sizeof(*fresh), GFP_ATOMIC);
	if (!fresh)
		return NULL;
	atomic_inc(&homa_peers_live);
	fresh->addr = *addr;
	refcount_set(&fresh->refs, 1);
	fresh->last_used = jiffies;
	spin_lock_init(&fresh->lock);
	memcpy(fresh->cutoffs, homa_default_cutoffs, sizeof(fresh->cutoffs));
	fresh->cutoffs_sent = jiffies - HZ;

	/* Another CPU may have added the same peer meanwhile; under the
	 * lock, every listed peer is live.
	 */
	spin_lock_bh(&table->lock);
	hlist_for_each_entry(peer, bucket, link) {
		if (ipv6_addr_equal(&peer->addr, addr)) {
			spin_unlock_bh(&table->lock);
			homa_peer_free(fresh);
			return peer;
		}
	}
	hlist_add_head_rcu(&fresh->link, bucket);
	table->count++;
	spin_unlock_bh(&table->lock);
	return fresh;
}

/**
 * homa_peer_gc() - Collect idle peers that no RPC uses: those idle for
 * @idle_secs_max, and, while the table holds more than @threshold peers,
 * those idle for @idle_secs_min. Process context.
 * @table:         the table.
 * @threshold:     peers the table may hold before early collection.
 * @idle_secs_min: idle seconds before a peer may be collected.
 * @idle_secs_max: idle seconds after which an unused peer is collected.
 *
 * Return: the number of peers collected.
 */
u32 homa_peer_gc(struct homa_peer_table *table, u32 threshold,
		 u32 idle_secs_min, u32 idle_secs_max)
{
	unsigned long now = jiffies, idle;
	struct hlist_node *next;
	struct homa_peer *peer;
	u32 collected = 0;
	unsigned int i;

	spin_lock_bh(&table->lock);
	for (i = 0; i < HOMA_PEER_BUCKETS; i++) {
		hlist_for_each_entry_safe(peer, next, &table->buckets[i],
					  link) {
			idle = now - READ_ONCE(peer->last_used);
			if (idle < (unsigned long)idle_secs_min * HZ)
				continue;
			if (table->count <= threshold &&
			    idle < (unsigned long)idle_secs_max * HZ)
				continue;
			/* Only the table's reference: no RPC uses it, and
			 * none can take one once the count is 0.
			 */
			if (!refcount_dec_if_one(&peer->refs))
				continue;
			hlist_del_rcu(&peer->link);
			table->count--;
			call_rcu(&peer->rcu, homa_peer_free_rcu);
			collected++;
		}
	}
	spin_unlock_bh(&table->lock);
	return collected;
}

/* Look up a route to @peer; fills @flow. Returns a held dst or an ERR_PTR. */
static struct dst_entry *homa_peer_lookup_route(struct homa_peer *peer,
						struct homa_sock *hsk,
						struct flowi *flow)
{
	struct sock *sk = &hsk->inet.sk;
	struct net *net = sock_net(sk);
	struct rtable *rt;

	memset(flow, 0, sizeof(*flow));
	if (ipv6_addr_v4mapped(&peer->addr)) {
		struct flowi4 *fl4 = &flow->u.ip4;

		flowi4_init_output(fl4, sk->sk_bound_dev_if, sk->sk_mark, 0,
				   RT_SCOPE_UNIVERSE, IPPROTO_HOMA, 0,
				   peer->addr.s6_addr32[3], 0, 0, 0,
				   sk->sk_uid);
		rt = ip_route_output_flow(net, fl4, sk);
		if (IS_ERR(rt))
			return ERR_CAST(rt);
		return &rt->dst;
	}
	flow->u.ip6.daddr = peer->addr;
	flow->u.ip6.flowi6_proto = IPPROTO_HOMA;
	flow->u.ip6.flowi6_oif = sk->sk_bound_dev_if;
	flow->u.ip6.flowi6_mark = sk->sk_mark;
	flow->u.ip6.flowi6_uid = sk->sk_uid;
	return ip6_dst_lookup_flow(net, sk, &flow->u.ip6, NULL);
}

/**
 * homa_peer_route() - Get a route to a peer, from the cache when it is
 * still valid.
 * @peer: the peer.
 * @hsk:  socket on whose behalf the packet goes out.
 * @flow: (out) the flow of the route (addresses for the IP header).
 *
 * Return: a dst with a reference held for the caller, or an ERR_PTR.
 */
struct dst_entry *homa_peer_route(struct homa_peer *peer,
				  struct homa_sock *hsk, struct flowi *flow)
{
	struct dst_entry *dst, *old;

	spin_lock_bh(&peer->lock);
	dst = peer->dst;
	if (dst && (!dst->obsolete || dst_check(dst, peer->dst_cookie))) {
		dst_hold(dst);
		*flow = peer->flow;
		spin_unlock_bh(&peer->lock);
		return dst;
	}
	spin_unlock_bh(&peer->lock);

	dst = homa_peer_lookup_route(peer, hsk, flow);
	if (IS_ERR(dst))
		return dst;
	spin_lock_bh(&peer->lock);
	old = peer->dst;
	dst_hold(dst);
	peer->dst = dst;
	peer->flow = *flow;
	peer->dst_cookie = ipv6_addr_v4mapped(&peer->addr) ? 0 :
			   rt6_get_cookie(dst_rt6_info(dst));
	spin_unlock_bh(&peer->lock);
	dst_release(old);
	return dst;
}

/**
 * homa_peer_add_ack() - Remember that a client RPC to this peer is done,
 * so that the peer's server can free it.
 * @peer:        the server's host.
 * @client_id:   our id of the RPC.
 * @server_port: the server's port.
 * @batch:       (out) when the queue is full, its HOMA_MAX_ACKS_PER_PKT
 *               entries, which the caller must send in an ACK packet.
 *
 * Return: true if @batch was filled.
 */
bool homa_peer_add_ack(struct homa_peer *peer, u64 client_id, u16 server_port,
		       struct homa_ack *batch)
{
	bool full = false;

	spin_lock_bh(&peer->lock);
	if (peer->num_acks == HOMA_MAX_ACKS_PER_PKT) {
		memcpy(batch, peer->acks, sizeof(peer->acks));
		peer->num_acks = 0;
		full = true;
	}
	peer->acks[peer->num_acks].client_id = cpu_to_be64(client_id);
	peer->acks[peer->num_acks].server_port = htons(server_port);
	peer->num_acks++;
	spin_unlock_bh(&peer->lock);
	return full;
}

/**
 * homa_peer_take_ack() - Take one queued ack to piggy-back on a packet.
 * @peer: the peer the packet goes to.
 * @ack:  (out) the ack.
 *
 * Return: false if none was queued.
 */
bool homa_peer_take_ack(struct homa_peer *peer, struct homa_ack *ack)
{
	bool found = false;

	if (!READ_ONCE(peer->num_acks))
		return false;
	spin_lock_bh(&peer->lock);
	if (peer->num_acks) {
		peer->num_acks--;
		*ack = peer->acks[peer->num_acks];
		found = true;
	}
	spin_unlock_bh(&peer->lock);
	return found;
}

/**
 * homa_peer_remember_done() - Note that a request from the peer was
 * executed and its server RPC has ended.
 * @peer: the client's host.
 * @id:   our (server) id of the RPC.
 */
void homa_peer_remember_done(struct homa_peer *peer, u64 id)
{
	spin_lock_bh(&peer->lock);
	peer->done_ids[peer->next_done] = id;
	peer->next_done = (peer->next_done + 1) % HOMA_PEER_DONE_IDS;
	spin_unlock_bh(&peer->lock);
}

/**
 * homa_peer_was_done() - Whether a request id is one of the peer's
 * recently finished ones.
 * @peer: the client's host.
 * @id:   our (server) id of the RPC.
 *
 * Return: true if a new RPC with this id would execute a request again.
 */
bool homa_peer_was_done(struct homa_peer *peer, u64 id)
{
	bool found = false;
	u32 i;

	spin_lock_bh(&peer->lock);
	for (i = 0; i < HOMA_PEER_DONE_IDS && !found; i++)
		found = peer->done_ids[i] == id;
	spin_unlock_bh(&peer->lock);
	return found;
}
