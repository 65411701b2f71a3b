/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pacer (kernel side): a namespace's estimate of its uplink's backlog,
 * and a thread that sends the packets of long messages held back while
 * that backlog is too long, shortest message first.
 */
#ifndef _HOMA_PACER_H
#define _HOMA_PACER_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "homa_pace.h"

struct homa_net;
struct homa_rpc;

/**
 * struct homa_pacer - One namespace's pacer.
 */
struct homa_pacer {
	/** @lock: protects @throttled, @state and @next_birth. */
	spinlock_t lock;

	/** @throttled: RPCs held back, by msgout.throttled_link. */
	struct list_head throttled;

	/** @busy_until: ktime ns when the uplink will have sent all. */
	atomic64_t busy_until;

	/** @state: homa_pace_pick()'s FIFO credit. */
	struct homa_pace_state state;

	/** @next_birth: order of arrival on @throttled. */
	u64 next_birth;

	/** @wait: where the thread sleeps while @throttled is empty. */
	wait_queue_head_t wait;

	/** @thread: the pacer thread. */
	struct task_struct *thread;
};

int homa_pacer_init(struct homa_net *hn);
void homa_pacer_destroy(struct homa_net *hn);
bool homa_pacer_hold(struct homa_rpc *rpc, u32 wire_bytes);
void homa_pacer_sent(struct homa_net *hn, u32 wire_bytes);
void homa_pacer_remove(struct homa_rpc *rpc);
void homa_pacer_help(struct homa_net *hn);

#endif /* _HOMA_PACER_H */
