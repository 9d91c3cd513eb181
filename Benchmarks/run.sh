#!/usr/bin/env bash
# `make bench`: every speed and size goal of the project, measured on this machine.
# Times are the best of several runs (wall clock), from a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sriov-preflight-bench >/dev/null
echo "== library benchmarks (best of 7)"
.build/release/sriov-preflight-bench "$@"
