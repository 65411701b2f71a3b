// SPDX-License-Identifier: GPL-2.0
/*
 * recvmsg: hand bpages back to the pool, wait for a complete message (or
 * a failed client RPC), copy it into the buffer region and describe it.
 * While it waits, a thread copies the packets that incomplete messages
 * of its socket have queued so far.
 */
#include <linux/homa.h>
#include <linux/sched/signal.h>
#include <linux/wait_bit.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "homa_incoming.h"
#include "homa_msg.h"
#include "homa_net.h"
#include "homa_outgoing.h"
#include "homa_peer.h"
#include "homa_rpc.h"
#include "homa_sock.h"

/*
 * Whether homa_take_ready() may find something, judged without the lock.
 * Only a polling thread may act on a "no": before sleeping, the check
 * under the lock is what pairs with the waker's.
 */
static bool homa_maybe_ready(struct homa_sock *hsk, struct homa_rpc *target)
{
	if (READ_ONCE(hsk->shutdown))
		return true;
	if (target)
		return (READ_ONCE(target->flags) & HOMA_RPC_F_READY) ||
		       READ_ONCE(target->state) == HOMA_RPC_DEAD;
	return !list_empty_careful(&hsk->ready_rpcs);
}

/*
 * Take a ready RPC: @target if it is ready, else (no @target) the oldest
 * ready one. Returns it with a reference, NULL if none is ready, or an
 * ERR_PTR if waiting is pointless.
 */
static struct homa_rpc *homa_take_ready(struct homa_sock *hsk,
					struct homa_rpc *target)
{
	struct homa_rpc *rpc = NULL;

	spin_lock_bh(&hsk->lock);
	if (hsk->shutdown) {
		rpc = ERR_PTR(-ESHUTDOWN);
	} else if (target) {
		if (target->flags & HOMA_RPC_F_READY)
			rpc = target;
		else if (READ_ONCE(target->state) == HOMA_RPC_DEAD)
			rpc = ERR_PTR(-EINVAL);
	} else if (!list_empty(&hsk->ready_rpcs)) {
		rpc = list_first_entry(&hsk->ready_rpcs, struct homa_rpc,
				       ready_link);
	}
	if (!IS_ERR_OR_NULL(rpc)) {
		list_del_init(&rpc->ready_link);
		rpc->flags &= ~HOMA_RPC_F_READY;
		rpc->flags |= HOMA_RPC_F_TAKEN;
		refcount_inc(&rpc->refs);
	}
	spin_unlock_bh(&hsk->lock);
	return rpc;
}

/*
 * Copy the data of one queued skb into the message's chunks: its one
 * segment, or each segment of a GSO packet that fits the message (the
 * receive path checked them too; one that overlaps data from another
 * packet is copied again, harmlessly). Returns the bytes copied or
 * -EFAULT.
 */
static int homa_copy_skb(struct homa_rpc *rpc, struct sk_buff *skb)
{
	const struct homa_skb_cb *cb = homa_skb_cb(skb);
	struct homa_msgin *in = &rpc->msgin;
	struct homa_seg_hdr seg_hdr;
	struct homa_wire_seg seg;
	int err, copied = 0;
	u32 i, offset;

	if (cb->num_segs == 1)
		return homa_rcvbuf_copy_skb(&rpc->hsk->rcvbuf,
					    in->bpage_offsets, cb->offset, skb,
					    cb->data_offset, cb->length) ?:
		       cb->length;
	for (i = 0; i < cb->num_segs; i++) {
		seg = homa_wire_seg(skb->len, cb->gso_size, i);
		if (skb_copy_bits(skb, seg.seg_at, &seg_hdr, sizeof(seg_hdr)))
			break;
		offset = be32_to_cpu(seg_hdr.offset);
		if (!homa_msgin_seg_fits(in, offset, seg.data_len))
			continue;
		err = homa_rcvbuf_copy_skb(&rpc->hsk->rcvbuf,
					   in->bpage_offsets, offset, skb,
					   seg.seg_at + sizeof(seg_hdr),
					   seg.data_len);
		if (err)
			return err;
		copied += seg.data_len;
	}
	return copied;
}

/*
 * Copy the queued packets of one incomplete message that homa_offer_copy()
 * listed, while the rest of it arrives. Whatever cannot be copied goes
 * back to the queue, for homa_deliver() to try again and report. Returns
 * false if no message was listed.
 */
static bool homa_copy_early(struct homa_sock *hsk)
{
	struct sk_buff_head batch;
	struct homa_msgin *in;
	struct homa_rpc *rpc;
	struct sk_buff *skb;
	u32 bytes = 0;
	int copied;

	/* Polling threads come here on every pass: leave the lock to the
	 * packet path unless there is something to take.
	 */
	if (list_empty_careful(&hsk->copy_rpcs) ||
	    current->mm != READ_ONCE(hsk->rcvbuf.mm))
		return false;
	spin_lock_bh(&hsk->lock);
	rpc = list_first_entry_or_null(&hsk->copy_rpcs, struct homa_rpc,
				       copy_link);
	if (rpc) {
		list_del_init(&rpc->copy_link);
		refcount_inc(&rpc->refs);
	}
	spin_unlock_bh(&hsk->lock);
	if (!rpc)
		return false;

	in = &rpc->msgin;
	__skb_queue_head_init(&batch);
	spin_lock_bh(&rpc->lock);
	in->copy_listed = false;
	/* A complete message is the deliverer's to copy. */
	if (rpc->state == HOMA_RPC_INCOMING && !in->copying &&
	    in->received < in->length) {
		skb_queue_splice_init(&in->packets, &batch);
		in->queued = 0;
		WRITE_ONCE(in->copying, true);
	}
	spin_unlock_bh(&rpc->lock);

	while ((skb = skb_peek(&batch))) {
		copied = homa_copy_skb(rpc, skb);
		if (copied < 0)
			break;
		bytes += copied;
		__skb_unlink(skb, &batch);
		consume_skb(skb);
	}

	spin_lock_bh(&rpc->lock);
	skb_queue_splice(&batch, &in->packets);
	WRITE_ONCE(in->copying, false);
	spin_unlock_bh(&rpc->lock);
	/* Pairs with the barrier in wait_var_event()'s sleep. */
	smp_mb();
	wake_up_var(&in->copying);
	HOMA_ADD(homa_sock_net(hsk), early_copy_bytes, bytes);
	homa_rpc_put(rpc);
	return true;
}

/*
 * An exclusive sleeper that was woken leaves without a message (signal,
 * timeout): wake another in its place if a message or copy offer waits.
 */
static void homa_pass_wakeup(struct homa_sock *hsk)
{
	if (!list_empty_careful(&hsk->ready_rpcs) ||
	    !list_empty_careful(&hsk->copy_rpcs))
		hsk->inet.sk.sk_data_ready(&hsk->inet.sk);
}

/*
 * Wait until a message is ready: busy-poll for poll_usecs (a sleeping
 * receiver pays a slow wake-up), then sleep, at most SO_RCVTIMEO.
 * wait_woken() cannot lose a wake-up that happens between the last check
 * and the sleep. Adds the time spent asleep to @slept_ns.
 *
 * Threads that take any message sleep exclusively: a message (or an
 * offer of early copying) wakes one of them, not all the threads of a
 * server. One that leaves without a message passes the wake-up on.
 * Threads that wait for one RPC must all see every wake-up.
 */
static struct homa_rpc *homa_wait_ready(struct homa_sock *hsk,
					struct homa_rpc *target,
					bool nonblocking, u64 *slept_ns)
{
	struct homa_net *hn = homa_sock_net(hsk);
	u64 poll_end = ktime_get_ns() +
		       (u64)hn->cfg.poll_usecs * NSEC_PER_USEC;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = &hsk->inet.sk;
	long timeo = sock_rcvtimeo(sk, nonblocking);
	bool polled = false, slept = false;
	struct homa_rpc *rpc;
	u64 start;

	for (;;) {
		rpc = polled && !homa_maybe_ready(hsk, target) ? NULL :
		      homa_take_ready(hsk, target);
		if (rpc) {
			if (slept)
				HOMA_INC(hn, recv_after_sleep);
			else if (polled)
				HOMA_INC(hn, recv_after_poll);
			else
				HOMA_INC(hn, recv_immediate);
			return rpc;
		}
		/* Copying part of a message is progress: poll on. */
		if (homa_copy_early(hsk)) {
			poll_end = ktime_get_ns() +
				   (u64)hn->cfg.poll_usecs * NSEC_PER_USEC;
			continue;
		}
		if (!timeo || signal_pending(current)) {
			if (slept && !target)
				homa_pass_wakeup(hsk);
			return ERR_PTR(timeo ? -EINTR : -EAGAIN);
		}
		if (ktime_get_ns() < poll_end) {
			polled = true;
			cond_resched();
			continue;
		}
		if (target)
			add_wait_queue(sk_sleep(sk), &wait);
		else
			add_wait_queue_exclusive(sk_sleep(sk), &wait);
		rpc = homa_take_ready(hsk, target);
		if (!rpc) {
			start = ktime_get_ns();
			timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
			*slept_ns += ktime_get_ns() - start;
			slept = true;
		}
		remove_wait_queue(sk_sleep(sk), &wait);
		if (rpc) {
			HOMA_INC(hn, recv_immediate);
			return rpc;
		}
	}
}

/* Copy a complete message into its chunks of the buffer region. */
static int homa_copy_message(struct homa_rpc *rpc)
{
	struct sk_buff *skb;
	int err;

	/* The message is complete, so nothing adds to the queue and no
	 * homa_copy_early() starts; wait out one that took packets before.
	 * The caller's reference keeps the packets alive.
	 */
	spin_lock_bh(&rpc->lock);
	while (rpc->msgin.copying) {
		spin_unlock_bh(&rpc->lock);
		/* It may wait for a page fault in the user's memory. */
		wait_var_event(&rpc->msgin.copying,
			       !READ_ONCE(rpc->msgin.copying));
		spin_lock_bh(&rpc->lock);
	}
	spin_unlock_bh(&rpc->lock);
	skb_queue_walk(&rpc->msgin.packets, skb) {
		err = homa_copy_skb(rpc, skb);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Fill in msg_name with the RPC's peer in the socket's family. */
static void homa_set_name(struct homa_rpc *rpc, struct msghdr *msg)
{
	if (!msg->msg_name)
		return;
	if (rpc->hsk->inet.sk.sk_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = msg->msg_name;

		memset(sin6, 0, sizeof(*sin6));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(rpc->dport);
		sin6->sin6_addr = rpc->peer->addr;
		msg->msg_namelen = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = msg->msg_name;

		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_port = htons(rpc->dport);
		sin->sin_addr.s_addr = rpc->peer->addr.s6_addr32[3];
		msg->msg_namelen = sizeof(*sin);
	}
}

static void homa_count_delivery(struct homa_rpc *rpc, int length)
{
	struct homa_net *hn = homa_sock_net(rpc->hsk);

	if (homa_rpc_is_client(rpc)) {
		HOMA_INC(hn, client_responses_done);
		HOMA_ADD(hn, client_response_bytes_done, length);
	} else {
		HOMA_INC(hn, server_requests_done);
		HOMA_ADD(hn, server_request_bytes_done, length);
	}
}

/*
 * A client RPC is over once the application has its response: tell the
 * server (piggy-backed later, or now when the queue is full) and end it.
 */
static void homa_client_done(struct homa_rpc *rpc)
{
	struct homa_ack batch[HOMA_MAX_ACKS_PER_PKT];

	if (!rpc->error && homa_peer_add_ack(rpc->peer, rpc->id, rpc->dport,
					     batch))
		homa_xmit_acks(rpc->hsk, rpc->peer, rpc->dport, batch,
			       HOMA_MAX_ACKS_PER_PKT);
	homa_rpc_end_locking(rpc);
}

/*
 * Deliver a taken RPC: fill @args; returns the message length or a
 * negative errno (the RPC's error).
 */
static int homa_deliver(struct homa_rpc *rpc, struct homa_recvmsg_args *args,
			struct msghdr *msg)
{
	int result;

	args->id = rpc->id;
	args->completion_cookie = rpc->completion_cookie;
	homa_set_name(rpc, msg);
	if (rpc->error) {
		result = -rpc->error;
	} else {
		result = homa_copy_message(rpc);
		if (!result) {
			result = rpc->msgin.length;
			spin_lock_bh(&rpc->lock);
			/* The chunks are the application's now. */
			args->num_bpages = rpc->msgin.num_bpages;
			memcpy(args->bpage_offsets, rpc->msgin.bpage_offsets,
			       sizeof(args->bpage_offsets));
			rpc->msgin.num_bpages = 0;
			skb_queue_purge(&rpc->msgin.packets);
			if (rpc->state == HOMA_RPC_INCOMING &&
			    !homa_rpc_is_client(rpc))
				rpc->state = HOMA_RPC_IN_SERVICE;
			spin_unlock_bh(&rpc->lock);
			homa_count_delivery(rpc, result);
		}
	}
	if (homa_rpc_is_client(rpc))
		homa_client_done(rpc);
	else if (result < 0)
		homa_rpc_end_locking(rpc);
	return result;
}

/**
 * homa_recvmsg() - Receive a request or a response (api: recvmsg).
 * @sock:   the socket.
 * @msg:    msg_control is a user pointer to a struct homa_recvmsg_args
 *          (msg_controllen its size); msg_name receives the sender.
 * @length: unused: messages land in the buffer region.
 * @flags:  only MSG_DONTWAIT matters.
 *
 * Return: the message length, or a negative errno.
 */
int homa_recvmsg(struct socket *sock, struct msghdr *msg, size_t length,
		 int flags)
{
	struct homa_sock *hsk = homa_sk(sock->sk);
	struct homa_recvmsg_args __user *uargs;
	struct homa_recvmsg_args args;
	struct homa_rpc *target = NULL, *rpc;
	u64 start = ktime_get_ns(), slept = 0;
	bool nonblocking;
	int result;

	if (!msg->msg_control_is_user ||
	    msg->msg_controllen != sizeof(args)) {
		homa_sock_set_error(hsk, "msg_control: need homa_recvmsg_args");
		return -EINVAL;
	}
	uargs = msg->msg_control_user;
	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	if (args.reserved || args.num_bpages > HOMA_MAX_BPAGES) {
		homa_sock_set_error(hsk, "bad homa_recvmsg_args");
		return -EINVAL;
	}
	if (homa_rcvbuf_release(&hsk->rcvbuf, args.num_bpages,
				args.bpage_offsets)) {
		homa_sock_set_error(hsk, "bpage_offsets names a bpage not in use");
		return -EINVAL;
	}
	if (args.num_bpages)
		homa_resume_buffer_waiters(hsk);

	/* From here on the in-values are consumed: write back what we have. */
	args.completion_cookie = 0;
	args.num_bpages = 0;
	memset(args.bpage_offsets, 0, sizeof(args.bpage_offsets));
	if (args.id) {
		target = (args.id & 1) ? NULL :
			 homa_rpc_find_client(hsk, args.id);
		if (!target) {
			homa_sock_set_error(hsk, "no client RPC with id %llu",
					    args.id);
			result = -EINVAL;
			args.id = 0;
			goto out;
		}
	}
	nonblocking = (flags & MSG_DONTWAIT) ||
		      (sock->file && (sock->file->f_flags & O_NONBLOCK));
	rpc = homa_wait_ready(hsk, target, nonblocking, &slept);
	if (IS_ERR(rpc)) {
		result = PTR_ERR(rpc);
		args.id = 0;
		goto out;
	}
	result = homa_deliver(rpc, &args, msg);
	homa_rpc_put(rpc);

out:
	if (target)
		homa_rpc_put(target);
	if (copy_to_user(uargs, &args, sizeof(args)))
		result = -EFAULT;
	HOMA_INC(homa_sock_net(hsk), recv_calls);
	HOMA_ADD(homa_sock_net(hsk), recv_ns, ktime_get_ns() - start - slept);
	return result;
}
