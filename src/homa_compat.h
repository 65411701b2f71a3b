/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernel versions Homa supports (Debian 12's
 * 6.1 and 6.12) lives here; no other file tests LINUX_VERSION_CODE.
 */
#ifndef _HOMA_COMPAT_H
#define _HOMA_COMPAT_H

#include <linux/sysctl.h>
#include <linux/version.h>
#include <net/gro.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/*
 * Where an IPv6 socket keeps its ipv6_pinfo. Before 6.6 the kernel finds it
 * at the end of the object (so it must be the last member); from 6.6 on
 * struct proto names its offset in ipv6_pinfo_offset.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define HOMA_HAVE_IPV6_PINFO_OFFSET
#endif

/*
 * proc_handler takes a const struct ctl_table from 6.11 on; write
 * "HOMA_CTL_TABLE_CONST struct ctl_table *table" in a handler.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define HOMA_CTL_TABLE_CONST const
#else
#define HOMA_CTL_TABLE_CONST
#endif

/*
 * Registering a namespace's sysctl table: from 6.6 on the caller gives
 * the number of entries (register_net_sysctl_sz); before, the table ends
 * with a zeroed entry, which the caller must provide in both cases.
 */
static inline struct ctl_table_header *
homa_register_net_sysctl(struct net *net, const char *path,
			 struct ctl_table *table, size_t count)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return register_net_sysctl_sz(net, path, table, count);
#else
	return register_net_sysctl(net, path, table);
#endif
}

/*
 * The IP header of a packet that GRO is looking at (the caller made it
 * linear). From 6.10 on the IP layer notes its offset in the GRO control
 * block instead of setting the network header.
 */
static inline void *homa_gro_network_header(struct sk_buff *skb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	return skb->data + skb_gro_receive_network_offset(skb);
#else
	return skb_network_header(skb);
#endif
}

#endif /* _HOMA_COMPAT_H */
