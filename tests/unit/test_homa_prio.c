// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/homa_prio.c. */
#include <linux/homa.h>
#include "homa_prio.h"
#include "unit.h"

static const u32 default_cutoffs[HOMA_MAX_PRIORITIES] = HOMA_DEFAULT_CUTOFFS;
static const u8 identity_map[HOMA_MAX_PRIORITIES] = { 0, 1, 2, 3, 4, 5, 6, 7 };

UNIT_TEST(homa_prio_unsched__default_cutoffs)
{
	EXPECT_EQ(7, homa_prio_unsched(default_cutoffs, 8, 1));
	EXPECT_EQ(7, homa_prio_unsched(default_cutoffs, 8, 100));
	EXPECT_EQ(7, homa_prio_unsched(default_cutoffs, 8, 200));
	EXPECT_EQ(6, homa_prio_unsched(default_cutoffs, 8, 201));
	EXPECT_EQ(6, homa_prio_unsched(default_cutoffs, 8, 2800));
	EXPECT_EQ(5, homa_prio_unsched(default_cutoffs, 8, 2801));
	EXPECT_EQ(5, homa_prio_unsched(default_cutoffs, 8, 15000));
	EXPECT_EQ(4, homa_prio_unsched(default_cutoffs, 8, 15001));
	EXPECT_EQ(4, homa_prio_unsched(default_cutoffs, 8, 1000000));
}

UNIT_TEST(homa_prio_unsched__longer_than_every_cutoff)
{
	EXPECT_EQ(0, homa_prio_unsched(default_cutoffs, 8, 1000001));
	EXPECT_EQ(0, homa_prio_unsched(default_cutoffs, 8, 0xffffffffU));
}

UNIT_TEST(homa_prio_unsched__fewer_levels)
{
	/* Levels at or above num_priorities are never used, whatever
	 * their cutoffs say.
	 */
	EXPECT_EQ(5, homa_prio_unsched(default_cutoffs, 6, 100));
	EXPECT_EQ(4, homa_prio_unsched(default_cutoffs, 5, 100));
	EXPECT_EQ(0, homa_prio_unsched(default_cutoffs, 4, 100));
	EXPECT_EQ(0, homa_prio_unsched(default_cutoffs, 1, 100));
	EXPECT_EQ(0, homa_prio_unsched(default_cutoffs, 1, 1000001));
	EXPECT_EQ(0, homa_prio_unsched(default_cutoffs, 0, 100));
}

UNIT_TEST(homa_prio_unsched__num_priorities_out_of_range)
{
	EXPECT_EQ(7, homa_prio_unsched(default_cutoffs, 9, 100));
	EXPECT_EQ(7, homa_prio_unsched(default_cutoffs, 0xffffffffU, 100));
}

UNIT_TEST(homa_prio_unsched__level_0_has_no_cutoff)
{
	u32 cutoffs[HOMA_MAX_PRIORITIES] = { 1000000, 0, 0, 0, 0, 0, 0, 0 };

	/* cutoffs[0] is never consulted: nothing fits above it, so 0. */
	EXPECT_EQ(0, homa_prio_unsched(cutoffs, 8, 100));
}

UNIT_TEST(homa_prio_unsched__custom_cutoffs)
{
	u32 cutoffs[HOMA_MAX_PRIORITIES] = {
		0, 0, 1000000, 50000, 10000, 1000, 500, 100
	};

	EXPECT_EQ(7, homa_prio_unsched(cutoffs, 8, 100));
	EXPECT_EQ(6, homa_prio_unsched(cutoffs, 8, 101));
	EXPECT_EQ(5, homa_prio_unsched(cutoffs, 8, 1000));
	EXPECT_EQ(4, homa_prio_unsched(cutoffs, 8, 10000));
	EXPECT_EQ(3, homa_prio_unsched(cutoffs, 8, 50000));
	EXPECT_EQ(2, homa_prio_unsched(cutoffs, 8, 50001));
	EXPECT_EQ(0, homa_prio_unsched(cutoffs, 8, 1000001));
}

UNIT_TEST(homa_prio_max_sched__defaults)
{
	EXPECT_EQ(3, homa_prio_max_sched(default_cutoffs, 8));
}

UNIT_TEST(homa_prio_max_sched__other_cutoffs)
{
	u32 two_unsched[HOMA_MAX_PRIORITIES] = {
		0, 0, 0, 0, 0, 0, HOMA_MAX_MESSAGE_LENGTH, 1000
	};
	u32 all_unsched[HOMA_MAX_PRIORITIES] = {
		0, 2000000, 0, 0, 0, 0, 0, 0
	};
	u32 none[HOMA_MAX_PRIORITIES] = { 0, 0, 0, 0, 999999, 100, 10, 1 };

	EXPECT_EQ(5, homa_prio_max_sched(two_unsched, 8));
	EXPECT_EQ(0, homa_prio_max_sched(all_unsched, 8));
	/* No level holds every length: scheduled bytes use every level. */
	EXPECT_EQ(7, homa_prio_max_sched(none, 8));
}

UNIT_TEST(homa_prio_max_sched__scan_starts_at_the_top)
{
	u32 cutoffs[HOMA_MAX_PRIORITIES] = {
		0, 0, HOMA_MAX_MESSAGE_LENGTH, 0, 0,
		HOMA_MAX_MESSAGE_LENGTH, 0, 100
	};

	EXPECT_EQ(4, homa_prio_max_sched(cutoffs, 8));
	EXPECT_EQ(1, homa_prio_max_sched(cutoffs, 5));
}

UNIT_TEST(homa_prio_max_sched__fewer_levels)
{
	EXPECT_EQ(3, homa_prio_max_sched(default_cutoffs, 5));
	EXPECT_EQ(3, homa_prio_max_sched(default_cutoffs, 4));
	EXPECT_EQ(1, homa_prio_max_sched(default_cutoffs, 2));
	EXPECT_EQ(0, homa_prio_max_sched(default_cutoffs, 1));
	EXPECT_EQ(0, homa_prio_max_sched(default_cutoffs, 0));
	EXPECT_EQ(3, homa_prio_max_sched(default_cutoffs, 100));
}

UNIT_TEST(homa_prio_resend__unscheduled_level_of_the_message)
{
	/* A long message's bytes come back above the scheduled levels
	 * (0..3) but below every shorter message.
	 */
	EXPECT_EQ(4, homa_prio_resend(default_cutoffs, 8, 1000000));
	EXPECT_EQ(5, homa_prio_resend(default_cutoffs, 8, 15000));
	EXPECT_EQ(6, homa_prio_resend(default_cutoffs, 8, 1000));
	EXPECT_EQ(7, homa_prio_resend(default_cutoffs, 8, 100));
}

UNIT_TEST(homa_prio_resend__unknown_length_is_the_highest_level_in_use)
{
	EXPECT_EQ(7, homa_prio_resend(default_cutoffs, 8, -1));
	EXPECT_EQ(2, homa_prio_resend(default_cutoffs, 3, -1));
	EXPECT_EQ(0, homa_prio_resend(default_cutoffs, 1, -1));
	EXPECT_EQ(0, homa_prio_resend(default_cutoffs, 0, -1));
	EXPECT_EQ(7, homa_prio_resend(default_cutoffs, 100, -1));
}

UNIT_TEST(homa_prio_grant__examples)
{
	EXPECT_EQ(0, homa_prio_grant(0, 1, 3));
	EXPECT_EQ(1, homa_prio_grant(0, 2, 3));
	EXPECT_EQ(0, homa_prio_grant(1, 2, 3));
	EXPECT_EQ(3, homa_prio_grant(0, 6, 3));
	EXPECT_EQ(2, homa_prio_grant(1, 6, 3));
	EXPECT_EQ(1, homa_prio_grant(2, 6, 3));
	EXPECT_EQ(0, homa_prio_grant(3, 6, 3));
	EXPECT_EQ(0, homa_prio_grant(5, 6, 3));
}

UNIT_TEST(homa_prio_grant__exactly_as_many_active_as_levels)
{
	EXPECT_EQ(3, homa_prio_grant(0, 4, 3));
	EXPECT_EQ(0, homa_prio_grant(3, 4, 3));
}

UNIT_TEST(homa_prio_grant__always_within_scheduled_levels)
{
	u32 rank, active, msp;

	for (msp = 0; msp < HOMA_MAX_PRIORITIES; msp++) {
		for (active = 1; active <= 10; active++) {
			u8 prev = msp + 1;

			for (rank = 0; rank < active; rank++) {
				u8 p = homa_prio_grant(rank, active, msp);

				EXPECT_TRUE(p <= msp);
				/* Better ranks never get lower levels. */
				EXPECT_TRUE(p <= prev);
				prev = p;
			}
			/* The worst rank always sits at level 0. */
			EXPECT_EQ(0, prev);
		}
	}
}

UNIT_TEST(homa_prio_grant__degenerate_inputs)
{
	EXPECT_EQ(0, homa_prio_grant(0, 0, 3));
	EXPECT_EQ(0, homa_prio_grant(7, 3, 3));
	EXPECT_EQ(0, homa_prio_grant(0, 5, 0));
	EXPECT_EQ(255, homa_prio_grant(0, 1000, 255));
}

UNIT_TEST(homa_prio_tos__top_three_bits)
{
	EXPECT_EQ(0xe0, homa_prio_tos(identity_map, 7));
	EXPECT_EQ(0x20, homa_prio_tos(identity_map, 1));
	EXPECT_EQ(0x00, homa_prio_tos(identity_map, 0));
}

UNIT_TEST(homa_prio_tos__every_level_distinct)
{
	u8 seen = 0;
	u8 level;

	/* The historic TOS/DSCP mix-up made levels collide on the wire. */
	for (level = 0; level < HOMA_MAX_PRIORITIES; level++) {
		u8 tos = homa_prio_tos(identity_map, level);

		EXPECT_EQ(level << 5, tos);
		EXPECT_EQ(0, tos & 0x1f);
		EXPECT_EQ(0, seen & (1 << (tos >> 5)));
		seen |= 1 << (tos >> 5);
	}
	EXPECT_EQ(0xff, seen);
}

UNIT_TEST(homa_prio_tos__map_applied)
{
	u8 map[HOMA_MAX_PRIORITIES] = { 7, 6, 5, 4, 3, 2, 1, 0 };
	u8 flat[HOMA_MAX_PRIORITIES] = { 0, 0, 0, 0, 2, 2, 5, 5 };

	EXPECT_EQ(0xe0, homa_prio_tos(map, 0));
	EXPECT_EQ(0x00, homa_prio_tos(map, 7));
	EXPECT_EQ(0x80, homa_prio_tos(map, 3));
	EXPECT_EQ(0x40, homa_prio_tos(flat, 5));
	EXPECT_EQ(0xa0, homa_prio_tos(flat, 7));
}
