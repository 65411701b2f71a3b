/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Homa sockets: the kernel side of socket(AF_INET[6], SOCK_DGRAM,
 * IPPROTO_HOMA).
 */
#ifndef _HOMA_SOCK_H
#define _HOMA_SOCK_H

#include <linux/ipv6.h>
#include <linux/list_nulls.h>
#include <net/inet_sock.h>

/**
 * struct homa_sock - A Homa socket.
 *
 * Locking: @port and @port_link change only under the namespace's port
 * table lock (see homa_port.c) and are read under RCU by the packet path.
 * @is_server and @shutdown change under the socket lock (lock_sock);
 * the packet path reads them without it (READ_ONCE).
 */
struct homa_sock {
	/** @inet: generic IPv4 socket state; must come first. */
	struct inet_sock inet;

	/** @port_link: entry in the namespace's port table. */
	struct hlist_nulls_node port_link;

	/** @port: the socket's port (host order), 0 while it has none. */
	u16 port;

	/** @is_server: whether incoming requests are accepted. */
	bool is_server;

	/** @shutdown: set by shutdown() or close(): the socket is disabled. */
	bool shutdown;
};

/**
 * struct homa_v6_sock - A Homa socket of family AF_INET6.
 */
struct homa_v6_sock {
	/** @hsk: the family-independent part; must come first. */
	struct homa_sock hsk;

	/** @inet6: IPv6 socket state; must come last (see homa_compat.h). */
	struct ipv6_pinfo inet6;
};

static inline struct homa_sock *homa_sk(const struct sock *sk)
{
	return (struct homa_sock *)sk;
}

extern struct proto homa_prot;
extern struct proto homav6_prot;
extern const struct proto_ops homa_proto_ops;
extern const struct proto_ops homav6_proto_ops;

#endif /* _HOMA_SOCK_H */
