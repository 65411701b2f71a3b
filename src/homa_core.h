/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Base definitions for Homa's functional core: the files that make
 * protocol decisions from plain inputs (no skbs, locks or sockets) and are
 * compiled unchanged into the module and into the user-space unit tests.
 * This is the only place where those files learn which world they are in.
 */
#ifndef _HOMA_CORE_H
#define _HOMA_CORE_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#else
#include "homa_user.h"
#endif

#endif /* _HOMA_CORE_H */
