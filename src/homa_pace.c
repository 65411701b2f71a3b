// SPDX-License-Identifier: GPL-2.0
/*
 * Pacing decisions (functional core); see homa_pace.h. The sender keeps
 * the time at which its uplink will have sent everything handed to it,
 * from the bytes and link_mbps, and holds back long messages while that
 * time is more than max_nic_est_backlog_usecs ahead: once packets queue
 * in the NIC, a shorter message cannot overtake them.
 */
#include "homa_pace.h"

/**
 * homa_pace_link_busy_until() - When the uplink will be idle again after
 * a packet is handed to it now.
 * @now_ns:        the time now.
 * @busy_until_ns: when it would have been idle without the packet.
 * @wire_bytes:    the packet's bytes on the wire.
 * @link_mbps:     the link's speed in Mbit/s, at least 1.
 *
 * Return: the new idle time.
 */
u64 homa_pace_link_busy_until(u64 now_ns, u64 busy_until_ns, u32 wire_bytes,
			      u32 link_mbps)
{
	u64 start = busy_until_ns > now_ns ? busy_until_ns : now_ns;

	if (link_mbps == 0)
		link_mbps = 1;
	/* bits / (Mbit/s) = microseconds; * 1000 for nanoseconds. */
	return start + (u64)wire_bytes * 8 * 1000 / link_mbps;
}

/**
 * homa_pace_must_wait() - Whether a packet of a long message must wait:
 * the uplink already has more than the allowed backlog.
 * @now_ns:            the time now.
 * @busy_until_ns:     when the uplink will be idle.
 * @max_backlog_usecs: the allowed backlog.
 *
 * Return: true if the packet must wait.
 */
bool homa_pace_must_wait(u64 now_ns, u64 busy_until_ns,
			 u32 max_backlog_usecs)
{
	return busy_until_ns > now_ns &&
	       busy_until_ns - now_ns > (u64)max_backlog_usecs * 1000;
}

/**
 * homa_pace_pick() - Choose the waiting message whose packet the pacer
 * sends next: the one with the fewest bytes left (the oldest among
 * equals), except that @fifo_fraction thousandths of the bytes go to the
 * oldest message, so that a long message still progresses under a
 * stream of shorter ones.
 * @msgs:          the waiting messages, at least one.
 * @n:             entries in @msgs.
 * @fifo_fraction: thousandths of the output for the oldest (0..500).
 * @bytes:         bytes the pick will send (one packet).
 * @state:         kept between calls.
 *
 * Return: index of the chosen message.
 */
u32 homa_pace_pick(const struct homa_pace_msg *msgs, u32 n,
		   u32 fifo_fraction, u32 bytes, struct homa_pace_state *state)
{
	u32 i, best = 0, oldest = 0;

	for (i = 1; i < n; i++) {
		if (msgs[i].remaining < msgs[best].remaining ||
		    (msgs[i].remaining == msgs[best].remaining &&
		     msgs[i].birth < msgs[best].birth))
			best = i;
		if (msgs[i].birth < msgs[oldest].birth)
			oldest = i;
	}
	if (best == oldest || fifo_fraction == 0)
		return best;
	/* Each SRPT byte earns fifo_fraction thousandths of a FIFO byte;
	 * the oldest is served once a packet's worth is owed.
	 */
	if (state->fifo_credit >= (u64)bytes * 1000) {
		state->fifo_credit -= (u64)bytes * 1000;
		return oldest;
	}
	state->fifo_credit += (u64)bytes * fifo_fraction;
	return best;
}
