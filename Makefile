# sriov-preflight — build, check this host, test.
#   make run    installs what it needs (Debian 12), builds a release binary and checks this host
#   make test   installs the same and runs the whole test suite
#   make dist   the portable binary (glibc >= 2.17) and its .deb, .rpm and .tar.gz under dist/; make dist-test checks them
#   make install PREFIX=/usr/local   this machine's release build, its man pages, completions and check pages
#   make fleet-test  the Ansible collection end to end over SSH on this machine (Tests/Fleet/fleet-test.sh)
SHELL := /bin/bash
SWIFT ?= swift
BIN_DEBUG := .build/debug/sriov-preflight
BIN_RELEASE := .build/release/sriov-preflight
# Debian packages the build and the tests need.
DEB_PACKAGES := libpci-dev pciutils pci.ids libxml2-dev libxml2-utils pkg-config python3-jsonschema gettext
# What `make bench` adds: strace counts system calls, GNU time reports peak RSS.
BENCH_PACKAGES := strace time
# What `make html-test` adds: a headless browser, a CJK font for the Chinese report, pdftotext for the print check.
HTML_TEST_PACKAGES := chromium fonts-wqy-microhei poppler-utils
# What `make dist` adds: a Debian 11 root (debootstrap), rpmbuild, lintian, man for the page test.
DIST_PACKAGES := debootstrap rpm lintian man-db
PREFIX ?= /usr/local
DESTDIR ?=
# What `make fleet-test` needs besides: an SSH server and client, and venv for the pinned ansible-core from PyPI.
FLEET_DEB_PACKAGES := openssh-server openssh-client python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# $(call apt-install,PACKAGES): installs those of the Debian PACKAGES that are not installed yet (one recipe line).
apt-install = missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# Message catalogs: po/<lang>.po compiled to $(LOCALEDIR)/<lang>/LC_MESSAGES/sriov-preflight.mo, where the
# binary in .build finds them; packages install them as /usr/share/locale/<lang>/LC_MESSAGES/sriov-preflight.mo.
LOCALEDIR := .build/locale
LANGS := $(basename $(notdir $(wildcard po/*.po)))
MO_FILES := $(foreach l,$(LANGS),$(LOCALEDIR)/$(l)/LC_MESSAGES/sriov-preflight.mo)

.PHONY: all deps fleet-deps build release run test fleet-test html-test docs pot locale install-locale bench lab lab-capture fuzz clean promtool dist dist-deps dist-test install

all: build

deps:
	@$(call apt-install,$(DEB_PACKAGES))
	@command -v $(SWIFT) >/dev/null || { echo "swift not found: install the Swift toolchain (swift.org) and put it on PATH"; exit 1; }

fleet-deps: deps
	@$(call apt-install,$(FLEET_DEB_PACKAGES))

build: deps locale
	$(SWIFT) build

release: deps locale
	$(SWIFT) build -c release --static-swift-stdlib --product sriov-preflight

# The tool's exit code is a verdict, not a build failure: say which, and leave make's status to real failures.
run: release
	@rc=0; $(BIN_RELEASE) check || rc=$$?; \
	case $$rc in \
	  0) echo "make run: exit code 0: the host is ready for SR-IOV." ;; \
	  1) echo "make run: exit code 1: the host is NOT ready (the FAIL lines above say what to fix); the build and the run worked."; rc=0 ;; \
	  2) echo "make run: exit code 2: undecided: nothing failed, but some checks could not read their evidence (ERROR lines above; run as root?)."; rc=0 ;; \
	  64) echo "make run: exit code 64: usage error." ;; \
	  *) echo "make run: sriov-preflight ended with exit code $$rc." ;; \
	esac; exit $$rc

test: deps locale
	$(SWIFT) build
	$(SWIFT) test

# The HTML report in a real browser: installs Chromium (Debian), renders fixture reports to PNG and prints one to
# PDF; the pictures are in .build/screenshots/ for a person to look at.
html-test: deps
	@$(call apt-install,$(HTML_TEST_PACKAGES))
	$(SWIFT) build
	SRIOV_REQUIRE_BROWSER=1 $(SWIFT) test --filter HTMLBrowserTests
	@ls -l .build/screenshots/*.png

fleet-test: fleet-deps
	$(SWIFT) build
	bash Tests/Fleet/fleet-test.sh

docs: build
	$(BIN_DEBUG) docs --output checks

# After changing a message: regenerate the template, merge it into every catalog, then translate what
# msgmerge marks (untranslated or fuzzy) — `make test` fails until none is left.
pot: build
	$(BIN_DEBUG) docs --output checks --pot po/sriov-preflight.pot
	for l in $(LANGS); do msgmerge --quiet --update --backup=none --no-wrap po/$$l.po po/sriov-preflight.pot; done

locale: $(MO_FILES)

$(LOCALEDIR)/%/LC_MESSAGES/sriov-preflight.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check --statistics -o $@ $<

# Installs the catalogs under $(DESTDIR)$(PREFIX)/share/locale (what the packages ship).
install-locale: locale
	for l in $(LANGS); do install -D -m 0644 $(LOCALEDIR)/$$l/LC_MESSAGES/sriov-preflight.mo \
	  $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/sriov-preflight.mo; done

bench: release
	@$(call apt-install,$(BENCH_PACKAGES))
	bash Benchmarks/run.sh

lab: release
	bash Tests/Lab/lab.sh run

lab-capture: release
	bash Tests/Lab/lab.sh capture

# promtool for the metrics tests (opt-in; .ci/run uses it): Debian's prometheus package unpacked under
# .build/tools, not installed (installing it would also start a Prometheus server). 19 MB download, ~3 s.
PROMTOOL := .build/tools/prometheus/usr/bin/promtool
promtool: $(PROMTOOL)
$(PROMTOOL):
	mkdir -p .build/tools
	cd .build/tools && rm -f prometheus_*.deb && \
	  { apt-get download prometheus 2>/dev/null || { $(SUDO) apt-get update -qq && apt-get download prometheus; }; } && \
	  dpkg -x prometheus_*.deb prometheus && rm -f prometheus_*.deb
	$(PROMTOOL) --version | head -1

# The portable build: dist/sriov-preflight (x86_64, glibc >= 2.17, nothing else but libgcc_s) and its .deb,
# .rpm and .tar.gz. Slow parts cached in $${XDG_CACHE_HOME:-$$HOME/.cache}/sriov-preflight-dist (SPF_DIST_CACHE):
# cold ~12 min, warm ~3 min. See packaging/dist.sh.
dist-deps:
	@$(call apt-install,$(DIST_PACKAGES))

dist: deps dist-deps
	$(SUDO) bash packaging/dist.sh build
	$(SUDO) bash packaging/dist.sh packages

# The binary's symbols, the pages, the packages' file lists, dpkg -i and the reports in a Debian 11 chroot.
dist-test: dist
	$(SUDO) bash packaging/dist.sh test

install: release
	bash packaging/dist.sh install "$(DESTDIR)" "$(PREFIX)" $(BIN_RELEASE)

clean:
	rm -rf .build .build-dist
