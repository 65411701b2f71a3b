// SPDX-License-Identifier: GPL-2.0
/*
 * Receive buffer regions: registration (SO_HOMA_RCVBUF), allocation of
 * bpage chunks for incoming messages, their return by recvmsg, and the
 * copies of packet data into the region.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/homa.h>

#include "homa_incoming.h"
#include "homa_rcvbuf.h"
#include "homa_sock.h"

/* Extra space beyond one bpage per CPU that a region must have. */
#define HOMA_RCVBUF_MIN_EXTRA (2 * 1024 * 1024)

/* A region is addressed by 32-bit offsets. */
#define HOMA_RCVBUF_MAX_LENGTH BIT_ULL(32)

void homa_rcvbuf_init(struct homa_rcvbuf *buf)
{
	spin_lock_init(&buf->lock);
}

void homa_rcvbuf_destroy(struct homa_rcvbuf *buf)
{
	kvfree(buf->pool.refs);
	kvfree(buf->pool.free);
	kvfree(buf->pool.cpus);
	buf->pool.refs = NULL;
	buf->pool.free = NULL;
	buf->pool.cpus = NULL;
}

/**
 * homa_rcvbuf_close() - Let go of the registering address space; process
 * context (close), after the last system call on the socket.
 * @buf: the region.
 */
void homa_rcvbuf_close(struct homa_rcvbuf *buf)
{
	if (buf->mm)
		mmdrop(buf->mm);
	buf->mm = NULL;
}

/**
 * homa_rcvbuf_set() - Register a socket's buffer region (SO_HOMA_RCVBUF).
 * @hsk:    the socket.
 * @optval: a struct homa_rcvbuf_args.
 * @optlen: bytes at @optval.
 *
 * Return: 0 or a negative errno.
 */
int homa_rcvbuf_set(struct homa_sock *hsk, sockptr_t optval,
		    unsigned int optlen)
{
	struct homa_rcvbuf *buf = &hsk->rcvbuf;
	struct homa_pool_cpu *cpus;
	struct homa_rcvbuf_args args;
	u32 num_bpages, *refs, *free;

	if (optlen != sizeof(args)) {
		homa_sock_set_error(hsk, "SO_HOMA_RCVBUF needs struct homa_rcvbuf_args");
		return -EINVAL;
	}
	if (copy_from_sockptr(&args, optval, sizeof(args)))
		return -EFAULT;
	if (!PAGE_ALIGNED(args.start) || args.start == 0) {
		homa_sock_set_error(hsk, "buffer region not page-aligned");
		return -EINVAL;
	}
	if (args.length < (u64)nr_cpu_ids * HOMA_BPAGE_SIZE +
			  HOMA_RCVBUF_MIN_EXTRA ||
	    args.length > HOMA_RCVBUF_MAX_LENGTH) {
		homa_sock_set_error(hsk, "buffer region of %llu bytes: must be %llu..%llu",
				    args.length,
				    (u64)nr_cpu_ids * HOMA_BPAGE_SIZE +
				    HOMA_RCVBUF_MIN_EXTRA,
				    HOMA_RCVBUF_MAX_LENGTH);
		return -EINVAL;
	}
	if (!access_ok(u64_to_user_ptr(args.start), args.length))
		return -EFAULT;

	num_bpages = args.length >> HOMA_BPAGE_SHIFT;
	refs = kvcalloc(num_bpages, sizeof(*refs), GFP_KERNEL);
	free = kvcalloc(num_bpages, sizeof(*free), GFP_KERNEL);
	cpus = kvcalloc(nr_cpu_ids, sizeof(*cpus), GFP_KERNEL);
	if (!refs || !free || !cpus) {
		kvfree(refs);
		kvfree(free);
		kvfree(cpus);
		return -ENOMEM;
	}

	spin_lock_bh(&buf->lock);
	if (buf->region) {
		spin_unlock_bh(&buf->lock);
		kvfree(refs);
		kvfree(free);
		kvfree(cpus);
		homa_sock_set_error(hsk, "buffer region already set");
		return -EINVAL;
	}
	homa_pool_init(&buf->pool, num_bpages, refs, free, nr_cpu_ids, cpus);
	buf->length = args.length;
	if (current->mm) {
		mmgrab(current->mm);
		WRITE_ONCE(buf->mm, current->mm);
	}
	/* Last: a non-NULL region means the pool is usable. */
	WRITE_ONCE(buf->region, u64_to_user_ptr(args.start));
	spin_unlock_bh(&buf->lock);
	/* Messages that arrived before the region wait for it. */
	homa_resume_buffer_waiters(hsk);
	return 0;
}

/**
 * homa_rcvbuf_get() - Read back SO_HOMA_RCVBUF.
 * @hsk:    the socket.
 * @optval: where to put a struct homa_rcvbuf_args.
 * @optlen: in: space at @optval; out: bytes written.
 *
 * Return: 0 or a negative errno.
 */
int homa_rcvbuf_get(struct homa_sock *hsk, char __user *optval,
		    int __user *optlen)
{
	struct homa_rcvbuf_args args;
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(args)) {
		homa_sock_set_error(hsk, "SO_HOMA_RCVBUF needs struct homa_rcvbuf_args");
		return -EINVAL;
	}
	memset(&args, 0, sizeof(args));
	spin_lock_bh(&hsk->rcvbuf.lock);
	args.start = (uintptr_t)hsk->rcvbuf.region;
	args.length = hsk->rcvbuf.length;
	spin_unlock_bh(&hsk->rcvbuf.lock);
	len = sizeof(args);
	if (put_user(len, optlen) || copy_to_user(optval, &args, len))
		return -EFAULT;
	return 0;
}

/**
 * homa_rcvbuf_alloc() - Reserve space for an incoming message.
 * @buf:     the socket's region.
 * @length:  bytes in the message.
 * @offsets: (out) offsets of the message's chunks.
 *
 * Return: the number of chunks, -ENOBUFS if no region is registered, or
 * -ENOMEM if the region is full for now.
 */
int homa_rcvbuf_alloc(struct homa_rcvbuf *buf, u32 length, u32 *offsets)
{
	struct homa_sock *hsk = container_of(buf, struct homa_sock, rcvbuf);
	/* How long a CPU keeps its partly used bpage when others need pages. */
	u64 lease = (u64)READ_ONCE(homa_sock_net(hsk)->cfg.bpage_lease_usecs) *
		    NSEC_PER_USEC;
	int n;

	if (!READ_ONCE(buf->region))
		return -ENOBUFS;
	spin_lock_bh(&buf->lock);
	n = homa_pool_alloc(&buf->pool, length, raw_smp_processor_id(),
			    ktime_get_ns(), lease, offsets);
	spin_unlock_bh(&buf->lock);
	return n;
}

/**
 * homa_rcvbuf_release() - Give back the chunks of messages, all or none.
 * @buf:     the socket's region.
 * @num:     chunks in @offsets.
 * @offsets: their offsets.
 *
 * Return: 0, or -EINVAL if an offset names no chunk in use; then none is
 * released.
 */
int homa_rcvbuf_release(struct homa_rcvbuf *buf, u32 num, const u32 *offsets)
{
	int err = -EINVAL;

	if (num == 0)
		return 0;
	spin_lock_bh(&buf->lock);
	if (buf->region)
		err = homa_pool_release_all(&buf->pool, num, offsets);
	spin_unlock_bh(&buf->lock);
	return err;
}

u64 homa_rcvbuf_avail(struct homa_rcvbuf *buf)
{
	u64 avail = 0;

	spin_lock_bh(&buf->lock);
	if (buf->region)
		avail = homa_pool_avail_bytes(&buf->pool);
	spin_unlock_bh(&buf->lock);
	return avail;
}

/**
 * homa_rcvbuf_copy_skb() - Copy packet data into a message's chunks.
 * Process context only: it writes to the user's memory.
 * @buf:        the socket's region.
 * @offsets:    the message's chunks.
 * @msg_offset: message offset of the first byte to copy.
 * @skb:        the packet.
 * @skb_offset: where that byte is in @skb.
 * @length:     bytes to copy.
 *
 * Return: 0 or -EFAULT.
 */
int homa_rcvbuf_copy_skb(struct homa_rcvbuf *buf, const u32 *offsets,
			 u32 msg_offset, struct sk_buff *skb, int skb_offset,
			 u32 length)
{
	struct iov_iter iter;
	u32 in_page, chunk;

	while (length > 0) {
		in_page = msg_offset & (HOMA_BPAGE_SIZE - 1);
		chunk = min_t(u32, length, HOMA_BPAGE_SIZE - in_page);
		iov_iter_ubuf(&iter, ITER_DEST,
			      buf->region + offsets[msg_offset >>
						    HOMA_BPAGE_SHIFT] +
			      in_page, chunk);
		if (skb_copy_datagram_iter(skb, skb_offset, &iter, chunk))
			return -EFAULT;
		msg_offset += chunk;
		skb_offset += chunk;
		length -= chunk;
	}
	return 0;
}
