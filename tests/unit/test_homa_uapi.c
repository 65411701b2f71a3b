// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for include/uapi/linux/homa.h: values and layouts that
 * existing Homa applications are compiled against.
 */
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/homa.h>

#include "unit.h"

UNIT_TEST(homa_uapi__constants)
{
	EXPECT_EQ(146, IPPROTO_HOMA);
	EXPECT_EQ(1000000, HOMA_MAX_MESSAGE_LENGTH);
	EXPECT_EQ(16, HOMA_BPAGE_SHIFT);
	EXPECT_EQ(65536, HOMA_BPAGE_SIZE);
	EXPECT_EQ(16, HOMA_MAX_BPAGES);
	EXPECT_EQ(0x8000, HOMA_MIN_DEFAULT_PORT);
	EXPECT_EQ(10, SO_HOMA_RCVBUF);
	EXPECT_EQ(11, SO_HOMA_SERVER);
	EXPECT_EQ(1, HOMA_SENDMSG_PRIVATE);
	EXPECT_EQ(_IOWR('h', 0x90, struct homa_info), HOMAIOCINFO);
	EXPECT_EQ(_IOWR('h', 0x91, struct homa_abort_args), HOMAIOCABORT);
	EXPECT_EQ(1, HOMA_RPC_BUF_STALL);
	EXPECT_EQ(2, HOMA_RPC_PRIVATE);
	EXPECT_EQ(4, HOMA_RPC_RX_READY);
	EXPECT_EQ(8, HOMA_RPC_RX_COPY);
}

UNIT_TEST(homa_uapi__args_layouts)
{
	EXPECT_EQ(0, offsetof(struct homa_sendmsg_args, id));
	EXPECT_EQ(8, offsetof(struct homa_sendmsg_args, completion_cookie));
	EXPECT_EQ(16, offsetof(struct homa_sendmsg_args, flags));
	EXPECT_EQ(20, offsetof(struct homa_sendmsg_args, reserved));
	EXPECT_EQ(0, offsetof(struct homa_recvmsg_args, id));
	EXPECT_EQ(8, offsetof(struct homa_recvmsg_args, completion_cookie));
	EXPECT_EQ(16, offsetof(struct homa_recvmsg_args, num_bpages));
	EXPECT_EQ(20, offsetof(struct homa_recvmsg_args, reserved));
	EXPECT_EQ(24, offsetof(struct homa_recvmsg_args, bpage_offsets));
	EXPECT_EQ(0, offsetof(struct homa_rcvbuf_args, start));
	EXPECT_EQ(8, offsetof(struct homa_rcvbuf_args, length));
	EXPECT_EQ(8, offsetof(struct homa_abort_args, error));
	EXPECT_EQ(16, offsetof(struct homa_abort_args, _pad2));
}

UNIT_TEST(homa_uapi__info_layouts)
{
	EXPECT_EQ(0, offsetof(struct homa_info, rpc_info));
	EXPECT_EQ(8, offsetof(struct homa_info, rpc_info_length));
	EXPECT_EQ(16, offsetof(struct homa_info, bpool_avail_bytes));
	EXPECT_EQ(24, offsetof(struct homa_info, port));
	EXPECT_EQ(28, offsetof(struct homa_info, num_rpcs));
	EXPECT_EQ(32, offsetof(struct homa_info, error_msg));
	EXPECT_EQ(104, sizeof(((struct homa_info *)0)->error_msg));
	EXPECT_EQ(8, offsetof(struct homa_rpc_info, peer));
	EXPECT_EQ(128, sizeof(((struct homa_rpc_info *)0)->peer));
	EXPECT_EQ(136, offsetof(struct homa_rpc_info, completion_cookie));
	EXPECT_EQ(144, offsetof(struct homa_rpc_info, tx_length));
	EXPECT_EQ(160, offsetof(struct homa_rpc_info, rx_length));
	EXPECT_EQ(176, offsetof(struct homa_rpc_info, rx_granted));
	EXPECT_EQ(180, offsetof(struct homa_rpc_info, flags));
}
