/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pacing decisions (functional core): how long the uplink stays busy
 * with what was sent, whether a packet must wait for the pacer, and which
 * waiting message the pacer serves next (SRPT, with a FIFO share against
 * starvation). The kernel glue is homa_pacer.c.
 */
#ifndef _HOMA_PACE_H
#define _HOMA_PACE_H

#include "homa_core.h"

/**
 * struct homa_pace_msg - An outgoing message waiting for the pacer, as
 * homa_pace_pick() sees it.
 */
struct homa_pace_msg {
	/** @remaining: bytes of the message not yet sent. */
	u32 remaining;

	/** @birth: when it started waiting; smaller is older. */
	u64 birth;
};

/**
 * struct homa_pace_state - What homa_pace_pick() remembers between
 * calls: bytes owed to the oldest message.
 */
struct homa_pace_state {
	/** @fifo_credit: thousandths of bytes earned by SRPT picks. */
	u64 fifo_credit;
};

u64 homa_pace_link_busy_until(u64 now_ns, u64 busy_until_ns, u32 wire_bytes,
			      u32 link_mbps);
bool homa_pace_must_wait(u64 now_ns, u64 busy_until_ns,
			 u32 max_backlog_usecs);
u32 homa_pace_pick(const struct homa_pace_msg *msgs, u32 n,
		   u32 fifo_fraction, u32 bytes, struct homa_pace_state *state);

#endif /* _HOMA_PACE_H */
