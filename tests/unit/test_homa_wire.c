// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/homa_wire.c and the layouts in src/homa_wire.h. */
#include "homa_wire.h"
#include "unit.h"

/* Big-endian value of @n bytes at @off in @buf. */
static u64 wire_field(const void *buf, unsigned int off, unsigned int n)
{
	const u8 *p = (const u8 *)buf + off;
	u64 v = 0;

	while (n--)
		v = (v << 8) | *p++;
	return v;
}

UNIT_TEST(homa_wire__header_sizes)
{
	EXPECT_EQ(28, sizeof(struct homa_common_hdr));
	EXPECT_EQ(56, sizeof(struct homa_data_hdr));
	EXPECT_EQ(33, sizeof(struct homa_grant_hdr));
	EXPECT_EQ(37, sizeof(struct homa_resend_hdr));
	EXPECT_EQ(62, sizeof(struct homa_cutoffs_hdr));
	EXPECT_EQ(80, sizeof(struct homa_ack_hdr));
	EXPECT_EQ(10, sizeof(struct homa_ack));
	EXPECT_EQ(4, sizeof(struct homa_seg_hdr));
}

UNIT_TEST(homa_wire__common_offsets)
{
	EXPECT_EQ(0, offsetof(struct homa_common_hdr, sport));
	EXPECT_EQ(2, offsetof(struct homa_common_hdr, dport));
	EXPECT_EQ(4, offsetof(struct homa_common_hdr, sequence));
	EXPECT_EQ(8, offsetof(struct homa_common_hdr, unused1));
	EXPECT_EQ(11, offsetof(struct homa_common_hdr, type));
	EXPECT_EQ(12, offsetof(struct homa_common_hdr, doff));
	EXPECT_EQ(13, offsetof(struct homa_common_hdr, flags));
	EXPECT_EQ(14, offsetof(struct homa_common_hdr, window));
	EXPECT_EQ(16, offsetof(struct homa_common_hdr, checksum));
	EXPECT_EQ(18, offsetof(struct homa_common_hdr, urgent));
	EXPECT_EQ(20, offsetof(struct homa_common_hdr, sender_id));
}

UNIT_TEST(homa_wire__data_offsets)
{
	EXPECT_EQ(28, offsetof(struct homa_data_hdr, message_length));
	EXPECT_EQ(32, offsetof(struct homa_data_hdr, incoming));
	EXPECT_EQ(36, offsetof(struct homa_data_hdr, ack.client_id));
	EXPECT_EQ(44, offsetof(struct homa_data_hdr, ack.server_port));
	EXPECT_EQ(46, offsetof(struct homa_data_hdr, cutoff_version));
	EXPECT_EQ(48, offsetof(struct homa_data_hdr, retransmit));
	EXPECT_EQ(49, offsetof(struct homa_data_hdr, pad));
	EXPECT_EQ(52, offsetof(struct homa_data_hdr, seg.offset));
}

UNIT_TEST(homa_wire__control_offsets)
{
	EXPECT_EQ(28, offsetof(struct homa_grant_hdr, offset));
	EXPECT_EQ(32, offsetof(struct homa_grant_hdr, priority));
	EXPECT_EQ(28, offsetof(struct homa_resend_hdr, offset));
	EXPECT_EQ(32, offsetof(struct homa_resend_hdr, length));
	EXPECT_EQ(36, offsetof(struct homa_resend_hdr, priority));
	EXPECT_EQ(28, offsetof(struct homa_cutoffs_hdr, unsched_cutoffs));
	EXPECT_EQ(60, offsetof(struct homa_cutoffs_hdr, cutoff_version));
	EXPECT_EQ(28, offsetof(struct homa_ack_hdr, num_acks));
	EXPECT_EQ(30, offsetof(struct homa_ack_hdr, acks));
	EXPECT_EQ(40, offsetof(struct homa_ack_hdr, acks[1]));
	EXPECT_EQ(70, offsetof(struct homa_ack_hdr, acks[4]));
}

UNIT_TEST(homa_wire_init_common__fields_on_the_wire)
{
	struct homa_common_hdr h;

	memset(&h, 0xa5, sizeof(h));
	homa_wire_init_common(&h, HOMA_GRANT, 0x8001, 99,
			      0x0102030405060708ULL);
	EXPECT_EQ(0x8001, wire_field(&h, 0, 2));
	EXPECT_EQ(99, wire_field(&h, 2, 2));
	EXPECT_EQ(0, wire_field(&h, 4, 4));
	EXPECT_EQ(0, wire_field(&h, 8, 3));
	EXPECT_EQ(0x11, wire_field(&h, 11, 1));
	EXPECT_EQ(0x50, wire_field(&h, 12, 1));
	EXPECT_EQ(0, wire_field(&h, 13, 7));
	EXPECT_EQ(0x0102030405060708ULL, wire_field(&h, 20, 8));
}

UNIT_TEST(homa_wire_init_common__data_doff)
{
	struct homa_common_hdr h;

	homa_wire_init_common(&h, HOMA_DATA, 1, 2, 4);
	EXPECT_EQ(14 << 4, h.doff);
	/* The header that the doff covers ends where seg.offset starts in
	 * a GSO packet, and at the payload otherwise.
	 */
	EXPECT_EQ(sizeof(struct homa_data_hdr), (h.doff >> 4) * 4);
	EXPECT_EQ(offsetof(struct homa_data_hdr, seg),
		  (HOMA_DOFF_DATA_GSO >> 4) * 4);
}

UNIT_TEST(homa_wire__data_round_trip)
{
	struct homa_data_hdr d;

	homa_wire_init_common(&d.common, HOMA_DATA, 40000, 7, 1234);
	d.common.sequence = cpu_to_be32(1400);
	d.message_length = cpu_to_be32(1000000);
	d.incoming = cpu_to_be32(40000);
	d.ack.client_id = cpu_to_be64(0x1122334455667788ULL);
	d.ack.server_port = cpu_to_be16(0x0203);
	d.cutoff_version = cpu_to_be16(0x0a0b);
	d.retransmit = 1;
	memset(d.pad, 0, sizeof(d.pad));
	d.seg.offset = cpu_to_be32(2800);

	EXPECT_EQ(1400, wire_field(&d, 4, 4));
	EXPECT_EQ(1000000, wire_field(&d, 28, 4));
	EXPECT_EQ(40000, wire_field(&d, 32, 4));
	EXPECT_EQ(0x1122334455667788ULL, wire_field(&d, 36, 8));
	EXPECT_EQ(0x0203, wire_field(&d, 44, 2));
	EXPECT_EQ(0x0a0b, wire_field(&d, 46, 2));
	EXPECT_EQ(1, wire_field(&d, 48, 1));
	EXPECT_EQ(2800, wire_field(&d, 52, 4));

	EXPECT_EQ(1000000, be32_to_cpu(d.message_length));
	EXPECT_EQ(0x1122334455667788ULL, be64_to_cpu(d.ack.client_id));
	EXPECT_EQ(2800, be32_to_cpu(d.seg.offset));
	EXPECT_EQ(HOMA_WIRE_OK, homa_wire_check(&d, sizeof(d)));
}

UNIT_TEST(homa_wire__control_round_trips)
{
	struct homa_resend_hdr r;
	struct homa_cutoffs_hdr c;
	struct homa_ack_hdr a;
	struct homa_grant_hdr g;

	homa_wire_init_common(&g.common, HOMA_GRANT, 1, 2, 3);
	g.offset = cpu_to_be32(123456);
	g.priority = 6;
	EXPECT_EQ(123456, wire_field(&g, 28, 4));
	EXPECT_EQ(6, wire_field(&g, 32, 1));

	homa_wire_init_common(&r.common, HOMA_RESEND, 1, 2, 3);
	r.offset = cpu_to_be32(0);
	r.length = cpu_to_be32(HOMA_RESEND_ALL);
	r.priority = 7;
	EXPECT_EQ(0xffffffffU, wire_field(&r, 32, 4));
	EXPECT_EQ(7, wire_field(&r, 36, 1));

	homa_wire_init_common(&c.common, HOMA_CUTOFFS, 1, 2, 3);
	for (int i = 0; i < HOMA_MAX_PRIORITIES; i++)
		c.unsched_cutoffs[i] = cpu_to_be32(1000 * i + 1);
	c.cutoff_version = cpu_to_be16(9);
	EXPECT_EQ(1, wire_field(&c, 28, 4));
	EXPECT_EQ(7001, wire_field(&c, 56, 4));
	EXPECT_EQ(9, wire_field(&c, 60, 2));

	homa_wire_init_common(&a.common, HOMA_ACK, 1, 2, 3);
	a.num_acks = cpu_to_be16(5);
	for (int i = 0; i < HOMA_MAX_ACKS_PER_PKT; i++) {
		a.acks[i].client_id = cpu_to_be64(100 + 2 * i);
		a.acks[i].server_port = cpu_to_be16(500 + i);
	}
	EXPECT_EQ(5, wire_field(&a, 28, 2));
	EXPECT_EQ(100, wire_field(&a, 30, 8));
	EXPECT_EQ(500, wire_field(&a, 38, 2));
	EXPECT_EQ(108, wire_field(&a, 70, 8));
	EXPECT_EQ(504, wire_field(&a, 78, 2));
}

UNIT_TEST(homa_wire_hdr_length__every_type)
{
	EXPECT_EQ(56, homa_wire_hdr_length(HOMA_DATA));
	EXPECT_EQ(33, homa_wire_hdr_length(HOMA_GRANT));
	EXPECT_EQ(37, homa_wire_hdr_length(HOMA_RESEND));
	EXPECT_EQ(28, homa_wire_hdr_length(HOMA_RPC_UNKNOWN));
	EXPECT_EQ(28, homa_wire_hdr_length(HOMA_BUSY));
	EXPECT_EQ(62, homa_wire_hdr_length(HOMA_CUTOFFS));
	EXPECT_EQ(28, homa_wire_hdr_length(HOMA_FREEZE));
	EXPECT_EQ(28, homa_wire_hdr_length(HOMA_NEED_ACK));
	EXPECT_EQ(80, homa_wire_hdr_length(HOMA_ACK));
	EXPECT_EQ(0, homa_wire_hdr_length(0x0f));
	EXPECT_EQ(0, homa_wire_hdr_length(0x19));
	EXPECT_EQ(0, homa_wire_hdr_length(0));
	EXPECT_EQ(0, homa_wire_hdr_length(0xff));
}

UNIT_TEST(homa_wire_check__short_packets)
{
	u8 buf[HOMA_MAX_HEADER] = { 0 };
	struct homa_common_hdr *h = (struct homa_common_hdr *)buf;

	h->sport = htons(1);
	h->dport = htons(2);
	EXPECT_EQ(HOMA_WIRE_SHORT, homa_wire_check(buf, 0));
	EXPECT_EQ(HOMA_WIRE_SHORT, homa_wire_check(buf, 27));
	h->type = HOMA_DATA;
	EXPECT_EQ(HOMA_WIRE_SHORT, homa_wire_check(buf, 55));
	EXPECT_EQ(HOMA_WIRE_OK, homa_wire_check(buf, 56));
	h->type = HOMA_ACK;
	EXPECT_EQ(HOMA_WIRE_SHORT, homa_wire_check(buf, 79));
	EXPECT_EQ(HOMA_WIRE_OK, homa_wire_check(buf, 80));
	h->type = HOMA_BUSY;
	EXPECT_EQ(HOMA_WIRE_OK, homa_wire_check(buf, 28));
}

UNIT_TEST(homa_wire_check__unknown_types)
{
	u8 buf[HOMA_MAX_HEADER] = { 0 };
	struct homa_common_hdr *h = (struct homa_common_hdr *)buf;
	unsigned int type;

	h->sport = htons(1);
	h->dport = htons(2);
	for (type = 0; type < 256; type++) {
		h->type = type;
		if (type >= HOMA_DATA && type <= HOMA_ACK)
			EXPECT_EQ(HOMA_WIRE_OK,
				  homa_wire_check(buf, sizeof(buf)));
		else
			EXPECT_EQ(HOMA_WIRE_BAD_TYPE,
				  homa_wire_check(buf, sizeof(buf)));
	}
}

UNIT_TEST(homa_wire_check__port_zero)
{
	struct homa_common_hdr h;

	homa_wire_init_common(&h, HOMA_BUSY, 0, 99, 2);
	EXPECT_EQ(HOMA_WIRE_BAD_PORT, homa_wire_check(&h, sizeof(h)));
	homa_wire_init_common(&h, HOMA_BUSY, 99, 0, 2);
	EXPECT_EQ(HOMA_WIRE_BAD_PORT, homa_wire_check(&h, sizeof(h)));
	homa_wire_init_common(&h, HOMA_BUSY, 99, 98, 2);
	EXPECT_EQ(HOMA_WIRE_OK, homa_wire_check(&h, sizeof(h)));
}

UNIT_TEST(homa_wire__one_segment_without_gso)
{
	struct homa_wire_seg seg = homa_wire_seg(56 + 1000, 0, 0);

	EXPECT_EQ(1, homa_wire_num_segs(56 + 1000, 0));
	EXPECT_EQ(52, seg.seg_at);
	EXPECT_EQ(1000, seg.data_len);
	/* A header without data has no segment. */
	EXPECT_EQ(0, homa_wire_num_segs(56, 0));
	/* A gso_size too small to hold data, or covering everything. */
	EXPECT_EQ(1, homa_wire_num_segs(56 + 1000, 4));
	EXPECT_EQ(1, homa_wire_num_segs(56 + 1000, 5000));
	EXPECT_EQ(1000, homa_wire_seg(56 + 1000, 5000, 0).data_len);
}

UNIT_TEST(homa_wire__gso_segments)
{
	/* Three full segments of 1424 data bytes and a short one of 100. */
	u32 len = 52 + 3 * 1428 + 4 + 100;
	struct homa_wire_seg seg;

	EXPECT_EQ(4, homa_wire_num_segs(len, 1428));
	seg = homa_wire_seg(len, 1428, 0);
	EXPECT_EQ(52, seg.seg_at);
	EXPECT_EQ(1424, seg.data_len);
	seg = homa_wire_seg(len, 1428, 2);
	EXPECT_EQ(52 + 2 * 1428, seg.seg_at);
	EXPECT_EQ(1424, seg.data_len);
	seg = homa_wire_seg(len, 1428, 3);
	EXPECT_EQ(52 + 3 * 1428, seg.seg_at);
	EXPECT_EQ(100, seg.data_len);
	/* Exactly full segments. */
	EXPECT_EQ(3, homa_wire_num_segs(52 + 3 * 1428, 1428));
	EXPECT_EQ(1424, homa_wire_seg(52 + 3 * 1428, 1428, 2).data_len);
}

UNIT_TEST(homa_wire__gso_trailing_piece_without_data)
{
	/* 1..4 bytes after the last full segment: no data, no segment. */
	EXPECT_EQ(2, homa_wire_num_segs(52 + 2 * 1428 + 4, 1428));
	EXPECT_EQ(2, homa_wire_num_segs(52 + 2 * 1428 + 1, 1428));
	EXPECT_EQ(3, homa_wire_num_segs(52 + 2 * 1428 + 5, 1428));
	EXPECT_EQ(1, homa_wire_seg(52 + 2 * 1428 + 5, 1428, 2).data_len);
}

UNIT_TEST(homa_wire__segs_per_pkt)
{
	/* No GSO. */
	EXPECT_EQ(1, homa_wire_segs_per_pkt(1424, 0, 20));
	EXPECT_EQ(1, homa_wire_segs_per_pkt(1424, 1500, 20));
	/* 64 KB packets, IPv4, MTU 1500: 45 segments of 1428 bytes. */
	EXPECT_EQ(45, homa_wire_segs_per_pkt(1424, 65536, 20));
	EXPECT_TRUE(52 + 45 * 1428 + 20 <= 65535);
	/* Larger caps are held to what an IP packet can carry. */
	EXPECT_EQ(45, homa_wire_segs_per_pkt(1424, 1000000, 40));
	EXPECT_TRUE(52 + 45 * 1428 + 40 <= 65535);
	EXPECT_EQ(2, homa_wire_segs_per_pkt(1424, 52 + 2 * 1428, 20));
	EXPECT_EQ(1, homa_wire_segs_per_pkt(0, 65536, 20));
}
