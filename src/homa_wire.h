/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Homa's wire format: the packet headers exchanged between peers.
 *
 * Every multi-byte field is big-endian. The common header mirrors a TCP
 * header so that NICs can segment Homa DATA packets with TSO; the field
 * names note which TCP field shares each position. Sizes and offsets are
 * fixed by compatibility with other Homa implementations and are checked
 * at compile time below.
 */
#ifndef _HOMA_WIRE_H
#define _HOMA_WIRE_H

#include "homa_core.h"

/* Packet types: the byte at offset 11 of every Homa packet. */
enum homa_packet_type {
	HOMA_DATA		= 0x10,
	HOMA_GRANT		= 0x11,
	HOMA_RESEND		= 0x12,
	HOMA_RPC_UNKNOWN	= 0x13,
	HOMA_BUSY		= 0x14,
	HOMA_CUTOFFS		= 0x15,
	HOMA_FREEZE		= 0x16,
	HOMA_NEED_ACK		= 0x17,
	HOMA_ACK		= 0x18,
};

#define HOMA_MIN_PACKET_TYPE HOMA_DATA
#define HOMA_MAX_PACKET_TYPE HOMA_ACK

/* Longest Homa header of any packet type. */
#define HOMA_MAX_HEADER 90

/* Shortest Homa packet (header plus data) a peer may send. */
#define HOMA_MIN_PKT_LENGTH 26

/* Priority levels a Homa packet may carry. */
#define HOMA_MAX_PRIORITIES 8

/* Acknowledgments an ACK packet carries at most. */
#define HOMA_MAX_ACKS_PER_PKT 5

/* Values of the doff byte: header length in 32-bit words, high nibble. */
#define HOMA_DOFF_CONTROL (5 << 4)
#define HOMA_DOFF_DATA (14 << 4)
#define HOMA_DOFF_DATA_GSO (13 << 4)

/* Value of the urgent field that marks a Homa packet sent as TCP. */
#define HOMA_TCP_URGENT 0xb97d

/**
 * struct homa_common_hdr - The first 28 bytes of every Homa packet.
 */
struct homa_common_hdr {
	__be16 sport;		/* TCP source port */
	__be16 dport;		/* TCP destination port */
	__be32 sequence;	/* TCP sequence: DATA's first message offset */
	u8 unused1[3];		/* TCP ack number, high bytes */
	u8 type;		/* TCP ack number, low byte */
	u8 doff;		/* TCP data offset */
	u8 flags;		/* TCP flags: used only when sent as TCP */
	__be16 window;		/* TCP window: unused */
	__be16 checksum;	/* TCP checksum: used only when sent as TCP */
	__be16 urgent;		/* TCP urgent pointer */
	__be64 sender_id;	/* RPC id as known by this packet's sender */
} __packed;

/**
 * struct homa_ack - Tells a server that it may free one RPC.
 */
struct homa_ack {
	__be64 client_id;	/* The client's id of the RPC */
	__be16 server_port;	/* Server port the RPC was sent to */
} __packed;

/**
 * struct homa_seg_hdr - Precedes each segment's data in a DATA packet.
 */
struct homa_seg_hdr {
	__be32 offset;		/* Message offset of the segment's first byte */
} __packed;

/**
 * struct homa_data_hdr - Header of a DATA packet.
 */
struct homa_data_hdr {
	struct homa_common_hdr common;
	__be32 message_length;	/* Bytes in the whole message */
	__be32 incoming;	/* Bytes sent without waiting for more grants */
	struct homa_ack ack;	/* Piggy-backed ack; client_id 0 = none */
	__be16 cutoff_version;	/* Cutoffs used to choose the priority */
	u8 retransmit;		/* 1 if sent in answer to a RESEND */
	u8 pad[3];
	struct homa_seg_hdr seg;
} __packed;

/**
 * struct homa_grant_hdr - Header of a GRANT packet.
 */
struct homa_grant_hdr {
	struct homa_common_hdr common;
	__be32 offset;		/* The sender may send bytes below this */
	u8 priority;		/* Priority for the newly granted bytes */
} __packed;

/* RESEND length meaning "everything sent so far". */
#define HOMA_RESEND_ALL 0xffffffffU

/**
 * struct homa_resend_hdr - Header of a RESEND packet.
 */
struct homa_resend_hdr {
	struct homa_common_hdr common;
	__be32 offset;		/* First byte to send again */
	__be32 length;		/* Bytes to send again, or HOMA_RESEND_ALL */
	u8 priority;		/* Priority for the retransmitted bytes */
} __packed;

/**
 * struct homa_cutoffs_hdr - Header of a CUTOFFS packet.
 */
struct homa_cutoffs_hdr {
	struct homa_common_hdr common;
	/* Longest message sent unscheduled at each priority level */
	__be32 unsched_cutoffs[HOMA_MAX_PRIORITIES];
	__be16 cutoff_version;
} __packed;

/**
 * struct homa_ack_hdr - Header of an ACK packet.
 */
struct homa_ack_hdr {
	struct homa_common_hdr common;
	__be16 num_acks;	/* Valid entries in @acks */
	struct homa_ack acks[HOMA_MAX_ACKS_PER_PKT];
} __packed;

static_assert(sizeof(struct homa_common_hdr) == 28, "common header size");
static_assert(sizeof(struct homa_ack) == 10, "ack size");
static_assert(sizeof(struct homa_data_hdr) == 56, "DATA header size");
static_assert(sizeof(struct homa_grant_hdr) == 33, "GRANT header size");
static_assert(sizeof(struct homa_resend_hdr) == 37, "RESEND header size");
static_assert(sizeof(struct homa_cutoffs_hdr) == 62, "CUTOFFS header size");
static_assert(sizeof(struct homa_ack_hdr) == 80, "ACK header size");
static_assert(sizeof(struct homa_ack_hdr) <= HOMA_MAX_HEADER,
	      "HOMA_MAX_HEADER too small");
static_assert(offsetof(struct homa_common_hdr, type) == 11, "type offset");
static_assert(offsetof(struct homa_common_hdr, sender_id) == 20,
	      "sender_id offset");
static_assert(offsetof(struct homa_data_hdr, seg) == 52, "seg offset");

/*
 * Why a received packet was refused. Each value has a drop counter, so
 * the order matters only for readability.
 */
enum homa_wire_verdict {
	HOMA_WIRE_OK = 0,
	HOMA_WIRE_SHORT,	/* Shorter than its type's header */
	HOMA_WIRE_BAD_TYPE,	/* Type outside DATA..ACK */
	HOMA_WIRE_BAD_PORT,	/* Source or destination port 0 */
};

/*
 * Bytes of a DATA header that GSO replicates into every segment: all but
 * the segment's own seg.offset.
 */
#define HOMA_GSO_HDR_LEN offsetof(struct homa_data_hdr, seg)

/* Cap on a DATA packet, Homa header included, with GSO. */
#define HOMA_GSO_MAX_BYTES 65536

/**
 * struct homa_wire_seg - Where one segment of a DATA packet lies.
 */
struct homa_wire_seg {
	u32 seg_at;		/* offset of its struct homa_seg_hdr */
	u32 data_len;		/* bytes of message data after that header */
};

u8 homa_wire_hdr_length(u8 type);
u32 homa_wire_num_segs(u32 pkt_len, u32 gso_size);
struct homa_wire_seg homa_wire_seg(u32 pkt_len, u32 gso_size, u32 i);
u32 homa_wire_segs_per_pkt(u32 seg_data, u32 max_gso_size, u32 ip_hdr_len);
enum homa_wire_verdict homa_wire_check(const void *pkt, unsigned int length);
void homa_wire_init_common(struct homa_common_hdr *h, u8 type, u16 sport,
			   u16 dport, u64 sender_id);

#endif /* _HOMA_WIRE_H */
