// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/homa_gaps.c. */
#include "homa_gaps.h"
#include "unit.h"

/* Records a failure unless @g holds exactly @recv_end and the @n gaps
 * listed in @want (start, end pairs).
 */
static void check_gaps(const struct homa_gaps *g, u32 recv_end, u32 n,
		       const u32 *want)
{
	u32 i;

	EXPECT_EQ(recv_end, g->recv_end);
	EXPECT_EQ(n, g->num_gaps);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(want[2 * i], g->gaps[i].start);
		EXPECT_EQ(want[2 * i + 1], g->gaps[i].end);
	}
}

/* Fails the calling test unless @g holds exactly recv_end and @n gaps,
 * given as start, end pairs.
 */
#define EXPECT_GAPS(g, recv_end, n, ...)				\
	do {								\
		check_gaps(g, recv_end, n,				\
			   (const u32[]){ __VA_ARGS__ + 0 });		\
		if (unit_failed)					\
			return;						\
	} while (0)

/* State with gaps [100, 200), [300, 400) and [500, 600), recv_end 700. */
static void three_gaps(struct homa_gaps *g)
{
	homa_gaps_init(g);
	homa_gaps_add(g, 0, 100);
	homa_gaps_add(g, 200, 300);
	homa_gaps_add(g, 400, 500);
	homa_gaps_add(g, 600, 700);
}

/* Fills @g with HOMA_MAX_GAPS gaps: bytes [20i, 20i + 10) missing for
 * each i, recv_end 20 * HOMA_MAX_GAPS.
 */
static void full_of_gaps(struct homa_gaps *g)
{
	u32 i;

	homa_gaps_init(g);
	for (i = 0; i < HOMA_MAX_GAPS; i++)
		homa_gaps_add(g, 20 * i + 10, 20 * i + 20);
}

UNIT_TEST(homa_gaps_init__nothing_arrived)
{
	struct homa_gaps g;

	memset(&g, 0xa5, sizeof(g));
	homa_gaps_init(&g);
	EXPECT_GAPS(&g, 0, 0);
	EXPECT_EQ(0, homa_gaps_bytes(&g));
}

UNIT_TEST(homa_gaps_add__in_order)
{
	struct homa_gaps g;

	homa_gaps_init(&g);
	EXPECT_EQ(1400, homa_gaps_add(&g, 0, 1400));
	EXPECT_EQ(1400, homa_gaps_add(&g, 1400, 2800));
	EXPECT_EQ(100, homa_gaps_add(&g, 2800, 2900));
	EXPECT_GAPS(&g, 2900, 0);
}

UNIT_TEST(homa_gaps_add__empty_range)
{
	struct homa_gaps g;

	homa_gaps_init(&g);
	EXPECT_EQ(0, homa_gaps_add(&g, 0, 0));
	EXPECT_EQ(0, homa_gaps_add(&g, 500, 500));
	EXPECT_EQ(0, homa_gaps_add(&g, 500, 400));
	EXPECT_GAPS(&g, 0, 0);
}

UNIT_TEST(homa_gaps_add__beyond_recv_end_opens_gap)
{
	struct homa_gaps g;

	homa_gaps_init(&g);
	EXPECT_EQ(1000, homa_gaps_add(&g, 1000, 2000));
	EXPECT_GAPS(&g, 2000, 1, 0, 1000);
	EXPECT_EQ(500, homa_gaps_add(&g, 3000, 3500));
	EXPECT_GAPS(&g, 3500, 2, 0, 1000, 2000, 3000);
	EXPECT_EQ(2000, homa_gaps_bytes(&g));
}

UNIT_TEST(homa_gaps_add__full_duplicate)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(0, homa_gaps_add(&g, 0, 100));
	EXPECT_EQ(0, homa_gaps_add(&g, 200, 300));
	EXPECT_EQ(0, homa_gaps_add(&g, 650, 700));
	EXPECT_EQ(0, homa_gaps_add(&g, 10, 20));
	EXPECT_GAPS(&g, 700, 3, 100, 200, 300, 400, 500, 600);
}

UNIT_TEST(homa_gaps_add__fills_gap_exactly)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(100, homa_gaps_add(&g, 300, 400));
	EXPECT_GAPS(&g, 700, 2, 100, 200, 500, 600);
	EXPECT_EQ(100, homa_gaps_add(&g, 100, 200));
	EXPECT_GAPS(&g, 700, 1, 500, 600);
	EXPECT_EQ(100, homa_gaps_add(&g, 500, 600));
	EXPECT_GAPS(&g, 700, 0);
}

UNIT_TEST(homa_gaps_add__fills_start_of_gap)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(40, homa_gaps_add(&g, 300, 340));
	EXPECT_GAPS(&g, 700, 3, 100, 200, 340, 400, 500, 600);
}

UNIT_TEST(homa_gaps_add__fills_end_of_gap)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(40, homa_gaps_add(&g, 360, 400));
	EXPECT_GAPS(&g, 700, 3, 100, 200, 300, 360, 500, 600);
}

UNIT_TEST(homa_gaps_add__fills_middle_of_gap)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(20, homa_gaps_add(&g, 340, 360));
	EXPECT_GAPS(&g, 700, 4, 100, 200, 300, 340, 360, 400, 500, 600);
	EXPECT_EQ(280, homa_gaps_bytes(&g));
}

UNIT_TEST(homa_gaps_add__straddles_start_of_gap)
{
	struct homa_gaps g;

	three_gaps(&g);
	/* [250, 300) arrived before; [300, 350) is new. */
	EXPECT_EQ(50, homa_gaps_add(&g, 250, 350));
	EXPECT_GAPS(&g, 700, 3, 100, 200, 350, 400, 500, 600);
}

UNIT_TEST(homa_gaps_add__straddles_end_of_gap)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(50, homa_gaps_add(&g, 350, 450));
	EXPECT_GAPS(&g, 700, 3, 100, 200, 300, 350, 500, 600);
}

UNIT_TEST(homa_gaps_add__covers_gap_and_more)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(100, homa_gaps_add(&g, 250, 450));
	EXPECT_GAPS(&g, 700, 2, 100, 200, 500, 600);
}

UNIT_TEST(homa_gaps_add__spans_several_gaps)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(50 + 100 + 50, homa_gaps_add(&g, 150, 550));
	EXPECT_GAPS(&g, 700, 2, 100, 150, 550, 600);

	three_gaps(&g);
	EXPECT_EQ(300, homa_gaps_add(&g, 0, 700));
	EXPECT_GAPS(&g, 700, 0);
}

UNIT_TEST(homa_gaps_add__spans_gaps_and_recv_end)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(50 + 100 + 300, homa_gaps_add(&g, 350, 1000));
	EXPECT_GAPS(&g, 1000, 2, 100, 200, 300, 350);
	EXPECT_EQ(100 + 50 + 500, homa_gaps_add(&g, 0, 1500));
	EXPECT_GAPS(&g, 1500, 0);
}

UNIT_TEST(homa_gaps_add__below_recv_end_without_gaps)
{
	struct homa_gaps g;

	homa_gaps_init(&g);
	homa_gaps_add(&g, 0, 1000);
	EXPECT_EQ(0, homa_gaps_add(&g, 200, 300));
	EXPECT_EQ(500, homa_gaps_add(&g, 900, 1500));
	EXPECT_GAPS(&g, 1500, 0);
}

UNIT_TEST(homa_gaps_add__cap_on_new_gap_at_end)
{
	struct homa_gaps g;

	full_of_gaps(&g);
	EXPECT_EQ(HOMA_MAX_GAPS, g.num_gaps);
	EXPECT_EQ(20 * HOMA_MAX_GAPS - 20, g.gaps[HOMA_MAX_GAPS - 1].start);
	EXPECT_EQ(-ENOSPC, homa_gaps_add(&g, 20 * HOMA_MAX_GAPS + 1,
					 20 * HOMA_MAX_GAPS + 100));
	EXPECT_EQ(20 * HOMA_MAX_GAPS, g.recv_end);
	EXPECT_EQ(HOMA_MAX_GAPS, g.num_gaps);
	/* In order still works: no new gap needed. */
	EXPECT_EQ(100, homa_gaps_add(&g, 20 * HOMA_MAX_GAPS,
				     20 * HOMA_MAX_GAPS + 100));
	EXPECT_EQ(HOMA_MAX_GAPS, g.num_gaps);
}

UNIT_TEST(homa_gaps_add__cap_on_split)
{
	struct homa_gaps g, before;
	u32 i;

	full_of_gaps(&g);
	before = g;
	EXPECT_EQ(-ENOSPC, homa_gaps_add(&g, 42, 45));
	EXPECT_EQ(0, memcmp(&g, &before, sizeof(g)));

	/* Shrinking or removing a gap needs no room. */
	EXPECT_EQ(2, homa_gaps_add(&g, 40, 42));
	EXPECT_EQ(HOMA_MAX_GAPS, g.num_gaps);
	EXPECT_EQ(8, homa_gaps_add(&g, 42, 50));
	EXPECT_EQ(HOMA_MAX_GAPS - 1, g.num_gaps);

	/* Now there is room for one split, and then none again. */
	EXPECT_EQ(3, homa_gaps_add(&g, 62, 65));
	EXPECT_EQ(HOMA_MAX_GAPS, g.num_gaps);
	EXPECT_EQ(-ENOSPC, homa_gaps_add(&g, 2, 3));
	for (i = 1; i < g.num_gaps; i++)
		EXPECT_TRUE(g.gaps[i - 1].end < g.gaps[i].start);
	EXPECT_EQ(10 * HOMA_MAX_GAPS - 13, homa_gaps_bytes(&g));
}

UNIT_TEST(homa_gaps_add__cap_does_not_block_duplicates)
{
	struct homa_gaps g;

	full_of_gaps(&g);
	EXPECT_EQ(0, homa_gaps_add(&g, 10, 20));
	EXPECT_EQ(0, homa_gaps_add(&g, 630, 640));
}

UNIT_TEST(homa_gaps_add__gap_at_offset_0_filled_by_first_packet)
{
	struct homa_gaps g;

	homa_gaps_init(&g);
	EXPECT_EQ(1400, homa_gaps_add(&g, 1400, 2800));
	EXPECT_EQ(1400, homa_gaps_add(&g, 0, 1400));
	EXPECT_GAPS(&g, 2800, 0);
}

UNIT_TEST(homa_gaps_missing__gaps_then_tail)
{
	struct homa_gap out[8];
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(4, homa_gaps_missing(&g, 1000, out, 8));
	EXPECT_EQ(100, out[0].start);
	EXPECT_EQ(200, out[0].end);
	EXPECT_EQ(300, out[1].start);
	EXPECT_EQ(400, out[1].end);
	EXPECT_EQ(500, out[2].start);
	EXPECT_EQ(600, out[2].end);
	EXPECT_EQ(700, out[3].start);
	EXPECT_EQ(1000, out[3].end);
}

UNIT_TEST(homa_gaps_missing__nothing_granted_beyond)
{
	struct homa_gap out[8];
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(3, homa_gaps_missing(&g, 700, out, 8));
	EXPECT_EQ(3, homa_gaps_missing(&g, 650, out, 8));
	EXPECT_EQ(500, out[2].start);
}

UNIT_TEST(homa_gaps_missing__limited_output)
{
	struct homa_gap out[8];
	struct homa_gaps g;

	memset(out, 0, sizeof(out));
	three_gaps(&g);
	EXPECT_EQ(2, homa_gaps_missing(&g, 1000, out, 2));
	EXPECT_EQ(300, out[1].start);
	EXPECT_EQ(0, out[2].start);
	EXPECT_EQ(3, homa_gaps_missing(&g, 1000, out, 3));
	EXPECT_EQ(500, out[2].start);
	EXPECT_EQ(0, homa_gaps_missing(&g, 1000, NULL, 0));
}

UNIT_TEST(homa_gaps_missing__nothing_arrived)
{
	struct homa_gap out[2];
	struct homa_gaps g;

	homa_gaps_init(&g);
	EXPECT_EQ(1, homa_gaps_missing(&g, 40000, out, 2));
	EXPECT_EQ(0, out[0].start);
	EXPECT_EQ(40000, out[0].end);
	EXPECT_EQ(0, homa_gaps_missing(&g, 0, out, 2));
}

UNIT_TEST(homa_gaps_missing__all_tracked_gaps)
{
	struct homa_gap out[HOMA_MAX_GAPS + 1];
	struct homa_gaps g;
	u32 i;

	full_of_gaps(&g);
	EXPECT_EQ(HOMA_MAX_GAPS + 1,
		  homa_gaps_missing(&g, 10000, out, HOMA_MAX_GAPS + 1));
	for (i = 0; i < HOMA_MAX_GAPS; i++) {
		EXPECT_EQ(20 * i, out[i].start);
		EXPECT_EQ(20 * i + 10, out[i].end);
	}
	EXPECT_EQ(20 * HOMA_MAX_GAPS, out[HOMA_MAX_GAPS].start);
	EXPECT_EQ(10000, out[HOMA_MAX_GAPS].end);
}

UNIT_TEST(homa_gaps_bytes__sums_gaps)
{
	struct homa_gaps g;

	three_gaps(&g);
	EXPECT_EQ(300, homa_gaps_bytes(&g));
	full_of_gaps(&g);
	EXPECT_EQ(10 * HOMA_MAX_GAPS, homa_gaps_bytes(&g));
}

/* Randomised comparison with a bitmap of received bytes. */

#define MODEL_BYTES 400

static u32 xorshift_state;

static u32 xorshift(void)
{
	u32 x = xorshift_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	xorshift_state = x;
	return x;
}

/* Checks the structural invariants of @g and that it describes exactly
 * the bytes set in @model.
 */
static void check_against_model(const struct homa_gaps *g, const u8 *model)
{
	u32 i, next_gap = 0, missing = 0;

	EXPECT_TRUE(g->num_gaps <= HOMA_MAX_GAPS);
	EXPECT_TRUE(g->recv_end <= MODEL_BYTES);
	for (i = 0; i < g->num_gaps; i++) {
		EXPECT_TRUE(g->gaps[i].start < g->gaps[i].end);
		EXPECT_TRUE(g->gaps[i].end <= g->recv_end);
		if (i > 0)
			EXPECT_TRUE(g->gaps[i - 1].end < g->gaps[i].start);
	}

	/* Each byte below recv_end is missing iff it lies in a gap; every
	 * byte at or above recv_end is missing.
	 */
	for (i = 0; i < MODEL_BYTES; i++) {
		bool in_gap;

		while (next_gap < g->num_gaps && g->gaps[next_gap].end <= i)
			next_gap++;
		in_gap = i >= g->recv_end ||
			 (next_gap < g->num_gaps &&
			  g->gaps[next_gap].start <= i);
		EXPECT_EQ(!model[i], in_gap);
		if (i < g->recv_end && in_gap)
			missing++;
	}
	EXPECT_EQ(missing, homa_gaps_bytes(g));
	if (g->recv_end > 0)
		EXPECT_TRUE(model[g->recv_end - 1]);
}

/* Adds random ranges, some small (to create many gaps and hit the cap),
 * some large (to merge them), until every byte has arrived.
 */
static void random_run(u32 seed)
{
	u8 model[MODEL_BYTES];
	struct homa_gaps g;
	u32 step, covered = 0;

	xorshift_state = seed;
	memset(model, 0, sizeof(model));
	homa_gaps_init(&g);
	for (step = 0; step < 5000 && covered < MODEL_BYTES; step++) {
		u32 len = (xorshift() % 4) ? 1 + xorshift() % 8
					   : 1 + xorshift() % 60;
		u32 start = xorshift() % MODEL_BYTES;
		u32 end = min(start + len, (u32)MODEL_BYTES);
		u32 i, new_bytes = 0, new_gaps = 0;
		struct homa_gaps before = g;
		int ret;

		for (i = start; i < end; i++)
			new_bytes += !model[i];
		ret = homa_gaps_add(&g, start, end);
		if (ret == -ENOSPC) {
			EXPECT_EQ(0, memcmp(&g, &before, sizeof(g)));
			/* Refused only when it really needs a new gap. */
			EXPECT_EQ(HOMA_MAX_GAPS, g.num_gaps);
			for (i = 0; i < g.num_gaps; i++) {
				if (g.gaps[i].start < start &&
				    end < g.gaps[i].end)
					new_gaps++;
			}
			EXPECT_TRUE(new_gaps == 1 || start > g.recv_end);
			continue;
		}
		EXPECT_EQ(new_bytes, ret);
		for (i = start; i < end; i++)
			model[i] = 1;
		covered += new_bytes;
		check_against_model(&g, model);
		if (unit_failed)
			return;
	}
	EXPECT_EQ(MODEL_BYTES, covered);
	EXPECT_EQ(MODEL_BYTES, g.recv_end);
	EXPECT_EQ(0, g.num_gaps);
}

UNIT_TEST(homa_gaps_add__random_against_bitmap)
{
	u32 seed;

	for (seed = 1; seed <= 200; seed++) {
		random_run(seed * 2654435761U);
		if (unit_failed) {
			fprintf(stderr, "    seed %u\n", seed);
			return;
		}
	}
}

UNIT_TEST(homa_gaps_add__random_hits_the_cap)
{
	u8 model[MODEL_BYTES];
	struct homa_gaps g;
	u32 step, refused = 0, max_gaps = 0;

	/* Single bytes at random over a message with more room for holes
	 * than the cap allows: the cap must be reached and respected.
	 */
	xorshift_state = 12345;
	memset(model, 0, sizeof(model));
	homa_gaps_init(&g);
	for (step = 0; step < 3000; step++) {
		u32 start = xorshift() % MODEL_BYTES;
		int ret = homa_gaps_add(&g, start, start + 1);

		if (ret == -ENOSPC) {
			refused++;
			continue;
		}
		EXPECT_EQ(!model[start], ret);
		model[start] = 1;
		max_gaps = max(max_gaps, g.num_gaps);
		check_against_model(&g, model);
		if (unit_failed)
			return;
	}
	EXPECT_EQ(HOMA_MAX_GAPS, max_gaps);
	EXPECT_TRUE(refused > 0);
}
