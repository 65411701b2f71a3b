// SPDX-License-Identifier: GPL-2.0
/*
 * sendmsg: start a request (a new client RPC) or send the response of a
 * server RPC.
 */
#include <linux/homa.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "homa_net.h"
#include "homa_outgoing.h"
#include "homa_pacer.h"
#include "homa_peer.h"
#include "homa_rpc.h"
#include "homa_sock.h"
#include "homa_msg.h"

/**
 * homa_sockaddr_to_in6() - Read a destination from msg_name.
 * @hsk:  the socket (its family decides which addresses are valid).
 * @addr: the address.
 * @len:  bytes at @addr.
 * @in6:  (out) the address, IPv4 as v4-mapped.
 * @port: (out) the port.
 *
 * Return: 0, -EINVAL or -EAFNOSUPPORT.
 */
int homa_sockaddr_to_in6(struct homa_sock *hsk, const void *addr, int len,
			 struct in6_addr *in6, u16 *port)
{
	const struct sockaddr_in6 *sin6 = addr;
	const struct sockaddr_in *sin = addr;

	if (!addr || len < (int)sizeof(sa_family_t))
		return -EINVAL;
	if (sin->sin_family != hsk->inet.sk.sk_family)
		return -EAFNOSUPPORT;
	if (sin->sin_family == AF_INET6) {
		if (len < (int)sizeof(*sin6))
			return -EINVAL;
		*in6 = sin6->sin6_addr;
		*port = ntohs(sin6->sin6_port);
	} else {
		if (len < (int)sizeof(*sin))
			return -EINVAL;
		ipv6_addr_set_v4mapped(sin->sin_addr.s_addr, in6);
		*port = ntohs(sin->sin_port);
	}
	return *port ? 0 : -EINVAL;
}

/*
 * Wait while the socket's outgoing messages use up its transmit memory;
 * every end of an RPC frees memory and wakes us (homa_msgout_release).
 * Returns 0, -EAGAIN (non-blocking, or SO_SNDTIMEO expired), -EINTR or
 * -ESHUTDOWN.
 */
static int homa_wait_tx_memory(struct homa_sock *hsk, bool nonblocking)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = &hsk->inet.sk;
	long timeo = sock_sndtimeo(sk, nonblocking);
	int err = 0;

	if (!homa_sock_tx_full(hsk))
		return 0;
	add_wait_queue(sk_sleep(sk), &wait);
	for (;;) {
		if (READ_ONCE(hsk->shutdown)) {
			err = -ESHUTDOWN;
			break;
		}
		if (!homa_sock_tx_full(hsk))
			break;
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = -EINTR;
			break;
		}
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

/* Send a message just built, or end its RPC if building it failed. */
static int homa_send_built(struct homa_rpc *rpc, int err)
{
	if (err)
		homa_rpc_end_locking(rpc);
	else
		homa_xmit_data(rpc);
	homa_rpc_put(rpc);
	return err;
}

static int homa_send_request(struct homa_sock *hsk,
			     const struct in6_addr *dest, u16 dport,
			     struct homa_sendmsg_args *args,
			     struct homa_sendmsg_args __user *uargs,
			     struct msghdr *msg, size_t length)
{
	struct homa_peer *peer;
	struct homa_rpc *rpc;
	int err;

	/* The peer is valid until rcu_read_unlock(); the RPC holds it. */
	rcu_read_lock();
	peer = homa_peer_find(homa_sock_net(hsk), dest);
	rpc = peer ? homa_rpc_new_client(hsk, peer, dport) : ERR_PTR(-ENOMEM);
	rcu_read_unlock();
	if (IS_ERR(rpc))
		return PTR_ERR(rpc);
	rpc->completion_cookie = args->completion_cookie;
	if (args->flags & HOMA_SENDMSG_PRIVATE) {
		spin_lock_bh(&hsk->lock);
		rpc->flags |= HOMA_RPC_F_PRIVATE;
		spin_unlock_bh(&hsk->lock);
	}
	/* The response may come before the build ends: the id first, and
	 * 0 again if the build fails.
	 */
	err = put_user(rpc->id, &uargs->id);
	if (!err) {
		err = homa_message_out_init(rpc, &msg->msg_iter, length);
		if (err && put_user(0, &uargs->id))
			err = -EFAULT;
	}
	if (!err) {
		HOMA_INC(homa_sock_net(hsk), client_requests_started);
		HOMA_ADD(homa_sock_net(hsk), client_request_bytes_started,
			 length);
	}
	return homa_send_built(rpc, err);
}

static int homa_send_response(struct homa_sock *hsk,
			      const struct in6_addr *client, u64 id,
			      struct msghdr *msg, size_t length)
{
	struct homa_rpc *rpc;
	int err;

	rpc = homa_rpc_find_server(hsk, client, id);
	/* The client may be gone, or the RPC aborted: nothing to do. */
	if (!rpc)
		return 0;
	spin_lock_bh(&rpc->lock);
	if (rpc->state != HOMA_RPC_IN_SERVICE) {
		spin_unlock_bh(&rpc->lock);
		homa_rpc_put(rpc);
		homa_sock_set_error(hsk, "RPC %llu is not awaiting a response",
				    id);
		return -EINVAL;
	}
	rpc->state = HOMA_RPC_OUTGOING;
	rpc->silent_ticks = 0;
	spin_unlock_bh(&rpc->lock);

	err = homa_message_out_init(rpc, &msg->msg_iter, length);
	if (err) {
		/* Ending the RPC would make the client send its request
		 * again (at-most-once broken): let the application retry,
		 * unless part of the response already went out.
		 */
		spin_lock_bh(&rpc->lock);
		if (rpc->msgout.sent) {
			homa_rpc_end(rpc);
			spin_unlock_bh(&rpc->lock);
			homa_rpc_put(rpc);
			return err;
		}
		homa_pacer_remove(rpc);
		homa_msgout_release(rpc);
		memset(&rpc->msgout, 0, sizeof(rpc->msgout));
		INIT_LIST_HEAD(&rpc->msgout.throttled_link);
		rpc->msgout.length = -1;
		if (rpc->state == HOMA_RPC_OUTGOING)
			rpc->state = HOMA_RPC_IN_SERVICE;
		spin_unlock_bh(&rpc->lock);
		homa_rpc_put(rpc);
		return err;
	}
	HOMA_INC(homa_sock_net(hsk), server_responses_started);
	HOMA_ADD(homa_sock_net(hsk), server_response_bytes_started, length);
	return homa_send_built(rpc, 0);
}

/**
 * homa_sendmsg() - Send a request or a response (api: sendmsg).
 * @sock:   the socket.
 * @msg:    msg_name is the destination, msg_iter the message, and
 *          msg_control a user pointer to a struct homa_sendmsg_args
 *          (msg_controllen 0).
 * @length: bytes in the message.
 *
 * Return: 0 or a negative errno.
 */
int homa_sendmsg(struct socket *sock, struct msghdr *msg, size_t length)
{
	struct homa_sock *hsk = homa_sk(sock->sk);
	struct homa_sendmsg_args __user *uargs;
	struct homa_sendmsg_args args;
	struct in6_addr dest;
	u16 dport;
	u64 start;
	int err;

	if (!msg->msg_control_is_user || !msg->msg_control_user ||
	    msg->msg_controllen != 0) {
		homa_sock_set_error(hsk, "msg_control: need homa_sendmsg_args");
		return -EINVAL;
	}
	uargs = msg->msg_control_user;
	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	if (args.reserved || (args.flags & ~HOMA_SENDMSG_VALID_FLAGS)) {
		homa_sock_set_error(hsk, "reserved field or unknown flag set in homa_sendmsg_args");
		return -EINVAL;
	}
	if (length == 0 || length > HOMA_MAX_MESSAGE_LENGTH) {
		homa_sock_set_error(hsk, "message length %zu outside 1..%d",
				    length, HOMA_MAX_MESSAGE_LENGTH);
		return -EINVAL;
	}
	err = homa_sockaddr_to_in6(hsk, msg->msg_name, msg->msg_namelen,
				   &dest, &dport);
	if (err) {
		homa_sock_set_error(hsk, "bad destination address");
		return err;
	}
	if (READ_ONCE(hsk->shutdown))
		return -ESHUTDOWN;
	err = homa_wait_tx_memory(hsk, (msg->msg_flags & MSG_DONTWAIT) ||
				  (sock->file &&
				   (sock->file->f_flags & O_NONBLOCK)));
	if (err)
		return err;
	/* CPU time from here: the wait for memory is not work. */
	start = ktime_get_ns();
	if (args.id == 0) {
		err = homa_send_request(hsk, &dest, dport, &args, uargs, msg,
					length);
	} else if (!(args.id & 1) || args.completion_cookie) {
		homa_sock_set_error(hsk, "response needs a server RPC id and cookie 0");
		err = -EINVAL;
	} else {
		err = homa_send_response(hsk, &dest, args.id, msg, length);
	}
	HOMA_INC(homa_sock_net(hsk), send_calls);
	HOMA_ADD(homa_sock_net(hsk), send_ns, ktime_get_ns() - start);
	return err;
}
