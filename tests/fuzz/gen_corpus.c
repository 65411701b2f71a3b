// SPDX-License-Identifier: GPL-2.0
/*
 * Write the seed corpus of fuzz_rx.c: valid packets of every type, and
 * short sequences that reach the interesting states (messages split in
 * packets, out of order and duplicated, scheduled messages, full gap
 * lists, acks, events), in fuzz_rx.c's input format.
 *
 *   gen_corpus DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "homa_wire.h"

static unsigned char buf[65536];
static size_t used;
static const char *dir;

/* Start an input: the two configuration bytes. */
static void begin(unsigned char c0, unsigned char c1)
{
	buf[0] = c0;
	buf[1] = c1;
	used = 2;
}

/* A packet of @len bytes whose first @n bytes are @hdr (then zeros). */
static void packet(const void *hdr, size_t n, unsigned int len)
{
	buf[used++] = len >> 8;
	buf[used++] = len;
	buf[used++] = n;
	memcpy(buf + used, hdr, n);
	used += n;
}

/* An event: the RPC in @slot ends. */
static void end_slot(unsigned int slot)
{
	buf[used++] = 0;
	buf[used++] = slot;
	buf[used++] = 0x80;
}

/* An event: a timer tick runs the grant decisions. */
static void tick(void)
{
	buf[used++] = 0;
	buf[used++] = 0;
	buf[used++] = 0x81;
}

static void finish(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, used, f) != used || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void data(u64 sender_id, u32 msg_len, u32 incoming, u32 offset,
		 u32 payload)
{
	struct homa_data_hdr h;

	memset(&h, 0, sizeof(h));
	homa_wire_init_common(&h.common, HOMA_DATA, 1000, 4000, sender_id);
	h.common.sequence = cpu_to_be32(offset);
	h.message_length = cpu_to_be32(msg_len);
	h.incoming = cpu_to_be32(incoming);
	h.seg.offset = cpu_to_be32(offset);
	packet(&h, sizeof(h), sizeof(h) + payload);
}

static void grant(u64 sender_id, u32 offset, u8 priority)
{
	struct homa_grant_hdr h;

	homa_wire_init_common(&h.common, HOMA_GRANT, 4000, 0x8000, sender_id);
	h.offset = cpu_to_be32(offset);
	h.priority = priority;
	packet(&h, sizeof(h), sizeof(h));
}

static void resend(u64 sender_id, u32 offset, u32 length)
{
	struct homa_resend_hdr h;

	homa_wire_init_common(&h.common, HOMA_RESEND, 4000, 0x8000,
			      sender_id);
	h.offset = cpu_to_be32(offset);
	h.length = cpu_to_be32(length);
	h.priority = 7;
	packet(&h, sizeof(h), sizeof(h));
}

static void control(u8 type, u64 sender_id)
{
	struct homa_common_hdr h;

	homa_wire_init_common(&h, type, 4000, 0x8000, sender_id);
	packet(&h, sizeof(h), sizeof(h));
}

static void cutoffs(void)
{
	static const u32 values[HOMA_MAX_PRIORITIES] = {
		0, 0, 0, 0, 1000000, 15000, 2800, 200
	};
	struct homa_cutoffs_hdr h;
	int i;

	homa_wire_init_common(&h.common, HOMA_CUTOFFS, 4000, 0x8000, 0);
	for (i = 0; i < HOMA_MAX_PRIORITIES; i++)
		h.unsched_cutoffs[i] = cpu_to_be32(values[i]);
	h.cutoff_version = htons(2);
	packet(&h, sizeof(h), sizeof(h));
}

static void ack(u64 sender_id, u16 num_acks, u64 first_acked)
{
	struct homa_ack_hdr h;
	int i;

	homa_wire_init_common(&h.common, HOMA_ACK, 1000, 4000, sender_id);
	h.num_acks = htons(num_acks);
	for (i = 0; i < HOMA_MAX_ACKS_PER_PKT; i++) {
		h.acks[i].client_id = cpu_to_be64(first_acked + 2 * i);
		h.acks[i].server_port = htons(4000);
	}
	packet(&h, sizeof(h), sizeof(h));
}

int main(int argc, char **argv)
{
	u32 i;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	dir = argv[1];
	mkdir(dir, 0755);

	/* A one-packet request, then its ack. */
	begin(0, 0);
	data(100, 100, 100, 0, 100);
	ack(100, 0, 0);
	finish("data-request");

	/* A request in 4 packets, out of order, one duplicated. */
	begin(0, 0);
	data(102, 5000, 5000, 1400, 1400);
	data(102, 5000, 5000, 0, 1400);
	data(102, 5000, 5000, 4200, 800);
	data(102, 5000, 5000, 0, 1400);
	data(102, 5000, 5000, 2800, 1400);
	finish("data-reordered");

	/* A response to client RPC 2 (sender id 3) in two packets. */
	begin(0, 0);
	data(3, 3000, 3000, 0, 1400);
	data(3, 3000, 3000, 1400, 1600);
	finish("data-response");

	/* A scheduled message: 40,000 unscheduled bytes of 200,000. */
	begin(0, 0);
	for (i = 0; i < 40000; i += 1400)
		data(104, 200000, 40000, i, min(1400, 40000 - i));
	data(104, 200000, 40000, 40000, 1400);
	finish("data-scheduled");

	/* Two scheduled messages from two peers, small cap and window. */
	begin(0x05, 0x01);
	data(106, 100000, 10000, 0, 10000);
	data(108, 300000, 10000, 0, 10000);
	data(106, 100000, 10000, 10000, 5000);
	data(108, 300000, 10000, 20000, 5000);
	finish("data-two-scheduled");

	/* Every other packet: the gap list fills up. */
	begin(0, 0);
	for (i = 0; i < 40; i++)
		data(110, 200000, 200000, 2 * i * 1400, 1400);
	data(110, 200000, 200000, 1400, 1400);
	finish("data-gaps");

	/* A message length that changes, and offsets past the end. */
	begin(0, 0);
	data(112, 1000, 1000, 0, 500);
	data(112, 2000, 1000, 500, 500);
	data(112, 1000, 1000, 999, 2);
	data(112, 1000, 1000, 0xffffffff, 1);
	data(112, 0, 0, 0, 0);
	finish("data-inconsistent");

	/* Grants to client RPC 2: normal, beyond the message, wild. */
	begin(0, 0);
	grant(3, 50000, 3);
	grant(3, 0xffffffff, 200);
	grant(5, 1, 0);
	finish("grant");

	/* Resends: everything, a range, one that wraps around. */
	begin(0, 0);
	resend(3, 0, 0xffffffff);
	resend(3, 1000, 5000);
	resend(5, 0xfffffff0, 0x100);
	resend(7, 0, 0xfffffffe);
	finish("resend");

	begin(0, 0);
	control(HOMA_RPC_UNKNOWN, 3);
	data(114, 50, 50, 0, 50);
	control(HOMA_RPC_UNKNOWN, 114);
	finish("rpc-unknown");

	begin(0, 0);
	control(HOMA_BUSY, 3);
	control(HOMA_FREEZE, 3);
	finish("busy-freeze");

	/* NEED_ACK for a response with a hole. */
	begin(0, 0);
	data(5, 10000, 10000, 0, 1400);
	data(5, 10000, 10000, 4200, 1400);
	control(HOMA_NEED_ACK, 5);
	finish("need-ack");

	begin(0, 0);
	cutoffs();
	finish("cutoffs");

	/* Acks of two requests, then one that claims 65535 entries. */
	begin(0, 0);
	data(116, 10, 10, 0, 10);
	data(118, 10, 10, 0, 10);
	ack(0, 2, 116);
	ack(0, 0xffff, 116);
	finish("ack");

	/* Every type cut one byte short of its header. */
	begin(0, 0);
	for (i = HOMA_DATA; i <= HOMA_ACK; i++) {
		struct homa_ack_hdr h;
		u8 len = homa_wire_hdr_length(i);

		memset(&h, 0, sizeof(h));
		homa_wire_init_common(&h.common, i, 1000, 4000, 120);
		packet(&h, len - 1, len - 1);
	}
	finish("truncated");

	/* Types just outside the range. */
	begin(0, 0);
	control(0x0f, 3);
	control(0x19, 3);
	control(0xff, 3);
	finish("unknown-type");

	/* A scheduled request whose RPC ends half way (a timeout). */
	begin(0, 0);
	data(122, 100000, 100000, 0, 1400);
	end_slot(4);
	data(124, 5000, 5000, 0, 1400);
	finish("timeout");

	/* Two scheduled messages from one peer; the first ends, and a
	 * tick lets the second have its grants.
	 */
	begin(0x01, 0);
	data(126, 300000, 10000, 0, 10000);
	data(128, 200000, 10000, 0, 10000);
	end_slot(4);
	tick();
	data(128, 200000, 10000, 10000, 1400);
	finish("tick");
	return 0;
}
