/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers for user programs of the Homa socket API
 * (<linux/homa.h>): receive-buffer setup, sending requests and responses,
 * receiving messages and reading them out of the buffer region. Used by
 * the project's tools and test programs; linked into each of them.
 *
 * A received message stays in the buffer region, where the kernel put
 * it, until its bpages are handed back. homa_recv() hands back the
 * bpages of the message previously received into the same struct
 * homa_msg, so a program that reuses one struct per receiving loop never
 * leaks buffer space; one that holds several messages at once uses one
 * struct for each.
 */
#ifndef _HOMA_LIB_H
#define _HOMA_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/homa.h>

/*
 * Receive buffer size that suits most programs: room for dozens of
 * maximum-length messages at once. The pages are only used (and only
 * cost memory) once the kernel puts messages there.
 */
#define HOMA_RCVBUF_DEFAULT_LENGTH (64UL << 20)

/* An IPv4 or IPv6 socket address. */
union homa_addr {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

/* Room for any address printed by homa_addr_str(), with its port. */
#define HOMA_ADDR_STRLEN (INET6_ADDRSTRLEN + 10)

/**
 * struct homa_rcvbuf - A receive buffer region registered on a socket.
 */
struct homa_rcvbuf {
	char *base;		/* start of the mmapped region */
	size_t length;		/* bytes in the region */
};

/**
 * struct homa_msg - A message returned by homa_recv(), still in the
 * buffer region until homa_recv() is next called with it (its bpages are
 * then handed back) or homa_msg_release() is called.
 */
struct homa_msg {
	struct homa_recvmsg_args args;	/* id, cookie, bpages */
	union homa_addr peer;		/* sender */
	int length;			/* bytes in the message */
};

int homa_parse_addr(const char *host, int port, union homa_addr *addr);
socklen_t homa_addr_len(const union homa_addr *addr);
int homa_addr_port(const union homa_addr *addr);
const char *homa_addr_str(const union homa_addr *addr, char *str,
			  size_t size);
size_t homa_rcvbuf_min_length(void);
int homa_rcvbuf_setup(int fd, size_t length, struct homa_rcvbuf *buf);
void homa_rcvbuf_free(struct homa_rcvbuf *buf);
int homa_send_request(int fd, const union homa_addr *dest, const void *data,
		      size_t length, uint64_t cookie, int flags,
		      uint64_t *id);
int homa_send_response(int fd, const union homa_addr *dest, uint64_t id,
		       const void *data, size_t length);
void homa_msg_init(struct homa_msg *msg);
int homa_recv(int fd, uint64_t id, int flags, struct homa_msg *msg);
void homa_msg_release(struct homa_msg *msg);
int homa_msg_check(const struct homa_rcvbuf *buf, const struct homa_msg *msg,
		   char *why, size_t why_size);
size_t homa_msg_copy(const struct homa_rcvbuf *buf, const struct homa_msg *msg,
		     size_t offset, void *dest, size_t length);
const void *homa_msg_chunk(const struct homa_rcvbuf *buf,
			   const struct homa_msg *msg, size_t offset,
			   size_t *chunk_length);
int homa_get_info(int fd, struct homa_info *info,
		  struct homa_rpc_info *rpcs, size_t max_rpcs);

#endif /* _HOMA_LIB_H */
