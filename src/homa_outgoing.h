/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet transmission: building outgoing messages and sending DATA and
 * control packets.
 */
#ifndef _HOMA_OUTGOING_H
#define _HOMA_OUTGOING_H

#include <linux/uio.h>

#include "homa_wire.h"

struct homa_peer;
struct homa_rpc;
struct homa_sock;

int homa_message_out_init(struct homa_rpc *rpc, struct iov_iter *iter,
			  size_t length);
void homa_msgout_release(struct homa_rpc *rpc);
void homa_tx_pages_release(struct homa_sock *hsk);
void homa_xmit_data(struct homa_rpc *rpc);
void homa_xmit_paced(struct homa_rpc *rpc);
void homa_resend_data(struct homa_rpc *rpc, u32 start, u32 end, u8 priority);
void homa_xmit_grant(struct homa_rpc *rpc, u8 priority);
void homa_xmit_control(struct homa_rpc *rpc, void *hdr, size_t length);
void homa_xmit_resend(struct homa_rpc *rpc, u32 start, u32 end);
void homa_xmit_busy(struct homa_rpc *rpc);
void homa_xmit_control_to(struct homa_sock *hsk, struct homa_peer *peer,
			  u16 dport, void *hdr, size_t length);
void homa_xmit_acks(struct homa_sock *hsk, struct homa_peer *peer,
		    u16 dport, const struct homa_ack *acks, u32 num_acks);

#endif /* _HOMA_OUTGOING_H */
