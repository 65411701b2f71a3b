// SPDX-License-Identifier: GPL-2.0
/*
 * socktest: checks the socket-level behaviour of Homa (creation, ports,
 * bind rules, socket options, shutdown, close) in the current network
 * namespace. Used by the VM test suites.
 *
 *   socktest basic          run every check; exit 1 on the first failure
 *   socktest hold PORT      bind PORT on an IPv4 and an IPv6 socket, print
 *                           "bound PORT", then wait for stdin to close
 *   socktest many N         open N sockets at once; all ports distinct
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/homa.h>

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "socktest:%d: ", __LINE__);	\
			fprintf(stderr, __VA_ARGS__);			\
			fprintf(stderr, " (errno %d: %s)\n", errno,	\
				strerror(errno));			\
			exit(1);					\
		}							\
	} while (0)

static int homa_socket(int family)
{
	int fd = socket(family, SOCK_DGRAM, IPPROTO_HOMA);

	CHECK(fd >= 0, "socket(%s, SOCK_DGRAM, IPPROTO_HOMA)",
	      family == AF_INET ? "AF_INET" : "AF_INET6");
	return fd;
}

static int bind_port(int fd, int family, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };

	if (family == AF_INET6) {
		a6.sin6_port = htons(port);
		return bind(fd, (struct sockaddr *)&a6, sizeof(a6));
	}
	a4.sin_port = htons(port);
	return bind(fd, (struct sockaddr *)&a4, sizeof(a4));
}

static int local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	CHECK(getsockname(fd, (struct sockaddr *)&ss, &len) == 0,
	      "getsockname");
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int get_server(int fd)
{
	socklen_t len = sizeof(int);
	int val = -1;

	CHECK(getsockopt(fd, IPPROTO_HOMA, SO_HOMA_SERVER, &val, &len) == 0,
	      "getsockopt(SO_HOMA_SERVER)");
	CHECK(len == sizeof(int), "SO_HOMA_SERVER length %u", len);
	return val;
}

static void set_server(int fd, int val)
{
	CHECK(setsockopt(fd, IPPROTO_HOMA, SO_HOMA_SERVER, &val,
			 sizeof(val)) == 0, "setsockopt(SO_HOMA_SERVER, %d)",
	      val);
}

static void expect_errno(int ret, int err, const char *what)
{
	CHECK(ret == -1 && errno == err, "%s: expected %s, got %d", what,
	      strerror(err), ret);
}

static void check_family(int family)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	int a = homa_socket(family), b = homa_socket(family), c;
	socklen_t len;
	int val;

	CHECK(local_port(a) >= HOMA_MIN_DEFAULT_PORT,
	      "automatic port %d below 0x8000", local_port(a));
	CHECK(local_port(a) != local_port(b), "two sockets share port %d",
	      local_port(a));
	CHECK(get_server(a) == 0, "new socket is a server");

	CHECK(bind_port(a, family, 500) == 0, "bind(500)");
	CHECK(local_port(a) == 500, "port after bind is %d", local_port(a));
	CHECK(get_server(a) == 1, "bound socket is not a server");
	CHECK(bind_port(a, family, 500) == 0, "bind(500) again, same socket");
	expect_errno(bind_port(b, family, 500), EADDRINUSE, "bind taken port");
	expect_errno(bind_port(b, family, HOMA_MIN_DEFAULT_PORT), EINVAL,
		     "bind automatic range");
	expect_errno(bind_port(b, family, 0xffff), EINVAL, "bind 0xffff");
	CHECK(bind_port(b, family, 0) == 0, "bind(0)");
	CHECK(local_port(b) >= HOMA_MIN_DEFAULT_PORT, "bind(0) moved port");
	expect_errno(bind(b, (struct sockaddr *)&a4, 1), EINVAL,
		     "bind short address");
	if (family == AF_INET6) {
		expect_errno(bind(b, (struct sockaddr *)&a4, sizeof(a4)),
			     EAFNOSUPPORT, "bind AF_INET addr to AF_INET6");
		expect_errno(bind_port(b, AF_INET, 600), EAFNOSUPPORT,
			     "bind wrong family");
	} else {
		expect_errno(bind_port(b, AF_INET6, 600), EAFNOSUPPORT,
			     "bind wrong family");
	}

	/* Server ports are shared by both address families. */
	c = homa_socket(family == AF_INET ? AF_INET6 : AF_INET);
	expect_errno(bind_port(c, family == AF_INET ? AF_INET6 : AF_INET, 500),
		     EADDRINUSE, "bind port taken by other family");

	/* Closing a socket frees its port. */
	close(a);
	CHECK(bind_port(b, family, 500) == 0, "bind(500) after close");

	set_server(c, 1);
	CHECK(get_server(c) == 1, "SO_HOMA_SERVER set to 1");
	set_server(c, 0);
	CHECK(get_server(c) == 0, "SO_HOMA_SERVER set to 0");
	expect_errno(setsockopt(c, IPPROTO_HOMA, SO_HOMA_SERVER, &val, 2),
		     EINVAL, "SO_HOMA_SERVER short optlen");
	len = 2;
	expect_errno(getsockopt(c, IPPROTO_HOMA, SO_HOMA_SERVER, &val, &len),
		     EINVAL, "get SO_HOMA_SERVER short optlen");
	len = sizeof(val);
	expect_errno(getsockopt(c, IPPROTO_HOMA, 99, &val, &len), ENOPROTOOPT,
		     "unknown option");

	/* A shut-down socket can no longer bind. */
	CHECK(shutdown(b, SHUT_RDWR) == 0, "shutdown");
	expect_errno(bind_port(b, family, 501), ESHUTDOWN, "bind after shutdown");
	close(b);
	close(c);
}

static void basic(void)
{
	check_family(AF_INET);
	check_family(AF_INET6);
	printf("socktest basic: IPv4 and IPv6 checks passed\n");
}

static void hold(int port)
{
	int s4 = homa_socket(AF_INET), s6 = homa_socket(AF_INET6);
	char c;

	CHECK(bind_port(s4, AF_INET, port) == 0, "bind(%d) IPv4", port);
	CHECK(bind_port(s6, AF_INET6, port + 1) == 0, "bind(%d) IPv6",
	      port + 1);
	printf("bound %d %d\n", local_port(s4), local_port(s6));
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
}

static void many(int n)
{
	int *fds = calloc(n, sizeof(*fds));
	char *seen = calloc(65536, 1);
	int i, port;

	CHECK(fds && seen, "calloc");
	for (i = 0; i < n; i++) {
		fds[i] = homa_socket(i & 1 ? AF_INET6 : AF_INET);
		port = local_port(fds[i]);
		CHECK(!seen[port], "port %d assigned twice", port);
		seen[port] = 1;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	printf("socktest many: %d sockets, %d distinct ports\n", n, n);
	free(fds);
	free(seen);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "basic") == 0) {
		basic();
	} else if (argc == 3 && strcmp(argv[1], "hold") == 0) {
		hold(atoi(argv[2]));
	} else if (argc == 3 && strcmp(argv[1], "many") == 0) {
		many(atoi(argv[2]));
	} else {
		fprintf(stderr, "usage: socktest basic | hold PORT | many N\n");
		return 2;
	}
	return 0;
}
