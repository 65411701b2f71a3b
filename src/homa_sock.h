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

#include "homa_net.h"
#include "homa_rcvbuf.h"

/* Buckets in each of a socket's two RPC tables; a power of two. */
#define HOMA_RPC_BUCKETS 256

/* Bytes of the text kept for HOMAIOCINFO's error_msg. */
#define HOMA_ERROR_MSG_SIZE 104

/* Pages a socket keeps for the data of its outgoing packets. */
#define HOMA_TX_PAGES 32
#define HOMA_TX_PAGE_ORDER PAGE_ALLOC_COSTLY_ORDER

/**
 * struct homa_tx_pages - A socket's ring of data pages (32 KB each) for
 * outgoing packets. The ring holds one reference to each page; a page
 * whose count is back to one is free to fill again.
 */
struct homa_tx_pages {
	/** @lock: serialises takers (sendmsg threads). */
	spinlock_t lock;

	/** @next: where the next search starts. */
	u32 next;

	/** @pages: the pages, or NULL. */
	struct page *pages[HOMA_TX_PAGES];
};

/**
 * struct homa_sock - A Homa socket. Locking: doc/design.md.
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

	/** @lock: protects the RPC tables and lists below. */
	spinlock_t lock;

	/** @client_rpcs: live client RPCs by id; read under RCU. */
	struct hlist_head client_rpcs[HOMA_RPC_BUCKETS];

	/** @server_rpcs: live server RPCs by (id, peer); read under RCU. */
	struct hlist_head server_rpcs[HOMA_RPC_BUCKETS];

	/** @active_rpcs: every live RPC, for the timer and for shutdown. */
	struct list_head active_rpcs;

	/** @num_rpcs: entries in @active_rpcs. */
	u32 num_rpcs;

	/** @buf_waiters: incoming messages waiting for room in the buffer
	 * region, shortest first.
	 */
	struct list_head buf_waiters;

	/** @ready_rpcs: complete messages (and failed client RPCs) that any
	 * recvmsg may take, oldest first; private ones are not here.
	 */
	struct list_head ready_rpcs;

	/** @copy_rpcs: incomplete incoming messages with packets that a
	 * waiting recvmsg may copy to user space before the rest arrives.
	 */
	struct list_head copy_rpcs;

	/** @tx_bytes: memory (skb truesize) held by the packets of the
	 * socket's outgoing messages; sendmsg waits while it is at least
	 * the namespace's wmem_max.
	 */
	atomic64_t tx_bytes;

	/** @tx_pages: pages for the data of outgoing packets, reused once
	 * the packets that held them are gone (homa_tx_page_get()).
	 */
	struct homa_tx_pages tx_pages;

	/** @rcvbuf: the receive buffer region. */
	struct homa_rcvbuf rcvbuf;

	/** @error_msg: text of the socket's most recent error. */
	char error_msg[HOMA_ERROR_MSG_SIZE];

	/** @inet_destruct: the destructor inet gave the socket. */
	void (*inet_destruct)(struct sock *sk);
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

static inline struct homa_net *homa_sock_net(const struct homa_sock *hsk)
{
	return homa_net(sock_net(&hsk->inet.sk));
}

void homa_sock_set_error(struct homa_sock *hsk, const char *fmt, ...)
	__printf(2, 3);
bool homa_sock_tx_full(struct homa_sock *hsk);
void homa_sock_wake_writers(struct homa_sock *hsk);

extern struct proto homa_prot;
extern struct proto homav6_prot;
extern const struct proto_ops homa_proto_ops;
extern const struct proto_ops homav6_proto_ops;

#endif /* _HOMA_SOCK_H */
