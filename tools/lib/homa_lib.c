// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for user programs of the Homa socket API; see homa_lib.h.
 *
 * They follow the API of <linux/homa.h> to the letter (the structures
 * passed through msg_control, the bpage layout of the buffer region) so
 * that a program built on them also checks that the kernel does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "homa_lib.h"

/**
 * homa_parse_addr() - Turn numeric address text into a socket address.
 * @host: IPv4 ("10.0.0.2") or IPv6 ("fd00::2") address; names are not
 *        looked up, so that a test never waits for a resolver.
 * @port: port number to store in the address (host byte order).
 * @addr: where to store the result; zeroed first.
 *
 * Return: 0, or -1 with errno EINVAL if @host is not a numeric address.
 */
int homa_parse_addr(const char *host, int port, union homa_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, host, &addr->in4.sin_addr) == 1) {
		addr->in4.sin_family = AF_INET;
		addr->in4.sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &addr->in6.sin6_addr) == 1) {
		addr->in6.sin6_family = AF_INET6;
		addr->in6.sin6_port = htons(port);
		return 0;
	}
	errno = EINVAL;
	return -1;
}

/**
 * homa_addr_len() - Length of a socket address, for msg_namelen.
 * @addr: an IPv4 or IPv6 address.
 *
 * Return: the size of the structure that matches the address family.
 */
socklen_t homa_addr_len(const union homa_addr *addr)
{
	if (addr->sa.sa_family == AF_INET6)
		return sizeof(addr->in6);
	return sizeof(addr->in4);
}

/**
 * homa_addr_port() - Port of a socket address.
 * @addr: an IPv4 or IPv6 address.
 *
 * Return: the port in host byte order, or -1 for another family.
 */
int homa_addr_port(const union homa_addr *addr)
{
	if (addr->sa.sa_family == AF_INET6)
		return ntohs(addr->in6.sin6_port);
	if (addr->sa.sa_family == AF_INET)
		return ntohs(addr->in4.sin_port);
	return -1;
}

/**
 * homa_addr_str() - Print a socket address for messages.
 * @addr: an IPv4 or IPv6 address.
 * @str:  where to print it; HOMA_ADDR_STRLEN bytes are always enough.
 * @size: bytes available at @str.
 *
 * Return: @str, holding "10.0.0.2:4000", "[fd00::2]:4000", or a note
 * naming an unexpected address family (which the kernel should never
 * return, so it is worth showing rather than hiding).
 */
const char *homa_addr_str(const union homa_addr *addr, char *str,
			  size_t size)
{
	char text[INET6_ADDRSTRLEN];

	if (addr->sa.sa_family == AF_INET) {
		inet_ntop(AF_INET, &addr->in4.sin_addr, text, sizeof(text));
		snprintf(str, size, "%s:%d", text, homa_addr_port(addr));
	} else if (addr->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &addr->in6.sin6_addr, text, sizeof(text));
		snprintf(str, size, "[%s]:%d", text, homa_addr_port(addr));
	} else {
		snprintf(str, size, "(address family %d)",
			 addr->sa.sa_family);
	}
	return str;
}

/**
 * homa_rcvbuf_min_length() - Smallest receive buffer region the kernel
 * accepts on this machine.
 *
 * The kernel gives each CPU a bpage of its own for small messages and
 * keeps room for a maximum-length message besides, hence one bpage per
 * CPU plus 2 MB.
 *
 * Return: the minimum length in bytes.
 */
size_t homa_rcvbuf_min_length(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);

	if (cpus < 1)
		cpus = 1;
	return (size_t)cpus * HOMA_BPAGE_SIZE + (2UL << 20);
}

/**
 * homa_rcvbuf_setup() - Map a receive buffer region and register it on
 * a socket with SO_HOMA_RCVBUF.
 * @fd:     Homa socket.
 * @length: bytes wanted (rounded up to whole pages); see
 *          HOMA_RCVBUF_DEFAULT_LENGTH and homa_rcvbuf_min_length().
 * @buf:    filled in with the region on success, cleared on failure.
 *
 * The region is anonymous private memory: the kernel writes messages
 * into it as if the application had, so it needs no backing file.
 *
 * Return: 0, or -1 with errno set (from mmap or setsockopt).
 */
int homa_rcvbuf_setup(int fd, size_t length, struct homa_rcvbuf *buf)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct homa_rcvbuf_args args;
	void *region;
	int err;

	buf->base = NULL;
	buf->length = 0;
	length = (length + page - 1) / page * page;
	region = mmap(NULL, length, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return -1;
	args.start = (uintptr_t)region;
	args.length = length;
	if (setsockopt(fd, IPPROTO_HOMA, SO_HOMA_RCVBUF, &args,
		       sizeof(args)) != 0) {
		err = errno;
		munmap(region, length);
		errno = err;
		return -1;
	}
	buf->base = region;
	buf->length = length;
	return 0;
}

/**
 * homa_rcvbuf_free() - Unmap a region set up by homa_rcvbuf_setup().
 * @buf: the region; cleared. Nothing happens if it was never set up.
 *
 * Only call this once the socket is closed: the kernel may still write
 * into a region registered on an open socket.
 */
void homa_rcvbuf_free(struct homa_rcvbuf *buf)
{
	if (buf->base)
		munmap(buf->base, buf->length);
	buf->base = NULL;
	buf->length = 0;
}

/*
 * homa_send() - sendmsg with Homa's arguments. The arguments go in
 * msg_control with msg_controllen 0: the kernel reads them, and writes
 * the new id back, in user memory, which a non-zero msg_controllen would
 * make the socket layer copy into the kernel instead.
 */
static int homa_send(int fd, const union homa_addr *dest,
		     const void *data, size_t length,
		     struct homa_sendmsg_args *args)
{
	struct iovec iov;
	struct msghdr hdr;

	iov.iov_base = (void *)data;
	iov.iov_len = length;
	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_name = (void *)dest;
	hdr.msg_namelen = homa_addr_len(dest);
	hdr.msg_iov = &iov;
	hdr.msg_iovlen = 1;
	hdr.msg_control = args;
	hdr.msg_controllen = 0;
	return sendmsg(fd, &hdr, 0) < 0 ? -1 : 0;
}

/**
 * homa_send_request() - Start a client RPC by sending its request.
 * @fd:     Homa socket.
 * @dest:   server address and port.
 * @data:   the request message.
 * @length: bytes in the request (1 .. HOMA_MAX_MESSAGE_LENGTH).
 * @cookie: returned with the response, for the caller's bookkeeping.
 * @flags:  HOMA_SENDMSG_* flags, e.g. HOMA_SENDMSG_PRIVATE.
 * @id:     if not NULL, receives the new RPC's id.
 *
 * Return: 0, or -1 with errno set by sendmsg.
 */
int homa_send_request(int fd, const union homa_addr *dest, const void *data,
		      size_t length, uint64_t cookie, int flags,
		      uint64_t *id)
{
	struct homa_sendmsg_args args;

	memset(&args, 0, sizeof(args));
	args.completion_cookie = cookie;
	args.flags = flags;
	if (homa_send(fd, dest, data, length, &args) != 0)
		return -1;
	if (id)
		*id = args.id;
	return 0;
}

/**
 * homa_send_response() - Send the response of a server RPC.
 * @fd:     Homa socket the request arrived on.
 * @dest:   the client, as returned with the request.
 * @id:     the request's id (odd).
 * @data:   the response message.
 * @length: bytes in the response.
 *
 * Return: 0, or -1 with errno set by sendmsg.
 */
int homa_send_response(int fd, const union homa_addr *dest, uint64_t id,
		       const void *data, size_t length)
{
	struct homa_sendmsg_args args;

	memset(&args, 0, sizeof(args));
	args.id = id;
	return homa_send(fd, dest, data, length, &args);
}

/**
 * homa_msg_init() - Prepare a struct homa_msg for its first homa_recv().
 * @msg: the message; holds no bpages afterwards.
 */
void homa_msg_init(struct homa_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	msg->length = -1;
}

/**
 * homa_recv() - Receive a request or response.
 * @fd:    Homa socket with a receive buffer region.
 * @id:    0 for any request or shared response; the id of a private
 *         client RPC to wait for its response only.
 * @flags: recvmsg flags; only MSG_DONTWAIT has an effect.
 * @msg:   on entry, the bpages in @msg->args are handed back to the pool
 *         (those of the message previously received into @msg, or none
 *         after homa_msg_init()); on return, the new message: id
 *         (odd: a request to answer, even: a response), cookie, bpages,
 *         sender and length.
 *
 * Return: the message length, or -1 with errno set. After an error,
 * @msg->args.id is the RPC that failed (with its cookie), or 0 if the
 * error concerns no RPC (e.g. EAGAIN, EINTR, ESHUTDOWN).
 */
int homa_recv(int fd, uint64_t id, int flags, struct homa_msg *msg)
{
	struct msghdr hdr;
	ssize_t length;

	msg->args.id = id;
	msg->args.completion_cookie = 0;
	msg->args.reserved = 0;
	memset(&msg->peer, 0, sizeof(msg->peer));
	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_name = &msg->peer;
	hdr.msg_namelen = sizeof(msg->peer);
	hdr.msg_control = &msg->args;
	hdr.msg_controllen = sizeof(msg->args);
	length = recvmsg(fd, &hdr, flags);
	msg->length = length < 0 ? -1 : (int)length;
	return msg->length;
}

/**
 * homa_msg_release() - Say that a message's contents are no longer
 * needed.
 * @msg: the message.
 *
 * Its bpages stay listed in @msg->args and go back to the kernel with the
 * next homa_recv() on @msg: handing them back costs no extra system call.
 * A caller that will not receive into @msg again must instead pass its
 * bpages on to a homa_recv() of another message (or close the socket).
 */
void homa_msg_release(struct homa_msg *msg)
{
	msg->length = -1;
}

/**
 * homa_msg_check() - Check that a received message's bpages are laid out
 * as the API promises.
 * @buf:      the socket's buffer region.
 * @msg:      the message.
 * @why:      receives a description of the first problem found.
 * @why_size: bytes available at @why.
 *
 * Every chunk but the last is a whole bpage, aligned on a bpage boundary;
 * the last holds the rest of the message within a single bpage; all of
 * them lie inside the region. Reading a message laid out otherwise would
 * read the wrong bytes or fault, so a program can check this first and
 * blame the kernel precisely.
 *
 * Return: 0 if the layout is right, -1 if not (see @why).
 */
int homa_msg_check(const struct homa_rcvbuf *buf, const struct homa_msg *msg,
		   char *why, size_t why_size)
{
	uint32_t n = msg->args.num_bpages;
	size_t expected, last, off;
	uint32_t i;

	if (msg->length < 0) {
		snprintf(why, why_size, "no message");
		return -1;
	}
	expected = ((size_t)msg->length + HOMA_BPAGE_SIZE - 1) /
		   HOMA_BPAGE_SIZE;
	if (n != expected) {
		snprintf(why, why_size,
			 "%u bpages for a message of %d bytes (expected %zu)",
			 n, msg->length, expected);
		return -1;
	}
	for (i = 0; i < n; i++) {
		off = msg->args.bpage_offsets[i];
		last = i + 1 < n ? HOMA_BPAGE_SIZE :
		       msg->length - (size_t)i * HOMA_BPAGE_SIZE;
		if (i + 1 < n && off % HOMA_BPAGE_SIZE != 0) {
			snprintf(why, why_size,
				 "bpage %u at offset %zu is not aligned",
				 i, off);
			return -1;
		}
		if (off % HOMA_BPAGE_SIZE + last > HOMA_BPAGE_SIZE) {
			snprintf(why, why_size,
				 "last chunk (%zu bytes at offset %zu) crosses a bpage boundary",
				 last, off);
			return -1;
		}
		if (off + last > buf->length) {
			snprintf(why, why_size,
				 "bpage %u (%zu bytes at offset %zu) lies outside the %zu-byte region",
				 i, last, off, buf->length);
			return -1;
		}
	}
	return 0;
}

/**
 * homa_msg_chunk() - Find the bytes of a message that are contiguous in
 * the buffer region from a given offset.
 * @buf:          the socket's buffer region.
 * @msg:          the message.
 * @offset:       offset in the message.
 * @chunk_length: receives the number of contiguous bytes at the result
 *                (up to the end of the bpage or of the message).
 *
 * Byte @offset of a message lives in the bpage listed at
 * @offset / HOMA_BPAGE_SIZE, @offset % HOMA_BPAGE_SIZE bytes in.
 *
 * Return: the address of byte @offset, or NULL (with *@chunk_length 0)
 * if @offset is at or past the end of the message, or the kernel's
 * offsets point outside the region.
 */
const void *homa_msg_chunk(const struct homa_rcvbuf *buf,
			   const struct homa_msg *msg, size_t offset,
			   size_t *chunk_length)
{
	size_t index = offset / HOMA_BPAGE_SIZE;
	size_t in_page = offset % HOMA_BPAGE_SIZE;
	size_t n, start;

	*chunk_length = 0;
	if (msg->length < 0 || offset >= (size_t)msg->length ||
	    index >= msg->args.num_bpages || index >= HOMA_MAX_BPAGES)
		return NULL;
	n = HOMA_BPAGE_SIZE - in_page;
	if (n > msg->length - offset)
		n = msg->length - offset;
	start = (size_t)msg->args.bpage_offsets[index] + in_page;
	if (start > buf->length || n > buf->length - start)
		return NULL;
	*chunk_length = n;
	return buf->base + start;
}

/**
 * homa_msg_copy() - Copy part of a message out of the buffer region.
 * @buf:    the socket's buffer region.
 * @msg:    the message.
 * @offset: first message byte to copy.
 * @dest:   where to copy to.
 * @length: bytes wanted.
 *
 * Return: the number of bytes copied: fewer than @length if the message
 * ends first (or its bpages point outside the region).
 */
size_t homa_msg_copy(const struct homa_rcvbuf *buf, const struct homa_msg *msg,
		     size_t offset, void *dest, size_t length)
{
	size_t copied = 0, n;
	const void *src;

	while (copied < length) {
		src = homa_msg_chunk(buf, msg, offset + copied, &n);
		if (!src)
			break;
		if (n > length - copied)
			n = length - copied;
		memcpy((char *)dest + copied, src, n);
		copied += n;
	}
	return copied;
}

/**
 * homa_get_info() - Read a socket's state with HOMAIOCINFO.
 * @fd:       Homa socket.
 * @info:     receives the socket's port, RPC count, free buffer space and
 *            last error text.
 * @rpcs:     array for the state of individual RPCs, or NULL.
 * @max_rpcs: entries available at @rpcs.
 *
 * Return: 0, or -1 with errno set by ioctl. @info->num_rpcs may exceed
 * @max_rpcs; only the first @max_rpcs entries are then filled in.
 */
int homa_get_info(int fd, struct homa_info *info,
		  struct homa_rpc_info *rpcs, size_t max_rpcs)
{
	memset(info, 0, sizeof(*info));
	if (rpcs && max_rpcs) {
		info->rpc_info = (uintptr_t)rpcs;
		info->rpc_info_length = max_rpcs * sizeof(*rpcs);
	}
	return ioctl(fd, HOMAIOCINFO, info);
}
