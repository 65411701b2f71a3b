// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/homa_grant.c. */
#include "homa_grant.h"
#include "unit.h"

#define UNSCHED 40000

/* The sysctl defaults. */
static const struct homa_grant_params defaults = {
	.max_incoming = 400000,
	.window = 0,
	.max_overcommit = 8,
	.max_sched_prio = 3,
	.fifo_fraction = 50,
	.fifo_increment = 50000,
};

static struct homa_grant_msg msg(u64 peer, u64 birth, u32 length,
				 u32 received, u32 granted)
{
	struct homa_grant_msg m;

	/* Out-fields start as garbage: decide must set them all. */
	memset(&m, 0xa5, sizeof(m));
	m.peer = peer;
	m.birth = birth;
	m.length = length;
	m.received = received;
	m.granted = granted;
	return m;
}

/* Granted but unreceived bytes of @n messages. */
static u32 outstanding(const struct homa_grant_msg *msgs, u32 n)
{
	u32 total = 0;
	u32 i;

	for (i = 0; i < n; i++)
		total += msgs[i].granted - msgs[i].received;
	return total;
}

UNIT_TEST(homa_grant_decide__no_messages)
{
	struct homa_grant_state state = { .fifo_credit = 123 };

	homa_grant_decide(NULL, 0, &defaults, 0, &state);
	EXPECT_EQ(123, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__srpt_order)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[4];

	m[0] = msg(1, 1, 300000, 0, UNSCHED);
	m[1] = msg(2, 2, 100000, 0, UNSCHED);
	m[2] = msg(3, 3, 1000000, 850000, 860000);
	m[3] = msg(4, 4, 200000, 0, UNSCHED);
	homa_grant_decide(m, 4, &defaults, outstanding(m, 4), &state);
	EXPECT_EQ(3, m[0].rank);
	EXPECT_EQ(0, m[1].rank);
	EXPECT_EQ(1, m[2].rank);
	EXPECT_EQ(2, m[3].rank);
	/* The array keeps its order. */
	EXPECT_EQ(300000, m[0].length);
	EXPECT_EQ(100000, m[1].length);
}

UNIT_TEST(homa_grant_decide__ties_go_to_the_older)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[3];

	m[0] = msg(1, 7, 100000, 0, UNSCHED);
	m[1] = msg(2, 3, 100000, 0, UNSCHED);
	m[2] = msg(3, 5, 150000, 50000, 90000);
	homa_grant_decide(m, 3, &defaults, outstanding(m, 3), &state);
	EXPECT_EQ(2, m[0].rank);
	EXPECT_EQ(0, m[1].rank);
	EXPECT_EQ(1, m[2].rank);
}

UNIT_TEST(homa_grant_decide__one_active_message_per_peer)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[4];

	m[0] = msg(1, 1, 200000, 0, UNSCHED);
	m[1] = msg(1, 2, 100000, 0, UNSCHED);
	m[2] = msg(2, 3, 300000, 0, UNSCHED);
	m[3] = msg(1, 4, 50000, 0, UNSCHED);
	homa_grant_decide(m, 4, &defaults, outstanding(m, 4), &state);
	EXPECT_EQ(-1, m[0].rank);
	EXPECT_EQ(-1, m[1].rank);
	EXPECT_EQ(1, m[2].rank);
	EXPECT_EQ(0, m[3].rank);

	/* Messages that are not active get nothing and level 0. */
	EXPECT_EQ(UNSCHED, m[0].new_granted);
	EXPECT_EQ(UNSCHED, m[1].new_granted);
	EXPECT_EQ(0, m[0].priority);
	EXPECT_EQ(0, m[1].priority);
	EXPECT_EQ(1, m[3].priority);
	EXPECT_EQ(0, m[2].priority);
}

UNIT_TEST(homa_grant_decide__fully_granted_message_not_active)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[2];

	/* m[0] only waits for its bytes: its peer's next message may be
	 * granted meanwhile.
	 */
	m[0] = msg(1, 1, 60000, 10000, 60000);
	m[1] = msg(1, 2, 100000, 0, UNSCHED);
	homa_grant_decide(m, 2, &defaults, outstanding(m, 2), &state);
	EXPECT_EQ(-1, m[0].rank);
	EXPECT_EQ(60000, m[0].new_granted);
	EXPECT_EQ(0, m[1].rank);
	EXPECT_TRUE(m[1].new_granted > UNSCHED);
}

UNIT_TEST(homa_grant_decide__max_overcommit)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[10];
	u32 i;

	for (i = 0; i < 10; i++)
		m[i] = msg(i, i, 100000 + 10000 * i, 0, 0);
	homa_grant_decide(m, 10, &params, 0, &state);
	for (i = 0; i < 10; i++)
		EXPECT_EQ(i < 8 ? (int)i : -1, m[i].rank);
	EXPECT_EQ(0, m[8].new_granted);
	EXPECT_EQ(0, m[9].new_granted);

	params.max_overcommit = 3;
	for (i = 0; i < 10; i++)
		m[i] = msg(i, i, 100000 + 10000 * i, 0, 0);
	homa_grant_decide(m, 10, &params, 0, &state);
	for (i = 0; i < 10; i++)
		EXPECT_EQ(i < 3 ? (int)i : -1, m[i].rank);
	/* Window: max_incoming / 4. */
	EXPECT_EQ(100000, m[0].new_granted);
	EXPECT_EQ(100000, m[2].new_granted);
	EXPECT_EQ(0, m[3].new_granted);
}

UNIT_TEST(homa_grant_decide__max_overcommit_capped)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[12];
	u32 i;

	params.max_overcommit = 1000;
	for (i = 0; i < 12; i++)
		m[i] = msg(i, i, 100000 + i, 0, 0);
	homa_grant_decide(m, 12, &params, 0, &state);
	EXPECT_EQ(HOMA_GRANT_MAX_OVERCOMMIT - 1,
		  m[HOMA_GRANT_MAX_OVERCOMMIT - 1].rank);
	EXPECT_EQ(-1, m[HOMA_GRANT_MAX_OVERCOMMIT].rank);
}

UNIT_TEST(homa_grant_decide__max_overcommit_0_grants_nothing)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[1];

	params.max_overcommit = 0;
	params.fifo_fraction = 0;
	m[0] = msg(1, 1, 100000, 0, 0);
	homa_grant_decide(m, 1, &params, 0, &state);
	EXPECT_EQ(-1, m[0].rank);
	EXPECT_EQ(0, m[0].new_granted);
}

UNIT_TEST(homa_grant_decide__dynamic_window)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[3];

	/* Three active: each may have 400000 / 4 beyond what arrived. */
	m[0] = msg(1, 1, 500000, 20000, UNSCHED);
	m[1] = msg(2, 2, 600000, 0, UNSCHED);
	m[2] = msg(3, 3, 700000, 40000, UNSCHED);
	homa_grant_decide(m, 3, &defaults, outstanding(m, 3), &state);
	EXPECT_EQ(120000, m[0].new_granted);
	EXPECT_EQ(100000, m[1].new_granted);
	EXPECT_EQ(140000, m[2].new_granted);

	/* One active: 400000 / 2. */
	m[0] = msg(1, 1, 500000, 20000, UNSCHED);
	homa_grant_decide(m, 1, &defaults, outstanding(m, 1), &state);
	EXPECT_EQ(220000, m[0].new_granted);
}

UNIT_TEST(homa_grant_decide__dynamic_window_counts_active_only)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[3];

	/* Two messages from one peer: only one is active, so the window
	 * is 400000 / 3.
	 */
	m[0] = msg(1, 1, 500000, 0, 0);
	m[1] = msg(1, 2, 600000, 0, 0);
	m[2] = msg(2, 3, 700000, 0, 0);
	homa_grant_decide(m, 3, &defaults, 0, &state);
	EXPECT_EQ(133333, m[0].new_granted);
	EXPECT_EQ(0, m[1].new_granted);
	EXPECT_EQ(133333, m[2].new_granted);
}

UNIT_TEST(homa_grant_decide__fixed_window)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[3];

	params.window = 50000;
	m[0] = msg(1, 1, 500000, 30000, UNSCHED);
	m[1] = msg(2, 2, 600000, 0, UNSCHED);
	m[2] = msg(3, 3, 700000, 10000, 70000);
	homa_grant_decide(m, 3, &params, outstanding(m, 3), &state);
	EXPECT_EQ(80000, m[0].new_granted);
	EXPECT_EQ(50000, m[1].new_granted);
	/* Already beyond its window: nothing new, but still active. */
	EXPECT_EQ(70000, m[2].new_granted);
	EXPECT_EQ(2, m[2].rank);
}

UNIT_TEST(homa_grant_decide__window_stops_at_length)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[1];

	m[0] = msg(1, 1, 60000, 10000, UNSCHED);
	homa_grant_decide(m, 1, &defaults, outstanding(m, 1), &state);
	EXPECT_EQ(60000, m[0].new_granted);
}

UNIT_TEST(homa_grant_decide__max_incoming_goes_to_best_rank)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[3];

	m[0] = msg(1, 1, 900000, 0, UNSCHED);
	m[1] = msg(2, 2, 500000, 0, UNSCHED);
	m[2] = msg(3, 3, 700000, 0, UNSCHED);
	/* Other messages hold all but 30000 of max_incoming. */
	homa_grant_decide(m, 3, &defaults, 370000, &state);
	EXPECT_EQ(UNSCHED, m[0].new_granted);
	EXPECT_EQ(UNSCHED + 30000, m[1].new_granted);
	EXPECT_EQ(UNSCHED, m[2].new_granted);
	/* Ranks and priorities do not depend on who got bytes. */
	EXPECT_EQ(2, m[0].rank);
	EXPECT_EQ(0, m[0].priority);
	EXPECT_EQ(2, m[1].priority);
}

UNIT_TEST(homa_grant_decide__max_incoming_split_in_rank_order)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[3];

	m[0] = msg(1, 1, 900000, 0, UNSCHED);
	m[1] = msg(2, 2, 500000, 0, UNSCHED);
	m[2] = msg(3, 3, 700000, 0, UNSCHED);
	/* Room for 100000 and windows of 100000: the best gets its window,
	 * the next the rest, the third nothing.
	 */
	homa_grant_decide(m, 3, &defaults, 300000, &state);
	EXPECT_EQ(UNSCHED, m[0].new_granted);
	EXPECT_EQ(100000, m[1].new_granted);
	EXPECT_EQ(UNSCHED + 40000, m[2].new_granted);
}

UNIT_TEST(homa_grant_decide__nothing_when_max_incoming_reached)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[2];

	m[0] = msg(1, 1, 900000, 0, UNSCHED);
	m[1] = msg(2, 2, 500000, 0, UNSCHED);
	homa_grant_decide(m, 2, &defaults, 400000, &state);
	EXPECT_EQ(UNSCHED, m[0].new_granted);
	EXPECT_EQ(UNSCHED, m[1].new_granted);
	homa_grant_decide(m, 2, &defaults, 500000, &state);
	EXPECT_EQ(UNSCHED, m[0].new_granted);
	EXPECT_EQ(UNSCHED, m[1].new_granted);
	EXPECT_EQ(1, m[0].rank);
	EXPECT_EQ(0, m[1].rank);
	EXPECT_EQ(0, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__priorities_few_active)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[2];

	m[0] = msg(1, 1, 900000, 0, UNSCHED);
	m[1] = msg(2, 2, 500000, 0, UNSCHED);
	homa_grant_decide(m, 2, &defaults, 80000, &state);
	EXPECT_EQ(0, m[0].priority);
	EXPECT_EQ(1, m[1].priority);

	homa_grant_decide(m, 1, &defaults, 40000, &state);
	EXPECT_EQ(0, m[0].priority);
}

UNIT_TEST(homa_grant_decide__priorities_many_active)
{
	static const u8 want[6] = { 3, 2, 1, 0, 0, 0 };
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[6];
	u32 i;

	for (i = 0; i < 6; i++)
		m[5 - i] = msg(i, i, 100000 + 1000 * i, 0, 0);
	homa_grant_decide(m, 6, &params, 0, &state);
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(i, m[5 - i].rank);
		EXPECT_EQ(want[i], m[5 - i].priority);
	}

	params.max_sched_prio = 5;
	homa_grant_decide(m, 6, &params, 0, &state);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(5 - i, m[5 - i].priority);
}

UNIT_TEST(homa_grant_decide__fifo_credit_accumulates)
{
	struct homa_grant_state state = { 0 };
	struct homa_grant_msg m[2];

	m[0] = msg(1, 1, 900000, 0, 0);
	m[1] = msg(2, 2, 500000, 0, 0);
	homa_grant_decide(m, 2, &defaults, 0, &state);
	/* Two windows of 133333 bytes, 5% each (rounded down). */
	EXPECT_EQ(133333, m[0].new_granted);
	EXPECT_EQ(2 * 6666, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__fifo_grant_to_oldest)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { .fifo_credit = 49000 };
	struct homa_grant_msg m[3];

	/* m[1] is the oldest, but the longest: SRPT alone never picks it. */
	params.max_overcommit = 1;
	m[0] = msg(1, 5, 100000, 0, UNSCHED);
	m[1] = msg(2, 1, 900000, 0, UNSCHED);
	m[2] = msg(3, 3, 800000, 0, UNSCHED);
	homa_grant_decide(m, 3, &params, 120000, &state);
	EXPECT_EQ(0, m[0].rank);
	EXPECT_EQ(100000, m[0].new_granted);
	/* 60000 SRPT bytes earn 3000 of credit: one FIFO grant. */
	EXPECT_EQ(-1, m[1].rank);
	EXPECT_EQ(UNSCHED + 50000, m[1].new_granted);
	EXPECT_EQ(0, m[1].priority);
	EXPECT_EQ(UNSCHED, m[2].new_granted);
	EXPECT_EQ(2000, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__fifo_needs_enough_credit)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { .fifo_credit = 40000 };
	struct homa_grant_msg m[2];

	params.max_overcommit = 1;
	m[0] = msg(1, 5, 100000, 0, UNSCHED);
	m[1] = msg(2, 1, 900000, 0, UNSCHED);
	homa_grant_decide(m, 2, &params, 80000, &state);
	EXPECT_EQ(UNSCHED, m[1].new_granted);
	EXPECT_EQ(43000, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__fifo_fraction_0_never)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { .fifo_credit = 1000000 };
	struct homa_grant_msg m[2];

	params.max_overcommit = 1;
	params.fifo_fraction = 0;
	m[0] = msg(1, 5, 100000, 0, UNSCHED);
	m[1] = msg(2, 1, 900000, 0, UNSCHED);
	homa_grant_decide(m, 2, &params, 80000, &state);
	EXPECT_EQ(100000, m[0].new_granted);
	EXPECT_EQ(UNSCHED, m[1].new_granted);
	EXPECT_EQ(1000000, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__fifo_once_per_call)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { .fifo_credit = 500000 };
	struct homa_grant_msg m[2];

	params.max_overcommit = 1;
	m[0] = msg(1, 5, 100000, 100000 - 10, 100000 - 10);
	m[1] = msg(2, 1, 900000, 0, 0);
	homa_grant_decide(m, 2, &params, 0, &state);
	EXPECT_EQ(100000, m[0].new_granted);
	EXPECT_EQ(50000, m[1].new_granted);
	/* 10 SRPT bytes earn no whole byte of credit. */
	EXPECT_EQ(450000, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__fifo_to_active_oldest)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { .fifo_credit = 50000 };
	struct homa_grant_msg m[2];

	/* The oldest is active too: it gets its window and FIFO bytes. */
	params.window = 30000;
	m[0] = msg(1, 1, 900000, 0, 0);
	m[1] = msg(2, 2, 100000, 0, 0);
	homa_grant_decide(m, 2, &params, 0, &state);
	EXPECT_EQ(1, m[0].rank);
	EXPECT_EQ(80000, m[0].new_granted);
	EXPECT_EQ(30000, m[1].new_granted);
	EXPECT_EQ(3000, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__fifo_skips_fully_granted)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { .fifo_credit = 50000 };
	struct homa_grant_msg m[3];

	/* The oldest is fully granted by the SRPT pass, the next oldest
	 * was fully granted before: the FIFO bytes go to the third.
	 */
	m[0] = msg(1, 1, 50000, 0, 10000);
	m[1] = msg(2, 2, 60000, 0, 60000);
	m[2] = msg(3, 3, 900000, 0, 0);
	homa_grant_decide(m, 3, &params, 10000 + 60000, &state);
	EXPECT_EQ(50000, m[0].new_granted);
	EXPECT_EQ(60000, m[1].new_granted);
	EXPECT_EQ(133333 + 50000, m[2].new_granted);
}

UNIT_TEST(homa_grant_decide__fifo_limited_by_length)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { .fifo_credit = 60000 };
	struct homa_grant_msg m[2];

	/* The oldest needs only 10000 more bytes. */
	params.max_overcommit = 1;
	m[0] = msg(1, 5, 100000, 0, UNSCHED);
	m[1] = msg(2, 1, 300000, 30000, 290000);
	homa_grant_decide(m, 2, &params, outstanding(m, 2), &state);
	EXPECT_EQ(0, m[0].rank);
	EXPECT_EQ(100000, m[0].new_granted);
	EXPECT_EQ(-1, m[1].rank);
	EXPECT_EQ(300000, m[1].new_granted);
	EXPECT_EQ(60000 + 3000 - 50000, state.fifo_credit);
}

UNIT_TEST(homa_grant_decide__fifo_limited_by_max_incoming)
{
	struct homa_grant_params params = defaults;
	struct homa_grant_state state = { .fifo_credit = 50000 };
	struct homa_grant_msg m[1];

	m[0] = msg(1, 1, 900000, 0, 180000);
	homa_grant_decide(m, 1, &params, 390000, &state);
	/* SRPT takes the last 10000 bytes of room: none left for FIFO,
	 * whose credit waits for the next call.
	 */
	EXPECT_EQ(190000, m[0].new_granted);
	EXPECT_EQ(50500, state.fifo_credit);

	m[0] = msg(1, 1, 900000, 0, 180000);
	params.window = 100000;
	homa_grant_decide(m, 1, &params, 380000, &state);
	EXPECT_EQ(200000, m[0].new_granted);
	EXPECT_EQ(500, state.fifo_credit);
}

/* A small receiver: messages arrive, the network delivers granted bytes
 * in packets, and homa_grant_decide() runs after every round.
 */

#define SIM_MAX 24

struct sim {
	struct homa_grant_params params;
	struct homa_grant_state state;
	struct homa_grant_msg all[SIM_MAX];
	u32 done_round[SIM_MAX];
	u32 num;
	u32 round;
	u32 chunk;
};

static void sim_add(struct sim *s, u64 peer, u32 length)
{
	struct homa_grant_msg *m = &s->all[s->num];

	*m = msg(peer, s->num, length, 0, min_t(u32, length, UNSCHED));
	s->done_round[s->num] = 0;
	s->num++;
}

/* One round: every message receives up to s->chunk of its granted
 * bytes, then the grants are decided. Checks the cap on incoming bytes.
 */
static void sim_round(struct sim *s)
{
	struct homa_grant_msg msgs[SIM_MAX];
	u32 idx[SIM_MAX];
	u32 i, n = 0, before, after;

	s->round++;
	for (i = 0; i < s->num; i++) {
		struct homa_grant_msg *m = &s->all[i];

		m->received += min(s->chunk, m->granted - m->received);
		if (m->received == m->length && !s->done_round[i])
			s->done_round[i] = s->round;
		if (m->granted < m->length) {
			idx[n] = i;
			msgs[n++] = *m;
		}
	}
	before = outstanding(s->all, s->num);
	homa_grant_decide(msgs, n, &s->params, before, &s->state);
	for (i = 0; i < n; i++) {
		struct homa_grant_msg *m = &s->all[idx[i]];

		EXPECT_TRUE(msgs[i].new_granted >= m->granted);
		EXPECT_TRUE(msgs[i].new_granted <= m->length);
		EXPECT_TRUE(msgs[i].priority <= s->params.max_sched_prio);
		m->granted = msgs[i].new_granted;
	}
	after = outstanding(s->all, s->num);
	EXPECT_TRUE(after <= max(before, s->params.max_incoming));
}

/* Runs @s until every message is complete, or fails. */
static void sim_run(struct sim *s)
{
	u32 i, done;

	do {
		sim_round(s);
		if (unit_failed)
			return;
		for (i = 0, done = 0; i < s->num; i++)
			done += s->done_round[i] != 0;
	} while (done < s->num && s->round < 10000);
	EXPECT_EQ(s->num, done);
}

UNIT_TEST(homa_grant_decide__simulation)
{
	static const u32 lengths[] = {
		700000, 120000, 1000000, 300000, 45000, 90000, 500000,
		250000, 1000000, 150000, 60000, 800000
	};
	struct sim s;
	u32 i, j, shortest = 0;

	memset(&s, 0, sizeof(s));
	s.params = defaults;
	s.params.max_overcommit = 4;
	s.chunk = 1400;
	for (i = 0; i < ARRAY_SIZE(lengths); i++) {
		/* Messages 0, 4 and 8 share a peer. */
		sim_add(&s, i % 4 == 0 ? 100 : i, lengths[i]);
		if (lengths[i] < lengths[shortest])
			shortest = i;
	}
	/* Unscheduled bytes alone exceed max_incoming at first. */
	EXPECT_TRUE(outstanding(s.all, s.num) > s.params.max_incoming);
	do {
		sim_round(&s);
		if (unit_failed)
			return;
		/* Once below the cap, grants never take it back above. */
		if (outstanding(s.all, s.num) <= s.params.max_incoming)
			break;
	} while (s.round < 1000);
	sim_run(&s);
	if (unit_failed)
		return;
	for (i = 0; i < s.num; i++) {
		EXPECT_TRUE(s.done_round[shortest] <= s.done_round[i]);
		EXPECT_TRUE(s.all[i].granted == s.all[i].length);
	}
	/* Delivery is equally fast for all, so SRPT grants alone decide:
	 * messages finish in order of length.
	 */
	for (i = 0; i < s.num; i++) {
		for (j = 0; j < s.num; j++) {
			if (lengths[i] < lengths[j])
				EXPECT_TRUE(s.done_round[i] <= s.done_round[j]);
		}
	}
}

UNIT_TEST(homa_grant_decide__simulation_cap_holds_every_round)
{
	struct sim s;
	u32 i;

	memset(&s, 0, sizeof(s));
	s.params = defaults;
	s.params.window = 150000;
	s.chunk = 5000;
	for (i = 0; i < 8; i++)
		sim_add(&s, i, 200000 + 100000 * i);
	EXPECT_TRUE(outstanding(s.all, s.num) <= s.params.max_incoming);
	while (s.round < 10000) {
		u32 done = 0;

		sim_round(&s);
		if (unit_failed)
			return;
		EXPECT_TRUE(outstanding(s.all, s.num) <=
			    s.params.max_incoming);
		for (i = 0; i < s.num; i++)
			done += s.done_round[i] != 0;
		if (done == s.num)
			break;
	}
	/* Equal delivery rates and SRPT grants: they finish by length. */
	for (i = 1; i < s.num; i++)
		EXPECT_TRUE(s.done_round[i - 1] <= s.done_round[i]);
	EXPECT_TRUE(s.done_round[0] < s.done_round[s.num - 1]);
}

/* A long, old message among a steady supply of shorter ones from more
 * peers than can be active: SRPT alone starves it; the FIFO share gets
 * it through. Returns the round in which it completed, or 0.
 */
static u32 starvation_run(u32 fifo_fraction)
{
	struct sim s;
	u32 i;

	memset(&s, 0, sizeof(s));
	s.params = defaults;
	s.params.fifo_fraction = fifo_fraction;
	s.chunk = 5000;
	sim_add(&s, 0, 1000000);
	for (i = 1; i <= 2 * HOMA_GRANT_MAX_OVERCOMMIT; i++)
		sim_add(&s, i, 200000);
	while (s.round < 4000 && !s.done_round[0]) {
		sim_round(&s);
		if (unit_failed)
			return 0;
		/* Replace each finished short message by a new one. */
		for (i = 1; i < s.num; i++) {
			if (s.done_round[i]) {
				s.all[i] = msg(i, s.round * SIM_MAX + i,
					       200000, 0, UNSCHED);
				s.done_round[i] = 0;
			}
		}
	}
	return s.done_round[0];
}

UNIT_TEST(homa_grant_decide__fifo_prevents_starvation)
{
	u32 with_fifo = starvation_run(defaults.fifo_fraction);

	EXPECT_EQ(0, unit_failed);
	EXPECT_TRUE(with_fifo > 0);
	EXPECT_EQ(0, starvation_run(0));
}
