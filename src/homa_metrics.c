// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/homa_metrics: one line per counter, "name value comment",
 * cumulative since the namespace was created, summed over CPUs.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "homa_grantor.h"
#include "homa_metrics.h"
#include "homa_net.h"

/* Name and meaning of each named counter. */
static const struct {
	const char *name;
	const char *comment;
} homa_metric_info[HOMA_M_COUNT] = {
	[HOMA_M_client_requests_started] = { "client_requests_started",
		"client RPCs started (requests sent)" },
	[HOMA_M_client_request_bytes_started] = { "client_request_bytes_started",
		"bytes in requests sent" },
	[HOMA_M_client_responses_done] = { "client_responses_done",
		"responses delivered to clients" },
	[HOMA_M_client_response_bytes_done] = { "client_response_bytes_done",
		"bytes in responses delivered" },
	[HOMA_M_server_requests_done] = { "server_requests_done",
		"requests delivered to servers" },
	[HOMA_M_server_request_bytes_done] = { "server_request_bytes_done",
		"bytes in requests delivered" },
	[HOMA_M_server_responses_started] = { "server_responses_started",
		"responses sent by servers" },
	[HOMA_M_server_response_bytes_started] = { "server_response_bytes_started",
		"bytes in responses sent" },
	[HOMA_M_resent_packets] = { "resent_packets",
		"DATA packets sent again after a RESEND" },
	[HOMA_M_rpc_timeouts] = { "rpc_timeouts",
		"RPCs ended by timeout" },
	[HOMA_M_short_packets] = { "short_packets",
		"packets shorter than their header, dropped" },
	[HOMA_M_unknown_packet_types] = { "unknown_packet_types",
		"packets of no Homa type, dropped" },
	[HOMA_M_bad_ports] = { "bad_ports",
		"packets from or to port 0, dropped" },
	[HOMA_M_packet_discards] = { "packet_discards",
		"DATA packets dropped (duplicate, invalid, late)" },
	[HOMA_M_unknown_rpcs] = { "unknown_rpcs",
		"packets for RPCs this host does not know" },
	[HOMA_M_server_cant_create_rpcs] = { "server_cant_create_rpcs",
		"requests dropped: no memory for an RPC" },
	[HOMA_M_dropped_data_no_bufs] = { "dropped_data_no_bufs",
		"DATA dropped: receive buffer region full or absent" },
	[HOMA_M_peer_alloc_errors] = { "peer_alloc_errors",
		"peers that could not be allocated" },
	[HOMA_M_peers_collected] = { "peers_collected",
		"idle peers removed from the peer table" },
	[HOMA_M_route_errors] = { "route_errors",
		"packets not sent: no route to the peer" },
	[HOMA_M_acks_received] = { "acks_received",
		"RPCs freed by ACKs" },
	[HOMA_M_need_acks_sent] = { "need_acks_sent",
		"NEED_ACK packets sent" },
	[HOMA_M_grant_decisions] = { "grant_decisions",
		"runs of the grant decision" },
};

static const char * const homa_type_names[] = {
	"DATA", "GRANT", "RESEND", "RPC_UNKNOWN", "BUSY", "CUTOFFS",
	"FREEZE", "NEED_ACK", "ACK",
};

static_assert(ARRAY_SIZE(homa_type_names) ==
	      HOMA_MAX_PACKET_TYPE - HOMA_MIN_PACKET_TYPE + 1,
	      "a packet type has no name");

/**
 * homa_metrics_packet() - Count a packet sent or received.
 * @hn:   the namespace.
 * @type: its type (already validated).
 * @sent: true if sent, false if received.
 */
void homa_metrics_packet(struct homa_net *hn, u8 type, bool sent)
{
	if (type < HOMA_MIN_PACKET_TYPE || type > HOMA_MAX_PACKET_TYPE)
		return;
	if (sent)
		this_cpu_inc(hn->metrics->packets_sent[type - HOMA_DATA]);
	else
		this_cpu_inc(hn->metrics->packets_rcvd[type - HOMA_DATA]);
}

static int homa_metrics_show(struct seq_file *seq, void *v)
{
	struct homa_net *hn = homa_net(seq_file_single_net(seq));
	struct homa_metrics sum = { };
	const struct homa_metrics *m;
	unsigned int cpu, i;

	for_each_possible_cpu(cpu) {
		m = per_cpu_ptr(hn->metrics, cpu);
		for (i = 0; i < HOMA_M_COUNT; i++)
			sum.counters[i] += READ_ONCE(m->counters[i]);
		for (i = 0; i < ARRAY_SIZE(sum.packets_sent); i++) {
			sum.packets_sent[i] += READ_ONCE(m->packets_sent[i]);
			sum.packets_rcvd[i] += READ_ONCE(m->packets_rcvd[i]);
		}
	}
	for (i = 0; i < HOMA_M_COUNT; i++)
		seq_printf(seq, "%-32s %20llu  %s\n", homa_metric_info[i].name,
			   sum.counters[i], homa_metric_info[i].comment);
	for (i = 0; i < ARRAY_SIZE(homa_type_names); i++)
		seq_printf(seq, "packets_sent_%-19s %20llu  %s packets sent\n",
			   homa_type_names[i], sum.packets_sent[i],
			   homa_type_names[i]);
	for (i = 0; i < ARRAY_SIZE(homa_type_names); i++)
		seq_printf(seq, "packets_rcvd_%-19s %20llu  %s packets received\n",
			   homa_type_names[i], sum.packets_rcvd[i],
			   homa_type_names[i]);
	seq_printf(seq, "%-32s %20llu  %s\n", "grant_max_incoming",
		   READ_ONCE(hn->grantor.max_total_incoming),
		   "most granted-but-unreceived bytes after a grant");
	return 0;
}

int homa_metrics_net_init(struct homa_net *hn)
{
	hn->metrics = alloc_percpu(struct homa_metrics);
	if (!hn->metrics)
		return -ENOMEM;
	if (!proc_create_net_single("homa_metrics", 0444, hn->net->proc_net,
				    homa_metrics_show, NULL)) {
		free_percpu(hn->metrics);
		return -ENOMEM;
	}
	return 0;
}

void homa_metrics_net_exit(struct homa_net *hn)
{
	remove_proc_entry("homa_metrics", hn->net->proc_net);
	free_percpu(hn->metrics);
}
