// SPDX-License-Identifier: GPL-2.0
/*
 * Socket operations: creation, bind, socket options, shutdown and close.
 * The operations that move messages arrive with the RPC layer; until then
 * they answer EOPNOTSUPP through the kernel's sock_no_* helpers.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <net/inet_common.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <linux/homa.h>

#include "homa_compat.h"
#include "homa_net.h"
#include "homa_sock.h"

static struct homa_port_table *homa_sock_ports(struct homa_sock *hsk)
{
	return &homa_net(sock_net(&hsk->inet.sk))->ports;
}

static int homa_sock_init(struct sock *sk)
{
	/* The packet path finds sockets under RCU: free them only after a
	 * grace period.
	 */
	sock_set_flag(sk, SOCK_RCU_FREE);
	return homa_port_assign_auto(homa_sock_ports(homa_sk(sk)),
				     homa_sk(sk));
}

/*
 * Disable a socket for good: it sends and receives nothing more, and
 * every thread waiting on it wakes up.
 */
static void homa_sock_disable(struct homa_sock *hsk)
{
	struct sock *sk = &hsk->inet.sk;

	lock_sock(sk);
	WRITE_ONCE(hsk->shutdown, true);
	release_sock(sk);
	homa_port_release(homa_sock_ports(hsk), hsk);
	sk->sk_state_change(sk);
}

static void homa_unhash(struct sock *sk)
{
	homa_port_release(homa_sock_ports(homa_sk(sk)), homa_sk(sk));
}

static void homa_close(struct sock *sk, long timeout)
{
	homa_sock_disable(homa_sk(sk));
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
		return -EINVAL;
	if (addr->sa_family != sk->sk_family)
		return -EAFNOSUPPORT;
	if (sk->sk_family == AF_INET6) {
		if (addr_len < (int)sizeof(struct sockaddr_in6))
			return -EINVAL;
		net_port = ((struct sockaddr_in6 *)addr)->sin6_port;
	} else {
		if (addr_len < (int)sizeof(struct sockaddr_in))
			return -EINVAL;
		net_port = ((struct sockaddr_in *)addr)->sin_port;
	}
	port = ntohs(net_port);
	if (port >= HOMA_MIN_DEFAULT_PORT)
		return -EINVAL;

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
}

static int homa_setsockopt(struct sock *sk, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	int val;

	if (level != IPPROTO_HOMA || optname != SO_HOMA_SERVER)
		return -ENOPROTOOPT;
	if (optlen < sizeof(val))
		return -EINVAL;
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

	if (level != IPPROTO_HOMA || optname != SO_HOMA_SERVER)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(val))
		return -EINVAL;
	val = READ_ONCE(homa_sk(sk)->is_server);
	len = sizeof(val);
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
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
	.ioctl = sock_no_ioctl,
	.listen = sock_no_listen,
	.shutdown = homa_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = sock_no_sendmsg,
	.recvmsg = sock_no_recvmsg,
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
	.ioctl = sock_no_ioctl,
	.listen = sock_no_listen,
	.shutdown = homa_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = sock_no_sendmsg,
	.recvmsg = sock_no_recvmsg,
	.mmap = sock_no_mmap,
};
