// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of granting: keeps the namespace's scheduled incoming
 * messages, feeds them to homa_grant_decide() after DATA arrives, and
 * sends the GRANTs it asks for.
 */
#include <linux/slab.h>

#include "homa_grantor.h"
#include "homa_net.h"
#include "homa_outgoing.h"
#include "homa_rpc.h"

int homa_grantor_init(struct homa_grantor *g)
{
	spin_lock_init(&g->lock);
	INIT_LIST_HEAD(&g->msgs);
	atomic64_set(&g->unsched_incoming, 0);
	g->scratch = kvcalloc(HOMA_GRANT_MAX_MSGS, sizeof(*g->scratch),
			      GFP_KERNEL);
	g->scratch_rpcs = kvcalloc(HOMA_GRANT_MAX_MSGS,
				   sizeof(*g->scratch_rpcs), GFP_KERNEL);
	if (!g->scratch || !g->scratch_rpcs) {
		homa_grantor_destroy(g);
		return -ENOMEM;
	}
	return 0;
}

void homa_grantor_destroy(struct homa_grantor *g)
{
	WARN_ON_ONCE(!list_empty(&g->msgs));
	kvfree(g->scratch);
	kvfree(g->scratch_rpcs);
	g->scratch = NULL;
	g->scratch_rpcs = NULL;
}

/**
 * homa_grantor_add() - Start scheduling an incoming message; its
 * msgin.length and msgin.granted (the unscheduled bytes) are set. The
 * caller holds rpc->lock.
 * @g:   the namespace's grantor.
 * @rpc: the RPC.
 */
void homa_grantor_add(struct homa_grantor *g, struct homa_rpc *rpc)
{
	spin_lock_bh(&g->lock);
	rpc->msgin.birth = g->next_birth++;
	list_add_tail(&rpc->msgin.grant_link, &g->msgs);
	spin_unlock_bh(&g->lock);
}

/**
 * homa_grantor_remove() - Stop scheduling a message (complete or its RPC
 * ended). The caller holds rpc->lock. Harmless if it is not listed.
 * @g:   the namespace's grantor.
 * @rpc: the RPC.
 */
void homa_grantor_remove(struct homa_grantor *g, struct homa_rpc *rpc)
{
	if (list_empty(&rpc->msgin.grant_link))
		return;
	spin_lock_bh(&g->lock);
	list_del_init(&rpc->msgin.grant_link);
	spin_unlock_bh(&g->lock);
}

/* Granted-but-unreceived bytes of a listed message (never negative). */
static u32 homa_grantor_outstanding(const struct homa_rpc *rpc)
{
	u32 granted = rpc->msgin.granted, received = READ_ONCE(rpc->msgin.received);

	return granted > received ? granted - received : 0;
}

/**
 * homa_grantor_run() - Decide grants for the namespace's scheduled
 * messages and send the GRANT packets. Called without locks after DATA
 * arrived for a scheduled message.
 * @hn: the namespace.
 */
void homa_grantor_run(struct homa_net *hn)
{
	struct homa_grant_params params = {
		.max_incoming = hn->cfg.max_incoming,
		.window = hn->cfg.window,
		.max_overcommit = hn->cfg.max_overcommit,
		.max_sched_prio = hn->cfg.max_sched_prio,
		.fifo_fraction = hn->cfg.grant_fifo_fraction,
		.fifo_increment = hn->cfg.fifo_grant_increment,
	};
	struct homa_grantor *g = &hn->grantor;
	struct homa_grant_msg *m = g->scratch;
	struct homa_rpc *rpc, *grants[HOMA_GRANT_MAX_OVERCOMMIT + 1];
	u8 prios[HOMA_GRANT_MAX_OVERCOMMIT + 1];
	u32 n = 0, i, num_grants = 0;
	u64 total;

	spin_lock_bh(&g->lock);
	total = atomic64_read(&g->unsched_incoming);
	list_for_each_entry(rpc, &g->msgs, msgin.grant_link) {
		total += homa_grantor_outstanding(rpc);
		if (rpc->msgin.granted >= rpc->msgin.length ||
		    n == HOMA_GRANT_MAX_MSGS)
			continue;
		m[n].peer = (uintptr_t)rpc->peer;
		m[n].birth = rpc->msgin.birth;
		m[n].length = rpc->msgin.length;
		m[n].received = READ_ONCE(rpc->msgin.received);
		m[n].granted = rpc->msgin.granted;
		g->scratch_rpcs[n] = rpc;
		n++;
	}
	if (n == 0) {
		spin_unlock_bh(&g->lock);
		return;
	}
	HOMA_INC(hn, grant_decisions);
	homa_grant_decide(m, n, &params, min_t(u64, total, U32_MAX),
			  &g->state);
	for (i = 0; i < n; i++) {
		rpc = g->scratch_rpcs[i];
		if (m[i].new_granted <= m[i].granted ||
		    num_grants == ARRAY_SIZE(grants))
			continue;
		total += m[i].new_granted - m[i].granted;
		HOMA_ADD(hn, grant_bytes, m[i].new_granted - m[i].granted);
		WRITE_ONCE(rpc->msgin.granted, m[i].new_granted);
		refcount_inc(&rpc->refs);
		prios[num_grants] = m[i].priority;
		grants[num_grants++] = rpc;
	}
	/* The cap applies to grants: unscheduled bytes alone may pass it. */
	if (num_grants)
		g->max_total_incoming = max(g->max_total_incoming, total);
	spin_unlock_bh(&g->lock);

	for (i = 0; i < num_grants; i++) {
		homa_xmit_grant(grants[i], prios[i]);
		homa_rpc_put(grants[i]);
	}
}
