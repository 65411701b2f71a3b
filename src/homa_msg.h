/* SPDX-License-Identifier: GPL-2.0 */
/* The message system calls of Homa sockets: sendmsg and recvmsg. */
#ifndef _HOMA_MSG_H
#define _HOMA_MSG_H

#include <linux/net.h>

struct homa_sock;
struct in6_addr;

int homa_sockaddr_to_in6(struct homa_sock *hsk, const void *addr, int len,
			 struct in6_addr *in6, u16 *port);
int homa_sendmsg(struct socket *sock, struct msghdr *msg, size_t length);
int homa_recvmsg(struct socket *sock, struct msghdr *msg, size_t length,
		 int flags);

#endif /* _HOMA_MSG_H */
