#!/usr/bin/env bash
# Fuzz one ACPITables decoder with libFuzzer (AddressSanitizer on).
#
#   Fuzz/run.sh dmar|ivrs [runs] [extra libFuzzer flags...]
#
# runs defaults to 1000000. Seeds: the corpus tables of that kind, found at
# <repo>/../shared/corpus/acpi or $SRIOV_SHARED/corpus/acpi (copied to a work
# dir; the shared corpus is never written). Work dir: $FUZZ_WORK, default
# /tmp/acpi-fuzz-<kind> (new inputs in corpus/, crashes in artifacts/).
# Needs only the Swift toolchain (its libFuzzer runtime).
set -euo pipefail

kind=${1:-}
case "$kind" in
  dmar) sig=DMAR ;;
  ivrs) sig=IVRS ;;
  *) echo "usage: $0 dmar|ivrs [runs] [libFuzzer flags...]" >&2; exit 2 ;;
esac
runs=${2:-1000000}
shift $(( $# >= 2 ? 2 : 1 ))

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
flags=(-c release -Xswiftc -sanitize=fuzzer,address)   # comma-joined: two -sanitize flags drop the fuzzer

swift build --package-path "$here" "${flags[@]}" --product "fuzz-$kind" >&2
bin="$(swift build --package-path "$here" "${flags[@]}" --show-bin-path)/fuzz-$kind"

work=${FUZZ_WORK:-/tmp/acpi-fuzz-$kind}
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
seeds=""
for dir in "$root/../shared/corpus/acpi" "${SRIOV_SHARED:+$SRIOV_SHARED/corpus/acpi}"; do
  if [ -n "$dir" ] && [ -d "$dir" ]; then seeds=$dir; break; fi
done
if [ -n "$seeds" ]; then
  cp "$seeds"/*-"$sig".bin "$work/seeds/"
  echo "seeds: $(ls "$work/seeds" | wc -l) $sig tables from $seeds" >&2
else
  echo "no corpus found: fuzzing without seeds" >&2
fi

export SWIFT_BACKTRACE=enable=no
exec "$bin" -runs="$runs" -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$work/seeds"
