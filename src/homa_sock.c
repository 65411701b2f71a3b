// SPDX-License-Identifier: GPL-2.0
/*
 * Socket operations: creation, bind, socket options, poll, ioctls,
 * shutdown and close. sendmsg and recvmsg live in their own files.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/slab.h>
#include <net/inet_common.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <linux/homa.h>

#include "homa_compat.h"
#include "homa_msg.h"
#include "homa_net.h"
#include "homa_outgoing.h"
#include "homa_rpc.h"
#include "homa_sock.h"

/**
 * homa_sock_set_error() - Record the text of an error for HOMAIOCINFO, so
 * that an ambiguous errno can be explained.
 * @hsk: the socket.
 * @fmt: printf-style format.
 */
void homa_sock_set_error(struct homa_sock *hsk, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	spin_lock_bh(&hsk->lock);
	/* No stale bytes of an older message may follow the new one. */
	memset(hsk->error_msg, 0, sizeof(hsk->error_msg));
	vscnprintf(hsk->error_msg, sizeof(hsk->error_msg), fmt, ap);
	spin_unlock_bh(&hsk->lock);
	va_end(ap);
}

/**
 * homa_sock_tx_full() - Whether the socket's outgoing messages use up its
 * transmit memory (sendmsg then waits; poll is not writable).
 * @hsk: the socket.
 *
 * Return: true if full.
 */
bool homa_sock_tx_full(struct homa_sock *hsk)
{
	return atomic64_read(&hsk->tx_bytes) >=
	       READ_ONCE(homa_sock_net(hsk)->cfg.wmem_max);
}

/**
 * homa_sock_wake_writers() - Wake senders waiting for transmit memory and
 * pollers waiting for EPOLLOUT: outgoing packets were freed.
 * @hsk: the socket.
 */
void homa_sock_wake_writers(struct homa_sock *hsk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(hsk->inet.sk.sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM);
	rcu_read_unlock();
}

/* Runs when the last reference is gone: after every RPC was freed. */
static void homa_sock_destruct(struct sock *sk)
{
	homa_tx_pages_release(homa_sk(sk));
	homa_rcvbuf_destroy(&homa_sk(sk)->rcvbuf);
	homa_sk(sk)->inet_destruct(sk);
}

static struct homa_port_table *homa_sock_ports(struct homa_sock *hsk)
{
	return &homa_net(sock_net(&hsk->inet.sk))->ports;
}

static int homa_sock_init(struct sock *sk)
{
	struct homa_sock *hsk = homa_sk(sk);
	unsigned int i;

	/* The packet path finds sockets under RCU: free them only after a
	 * grace period.
	 */
	sock_set_flag(sk, SOCK_RCU_FREE);
	spin_lock_init(&hsk->lock);
	spin_lock_init(&hsk->tx_pages.lock);
	for (i = 0; i < HOMA_RPC_BUCKETS; i++) {
		INIT_HLIST_HEAD(&hsk->client_rpcs[i]);
		INIT_HLIST_HEAD(&hsk->server_rpcs[i]);
	}
	INIT_LIST_HEAD(&hsk->active_rpcs);
	INIT_LIST_HEAD(&hsk->ready_rpcs);
	INIT_LIST_HEAD(&hsk->copy_rpcs);
	INIT_LIST_HEAD(&hsk->buf_waiters);
	homa_rcvbuf_init(&hsk->rcvbuf);
	hsk->inet_destruct = sk->sk_destruct;
	sk->sk_destruct = homa_sock_destruct;
	return homa_port_assign_auto(homa_sock_ports(hsk), hsk);
}

/*
 * Disable a socket for good: it sends and receives nothing more, its RPCs
 * end, and every thread waiting on it wakes up (to ESHUTDOWN).
 */
static void homa_sock_disable(struct homa_sock *hsk)
{
	struct homa_rpc_filter all = { };
	struct sock *sk = &hsk->inet.sk;

	lock_sock(sk);
	spin_lock_bh(&hsk->lock);
	WRITE_ONCE(hsk->shutdown, true);
	spin_unlock_bh(&hsk->lock);
	release_sock(sk);
	homa_port_release(homa_sock_ports(hsk), hsk);
	homa_rpc_abort(hsk, &all, 0);
	sk->sk_state_change(sk);
}

static void homa_unhash(struct sock *sk)
{
	homa_port_release(homa_sock_ports(homa_sk(sk)), homa_sk(sk));
}

static void homa_close(struct sock *sk, long timeout)
{
	homa_sock_disable(homa_sk(sk));
	homa_rcvbuf_close(&homa_sk(sk)->rcvbuf);
	sk_common_release(sk);
}

static int homa_shutdown(struct socket *sock, int how)
{
	homa_sock_disable(homa_sk(sock->sk));
	return 0;
}

/*
 * bind() selects a server port: the socket gives up its automatic port
 * and starts accepting requests. Port 0 keeps the automatic port. Homa
 * sockets receive on every local address, so the address is not used.
 */
static int homa_bind(struct socket *sock, struct sockaddr *addr, int addr_len)
{
	struct sock *sk = sock->sk;
	struct homa_sock *hsk = homa_sk(sk);
	__be16 net_port;
	u16 port;
	int err;

	if (addr_len < (int)sizeof(addr->sa_family))
		goto short_addr;
	if (addr->sa_family != sk->sk_family) {
		homa_sock_set_error(hsk, "bind: address family %d, socket's %d",
				    addr->sa_family, sk->sk_family);
		return -EAFNOSUPPORT;
	}
	if (sk->sk_family == AF_INET6) {
		if (addr_len < (int)sizeof(struct sockaddr_in6))
			goto short_addr;
		net_port = ((struct sockaddr_in6 *)addr)->sin6_port;
	} else {
		if (addr_len < (int)sizeof(struct sockaddr_in))
			goto short_addr;
		net_port = ((struct sockaddr_in *)addr)->sin_port;
	}
	port = ntohs(net_port);
	if (port >= HOMA_MIN_DEFAULT_PORT) {
		homa_sock_set_error(hsk, "bind: port %u is not a server port (below %u)",
				    port, HOMA_MIN_DEFAULT_PORT);
		return -EINVAL;
	}

	lock_sock(sk);
	if (hsk->shutdown)
		err = -ESHUTDOWN;
	else if (port == 0)
		err = 0;
	else
		err = homa_port_claim(homa_sock_ports(hsk), hsk, port);
	if (!err && port != 0)
		WRITE_ONCE(hsk->is_server, true);
	release_sock(sk);
	return err;

short_addr:
	homa_sock_set_error(hsk, "bind: address length %d too short", addr_len);
	return -EINVAL;
}

static int homa_setsockopt(struct sock *sk, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	int val;

	if (level == IPPROTO_HOMA && optname == SO_HOMA_RCVBUF)
		return homa_rcvbuf_set(homa_sk(sk), optval, optlen);
	if (level != IPPROTO_HOMA || optname != SO_HOMA_SERVER)
		return -ENOPROTOOPT;
	if (optlen < sizeof(val)) {
		homa_sock_set_error(homa_sk(sk), "SO_HOMA_SERVER needs an int");
		return -EINVAL;
	}
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	WRITE_ONCE(homa_sk(sk)->is_server, val != 0);
	release_sock(sk);
	return 0;
}

static int homa_getsockopt(struct sock *sk, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	int val, len;

	if (level == IPPROTO_HOMA && optname == SO_HOMA_RCVBUF)
		return homa_rcvbuf_get(homa_sk(sk), optval, optlen);
	if (level != IPPROTO_HOMA || optname != SO_HOMA_SERVER)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(val)) {
		homa_sock_set_error(homa_sk(sk), "SO_HOMA_SERVER needs an int");
		return -EINVAL;
	}
	val = READ_ONCE(homa_sk(sk)->is_server);
	len = sizeof(val);
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/*
 * Readable when a (non-private) message is ready or the socket is shut
 * down; writable while transmit memory remains.
 */
static __poll_t homa_poll(struct file *file, struct socket *sock,
			  poll_table *wait)
{
	struct homa_sock *hsk = homa_sk(sock->sk);
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	if (!homa_sock_tx_full(hsk))
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (READ_ONCE(hsk->shutdown))
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	else if (!list_empty_careful(&hsk->ready_rpcs))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

/* Describe one RPC for HOMAIOCINFO; the caller holds hsk->lock. */
static void homa_rpc_describe(struct homa_rpc *rpc, struct homa_rpc_info *info)
{
	const struct homa_msgout *out = &rpc->msgout;
	const struct homa_msgin *in = &rpc->msgin;

	memset(info, 0, sizeof(*info));
	info->id = rpc->id;
	if (rpc->hsk->inet.sk.sk_family == AF_INET6) {
		info->peer.in6.sin6_family = AF_INET6;
		info->peer.in6.sin6_addr = rpc->peer->addr;
		info->peer.in6.sin6_port = htons(rpc->dport);
	} else {
		info->peer.in4.sin_family = AF_INET;
		info->peer.in4.sin_addr.s_addr = rpc->peer->addr.s6_addr32[3];
		info->peer.in4.sin_port = htons(rpc->dport);
	}
	info->completion_cookie = rpc->completion_cookie;
	info->tx_length = READ_ONCE(out->length);
	if (info->tx_length >= 0) {
		info->tx_sent = READ_ONCE(out->sent);
		info->tx_granted = READ_ONCE(out->granted);
		info->tx_prio = READ_ONCE(out->sched_prio);
	}
	info->rx_length = READ_ONCE(in->length);
	if (info->rx_length >= 0) {
		info->rx_remaining = info->rx_length - READ_ONCE(in->received);
		info->rx_gaps = READ_ONCE(in->gaps.num_gaps);
		info->rx_granted = READ_ONCE(in->granted);
	}
	if (rpc->flags & HOMA_RPC_F_PRIVATE)
		info->flags |= HOMA_RPC_PRIVATE;
	if (rpc->flags & HOMA_RPC_F_READY)
		info->flags |= HOMA_RPC_RX_READY;
	if (READ_ONCE(in->buf_wait))
		info->flags |= HOMA_RPC_BUF_STALL;
}

/* HOMAIOCINFO: the socket and its live RPCs, for debugging and tests. */
static int homa_ioc_info(struct homa_sock *hsk, void __user *arg)
{
	struct homa_rpc_info *infos = NULL;
	struct homa_info in, info = { };
	struct homa_rpc *rpc;
	u32 room, n = 0;
	int err = 0;

	if (copy_from_user(&in, arg, sizeof(in)))
		return -EFAULT;
	info.rpc_info = in.rpc_info;
	info.rpc_info_length = in.rpc_info_length;
	room = min_t(u64, info.rpc_info_length / sizeof(*infos), 10000);
	if (!info.rpc_info)
		room = 0;
	if (room) {
		infos = kvcalloc(room, sizeof(*infos), GFP_KERNEL);
		if (!infos)
			return -ENOMEM;
	}
	info.bpool_avail_bytes = homa_rcvbuf_avail(&hsk->rcvbuf);
	info.port = hsk->port;
	spin_lock_bh(&hsk->lock);
	list_for_each_entry(rpc, &hsk->active_rpcs, active_link) {
		if (n < room)
			homa_rpc_describe(rpc, &infos[n]);
		n++;
	}
	info.num_rpcs = n;
	memcpy(info.error_msg, hsk->error_msg, sizeof(info.error_msg));
	spin_unlock_bh(&hsk->lock);
	if (room && copy_to_user(u64_to_user_ptr(info.rpc_info), infos,
				 min(n, room) * sizeof(*infos)))
		err = -EFAULT;
	else if (copy_to_user(arg, &info, sizeof(info)))
		err = -EFAULT;
	kvfree(infos);
	return err;
}

/* HOMAIOCABORT: end client RPCs (all, or one), silently or with an error. */
static int homa_ioc_abort(struct homa_sock *hsk, void __user *arg)
{
	struct homa_rpc_filter f = { .clients_only = true };
	struct homa_abort_args args;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args._pad1 || args._pad2[0] || args._pad2[1] || (args.id & 1) ||
	    args.error > MAX_ERRNO) {
		homa_sock_set_error(hsk, "bad homa_abort_args");
		return -EINVAL;
	}
	f.id = args.id;
	if (homa_rpc_abort(hsk, &f, args.error) == 0 && args.id) {
		homa_sock_set_error(hsk, "no client RPC with id %llu", args.id);
		return -EINVAL;
	}
	return 0;
}

static int homa_ioctl(struct socket *sock, unsigned int cmd,
		      unsigned long arg)
{
	switch (cmd) {
	case HOMAIOCINFO:
		return homa_ioc_info(homa_sk(sock->sk), (void __user *)arg);
	case HOMAIOCABORT:
		return homa_ioc_abort(homa_sk(sock->sk), (void __user *)arg);
	}
	return -ENOIOCTLCMD;
}

struct proto homa_prot = {
	.name = "HOMA",
	.owner = THIS_MODULE,
	.init = homa_sock_init,
	.close = homa_close,
	.unhash = homa_unhash,
	.setsockopt = homa_setsockopt,
	.getsockopt = homa_getsockopt,
	.obj_size = sizeof(struct homa_sock),
};

struct proto homav6_prot = {
	.name = "HOMAv6",
	.owner = THIS_MODULE,
	.init = homa_sock_init,
	.close = homa_close,
	.unhash = homa_unhash,
	.setsockopt = homa_setsockopt,
	.getsockopt = homa_getsockopt,
	.obj_size = sizeof(struct homa_v6_sock),
#ifdef HOMA_HAVE_IPV6_PINFO_OFFSET
	.ipv6_pinfo_offset = offsetof(struct homa_v6_sock, inet6),
#endif
};

const struct proto_ops homa_proto_ops = {
	.family = PF_INET,
	.owner = THIS_MODULE,
	.release = inet_release,
	.bind = homa_bind,
	.connect = sock_no_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = inet_getname,
	.poll = homa_poll,
	.ioctl = homa_ioctl,
	.listen = sock_no_listen,
	.shutdown = homa_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = homa_sendmsg,
	.recvmsg = homa_recvmsg,
	.mmap = sock_no_mmap,
};

const struct proto_ops homav6_proto_ops = {
	.family = PF_INET6,
	.owner = THIS_MODULE,
	.release = inet6_release,
	.bind = homa_bind,
	.connect = sock_no_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = inet6_getname,
	.poll = homa_poll,
	.ioctl = homa_ioctl,
	.listen = sock_no_listen,
	.shutdown = homa_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = homa_sendmsg,
	.recvmsg = homa_recvmsg,
	.mmap = sock_no_mmap,
};
