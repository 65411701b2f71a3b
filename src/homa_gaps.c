// SPDX-License-Identifier: GPL-2.0
/*
 * Gap tracking for incoming messages. Part of the functional core: byte
 * ranges go in, counts and ranges to ask for again come out.
 *
 * Packets usually arrive in order, so the common case (extending
 * recv_end) touches no gap. Out-of-order arrival opens a gap at the old
 * recv_end; retransmissions later fill gaps in any pattern. The number of
 * gaps is capped so that the state stays a small, fixed-size array: a
 * packet that would need one more gap is refused, and the hole it would
 * have described is asked for again later instead.
 */
#include "homa_gaps.h"

/**
 * homa_gaps_init() - Describe a message of which nothing has arrived.
 * @g: state to initialise.
 */
void homa_gaps_init(struct homa_gaps *g)
{
	memset(g, 0, sizeof(*g));
}

/* Bytes [start, end) all lie at or above recv_end: the range extends what
 * has arrived, opening a gap first if it does not start right at
 * recv_end.
 */
static int homa_gaps_add_above(struct homa_gaps *g, u32 start, u32 end)
{
	if (start > g->recv_end) {
		if (g->num_gaps >= HOMA_MAX_GAPS)
			return -ENOSPC;
		g->gaps[g->num_gaps].start = g->recv_end;
		g->gaps[g->num_gaps].end = start;
		g->num_gaps++;
	}
	g->recv_end = end;
	return end - start;
}

/**
 * homa_gaps_add() - Record the arrival of a range of message bytes.
 * @g:     state of the message.
 * @start: offset of the first byte that arrived.
 * @end:   offset just past the last byte that arrived; the caller has
 *         checked it against the message length, so it is at most
 *         HOMA_MAX_MESSAGE_LENGTH and the count returned fits an int.
 *
 * The range may overlap earlier data in any way (duplicates,
 * retransmissions that cover several gaps or straddle a gap's edge);
 * only the bytes new to @g count.
 *
 * Return: bytes of [@start, @end) that had not arrived before (0 for a
 * duplicate or an empty range), or -ENOSPC if recording the range would
 * need more than HOMA_MAX_GAPS gaps; then @g is unchanged, and the caller
 * should drop the packet as if it had been lost.
 */
int homa_gaps_add(struct homa_gaps *g, u32 start, u32 end)
{
	u32 added = 0;
	u32 i, kept;

	if (start >= end)
		return 0;
	if (start >= g->recv_end)
		return homa_gaps_add_above(g, start, end);

	/* Everything from here on starts below recv_end. Gaps are sorted,
	 * so skip those that end before the range begins.
	 */
	for (i = 0; i < g->num_gaps && g->gaps[i].end <= start; i++)
		;

	/* A range strictly inside one gap splits it in two. It cannot
	 * reach past that gap, so no other gap (nor recv_end) is touched,
	 * and the cap can be checked before anything changes.
	 */
	if (i < g->num_gaps && g->gaps[i].start < start &&
	    end < g->gaps[i].end) {
		if (g->num_gaps >= HOMA_MAX_GAPS)
			return -ENOSPC;
		memmove(&g->gaps[i + 1], &g->gaps[i],
			(g->num_gaps - i) * sizeof(g->gaps[0]));
		g->gaps[i].end = start;
		g->gaps[i + 1].start = end;
		g->num_gaps++;
		return end - start;
	}

	/* Otherwise each gap the range touches shrinks from one side or
	 * disappears; compact the survivors in place.
	 */
	kept = i;
	for (; i < g->num_gaps; i++) {
		struct homa_gap gap = g->gaps[i];

		if (gap.start < end) {
			added += min(gap.end, end) - max(gap.start, start);
			if (gap.start < start)
				gap.end = start;
			else if (gap.end > end)
				gap.start = end;
			else
				continue;
		}
		g->gaps[kept++] = gap;
	}
	g->num_gaps = kept;

	if (end > g->recv_end) {
		added += end - g->recv_end;
		g->recv_end = end;
	}
	return added;
}

/**
 * homa_gaps_missing() - List the ranges to ask the sender for again
 * (one RESEND each): the holes below recv_end, then the granted bytes
 * beyond it that have not arrived yet.
 * @g:       state of the message.
 * @granted: offset up to which the sender may send.
 * @out:     where the ranges go, in message order.
 * @max_out: room in @out.
 *
 * Return: ranges written to @out (at most @max_out); the earliest ranges
 * come first because the application can only consume a message from its
 * start.
 */
u32 homa_gaps_missing(const struct homa_gaps *g, u32 granted,
		      struct homa_gap *out, u32 max_out)
{
	u32 n;

	for (n = 0; n < g->num_gaps && n < max_out; n++)
		out[n] = g->gaps[n];
	if (n < max_out && granted > g->recv_end) {
		out[n].start = g->recv_end;
		out[n].end = granted;
		n++;
	}
	return n;
}

/**
 * homa_gaps_bytes() - Count the bytes still missing below recv_end.
 * @g: state of the message.
 *
 * Return: total bytes in @g's gaps.
 */
u32 homa_gaps_bytes(const struct homa_gaps *g)
{
	u32 bytes = 0;
	u32 i;

	for (i = 0; i < g->num_gaps; i++)
		bytes += g->gaps[i].end - g->gaps[i].start;
	return bytes;
}
