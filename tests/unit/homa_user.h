/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel names that Homa's functional core uses, defined for user
 * space so that the core compiles unchanged into the unit tests.
 */
#ifndef _HOMA_USER_H
#define _HOMA_USER_H

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define __packed __attribute__((packed))
#define static_assert _Static_assert

#define cpu_to_be16(x) ((__force __be16)htobe16(x))
#define cpu_to_be32(x) ((__force __be32)htobe32(x))
#define cpu_to_be64(x) ((__force __be64)htobe64(x))
#define be16_to_cpu(x) be16toh((__force u16)(x))
#define be32_to_cpu(x) be32toh((__force u32)(x))
#define be64_to_cpu(x) be64toh((__force u64)(x))
#define htons(x) cpu_to_be16(x)
#define ntohs(x) be16_to_cpu(x)

#ifndef __force
#define __force
#endif

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(type, a, b) min((type)(a), (type)(b))
#define max_t(type, a, b) max((type)(a), (type)(b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* _HOMA_USER_H */
