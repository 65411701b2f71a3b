/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timer: every tick (1 ms) it looks at every RPC, counts silence, asks
 * for missing data, times out dead peers and asks clients for acks.
 */
#ifndef _HOMA_TIMER_H
#define _HOMA_TIMER_H

struct homa_net;

int homa_timer_start(void);
void homa_timer_stop(void);
void homa_timer_add_net(struct homa_net *hn);
void homa_timer_remove_net(struct homa_net *hn);

#endif /* _HOMA_TIMER_H */
