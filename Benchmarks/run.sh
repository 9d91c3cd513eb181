#!/usr/bin/env bash
# `make bench`: every speed and size goal of the project, measured on this machine from a release build.
# Library timings are the best of 7 runs; whole-command timings use hyperfine when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sriov-preflight-bench >/dev/null
swift build -c release --static-swift-stdlib --product sriov-preflight >/dev/null
bench=.build/release/sriov-preflight-bench
tool=.build/release/sriov-preflight
echo "== library benchmarks (best of 7)"
"$bench" kernel-log
if [ -d ../shared/corpus/acpi ]; then "$bench" acpi ../shared/corpus/acpi; else echo "ACPI decode: ../shared/corpus/acpi not found, skipped"; fi

echo "== a synthetic host of 8 PFs x 128 VFs: sriov-preflight check vs lspci -vvv on the same sysfs tree"
tmp=$(mktemp -d /dev/shm/spf-bench.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" make-host "$tmp/host"
echo "functions: $(ls "$tmp/host/sys/bus/pci/devices" | wc -l)"
time_of() {  # best of 5 wall-clock runs, in ms
  local best=999999
  for _ in 1 2 3 4 5; do
    local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 )); (( ms < best )) && best=$ms
  done
  echo "$best"
}
ours=$(time_of "$tool" check --root "$tmp/host" --format json)
if command -v lspci >/dev/null; then
  theirs=$(time_of lspci -A linux-sysfs -O "sysfs.path=$tmp/host/sys/bus/pci" -vvv)
  echo "sriov-preflight check: ${ours} ms; lspci -vvv: ${theirs} ms; ratio lspci/ours: $(awk "BEGIN{printf \"%.2f\", $theirs/($ours>0?$ours:1)}")"
else
  echo "sriov-preflight check: ${ours} ms (lspci not installed: no comparison)"
fi

echo "== support bundles of the shared hosts (goal: < 1 s and < 2 MB each)"
if [ -d ../shared/hosts ]; then
  for h in ../shared/hosts/*/; do
    [ -f "$h/EXPECTED.json" ] || continue
    ms=$(time_of "$tool" bundle --root "$h" --output "$tmp/bundle.tar.gz")
    echo "$(basename "$h"): ${ms} ms, $(stat -c %s "$tmp/bundle.tar.gz") bytes"
  done
else
  echo "../shared/hosts not found: skipped"
fi

echo "== aggregate of 10,000 host reports (goal: <= 2 s)"
if [ -d Tests/Fixtures/hosts ]; then
  fleet="$tmp/fleet"
  "$bench" make-fleet "$fleet" 10000 Tests/Fixtures/hosts
  for fmt in text json junit; do
    ms=$(time_of "$tool" aggregate --format "$fmt" --output "$tmp/fleet.$fmt" "$fleet"/node-*.json)
    echo "aggregate --format $fmt: ${ms} ms ($(stat -c %s "$tmp/fleet.$fmt") bytes)"
  done
  rm -rf "$fleet"
fi
