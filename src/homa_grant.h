/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant decisions (functional core): which incoming messages may receive
 * more bytes, how many, and at which priority. Receiver-driven SRPT with
 * overcommitment, a cap on granted-but-unreceived bytes, and a FIFO share
 * against starvation. The kernel glue (homa_grantor.c) gathers the
 * messages, calls homa_grant_decide() and sends the GRANT packets.
 */
#ifndef _HOMA_GRANT_H
#define _HOMA_GRANT_H

#include "homa_core.h"

/* Most messages granted to at once; larger max_overcommit values are
 * treated as this one (the sysctl limit).
 */
#define HOMA_GRANT_MAX_OVERCOMMIT 8

/**
 * struct homa_grant_msg - One incoming message that still needs grants
 * (granted < length), as seen by homa_grant_decide().
 */
struct homa_grant_msg {
	/** @peer: identifies the sender's host; one active message each. */
	u64 peer;

	/** @birth: arrival order; smaller is older. Unique per message. */
	u64 birth;

	/** @length: bytes in the message. */
	u32 length;

	/** @received: bytes received so far (counting every byte once). */
	u32 received;

	/**
	 * @granted: bytes the sender may send so far (includes the
	 * unscheduled bytes).
	 */
	u32 granted;

	/**
	 * @new_granted: (out) new grant offset; > @granted means that a
	 * GRANT must be sent.
	 */
	u32 new_granted;

	/** @priority: (out) priority for the granted bytes. */
	u8 priority;

	/**
	 * @rank: (out) SRPT rank among active messages, 0 = best, or -1
	 * if the message is not active.
	 */
	int rank;
};

/**
 * struct homa_grant_params - Configuration (sysctls) for grant decisions.
 */
struct homa_grant_params {
	/** @max_incoming: cap on granted-but-unreceived bytes, all messages. */
	u32 max_incoming;

	/** @window: bytes granted beyond received; 0 = max_incoming/(N+1). */
	u32 window;

	/**
	 * @max_overcommit: most messages active at once (at most
	 * HOMA_GRANT_MAX_OVERCOMMIT).
	 */
	u32 max_overcommit;

	/** @max_sched_prio: highest priority level for scheduled bytes. */
	u8 max_sched_prio;

	/** @fifo_fraction: thousandths of grants given to the oldest. */
	u32 fifo_fraction;

	/** @fifo_increment: bytes per FIFO grant. */
	u32 fifo_increment;
};

/**
 * struct homa_grant_state - What homa_grant_decide() carries from one call
 * to the next.
 */
struct homa_grant_state {
	/** @fifo_credit: FIFO bytes earned by SRPT grants, not yet given. */
	u64 fifo_credit;
};

void homa_grant_decide(struct homa_grant_msg *msgs, u32 num_msgs,
		       const struct homa_grant_params *params,
		       u32 total_incoming, struct homa_grant_state *state);

#endif /* _HOMA_GRANT_H */
