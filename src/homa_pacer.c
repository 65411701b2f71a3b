// SPDX-License-Identifier: GPL-2.0
/*
 * The pacer: keeps the uplink's queue short so that SRPT holds past the
 * host. Every transmission moves the namespace's estimate of when the
 * link goes idle (from link_mbps); a packet of a message of at least
 * defer_min_bytes that would find more than max_nic_est_backlog_usecs
 * queued ahead of it is not sent: its RPC joins the throttled list, and
 * the namespace's pacer thread sends from that list as the link drains,
 * one packet at a time, fewest remaining bytes first (homa_pace_pick()).
 * A throttled RPC sends only through the pacer, so a later, shorter
 * message overtakes it.
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/delay.h>

#include "homa_net.h"
#include "homa_outgoing.h"
#include "homa_pacer.h"
#include "homa_rpc.h"
#include "homa_sock.h"

/* Throttled RPCs considered per pick: a bound on the work under the lock. */
#define HOMA_PACER_PICK_MAX 32

/*
 * Waits shorter than this are spent polling the clock: a timer sleep
 * costs more than the wait (a 64 KB packet takes 21 us at 25 Gbit/s).
 */
#define HOMA_PACER_SPIN_NS (100 * NSEC_PER_USEC)

/**
 * homa_pacer_hold() - Decide whether the next packet of an RPC must wait
 * for the pacer, and if so hand the RPC to it. The caller holds rpc->lock
 * and has a packet of @wire_bytes ready to go.
 * @rpc:        the RPC.
 * @wire_bytes: what the packet will take on the link.
 *
 * Return: true if the caller must not send the packet.
 */
bool homa_pacer_hold(struct homa_rpc *rpc, u32 wire_bytes)
{
	struct homa_net *hn = homa_sock_net(rpc->hsk);
	struct homa_config *cfg = &hn->cfg;
	struct homa_pacer *p = &hn->pacer;
	struct homa_msgout *out = &rpc->msgout;

	if (!list_empty(&out->throttled_link))
		return true;
	if ((READ_ONCE(cfg->flags) & HOMA_FLAG_DONT_THROTTLE) ||
	    out->length < READ_ONCE(cfg->defer_min_bytes) ||
	    !homa_pace_must_wait(ktime_get_ns(),
				 atomic64_read(&p->busy_until),
				 READ_ONCE(cfg->max_nic_est_backlog_usecs)))
		return false;
	spin_lock_bh(&p->lock);
	out->throttle_birth = p->next_birth++;
	list_add_tail(&out->throttled_link, &p->throttled);
	spin_unlock_bh(&p->lock);
	/* The list's reference. */
	refcount_inc(&rpc->refs);
	HOMA_INC(hn, throttle_list_adds);
	wake_up(&p->wait);
	return true;
}

/**
 * homa_pacer_sent() - Account a packet handed to the uplink.
 * @hn:         the namespace.
 * @wire_bytes: what the packet takes on the link.
 */
void homa_pacer_sent(struct homa_net *hn, u32 wire_bytes)
{
	struct homa_pacer *p = &hn->pacer;
	u64 old, new;

	/* Nothing reads the estimate while the pacer is off. */
	if (READ_ONCE(hn->cfg.flags) & HOMA_FLAG_DONT_THROTTLE)
		return;
	do {
		old = atomic64_read(&p->busy_until);
		new = homa_pace_link_busy_until(ktime_get_ns(), old,
						wire_bytes,
						READ_ONCE(hn->cfg.link_mbps));
	} while (atomic64_cmpxchg(&p->busy_until, old, new) != old);
}

/**
 * homa_pacer_remove() - Take an RPC off the throttled list (it ended, or
 * has nothing more to send). The caller holds rpc->lock.
 * @rpc: the RPC.
 */
void homa_pacer_remove(struct homa_rpc *rpc)
{
	struct homa_pacer *p = &homa_sock_net(rpc->hsk)->pacer;
	bool listed;

	if (list_empty(&rpc->msgout.throttled_link))
		return;
	spin_lock_bh(&p->lock);
	listed = !list_empty(&rpc->msgout.throttled_link);
	list_del_init(&rpc->msgout.throttled_link);
	spin_unlock_bh(&p->lock);
	/* The list's reference; the caller holds another. */
	if (listed)
		refcount_dec(&rpc->refs);
}

/* The throttled RPC to serve next, with a reference, or NULL. */
static struct homa_rpc *homa_pacer_pick(struct homa_net *hn)
{
	struct homa_pace_msg msgs[HOMA_PACER_PICK_MAX];
	struct homa_rpc *rpcs[HOMA_PACER_PICK_MAX];
	struct homa_pacer *p = &hn->pacer;
	struct homa_msgout *out;
	struct homa_rpc *rpc;
	u32 n = 0, i;

	spin_lock_bh(&p->lock);
	list_for_each_entry(out, &p->throttled, throttled_link) {
		if (n == HOMA_PACER_PICK_MAX)
			break;
		rpc = container_of(out, struct homa_rpc, msgout);
		msgs[n].remaining = out->length - READ_ONCE(out->sent);
		msgs[n].birth = out->throttle_birth;
		rpcs[n++] = rpc;
	}
	if (n == 0) {
		spin_unlock_bh(&p->lock);
		return NULL;
	}
	/* One pick sends one packet: the FIFO share counts packets. */
	i = homa_pace_pick(msgs, n, READ_ONCE(hn->cfg.pacer_fifo_fraction), 1,
			   &p->state);
	rpc = rpcs[i];
	refcount_inc(&rpc->refs);
	spin_unlock_bh(&p->lock);
	return rpc;
}

/*
 * Send throttled packets, SRPT order, while the backlog allows; returns
 * false when it does not (or nothing waits).
 */
static bool homa_pacer_send_ready(struct homa_net *hn)
{
	struct homa_pacer *p = &hn->pacer;
	struct homa_rpc *rpc;
	bool sent = false;

	while (!list_empty_careful(&p->throttled) &&
	       !homa_pace_must_wait(ktime_get_ns(),
				    atomic64_read(&p->busy_until),
				    READ_ONCE(hn->cfg.max_nic_est_backlog_usecs))) {
		rpc = homa_pacer_pick(hn);
		if (!rpc)
			break;
		homa_xmit_paced(rpc);
		homa_rpc_put(rpc);
		sent = true;
	}
	return sent;
}

/**
 * homa_pacer_help() - Let the caller (a sender, or the softirq that got a
 * GRANT) send what the pacer holds, if the link has room now, rather
 * than wait for the pacer thread to wake up. Called without locks.
 * @hn: the namespace.
 */
void homa_pacer_help(struct homa_net *hn)
{
	homa_pacer_send_ready(hn);
}

static int homa_pacer_main(void *arg)
{
	struct homa_net *hn = arg;
	struct homa_pacer *p = &hn->pacer;
	u64 now, busy, limit, wait;

	while (!kthread_should_stop()) {
		wait_event_interruptible(p->wait,
					 !list_empty_careful(&p->throttled) ||
					 kthread_should_stop());
		now = ktime_get_ns();
		busy = atomic64_read(&p->busy_until);
		limit = (u64)READ_ONCE(hn->cfg.max_nic_est_backlog_usecs) *
			NSEC_PER_USEC;
		if (busy > now + limit) {
			/* Wait until the backlog is down to the limit. */
			wait = busy - now - limit;
			if (wait > HOMA_PACER_SPIN_NS)
				usleep_range(div_u64(wait, NSEC_PER_USEC),
					     div_u64(wait, NSEC_PER_USEC) + 10);
			else
				cond_resched();
			continue;
		}
		homa_pacer_send_ready(hn);
		cond_resched();
	}
	return 0;
}

int homa_pacer_init(struct homa_net *hn)
{
	struct homa_pacer *p = &hn->pacer;

	spin_lock_init(&p->lock);
	INIT_LIST_HEAD(&p->throttled);
	atomic64_set(&p->busy_until, 0);
	init_waitqueue_head(&p->wait);
	p->thread = kthread_run(homa_pacer_main, hn, "homa_pacer");
	if (IS_ERR(p->thread))
		return PTR_ERR(p->thread);
	return 0;
}

/* The namespace goes away: no socket, so no RPC, is left in it. */
void homa_pacer_destroy(struct homa_net *hn)
{
	kthread_stop(hn->pacer.thread);
	WARN_ON_ONCE(!list_empty(&hn->pacer.throttled));
}
