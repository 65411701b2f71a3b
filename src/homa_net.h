/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Homa's state for one network namespace.
 */
#ifndef _HOMA_NET_H
#define _HOMA_NET_H

#include <linux/atomic.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "homa_grantor.h"
#include "homa_metrics.h"
#include "homa_pacer.h"
#include "homa_peer.h"
#include "homa_port.h"

/**
 * struct homa_config - Tunable parameters of a namespace; names, units
 * and defaults are those of the net.homa sysctls (doc: config.md).
 */
struct homa_config {
	u32 unsched_bytes;
	u32 window;
	u32 max_incoming;
	u32 max_overcommit;
	u32 grant_fifo_fraction;
	u32 fifo_grant_increment;
	u32 num_priorities;
	u8 priority_map[HOMA_MAX_PRIORITIES];
	u32 unsched_cutoffs[HOMA_MAX_PRIORITIES];
	u8 max_sched_prio;
	u16 cutoff_version;
	u32 resend_ticks;
	u32 resend_interval;
	u32 timeout_ticks;
	u32 request_ack_ticks;
	u32 poll_usecs;
	u32 bpage_lease_usecs;
	u32 wmem_max;
	u32 peer_gc_threshold;
	u32 peer_idle_secs_min;
	u32 peer_idle_secs_max;
	u32 max_gso_size;
	u32 gso_force_software;
	u32 max_gro_skbs;
	u32 link_mbps;
	u32 max_nic_est_backlog_usecs;
	u32 defer_min_bytes;
	u32 pacer_fifo_fraction;
	u32 flags;
};

/* Bits of homa_config.flags. */
#define HOMA_FLAG_DONT_THROTTLE 4	/* no pacer: send at once */
#define HOMA_FLAGS_VALID 7		/* bits 0 and 1: no effect here */

/**
 * struct homa_net - Everything Homa keeps per network namespace; sockets
 * in different namespaces never see each other.
 */
struct homa_net {
	/** @net: the namespace. */
	struct net *net;

	/** @cfg: tunables. */
	struct homa_config cfg;

	/** @ports: the namespace's sockets, by port. */
	struct homa_port_table ports;

	/** @peers: the hosts the namespace talks to. */
	struct homa_peer_table peers;

	/** @grantor: grants for incoming scheduled messages. */
	struct homa_grantor grantor;

	/** @pacer: holds long messages back while the uplink is busy. */
	struct homa_pacer pacer;

	/** @next_client_id: the last client RPC id handed out; ids are
	 * unique per host, so servers can name RPCs by (client, id).
	 */
	atomic64_t next_client_id;

	/** @metrics: per-CPU counters for /proc/net/homa_metrics. */
	struct homa_metrics __percpu *metrics;

	/** @timer_link: entry in the timer's list of namespaces. */
	struct list_head timer_link;

	/** @next_peer_gc: jiffies of the next peer collection (timer). */
	unsigned long next_peer_gc;

	/** @sysctl: the namespace's /proc/sys/net/homa (homa_sysctl.c). */
	struct ctl_table_header *sysctl;
};

extern unsigned int homa_net_id;

static inline struct homa_net *homa_net(const struct net *net)
{
	return net_generic(net, homa_net_id);
}

int homa_net_register(void);
void homa_net_unregister(void);

#endif /* _HOMA_NET_H */
