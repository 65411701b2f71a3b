/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Homa's state for one network namespace.
 */
#ifndef _HOMA_NET_H
#define _HOMA_NET_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "homa_port.h"

/**
 * struct homa_net - Everything Homa keeps per network namespace; sockets
 * in different namespaces never see each other.
 */
struct homa_net {
	/** @ports: the namespace's sockets, by port. */
	struct homa_port_table ports;
};

extern unsigned int homa_net_id;

static inline struct homa_net *homa_net(const struct net *net)
{
	return net_generic(net, homa_net_id);
}

int homa_net_register(void);
void homa_net_unregister(void);

#endif /* _HOMA_NET_H */
