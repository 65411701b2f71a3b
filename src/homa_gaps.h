/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Gap tracking (functional core): which byte ranges of an incoming message
 * have arrived, so that duplicates are recognised and missing ranges can
 * be asked for again.
 */
#ifndef _HOMA_GAPS_H
#define _HOMA_GAPS_H

#include "homa_core.h"

/* Most holes a message may have at once; a packet that would open one
 * more is dropped (it or its neighbours will be sent again).
 */
#define HOMA_MAX_GAPS 32

/**
 * struct homa_gap - A range of message bytes, [start, end).
 */
struct homa_gap {
	/** @start: offset of the first byte in the range. */
	u32 start;

	/** @end: offset just past the last byte in the range. */
	u32 end;
};

/**
 * struct homa_gaps - What has arrived of one message: every byte below
 * @recv_end has arrived except those in @gaps.
 */
struct homa_gaps {
	/** @recv_end: offset just past the highest byte received. */
	u32 recv_end;

	/** @num_gaps: valid entries in @gaps. */
	u32 num_gaps;

	/** @gaps: holes below @recv_end, sorted, disjoint, non-empty. */
	struct homa_gap gaps[HOMA_MAX_GAPS];
};

void homa_gaps_init(struct homa_gaps *g);
int homa_gaps_add(struct homa_gaps *g, u32 start, u32 end);
u32 homa_gaps_missing(const struct homa_gaps *g, u32 granted,
		      struct homa_gap *out, u32 max_out);
u32 homa_gaps_bytes(const struct homa_gaps *g);

#endif /* _HOMA_GAPS_H */
