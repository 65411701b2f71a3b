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
	HOMA_M_COUNT
};

/**
 * struct homa_metrics - One CPU's counters: the named ones, then packets
 * by type sent and received.
 */
struct homa_metrics {
	u64 counters[HOMA_M_COUNT];
	u64 packets_sent[HOMA_MAX_PACKET_TYPE - HOMA_MIN_PACKET_TYPE + 1];
	u64 packets_rcvd[HOMA_MAX_PACKET_TYPE - HOMA_MIN_PACKET_TYPE + 1];
};

#define HOMA_INC(hn, name) \
	this_cpu_inc((hn)->metrics->counters[HOMA_M_##name])
#define HOMA_ADD(hn, name, n) \
	this_cpu_add((hn)->metrics->counters[HOMA_M_##name], (n))

int homa_metrics_net_init(struct homa_net *hn);
void homa_metrics_net_exit(struct homa_net *hn);
void homa_metrics_packet(struct homa_net *hn, u8 type, bool sent);

#endif /* _HOMA_METRICS_H */
