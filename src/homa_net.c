// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: created with each namespace, destroyed
 * with it.
 */
#include "homa_net.h"

unsigned int homa_net_id;

static int __net_init homa_net_init(struct net *net)
{
	homa_port_table_init(&homa_net(net)->ports);
	return 0;
}

static void __net_exit homa_net_exit(struct net *net)
{
	homa_port_table_destroy(&homa_net(net)->ports);
}

static struct pernet_operations homa_net_ops = {
	.init = homa_net_init,
	.exit = homa_net_exit,
	.id = &homa_net_id,
	.size = sizeof(struct homa_net),
};

int homa_net_register(void)
{
	return register_pernet_subsys(&homa_net_ops);
}

void homa_net_unregister(void)
{
	unregister_pernet_subsys(&homa_net_ops);
}
