/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-namespace table that maps Homa port numbers to sockets.
 */
#ifndef _HOMA_PORT_H
#define _HOMA_PORT_H

#include <linux/list_nulls.h>
#include <linux/spinlock.h>

struct homa_sock;

/* Buckets in a port table; a power of two. */
#define HOMA_PORT_BUCKETS 1024

/**
 * struct homa_port_table - Sockets of one network namespace, by port.
 */
struct homa_port_table {
	/** @lock: serialises every change to @buckets and @next_auto. */
	spinlock_t lock;

	/** @next_auto: first port to try for the next automatic port. */
	u16 next_auto;

	/** @buckets: hash chains, each ending in its own nulls marker so
	 * that an RCU reader can tell when a socket that moved to another
	 * bucket has led it astray.
	 */
	struct hlist_nulls_head buckets[HOMA_PORT_BUCKETS];
};

void homa_port_table_init(struct homa_port_table *table);
void homa_port_table_destroy(struct homa_port_table *table);
int homa_port_assign_auto(struct homa_port_table *table,
			  struct homa_sock *hsk);
int homa_port_claim(struct homa_port_table *table, struct homa_sock *hsk,
		    u16 port);
void homa_port_release(struct homa_port_table *table, struct homa_sock *hsk);
struct homa_sock *homa_port_find(struct homa_port_table *table, u16 port);

#endif /* _HOMA_PORT_H */
