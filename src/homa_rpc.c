// SPDX-License-Identifier: GPL-2.0
/*
 * RPC lifetime: creation, lookup by the packet path, ending, and freeing
 * once the last reference is gone. See doc/design.md for the locking.
 */
#include <linux/jhash.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "homa_grantor.h"
#include "homa_incoming.h"
#include "homa_net.h"
#include "homa_outgoing.h"
#include "homa_pacer.h"
#include "homa_peer.h"
#include "homa_rpc.h"
#include "homa_sock.h"

/* RPCs allocated and not yet freed, checked when the module unloads. */
static atomic_t homa_rpcs_live = ATOMIC_INIT(0);

int homa_rpc_live_count(void)
{
	return atomic_read(&homa_rpcs_live);
}

static unsigned int homa_client_slot(u64 id)
{
	return hash_64(id, 32) & (HOMA_RPC_BUCKETS - 1);
}

static unsigned int homa_server_slot(const struct in6_addr *addr, u64 id)
{
	return jhash_3words((__force u32)addr->s6_addr32[3],
			    (__force u32)addr->s6_addr32[2],
			    (u32)id ^ (u32)(id >> 32), 0) &
	       (HOMA_RPC_BUCKETS - 1);
}

static struct homa_rpc *homa_rpc_alloc(struct homa_sock *hsk,
				       struct homa_peer *peer, u16 dport)
{
	struct homa_rpc *rpc;

	/* The caller found the peer under RCU; it may be being collected. */
	if (!homa_peer_hold(peer))
		return NULL;
	rpc = kzalloc(sizeof(*rpc), GFP_ATOMIC);
	if (!rpc) {
		homa_peer_put(peer);
		return NULL;
	}
	atomic_inc(&homa_rpcs_live);
	spin_lock_init(&rpc->lock);
	refcount_set(&rpc->refs, 2);	/* the tables' and the caller's */
	rpc->hsk = hsk;
	rpc->peer = peer;
	rpc->dport = dport;
	rpc->msgout.length = -1;
	rpc->msgin.length = -1;
	skb_queue_head_init(&rpc->msgin.packets);
	INIT_LIST_HEAD(&rpc->msgin.grant_link);
	INIT_LIST_HEAD(&rpc->msgout.throttled_link);
	INIT_LIST_HEAD(&rpc->ready_link);
	INIT_LIST_HEAD(&rpc->buf_link);
	INIT_LIST_HEAD(&rpc->copy_link);
	sock_hold(&hsk->inet.sk);
	return rpc;
}

/* Undo homa_rpc_alloc() for an RPC that never became visible. */
static void homa_rpc_discard(struct homa_rpc *rpc)
{
	homa_peer_put(rpc->peer);
	sock_put(&rpc->hsk->inet.sk);
	kfree(rpc);
	atomic_dec(&homa_rpcs_live);
}

/* Add a new RPC to the socket's lists; the caller holds hsk->lock. */
static void homa_rpc_link_locked(struct homa_rpc *rpc, struct hlist_head *bucket)
{
	hlist_add_head_rcu(&rpc->hash_link, bucket);
	list_add_tail(&rpc->active_link, &rpc->hsk->active_rpcs);
	rpc->hsk->num_rpcs++;
}

/**
 * homa_rpc_new_client() - Create a client RPC, live and findable.
 * @hsk:   the socket.
 * @peer:  the server's host.
 * @dport: the server's port.
 *
 * Return: the RPC with a reference for the caller, or an ERR_PTR
 * (-ENOMEM, or -ESHUTDOWN if the socket is shut down).
 */
struct homa_rpc *homa_rpc_new_client(struct homa_sock *hsk,
				     struct homa_peer *peer, u16 dport)
{
	struct homa_rpc *rpc = homa_rpc_alloc(hsk, peer, dport);

	if (!rpc)
		return ERR_PTR(-ENOMEM);
	rpc->state = HOMA_RPC_OUTGOING;
	spin_lock_bh(&hsk->lock);
	if (hsk->shutdown) {
		spin_unlock_bh(&hsk->lock);
		homa_rpc_discard(rpc);
		return ERR_PTR(-ESHUTDOWN);
	}
	rpc->id = atomic64_add_return(2, &homa_sock_net(hsk)->next_client_id);
	homa_rpc_link_locked(rpc, &hsk->client_rpcs[homa_client_slot(rpc->id)]);
	spin_unlock_bh(&hsk->lock);
	return rpc;
}

/**
 * homa_rpc_new_server() - Find a server RPC, or create it for the first
 * packet of a request. Softirq context.
 * @hsk:     the socket.
 * @peer:    the client's host.
 * @dport:   the client's port.
 * @id:      our id of the RPC (the client's id + 1).
 * @created: (out) whether the RPC is new.
 *
 * Return: the RPC with a reference for the caller, or an ERR_PTR.
 */
struct homa_rpc *homa_rpc_new_server(struct homa_sock *hsk,
				     struct homa_peer *peer, u16 dport,
				     u64 id, bool *created)
{
	struct hlist_head *bucket =
		&hsk->server_rpcs[homa_server_slot(&peer->addr, id)];
	struct homa_rpc *rpc, *fresh;

	*created = false;
	rpc = homa_rpc_find_server(hsk, &peer->addr, id);
	if (rpc)
		return rpc;
	/* homa_rpc_end() notes finished requests before unhashing them. */
	if (homa_peer_was_done(peer, id))
		return ERR_PTR(-EALREADY);
	fresh = homa_rpc_alloc(hsk, peer, dport);
	if (!fresh)
		return ERR_PTR(-ENOMEM);
	fresh->id = id;
	fresh->state = HOMA_RPC_INCOMING;

	spin_lock_bh(&hsk->lock);
	if (hsk->shutdown) {
		rpc = ERR_PTR(-ESHUTDOWN);
		goto discard;
	}
	/* Another CPU may have created it since the lookup. */
	hlist_for_each_entry(rpc, bucket, hash_link) {
		if (rpc->id == id && rpc->peer == peer &&
		    refcount_inc_not_zero(&rpc->refs))
			goto discard;
	}
	homa_rpc_link_locked(fresh, bucket);
	spin_unlock_bh(&hsk->lock);
	*created = true;
	return fresh;

discard:
	spin_unlock_bh(&hsk->lock);
	homa_rpc_discard(fresh);
	return rpc;
}

/**
 * homa_rpc_find_client() - Find a live client RPC by id.
 * @hsk: the socket.
 * @id:  the id.
 *
 * Return: the RPC with a reference for the caller, or NULL.
 */
struct homa_rpc *homa_rpc_find_client(struct homa_sock *hsk, u64 id)
{
	struct homa_rpc *rpc;

	rcu_read_lock();
	hlist_for_each_entry_rcu(rpc, &hsk->client_rpcs[homa_client_slot(id)],
				 hash_link) {
		if (rpc->id == id && refcount_inc_not_zero(&rpc->refs)) {
			rcu_read_unlock();
			return rpc;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/**
 * homa_rpc_find_server() - Find a live server RPC. Client ids are unique
 * per client host (see homa_net.next_client_id), so the client's address
 * and the id name the RPC.
 * @hsk:  the socket.
 * @addr: the client's address.
 * @id:   our id of the RPC.
 *
 * Return: the RPC with a reference for the caller, or NULL.
 */
struct homa_rpc *homa_rpc_find_server(struct homa_sock *hsk,
				      const struct in6_addr *addr, u64 id)
{
	struct homa_rpc *rpc;

	rcu_read_lock();
	hlist_for_each_entry_rcu(rpc,
				 &hsk->server_rpcs[homa_server_slot(addr, id)],
				 hash_link) {
		if (rpc->id == id && ipv6_addr_equal(&rpc->peer->addr, addr) &&
		    refcount_inc_not_zero(&rpc->refs)) {
			rcu_read_unlock();
			return rpc;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/**
 * homa_rpc_end() - End an RPC: nobody finds it any more, and it is freed
 * when the last reference goes. The caller holds rpc->lock and a
 * reference. Idempotent.
 * @rpc: the RPC.
 */
void homa_rpc_end(struct homa_rpc *rpc)
{
	struct homa_grantor *g = &homa_sock_net(rpc->hsk)->grantor;
	struct homa_msgin *in = &rpc->msgin;
	struct homa_sock *hsk = rpc->hsk;

	if (rpc->state == HOMA_RPC_DEAD)
		return;
	/* Once unhashed, a late copy of an executed request would create
	 * a new RPC and run it again: remember it was done.
	 */
	if (!homa_rpc_is_client(rpc) &&
	    (rpc->state != HOMA_RPC_INCOMING ||
	     (in->length >= 0 && in->received >= in->length)))
		homa_peer_remember_done(rpc->peer, rpc->id);
	rpc->state = HOMA_RPC_DEAD;
	/* An unscheduled message that will never complete: its missing
	 * bytes are no longer expected (scheduled ones leave with their
	 * grantor entry).
	 */
	if (in->length >= 0 && !in->buf_wait && list_empty(&in->grant_link))
		atomic64_sub(in->length - in->received, &g->unsched_incoming);
	homa_grantor_remove(g, rpc);
	homa_pacer_remove(rpc);
	spin_lock_bh(&hsk->lock);
	hlist_del_rcu(&rpc->hash_link);
	list_del(&rpc->active_link);
	hsk->num_rpcs--;
	list_del_init(&rpc->ready_link);
	list_del_init(&rpc->buf_link);
	list_del_init(&rpc->copy_link);
	rpc->flags &= ~HOMA_RPC_F_READY;
	spin_unlock_bh(&hsk->lock);
	/* A thread may wait for this client RPC by id: let it see the end. */
	if (homa_rpc_is_client(rpc))
		hsk->inet.sk.sk_data_ready(&hsk->inet.sk);
	/* The tables' reference; the caller's keeps the RPC alive. */
	refcount_dec(&rpc->refs);
}

/**
 * homa_rpc_end_locking() - homa_rpc_end() for a caller that holds a
 * reference but not the RPC's lock.
 * @rpc: the RPC.
 */
void homa_rpc_end_locking(struct homa_rpc *rpc)
{
	spin_lock_bh(&rpc->lock);
	homa_rpc_end(rpc);
	spin_unlock_bh(&rpc->lock);
}

/**
 * homa_rpc_ready() - Make an RPC's message (or error) available to
 * recvmsg and wake waiting threads. The caller holds rpc->lock.
 * @rpc: the RPC.
 */
void homa_rpc_ready(struct homa_rpc *rpc)
{
	struct homa_sock *hsk = rpc->hsk;

	spin_lock_bh(&hsk->lock);
	list_del_init(&rpc->copy_link);
	if (!(rpc->flags & (HOMA_RPC_F_READY | HOMA_RPC_F_TAKEN))) {
		rpc->flags |= HOMA_RPC_F_READY;
		if (!(rpc->flags & HOMA_RPC_F_PRIVATE))
			list_add_tail(&rpc->ready_link, &hsk->ready_rpcs);
	}
	spin_unlock_bh(&hsk->lock);
	/* Waiters check under hsk->lock: a wake-up cannot be lost. */
	hsk->inet.sk.sk_data_ready(&hsk->inet.sk);
}

/**
 * homa_rpc_fail() - Complete a client RPC with an error for the
 * application. The caller holds rpc->lock.
 * @rpc:   the RPC.
 * @error: positive errno.
 */
void homa_rpc_fail(struct homa_rpc *rpc, int error)
{
	if (rpc->state == HOMA_RPC_DEAD || rpc->error)
		return;
	rpc->error = error;
	homa_rpc_ready(rpc);
}

static void homa_rpc_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct homa_rpc, rcu));
	atomic_dec(&homa_rpcs_live);
}

/* Release everything an ended RPC holds. Called without any lock. */
static void homa_rpc_free(struct homa_rpc *rpc)
{
	struct homa_sock *hsk = rpc->hsk;

	homa_msgout_release(rpc);
	skb_queue_purge(&rpc->msgin.packets);
	/* Chunks handed to the application are its to give back. */
	if (rpc->msgin.num_bpages) {
		homa_rcvbuf_release(&hsk->rcvbuf, rpc->msgin.num_bpages,
				    rpc->msgin.bpage_offsets);
		homa_resume_buffer_waiters(hsk);
	}
	/* Readers that found the RPC under RCU may still look at its
	 * peer: a collected peer is freed only after a grace period too.
	 */
	homa_peer_put(rpc->peer);
	call_rcu(&rpc->rcu, homa_rpc_free_rcu);
	sock_put(&hsk->inet.sk);
}

/**
 * homa_rpc_put() - Drop a reference; frees the RPC after the last. Never
 * call it under a lock that the free path takes (rpc, socket, rcvbuf).
 * @rpc: the RPC.
 */
void homa_rpc_put(struct homa_rpc *rpc)
{
	if (refcount_dec_and_test(&rpc->refs))
		homa_rpc_free(rpc);
}

static bool homa_rpc_matches(const struct homa_rpc *rpc,
			     const struct homa_rpc_filter *f)
{
	if (f->clients_only && !homa_rpc_is_client(rpc))
		return false;
	if (f->servers_only && homa_rpc_is_client(rpc))
		return false;
	if (f->id && rpc->id != f->id)
		return false;
	if (f->addr && !ipv6_addr_equal(&rpc->peer->addr, f->addr))
		return false;
	return !f->port || rpc->dport == f->port;
}

/**
 * homa_rpc_abort() - End the RPCs of a socket that match a filter, or
 * complete them with an error for the application.
 * @hsk:   the socket.
 * @f:     which RPCs.
 * @error: positive errno to complete them with, 0 to end them silently.
 *
 * Return: how many RPCs were affected.
 */
int homa_rpc_abort(struct homa_sock *hsk, const struct homa_rpc_filter *f,
		   int error)
{
	struct homa_rpc *rpc, *victim;
	int count = 0;

	/* RPC locks come before the socket lock: pick one RPC at a time. */
	for (;;) {
		victim = NULL;
		spin_lock_bh(&hsk->lock);
		list_for_each_entry(rpc, &hsk->active_rpcs, active_link) {
			if (!homa_rpc_matches(rpc, f) || (error && rpc->error))
				continue;
			if (refcount_inc_not_zero(&rpc->refs)) {
				victim = rpc;
				break;
			}
		}
		spin_unlock_bh(&hsk->lock);
		if (!victim)
			return count;
		spin_lock_bh(&victim->lock);
		if (error)
			homa_rpc_fail(victim, error);
		else
			homa_rpc_end(victim);
		spin_unlock_bh(&victim->lock);
		homa_rpc_put(victim);
		count++;
	}
}
