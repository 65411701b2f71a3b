/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * User-space API of the Homa transport protocol (IP protocol 146).
 *
 * Layouts and values follow the header proposed for mainline Linux so that
 * existing Homa applications compile against this file and run unchanged.
 * Only <linux/...> headers usable from both C and C++ are included.
 */
#ifndef _UAPI_LINUX_HOMA_H
#define _UAPI_LINUX_HOMA_H

#include <linux/types.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ioctl.h>
#include <linux/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Layouts are part of the ABI: compilation fails if one ever changes. */
#ifdef __cplusplus
#define _HOMA_CHECK_SIZE(type, size) \
	static_assert(sizeof(struct type) == (size), #type " changed size")
#else
#define _HOMA_CHECK_SIZE(type, size) \
	_Static_assert(sizeof(struct type) == (size), #type " changed size")
#endif

#ifndef IPPROTO_HOMA
#define IPPROTO_HOMA 146
#endif

/* Largest message Homa carries, in bytes. */
#define HOMA_MAX_MESSAGE_LENGTH 1000000

/* Receive buffer pools are divided into "bpages" of this size. */
#define HOMA_BPAGE_SHIFT 16
#define HOMA_BPAGE_SIZE (1 << HOMA_BPAGE_SHIFT)

/* Most bpages a single message can occupy. */
#define HOMA_MAX_BPAGES ((HOMA_MAX_MESSAGE_LENGTH + HOMA_BPAGE_SIZE - 1) \
		>> HOMA_BPAGE_SHIFT)

/* Ports at or above this value are assigned automatically to sockets;
 * ports below it are claimed by servers with bind().
 */
#define HOMA_MIN_DEFAULT_PORT 0x8000

/* Socket options, level IPPROTO_HOMA. */
#define SO_HOMA_RCVBUF 10
#define SO_HOMA_SERVER 11

/* Flags for homa_sendmsg_args.flags. */
#define HOMA_SENDMSG_PRIVATE 0x01
#define HOMA_SENDMSG_VALID_FLAGS HOMA_SENDMSG_PRIVATE

/**
 * struct homa_sendmsg_args - Passed through msg_control (with
 * msg_controllen 0) to sendmsg; the kernel reads and writes it in user
 * memory.
 */
struct homa_sendmsg_args {
	/** @id: 0 to start a new request (the new id is returned here), or
	 * the id of the server RPC whose response this is.
	 */
	__u64 id;

	/** @completion_cookie: returned by recvmsg with the response. */
	__u64 completion_cookie;

	/** @flags: OR of HOMA_SENDMSG_* values. */
	__u32 flags;

	/** @reserved: must be 0. */
	__u32 reserved;
};

_HOMA_CHECK_SIZE(homa_sendmsg_args, 24);

/**
 * struct homa_recvmsg_args - Passed through msg_control to recvmsg.
 */
struct homa_recvmsg_args {
	/** @id: 0 for any message, else a private client RPC to wait for;
	 * on return, the id of the RPC the message (or error) belongs to.
	 */
	__u64 id;

	/** @completion_cookie: on return, the cookie of a response. */
	__u64 completion_cookie;

	/** @num_bpages: on entry, bpages to give back; on return, bpages
	 * holding the message.
	 */
	__u32 num_bpages;

	/** @reserved: must be 0. */
	__u32 reserved;

	/** @bpage_offsets: offsets of those bpages in the buffer region. */
	__u32 bpage_offsets[HOMA_MAX_BPAGES];
};

_HOMA_CHECK_SIZE(homa_recvmsg_args, 88);

/**
 * struct homa_rcvbuf_args - Value of the SO_HOMA_RCVBUF socket option.
 */
struct homa_rcvbuf_args {
	/** @start: user address of the (page-aligned) buffer region. */
	__u64 start;

	/** @length: bytes in the region. */
	__u64 length;
};

_HOMA_CHECK_SIZE(homa_rcvbuf_args, 16);

/**
 * struct homa_abort_args - Argument of the HOMAIOCABORT ioctl.
 */
struct homa_abort_args {
	/** @id: client RPC to abort, or 0 for all of the socket's. */
	__u64 id;

	/** @error: errno to complete the RPCs with; 0 frees them silently. */
	__u32 error;

	/** @_pad1: must be 0. */
	__u32 _pad1;

	/** @_pad2: must be 0. */
	__u64 _pad2[2];
};

_HOMA_CHECK_SIZE(homa_abort_args, 32);

/* Values for homa_rpc_info.flags. */
#define HOMA_RPC_BUF_STALL 1
#define HOMA_RPC_PRIVATE 2
#define HOMA_RPC_RX_READY 4
#define HOMA_RPC_RX_COPY 8

/**
 * struct homa_rpc_info - State of one RPC, returned by HOMAIOCINFO.
 */
struct homa_rpc_info {
	/** @id: RPC id (even: client, odd: server). */
	__u64 id;

	/** @peer: address of the other end. */
	union {
		struct __kernel_sockaddr_storage storage;
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	} peer;

	/** @completion_cookie: cookie given when a client RPC began. */
	__u64 completion_cookie;

	/** @tx_length: bytes in the outgoing message, -1 if none yet. */
	__s32 tx_length;

	/** @tx_sent: outgoing bytes handed to the network so far. */
	__u32 tx_sent;

	/** @tx_granted: outgoing bytes the receiver allows us to send. */
	__u32 tx_granted;

	/** @tx_prio: priority of the outgoing message's packets. */
	__u32 tx_prio;

	/** @rx_length: bytes in the incoming message, -1 if none yet. */
	__s32 rx_length;

	/** @rx_remaining: incoming bytes not yet received. */
	__u32 rx_remaining;

	/** @rx_gaps: holes in the received part of the message. */
	__u32 rx_gaps;

	/** @rx_gap_bytes: bytes in those holes. */
	__u32 rx_gap_bytes;

	/** @rx_granted: incoming bytes the sender may send. */
	__u32 rx_granted;

	/** @flags: OR of HOMA_RPC_* values. */
	__u16 flags;
};

_HOMA_CHECK_SIZE(homa_rpc_info, 184);

/**
 * struct homa_info - Argument of the HOMAIOCINFO ioctl.
 */
struct homa_info {
	/** @rpc_info: (in) user address of an array of homa_rpc_info. */
	__u64 rpc_info;

	/** @rpc_info_length: (in) bytes available at @rpc_info. */
	__u64 rpc_info_length;

	/** @bpool_avail_bytes: (out) free bytes in the receive pool. */
	__u64 bpool_avail_bytes;

	/** @port: (out) the socket's port. */
	__u32 port;

	/** @num_rpcs: (out) RPCs on the socket; may exceed what fit. */
	__u32 num_rpcs;

	/** @error_msg: (out) text of the socket's most recent error. */
	char error_msg[104];
};

_HOMA_CHECK_SIZE(homa_info, 136);

#define HOMAIOCINFO _IOWR('h', 0x90, struct homa_info)
#define HOMAIOCABORT _IOWR('h', 0x91, struct homa_abort_args)

#ifdef __cplusplus
}
#endif

#endif /* _UAPI_LINUX_HOMA_H */
