#!/usr/bin/env bash
# `make bench`: every speed and size goal of the project, measured on this machine from a release build.
# Library timings are the best of 7 runs; whole-command timings use hyperfine when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
# SPF_BENCH_TOOL=path: measure that sriov-preflight binary instead of building the static release one.
# Both with the static standard library: one build configuration (another would rebuild every module).
swift build -c release --static-swift-stdlib --product sriov-preflight-bench >/dev/null
bench=.build/release/sriov-preflight-bench
if [ -n "${SPF_BENCH_TOOL:-}" ]; then tool=$SPF_BENCH_TOOL; else
  swift build -c release --static-swift-stdlib --product sriov-preflight >/dev/null
  tool=.build/release/sriov-preflight
fi
echo "== library benchmarks (best of 7)"
"$bench" kernel-log
if [ -d ../shared/corpus/acpi ]; then "$bench" acpi ../shared/corpus/acpi; else echo "ACPI decode: ../shared/corpus/acpi not found, skipped"; fi

echo "== synthetic hosts (N PFs x 128 VFs): sriov-preflight check vs lspci -A linux-sysfs -vvv on the same sysfs tree"
tmp=$(mktemp -d /dev/shm/spf-bench.XXXXXX 2>/dev/null || mktemp -d)
# The synthetic hosts stand for sysfs, which is a memory filesystem mounted nodev: as root they get a tmpfs of
# their own mounted nodev (a tool may open a file there with no stat first: no device node can be opened).
hosts=$tmp
if [ "$(id -u)" = 0 ] && mkdir -p "$tmp/hosts" && mount -t tmpfs -o nodev,nosuid,size=1g tmpfs "$tmp/hosts" 2>/dev/null; then
  hosts=$tmp/hosts
  echo "synthetic hosts on a tmpfs mounted nodev, as sysfs is"
else
  echo "synthetic hosts in $tmp ($(findmnt -no OPTIONS --target "$tmp" 2>/dev/null || echo 'mount options unknown'); not root: no nodev tmpfs of their own)"
fi
trap 'if [ "$hosts" != "$tmp" ]; then umount "$hosts"; fi; rm -rf "$tmp"' EXIT
REPS=${BENCH_REPS:-7}
ms_of() {  # wall time of one run, in ms (3 decimals)
  local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
  awk "BEGIN{printf \"%.3f\", ($t1 - $t0) / 1000000}"
}
median() { sort -n | awk '{a[NR]=$1} END{if (NR==0) {print 0} else if (NR%2) {print a[(NR+1)/2]} else {printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}}'; }
min_of() { sort -n | head -1; }
syscalls_of() {  # total system calls of a command and its threads (strace -f -c)
  command -v strace >/dev/null || { echo "-"; return; }
  strace -f -c -o "$tmp/strace.txt" "$@" >/dev/null 2>&1 || true
  awk '$NF=="total"{print $4}' "$tmp/strace.txt" | tail -1
}
rss_of() {  # peak resident set in KiB, and CPU time (user + system: steadier than wall time on a busy machine)
  if [ -x /usr/bin/time ]; then /usr/bin/time -f "%M %U %S" -o "$tmp/rss.txt" "$@" >/dev/null 2>&1 || true
    tail -1 "$tmp/rss.txt" | awk '{printf "%s KiB (CPU %.2f s)", $1, $2 + $3}'; else echo "-"; fi
}
"$bench" make-host "$hosts/tiny" 1 1
tiny_sc=$(syscalls_of "$tool" check --root "$hosts/tiny" --format json)
declare -A med
for pfs in 8 2; do
  host="$hosts/host$pfs"
  "$bench" make-host "$host" "$pfs"
  n=$(ls "$host/sys/bus/pci/devices" | wc -l)
  ours=(); theirs=()
  for _ in $(seq "$REPS"); do   # interleaved: both see the same load
    ours+=("$(ms_of "$tool" check --root "$host" --format json)")
    command -v lspci >/dev/null && theirs+=("$(ms_of lspci -A linux-sysfs -O "sysfs.path=$host/sys/bus/pci" -vvv)")
  done
  om=$(printf '%s\n' "${ours[@]}" | median); omin=$(printf '%s\n' "${ours[@]}" | min_of)
  med[$pfs]=$om
  echo "-- ${pfs}x128: $n PCI functions, $REPS interleaved runs each"
  echo "   check:      median ${om} ms (best ${omin} ms)"
  if [ ${#theirs[@]} -gt 0 ]; then
    lm=$(printf '%s\n' "${theirs[@]}" | median); lmin=$(printf '%s\n' "${theirs[@]}" | min_of)
    echo "   lspci -vvv: median ${lm} ms (best ${lmin} ms)"
    echo "   ratio check/lspci: $(awk "BEGIN{printf \"%.2f\", $om/$lm}") (median), $(awk "BEGIN{printf \"%.2f\", $omin/$lmin}") (best)  [goal <= 0.5]"
  else
    echo "   lspci not installed: no comparison"
  fi
  sc=$(syscalls_of "$tool" check --root "$host" --format json)
  if [ "$sc" != "-" ]; then
    lsc=$(syscalls_of lspci -A linux-sysfs -O "sysfs.path=$host/sys/bus/pci" -vvv)
    echo "   system calls: check $sc ($(awk "BEGIN{printf \"%.1f\", $sc/$n}") per function), lspci $lsc ($(awk "BEGIN{printf \"%.1f\", $lsc/$n}") per function)  [goal <= 12]"
    [ "$tiny_sc" != "-" ] && echo "   beyond the tiny host's $tiny_sc (start-up, and a host's files besides its PCI functions): $(awk "BEGIN{printf \"%.1f\", ($sc-$tiny_sc)/($n-2)}") per added function"
  else
    echo "   system calls: strace not installed (make bench installs it)"
  fi
  echo "   peak RSS: check $(rss_of "$tool" check --root "$host" --format json), lspci $(rss_of lspci -A linux-sysfs -O "sysfs.path=$host/sys/bus/pci" -vvv)"
done
echo "-- scaling 8x128 / 2x128 (median check times): $(awk "BEGIN{printf \"%.2f\", ${med[8]}/${med[2]}}")  [goal <= 4.4]"
tiny=(); for _ in $(seq "$REPS"); do tiny+=("$(ms_of "$tool" check --root "$hosts/tiny" --format json)"); done
echo "-- tiny host (1 PF, 1 VF: $(find "$hosts/tiny/sys" -name config | wc -l) functions): check median $(printf '%s\n' "${tiny[@]}" | median) ms (best $(printf '%s\n' "${tiny[@]}" | min_of) ms), $tiny_sc system calls, peak RSS $(rss_of "$tool" check --root "$hosts/tiny" --format json)"

time_of() {  # best of 5 wall-clock runs, in ms
  local best=999999
  for _ in 1 2 3 4 5; do
    local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 )); (( ms < best )) && best=$ms
  done
  echo "$best"
}

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
  # The reports are what `check --format json` writes for the committed fixture hosts (each under its own
  # host name), in turn: real reports with their files_read, evidence and NIC tables, not stubs.
  fleet="$tmp/fleet"
  "$bench" make-fleet "$fleet" 10000 Tests/Fixtures/hosts
  stat -c %s "$fleet"/node-*.json | sort -n | awk '{a[NR]=$1; t+=$1} END{printf "reports: %d files, %.0f MB in all, %d to %d bytes each (median %d)\n", NR, t/1e6, a[1], a[NR], a[int((NR+1)/2)]}'
  FLEET_REPS=${BENCH_FLEET_REPS:-5}
  for fmt in text json junit; do
    runs=()
    for _ in $(seq "$FLEET_REPS"); do runs+=("$(ms_of "$tool" aggregate --format "$fmt" --output "$tmp/fleet.$fmt" "$fleet"/node-*.json)")
    done
    m=$(printf '%s\n' "${runs[@]}" | median); b=$(printf '%s\n' "${runs[@]}" | min_of)
    echo "aggregate --format $fmt: median $(awk "BEGIN{printf \"%.2f\", $m/1000}") s (best $(awk "BEGIN{printf \"%.2f\", $b/1000}") s, $FLEET_REPS runs; $(stat -c %s "$tmp/fleet.$fmt") bytes out), peak RSS $(rss_of "$tool" aggregate --format "$fmt" --output "$tmp/fleet.$fmt" "$fleet"/node-*.json)  [goal <= 2 s]"
  done
  rm -rf "$fleet"
fi
