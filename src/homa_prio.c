// SPDX-License-Identifier: GPL-2.0
/*
 * Priority choice for Homa packets. Part of the functional core: the
 * receiver's cutoffs and the SRPT rank of a message go in, a level comes
 * out. Switch priority queues only help if every host maps message sizes
 * and ranks to levels the same way, so the rules live here, in one place.
 */
#include <linux/homa.h>
#include "homa_prio.h"

/* Number of levels that can really be used: the sysctl checks the value,
 * but an out-of-range one must never index past the cutoffs array.
 */
static u32 homa_prio_levels(u32 num_priorities)
{
	if (num_priorities > HOMA_MAX_PRIORITIES)
		return HOMA_MAX_PRIORITIES;
	return num_priorities;
}

/**
 * homa_prio_unsched() - Choose the level for a message's unscheduled
 * bytes. Shorter messages get higher levels so that they overtake the
 * scheduled bytes of longer ones at every switch.
 * @cutoffs:        the receiver's unscheduled cutoffs, HOMA_MAX_PRIORITIES
 *                  entries: level i may carry messages of up to
 *                  cutoffs[i] bytes.
 * @num_priorities: levels in use (1..HOMA_MAX_PRIORITIES).
 * @length:         bytes in the message.
 *
 * Return: the highest level i in 1..@num_priorities - 1 with @length <=
 * @cutoffs[i], or 0 if there is none. Level 0 never needs a cutoff: it
 * is where everything that fits nowhere else goes.
 */
u8 homa_prio_unsched(const u32 *cutoffs, u32 num_priorities, u32 length)
{
	u32 i;

	for (i = homa_prio_levels(num_priorities); i > 1; i--) {
		if (length <= cutoffs[i - 1])
			return i - 1;
	}
	return 0;
}

/**
 * homa_prio_max_sched() - Derive the highest level for scheduled bytes
 * from the cutoffs. The lowest level whose cutoff admits every message
 * length is the bottom of the unscheduled levels; everything below it is
 * left to grants.
 * @cutoffs:        as for homa_prio_unsched().
 * @num_priorities: levels in use (1..HOMA_MAX_PRIORITIES).
 *
 * Return: one less than the highest level whose cutoff is at least
 * HOMA_MAX_MESSAGE_LENGTH, scanning from the top; @num_priorities - 1 if
 * no level qualifies (then scheduled and unscheduled bytes share levels).
 */
u8 homa_prio_max_sched(const u32 *cutoffs, u32 num_priorities)
{
	u32 levels = homa_prio_levels(num_priorities);
	u32 i;

	for (i = levels; i > 1; i--) {
		if (cutoffs[i - 1] >= HOMA_MAX_MESSAGE_LENGTH)
			return i - 2;
	}
	return levels ? levels - 1 : 0;
}

/**
 * homa_prio_grant() - Choose the level for a message's scheduled bytes
 * from its SRPT rank. The best message gets the highest level in use, so
 * that its packets overtake those of lower-ranked messages in switch
 * queues. When fewer messages are active than there are scheduled levels,
 * the lowest levels are used, so that a new, shorter message can later be
 * placed above all of them without reshuffling the others.
 * @rank:           position among the active messages, 0 = best.
 * @num_active:     active messages.
 * @max_sched_prio: highest level for scheduled bytes.
 *
 * Return: the level, in 0..@max_sched_prio.
 */
u8 homa_prio_grant(u32 rank, u32 num_active, u8 max_sched_prio)
{
	u32 used = min_t(u32, num_active, (u32)max_sched_prio + 1);

	if (rank >= used)
		return 0;
	return used - 1 - rank;
}

/**
 * homa_prio_resend() - Choose the level that a receiver asks for in a
 * RESEND. Resent bytes hold their message up, so they go above every
 * scheduled byte, at the level of the message's unscheduled bytes; but
 * not above the unscheduled bytes of shorter messages, which a resent
 * 64 KB packet of a long message would hold up in turn.
 * @cutoffs:        the receiver's own cutoffs, as for homa_prio_unsched().
 * @num_priorities: levels in use (1..HOMA_MAX_PRIORITIES).
 * @length:         bytes in the message; negative if none of it arrived.
 *
 * Return: the level; the highest in use if @length is not known yet (the
 * message may well be a short one).
 */
u8 homa_prio_resend(const u32 *cutoffs, u32 num_priorities, s32 length)
{
	u32 levels = homa_prio_levels(num_priorities);

	if (length < 0)
		return levels ? levels - 1 : 0;
	return homa_prio_unsched(cutoffs, num_priorities, length);
}

/**
 * homa_prio_tos() - Turn a level into the byte that goes into the IPv4
 * TOS field or the IPv6 traffic class. Switches classify on the 3-bit
 * class selector, which is the top 3 bits of that byte (the top of the
 * 6-bit DSCP); placing the class anywhere lower would collapse the levels
 * into one or two classes.
 * @priority_map: per level, the class (0..7) to use on the wire.
 * @level:        level of the packet, below HOMA_MAX_PRIORITIES.
 *
 * Return: the TOS / traffic class byte.
 */
u8 homa_prio_tos(const u8 *priority_map, u8 level)
{
	return (u8)(priority_map[level] << 5);
}
