// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/homa_metrics: one line per counter, "name value comment",
 * cumulative since the namespace was created, summed over CPUs; and
 * /proc/net/homa_metrics_cpu, the same per CPU.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
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
	[HOMA_M_grant_bytes] = { "grant_bytes",
		"bytes granted beyond the unscheduled ones" },
	[HOMA_M_recv_immediate] = { "recv_immediate",
		"recvmsg calls that found a message at once" },
	[HOMA_M_recv_after_poll] = { "recv_after_poll",
		"recvmsg calls that found a message while busy-polling" },
	[HOMA_M_recv_after_sleep] = { "recv_after_sleep",
		"recvmsg calls that found a message after sleeping" },
	[HOMA_M_rcv_ns] = { "rcv_ns",
		"nanoseconds handling received packets (softirq)" },
	[HOMA_M_send_calls] = { "send_calls",
		"sendmsg calls that got to sending a message" },
	[HOMA_M_send_ns] = { "send_ns",
		"nanoseconds in those calls, waits for memory excluded" },
	[HOMA_M_recv_calls] = { "recv_calls",
		"recvmsg calls" },
	[HOMA_M_recv_ns] = { "recv_ns",
		"nanoseconds in recvmsg, polling included, sleep excluded" },
	[HOMA_M_timer_calls] = { "timer_calls",
		"timer ticks handled (one per namespace per tick)" },
	[HOMA_M_timer_ns] = { "timer_ns",
		"nanoseconds in timer ticks" },
	[HOMA_M_large_msg_count] = { "large_msg_count",
		"incoming messages longer than 131072 bytes" },
	[HOMA_M_large_msg_bytes] = { "large_msg_bytes",
		"bytes in incoming messages longer than 131072 bytes" },
	[HOMA_M_pacer_bytes] = { "pacer_bytes",
		"message bytes sent by the pacer" },
	[HOMA_M_throttle_list_adds] = { "throttle_list_adds",
		"messages held back for the pacer" },
	[HOMA_M_gro_batches] = { "gro_batches",
		"received skbs that GRO had merged from several packets" },
	[HOMA_M_gro_packets] = { "gro_packets",
		"packets that arrived in those skbs" },
	[HOMA_M_early_copy_bytes] = { "early_copy_bytes",
		"message bytes copied to user space before the message was complete" },
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

/**
 * homa_metrics_prio() - Count a packet sent at a priority.
 * @hn:       the namespace.
 * @priority: its priority level.
 * @bytes:    its length (Homa header and payload).
 */
void homa_metrics_prio(struct homa_net *hn, u8 priority, u32 bytes)
{
	if (priority >= HOMA_MAX_PRIORITIES)
		return;
	this_cpu_inc(hn->metrics->prio_packets[priority]);
	this_cpu_add(hn->metrics->prio_bytes[priority], bytes);
}

/* Upper end of a histogram bucket: messages of (limit - step, limit]. */
static u32 homa_msg_bucket_limit(unsigned int bucket)
{
	const unsigned int small = HOMA_MSG_SMALL_MAX / HOMA_MSG_SMALL_STEP;

	if (bucket < small)
		return (bucket + 1) * HOMA_MSG_SMALL_STEP;
	return HOMA_MSG_SMALL_MAX + (bucket - small + 1) * HOMA_MSG_MEDIUM_STEP;
}

/**
 * homa_metrics_msg_in() - Count a complete incoming message in the length
 * histogram.
 * @hn:     the namespace.
 * @length: its length, at least 1.
 */
void homa_metrics_msg_in(struct homa_net *hn, u32 length)
{
	unsigned int bucket;

	if (length > HOMA_MSG_MEDIUM_MAX) {
		HOMA_INC(hn, large_msg_count);
		HOMA_ADD(hn, large_msg_bytes, length);
		return;
	}
	if (length <= HOMA_MSG_SMALL_MAX)
		bucket = (length - 1) / HOMA_MSG_SMALL_STEP;
	else
		bucket = HOMA_MSG_SMALL_MAX / HOMA_MSG_SMALL_STEP +
			 (length - HOMA_MSG_SMALL_MAX - 1) /
			 HOMA_MSG_MEDIUM_STEP;
	this_cpu_add(hn->metrics->msg_bytes[bucket], length);
}

static void homa_metrics_add(struct homa_metrics *sum,
			     const struct homa_metrics *m)
{
	const u64 *from = (const u64 *)m;
	u64 *to = (u64 *)sum;
	unsigned int i;

	for (i = 0; i < sizeof(*m) / sizeof(u64); i++)
		to[i] += READ_ONCE(from[i]);
}

/* One line: the name after @prefix, padded so the values line up. */
static void homa_metrics_line(struct seq_file *seq, const char *prefix,
			      const char *name, u64 value, const char *comment)
{
	int width = 32 - (int)strlen(prefix);

	seq_printf(seq, "%s%-*s %20llu  %s\n", prefix, max(width, 0), name,
		   value, comment);
}

/*
 * Print one set of counters, each name after @prefix; with @skip_zero,
 * only those that are not 0.
 */
static void homa_metrics_print(struct seq_file *seq,
			       const struct homa_metrics *m,
			       const char *prefix, bool skip_zero)
{
	char name[40], comment[80];
	unsigned int i;

	for (i = 0; i < HOMA_M_COUNT; i++)
		if (!skip_zero || m->counters[i])
			homa_metrics_line(seq, prefix,
					  homa_metric_info[i].name,
					  m->counters[i],
					  homa_metric_info[i].comment);
	for (i = 0; i < ARRAY_SIZE(homa_type_names); i++) {
		if (skip_zero && !m->packets_sent[i])
			continue;
		snprintf(name, sizeof(name), "packets_sent_%s",
			 homa_type_names[i]);
		snprintf(comment, sizeof(comment), "%s packets sent",
			 homa_type_names[i]);
		homa_metrics_line(seq, prefix, name, m->packets_sent[i],
				  comment);
	}
	for (i = 0; i < ARRAY_SIZE(homa_type_names); i++) {
		if (skip_zero && !m->packets_rcvd[i])
			continue;
		snprintf(name, sizeof(name), "packets_rcvd_%s",
			 homa_type_names[i]);
		snprintf(comment, sizeof(comment), "%s packets received",
			 homa_type_names[i]);
		homa_metrics_line(seq, prefix, name, m->packets_rcvd[i],
				  comment);
	}
	for (i = 0; i < HOMA_MAX_PRIORITIES; i++) {
		if (skip_zero && !m->prio_packets[i])
			continue;
		snprintf(name, sizeof(name), "prio_packets_%u", i);
		snprintf(comment, sizeof(comment),
			 "packets sent at priority %u", i);
		homa_metrics_line(seq, prefix, name, m->prio_packets[i],
				  comment);
		snprintf(name, sizeof(name), "prio_bytes_%u", i);
		snprintf(comment, sizeof(comment),
			 "bytes sent at priority %u", i);
		homa_metrics_line(seq, prefix, name, m->prio_bytes[i],
				  comment);
	}
	for (i = 0; i < HOMA_MSG_BUCKETS; i++) {
		if (skip_zero && !m->msg_bytes[i])
			continue;
		snprintf(name, sizeof(name), "msg_bytes_%u",
			 homa_msg_bucket_limit(i));
		snprintf(comment, sizeof(comment),
			 "bytes in incoming messages of %u..%u bytes",
			 i ? homa_msg_bucket_limit(i - 1) + 1 : 1,
			 homa_msg_bucket_limit(i));
		homa_metrics_line(seq, prefix, name, m->msg_bytes[i],
				  comment);
	}
}

/* /proc/net/homa_metrics: every counter, summed over CPUs. */
static int homa_metrics_show(struct seq_file *seq, void *v)
{
	struct homa_net *hn = homa_net(seq_file_single_net(seq));
	struct homa_metrics *sum;
	unsigned int cpu;

	sum = kzalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		homa_metrics_add(sum, per_cpu_ptr(hn->metrics, cpu));
	homa_metrics_print(seq, sum, "", false);
	homa_metrics_line(seq, "", "grant_max_incoming",
			  READ_ONCE(hn->grantor.max_total_incoming),
			  "most granted-but-unreceived bytes after a grant");
	kfree(sum);
	return 0;
}

/*
 * /proc/net/homa_metrics_cpu: the counters of each CPU that are not 0,
 * named "cpuN.name", so that imbalance shows (and homa_metrics can
 * follow each one).
 */
static int homa_metrics_cpu_show(struct seq_file *seq, void *v)
{
	struct homa_net *hn = homa_net(seq_file_single_net(seq));
	struct homa_metrics *copy;
	char prefix[16];
	unsigned int cpu;

	copy = kmalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		memset(copy, 0, sizeof(*copy));
		homa_metrics_add(copy, per_cpu_ptr(hn->metrics, cpu));
		snprintf(prefix, sizeof(prefix), "cpu%u.", cpu);
		homa_metrics_print(seq, copy, prefix, true);
	}
	kfree(copy);
	return 0;
}

int homa_metrics_net_init(struct homa_net *hn)
{
	hn->metrics = alloc_percpu(struct homa_metrics);
	if (!hn->metrics)
		return -ENOMEM;
	if (!proc_create_net_single("homa_metrics", 0444, hn->net->proc_net,
				    homa_metrics_show, NULL))
		goto fail;
	if (!proc_create_net_single("homa_metrics_cpu", 0444,
				    hn->net->proc_net, homa_metrics_cpu_show,
				    NULL)) {
		remove_proc_entry("homa_metrics_cpu", hn->net->proc_net);
	remove_proc_entry("homa_metrics", hn->net->proc_net);
		goto fail;
	}
	return 0;

fail:
	free_percpu(hn->metrics);
	return -ENOMEM;
}

void homa_metrics_net_exit(struct homa_net *hn)
{
	remove_proc_entry("homa_metrics_cpu", hn->net->proc_net);
	remove_proc_entry("homa_metrics", hn->net->proc_net);
	free_percpu(hn->metrics);
}
