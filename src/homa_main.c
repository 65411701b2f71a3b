// SPDX-License-Identifier: GPL-2.0
/*
 * Module registration: Homa becomes IP protocol 146 for IPv4 and IPv6 and
 * the SOCK_DGRAM socket type for that protocol, in every namespace.
 */
#include <linux/module.h>
#include <net/inet_common.h>
#include <net/ipv6.h>
#include <net/protocol.h>
#include <linux/homa.h>

#include "homa_incoming.h"
#include "homa_net.h"
#include "homa_offload.h"
#include "homa_peer.h"
#include "homa_rpc.h"
#include "homa_sock.h"
#include "homa_timer.h"

static const struct net_protocol homa_v4_protocol = {
	.handler = homa_v4_rcv,
	.err_handler = homa_v4_err,
	.no_policy = 1,
};

static const struct inet6_protocol homa_v6_protocol = {
	.handler = homa_v6_rcv,
	.err_handler = homa_v6_err,
	.flags = INET6_PROTO_NOPOLICY | INET6_PROTO_FINAL,
};

static struct inet_protosw homa_v4_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_HOMA,
	.prot = &homa_prot,
	.ops = &homa_proto_ops,
};

static struct inet_protosw homa_v6_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_HOMA,
	.prot = &homav6_prot,
	.ops = &homav6_proto_ops,
};

static int __init homa_init(void)
{
	int err;

	err = homa_timer_start();
	if (err)
		return err;
	err = proto_register(&homa_prot, 1);
	if (err)
		goto out_timer;
	err = proto_register(&homav6_prot, 1);
	if (err)
		goto out_prot;
	/* Namespace state first: sockets and packets both need it. */
	err = homa_net_register();
	if (err)
		goto out_prot6;
	inet_register_protosw(&homa_v4_protosw);
	err = inet6_register_protosw(&homa_v6_protosw);
	if (err)
		goto out_protosw;
	err = homa_offload_init();
	if (err)
		goto out_protosw6;
	err = inet_add_protocol(&homa_v4_protocol, IPPROTO_HOMA);
	if (err)
		goto out_offload;
	err = inet6_add_protocol(&homa_v6_protocol, IPPROTO_HOMA);
	if (err)
		goto out_protocol;
	return 0;

out_protocol:
	inet_del_protocol(&homa_v4_protocol, IPPROTO_HOMA);
	synchronize_net();
out_offload:
	homa_offload_end();
out_protosw6:
	inet6_unregister_protosw(&homa_v6_protosw);
out_protosw:
	inet_unregister_protosw(&homa_v4_protosw);
	homa_net_unregister();
out_prot6:
	proto_unregister(&homav6_prot);
out_prot:
	proto_unregister(&homa_prot);
out_timer:
	homa_timer_stop();
	return err;
}

static void __exit homa_exit(void)
{
	inet6_del_protocol(&homa_v6_protocol, IPPROTO_HOMA);
	inet_del_protocol(&homa_v4_protocol, IPPROTO_HOMA);
	/* No packet handler may still be running past this point. */
	synchronize_net();
	homa_offload_end();
	inet6_unregister_protosw(&homa_v6_protosw);
	inet_unregister_protosw(&homa_v4_protosw);
	homa_net_unregister();
	proto_unregister(&homav6_prot);
	proto_unregister(&homa_prot);
	homa_timer_stop();
	/* RPCs and sockets are freed by RCU callbacks in this module. */
	rcu_barrier();
	if (homa_rpc_live_count() || homa_peer_live_count())
		pr_err("homa: leaked %d RPCs and %d peers\n",
		       homa_rpc_live_count(), homa_peer_live_count());
}

module_init(homa_init);
module_exit(homa_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Homa: a receiver-driven, message-based RPC transport");
MODULE_VERSION("0.1.0");
/*
 * The aliases socket() asks modprobe for. The type is spelled as a number
 * (2 = SOCK_DGRAM) because the alias is built by stringification, and
 * SOCK_DGRAM is an enum constant, not a macro that expands to one.
 */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, IPPROTO_HOMA, 2);
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET6, IPPROTO_HOMA, 2);
