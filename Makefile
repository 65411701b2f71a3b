# SPDX-License-Identifier: GPL-2.0
#
# Builds homa.ko out of tree for one kernel (KVER, or KDIR for a kernel
# tree), the user-space tools and test programs, and runs the tests.
# `make help` lists the targets.

# Default kernel: the running one when its headers are installed (a real
# machine), else the first supported kernel installed here (Debian 12's 6.1).
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	  else scripts/kernels.sh 2>/dev/null | head -n 1; fi)
KDIR ?= /lib/modules/$(KVER)/build

# Each kernel gets its own build directory, whose entries link back to the
# sources, so builds for different kernels never share object files.
BUILD := build/$(KVER)
SRC_FILES := $(wildcard src/*.c src/*.h) src/Kbuild

CC ?= cc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -Iinclude/uapi \
	       -Itools/lib
# Every program links the helpers in tools/lib.
LIB_SRC := $(wildcard tools/lib/*.c)
LIB_DEPS := $(LIB_SRC) $(wildcard tools/lib/*.h) include/uapi/linux/homa.h
TOOLS := $(patsubst tools/%.c,build/tools/%,$(wildcard tools/*.c)) \
	 $(patsubst tests/progs/%.c,build/tools/%,$(wildcard tests/progs/*.c))

.PHONY: all module modules-all tools unit fuzz doccheck check vm-test demo setup clean help \
	install install-module install-user uninstall uninstall-module \
	uninstall-user

# Installation: homa.ko for KVER into $(DESTDIR)/lib/modules/KVER/extra
# (then depmod), the uapi header, the tools that have a manual page, and
# the manual pages (man/NAME.N into manN).  In a DESTDIR without the
# kernel's modules.order and modules.builtin, depmod says so: harmless.
PREFIX ?= /usr/local
DEPMOD ?= /sbin/depmod
MODULE_DEST := $(DESTDIR)/lib/modules/$(KVER)/extra/homa.ko
HEADER_DEST := $(DESTDIR)$(PREFIX)/include/linux/homa.h
MAN_PAGES := $(sort $(wildcard man/*.[1-9]))
INSTALL_TOOLS := $(foreach t,$(patsubst tools/%.c,%,$(wildcard tools/*.c)), \
		   $(if $(wildcard man/$(t).[1-9]),$(t)))
TOOLS_DEST := $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(INSTALL_TOOLS))
man_dest = $(DESTDIR)$(PREFIX)/share/man/man$(patsubst .%,%,$(suffix $(1)))/$(notdir $(1))
MAN_DEST := $(foreach f,$(MAN_PAGES),$(call man_dest,$(f)))
# depmod for KVER, in $(DESTDIR) when it is set.
DEPMOD_CMD = $(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
define newline


endef

all: module tools

module: $(BUILD)/homa.ko
	ln -sf $(BUILD)/homa.ko homa.ko

$(BUILD)/homa.ko: $(SRC_FILES) include/uapi/linux/homa.h
	@test -n "$(KVER)" || { echo "no kernel headers found: run scripts/setup.sh or set KVER/KDIR" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@find $(BUILD) -maxdepth 1 -type l -delete
	@ln -s $(addprefix $(CURDIR)/,$(SRC_FILES)) $(CURDIR)/include $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD) W=1 modules

install: install-module install-user

install-module: $(BUILD)/homa.ko
	install -D -m 644 $(BUILD)/homa.ko $(MODULE_DEST)
	$(DEPMOD_CMD)

install-user: $(addprefix build/tools/,$(INSTALL_TOOLS))
	install -D -m 644 include/uapi/linux/homa.h $(HEADER_DEST)
	$(foreach t,$(INSTALL_TOOLS),install -D -m 755 build/tools/$(t) $(DESTDIR)$(PREFIX)/bin/$(t)$(newline))
	$(foreach f,$(MAN_PAGES),install -D -m 644 $(f) $(call man_dest,$(f))$(newline))

uninstall: uninstall-module uninstall-user

uninstall-module:
	rm -f $(MODULE_DEST)
	if [ -d $(DESTDIR)/lib/modules/$(KVER) ]; then $(DEPMOD_CMD); fi

uninstall-user:
	rm -f $(HEADER_DEST) $(TOOLS_DEST) $(MAN_DEST)

# homa.ko for every supported kernel installed here.
modules-all:
	@for k in $$(scripts/kernels.sh); do \
		$(MAKE) --no-print-directory module KVER=$$k || exit 1; done

tools: $(TOOLS)

build/tools/%: tools/%.c $(LIB_DEPS)
	@mkdir -p build/tools
	$(CC) $(USER_CFLAGS) -o $@ $< $(LIB_SRC) -lpthread -lm

build/tools/%: tests/progs/%.c $(LIB_DEPS)
	@mkdir -p build/tools
	$(CC) $(USER_CFLAGS) -o $@ $< $(LIB_SRC) -lpthread -lm

# User-space unit tests of the functional core.
unit:
	$(MAKE) -C tests/unit run

# libFuzzer target of the receive side in user space, for FUZZ_SECONDS
# (default 60; 0 replays the seed corpus only).
fuzz:
	$(MAKE) -C tests/fuzz run

# The manual pages against the code (sysctls, metrics, tool options),
# mandoc lint, and homa(7)'s example compiled.
doccheck:
	scripts/doccheck.sh

# Every test: unit tests, then the VM suites on every supported kernel.
check:
	scripts/check.sh

setup:
	scripts/setup.sh

# The main job: build, boot the VM, load the module, use it, print results.
demo:
	scripts/demo.sh

clean:
	rm -rf build homa.ko
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean

help:
	@echo "make [KVER=version | KDIR=dir]  build homa.ko and the tools"
	@echo "make modules-all                homa.ko for every supported kernel installed"
	@echo "make install [KVER=version] [DESTDIR=dir] [PREFIX=/usr/local]"
	@echo "                                homa.ko (then depmod), header, tools, man pages"
	@echo "make install-module [KVER=...]  only homa.ko and depmod"
	@echo "make uninstall [KVER=...]       remove what install installed"
	@echo "make unit                       user-space unit tests"
	@echo "make fuzz [FUZZ_SECONDS=60]     libFuzzer run of the receive path in user space"
	@echo "make doccheck                   man pages against the code, mandoc lint"
	@echo "make check                      all tests (unit + VM suites, both kernels)"
	@echo "make demo                       boot the VM and show Homa at work"
	@echo "make setup                      install the Debian packages needed"
