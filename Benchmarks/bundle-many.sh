#!/usr/bin/env bash
# Bundle and replay of a large synthetic host (default 40 PFs x 124 VFs, ~5,000 PCI functions): wall time of
# `sriov-preflight bundle` and `check --bundle` from a release build, best of N runs (default 1).
# Usage: bash Benchmarks/bundle-many.sh [PFS] [VFS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
pfs=${1:-40}; vfs=${2:-124}; runs=${3:-1}
swift build -c release --product sriov-preflight-bench >/dev/null
# The binary `make release` and Benchmarks/run.sh build and measure (static Swift runtime: another start-up
# cost, and other flags would relink the products each time one of the two ran).
swift build -c release --static-swift-stdlib --product sriov-preflight >/dev/null
bench=.build/release/sriov-preflight-bench
tool=.build/release/sriov-preflight
tmp=$(mktemp -d /dev/shm/spf-bundle.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" make-host "$tmp/host" "$pfs" "$vfs"
echo "functions: $(ls "$tmp/host/sys/bus/pci/devices" | wc -l)"
best() {  # best of $runs wall-clock runs of "$@", in ms
  local b=999999999
  for _ in $(seq "$runs"); do
    local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; true; }; t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 )); (( ms < b )) && b=$ms
  done
  echo "$b"
}
echo "check --root:    $(best "$tool" check --root "$tmp/host" --format json) ms"
echo "bundle:          $(best "$tool" bundle --root "$tmp/host" --output "$tmp/b.tar.gz") ms, $(stat -c %s "$tmp/b.tar.gz") bytes"
echo "check --bundle:  $(best "$tool" check --bundle "$tmp/b.tar.gz" --format json) ms"
