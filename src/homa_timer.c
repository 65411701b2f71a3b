// SPDX-License-Identifier: GPL-2.0
/*
 * The timer thread. It runs in process context, once a millisecond, over
 * every namespace, socket and RPC; per RPC it decides (under the RPC's
 * lock) whether the peer's silence is expected, and otherwise counts it,
 * sends RESENDs and finally times the RPC out. Packets go out after the
 * lock is dropped.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mutex.h>

#include "homa_grantor.h"
#include "homa_net.h"
#include "homa_outgoing.h"
#include "homa_rpc.h"
#include "homa_sock.h"
#include "homa_timer.h"

/* RPCs handled per pass over a socket's list (references held). */
#define HOMA_TIMER_BATCH 64

/* RESEND packets for one RPC in one tick, at most. */
#define HOMA_TIMER_MAX_RESENDS 8

static struct task_struct *homa_timer_thread;
static LIST_HEAD(homa_timer_nets);
static DEFINE_MUTEX(homa_timer_mutex);

void homa_timer_add_net(struct homa_net *hn)
{
	mutex_lock(&homa_timer_mutex);
	list_add_tail(&hn->timer_link, &homa_timer_nets);
	mutex_unlock(&homa_timer_mutex);
}

void homa_timer_remove_net(struct homa_net *hn)
{
	mutex_lock(&homa_timer_mutex);
	list_del(&hn->timer_link);
	mutex_unlock(&homa_timer_mutex);
}

/* What one tick decided to send for an RPC. */
struct homa_tick_actions {
	struct homa_gap resends[HOMA_TIMER_MAX_RESENDS];
	u32 num_resends;
	bool need_ack;
};

/*
 * Whether silence from the peer is expected now; the caller holds
 * rpc->lock.
 */
static bool homa_silence_expected(struct homa_rpc *rpc)
{
	const struct homa_msgout *out = &rpc->msgout;
	const struct homa_msgin *in = &rpc->msgin;

	switch (rpc->state) {
	case HOMA_RPC_OUTGOING:
		/* The message is still being built, or we have granted
		 * bytes to send: we are the holdup. Probing the peer now
		 * would draw an RPC_UNKNOWN for a request that is merely
		 * late, and the restart would execute it twice.
		 */
		if (out->length < 0 || out->building)
			return true;
		return out->next_pkt < out->num_pkts &&
		       out->pkts[out->next_pkt].offset < out->granted;
	case HOMA_RPC_INCOMING:
		/* Waiting for buffer space, or every granted byte is here:
		 * the sender waits for us.
		 */
		return in->buf_wait ||
		       (in->length >= 0 && in->received >= in->granted);
	default:
		return true;
	}
}

/* One tick for one RPC. Fills @act; returns false if the RPC timed out. */
static bool homa_tick_rpc(struct homa_rpc *rpc, struct homa_tick_actions *act)
{
	struct homa_config *cfg = &homa_sock_net(rpc->hsk)->cfg;
	const struct homa_msgout *out = &rpc->msgout;
	u32 since;

	act->num_resends = 0;
	act->need_ack = false;
	if (rpc->state == HOMA_RPC_DEAD)
		return true;
	if (!homa_rpc_is_client(rpc) && rpc->state == HOMA_RPC_OUTGOING &&
	    out->length >= 0 && !out->building &&
	    out->next_pkt == out->num_pkts) {
		/* Response sent: ask the client to confirm it. */
		rpc->done_ticks++;
		act->need_ack = rpc->done_ticks >= cfg->request_ack_ticks;
		return true;
	}
	if (homa_silence_expected(rpc)) {
		rpc->silent_ticks = 0;
		return true;
	}
	rpc->silent_ticks++;
	if (rpc->silent_ticks >= cfg->timeout_ticks)
		return false;
	if (rpc->silent_ticks < cfg->resend_ticks)
		return true;
	since = rpc->silent_ticks - cfg->resend_ticks;
	if (cfg->resend_interval && since % cfg->resend_interval)
		return true;
	if (!homa_rpc_is_client(rpc) && rpc->state == HOMA_RPC_OUTGOING) {
		/* A response waiting for grants: a starved client answers
		 * NEED_ACK with BUSY, a client that gave up with ACK, a
		 * dead one not at all (and the RPC times out).
		 */
		act->need_ack = true;
	} else if (rpc->state == HOMA_RPC_INCOMING &&
		   rpc->msgin.length >= 0) {
		act->num_resends = homa_gaps_missing(&rpc->msgin.gaps,
						     rpc->msgin.granted,
						     act->resends,
						     HOMA_TIMER_MAX_RESENDS);
	} else {
		/* Nothing has arrived yet: ask for everything. Never skip
		 * this case (a cluster-wide livelock in the reference).
		 */
		act->resends[0].start = 0;
		act->resends[0].end = 0;
		act->num_resends = 1;
	}
	return true;
}

static void homa_tick_send(struct homa_rpc *rpc,
			   const struct homa_tick_actions *act)
{
	struct homa_common_hdr need_ack;
	u32 i;

	for (i = 0; i < act->num_resends; i++)
		homa_xmit_resend(rpc, act->resends[i].start,
				 act->resends[i].end);
	if (act->need_ack) {
		homa_wire_init_common(&need_ack, HOMA_NEED_ACK, 0, 0, rpc->id);
		homa_xmit_control(rpc, &need_ack, sizeof(need_ack));
		HOMA_INC(homa_sock_net(rpc->hsk), need_acks_sent);
	}
}

static void homa_tick_one(struct homa_rpc *rpc)
{
	struct homa_tick_actions act;
	bool alive;

	spin_lock_bh(&rpc->lock);
	alive = homa_tick_rpc(rpc, &act);
	if (!alive) {
		HOMA_INC(homa_sock_net(rpc->hsk), rpc_timeouts);
		if (homa_rpc_is_client(rpc))
			homa_rpc_fail(rpc, ETIMEDOUT);
		else
			homa_rpc_end(rpc);
	}
	spin_unlock_bh(&rpc->lock);
	if (alive)
		homa_tick_send(rpc, &act);
}

/* One tick for every RPC of a socket, a batch at a time. */
static void homa_tick_sock(struct homa_sock *hsk)
{
	struct homa_rpc *batch[HOMA_TIMER_BATCH], *rpc;
	u32 skip = 0, n, i, pos;

	do {
		n = 0;
		pos = 0;
		spin_lock_bh(&hsk->lock);
		list_for_each_entry(rpc, &hsk->active_rpcs, active_link) {
			if (pos++ < skip)
				continue;
			if (n == HOMA_TIMER_BATCH)
				break;
			if (refcount_inc_not_zero(&rpc->refs))
				batch[n++] = rpc;
		}
		spin_unlock_bh(&hsk->lock);
		for (i = 0; i < n; i++) {
			homa_tick_one(batch[i]);
			homa_rpc_put(batch[i]);
		}
		skip += HOMA_TIMER_BATCH;
	} while (n == HOMA_TIMER_BATCH);
}

static void homa_tick_net(struct homa_net *hn)
{
	u64 start = ktime_get_ns();
	struct hlist_nulls_node *node;
	struct homa_sock *hsk;
	unsigned int i;

	/* Grants are decided when scheduled DATA arrives; but room under
	 * max_incoming also opens when unscheduled messages complete or
	 * RPCs end, which run no decision. A message whose granted bytes
	 * all arrived would then wait forever (its silence is expected).
	 */
	if (!list_empty_careful(&hn->grantor.msgs))
		homa_grantor_run(hn);

	/* Idle ages are in seconds: looking once a second is enough. */
	if (time_after_eq(jiffies, hn->next_peer_gc)) {
		hn->next_peer_gc = jiffies + HZ;
		HOMA_ADD(hn, peers_collected,
			 homa_peer_gc(&hn->peers,
				      READ_ONCE(hn->cfg.peer_gc_threshold),
				      READ_ONCE(hn->cfg.peer_idle_secs_min),
				      READ_ONCE(hn->cfg.peer_idle_secs_max)));
	}

	for (i = 0; i < HOMA_PORT_BUCKETS; i++) {
		rcu_read_lock();
		hlist_nulls_for_each_entry_rcu(hsk, node,
					       &hn->ports.buckets[i],
					       port_link) {
			if (!list_empty_careful(&hsk->active_rpcs))
				homa_tick_sock(hsk);
		}
		rcu_read_unlock();
	}
	HOMA_INC(hn, timer_calls);
	HOMA_ADD(hn, timer_ns, ktime_get_ns() - start);
}

static int homa_timer_main(void *unused)
{
	struct homa_net *hn;

	while (!kthread_should_stop()) {
		usleep_range(1000, 1100);
		mutex_lock(&homa_timer_mutex);
		list_for_each_entry(hn, &homa_timer_nets, timer_link)
			homa_tick_net(hn);
		mutex_unlock(&homa_timer_mutex);
	}
	return 0;
}

int homa_timer_start(void)
{
	homa_timer_thread = kthread_run(homa_timer_main, NULL, "homa_timer");
	if (IS_ERR(homa_timer_thread))
		return PTR_ERR(homa_timer_thread);
	return 0;
}

void homa_timer_stop(void)
{
	kthread_stop(homa_timer_thread);
}
