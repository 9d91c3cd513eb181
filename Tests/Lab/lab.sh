#!/usr/bin/env bash
# sriov-preflight virtual hardware lab.
#
# Boots real Debian kernels under QEMU (TCG) with an emulated IOMMU and emulated SR-IOV devices, runs
# `sriov-preflight check` inside each guest, takes the guest's host root out and compares the in-guest
# verdicts with the verdicts written down by hand in variants/<name>.expected.
#
#   lab.sh run [VARIANT...]       boot variants, compare, print the table (exit 1 on any mismatch)
#   lab.sh capture [VARIANT...]   same boots, then refresh Tests/Fixtures/hosts/<variant>/
#   lab.sh list                   list the variants
#   lab.sh fetch                  only download/unpack what the lab needs
#   lab.sh clean                  remove the lab's work dir (keeps the download cache)
#
# Environment:
#   SRIOV_BIN=PATH     binary to put into the guests (default: swift build -c release from the repo root);
#                      SRIOV_BIN=none boots and captures without running the tool
#   LAB_JOBS=1|2       guests run at once (default 2; never more than 2)
#   LAB_TIMEOUT=SECS   per-guest time-out (default: the variant's TIMEOUT, else 180)
#   LAB_REPO_ROOT=DIR  the project (default: two levels above this script)
#   LAB_CACHE=DIR      download cache (default <repo>/.lab-cache)
#   LAB_OUT=DIR        work/results dir (default <repo>/.build/lab)
#   LAB_FIXTURES=DIR   where `capture` writes hosts (default <repo>/Tests/Fixtures/hosts)
#   LAB_KERNEL_PKG=linux-image-6.1.0-NN-amd64   pin the guest kernel (default: follow linux-image-amd64)
#   LAB_REFRESH=1      refresh the private apt lists even if they are recent
#   LAB_SHELL=1        drop to a shell on the serial console after the guest's work (interactive debugging;
#                      one guest at a time, no time-out)
#   LAB_ACCEL=tcg      QEMU accelerator (default tcg: on this machine kind /dev/kvm is kvm_pvm and hangs)
#   LAB_FIXTURE_FULL=1 `capture` keeps modules.alias/modules.dep whole (default: cut to what the checks read)
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=${LAB_REPO_ROOT:-$(cd "$LAB_DIR/../.." && pwd)}
# Inside the project the lab lives in Tests/Lab; anywhere else (a development copy) it keeps everything
# next to itself.
if [[ $(basename "$LAB_DIR") == Lab && $(basename "$(dirname "$LAB_DIR")") == Tests ]]; then
  : "${LAB_CACHE:=$REPO_ROOT/.lab-cache}"
  : "${LAB_OUT:=$REPO_ROOT/.build/lab}"
  : "${LAB_FIXTURES:=$REPO_ROOT/Tests/Fixtures/hosts}"
else
  : "${LAB_CACHE:=$LAB_DIR/.lab-cache}"
  : "${LAB_OUT:=$LAB_DIR/out}"
  : "${LAB_FIXTURES:=$LAB_OUT/Fixtures/hosts}"
fi
VARIANTS_DIR=$LAB_DIR/variants
: "${LAB_JOBS:=2}"
: "${LAB_SHELL:=0}"
: "${LAB_REFRESH:=0}"

APT_DIR=$LAB_CACHE/apt
DEB_DIR=$LAB_CACHE/debs
UNPACK_DIR=$LAB_CACHE/unpacked
QEMU10_DIR=$LAB_CACHE/qemu10

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------------
# Host tools
# ---------------------------------------------------------------------------------------------------
ensure_host_tools() {
  local missing=() pkgs=() t
  declare -A pkg_of=([qemu-system-x86_64]=qemu-system-x86 [depmod]=kmod [cpio]=cpio [jq]=jq
    [dpkg]=dpkg [apt-get]=apt [tar]=tar [gzip]=gzip [timeout]=coreutils [awk]=gawk)
  for t in "${!pkg_of[@]}"; do
    if ! command -v "$t" >/dev/null 2>&1 && [[ ! -x /sbin/$t && ! -x /usr/sbin/$t ]]; then
      missing+=("$t"); pkgs+=("${pkg_of[$t]}")
    fi
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
      die "missing host tools: ${missing[*]} (install: apt-get install ${pkgs[*]})"
    fi
    log "installing host tools: ${pkgs[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" >"$LAB_OUT/apt-install.log" 2>&1 ||
      { apt-get update -q >>"$LAB_OUT/apt-install.log" 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" >>"$LAB_OUT/apt-install.log" 2>&1; } ||
      die "apt-get install ${pkgs[*]} failed (see $LAB_OUT/apt-install.log)"
  fi
  PATH=$PATH:/usr/sbin:/sbin
}

# ---------------------------------------------------------------------------------------------------
# Private apt configuration: the system's own deb sources (mirror URIs taken from them at run time) plus
# the backports suite of the same mirror. Own lists/cache/state; the system's apt setup is left alone.
# ---------------------------------------------------------------------------------------------------
system_deb_lines() {
  local f
  if [[ -r /etc/apt/sources.list ]]; then
    grep -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list || true
  fi
  for f in /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    grep -E '^[[:space:]]*deb[[:space:]]' "$f" || true
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "") {
          n = split(uris, u, " "); m = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
            printf "deb%s %s %s %s\n", (key != "" ? " [signed-by=" key "]" : ""), u[i], s[j], comps
        }
        types = uris = suites = comps = key = enabled = ""
      }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      {
        k = tolower($1); sub(/:$/, "", k); v = $0; sub(/^[^:]*:[[:space:]]*/, "", v)
        if (k == "types") types = v; else if (k == "uris") uris = v
        else if (k == "suites") suites = v; else if (k == "components") comps = v
        else if (k == "signed-by") key = v; else if (k == "enabled") enabled = tolower(v)
      }
      END { flush() }' "$f"
  done
}

APT_OPTS=()
setup_private_apt() {
  local codename lines bp
  codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"')
  [[ -n $codename ]] || die "cannot tell the Debian codename from /etc/os-release"
  mkdir -p "$APT_DIR"/{state/lists/partial,cache/archives/partial,sources.list.d,preferences.d}
  lines=$(system_deb_lines | awk '{$1=$1; print}' | sort -u)
  [[ -n $lines ]] || die "no deb sources found in the system's apt configuration"
  # backports of the same mirror(s) that carry the release suite itself
  bp=$(awk -v c="$codename" '{ for (i = 2; i <= NF; i++) if ($i == c) { $i = c "-backports"; print; break } }' <<<"$lines")
  [[ -n $bp ]] || die "no '$codename' suite in the system's apt sources: cannot derive the backports mirror"
  printf '%s\n%s\n' "$lines" "$bp" | sort -u >"$APT_DIR/sources.list.new"
  if ! cmp -s "$APT_DIR/sources.list.new" "$APT_DIR/sources.list" 2>/dev/null; then
    mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
    rm -f "$APT_DIR/state/lists/"*_Packages* "$APT_DIR/updated"
  else
    rm -f "$APT_DIR/sources.list.new"
  fi
  APT_OPTS=(
    -o "Dir::Etc::SourceList=$APT_DIR/sources.list"
    -o "Dir::Etc::SourceParts=$APT_DIR/sources.list.d"
    -o "Dir::Etc::PreferencesParts=$APT_DIR/preferences.d"
    -o "Dir::State=$APT_DIR/state"
    -o "Dir::State::Lists=$APT_DIR/state/lists"
    -o "Dir::Cache=$APT_DIR/cache"
    -o "Dir::State::status=/var/lib/dpkg/status"
    -o "APT::Sandbox::User=$(id -un)"
    -o "Acquire::Languages=none"
    -q
  )
  if [[ $LAB_REFRESH == 1 || ! -e $APT_DIR/updated ]] || [[ -n $(find "$APT_DIR/updated" -mmin +1440 2>/dev/null) ]]; then
    log "private apt: updating package lists (system sources + $codename-backports)"
    apt-get "${APT_OPTS[@]}" update >"$APT_DIR/update.log" 2>&1 || die "private apt-get update failed (see $APT_DIR/update.log)"
    touch "$APT_DIR/updated"
  fi
  CODENAME=$codename
}

apt_priv() { apt-get "${APT_OPTS[@]}" "$@"; }
apt_cache_priv() { apt-cache "${APT_OPTS[@]}" "$@"; }

# download PKG[/SUITE] into the cache (once) and print the .deb path
fetch_deb() {
  local spec=$1 name ver arch file
  name=${spec%%/*}
  if [[ $spec == */* ]]; then
    ver=$(apt_cache_priv madison "$name" | awk -F'|' -v s="${spec#*/}" '$3 ~ s { gsub(/ /, "", $2); print $2; exit }')
  else
    ver=$(apt_cache_priv policy "$name" | awk '/Candidate:/ { print $2; exit }')
  fi
  [[ -n $ver && $ver != "(none)" ]] || die "package $spec not found in the private apt lists"
  arch=$(apt_cache_priv show "$name=$ver" 2>/dev/null | awk '/^Architecture:/ { print $2; exit }')
  file="$DEB_DIR/${name}_${ver//:/%3a}_${arch}.deb"
  if [[ ! -s $file ]]; then
    mkdir -p "$DEB_DIR"
    (cd "$DEB_DIR" && apt_priv download "$name=$ver" >/dev/null) || die "apt-get download $name=$ver failed"
    [[ -s $file ]] || file=$(find "$DEB_DIR" -name "${name}_*.deb" -newer "$APT_DIR/updated" | head -n1)
    log "downloaded $(basename "$file") ($(du -k "$file" | cut -f1) KiB)"
  fi
  printf '%s\n' "$file"
}

# unpack .deb files into DIR (once per set of .debs)
unpack_debs() {
  local dir=$1; shift
  local stamp sum
  sum=$(for d in "$@"; do basename "$d"; done | sort | sha256sum | cut -c1-16)
  stamp=$dir/.unpacked-$sum
  [[ -e $stamp ]] && return 0
  rm -rf "$dir"; mkdir -p "$dir"
  for d in "$@"; do dpkg -x "$d" "$dir"; done
  touch "$stamp"
}

# ---------------------------------------------------------------------------------------------------
# Downloads: guest kernel, busybox, nvme-cli, QEMU 10 (backports)
# ---------------------------------------------------------------------------------------------------
KREL='' KDIR='' BUSYBOX='' NVME_ROOT='' QEMU10=''
fetch_kernel() {
  local pkg deb
  pkg=${LAB_KERNEL_PKG:-}
  if [[ -z $pkg ]]; then
    pkg=$(apt_cache_priv depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [[ -n $pkg ]] || die "cannot resolve linux-image-amd64 to a versioned kernel package"
  fi
  deb=$(fetch_deb "$pkg")
  KDIR=$UNPACK_DIR/$pkg
  unpack_debs "$KDIR" "$deb"
  KREL=${pkg#linux-image-}
  [[ -e $KDIR/boot/vmlinuz-$KREL ]] || die "no boot/vmlinuz-$KREL in $deb"
  # The .deb carries no modules.dep/alias (its postinst runs depmod): make them as depmod would.
  if [[ ! -s $KDIR/lib/modules/$KREL/modules.dep ]]; then
    depmod -b "$KDIR" "$KREL" || die "depmod failed for $KREL"
  fi
}

fetch_busybox() {
  local deb
  deb=$(fetch_deb busybox-static)
  unpack_debs "$UNPACK_DIR/busybox-static" "$deb"
  BUSYBOX=$UNPACK_DIR/busybox-static/bin/busybox
  [[ -x $BUSYBOX ]] || die "busybox-static did not unpack a bin/busybox"
}

# nvme-cli is dynamic: unpack it with the libraries it needs that are not on the host
fetch_nvme_cli() {
  local debs=() p
  for p in nvme-cli libnvme1; do debs+=("$(fetch_deb "$p")"); done
  NVME_ROOT=$UNPACK_DIR/nvme-cli
  unpack_debs "$NVME_ROOT" "${debs[@]}"
  [[ -x $NVME_ROOT/usr/sbin/nvme ]] || die "nvme-cli did not unpack usr/sbin/nvme"
  fill_missing_libs "$NVME_ROOT/usr/sbin/nvme" "$NVME_ROOT" "$(nvme_libpath)"
}

nvme_libpath() { echo "$NVME_ROOT/usr/lib/x86_64-linux-gnu:$NVME_ROOT/lib/x86_64-linux-gnu"; }

# QEMU 10 from backports, unpacked privately (igb SR-IOV needs it); missing shared libraries are
# fetched from the private lists and unpacked next to it
fetch_qemu10() {
  local debs=() p
  for p in qemu-system-x86 qemu-system-common qemu-system-data seabios; do
    debs+=("$(fetch_deb "$p/$CODENAME-backports")")
  done
  unpack_debs "$QEMU10_DIR" "${debs[@]}"
  QEMU10=$QEMU10_DIR/usr/bin/qemu-system-x86_64
  [[ -x $QEMU10 ]] || die "QEMU 10 did not unpack usr/bin/qemu-system-x86_64"
  fill_missing_libs "$QEMU10" "$QEMU10_DIR/extra-libs" "$(qemu10_libpath)"
}
qemu10_libpath() { echo "$QEMU10_DIR/extra-libs/usr/lib/x86_64-linux-gnu:$QEMU10_DIR/extra-libs/lib/x86_64-linux-gnu:$QEMU10_DIR/usr/lib/x86_64-linux-gnu"; }
qemu10_env() { LD_LIBRARY_PATH=$(qemu10_libpath)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$@"; }

fetch_all() {
  local t0
  t0=$(now)
  setup_private_apt
  fetch_kernel
  fetch_busybox
  fetch_nvme_cli
  fetch_qemu10
  log "downloads ready in $(elapsed "$t0") s: kernel $KREL; cache $(du -sh "$DEB_DIR" | cut -f1) of .debs"
}

# shared libraries a dynamic ELF needs that ldd cannot find: fetch the packages that carry them
# (Debian names runtime library packages after the soname: libfoo.so.5 -> libfoo5, libfoo-1.so.3 -> libfoo-1-3)
fill_missing_libs() { # BINARY DESTROOT [LD_LIBRARY_PATH]
  local bin=$1 root=$2 lp=${3:-} missing p base ver pkg tries=0
  while missing=$(LD_LIBRARY_PATH=$lp ldd "$bin" 2>/dev/null | awk '/not found/ { print $1 }') && [[ -n $missing ]]; do
    ((tries++ < 3)) || die "$(basename "$bin") still lacks libraries: $missing"
    for p in $missing; do
      base=${p%%.so*}; ver=${p#*.so.}; ver=${ver%%.*}
      if [[ $base =~ [0-9]$ ]]; then pkg=$base-$ver; else pkg=$base$ver; fi
      pkg=${pkg,,}; pkg=${pkg//_/-}
      log "$(basename "$bin") needs $p: fetching $pkg"
      dpkg -x "$(fetch_deb "$pkg")" "$root"
    done
  done
}

# ---------------------------------------------------------------------------------------------------
# The binary under test
# ---------------------------------------------------------------------------------------------------
TOOL_BIN=
resolve_binary() {
  if [[ -n ${SRIOV_BIN:-} ]]; then
    if [[ $SRIOV_BIN == none ]]; then TOOL_BIN=; log "SRIOV_BIN=none: the tool is not run"; return; fi
    [[ -x $SRIOV_BIN ]] || die "SRIOV_BIN=$SRIOV_BIN is not an executable file"
    TOOL_BIN=$(readlink -f "$SRIOV_BIN")
  else
    [[ -f $REPO_ROOT/Package.swift ]] ||
      die "no Package.swift in $REPO_ROOT: set SRIOV_BIN to a sriov-preflight binary (or SRIOV_BIN=none)"
    command -v swift >/dev/null || die "swift not found: set SRIOV_BIN to a sriov-preflight binary"
    log "building: swift build -c release --static-swift-stdlib --product sriov-preflight"
    (cd "$REPO_ROOT" && swift build -c release --static-swift-stdlib --product sriov-preflight) >"$LAB_OUT/swift-build.log" 2>&1 ||
      { tail -n 30 "$LAB_OUT/swift-build.log" >&2; die "swift build failed (see $LAB_OUT/swift-build.log)"; }
    TOOL_BIN=$(cd "$REPO_ROOT" && swift build -c release --show-bin-path)/sriov-preflight
    [[ -x $TOOL_BIN ]] || die "swift build produced no $TOOL_BIN"
  fi
  log "tool: $TOOL_BIN ($(du -h "$TOOL_BIN" | cut -f1))"
}

# ---------------------------------------------------------------------------------------------------
# initramfs: busybox init, the needed kernel modules with the kernel's module indexes, the kernel
# config, the tool with the libraries ldd lists, nvme-cli, the vfio probe
# ---------------------------------------------------------------------------------------------------
GUEST_MODULES=(qemu_fw_cfg virtio_blk virtio_pci igb igbvf e1000e nvme bonding vfio vfio-pci vfio_iommu_type1)
INITRD=

copy_with_libs() { # SRC DEST-IN-STAGE STAGE [LD_LIBRARY_PATH]
  local src=$1 dest=$2 stage=$3 lp=${4:-} lib to d
  install -D -m 0755 "$src" "$stage$dest"
  if head -c 4 "$src" | grep -q ELF && LD_LIBRARY_PATH=$lp ldd "$src" >/dev/null 2>&1; then
    while read -r lib; do
      [[ -n $lib && -e $lib ]] || continue
      to=$lib
      # libraries found through LD_LIBRARY_PATH (unpacked packages) go where the guest's loader looks
      for d in ${lp//:/ }; do
        [[ $lib == "$d"/* ]] && to=/usr/lib/x86_64-linux-gnu/$(basename "$lib")
      done
      [[ -e $stage$to ]] || install -D -m 0755 "$(readlink -f "$lib")" "$stage$to"
    done < <(LD_LIBRARY_PATH=$lp ldd "$src" | awk '/=> \// { print $3 } /^[[:space:]]*\// { print $1 }')
  fi
}

module_closure() { # print the modules.dep paths of GUEST_MODULES and their dependencies
  local mdir=$KDIR/lib/modules/$KREL
  awk -v want="${GUEST_MODULES[*]}" '
    BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) { gsub(/-/, "_", w[i]); wanted[w[i]] = 1 } }
    { key = $1; sub(/:$/, "", key); deps[key] = $0; sub(/^[^:]*:[[:space:]]*/, "", deps[key])
      m = key; sub(/.*\//, "", m); sub(/\.ko.*/, "", m); gsub(/-/, "_", m); path[m] = key }
    END {
      for (m in wanted) if (m in path) { print path[m]; k = split(deps[path[m]], d, " "); for (i = 1; i <= k; i++) print d[i] }
    }' "$mdir/modules.dep" | sort -u
}

build_initramfs() {
  local stage=$LAB_OUT/initramfs t0 a mdir
  t0=$(now)
  rm -rf "$stage"; mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,boot,root,var/log}
  install -m 0755 "$BUSYBOX" "$stage/bin/busybox"
  while read -r a; do
    [[ $a == bin/busybox || -e $stage/$a ]] && continue
    mkdir -p "$stage/$(dirname "$a")"; ln -s /bin/busybox "$stage/$a"
  done < <("$BUSYBOX" --list-full)
  install -m 0755 "$LAB_DIR/lib/guest-init.sh" "$stage/init"
  mdir=lib/modules/$KREL
  mkdir -p "$stage/$mdir"
  cp "$KDIR/$mdir"/modules.* "$stage/$mdir/"
  while read -r a; do install -D -m 0644 "$KDIR/$mdir/$a" "$stage/$mdir/$a"; done < <(module_closure)
  cp "$KDIR/boot/config-$KREL" "$stage/boot/"
  cp "$(readlink -f /etc/os-release)" "$stage/etc/os-release"
  # a Debian guest: the fixes regenerate the boot loader configuration with update-grub there. The lab boots
  # the kernel directly (no boot loader, no /boot/grub): update-grub is a stub that succeeds, and the new
  # kernel arguments reach the next boot through reboot-with-grub-cmdline (lab.sh reads /etc/default/grub).
  if [[ -r /etc/debian_version ]]; then cp /etc/debian_version "$stage/etc/debian_version"; else echo 12.0 >"$stage/etc/debian_version"; fi
  printf '%s\n' '#!/bin/sh' \
    '# lab stub: the lab boots the kernel directly, there is no boot loader to regenerate' \
    'echo "update-grub (lab stub): nothing to regenerate; the lab boots with GRUB_CMDLINE_LINUX of /etc/default/grub"' \
    'exit 0' >"$stage/usr/sbin/update-grub"
  chmod 0755 "$stage/usr/sbin/update-grub"
  # the PCI name database, as on a host with pciutils (libpci reads it at run time)
  local ids
  for ids in /usr/share/misc/pci.ids /usr/share/hwdata/pci.ids; do
    [[ -f $ids ]] && install -D -m 0644 "$ids" "$stage$ids"
  done
  copy_with_libs "$NVME_ROOT/usr/sbin/nvme" /usr/sbin/nvme "$stage" "$(nvme_libpath)"
  if command -v cc >/dev/null; then
    if cc -static -Os -o "$LAB_OUT/vfio-probe" "$LAB_DIR/lib/vfio-probe.c" 2>"$LAB_OUT/vfio-probe.build.log"; then
      install -D -m 0755 "$LAB_OUT/vfio-probe" "$stage/usr/local/libexec/lab/vfio-probe"
    else
      log "note: vfio-probe did not build (no static libc?): the vfio attach evidence is skipped"
    fi
  else
    log "note: no C compiler: the vfio attach evidence (vfio-probe) is skipped"
  fi
  if [[ -n $TOOL_BIN ]]; then
    copy_with_libs "$TOOL_BIN" /usr/local/bin/sriov-preflight "$stage"
    # debug info only costs guest memory and boot time
    if command -v strip >/dev/null; then strip --strip-unneeded "$stage/usr/local/bin/sriov-preflight" 2>/dev/null || true; fi
  fi
  INITRD=$LAB_OUT/initramfs.cpio
  (cd "$stage" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) >"$INITRD"
  log "initramfs: $(du -h "$INITRD" | cut -f1) uncompressed ($(find "$stage" | wc -l) entries) in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------------
# Variants: variants/<name>.conf (KEY=VALUE lines, see README.md) and variants/<name>.expected
# ---------------------------------------------------------------------------------------------------
list_variants() {
  local f
  for f in "$VARIANTS_DIR"/*.conf; do basename "$f" .conf; done
}

declare -A V
load_variant() { # NAME -> V[...]
  local name=$1 file=$VARIANTS_DIR/$1.conf key val
  [[ -r $file ]] || die "unknown variant '$name' (no $file)"
  V=([NAME]=$name [DESCRIPTION]='' [QEMU]=10 [MACHINE]=q35 [CPU]=max [SMP]=2 [MEM]=1024 [IOMMU]=none
    [CMDLINE]='' [GRUB_CMDLINE_LINUX]='' [GRUB_CMDLINE_LINUX_DEFAULT]=quiet [DEVICES]='' [NUMVFS]=0 [VF_MODULES]=''
    [VFIO]=none [BONDS]='' [SKIP_MODULES]='' [MODPROBE_D]='' [LINKUP]=1 [AFTER_CHECK]='' [TIMEOUT]=180
    [ACPI_OVERRIDE]='')
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%%[[:space:]]#*}
    [[ $line =~ ^[[:space:]]*$ || $line =~ ^[[:space:]]*# ]] && continue
    [[ $line =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]] || die "$file: cannot parse: $line"
    key=${BASH_REMATCH[1]}; val=${BASH_REMATCH[2]}
    val=${val%"${val##*[![:space:]]}"}
    [[ -v V[$key] ]] || die "$file: unknown key $key"
    case $key in
      MODPROBE_D|AFTER_CHECK) V[$key]=${V[$key]:+${V[$key]};}$val ;;
      *) V[$key]=$val ;;
    esac
  done <"$file"
}

# ACPI_OVERRIDE=SIG@OFFSET|=VALUE (e.g. DMAR@37|=0x02: the DMAR's X2APIC_OPT_OUT flag). The base table is QEMU 10's
# own, as the intel-igb-ready capture holds it (same OEM ids, which the kernel's table upgrade matches on); the
# OEM revision is raised by one and the checksum made right again. Writes DIR/SIG.aml and DIR/override.cpio.
acpi_override_cpio() { # SPEC DIR
  local spec=$1 dir=$2 sig off val base b i sum=0 out=''
  [[ $spec =~ ^([A-Z0-9]{4})@([0-9]+)\|=(0x[0-9a-fA-F]+|[0-9]+)$ ]] || { log "ACPI_OVERRIDE: cannot parse '$spec' (SIG@OFFSET|=VALUE)"; return 1; }
  sig=${BASH_REMATCH[1]}; off=${BASH_REMATCH[2]}; val=$((BASH_REMATCH[3]))
  base=$LAB_DIR/../Fixtures/hosts/intel-igb-ready/sys/firmware/acpi/tables/$sig
  [[ -r $base ]] || { log "ACPI_OVERRIDE: no base table $base"; return 1; }
  read -ra b <<<"$(od -An -v -tu1 "$base" | tr -s ' \n' '  ')"
  (( off < ${#b[@]} )) || { log "ACPI_OVERRIDE: offset $off beyond the ${#b[@]}-byte $sig"; return 1; }
  b[off]=$(( b[off] | val ))
  b[24]=$(( (b[24] + 1) & 255 ))        # OEM revision
  b[9]=0
  for i in "${b[@]}"; do sum=$(( (sum + i) & 255 )); done
  b[9]=$(( (256 - sum) & 255 ))
  rm -rf "$dir"; mkdir -p "$dir/tree/kernel/firmware/acpi"
  for i in "${b[@]}"; do out+=$(printf '\\%03o' "$i"); done
  printf "$out" >"$dir/tree/kernel/firmware/acpi/$sig.aml"
  cp "$dir/tree/kernel/firmware/acpi/$sig.aml" "$dir/$sig.aml"
  (cd "$dir/tree" && find kernel | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$dir/override.cpio"
}

driver_of_device() {
  case $1 in igb) echo igb ;; e1000e) echo e1000e ;; nvme) echo nvme ;; *) echo "" ;; esac
}
vf_driver_of_device() {
  case $1 in igb) echo igbvf ;; *) echo "" ;; esac
}
in_list() { local x=$1; shift; local y; for y in "$@"; do [[ $x == "$y" ]] && return 0; done; return 1; }

qemu_binary_for() { # QEMU version key -> command (array via QEMU_CMD)
  case $1 in
    10) QEMU_CMD=(env "LD_LIBRARY_PATH=$(qemu10_libpath)" "$QEMU10" -L "$QEMU10_DIR/usr/share/qemu" -L "$QEMU10_DIR/usr/share/seabios") ;;
    7.2|system) QEMU_CMD=(qemu-system-x86_64) ;;
    *) die "unknown QEMU=$1 (use 10 or 7.2)" ;;
  esac
}

# write the guest configuration and the QEMU command line for variant V into DIR
prepare_variant() {
  local dir=$1 devs skip mods=() vfmods=() d m port=0 mac=16 iommu=${V[IOMMU]}
  read -ra devs <<<"${V[DEVICES]}"
  read -ra skip <<<"${V[SKIP_MODULES]}"
  for d in "${devs[@]}"; do
    m=$(driver_of_device "$d"); [[ -n $m ]] && ! in_list "$m" "${mods[@]}" "${skip[@]}" && mods+=("$m")
    m=$(vf_driver_of_device "$d"); [[ -n $m ]] && ! in_list "$m" "${vfmods[@]}" "${skip[@]}" && vfmods+=("$m")
  done
  [[ -n ${V[VF_MODULES]} ]] && read -ra vfmods <<<"${V[VF_MODULES]}"
  local vfio_mods=()
  for m in vfio_iommu_type1 vfio-pci; do in_list "$m" "${skip[@]}" || vfio_mods+=("$m"); done
  {
    echo "LAB_VARIANT=${V[NAME]}"
    echo "LAB_GRUB_CMDLINE_LINUX=${V[GRUB_CMDLINE_LINUX]}"
    echo "LAB_GRUB_CMDLINE_LINUX_DEFAULT=${V[GRUB_CMDLINE_LINUX_DEFAULT]}"
    echo "LAB_MODULES=${mods[*]}"
    echo "LAB_SKIP_MODULES=${V[SKIP_MODULES]}"
    echo "LAB_VF_MODULES=${vfmods[*]}"
    echo "LAB_VFIO_MODULES=${vfio_mods[*]}"
    echo "LAB_NUMVFS=${V[NUMVFS]}"
    echo "LAB_VFIO=${V[VFIO]}"
    echo "LAB_BONDS=${V[BONDS]}"
    echo "LAB_MODPROBE_D=${V[MODPROBE_D]}"
    echo "LAB_LINKUP=${V[LINKUP]}"
    echo "LAB_AFTER_CHECK=${V[AFTER_CHECK]}"
    echo "LAB_RUN_TOOL=$([[ -n $TOOL_BIN ]] && echo 1 || echo 0)"
    echo "LAB_SHELL=$LAB_SHELL"
  } >"$dir/guest-config.txt"

  qemu_binary_for "${V[QEMU]}"
  local cmdline="console=ttyS0 panic=-1${V[CMDLINE]:+ ${V[CMDLINE]}}" initrd=$INITRD
  if [[ -n ${V[ACPI_OVERRIDE]} ]]; then
    # The kernel's ACPI table upgrade (CONFIG_ACPI_TABLE_UPGRADE): an uncompressed cpio with
    # kernel/firmware/acpi/SIG.aml ahead of the initramfs replaces QEMU's table of the same OEM ids.
    acpi_override_cpio "${V[ACPI_OVERRIDE]}" "$dir/acpi-override" || die "${V[NAME]}: ACPI_OVERRIDE=${V[ACPI_OVERRIDE]} failed"
    cat "$dir/acpi-override/override.cpio" "$INITRD" >"$dir/initrd.cpio"
    initrd=$dir/initrd.cpio
  fi
  QEMU_ARGS=(-machine "${V[MACHINE]}" -accel "${LAB_ACCEL:-tcg}" -cpu "${V[CPU]}" -smp "${V[SMP]}" -m "${V[MEM]}"
    -nodefaults -no-reboot -display none -kernel "$KDIR/boot/vmlinuz-$KREL" -initrd "$initrd" -append "$cmdline"
    -fw_cfg "name=opt/lab/config,file=$dir/guest-config.txt")
  [[ -n ${GRUB_FILE:-} ]] && QEMU_ARGS+=(-fw_cfg "name=opt/lab/grub,file=$GRUB_FILE")
  if [[ $LAB_SHELL == 1 ]]; then QEMU_ARGS+=(-serial mon:stdio); else QEMU_ARGS+=(-serial "file:$dir/console.log" -monitor none); fi
  [[ $iommu != none ]] && QEMU_ARGS+=(-device "$iommu")
  for d in "${devs[@]}"; do
    port=$((port + 1))
    QEMU_ARGS+=(-device "pcie-root-port,id=rp$port,chassis=$port,slot=$port")
    case $d in
      igb|e1000e)
        QEMU_ARGS+=(-netdev "hubport,id=net$port,hubid=$port"
          -device "$d,netdev=net$port,bus=rp$port,mac=52:54:00:12:34:$(printf %02x $((mac++))),romfile=") ;;
      nvme)
        QEMU_ARGS+=(-device "nvme-subsys,id=subsys$port,nqn=lab-subsys$port"
          -device "nvme,serial=labnvme$port,subsys=subsys$port,bus=rp$port,sriov_max_vfs=4,sriov_vq_flexible=8,sriov_vi_flexible=4,max_ioqpairs=12,msix_qsize=16") ;;
      *) die "${V[NAME]}: unknown device '$d' (igb, e1000e, nvme)" ;;
    esac
  done
  port=$((port + 1))
  truncate -s 64M "$dir/out.img"
  QEMU_ARGS+=(-device "pcie-root-port,id=rp$port,chassis=$port,slot=$port"
    -drive "file=$dir/out.img,if=none,format=raw,id=outdisk"
    -device "virtio-blk-pci,drive=outdisk,serial=labout,bus=rp$port")
}

# boot variant V once into DIR (guest config, QEMU command line, console, guest/ output, run-info.txt)
boot_guest() { # DIR LABEL
  local dir=$1 label=$2 t0 rc tmo status=ok
  rm -rf "$dir"; mkdir -p "$dir"
  prepare_variant "$dir"
  tmo=${LAB_TIMEOUT:-${V[TIMEOUT]}}
  printf '%q ' "${QEMU_CMD[@]}" "${QEMU_ARGS[@]}" >"$dir/qemu-cmdline.txt"; echo >>"$dir/qemu-cmdline.txt"
  t0=$(now)
  log "$label: booting (QEMU ${V[QEMU]}, ${V[IOMMU]}, time-out ${tmo}s)"
  set +e
  if [[ $LAB_SHELL == 1 ]]; then
    "${QEMU_CMD[@]}" "${QEMU_ARGS[@]}"
  else
    timeout -k 10 "$tmo" "${QEMU_CMD[@]}" "${QEMU_ARGS[@]}" </dev/null >"$dir/qemu.log" 2>&1
  fi
  rc=$?
  set -e
  local wall; wall=$(elapsed "$t0")
  mkdir -p "$dir/guest"
  if ! tar -xf "$dir/out.img" -C "$dir/guest" 2>"$dir/untar.log"; then status=no-output; fi
  if ((rc == 124 || rc == 137)); then status=timeout
  elif ((rc != 0)); then status=qemu-failed
  elif [[ ! -s $dir/guest/lab/guest-init.log ]]; then status=no-output
  fi
  rm -f "$dir/out.img"
  {
    echo "variant=${V[NAME]}"
    echo "status=$status"
    echo "qemu_rc=$rc"
    echo "wall_seconds=$wall"
    echo "qemu=$("${QEMU_CMD[@]}" --version | head -n1)"
    echo "kernel=$KREL"
    echo "iommu_device=${V[IOMMU]}"
    echo "kernel_cmdline=console=ttyS0 panic=-1${V[CMDLINE]:+ ${V[CMDLINE]}}"
    echo "grub_cmdline_linux=${V[GRUB_CMDLINE_LINUX]}"
    echo "devices=${V[DEVICES]}"
    echo "capture_bytes=$(du -sb "$dir/guest/root" 2>/dev/null | cut -f1)"
    echo "capture_files=$(find "$dir/guest/root" 2>/dev/null | wc -l)"
  } >"$dir/run-info.txt"
  log "$label: $status in ${wall}s (qemu rc=$rc)"
  if [[ $status != ok ]]; then
    log "$label: last console lines:"; tail -n 15 "$dir/console.log" 2>/dev/null | sed 's/^/    /' >&2 || true
    tail -n 5 "$dir/qemu.log" 2>/dev/null | sed 's/^/    qemu: /' >&2 || true
  fi
  [[ $status == ok ]]
}

# GRUB_CMDLINE_LINUX="..." (the last assignment) of a /etc/default/grub, quotes removed
grub_cmdline_linux() { # FILE
  awk '/^[[:space:]]*GRUB_CMDLINE_LINUX=/ { v = $0 } END {
      sub(/^[[:space:]]*GRUB_CMDLINE_LINUX=/, "", v)
      if (v ~ /^".*"$/ || v ~ /^\047.*\047$/) v = substr(v, 2, length(v) - 2)
      print v }' "$1"
}

# boot one variant; results in $LAB_OUT/runs/<name>/. With the after-check action reboot-with-grub-cmdline
# the variant boots a second time (results in runs/<name>/reboot/): kernel arguments = GRUB_CMDLINE_LINUX of
# the /etc/default/grub the first boot left (after its fixes), that file given to the guest as it was, and
# no after-check actions.
run_variant() {
  local name=$1 dir grub cmdline
  load_variant "$name"
  dir=$LAB_OUT/runs/$name
  GRUB_FILE=
  boot_guest "$dir" "$name" || return 0
  [[ ";${V[AFTER_CHECK]};" == *";reboot-with-grub-cmdline;"* ]] || return 0
  grub=$dir/guest/lab/grub-after-check   # /etc/default/grub after the after-check actions
  if [[ ! -s $grub ]]; then
    mkdir -p "$dir/reboot"; echo "status=no-grub" >"$dir/reboot/run-info.txt"
    log "$name: reboot-with-grub-cmdline: the guest wrote no lab/grub-after-check"; return 0
  fi
  cmdline=$(grub_cmdline_linux "$grub")
  cp "$grub" "$dir/grub-for-reboot"
  V[CMDLINE]=$cmdline
  V[AFTER_CHECK]=''
  GRUB_FILE=$dir/grub-for-reboot
  log "$name: reboot with GRUB_CMDLINE_LINUX of the guest's /etc/default/grub: '$cmdline'"
  boot_guest "$dir/reboot" "$name (reboot)" || true
  GRUB_FILE=
}

# ---------------------------------------------------------------------------------------------------
# Comparison with the hand-written expectations
#   variants/<name>.expected: "check-id<TAB>object<TAB>allowed/statuses" lines; # comments
# Rows: variant check object expected got verdict
#   ok        the check is implemented and its status is one of the allowed ones
#   MISMATCH  implemented, status not allowed          (fails the lab)
#   MISSING   implemented, no result for that object   (fails the lab)
#   n/i       the check is not in the catalog (`list`) yet
#   extra     a result the .expected file does not mention (shown only)
#   replay-diff  `check --root <captured root>` on the build host disagrees with the live guest (shown only:
#             the capture misses something the check reads)
# ---------------------------------------------------------------------------------------------------
compare_variant() {
  local name=$1 dir=$LAB_OUT/runs/$1 g exp=$VARIANTS_DIR/$1.expected status
  g=$dir/guest/lab
  status=$(sed -n 's/^status=//p' "$dir/run-info.txt" 2>/dev/null)
  : >"$dir/compare.tsv"
  if [[ $status != ok ]]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(guest)" "-" "boot+capture" "$status" FAILED >>"$dir/compare.tsv"
    return
  fi
  if [[ -z $TOOL_BIN ]]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(tool)" "-" "-" "not run (SRIOV_BIN=none)" "-" >>"$dir/compare.tsv"
    return
  fi
  local catalog=() results=""
  if [[ $(cat "$g/list.rc" 2>/dev/null) == 0 ]] && jq -e 'type == "array"' "$g/list.json" >/dev/null 2>&1; then
    mapfile -t catalog < <(jq -r '.[].id' "$g/list.json")
  else
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(list)" "-" "exit 0, JSON array" "rc=$(cat "$g/list.rc" 2>/dev/null)" FAILED >>"$dir/compare.tsv"
  fi
  local rc; rc=$(cat "$g/check.rc" 2>/dev/null || echo "?")
  if jq -e '.results | type == "array"' "$g/check.json" >/dev/null 2>&1; then
    results=$(jq -r '.results[] | [.id, (.object // "host"), .status] | @tsv' "$g/check.json")
  elif ((${#catalog[@]})); then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(check)" "-" "JSON report" "rc=$rc, no valid --output file" FAILED >>"$dir/compare.tsv"
  fi
  # exit code contract: 0 ready, 1 some check failed, 2 some check could not decide
  if [[ -n $results ]]; then
    local nfail nerr
    nfail=$(awk -F'\t' '$3 == "fail"' <<<"$results" | wc -l)
    nerr=$(awk -F'\t' '$3 == "error"' <<<"$results" | wc -l)
    if { ((nfail > 0)) && [[ $rc != 1 ]]; } || { ((nfail == 0 && nerr == 0)) && [[ $rc != 0 ]]; } ||
       { ((nfail == 0 && nerr > 0)) && [[ $rc != 2 ]]; }; then
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(exit code)" "-" "fail:1 error:2 else 0" "rc=$rc ($nfail fail, $nerr error)" MISMATCH >>"$dir/compare.tsv"
    fi
  fi
  # after-check rows (guest: lab/after-check.tsv), the verdicts of `check again` (lab/check-again.json) and of the
  # second boot (reboot-with-grub-cmdline), compared with the .expected rows "fix:<fix id>", "again:<check id>"
  # and "reboot:<check id>"
  local after="" rebooted="" again=""
  [[ -r $g/after-check.tsv ]] && after=$(cat "$g/after-check.tsv")
  if [[ -e $g/check-again.rc ]]; then
    if jq -e '.results | type == "array"' "$g/check-again.json" >/dev/null 2>&1; then
      again=$(jq -r '.results[] | ["again:" + .id, (.object // "host"), .status] | @tsv' "$g/check-again.json")
    else
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(check again)" "-" "JSON report" "rc=$(cat "$g/check-again.rc"), no valid --output file" FAILED >>"$dir/compare.tsv"
    fi
  fi
  if [[ -e $dir/reboot/run-info.txt ]]; then
    local rstatus rg=$dir/reboot/guest/lab
    rstatus=$(sed -n 's/^status=//p' "$dir/reboot/run-info.txt")
    if [[ $rstatus != ok ]]; then
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(reboot)" "-" "boot+capture" "${rstatus:-?}" FAILED >>"$dir/compare.tsv"
    elif jq -e '.results | type == "array"' "$rg/check.json" >/dev/null 2>&1; then
      rebooted=$(jq -r '.results[] | ["reboot:" + .id, (.object // "host"), .status] | @tsv' "$rg/check.json")
    else
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(reboot check)" "-" "JSON report" "rc=$(cat "$rg/check.rc" 2>/dev/null), no valid --output file" FAILED >>"$dir/compare.tsv"
    fi
  fi
  local id obj allowed got verdict
  declare -A seen=()
  if [[ ! -r $exp ]]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "(expected)" "-" "variants/$name.expected" "missing" FAILED >>"$dir/compare.tsv"
    exp=/dev/null
  fi
  while IFS=$'\t' read -r id obj allowed _ || [[ -n $id ]]; do
    [[ -z $id || $id == \#* ]] && continue
    seen["$id|$obj"]=1
    case $id in
      fix:*|reboot:*|again:*)
        local src=$after; [[ $id == reboot:* ]] && src=$rebooted; [[ $id == again:* ]] && src=$again
        got=$(awk -F'\t' -v i="$id" -v o="$obj" '$1 == i && $2 == o { print $3; exit }' <<<"$src")
        if [[ -z $got ]]; then verdict=MISSING; got="(no result)"
        elif [[ "/$allowed/" == *"/$got/"* ]]; then verdict=ok
        else verdict=MISMATCH
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$id" "$obj" "$allowed" "$got" "$verdict" >>"$dir/compare.tsv"
        continue ;;
    esac
    got=$(awk -F'\t' -v i="$id" -v o="$obj" '$1 == i && $2 == o { print $3; exit }' <<<"$results")
    if ! in_list "$id" "${catalog[@]}"; then
      verdict=n/i; got=${got:-"not implemented yet"}
    elif [[ -z $got ]]; then
      verdict=MISSING; got="(no result)"
    elif [[ "/$allowed/" == *"/$got/"* ]]; then
      verdict=ok
    else
      verdict=MISMATCH
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$id" "$obj" "$allowed" "$got" "$verdict" >>"$dir/compare.tsv"
  done < <(sed 's/\r$//' "$exp")
  while IFS=$'\t' read -r id obj got; do
    [[ -z $id || -n ${seen["$id|$obj"]:-} ]] && continue
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$id" "$obj" "-" "$got" extra >>"$dir/compare.tsv"
  done <<<"$results"
  while IFS=$'\t' read -r id obj got; do
    [[ -z $id || -n ${seen["$id|$obj"]:-} ]] && continue
    verdict=extra; [[ $got == "not implemented yet"* ]] && verdict=n/i
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$id" "$obj" "-" "$got" "$verdict" >>"$dir/compare.tsv"
  done <<<"$after"
  # replay: the same binary on the host against the captured root must say the same (shown, not failing)
  [[ -n $results ]] || return 0
  "$TOOL_BIN" check --root "$dir/guest/root" --format json --output "$dir/replay.json" >/dev/null 2>"$dir/replay.stderr" || true
  if [[ -s $dir/replay.json ]]; then
    local replay
    replay=$(jq -r '.results[] | [.id, (.object // "host"), .status] | @tsv' "$dir/replay.json" 2>/dev/null)
    while IFS=$'\t' read -r id obj got; do
      [[ -z $id ]] && continue
      local live
      live=$(awk -F'\t' -v i="$id" -v o="$obj" '$1 == i && $2 == o { print $3; exit }' <<<"$results")
      [[ $live == "$got" ]] && continue
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$id" "$obj" "live: ${live:-none}" "replay: $got" replay-diff >>"$dir/compare.tsv"
    done <<<"$replay"
  fi
}

print_report() { # VARIANT... : table, per-variant timing; returns 1 on any failure
  local v all=$LAB_OUT/report.tsv bad=0
  : >"$all"
  for v in "$@"; do cat "$LAB_OUT/runs/$v/compare.tsv" >>"$all" 2>/dev/null || true; done
  {
    printf '%-22s %-30s %-14s %-22s %-22s %s\n' VARIANT CHECK OBJECT EXPECTED GOT RESULT
    awk -F'\t' '{ printf "%-22s %-30s %-14s %-22s %-22s %s\n", $1, $2, $3, $4, $5, $6 }' "$all"
    echo
    printf '%-22s %-11s %8s %10s %7s %6s %6s %6s %6s\n' VARIANT STATUS WALL_S CAPTURE_KB FILES OK BAD N/I EXTRA
    for v in "$@"; do
      local info=$LAB_OUT/runs/$v/run-info.txt
      awk -F'\t' -v v="$v" '$1 == v { if ($6 == "ok") ok++; else if ($6 == "MISMATCH" || $6 == "MISSING" || $6 == "FAILED") bad++;
          else if ($6 == "n/i") ni++; else if ($6 == "extra") ex++ }
        END { printf "%d %d %d %d\n", ok, bad, ni, ex }' "$all" | {
        read -r ok nbad ni ex
        printf '%-22s %-11s %8s %10s %7s %6s %6s %6s %6s\n' "$v" "$(sed -n 's/^status=//p' "$info")$([[ -e ${info%/*}/reboot/run-info.txt ]] && echo +reboot)" \
          "$(cat "$info" "${info%/*}/reboot/run-info.txt" 2>/dev/null | awk -F= '$1 == "wall_seconds" { t += $2 } END { printf "%.1f", t }')" "$(( $(sed -n 's/^capture_bytes=//p' "$info" | sed 's/^$/0/') / 1024 ))" \
          "$(sed -n 's/^capture_files=//p' "$info")" "$ok" "$nbad" "$ni" "$ex"
      }
    done
  } | tee "$LAB_OUT/report.txt"
  if awk -F'\t' '$6 == "MISMATCH" || $6 == "MISSING" || $6 == "FAILED" { found = 1 } END { exit !found }' "$all"; then bad=1; fi
  return $bad
}

# ---------------------------------------------------------------------------------------------------
# Fixtures: the captured host root of a variant, as committed test data
# ---------------------------------------------------------------------------------------------------
write_fixture() {
  local name=$1 dir=$LAB_OUT/runs/$1 dest=$LAB_FIXTURES/$1 rel
  [[ $(sed -n 's/^status=//p' "$dir/run-info.txt") == ok && -d $dir/guest/root ]] ||
    { log "$name: no capture, fixture left as it was"; return 1; }
  load_variant "$name"
  rm -rf "$dest"; mkdir -p "$dest/_lab"
  cp -a "$dir/guest/root/." "$dest/"
  # keep fixtures small: the module indexes are cut to what SR-IOV/IOMMU checks look up
  # (LAB_FIXTURE_FULL=1 keeps them whole)
  local trimmed=""
  if [[ ${LAB_FIXTURE_FULL:-0} != 1 ]]; then
    local m=$dest/lib/modules/$KREL
    if [[ -f $m/modules.alias ]]; then
      grep -E '^(#|alias pci:)' "$m/modules.alias" >"$m/modules.alias.new" || true
      mv "$m/modules.alias.new" "$m/modules.alias"
    fi
    if [[ -f $m/modules.dep ]]; then
      grep -E '^kernel/(drivers/(vfio|net|nvme|pci|iommu)|virt)/' "$m/modules.dep" >"$m/modules.dep.new" || true
      mv "$m/modules.dep.new" "$m/modules.dep"
    fi
    trimmed=$'\n'"lib/modules/$KREL/modules.alias keeps only the 'alias pci:' lines and modules.dep only the modules under"
    trimmed+=$'\n'"kernel/drivers/{vfio,net,nvme,pci,iommu} and kernel/virt (the guest had the whole files)."
  fi
  for f in guest-init.log vfio-probe.txt capture-errors.txt; do
    [[ -f $dir/guest/lab/$f ]] && cp "$dir/guest/lab/$f" "$dest/_lab/"
  done
  grep -v -e '^capture_' -e '^status=' "$dir/run-info.txt" >"$dest/_lab/run-info.txt"
  sed "s#$LAB_CACHE#<lab-cache>#g; s#$LAB_OUT#<lab-out>#g" "$dir/qemu-cmdline.txt" >"$dest/_lab/qemu-cmdline.txt"
  rel=Tests/Lab/variants/$name.expected
  { echo "# copy of $rel (hand-written; the lab compares against that file)"; cat "$VARIANTS_DIR/$name.expected"; } >"$dest/EXPECTED.tsv"
  cat >"$dest/README.md" <<EOR
# $name

${V[DESCRIPTION]}

Host root captured by the virtual lab (\`bash Tests/Lab/lab.sh capture $name\`) inside a QEMU guest:
$(sed -n 's/^qemu=//p' "$dir/run-info.txt"), kernel $KREL, IOMMU device \`${V[IOMMU]}\`,
kernel command line \`$(sed -n 's/^kernel_cmdline=//p' "$dir/run-info.txt")\`,
/etc/default/grub GRUB_CMDLINE_LINUX \`${V[GRUB_CMDLINE_LINUX]}\`, devices \`${V[DEVICES]}\`.
How the guest was set up: \`Tests/Lab/variants/$name.conf\`; the guest's own log: \`_lab/guest-init.log\`.

Expected verdicts (written by hand from the configuration): \`$rel\`, copied as \`EXPECTED.tsv\`
(check id, object, allowed statuses separated by /).

Sysfs symlinks are real relative symlinks as sysfs has them; attributes that could not be read in the
guest are absent (listed in \`_lab/capture-errors.txt\`).$trimmed
EOR
  log "$name: fixture written to $dest ($(du -sh --apparent-size "$dest" | cut -f1), $(find "$dest" | wc -l) entries)"
}

# ---------------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------------
check_qemu_starts() {
  local need=() v q out
  for v in "$@"; do load_variant "$v"; in_list "${V[QEMU]}" "${need[@]}" || need+=("${V[QEMU]}"); done
  for q in "${need[@]}"; do
    qemu_binary_for "$q"
    if ! out=$("${QEMU_CMD[@]}" -machine q35 -accel "${LAB_ACCEL:-tcg}" -nodefaults -display none -S -monitor none \
        -device intel-iommu -serial none -no-reboot -daemonize -pidfile "$LAB_OUT/qemu-probe.pid" 2>&1); then
      printf '[lab] QEMU CANNOT START (QEMU %s: %s):\n%s\n' "$q" "${QEMU_CMD[*]}" "$out" >&2
      die "the lab cannot run without QEMU: failing"
    fi
    kill "$(cat "$LAB_OUT/qemu-probe.pid")" 2>/dev/null || true
    rm -f "$LAB_OUT/qemu-probe.pid"
  done
}

main() {
  local cmd=${1:-run} variants=() v t0 rc=0 running=0
  shift || true
  case $cmd in
    list) for v in $(list_variants); do load_variant "$v"; printf '%-22s %s\n' "$v" "${V[DESCRIPTION]}"; done; return ;;
    clean) rm -rf "$LAB_OUT/runs" "$LAB_OUT/initramfs" "$LAB_OUT/initramfs.cpio"; return ;;
    run|capture|fetch) ;;
    -h|--help|help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; return ;;
    *) die "unknown command '$cmd' (run, capture, list, fetch, clean)" ;;
  esac
  ((LAB_JOBS >= 1 && LAB_JOBS <= 2)) || die "LAB_JOBS must be 1 or 2"
  [[ $LAB_SHELL == 1 ]] && LAB_JOBS=1
  mkdir -p "$LAB_OUT"
  t0=$(now)
  ensure_host_tools
  fetch_all
  [[ $cmd == fetch ]] && return
  if (($#)); then variants=("$@"); else mapfile -t variants < <(list_variants); fi
  for v in "${variants[@]}"; do [[ -r $VARIANTS_DIR/$v.conf ]] || die "unknown variant '$v' (lab.sh list)"; done
  resolve_binary
  build_initramfs
  check_qemu_starts "${variants[@]}"
  for v in "${variants[@]}"; do
    if ((LAB_JOBS > 1)); then
      ((running >= LAB_JOBS)) && { wait -n || true; running=$((running - 1)); }
      run_variant "$v" &
      running=$((running + 1))
    else
      run_variant "$v"
    fi
  done
  wait
  for v in "${variants[@]}"; do compare_variant "$v"; done
  echo
  print_report "${variants[@]}" || rc=1
  if [[ $cmd == capture ]]; then
    for v in "${variants[@]}"; do write_fixture "$v" || rc=1; done
  fi
  log "total wall time $(elapsed "$t0") s for ${#variants[@]} variant(s), LAB_JOBS=$LAB_JOBS"
  if ((rc)); then log "RESULT: FAILED (see the table above; details in $LAB_OUT/runs/<variant>/)"; else log "RESULT: all variants as expected"; fi
  return $rc
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
