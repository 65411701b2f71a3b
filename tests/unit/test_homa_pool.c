// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/homa_pool.c. */
#include "homa_pool.h"
#include "unit.h"

#define BPAGE HOMA_BPAGE_SIZE
#define MAX_PAGES 64
#define MAX_CPUS 4
#define LEASE 1000

/* A pool together with the arrays it uses. */
struct test_pool {
	struct homa_pool pool;
	u32 refs[MAX_PAGES];
	u32 free[MAX_PAGES];
	struct homa_pool_cpu cpus[MAX_CPUS];
};

static void pool_setup(struct test_pool *t, u32 num_bpages, u32 num_cpus)
{
	memset(t, 0xa5, sizeof(*t));
	homa_pool_init(&t->pool, num_bpages, t->refs, t->free, num_cpus,
		       t->cpus);
}

/* Checks what must hold between any two calls: every bpage is either on
 * the free stack (once) with no references, or off it with some; the
 * CPUs own distinct pages, each with a reference, and have not handed out
 * more of it than exists.
 */
static void check_consistent(const struct homa_pool *p)
{
	u8 on_stack[MAX_PAGES];
	u32 i, j;

	memset(on_stack, 0, sizeof(on_stack));
	EXPECT_TRUE(p->num_free <= p->num_bpages);
	for (i = 0; i < p->num_free; i++) {
		EXPECT_TRUE(p->free[i] < p->num_bpages);
		EXPECT_EQ(0, on_stack[p->free[i]]);
		on_stack[p->free[i]] = 1;
	}
	for (i = 0; i < p->num_bpages; i++)
		EXPECT_EQ(on_stack[i], p->refs[i] == 0);
	for (i = 0; i < p->num_cpus; i++) {
		const struct homa_pool_cpu *c = &p->cpus[i];

		if (c->page == HOMA_POOL_NO_PAGE)
			continue;
		EXPECT_TRUE(c->page < p->num_bpages);
		EXPECT_TRUE(p->refs[c->page] >= 1);
		EXPECT_TRUE(c->used <= BPAGE);
		for (j = 0; j < i; j++)
			EXPECT_TRUE(p->cpus[j].page != c->page);
	}
}

/* Is the allocation state of @a the same as that of @b? */
static bool same_state(const struct test_pool *a, const struct test_pool *b)
{
	return a->pool.num_free == b->pool.num_free &&
	       !memcmp(a->refs, b->refs, sizeof(a->refs)) &&
	       !memcmp(a->free, b->free, sizeof(a->free)) &&
	       !memcmp(a->cpus, b->cpus, sizeof(a->cpus));
}

#define EXPECT_CONSISTENT(p)						\
	do {								\
		check_consistent(p);					\
		if (unit_failed)					\
			return;						\
	} while (0)

UNIT_TEST(homa_pool_init__all_free_low_pages_on_top)
{
	struct test_pool t;
	u32 i;

	pool_setup(&t, 10, 3);
	EXPECT_EQ(10, t.pool.num_bpages);
	EXPECT_EQ(10, t.pool.num_free);
	EXPECT_EQ(3, t.pool.num_cpus);
	EXPECT_EQ(0, t.free[9]);
	EXPECT_EQ(9, t.free[0]);
	for (i = 0; i < 10; i++)
		EXPECT_EQ(0, t.refs[i]);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(HOMA_POOL_NO_PAGE, t.cpus[i].page);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__single_small_message)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 10, 2);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 0, 5, LEASE, offsets));
	EXPECT_EQ(0, offsets[0]);
	EXPECT_EQ(0, t.cpus[0].page);
	EXPECT_EQ(100, t.cpus[0].used);
	EXPECT_EQ(5 + LEASE, t.cpus[0].lease_end);
	/* One reference for the chunk, one for the CPU's ownership. */
	EXPECT_EQ(2, t.refs[0]);
	EXPECT_EQ(9, t.pool.num_free);
	EXPECT_EQ(HOMA_POOL_NO_PAGE, t.cpus[1].page);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__small_messages_share_a_page)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 10, 2);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 0, 0, LEASE, offsets));
	EXPECT_EQ(0, offsets[0]);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 64, 0, 10, LEASE, offsets));
	EXPECT_EQ(128, offsets[0]);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 1, 0, 20, LEASE, offsets));
	EXPECT_EQ(192, offsets[0]);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 1000, 0, 30, LEASE, offsets));
	EXPECT_EQ(256, offsets[0]);
	EXPECT_EQ(1256, t.cpus[0].used);
	EXPECT_EQ(30 + LEASE, t.cpus[0].lease_end);
	EXPECT_EQ(5, t.refs[0]);
	EXPECT_EQ(9, t.pool.num_free);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__tail_exactly_fills_page)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 10, 1);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 64, 0, 0, LEASE, offsets));
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, BPAGE - 64, 0, 0, LEASE,
				     offsets));
	EXPECT_EQ(64, offsets[0]);
	EXPECT_EQ(BPAGE, t.cpus[0].used);
	EXPECT_EQ(0, homa_pool_avail_bytes(&t.pool) - 9ULL * BPAGE);

	/* Nothing more fits: the next tail moves to a new page. */
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 1, 0, 0, LEASE, offsets));
	EXPECT_EQ(BPAGE, offsets[0]);
	EXPECT_EQ(2, t.refs[0]);
	EXPECT_EQ(2, t.refs[1]);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__tail_that_does_not_fit_moves_on)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 10, 1);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 40000, 0, 0, LEASE, offsets));
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 30000, 0, 0, LEASE, offsets));
	EXPECT_EQ(BPAGE, offsets[0]);
	EXPECT_EQ(1, t.cpus[0].page);
	EXPECT_EQ(30000, t.cpus[0].used);
	/* Page 0 lost its owner but still holds the first message. */
	EXPECT_EQ(1, t.refs[0]);
	EXPECT_EQ(2, t.refs[1]);
	EXPECT_EQ(0, homa_pool_release(&t.pool, 0));
	EXPECT_EQ(0, t.refs[0]);
	EXPECT_EQ(9, t.pool.num_free);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__empty_own_page_is_reused)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	/* Only one page: once its message is gone, the CPU's page holds
	 * nothing but its own reference, so a tail that does not fit after
	 * the used part can start the page over.
	 */
	pool_setup(&t, 1, 1);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 60000, 0, 0, LEASE, offsets));
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&t.pool, 10000, 0, 0, LEASE,
					   offsets));
	EXPECT_EQ(0, homa_pool_release(&t.pool, offsets[0]));
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 10000, 0, 0, LEASE, offsets));
	EXPECT_EQ(0, offsets[0]);
	EXPECT_EQ(10000, t.cpus[0].used);
	EXPECT_EQ(2, t.refs[0]);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__cpus_use_separate_pages)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 10, 3);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 0, 0, LEASE, offsets));
	EXPECT_EQ(0, offsets[0]);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 2, 0, LEASE, offsets));
	EXPECT_EQ(BPAGE, offsets[0]);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 1, 0, LEASE, offsets));
	EXPECT_EQ(2 * BPAGE, offsets[0]);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 2, 0, LEASE, offsets));
	EXPECT_EQ(BPAGE + 128, offsets[0]);
	EXPECT_EQ(0, t.cpus[0].page);
	EXPECT_EQ(2, t.cpus[1].page);
	EXPECT_EQ(1, t.cpus[2].page);
	EXPECT_EQ(3, t.refs[1]);
	EXPECT_EQ(7, t.pool.num_free);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__exact_multiples_have_no_tail)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 10, 1);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, BPAGE, 0, 0, LEASE, offsets));
	EXPECT_EQ(0, offsets[0]);
	EXPECT_EQ(3, homa_pool_alloc(&t.pool, 3 * BPAGE, 0, 0, LEASE,
				     offsets));
	EXPECT_EQ(1 * BPAGE, offsets[0]);
	EXPECT_EQ(2 * BPAGE, offsets[1]);
	EXPECT_EQ(3 * BPAGE, offsets[2]);
	EXPECT_EQ(HOMA_POOL_NO_PAGE, t.cpus[0].page);
	EXPECT_EQ(1, t.refs[0]);
	EXPECT_EQ(1, t.refs[3]);
	EXPECT_EQ(6, t.pool.num_free);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__full_chunks_then_tail)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 10, 1);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 0, 0, LEASE, offsets));
	EXPECT_EQ(3, homa_pool_alloc(&t.pool, 2 * BPAGE + 10, 0, 0, LEASE,
				     offsets));
	EXPECT_EQ(1 * BPAGE, offsets[0]);
	EXPECT_EQ(2 * BPAGE, offsets[1]);
	EXPECT_EQ(128, offsets[2]);
	EXPECT_EQ(3, t.refs[0]);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__largest_message)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];
	u32 i;

	pool_setup(&t, 20, 1);
	EXPECT_EQ(16, homa_pool_alloc(&t.pool, HOMA_MAX_MESSAGE_LENGTH, 0,
				      0, LEASE, offsets));
	for (i = 0; i < 15; i++) {
		EXPECT_EQ(i * BPAGE, offsets[i]);
		EXPECT_EQ(1, t.refs[i]);
	}
	EXPECT_EQ(15 * BPAGE, offsets[15]);
	EXPECT_EQ(16960, t.cpus[0].used);
	EXPECT_EQ(2, t.refs[15]);
	EXPECT_EQ(4, t.pool.num_free);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__bad_arguments)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 20, 2);
	EXPECT_EQ(-EINVAL, homa_pool_alloc(&t.pool, 0, 0, 0, LEASE, offsets));
	EXPECT_EQ(-EINVAL, homa_pool_alloc(&t.pool, HOMA_MAX_MESSAGE_LENGTH + 1,
					   0, 0, LEASE, offsets));
	EXPECT_EQ(-EINVAL, homa_pool_alloc(&t.pool, 100, 2, 0, LEASE,
					   offsets));
	EXPECT_EQ(20, t.pool.num_free);
}

UNIT_TEST(homa_pool_alloc__exhaustion_changes_nothing)
{
	struct test_pool t, before;
	u32 offsets[HOMA_MAX_BPAGES];
	u32 first[HOMA_MAX_BPAGES];

	pool_setup(&t, 4, 2);
	EXPECT_EQ(3, homa_pool_alloc(&t.pool, 2 * BPAGE + 100, 0, 0, LEASE,
				     first));
	EXPECT_EQ(1, t.pool.num_free);

	/* Two full chunks, one free page. */
	before = t;
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&t.pool, 2 * BPAGE, 1, 0, LEASE,
					   offsets));
	EXPECT_TRUE(same_state(&t, &before));

	/* One full chunk fits, but the tail would need a second page. */
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&t.pool, BPAGE + 100, 1, 0, LEASE,
					   offsets));
	EXPECT_TRUE(same_state(&t, &before));

	/* Same for CPU 0, whose page cannot take a 65500-byte tail. */
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&t.pool, BPAGE + 65500, 0, 0,
					   LEASE, offsets));
	EXPECT_TRUE(same_state(&t, &before));

	/* Give the first message back: now it fits. */
	EXPECT_EQ(0, homa_pool_release(&t.pool, first[0]));
	EXPECT_EQ(0, homa_pool_release(&t.pool, first[1]));
	EXPECT_EQ(0, homa_pool_release(&t.pool, first[2]));
	EXPECT_EQ(3, t.pool.num_free);
	EXPECT_EQ(2, homa_pool_alloc(&t.pool, BPAGE + 100, 1, 0, LEASE,
				     offsets));
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__fill_fail_release_succeed)
{
	struct test_pool t;
	u32 offsets[8][HOMA_MAX_BPAGES];
	u32 i;

	pool_setup(&t, 8, 1);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(1, homa_pool_alloc(&t.pool, BPAGE, 0, 0, LEASE,
					     offsets[i]));
	EXPECT_EQ(0, t.pool.num_free);
	EXPECT_EQ(0, homa_pool_avail_bytes(&t.pool));
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&t.pool, 1, 0, 0, LEASE,
					   offsets[0]));
	EXPECT_EQ(0, homa_pool_release(&t.pool, offsets[5][0]));
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 1, 0, 0, LEASE, offsets[0]));
	EXPECT_EQ(5 * BPAGE, offsets[0][0]);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_release__errors)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 4, 1);
	EXPECT_EQ(-EINVAL, homa_pool_release(&t.pool, 0));
	EXPECT_EQ(2, homa_pool_alloc(&t.pool, BPAGE + 10, 0, 0, LEASE,
				     offsets));
	EXPECT_EQ(0, offsets[0]);
	EXPECT_EQ(BPAGE, offsets[1]);
	EXPECT_EQ(-EINVAL, homa_pool_release(&t.pool, 4 * BPAGE));
	EXPECT_EQ(-EINVAL, homa_pool_release(&t.pool, 0xffffffffU));
	EXPECT_EQ(-EINVAL, homa_pool_release(&t.pool, 2 * BPAGE));

	/* A full chunk given back twice. */
	EXPECT_EQ(0, homa_pool_release(&t.pool, offsets[0]));
	EXPECT_EQ(-EINVAL, homa_pool_release(&t.pool, offsets[0]));

	/* A tail given back twice: the CPU's own reference stays. */
	EXPECT_EQ(0, homa_pool_release(&t.pool, offsets[1]));
	EXPECT_EQ(1, t.refs[1]);
	EXPECT_EQ(-EINVAL, homa_pool_release(&t.pool, offsets[1]));
	EXPECT_EQ(1, t.refs[1]);
	EXPECT_EQ(3, t.pool.num_free);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_release__offset_anywhere_in_chunk)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 4, 1);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, BPAGE, 0, 0, LEASE, offsets));
	EXPECT_EQ(0, homa_pool_release(&t.pool, offsets[0] + 1234));
	EXPECT_EQ(4, t.pool.num_free);
}

UNIT_TEST(homa_pool_release__freed_pages_are_reused_first)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 8, 1);
	EXPECT_EQ(3, homa_pool_alloc(&t.pool, 3 * BPAGE, 0, 0, LEASE,
				     offsets));
	EXPECT_EQ(0, homa_pool_release(&t.pool, offsets[1]));
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, BPAGE, 0, 0, LEASE, offsets));
	EXPECT_EQ(BPAGE, offsets[0]);
}

UNIT_TEST(homa_pool_alloc__reclaims_expired_leases)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];
	u32 tail1[1], tail2[1];

	pool_setup(&t, 3, 3);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 1, 100, LEASE, tail1));
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 2, 100, 5 * LEASE,
				     tail2));
	EXPECT_EQ(0, homa_pool_release(&t.pool, tail1[0]));
	EXPECT_EQ(0, homa_pool_release(&t.pool, tail2[0]));
	EXPECT_EQ(1, t.pool.num_free);

	/* Leases still running: nothing is taken. */
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&t.pool, 2 * BPAGE, 0, 100 + LEASE,
					   LEASE, offsets));
	EXPECT_EQ(0, t.cpus[1].page);
	EXPECT_EQ(1, t.cpus[2].page);

	/* CPU 1's lease has run out, CPU 2's has not. */
	EXPECT_EQ(2, homa_pool_alloc(&t.pool, 2 * BPAGE, 0, 101 + LEASE,
				     LEASE, offsets));
	EXPECT_EQ(HOMA_POOL_NO_PAGE, t.cpus[1].page);
	EXPECT_EQ(1, t.cpus[2].page);
	EXPECT_EQ(0, t.pool.num_free);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__reclaim_only_as_much_as_needed)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];
	u32 i;

	pool_setup(&t, 4, 4);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, i, 0, LEASE,
					     offsets));
		EXPECT_EQ(0, homa_pool_release(&t.pool, offsets[0]));
	}
	EXPECT_EQ(0, t.pool.num_free);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, BPAGE, 3, 2 * LEASE, LEASE,
				     offsets));
	EXPECT_EQ(HOMA_POOL_NO_PAGE, t.cpus[0].page);
	EXPECT_EQ(1, t.cpus[1].page);
	EXPECT_EQ(2, t.cpus[2].page);
	EXPECT_EQ(3, t.cpus[3].page);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__reclaimed_page_in_use_stays_allocated)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];
	u32 tail[1];

	/* CPU 1's page still holds a message when its lease runs out: it
	 * loses the page, which only becomes free with the message.
	 */
	pool_setup(&t, 2, 2);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 1, 0, LEASE, tail));
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&t.pool, 2 * BPAGE, 0, 2 * LEASE,
					   LEASE, offsets));
	EXPECT_EQ(HOMA_POOL_NO_PAGE, t.cpus[1].page);
	EXPECT_EQ(1, t.refs[0]);
	EXPECT_EQ(0, homa_pool_release(&t.pool, tail[0]));
	EXPECT_EQ(2, homa_pool_alloc(&t.pool, 2 * BPAGE, 0, 2 * LEASE, LEASE,
				     offsets));
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_alloc__own_page_kept_while_in_use)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	/* A CPU whose own page is still in use keeps it when it allocates
	 * full pages, however old its lease.
	 */
	pool_setup(&t, 2, 1);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 0, 0, LEASE, offsets));
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&t.pool, 2 * BPAGE, 0, 10 * LEASE,
					   LEASE, offsets));
	EXPECT_EQ(0, t.cpus[0].page);
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, BPAGE, 0, 10 * LEASE, LEASE,
				     offsets));
	EXPECT_EQ(BPAGE, offsets[0]);
}

UNIT_TEST(homa_pool_avail_bytes__counts_free_pages_and_page_ends)
{
	struct test_pool t;
	u32 offsets[HOMA_MAX_BPAGES];

	pool_setup(&t, 10, 2);
	EXPECT_EQ(10ULL * BPAGE, homa_pool_avail_bytes(&t.pool));
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 1000, 0, 0, LEASE, offsets));
	EXPECT_EQ(9ULL * BPAGE + BPAGE - 1000,
		  homa_pool_avail_bytes(&t.pool));
	EXPECT_EQ(2, homa_pool_alloc(&t.pool, BPAGE + 500, 1, 0, LEASE,
				     offsets));
	EXPECT_EQ(7ULL * BPAGE + BPAGE - 1000 + BPAGE - 500,
		  homa_pool_avail_bytes(&t.pool));
	EXPECT_EQ(0, homa_pool_release(&t.pool, offsets[0]));
	EXPECT_EQ(8ULL * BPAGE + BPAGE - 1000 + BPAGE - 500,
		  homa_pool_avail_bytes(&t.pool));
}

UNIT_TEST(homa_pool_init__large_region)
{
	static u32 refs[70000], free[70000];
	struct homa_pool_cpu cpus[1];
	struct homa_pool pool;
	u32 offsets[HOMA_MAX_BPAGES];
	u32 i;

	/* Offsets are u32: pages beyond 4 GiB are never used. */
	homa_pool_init(&pool, 70000, refs, free, 1, cpus);
	EXPECT_EQ(65536, pool.num_bpages);
	for (i = 0; i < 65535 / 15; i++)
		EXPECT_EQ(15, homa_pool_alloc(&pool, 15 * BPAGE, 0, 0, LEASE,
					      offsets));
	EXPECT_EQ(1, homa_pool_alloc(&pool, BPAGE, 0, 0, LEASE, offsets));
	EXPECT_EQ(0xffff0000U, offsets[0]);
	EXPECT_EQ(-ENOMEM, homa_pool_alloc(&pool, 1, 0, 0, LEASE, offsets));
}

/* Randomised allocations and releases, checked against a list of the
 * chunks handed out.
 */

#define LIVE_MAX 512

struct live_chunk {
	u32 offset;
	u32 length;
};

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

/* Checks that no two live chunks overlap, that each sits inside one
 * bpage, and that the references add up: one per live chunk in each
 * page, plus one for its owner.
 */
static void check_live(const struct homa_pool *p, const struct live_chunk *live,
		       u32 num_live)
{
	u32 expected[MAX_PAGES];
	u32 i, j;

	memset(expected, 0, sizeof(expected));
	for (i = 0; i < num_live; i++) {
		u32 page = live[i].offset / BPAGE;

		EXPECT_TRUE(page < p->num_bpages);
		EXPECT_TRUE(live[i].offset % HOMA_POOL_CHUNK_ALIGN == 0);
		EXPECT_TRUE(live[i].offset % BPAGE + live[i].length <= BPAGE);
		expected[page]++;
		for (j = 0; j < i; j++) {
			EXPECT_TRUE(live[i].offset + live[i].length <=
				    live[j].offset ||
				    live[j].offset + live[j].length <=
				    live[i].offset);
		}
	}
	for (i = 0; i < p->num_cpus; i++) {
		if (p->cpus[i].page != HOMA_POOL_NO_PAGE)
			expected[p->cpus[i].page]++;
	}
	for (i = 0; i < p->num_bpages; i++)
		EXPECT_EQ(expected[i], p->refs[i]);
}

UNIT_TEST(homa_pool__random_alloc_and_release)
{
	static const u32 sizes[] = { 1, 100, 1500, 20000, 60000, BPAGE,
				     BPAGE + 1, 3 * BPAGE - 1, 300000 };
	struct live_chunk live[LIVE_MAX];
	u32 offsets[HOMA_MAX_BPAGES];
	u32 num_live = 0, fails = 0, reclaims = 0;
	struct test_pool t;
	u64 now = 0;
	u32 step, i;

	xorshift_state = 2463534242U;
	pool_setup(&t, 40, MAX_CPUS);
	for (step = 0; step < 20000; step++) {
		now += xorshift() % 50;
		if (xorshift() % 2 && num_live + HOMA_MAX_BPAGES <= LIVE_MAX) {
			u32 length = sizes[xorshift() % ARRAY_SIZE(sizes)];
			struct homa_pool_cpu cpus[MAX_CPUS];
			u32 cpu;
			int n;

			/* CPUs 2 and 3 allocate rarely, so that their
			 * leases run out.
			 */
			cpu = xorshift() % 16 ? xorshift() % 2
					      : 2 + xorshift() % 2;
			if (length > 1)
				length -= xorshift() % (length / 2);
			memcpy(cpus, t.cpus, sizeof(cpus));
			n = homa_pool_alloc(&t.pool, length, cpu, now, LEASE,
					    offsets);
			for (i = 0; i < MAX_CPUS; i++) {
				if (t.cpus[i].page != cpus[i].page &&
				    i != cpu) {
					EXPECT_TRUE(cpus[i].lease_end < now);
					EXPECT_EQ(HOMA_POOL_NO_PAGE,
						  t.cpus[i].page);
					reclaims++;
				}
			}
			if (n == -ENOMEM) {
				fails++;
			} else {
				EXPECT_EQ((length + BPAGE - 1) / BPAGE, n);
				for (i = 0; i < (u32)n; i++) {
					live[num_live].offset = offsets[i];
					live[num_live].length =
						i + 1 < (u32)n ? BPAGE :
						length - i * BPAGE;
					num_live++;
				}
			}
		} else if (num_live > 0) {
			i = xorshift() % num_live;
			EXPECT_EQ(0, homa_pool_release(&t.pool,
						       live[i].offset));
			live[i] = live[--num_live];
		}
		check_consistent(&t.pool);
		check_live(&t.pool, live, num_live);
		if (unit_failed) {
			fprintf(stderr, "    step %u\n", step);
			return;
		}
	}
	/* The run must have exercised the interesting paths. */
	EXPECT_TRUE(fails > 0);
	EXPECT_TRUE(reclaims > 0);

	/* Giving everything back leaves only the CPUs' pages in use. */
	while (num_live > 0)
		EXPECT_EQ(0, homa_pool_release(&t.pool,
					       live[--num_live].offset));
	for (i = 0; i < MAX_CPUS; i++) {
		if (t.cpus[i].page != HOMA_POOL_NO_PAGE)
			EXPECT_EQ(1, t.refs[t.cpus[i].page]);
	}
	check_consistent(&t.pool);
}

UNIT_TEST(homa_pool_release_all__valid_list)
{
	struct test_pool t;
	u32 a[HOMA_MAX_BPAGES], b[HOMA_MAX_BPAGES], both[2];

	pool_setup(&t, 10, 2);
	EXPECT_EQ(2, homa_pool_alloc(&t.pool, BPAGE + 100, 0, 0, LEASE, a));
	EXPECT_EQ(1, homa_pool_alloc(&t.pool, 100, 0, 0, LEASE, b));
	both[0] = a[1];
	both[1] = b[0];
	EXPECT_EQ(0, homa_pool_release_all(&t.pool, 2, both));
	EXPECT_EQ(0, homa_pool_release_all(&t.pool, 1, a));
	EXPECT_EQ(9, t.pool.num_free);
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_release_all__chunk_given_back_twice)
{
	struct test_pool t, before;
	u32 a[HOMA_MAX_BPAGES], twice[2];

	pool_setup(&t, 10, 2);
	EXPECT_EQ(2, homa_pool_alloc(&t.pool, BPAGE + 100, 0, 0, LEASE, a));
	/* The tail's page holds one chunk (and the CPU's ownership). */
	twice[0] = a[1];
	twice[1] = a[1];
	before = t;
	EXPECT_EQ(-EINVAL, homa_pool_release_all(&t.pool, 2, twice));
	EXPECT_TRUE(same_state(&before, &t));
	/* A whole bpage named twice in one list. */
	twice[0] = a[0];
	twice[1] = a[0];
	EXPECT_EQ(-EINVAL, homa_pool_release_all(&t.pool, 2, twice));
	EXPECT_TRUE(same_state(&before, &t));
	/* Given back, then again. */
	EXPECT_EQ(0, homa_pool_release_all(&t.pool, 1, &a[1]));
	EXPECT_EQ(-EINVAL, homa_pool_release_all(&t.pool, 1, &a[1]));
	EXPECT_CONSISTENT(&t.pool);
}

UNIT_TEST(homa_pool_release_all__out_of_range)
{
	struct test_pool t;
	u32 bad = 10 * BPAGE;

	pool_setup(&t, 10, 2);
	EXPECT_EQ(-EINVAL, homa_pool_release_all(&t.pool, 1, &bad));
}
