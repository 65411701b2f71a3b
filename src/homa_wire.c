// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and first-line validation of Homa packet headers. Part of the
 * functional core: plain buffers in, decisions out.
 */
#include "homa_wire.h"

/* Header length of each packet type, indexed by type - HOMA_DATA. */
static const u8 homa_hdr_lengths[] = {
	[HOMA_DATA - HOMA_DATA]		= sizeof(struct homa_data_hdr),
	[HOMA_GRANT - HOMA_DATA]	= sizeof(struct homa_grant_hdr),
	[HOMA_RESEND - HOMA_DATA]	= sizeof(struct homa_resend_hdr),
	[HOMA_RPC_UNKNOWN - HOMA_DATA]	= sizeof(struct homa_common_hdr),
	[HOMA_BUSY - HOMA_DATA]		= sizeof(struct homa_common_hdr),
	[HOMA_CUTOFFS - HOMA_DATA]	= sizeof(struct homa_cutoffs_hdr),
	[HOMA_FREEZE - HOMA_DATA]	= sizeof(struct homa_common_hdr),
	[HOMA_NEED_ACK - HOMA_DATA]	= sizeof(struct homa_common_hdr),
	[HOMA_ACK - HOMA_DATA]		= sizeof(struct homa_ack_hdr),
};

static_assert(ARRAY_SIZE(homa_hdr_lengths) ==
	      HOMA_MAX_PACKET_TYPE - HOMA_MIN_PACKET_TYPE + 1,
	      "a packet type has no header length");

/**
 * homa_wire_hdr_length() - Length of a packet type's header.
 * @type: value of the type byte.
 *
 * Return: bytes in the header of @type, or 0 if @type is not a Homa
 * packet type.
 */
u8 homa_wire_hdr_length(u8 type)
{
	if (type < HOMA_MIN_PACKET_TYPE || type > HOMA_MAX_PACKET_TYPE)
		return 0;
	return homa_hdr_lengths[type - HOMA_MIN_PACKET_TYPE];
}

/**
 * homa_wire_check() - Decide whether a received packet has a complete,
 * known header. Finer checks belong to each type's handler.
 * @pkt:    first byte of the Homa header.
 * @length: bytes available from @pkt on.
 *
 * Return: HOMA_WIRE_OK, or why the packet must be dropped.
 */
enum homa_wire_verdict homa_wire_check(const void *pkt, unsigned int length)
{
	const struct homa_common_hdr *h = pkt;
	u8 hdr_length;

	if (length < sizeof(*h))
		return HOMA_WIRE_SHORT;
	hdr_length = homa_wire_hdr_length(h->type);
	if (hdr_length == 0)
		return HOMA_WIRE_BAD_TYPE;
	if (length < hdr_length)
		return HOMA_WIRE_SHORT;
	/* Port 0 is never used on the wire. */
	if (!h->sport || !h->dport)
		return HOMA_WIRE_BAD_PORT;
	return HOMA_WIRE_OK;
}

/**
 * homa_wire_init_common() - Fill in the common header of an outgoing
 * packet; every field not named here becomes 0.
 * @h:         header to fill in.
 * @type:      packet type (HOMA_DATA ... HOMA_ACK).
 * @sport:     source port, host order.
 * @dport:     destination port, host order.
 * @sender_id: RPC id as the sender of this packet knows it.
 */
void homa_wire_init_common(struct homa_common_hdr *h, u8 type, u16 sport,
			   u16 dport, u64 sender_id)
{
	memset(h, 0, sizeof(*h));
	h->sport = cpu_to_be16(sport);
	h->dport = cpu_to_be16(dport);
	h->type = type;
	h->doff = type == HOMA_DATA ? HOMA_DOFF_DATA : HOMA_DOFF_CONTROL;
	h->sender_id = cpu_to_be64(sender_id);
}

/**
 * homa_wire_num_segs() - Count the segments of a received DATA packet. A
 * GSO packet that no device split carries one DATA header and then, for
 * each segment, a struct homa_seg_hdr and the segment's data, @gso_size
 * bytes per segment (the last may be shorter); the first segment's
 * homa_seg_hdr is the header's seg field.
 * @pkt_len:  bytes from the Homa header to the end of the packet, at least
 *            sizeof(struct homa_data_hdr).
 * @gso_size: bytes per segment, header included, or 0 for a packet of one
 *            segment.
 *
 * Return: the number of segments that hold data (a trailing piece too
 * short for any data is not one).
 */
u32 homa_wire_num_segs(u32 pkt_len, u32 gso_size)
{
	u32 body = pkt_len - HOMA_GSO_HDR_LEN;
	u32 n;

	if (gso_size <= sizeof(struct homa_seg_hdr) || gso_size >= body)
		return pkt_len > sizeof(struct homa_data_hdr) ? 1 : 0;
	n = body / gso_size;
	if (body % gso_size > sizeof(struct homa_seg_hdr))
		n++;
	return n;
}

/**
 * homa_wire_seg() - Locate segment @i of a received DATA packet (see
 * homa_wire_num_segs()).
 * @pkt_len:  as for homa_wire_num_segs().
 * @gso_size: as for homa_wire_num_segs().
 * @i:        below homa_wire_num_segs(@pkt_len, @gso_size).
 *
 * Return: the segment's position and data length.
 */
struct homa_wire_seg homa_wire_seg(u32 pkt_len, u32 gso_size, u32 i)
{
	u32 body = pkt_len - HOMA_GSO_HDR_LEN;
	struct homa_wire_seg seg;

	if (gso_size <= sizeof(struct homa_seg_hdr) || gso_size >= body)
		gso_size = body;
	seg.seg_at = HOMA_GSO_HDR_LEN + i * gso_size;
	seg.data_len = min(gso_size, pkt_len - seg.seg_at) -
		       (u32)sizeof(struct homa_seg_hdr);
	return seg;
}

/**
 * homa_wire_segs_per_pkt() - How many segments a sender puts in one DATA
 * packet.
 * @seg_data:     message bytes per segment (what fits one MTU).
 * @max_gso_size: the max_gso_size sysctl: cap on a packet's bytes from the
 *                Homa header on; 0 means no GSO.
 * @ip_hdr_len:   bytes of the IP header (the IP packet must stay below
 *                64 KB).
 *
 * Return: at least 1.
 */
u32 homa_wire_segs_per_pkt(u32 seg_data, u32 max_gso_size, u32 ip_hdr_len)
{
	u32 seg_size = seg_data + sizeof(struct homa_seg_hdr);
	u32 limit = min_t(u32, max_gso_size, HOMA_GSO_MAX_BYTES - 1 - ip_hdr_len);

	if (seg_data == 0 || limit <= HOMA_GSO_HDR_LEN + seg_size)
		return 1;
	return (limit - HOMA_GSO_HDR_LEN) / seg_size;
}
