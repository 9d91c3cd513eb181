# sriov-preflight — build, check this host, test.
#   make run    installs what it needs (Debian 12), builds a release binary and checks this host
#   make test   installs the same and runs the whole test suite
SHELL := /bin/bash
SWIFT ?= swift
BIN_DEBUG := .build/debug/sriov-preflight
BIN_RELEASE := .build/release/sriov-preflight
# Debian packages the build and the tests need.
DEB_PACKAGES := libpci-dev pciutils pci.ids libxml2-dev libxml2-utils pkg-config python3-jsonschema
# What `make html-test` adds: a headless browser, a CJK font for the Chinese report, pdftotext for the print check.
HTML_TEST_PACKAGES := chromium fonts-wqy-microhei poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release run test html-test docs bench lab lab-capture fuzz clean promtool

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift not found: install the Swift toolchain (swift.org) and put it on PATH"; exit 1; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product sriov-preflight

run: release
	$(BIN_RELEASE) check

test: deps
	$(SWIFT) build
	$(SWIFT) test

# The HTML report in a real browser: installs Chromium (Debian), renders fixture reports to PNG and prints one to
# PDF; the pictures are in .build/screenshots/ for a person to look at.
html-test: deps
	@missing=""; for p in $(HTML_TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	$(SWIFT) build
	SRIOV_REQUIRE_BROWSER=1 $(SWIFT) test --filter HTMLBrowserTests
	@ls -l .build/screenshots/*.png

docs: build
	$(BIN_DEBUG) docs --output checks

bench: release
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

clean:
	rm -rf .build
