// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for tools/lib/homa_cutoffs.c, the computation of
 * homa_cutoffs(1). Every result is also checked against the module's own
 * rules in src/homa_prio.c: the vector must make homa_prio_max_sched()
 * give the max_sched_prio that the tool prints, and homa_prio_unsched()
 * must send each bucket to the level that the tool counted it on.
 */
#include <errno.h>
#include <linux/homa.h>
#include "homa_prio.h"
#include "homa_cutoffs.h"
#include "unit.h"

#define UNSCHED 40000

/* Tolerance of near() for results that are exact but for rounding. */
#define TINY (1 / 1e9)

/* Count @n messages of @length bytes, as homa_metrics_msg_in() does. */
static void add(struct homa_hist *h, u32 length, u32 n)
{
	int b;

	if (length > HOMA_HIST_MEDIUM_MAX) {
		h->large_count += n;
		h->large_bytes += (u64)length * n;
		return;
	}
	for (b = 0; homa_hist_limit(b) < length; b++)
		;
	h->bytes[b] += (u64)length * n;
}

/* Whether @a and @b differ by at most @rel of @b. */
static int near(double a, double b, double rel)
{
	double d = a > b ? a - b : b - a;

	return d <= rel * (b > 0 ? b : -b);
}

/*
 * The rules every result must follow, for @p levels (a failure is
 * reported in unit_failed).
 */
static void check_rules(const struct homa_cutoffs *c, u32 p)
{
	u32 bottom = p - c->levels;
	double sum = 0;
	u32 i;
	int b;

	EXPECT_TRUE(c->levels >= 1);
	EXPECT_TRUE(c->levels <= (p > 1 ? p - 1 : 1));
	EXPECT_EQ(HOMA_MAX_MESSAGE_LENGTH, c->cutoffs[bottom]);
	for (i = 0; i < HOMA_CUTOFFS_LEVELS; i++) {
		if (i < bottom || i >= p)
			EXPECT_EQ(0, c->cutoffs[i]);
		else if (i > bottom)
			/* Non-decreasing downward, as homa_prio expects. */
			EXPECT_TRUE(c->cutoffs[i] > 0 &&
				    c->cutoffs[i] <= c->cutoffs[i - 1] &&
				    c->cutoffs[i] <= HOMA_HIST_MEDIUM_MAX);
		if (i < bottom)
			EXPECT_EQ(0, c->level_bytes[i]);
		sum += c->level_bytes[i];
	}
	EXPECT_TRUE(near(sum, c->unsched_bytes, TINY));
	EXPECT_TRUE(near(c->share * c->total_bytes, c->unsched_bytes, TINY));
	EXPECT_EQ(p > 1 ? bottom - 1 : 0, c->max_sched_prio);
	EXPECT_EQ(homa_prio_max_sched(c->cutoffs, p), c->max_sched_prio);
	for (b = 0; b < HOMA_HIST_BUCKETS; b++)
		EXPECT_EQ(homa_prio_unsched(c->cutoffs, p, homa_hist_limit(b)),
			  homa_cutoffs_level(c->cutoffs, p,
					     homa_hist_limit(b)));
	EXPECT_EQ(bottom, homa_prio_unsched(c->cutoffs, p,
					    HOMA_HIST_MEDIUM_MAX + 1));
	EXPECT_EQ(bottom, homa_prio_unsched(c->cutoffs, p,
					    HOMA_MAX_MESSAGE_LENGTH));
}

/* Compute for @h and check the rules; fails the case on error. */
#define COMPUTE(h, unsched, p, c)					\
	do {								\
		EXPECT_EQ(0, homa_cutoffs_compute(h, unsched, p, c));	\
		check_rules(c, p);					\
		if (unit_failed)					\
			return;						\
	} while (0)

#define EXPECT_CUTOFFS(c, c0, c1, c2, c3, c4, c5, c6, c7)		\
	do {								\
		const u32 _want[] = { c0, c1, c2, c3, c4, c5, c6, c7 };	\
		int _i;							\
									\
		for (_i = 0; _i < HOMA_CUTOFFS_LEVELS; _i++)		\
			EXPECT_EQ(_want[_i], (c)->cutoffs[_i]);		\
	} while (0)

UNIT_TEST(homa_hist_limit__buckets)
{
	int b;

	EXPECT_EQ(188, HOMA_HIST_BUCKETS);
	EXPECT_EQ(64, homa_hist_limit(0));
	EXPECT_EQ(128, homa_hist_limit(1));
	EXPECT_EQ(4096, homa_hist_limit(63));
	EXPECT_EQ(5120, homa_hist_limit(64));
	EXPECT_EQ(131072, homa_hist_limit(HOMA_HIST_BUCKETS - 1));
	for (b = 0; b < HOMA_HIST_BUCKETS; b++)
		EXPECT_EQ(b, homa_hist_bucket(homa_hist_limit(b)));
}

UNIT_TEST(homa_hist_bucket__not_a_limit)
{
	EXPECT_EQ(-1, homa_hist_bucket(0));
	EXPECT_EQ(-1, homa_hist_bucket(100));
	EXPECT_EQ(-1, homa_hist_bucket(4160));
	EXPECT_EQ(-1, homa_hist_bucket(131073));
	EXPECT_EQ(-1, homa_hist_bucket(132096));
}

UNIT_TEST(homa_hist_add__names)
{
	struct homa_hist h = { 0 };

	EXPECT_EQ(1, homa_hist_add(&h, "msg_bytes_128", 100));
	EXPECT_EQ(1, homa_hist_add(&h, "cpu3.msg_bytes_128", 200));
	EXPECT_EQ(1, homa_hist_add(&h, "msg_bytes_131072", 7));
	EXPECT_EQ(1, homa_hist_add(&h, "large_msg_count", 2));
	EXPECT_EQ(1, homa_hist_add(&h, "cpu0.large_msg_bytes", 400000));
	EXPECT_EQ(0, homa_hist_add(&h, "packets_sent_DATA", 5));
	EXPECT_EQ(0, homa_hist_add(&h, "cpux.msg_bytes_128", 5));
	EXPECT_EQ(0, homa_hist_add(&h, "cpu1_msg_bytes_128", 5));
	EXPECT_EQ(-1, homa_hist_add(&h, "msg_bytes_100", 5));
	EXPECT_EQ(-1, homa_hist_add(&h, "msg_bytes_", 5));
	EXPECT_EQ(-1, homa_hist_add(&h, "msg_bytes_99999999999", 5));
	EXPECT_EQ(300, h.bytes[1]);
	EXPECT_EQ(7, h.bytes[HOMA_HIST_BUCKETS - 1]);
	EXPECT_EQ(2, h.large_count);
	EXPECT_EQ(400000, h.large_bytes);
}

UNIT_TEST(homa_hist_read__metrics_text)
{
	static const char text[] =
		"client_requests_started                         3  requests\n"
		"msg_bytes_64                                    0  bytes in\n"
		"msg_bytes_128                                 100  bytes in\n"
		"not a counter line\n"
		"msg_bytes_5120                               5000  bytes in\n"
		"large_msg_count                                 1  messages\n"
		"large_msg_bytes                            200000  bytes\n";
	struct homa_hist h;
	char why[200];
	FILE *f;

	f = fmemopen((void *)text, sizeof(text) - 1, "r");
	EXPECT_TRUE(f);
	EXPECT_EQ(5, homa_hist_read(f, &h, why, sizeof(why)));
	fclose(f);
	EXPECT_EQ(100, h.bytes[1]);
	EXPECT_EQ(5000, h.bytes[64]);
	EXPECT_EQ(1, h.large_count);
	EXPECT_EQ(200000, h.large_bytes);
}

UNIT_TEST(homa_hist_read__per_cpu_counts_add_up)
{
	static const char text[] =
		"cpu0.msg_bytes_128        100  bytes\n"
		"cpu1.msg_bytes_128        300  bytes\n"
		"cpu1.packets_rcvd_DATA      9  packets\n";
	struct homa_hist h;
	char why[200];
	FILE *f;

	f = fmemopen((void *)text, sizeof(text) - 1, "r");
	EXPECT_TRUE(f);
	EXPECT_EQ(2, homa_hist_read(f, &h, why, sizeof(why)));
	fclose(f);
	EXPECT_EQ(400, h.bytes[1]);
}

UNIT_TEST(homa_hist_read__no_histogram)
{
	static const char text[] = "packets_sent_DATA 5 packets\n";
	struct homa_hist h;
	char why[200];
	FILE *f;

	f = fmemopen((void *)text, sizeof(text) - 1, "r");
	EXPECT_TRUE(f);
	EXPECT_EQ(0, homa_hist_read(f, &h, why, sizeof(why)));
	fclose(f);
}

UNIT_TEST(homa_hist_read__unknown_bucket)
{
	static const char text[] = "msg_bytes_64 1 x\nmsg_bytes_100 5 bytes\n";
	struct homa_hist h;
	char why[200] = "";
	FILE *f;

	f = fmemopen((void *)text, sizeof(text) - 1, "r");
	EXPECT_TRUE(f);
	EXPECT_EQ(-1, homa_hist_read(f, &h, why, sizeof(why)));
	fclose(f);
	EXPECT_TRUE(strstr(why, "line 2: msg_bytes_100"));
}

UNIT_TEST(homa_cutoffs_compute__empty)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;
	int i;

	EXPECT_EQ(-ENODATA, homa_cutoffs_compute(&h, UNSCHED, 8, &c));
	EXPECT_EQ(0, c.total_bytes);
	for (i = 0; i < HOMA_CUTOFFS_LEVELS; i++)
		EXPECT_EQ(0, c.cutoffs[i]);

	/* A count of large messages without bytes is still nothing. */
	h.large_count = 3;
	EXPECT_EQ(-ENODATA, homa_cutoffs_compute(&h, UNSCHED, 8, &c));
}

UNIT_TEST(homa_cutoffs_compute__arguments_out_of_range)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	add(&h, 100, 10);
	EXPECT_EQ(-EINVAL, homa_cutoffs_compute(&h, 0, 8, &c));
	EXPECT_EQ(-EINVAL, homa_cutoffs_compute(&h, 1000001, 8, &c));
	EXPECT_EQ(-EINVAL, homa_cutoffs_compute(&h, UNSCHED, 0, &c));
	EXPECT_EQ(-EINVAL, homa_cutoffs_compute(&h, UNSCHED, 9, &c));
	EXPECT_EQ(0, homa_cutoffs_compute(&h, 1000000, 8, &c));
	EXPECT_EQ(0, homa_cutoffs_compute(&h, 1, 1, &c));
}

UNIT_TEST(homa_cutoffs_compute__all_tiny_messages)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/* Everything is unscheduled: all levels but one for it. */
	add(&h, 50, 1000);
	COMPUTE(&h, UNSCHED, 8, &c);
	EXPECT_EQ(50000, c.total_bytes);
	EXPECT_EQ(50000, c.unsched_bytes);
	EXPECT_EQ(7, c.levels);
	EXPECT_CUTOFFS(&c, 0, 1000000, 64, 64, 64, 64, 64, 64);
	EXPECT_EQ(0, c.max_sched_prio);
	/* homa_prio_unsched() puts them all at the top. */
	EXPECT_EQ(50000, c.level_bytes[7]);
	EXPECT_EQ(7, homa_prio_unsched(c.cutoffs, 8, 50));
}

UNIT_TEST(homa_cutoffs_compute__only_large_messages)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/* 8 x 40000 / 500000 = 0.64: one level. */
	add(&h, 500000, 10);
	COMPUTE(&h, UNSCHED, 8, &c);
	EXPECT_EQ(5000000, c.total_bytes);
	EXPECT_EQ(400000, c.unsched_bytes);
	EXPECT_EQ(1, c.levels);
	EXPECT_CUTOFFS(&c, 0, 0, 0, 0, 0, 0, 0, 1000000);
	EXPECT_EQ(6, c.max_sched_prio);

	/*
	 * 8 x 200000 / 500000 = 3.2: three levels, but the histogram cannot
	 * split messages beyond 131072, so the upper two end there.
	 */
	COMPUTE(&h, 200000, 8, &c);
	EXPECT_EQ(3, c.levels);
	EXPECT_CUTOFFS(&c, 0, 0, 0, 0, 0, 1000000, 131072, 131072);
	EXPECT_EQ(4, c.max_sched_prio);
	EXPECT_EQ(2000000, c.level_bytes[5]);
}

UNIT_TEST(homa_cutoffs_compute__large_messages_shorter_than_unsched)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/* unsched_bytes above their length: all their bytes count. */
	add(&h, 200000, 4);
	COMPUTE(&h, 1000000, 8, &c);
	EXPECT_EQ(800000, c.unsched_bytes);
	EXPECT_EQ(7, c.levels);
}

UNIT_TEST(homa_cutoffs_compute__bimodal)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/*
	 * 300000 bytes of 100-byte messages, 5 of 200000 bytes: unscheduled
	 * 300000 + 5 x 40000 of 1300000, 8 x 0.385 = 3.08: three levels of
	 * 166667 bytes. The short ones fill the first alone.
	 */
	add(&h, 100, 3000);
	add(&h, 200000, 5);
	COMPUTE(&h, UNSCHED, 8, &c);
	EXPECT_EQ(1300000, c.total_bytes);
	EXPECT_EQ(500000, c.unsched_bytes);
	EXPECT_EQ(3, c.levels);
	EXPECT_CUTOFFS(&c, 0, 0, 0, 0, 0, 1000000, 131072, 128);
	EXPECT_EQ(4, c.max_sched_prio);
	EXPECT_EQ(300000, c.level_bytes[7]);
	EXPECT_EQ(0, c.level_bytes[6]);
	EXPECT_EQ(200000, c.level_bytes[5]);
	EXPECT_EQ(7, homa_prio_unsched(c.cutoffs, 8, 100));
	EXPECT_EQ(5, homa_prio_unsched(c.cutoffs, 8, 200000));
}

UNIT_TEST(homa_cutoffs_compute__three_sizes)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/*
	 * The traffic of tests/vm/suites/rpc/cutoffs.sh: unscheduled 30000
	 * + 30000 + 60000 + 40000 of 420000 bytes, 8 x 0.381 = 3.05: three
	 * levels of 53333 bytes.
	 */
	add(&h, 100, 300);
	add(&h, 5000, 6);
	add(&h, 20000, 3);
	add(&h, 300000, 1);
	COMPUTE(&h, UNSCHED, 8, &c);
	EXPECT_EQ(420000, c.total_bytes);
	EXPECT_EQ(160000, c.unsched_bytes);
	EXPECT_EQ(3, c.levels);
	EXPECT_CUTOFFS(&c, 0, 0, 0, 0, 0, 1000000, 20480, 5120);
	EXPECT_EQ(4, c.max_sched_prio);
	EXPECT_EQ(60000, c.level_bytes[7]);
	EXPECT_EQ(60000, c.level_bytes[6]);
	EXPECT_EQ(40000, c.level_bytes[5]);
}

UNIT_TEST(homa_cutoffs_compute__share_ends_exactly_at_a_bucket)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/* Two equal halves on two levels: the first ends with the first. */
	add(&h, 100, 1000);
	add(&h, 10000, 10);
	COMPUTE(&h, UNSCHED, 3, &c);
	EXPECT_EQ(2, c.levels);
	EXPECT_CUTOFFS(&c, 0, 1000000, 128, 0, 0, 0, 0, 0);
	EXPECT_EQ(0, c.max_sched_prio);
	EXPECT_EQ(100000, c.level_bytes[2]);
	EXPECT_EQ(100000, c.level_bytes[1]);
}

UNIT_TEST(homa_cutoffs_compute__one_level)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/* One level carries everything; its cutoff is never consulted. */
	add(&h, 100, 1000);
	add(&h, 300000, 10);
	COMPUTE(&h, UNSCHED, 1, &c);
	EXPECT_EQ(1, c.levels);
	EXPECT_CUTOFFS(&c, 1000000, 0, 0, 0, 0, 0, 0, 0);
	EXPECT_EQ(0, c.max_sched_prio);
	EXPECT_TRUE(near(c.level_bytes[0], c.unsched_bytes, TINY));
}

UNIT_TEST(homa_cutoffs_compute__two_levels)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/* All unscheduled, yet one level stays for scheduled bytes. */
	add(&h, 100, 1000);
	COMPUTE(&h, UNSCHED, 2, &c);
	EXPECT_EQ(1, c.levels);
	EXPECT_CUTOFFS(&c, 0, 1000000, 0, 0, 0, 0, 0, 0);
	EXPECT_EQ(0, c.max_sched_prio);
}

UNIT_TEST(homa_cutoffs_compute__small_unsched_bytes)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/*
	 * With unsched_bytes 100, each message has at most 100 unscheduled
	 * bytes: 1000 x 50 + 100 x 100 + 10 x 100 = 61000 (estimated within
	 * 1%, from the middles of the buckets), of 1150000: 0.42 of a
	 * level, so 1.
	 */
	add(&h, 50, 1000);
	add(&h, 1000, 100);
	add(&h, 100000, 10);
	COMPUTE(&h, 100, 8, &c);
	EXPECT_EQ(1150000, c.total_bytes);
	EXPECT_TRUE(near(c.unsched_bytes, 61000, 0.01));
	EXPECT_EQ(1, c.levels);
	EXPECT_CUTOFFS(&c, 0, 0, 0, 0, 0, 0, 0, 1000000);
	EXPECT_EQ(6, c.max_sched_prio);

	/*
	 * unsched_bytes 1: one byte per message, 1110; the estimate takes
	 * the messages of a bucket to be as long as its middle, 32.5 bytes
	 * for the first: 50000 / 32.5 + 100000 / 992.5 + 1000000 / 99840.5.
	 */
	COMPUTE(&h, 1, 8, &c);
	EXPECT_TRUE(near(c.unsched_bytes,
			 50000 / 32.5 + 100000 / 992.5 + 1000000 / 99840.5,
			 TINY));
	EXPECT_EQ(1, c.levels);
}

UNIT_TEST(homa_cutoffs_compute__spread_evenly)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;
	u32 length, i;

	/*
	 * Every length from 1 to 20000 once, all unscheduled: seven levels
	 * of about 28.6 MB each. The bytes up to length L grow as L * L, so
	 * level 7 - j ends near 20000 * sqrt((j + 1) / 7): 7559, 10690,
	 * 13093, 15119, 16903, 18516, rounded up to bucket limits. No level
	 * gets more than its part plus one bucket (at most 20 MB).
	 */
	for (length = 1; length <= 20000; length++)
		add(&h, length, 1);
	COMPUTE(&h, UNSCHED, 8, &c);
	EXPECT_EQ(200010000, c.total_bytes);
	EXPECT_EQ(7, c.levels);
	EXPECT_CUTOFFS(&c, 0, 1000000, 19456, 17408, 15360, 13312, 11264,
		       8192);
	for (i = 1; i < 8; i++)
		EXPECT_TRUE(c.level_bytes[i] <
			    c.unsched_bytes / 7 + 20480.0 * 1024);
}

UNIT_TEST(homa_cutoffs_compute__fewer_levels_leave_the_top_unused)
{
	struct homa_hist h = { 0 };
	struct homa_cutoffs c;

	/* num_priorities 5: levels 5..7 are not used and get 0. */
	add(&h, 100, 300);
	add(&h, 5000, 6);
	add(&h, 20000, 3);
	add(&h, 300000, 1);
	COMPUTE(&h, UNSCHED, 5, &c);
	EXPECT_EQ(2, c.levels);
	EXPECT_CUTOFFS(&c, 0, 0, 0, 1000000, 20480, 0, 0, 0);
	EXPECT_EQ(2, c.max_sched_prio);
}
