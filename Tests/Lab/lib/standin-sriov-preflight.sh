#!/bin/sh
# Stand-in for sriov-preflight while the real binary is not built: answers `list` with an empty
# catalog and `check` with no results, so the lab's boot/capture machinery can be exercised.
out=
cmd=${1:-}
while [ $# -gt 0 ]; do
  case $1 in --output) out=$2; shift ;; esac
  shift
done
case $cmd in
  list) echo '[]' ;;
  check)
    json='{"schema_version":2,"tool":{"name":"sriov-preflight-standin"},"host":{},"summary":{},"results":[]}'
    if [ -n "$out" ]; then echo "$json" >"$out"; else echo "$json"; fi ;;
  *) echo "usage: sriov-preflight list|check" >&2; exit 64 ;;
esac
