// SPDX-License-Identifier: GPL-2.0
/*
 * Port numbers: every Homa socket owns exactly one port in its network
 * namespace, automatic (from HOMA_MIN_DEFAULT_PORT up) from creation until
 * it binds a server port below that range. The packet path finds the
 * socket for a destination port under RCU, without taking any lock.
 */
#include <net/sock.h>
#include <linux/rculist_nulls.h>
#include <linux/homa.h>

#include "homa_port.h"
#include "homa_sock.h"

static unsigned int homa_port_slot(u16 port)
{
	return port & (HOMA_PORT_BUCKETS - 1);
}

/**
 * homa_port_table_init() - Prepare an empty port table.
 * @table: the table.
 */
void homa_port_table_init(struct homa_port_table *table)
{
	unsigned int i;

	spin_lock_init(&table->lock);
	table->next_auto = HOMA_MIN_DEFAULT_PORT;
	for (i = 0; i < HOMA_PORT_BUCKETS; i++)
		INIT_HLIST_NULLS_HEAD(&table->buckets[i], i);
}

/**
 * homa_port_table_destroy() - Check that a table is empty at namespace
 * exit. Every socket holds a reference to its namespace, so a socket
 * left here would be a reference-counting bug.
 * @table: the table.
 */
void homa_port_table_destroy(struct homa_port_table *table)
{
	unsigned int i;

	for (i = 0; i < HOMA_PORT_BUCKETS; i++)
		WARN_ON_ONCE(!hlist_nulls_empty(&table->buckets[i]));
}

/* Find the socket owning @port; the caller holds table->lock. */
static struct homa_sock *homa_port_lookup_locked(struct homa_port_table *table,
						 u16 port)
{
	struct hlist_nulls_node *node;
	struct homa_sock *hsk;

	hlist_nulls_for_each_entry(hsk, node,
				   &table->buckets[homa_port_slot(port)],
				   port_link)
		if (hsk->port == port)
			return hsk;
	return NULL;
}

/* Give @hsk the free port @port; the caller holds table->lock. */
static void homa_port_set_locked(struct homa_port_table *table,
				 struct homa_sock *hsk, u16 port)
{
	if (!hlist_nulls_unhashed(&hsk->port_link))
		hlist_nulls_del_init_rcu(&hsk->port_link);
	WRITE_ONCE(hsk->port, port);
	hsk->inet.inet_num = port;
	hsk->inet.inet_sport = htons(port);
	hlist_nulls_add_head_rcu(&hsk->port_link,
				 &table->buckets[homa_port_slot(port)]);
}

/**
 * homa_port_assign_auto() - Give a new socket an unused automatic port.
 * Ports are handed out in rotation so that a port just released is not
 * reused at once (late packets for the old socket would reach the new).
 * @table: the namespace's port table.
 * @hsk:   the socket; it has no port yet.
 *
 * Return: 0, or -EADDRNOTAVAIL when every automatic port is taken.
 */
int homa_port_assign_auto(struct homa_port_table *table,
			  struct homa_sock *hsk)
{
	unsigned int tries;
	u16 port;

	spin_lock_bh(&table->lock);
	for (tries = 0; tries <= 0xffff - HOMA_MIN_DEFAULT_PORT; tries++) {
		port = table->next_auto;
		table->next_auto = port == 0xffff ? HOMA_MIN_DEFAULT_PORT :
				   port + 1;
		if (!homa_port_lookup_locked(table, port)) {
			homa_port_set_locked(table, hsk, port);
			spin_unlock_bh(&table->lock);
			return 0;
		}
	}
	spin_unlock_bh(&table->lock);
	return -EADDRNOTAVAIL;
}

/**
 * homa_port_claim() - Move a socket to a server port.
 * @table: the namespace's port table.
 * @hsk:   the socket.
 * @port:  the server port, 1 .. HOMA_MIN_DEFAULT_PORT - 1.
 *
 * Return: 0, or -EADDRINUSE if another socket owns @port.
 */
int homa_port_claim(struct homa_port_table *table, struct homa_sock *hsk,
		    u16 port)
{
	struct homa_sock *owner;
	int err = 0;

	spin_lock_bh(&table->lock);
	owner = homa_port_lookup_locked(table, port);
	if (owner && owner != hsk)
		err = -EADDRINUSE;
	else if (!owner)
		homa_port_set_locked(table, hsk, port);
	spin_unlock_bh(&table->lock);
	return err;
}

/**
 * homa_port_release() - Take a socket out of the table; packets for its
 * port find no socket from now on. Harmless if it is not in the table.
 * @table: the namespace's port table.
 * @hsk:   the socket.
 */
void homa_port_release(struct homa_port_table *table, struct homa_sock *hsk)
{
	spin_lock_bh(&table->lock);
	if (!hlist_nulls_unhashed(&hsk->port_link))
		hlist_nulls_del_init_rcu(&hsk->port_link);
	spin_unlock_bh(&table->lock);
}

/**
 * homa_port_find() - Find the socket that owns a port, from any context.
 * @table: the namespace's port table.
 * @port:  the port.
 *
 * Return: the socket with a reference held (release it with sock_put),
 * or NULL if no live socket owns @port.
 */
struct homa_sock *homa_port_find(struct homa_port_table *table, u16 port)
{
	unsigned int slot = homa_port_slot(port);
	struct hlist_nulls_node *node;
	struct homa_sock *hsk;

	rcu_read_lock();
restart:
	hlist_nulls_for_each_entry_rcu(hsk, node, &table->buckets[slot],
				       port_link) {
		if (READ_ONCE(hsk->port) != port)
			continue;
		/* A socket whose last reference is gone is being freed. */
		if (!refcount_inc_not_zero(&hsk->inet.sk.sk_refcnt))
			goto not_found;
		/* The socket may have moved to another port meanwhile. */
		if (unlikely(READ_ONCE(hsk->port) != port)) {
			sock_put(&hsk->inet.sk);
			goto restart;
		}
		rcu_read_unlock();
		return hsk;
	}
	/* A moved socket can lead a reader into another bucket's chain. */
	if (get_nulls_value(node) != slot)
		goto restart;
not_found:
	rcu_read_unlock();
	return NULL;
}
