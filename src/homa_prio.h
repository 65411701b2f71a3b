/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Priority choice (functional core): which level each packet travels at,
 * and how a level becomes an IP TOS / traffic class.
 *
 * Levels run 0..HOMA_MAX_PRIORITIES-1, higher is more urgent. Scheduled
 * (granted) bytes use levels 0..max_sched_prio; unscheduled bytes use the
 * levels above, chosen by the receiver's cutoffs.
 */
#ifndef _HOMA_PRIO_H
#define _HOMA_PRIO_H

#include "homa_wire.h"

/* Default unscheduled cutoffs: message lengths for levels 0..7. */
#define HOMA_DEFAULT_CUTOFFS { 0, 0, 0, 0, 1000000, 15000, 2800, 200 }

u8 homa_prio_unsched(const u32 *cutoffs, u32 num_priorities, u32 length);
u8 homa_prio_max_sched(const u32 *cutoffs, u32 num_priorities);
u8 homa_prio_grant(u32 rank, u32 num_active, u8 max_sched_prio);
u8 homa_prio_resend(const u32 *cutoffs, u32 num_priorities, s32 length);
u8 homa_prio_tos(const u8 *priority_map, u8 level);

#endif /* _HOMA_PRIO_H */
