// SPDX-License-Identifier: GPL-2.0
/*
 * Grant decisions for incoming messages. Part of the functional core: a
 * snapshot of the messages that need grants goes in, new grant offsets
 * and priorities come out. The kernel glue gathers the snapshot under its
 * lock and sends the GRANT packets; nothing here touches an RPC.
 *
 * The policy is receiver-driven SRPT: the messages with the fewest bytes
 * left win, a few of them at once (overcommitment keeps the downlink busy
 * when some senders stall), at most one per sending host (a sender
 * transmits one message at a time anyway), and never more granted but
 * unreceived bytes than max_incoming, which bounds the queueing that
 * grants can cause in the network. A small share of the granted bytes
 * goes to the oldest message so that long messages cannot starve.
 */
#include "homa_grant.h"
#include "homa_prio.h"

/* Is @a a better SRPT choice than @b: fewer bytes left, or as many and
 * older?
 */
static bool homa_grant_better(const struct homa_grant_msg *a,
			      const struct homa_grant_msg *b)
{
	u32 left_a = a->length - a->received;
	u32 left_b = b->length - b->received;

	if (left_a != left_b)
		return left_a < left_b;
	return a->birth < b->birth;
}

/* Does a message of @peer already hold one of the first @num_active
 * places of @active?
 */
static bool homa_grant_peer_active(const struct homa_grant_msg *msgs,
				   const u32 *active, u32 num_active, u64 peer)
{
	u32 i;

	for (i = 0; i < num_active; i++) {
		if (msgs[active[i]].peer == peer)
			return true;
	}
	return false;
}

/* Choose the active messages: in SRPT order, the best message of each
 * peer, until max_overcommit are chosen. Picking the best eligible
 * message max_overcommit times gives the same set as walking a sorted
 * list, without sorting the whole (possibly long) array: every message
 * passed over on the way was from a peer that already has a better one.
 * Fills @active with their indexes in rank order and sets every rank.
 */
static u32 homa_grant_rank(struct homa_grant_msg *msgs, u32 num_msgs,
			   u32 max_active, u32 *active)
{
	u32 num_active = 0;
	u32 i, best;

	for (i = 0; i < num_msgs; i++)
		msgs[i].rank = -1;
	while (num_active < max_active) {
		best = num_msgs;
		for (i = 0; i < num_msgs; i++) {
			struct homa_grant_msg *m = &msgs[i];

			/* Fully granted messages only wait for their bytes;
			 * a place among the active ones would be wasted.
			 */
			if (m->rank >= 0 || m->granted >= m->length)
				continue;
			if (best < num_msgs && !homa_grant_better(m, &msgs[best]))
				continue;
			if (homa_grant_peer_active(msgs, active, num_active,
						   m->peer))
				continue;
			best = i;
		}
		if (best == num_msgs)
			break;
		msgs[best].rank = num_active;
		active[num_active++] = best;
	}
	return num_active;
}

/* Give @m up to @bytes more, within max_incoming. Returns the bytes
 * granted and adds them to *@total_incoming.
 */
static u32 homa_grant_give(struct homa_grant_msg *m, u32 bytes,
			   const struct homa_grant_params *params,
			   u32 *total_incoming)
{
	if (*total_incoming >= params->max_incoming)
		return 0;
	bytes = min(bytes, params->max_incoming - *total_incoming);
	m->new_granted += bytes;
	*total_incoming += bytes;
	return bytes;
}

/* Starvation guard: once the SRPT grants have earned enough credit, give
 * the oldest message that still needs bytes one FIFO increment, whether
 * or not it is active.
 */
static void homa_grant_fifo(struct homa_grant_msg *msgs, u32 num_msgs,
			    const struct homa_grant_params *params,
			    u32 *total_incoming,
			    struct homa_grant_state *state)
{
	struct homa_grant_msg *oldest = NULL;
	u32 i;

	if (params->fifo_fraction == 0 ||
	    state->fifo_credit < params->fifo_increment)
		return;
	for (i = 0; i < num_msgs; i++) {
		struct homa_grant_msg *m = &msgs[i];

		if (m->new_granted < m->length &&
		    (!oldest || m->birth < oldest->birth))
			oldest = m;
	}

	/* With no room the credit is kept, so the FIFO grant happens as
	 * soon as there is room again.
	 */
	if (!oldest || *total_incoming >= params->max_incoming)
		return;
	homa_grant_give(oldest, min(params->fifo_increment,
				    oldest->length - oldest->new_granted),
			params, total_incoming);
	state->fifo_credit -= params->fifo_increment;
}

/**
 * homa_grant_decide() - Decide the grants for all incoming messages that
 * need them.
 * @msgs:           messages with @granted < @length; their in-fields are
 *                  read and their out-fields (@new_granted, @priority,
 *                  @rank) set. The array is not reordered, so the caller
 *                  can keep it parallel to its own list of RPCs.
 * @num_msgs:       entries in @msgs.
 * @params:         grant configuration; @max_overcommit is capped at
 *                  HOMA_GRANT_MAX_OVERCOMMIT.
 * @total_incoming: granted but unreceived bytes of all incoming messages
 *                  (also those not in @msgs) before this decision.
 * @state:          carried from one call to the next; zero it once.
 *
 * Every message gets @new_granted >= @granted; the sum of the increases
 * never takes @total_incoming above @params->max_incoming (it only stays
 * above if it already was). Active messages, ranked by SRPT, are granted
 * up to their window; then, once SRPT grants have earned a FIFO
 * increment's worth of credit (@params->fifo_fraction thousandths of what
 * they granted), the oldest message gets one increment.
 */
void homa_grant_decide(struct homa_grant_msg *msgs, u32 num_msgs,
		       const struct homa_grant_params *params,
		       u32 total_incoming, struct homa_grant_state *state)
{
	u32 active[HOMA_GRANT_MAX_OVERCOMMIT];
	u32 num_active, window, i;

	for (i = 0; i < num_msgs; i++) {
		msgs[i].new_granted = msgs[i].granted;
		msgs[i].priority = 0;
	}
	num_active = homa_grant_rank(msgs, num_msgs,
				     min_t(u32, params->max_overcommit,
					   HOMA_GRANT_MAX_OVERCOMMIT),
				     active);

	/* The dynamic window leaves one window's worth of max_incoming for
	 * messages that are not active (unscheduled bytes, FIFO grants).
	 */
	window = params->window;
	if (window == 0)
		window = params->max_incoming / (num_active + 1);

	for (i = 0; i < num_active; i++) {
		struct homa_grant_msg *m = &msgs[active[i]];
		u32 target = min_t(u64, (u64)m->received + window, m->length);
		u32 granted;

		if (target <= m->granted)
			continue;
		granted = homa_grant_give(m, target - m->granted, params,
					  &total_incoming);
		state->fifo_credit += (u64)granted * params->fifo_fraction /
				      1000;
	}

	homa_grant_fifo(msgs, num_msgs, params, &total_incoming, state);

	for (i = 0; i < num_active; i++)
		msgs[active[i]].priority =
			homa_prio_grant(i, num_active, params->max_sched_prio);
}
