/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A socket's receive buffer region (SO_HOMA_RCVBUF): user memory into
 * which incoming messages are copied, cut into bpages that the pool
 * (homa_pool.c) hands out.
 */
#ifndef _HOMA_RCVBUF_H
#define _HOMA_RCVBUF_H

#include <linux/skbuff.h>
#include <linux/sockptr.h>
#include <linux/spinlock.h>

#include "homa_pool.h"

struct homa_sock;

/**
 * struct homa_rcvbuf - The region and its allocation state.
 */
struct homa_rcvbuf {
	/** @lock: protects @pool. */
	spinlock_t lock;

	/** @region: user address of the region; NULL until registered. */
	void __user *region;

	/** @length: bytes in the region. */
	u64 length;

	/** @mm: the address space that registered the region (counted by
	 * mmgrab() until the socket closes). Only its threads copy parts
	 * of messages early: a thread of another process that shares the
	 * socket would write into its own memory, which the receiver of
	 * the message never sees.
	 */
	struct mm_struct *mm;

	/** @pool: which bpages are in use. */
	struct homa_pool pool;
};

void homa_rcvbuf_init(struct homa_rcvbuf *buf);
void homa_rcvbuf_destroy(struct homa_rcvbuf *buf);
void homa_rcvbuf_close(struct homa_rcvbuf *buf);
int homa_rcvbuf_set(struct homa_sock *hsk, sockptr_t optval,
		    unsigned int optlen);
int homa_rcvbuf_get(struct homa_sock *hsk, char __user *optval,
		    int __user *optlen);
int homa_rcvbuf_alloc(struct homa_rcvbuf *buf, u32 length, u32 *offsets);
int homa_rcvbuf_release(struct homa_rcvbuf *buf, u32 num, const u32 *offsets);
u64 homa_rcvbuf_avail(struct homa_rcvbuf *buf);
int homa_rcvbuf_copy_skb(struct homa_rcvbuf *buf, const u32 *offsets,
			 u32 msg_offset, struct sk_buff *skb, int skb_offset,
			 u32 length);

#endif /* _HOMA_RCVBUF_H */
