/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The grantor: per namespace, the incoming messages that are larger than
 * their unscheduled bytes, and the machinery that runs the grant
 * decisions (homa_grant.c) and sends GRANT packets.
 */
#ifndef _HOMA_GRANTOR_H
#define _HOMA_GRANTOR_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#include "homa_grant.h"

struct homa_net;
struct homa_rpc;

/* Most messages one grant decision looks at. */
#define HOMA_GRANT_MAX_MSGS 512

/**
 * struct homa_grantor - Grant state of one namespace.
 */
struct homa_grantor {
	/** @lock: protects everything below, and every listed message's
	 * msgin.granted (written only here, read by the packet path).
	 */
	spinlock_t lock;

	/** @msgs: incoming scheduled messages not yet complete. */
	struct list_head msgs;

	/** @next_birth: birth stamp for the next message. */
	u64 next_birth;

	/** @state: carried between decisions. */
	struct homa_grant_state state;

	/** @scratch: the messages handed to homa_grant_decide(). */
	struct homa_grant_msg *scratch;

	/** @scratch_rpcs: the RPC of each entry in @scratch. */
	struct homa_rpc **scratch_rpcs;

	/** @unsched_incoming: bytes expected, not yet received, of incoming
	 * messages that need no grants (they are not on @msgs).
	 */
	atomic64_t unsched_incoming;

	/** @max_total_incoming: the most granted-but-unreceived bytes
	 * right after a decision that granted (a metric: it shows the
	 * max_incoming cap at work).
	 */
	u64 max_total_incoming;
};

int homa_grantor_init(struct homa_grantor *g);
void homa_grantor_destroy(struct homa_grantor *g);
void homa_grantor_add(struct homa_grantor *g, struct homa_rpc *rpc);
void homa_grantor_remove(struct homa_grantor *g, struct homa_rpc *rpc);
void homa_grantor_run(struct homa_net *hn);

#endif /* _HOMA_GRANTOR_H */
