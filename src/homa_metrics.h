/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters for /proc/net/homa_metrics: kept per CPU (no shared cache line
 * on the packet path), per namespace, summed when read.
 */
#ifndef _HOMA_METRICS_H
#define _HOMA_METRICS_H

#include <linux/percpu.h>

#include "homa_wire.h"

struct homa_net;

/* The named counters, in the order /proc/net/homa_metrics prints them. */
enum homa_metric {
	HOMA_M_client_requests_started,
	HOMA_M_client_request_bytes_started,
	HOMA_M_client_responses_done,
	HOMA_M_client_response_bytes_done,
	HOMA_M_server_requests_done,
	HOMA_M_server_request_bytes_done,
	HOMA_M_server_responses_started,
	HOMA_M_server_response_bytes_started,
	HOMA_M_resent_packets,
	HOMA_M_rpc_timeouts,
	HOMA_M_short_packets,
	HOMA_M_unknown_packet_types,
	HOMA_M_bad_ports,
	HOMA_M_packet_discards,
	HOMA_M_unknown_rpcs,
	HOMA_M_server_cant_create_rpcs,
	HOMA_M_dropped_data_no_bufs,
	HOMA_M_peer_alloc_errors,
	HOMA_M_peers_collected,
	HOMA_M_route_errors,
	HOMA_M_acks_received,
	HOMA_M_need_acks_sent,
	HOMA_M_grant_decisions,
	HOMA_M_grant_bytes,
	HOMA_M_recv_immediate,
	HOMA_M_recv_after_poll,
	HOMA_M_recv_after_sleep,
	HOMA_M_rcv_ns,
	HOMA_M_send_calls,
	HOMA_M_send_ns,
	HOMA_M_recv_calls,
	HOMA_M_recv_ns,
	HOMA_M_timer_calls,
	HOMA_M_timer_ns,
	HOMA_M_large_msg_count,
	HOMA_M_large_msg_bytes,
	HOMA_M_pacer_bytes,
	HOMA_M_throttle_list_adds,
	HOMA_M_gro_batches,
	HOMA_M_gro_packets,
	HOMA_M_early_copy_bytes,
	HOMA_M_COUNT
};

/*
 * Histogram of incoming message lengths, in bytes per length bucket (the
 * input of unscheduled cutoff tuning): 64-byte buckets up to 4 KB, then
 * 1 KB buckets up to 128 KB; longer messages go to large_msg_count and
 * large_msg_bytes.
 */
#define HOMA_MSG_SMALL_STEP	64
#define HOMA_MSG_SMALL_MAX	4096
#define HOMA_MSG_MEDIUM_STEP	1024
#define HOMA_MSG_MEDIUM_MAX	131072
#define HOMA_MSG_BUCKETS	(HOMA_MSG_SMALL_MAX / HOMA_MSG_SMALL_STEP + \
				 (HOMA_MSG_MEDIUM_MAX - HOMA_MSG_SMALL_MAX) / \
				 HOMA_MSG_MEDIUM_STEP)

/**
 * struct homa_metrics - One CPU's counters: the named ones, packets by
 * type sent and received, packets and bytes sent by priority, and the
 * message length histogram.
 */
struct homa_metrics {
	u64 counters[HOMA_M_COUNT];
	u64 packets_sent[HOMA_MAX_PACKET_TYPE - HOMA_MIN_PACKET_TYPE + 1];
	u64 packets_rcvd[HOMA_MAX_PACKET_TYPE - HOMA_MIN_PACKET_TYPE + 1];
	u64 prio_packets[HOMA_MAX_PRIORITIES];
	u64 prio_bytes[HOMA_MAX_PRIORITIES];
	u64 msg_bytes[HOMA_MSG_BUCKETS];
};

#define HOMA_INC(hn, name) \
	this_cpu_inc((hn)->metrics->counters[HOMA_M_##name])
#define HOMA_ADD(hn, name, n) \
	this_cpu_add((hn)->metrics->counters[HOMA_M_##name], (n))

int homa_metrics_net_init(struct homa_net *hn);
void homa_metrics_net_exit(struct homa_net *hn);
void homa_metrics_packet(struct homa_net *hn, u8 type, bool sent);
void homa_metrics_prio(struct homa_net *hn, u8 priority, u32 bytes);
void homa_metrics_msg_in(struct homa_net *hn, u32 length);

#endif /* _HOMA_METRICS_H */
