// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/homa_pace.c. */
#include "homa_pace.h"
#include "unit.h"

UNIT_TEST(homa_pace__link_time_from_speed)
{
	/* 1250 bytes at 10 Mbit/s: 1 ms, from now if the link is idle. */
	EXPECT_EQ(1000000 + 1000000,
		  homa_pace_link_busy_until(1000000, 0, 1250, 10));
	/* ... or after what it still has to send. */
	EXPECT_EQ(5000000 + 1000000,
		  homa_pace_link_busy_until(1000000, 5000000, 1250, 10));
	/* 1500 bytes at 25 Gbit/s: 480 ns. */
	EXPECT_EQ(480, homa_pace_link_busy_until(0, 0, 1500, 25000));
	/* A speed of 0 cannot divide by zero. */
	EXPECT_EQ(8000, homa_pace_link_busy_until(0, 0, 1, 0));
}

UNIT_TEST(homa_pace__wait_only_beyond_backlog)
{
	EXPECT_TRUE(!homa_pace_must_wait(1000, 0, 5));
	EXPECT_TRUE(!homa_pace_must_wait(1000, 1000 + 5000, 5));
	EXPECT_TRUE(homa_pace_must_wait(1000, 1000 + 5001, 5));
	EXPECT_TRUE(homa_pace_must_wait(0, 1, 0));
	EXPECT_TRUE(!homa_pace_must_wait(0, 0, 0));
}

UNIT_TEST(homa_pace__srpt_pick)
{
	struct homa_pace_msg m[] = {
		{ .remaining = 900000, .birth = 1 },
		{ .remaining = 50000, .birth = 3 },
		{ .remaining = 50000, .birth = 2 },
		{ .remaining = 400000, .birth = 4 },
	};
	struct homa_pace_state s = { 0 };

	/* Fewest bytes left; the older of two equal ones. */
	EXPECT_EQ(2, homa_pace_pick(m, 4, 0, 1400, &s));
	EXPECT_EQ(0, homa_pace_pick(m, 1, 0, 1400, &s));
}

UNIT_TEST(homa_pace__fifo_share)
{
	struct homa_pace_msg m[] = {
		{ .remaining = 900000, .birth = 1 },
		{ .remaining = 1000, .birth = 2 },
	};
	struct homa_pace_state s = { 0 };
	u32 i, oldest = 0;

	/* 50 thousandths: the oldest gets one packet in about 21. */
	for (i = 0; i < 2100; i++)
		if (homa_pace_pick(m, 2, 50, 1400, &s) == 0)
			oldest++;
	EXPECT_TRUE(oldest >= 95 && oldest <= 105);
	/* 0: pure SRPT. */
	s.fifo_credit = 0;
	for (i = 0; i < 100; i++)
		EXPECT_EQ(1, homa_pace_pick(m, 2, 0, 1400, &s));
}
