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
