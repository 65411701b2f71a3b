/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RPCs: one request and its response, seen from one end. A client RPC
 * sends the request and receives the response; a server RPC receives the
 * request, waits in service for the application, then sends the response.
 */
#ifndef _HOMA_RPC_H
#define _HOMA_RPC_H

#include <linux/homa.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

#include "homa_gaps.h"
#include "homa_wire.h"

struct homa_peer;
struct homa_sock;

enum homa_rpc_state {
	HOMA_RPC_OUTGOING,	/* sending our message */
	HOMA_RPC_INCOMING,	/* receiving the peer's message */
	HOMA_RPC_IN_SERVICE,	/* server: request delivered, no response yet */
	HOMA_RPC_DEAD,		/* ended; waits for its last reference */
};

/* Values for homa_rpc.flags (changed under the socket lock). */
#define HOMA_RPC_F_PRIVATE	1	/* response only by explicit id */
#define HOMA_RPC_F_READY	2	/* complete (or failed), not yet taken */
#define HOMA_RPC_F_TAKEN	4	/* a recvmsg is delivering it */

/**
 * struct homa_out_pkt - One DATA packet of an outgoing message, kept
 * until the RPC ends so that it can be sent again.
 */
struct homa_out_pkt {
	struct sk_buff *skb;	/* Homa header + payload; never sent itself */
	u32 offset;		/* message offset of the first payload byte */
	u32 length;		/* payload bytes */
};

/**
 * struct homa_msgout - The message an RPC sends.
 */
struct homa_msgout {
	/** @length: bytes in the message, or -1 before there is one. */
	s32 length;

	/** @pkts: the message's packets, in offset order. */
	struct homa_out_pkt *pkts;

	/** @num_pkts: entries in @pkts. */
	u32 num_pkts;

	/** @next_pkt: index of the first packet not yet transmitted. */
	u32 next_pkt;

	/** @sent: bytes transmitted so far (offset of @next_pkt). */
	u32 sent;

	/** @unscheduled: bytes sent without waiting for grants. */
	u32 unscheduled;

	/** @granted: bytes the receiver lets us send. */
	u32 granted;

	/** @unsched_prio: priority of the unscheduled bytes. */
	u8 unsched_prio;

	/** @sched_prio: priority of granted bytes, from the latest GRANT. */
	u8 sched_prio;

	/** @cutoff_version: version of the cutoffs @unsched_prio came from. */
	u16 cutoff_version;

	/** @building: sendmsg is still adding packets after @num_pkts;
	 * those already there may be sent.
	 */
	bool building;

	/**
	 * @throttled_link: entry in the pacer's list while the pacer holds
	 * the message back (empty otherwise; under the pacer's lock).
	 */
	struct list_head throttled_link;

	/** @throttle_birth: when it joined that list (the pacer's order). */
	u64 throttle_birth;
};

/**
 * struct homa_msgin - The message an RPC receives.
 */
struct homa_msgin {
	/** @length: bytes in the message, or -1 before its first packet. */
	s32 length;

	/** @received: bytes received so far, each counted once. */
	u32 received;

	/** @granted: bytes the sender may send (unscheduled + granted). */
	u32 granted;

	/** @gaps: which bytes have arrived. */
	struct homa_gaps gaps;

	/** @packets: received DATA packets not yet copied to user space. */
	struct sk_buff_head packets;

	/** @num_bpages: buffer chunks holding the message; 0 = none yet. */
	u32 num_bpages;

	/** @bpage_offsets: offsets of those chunks in the buffer region. */
	u32 bpage_offsets[HOMA_MAX_BPAGES];

	/** @buf_wait: the buffer region had no room for the message: its
	 * data is dropped until homa_resume_buffer_waiters() finds room.
	 */
	bool buf_wait;

	/** @queued: new message bytes queued in @packets since a thread
	 * last took them (homa_copy_early()).
	 */
	u32 queued;

	/** @copy_listed: the RPC is on the socket's copy_rpcs list, or a
	 * thread has just taken it off (homa_copy_early()).
	 */
	bool copy_listed;

	/** @copying: a thread copies packets it took from @packets; the
	 * thread that delivers the message waits until it is done.
	 */
	bool copying;

	/** @birth: arrival order, for grant ties and the FIFO share. */
	u64 birth;

	/** @grant_link: entry in the namespace's list of messages that
	 * need grants (homa_grantor.c); empty when not on it.
	 */
	struct list_head grant_link;
};

/*
 * Whether @length bytes at message offset @offset fit an incoming message
 * whose length is known.
 */
static inline bool homa_msgin_seg_fits(const struct homa_msgin *in,
				       u32 offset, u32 length)
{
	u32 total = in->length;

	return length > 0 && offset < total && length <= total - offset;
}

/**
 * struct homa_rpc - One RPC. Locking: doc/design.md.
 */
struct homa_rpc {
	/** @lock: protects the state and both messages. */
	spinlock_t lock;

	/** @refs: references; the RPC tables hold one while it is live. */
	refcount_t refs;

	/** @hsk: the socket; the RPC holds a reference to it. */
	struct homa_sock *hsk;

	/** @peer: the host at the other end. */
	struct homa_peer *peer;

	/** @dport: the port at the other end. */
	u16 dport;

	/** @id: our id of the RPC: even for clients, odd for servers. */
	u64 id;

	/** @completion_cookie: given by the client application. */
	u64 completion_cookie;

	/** @state: see enum homa_rpc_state. */
	enum homa_rpc_state state;

	/** @error: errno to report to the application, or 0. */
	int error;

	/** @flags: HOMA_RPC_F_* values, under the socket lock. */
	u32 flags;

	/** @silent_ticks: timer ticks since the peer was last heard. */
	u32 silent_ticks;

	/** @done_ticks: server: ticks since the response was fully sent. */
	u32 done_ticks;

	/** @hash_link: entry in the socket's client or server RPC table. */
	struct hlist_node hash_link;

	/** @active_link: entry in the socket's list of live RPCs. */
	struct list_head active_link;

	/** @ready_link: entry in the socket's list of ready messages. */
	struct list_head ready_link;

	/** @buf_link: entry in the socket's list of messages waiting for
	 * buffer space.
	 */
	struct list_head buf_link;

	/** @copy_link: entry in the socket's list of incomplete messages
	 * with packets to copy to user space.
	 */
	struct list_head copy_link;

	/** @msgout: the message we send. */
	struct homa_msgout msgout;

	/** @msgin: the message we receive. */
	struct homa_msgin msgin;

	/** @rcu: for freeing after lockless readers are done. */
	struct rcu_head rcu;
};

static inline bool homa_rpc_is_client(const struct homa_rpc *rpc)
{
	return !(rpc->id & 1);
}

struct homa_rpc *homa_rpc_new_client(struct homa_sock *hsk,
				     struct homa_peer *peer, u16 dport);
struct homa_rpc *homa_rpc_new_server(struct homa_sock *hsk,
				     struct homa_peer *peer, u16 dport,
				     u64 id, bool *created);
struct homa_rpc *homa_rpc_find_client(struct homa_sock *hsk, u64 id);
struct homa_rpc *homa_rpc_find_server(struct homa_sock *hsk,
				      const struct in6_addr *addr, u64 id);
void homa_rpc_end(struct homa_rpc *rpc);
void homa_rpc_end_locking(struct homa_rpc *rpc);
void homa_rpc_fail(struct homa_rpc *rpc, int error);
void homa_rpc_put(struct homa_rpc *rpc);
int homa_rpc_live_count(void);
void homa_rpc_ready(struct homa_rpc *rpc);
/**
 * struct homa_rpc_filter - Selects RPCs of a socket; 0/NULL fields match
 * everything.
 */
struct homa_rpc_filter {
	bool clients_only;		/* only client RPCs */
	bool servers_only;		/* only server RPCs */
	u64 id;				/* only this id */
	const struct in6_addr *addr;	/* only RPCs with this peer */
	u16 port;			/* only RPCs with this peer port */
};

int homa_rpc_abort(struct homa_sock *hsk, const struct homa_rpc_filter *f,
		   int error);

#endif /* _HOMA_RPC_H */
