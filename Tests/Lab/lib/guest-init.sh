#!/bin/sh
# /init of the lab guests (busybox sh). Reads the variant's settings from fw_cfg (opt/lab/config), sets
# up the emulated hardware the way an administrator would (drivers, VFs, vfio binding, bonds), runs
# sriov-preflight against the live system, takes a copy of the host root and writes everything as a tar
# stream onto the output disk (virtio-blk, serial "labout"), then powers off.
# shellcheck shell=sh disable=SC3037,SC3045
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /run /var/log
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run

OUT=/lab-out              # everything that leaves the guest
LAB=$OUT/lab              # lab material (logs, tool output)
ROOT=$OUT/root            # the captured host root
mkdir -p "$LAB" "$ROOT"
KREL=$(uname -r)

up() { read -r u _ </proc/uptime; echo "$u"; }
say() { echo "[$(up)] $*" | tee -a "$LAB/guest-init.log"; }
run() { say "+ $*"; "$@" >>"$LAB/guest-init.log" 2>&1; }
wr() { # wr VALUE FILE: write a sysfs attribute, log failures
  if ! echo "$1" 2>>"$LAB/guest-init.log" >"$2"; then say "write '$1' > $2: failed"; return 1; fi
}

finish() {
  say "capture done; writing output"
  dev=
  for b in /sys/block/vd*; do
    [ -e "$b/serial" ] && [ "$(cat "$b/serial")" = labout ] && dev=/dev/${b##*/}
  done
  if [ -z "$dev" ]; then
    say "no output disk (serial labout) found"
  else
    tar -cf "$dev" -C "$OUT" . 2>>"$LAB/guest-init.log" && sync
  fi
  if [ "${LAB_SHELL:-0}" = 1 ]; then
    echo "LAB_SHELL=1: shell on the console; exit to power off"
    setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'
  fi
  echo "LAB: guest done"
  poweroff -f
}

say "init start (kernel $KREL)"
modprobe qemu_fw_cfg 2>/dev/null
CFG=/sys/firmware/qemu_fw_cfg/by_name/opt/lab/config/raw
if [ ! -r "$CFG" ]; then
  say "no lab configuration in fw_cfg (opt/lab/config)"
  modprobe virtio_pci 2>/dev/null; modprobe virtio_blk 2>/dev/null
  finish
fi
while IFS= read -r line; do
  case $line in
    LAB_[A-Z0-9_]*=*) k=${line%%=*}; v=${line#*=}; eval "$k=\$v" ;;
  esac
done <"$CFG"
cp "$CFG" "$LAB/config.txt"
say "variant ${LAB_VARIANT:-?}"
# loopback up, as on every host: swift-corelibs-foundation's CFSocket wakes its run loop through a UDP socket
# pair on 127.0.0.1, and Process (the fixes' runtime commands, e.g. update-grub) can hang without it
{
  modprobe virtio_pci
  modprobe virtio_blk
  ip link set lo up
} 2>>"$LAB/guest-init.log"

# ---- files an administrator would have: /etc/default/grub, /etc/modprobe.d ----------------------------
mkdir -p /etc/default /etc/modprobe.d
{
  echo "# If you change this file, run 'update-grub' afterwards to update"
  echo "# /boot/grub/grub.cfg."
  echo
  echo "GRUB_DEFAULT=0"
  echo "GRUB_TIMEOUT=5"
  echo "GRUB_DISTRIBUTOR=\`lsb_release -i -s 2> /dev/null || echo Debian\`"
  echo "GRUB_CMDLINE_LINUX_DEFAULT=\"${LAB_GRUB_CMDLINE_LINUX_DEFAULT:-quiet}\""
  echo "GRUB_CMDLINE_LINUX=\"${LAB_GRUB_CMDLINE_LINUX:-}\""
} >/etc/default/grub
# a second boot (reboot-with-grub-cmdline) gets the first boot's /etc/default/grub byte for byte
GRUB_CFG=/sys/firmware/qemu_fw_cfg/by_name/opt/lab/grub/raw
if [ -r "$GRUB_CFG" ]; then
  cp "$GRUB_CFG" /etc/default/grub && say "/etc/default/grub: the previous boot's file (fw_cfg opt/lab/grub)"
fi
if [ -n "${LAB_MODPROBE_D:-}" ]; then
  echo "$LAB_MODPROBE_D" | tr ';' '\n' | sed 's/^ *//' >/etc/modprobe.d/lab.conf
fi

# ---- drivers ---------------------------------------------------------------------------------------------
for m in ${LAB_MODULES:-}; do run modprobe "$m"; done
[ -n "${LAB_SKIP_MODULES:-}" ] && say "not loaded (variant): $LAB_SKIP_MODULES"

netdev_of() { # PCI address -> first netdev name
  for n in /sys/bus/pci/devices/"$1"/net/*; do [ -e "$n" ] && { echo "${n##*/}"; return; }; done
}
numvfs_for() { # PCI address -> wanted VF count from LAB_NUMVFS ("N" or "ADDR=N ADDR=N")
  case ${LAB_NUMVFS:-0} in
    *=*) for e in $LAB_NUMVFS; do [ "${e%%=*}" = "$1" ] && { echo "${e#*=}"; return; }; done; echo 0 ;;
    *) echo "${LAB_NUMVFS:-0}" ;;
  esac
}
is_vfio_target() { # VF address, index, count -> wanted on vfio-pci?
  case ${LAB_VFIO:-none} in
    none|"") return 1 ;;
    last) [ "$2" -eq "$3" ] && [ "$3" -gt 1 ] ;;
    all) return 0 ;;
    *) for a in $LAB_VFIO; do [ "$a" = "$1" ] && return 0; done; return 1 ;;
  esac
}

# ---- SR-IOV: enable VFs on every PF that has a driver ----------------------------------------------------
PFS=
for d in /sys/bus/pci/devices/*; do
  [ -r "$d/sriov_totalvfs" ] || continue
  PFS="$PFS ${d##*/}"
done
say "SR-IOV PFs:$PFS"
[ -n "${LAB_VF_MODULES:-}" ] && for m in $LAB_VF_MODULES; do run modprobe "$m"; done
VFIO_VFS=
probe=
for pf in $PFS; do
  d=/sys/bus/pci/devices/$pf
  want=$(numvfs_for "$pf")
  drv=none; [ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
  say "PF $pf: driver=$drv totalvfs=$(cat "$d/sriov_totalvfs") numvfs wanted=$want"
  [ "$want" -gt 0 ] || continue
  isnvme=0; [ "$drv" = nvme ] && isnvme=1
  [ $isnvme = 1 ] && wr 0 "$d/sriov_drivers_autoprobe"
  wr "$want" "$d/sriov_numvfs" && say "$pf sriov_numvfs <- $want: now $(cat "$d/sriov_numvfs")"
  i=0
  for v in "$d"/virtfn*; do
    [ -e "$v" ] || continue
    i=$((i + 1))
    vf=$(basename "$(readlink "$v")")
    if is_vfio_target "$vf" "$i" "$want"; then
      VFIO_VFS="$VFIO_VFS $vf"
    elif [ $isnvme = 1 ]; then
      # QEMU nvme VFs start offline: give the secondary controller queue/interrupt resources and put
      # it online (nvme-cli virt-mgmt), then let the nvme driver probe it
      ctrl=
      for c in "$d"/nvme/nvme*; do [ -e "$c" ] && { ctrl=${c##*/}; break; }; done
      # QEMU numbers the secondary controllers like the VFs (SCID n <-> VFN n)
      [ $i = 1 ] && run nvme list-secondary "/dev/$ctrl"
      scid=$i
      run nvme virt-mgmt "/dev/$ctrl" -c "$scid" -r 0 -a 8 -n 2
      run nvme virt-mgmt "/dev/$ctrl" -c "$scid" -r 1 -a 8 -n 1
      run nvme virt-mgmt "/dev/$ctrl" -c "$scid" -a 9
      probe="$probe $vf"
    fi
  done
  if [ $isnvme = 1 ]; then
    # VFs probe only with autoprobe on (or a driver_override)
    wr 1 "$d/sriov_drivers_autoprobe"
    for vf in $probe; do wr "$vf" /sys/bus/pci/drivers_probe; done
    probe=
  fi
  for v in "$d"/virtfn*; do
    [ -e "$v" ] || continue
    vf=$(basename "$(readlink "$v")")
    vd=none; [ -e "$v/driver" ] && vd=$(basename "$(readlink "$v/driver")")
    say "VF $vf of $pf: driver=$vd"
  done
done

# ---- vfio ------------------------------------------------------------------------------------------------
for m in ${LAB_VFIO_MODULES:-}; do run modprobe "$m"; done
p=/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts
[ -r $p ] && say "vfio_iommu_type1 allow_unsafe_interrupts=$(cat $p)"
for vf in $VFIO_VFS; do
  d=/sys/bus/pci/devices/$vf
  wr vfio-pci "$d/driver_override"
  [ -e "$d/driver" ] && wr "$vf" "$d/driver/unbind"
  wr "$vf" /sys/bus/pci/drivers_probe
  vd=none; [ -e "$d/driver" ] && vd=$(basename "$(readlink "$d/driver")")
  grp=none; [ -e "$d/iommu_group" ] && grp=$(basename "$(readlink "$d/iommu_group")")
  say "VF $vf -> vfio-pci: driver=$vd iommu_group=$grp"
  if [ "$vd" = vfio-pci ] && [ "$grp" != none ] && [ -x /usr/local/libexec/lab/vfio-probe ]; then
    r=$(/usr/local/libexec/lab/vfio-probe "$grp" 2>&1)
    echo "$r" >>"$LAB/vfio-probe.txt"
    say "vfio-probe group $grp: $(echo "$r" | tr '\n' ' ')"
  fi
done

# ---- bonds: NAME:MODE:PCIADDR,PCIADDR ---------------------------------------------------------------------
if [ -n "${LAB_BONDS:-}" ]; then
  run modprobe bonding max_bonds=0
  for spec in $LAB_BONDS; do
    name=${spec%%:*}; rest=${spec#*:}; mode=${rest%%:*}; members=${rest#*:}
    wr "+$name" /sys/class/net/bonding_masters
    wr "$mode" "/sys/class/net/$name/bonding/mode"
    wr 100 "/sys/class/net/$name/bonding/miimon"
    for a in $(echo "$members" | tr ',' ' '); do
      n=$(netdev_of "$a")
      if [ -z "$n" ]; then say "bond $name: $a has no netdev"; continue; fi
      ip link set "$n" down
      wr "+$n" "/sys/class/net/$name/bonding/slaves"
    done
    ip link set "$name" up
  done
fi

# ---- links up (PF and plain NIC netdevs; VF netdevs stay down as on a host that hands them out) ----------
if [ "${LAB_LINKUP:-1}" = 1 ]; then
  for n in /sys/class/net/*; do
    [ -e "$n/device" ] || continue
    [ -e "$n/device/physfn" ] && continue
    ip link set "${n##*/}" up 2>/dev/null
  done
  i=0
  while [ $i -lt 30 ]; do
    pending=0
    for n in /sys/class/net/*; do
      if [ ! -e "$n/device" ] || [ -e "$n/device/physfn" ]; then continue; fi
      [ "$(cat "$n/carrier" 2>/dev/null)" = 1 ] || pending=1
    done
    [ $pending = 0 ] && break
    sleep 0.2; i=$((i + 1))
  done
fi
s=
for n in /sys/class/net/*; do
  [ -d "$n" ] || continue
  s="$s ${n##*/}=$(cat "$n/operstate" 2>/dev/null)/$(cat "$n/carrier" 2>/dev/null)"
done
say "links:$s"

# ---- the tool ------------------------------------------------------------------------------------------
TOOL=/usr/local/bin/sriov-preflight
if [ "${LAB_RUN_TOOL:-1}" = 1 ] && [ -x $TOOL ]; then
  t0=$(up)
  timeout 120 $TOOL list --format json >"$LAB/list.json" 2>"$LAB/list.stderr"
  echo $? >"$LAB/list.rc"
  timeout 120 $TOOL check --format json --output "$LAB/check.json" >"$LAB/check.stdout" 2>"$LAB/check.stderr"
  echo $? >"$LAB/check.rc"
  say "sriov-preflight: list rc=$(cat "$LAB/list.rc") check rc=$(cat "$LAB/check.rc") ($(awk -v a="$t0" -v b="$(up)" 'BEGIN { printf "%.2f", b - a }') s)"
else
  say "sriov-preflight: not run"
fi

# ---- after-check actions --------------------------------------------------------------------------------
# LAB_AFTER_CHECK is a ';'-separated list of actions, run in order after the check. Each writes one result
# row "GROUP<TAB>OBJECT<TAB>RESULT" to lab/after-check.tsv; the host compares the rows with the
# "fix:..." rows of the variant's .expected. GROUP is "fix:<fix id>" of the last `fix` action; OBJECT is
# the action's verb, or its label when written VERB@LABEL. Actions:
#   fix ARGS...              sriov-preflight fix ARGS (result: applied, nothing to change, undone, refused, rc=N)
#   param MODULE PARAM       the value of /sys/module/MODULE/parameters/PARAM (or absent)
#   file-has PATH LINE...    PATH has the line LINE... (has line, no line, absent)
#   file-gone PATH           PATH does not exist (gone, present)
#   reload MODULE            rmmod MODULE; modprobe MODULE (busybox modprobe reads /etc/modprobe.d) (ok, rmmod failed, modprobe failed)
#   vfio-open-group          rebind each vfio target VF to vfio-pci and attach its group with vfio-probe (vfio ok,
#                            else the failing probe line)
#   attr PATH                the first line of a sysfs attribute (or absent)
#   modprobe MODULE...       load modules, e.g. a PF driver the variant left out (ok, modprobe failed)
#   rmmod MODULE...          unload them again, so the capture shows the host as the check saw it (ok, rmmod failed)
#   check again              the whole check once more, written to lab/check-again.json; lab.sh compares its
#                            verdicts with the "again:<check id>" rows of the .expected file (no row here)
#   anything else            a row "not implemented yet" (reported as n/i, does not fail)
#   reboot-with-grub-cmdline the host boots the variant again with the captured /etc/default/grub (lab.sh);
#                            nothing to do in the guest
GROUP=after PREV_GROUP=after
row() { printf '%s\t%s\t%s\n' "$GROUP" "$1" "$2" >>"$LAB/after-check.tsv"; say "after-check $GROUP $1: $2"; }
vfio_open_groups() { # -> VFIO_RES: "vfio ok" or the first failing line
  res=
  for vf in $VFIO_VFS; do
    d=/sys/bus/pci/devices/$vf
    vd=none; [ -e "$d/driver" ] && vd=$(basename "$(readlink "$d/driver")")
    if [ "$vd" != vfio-pci ]; then
      wr vfio-pci "$d/driver_override"
      [ -e "$d/driver" ] && wr "$vf" "$d/driver/unbind"
      wr "$vf" /sys/bus/pci/drivers_probe
      vd=none; [ -e "$d/driver" ] && vd=$(basename "$(readlink "$d/driver")")
    fi
    grp=none; [ -e "$d/iommu_group" ] && grp=$(basename "$(readlink "$d/iommu_group")")
    if [ "$vd" != vfio-pci ] || [ "$grp" = none ]; then res=${res:-"$vf: driver=$vd group=$grp"}; continue; fi
    if [ ! -x /usr/local/libexec/lab/vfio-probe ]; then res=${res:-"no vfio-probe"}; continue; fi
    r=$(timeout 30 /usr/local/libexec/lab/vfio-probe "$grp" 2>&1); prc=$?
    { echo "# group $grp ($vf)"; echo "$r"; } >>"$LAB/vfio-probe-after-check.txt"
    say "after-check vfio-probe group $grp: $(echo "$r" | tr '\n' ' ')"
    [ $prc = 0 ] || res=${res:-$(echo "$r" | tail -n 1)}
  done
  [ -n "$VFIO_VFS" ] || res="no vfio VF"
  VFIO_RES=${res:-vfio ok}
}
ETC_SRC=
if [ -n "${LAB_AFTER_CHECK:-}" ]; then
  # the capture keeps the files as the check saw them (fixtures, replay); the edited grub goes out separately
  ETC_SRC=/tmp/pre-after-check
  mkdir -p $ETC_SRC/etc/default $ETC_SRC/etc/modprobe.d
  cp /etc/default/grub $ETC_SRC/etc/default/grub
  for f in /etc/modprobe.d/*; do [ -f "$f" ] && cp "$f" $ETC_SRC/etc/modprobe.d/; done
  echo "$LAB_AFTER_CHECK" | tr ';' '\n' | sed 's/^ *//; /^$/d' >/tmp/after-check.list
  n=0
  while IFS= read -r act; do
    n=$((n + 1))
    say "after-check action: $act"
    echo "$act" >>"$LAB/after-check.txt"
    # shellcheck disable=SC2086
    set -- $act
    verb=$1; shift
    obj=${verb#*@}; verb=${verb%%@*}
    case $verb in
      fix)
        [ "$obj" = "fix" ] && obj=apply
        GROUP=fix:all
        for a in "$@"; do case $a in -*) ;; *) GROUP=fix:$a; break ;; esac; done
        case " $* " in *" --undo "*) [ "$GROUP" = fix:all ] && GROUP=$PREV_GROUP ;; esac
        case " $* " in *" --undo "*) [ "$obj" = apply ] && obj=undo ;; esac
        if [ ! -x $TOOL ]; then row "$obj" "no tool"; continue; fi
        PREV_GROUP=$GROUP
        timeout 120 $TOOL fix "$@" >"$LAB/after-fix-$n.txt" 2>&1 </dev/null; frc=$?
        sed 's/^/    /' "$LAB/after-fix-$n.txt" >>"$LAB/guest-init.log"
        if [ $frc != 0 ] && grep -q '^sriov-preflight fix: fix .* refused: ' "$LAB/after-fix-$n.txt"; then got=refused
        elif [ $frc != 0 ]; then got="rc=$frc: $(tail -n 1 "$LAB/after-fix-$n.txt")"
        elif grep -q '^undone:' "$LAB/after-fix-$n.txt"; then got=undone
        elif grep -q '^nothing to change' "$LAB/after-fix-$n.txt"; then got="nothing to change"
        elif grep -q '^fix .*: applied' "$LAB/after-fix-$n.txt"; then got=applied
        else got="rc=0, no outcome line"
        fi
        row "$obj" "$got" ;;
      param)
        pf=/sys/module/$1/parameters/$2
        if [ -r "$pf" ]; then row "$obj" "$(cat "$pf")"; else row "$obj" absent; fi ;;
      file-has)
        f=$1; shift
        if [ ! -e "$f" ]; then row "$obj" absent
        elif grep -qxF "$*" "$f"; then row "$obj" "has line"
        else row "$obj" "no line"
        fi ;;
      file-gone)
        if [ -e "$1" ]; then row "$obj" present; else row "$obj" gone; fi ;;
      reload)
        if ! rmmod "$1" >>"$LAB/guest-init.log" 2>&1; then row "$obj" "rmmod failed"
        elif ! modprobe "$1" >>"$LAB/guest-init.log" 2>&1; then row "$obj" "modprobe failed"
        else row "$obj" ok
        fi ;;
      vfio-open-group) vfio_open_groups; row "$obj" "$VFIO_RES" ;;
      attr)
        if [ -r "$1" ]; then row "$obj" "$(head -n 1 "$1")"; else row "$obj" absent; fi ;;
      modprobe)
        if modprobe "$@" >>"$LAB/guest-init.log" 2>&1; then row "$obj" ok; else row "$obj" "modprobe failed"; fi ;;
      rmmod)
        if rmmod "$@" >>"$LAB/guest-init.log" 2>&1; then row "$obj" ok; else row "$obj" "rmmod failed"; fi ;;
      check)
        if [ "$*" != again ]; then row "$obj" "not implemented yet: $act"; continue; fi
        if [ ! -x $TOOL ]; then row "$obj" "no tool"; continue; fi
        timeout 120 $TOOL check --format json --output "$LAB/check-again.json" >/dev/null 2>"$LAB/check-again.stderr"
        echo $? >"$LAB/check-again.rc"
        say "after-check: check again rc=$(cat "$LAB/check-again.rc")" ;;
      reboot-with-grub-cmdline) say "after-check: reboot with the GRUB_CMDLINE_LINUX of /etc/default/grub (done by lab.sh)" ;;
      *) row "$obj" "not implemented yet: $act" ;;
    esac
  done </tmp/after-check.list
  cp /etc/default/grub "$LAB/grub-after-check"
fi

# ---- capture of the host root --------------------------------------------------------------------------
say "capture start"
ERR=$LAB/capture-errors.txt
# Few processes per directory: every fork+exec costs milliseconds under TCG.
clink() { # copy a symlink as a symlink (its target text as sysfs has it)
  [ -L "$ROOT$1" ] && return
  [ -d "$ROOT${1%/*}" ] || mkdir -p "$ROOT${1%/*}"
  ln -s "$(readlink "$1")" "$ROOT$1"
}
SKIP=
cattrs() { # cattrs DIR: the readable regular files directly in DIR, but not those named in $SKIP
  [ -d "$1" ] || return 0
  [ -d "$ROOT$1" ] || mkdir -p "$ROOT$1"
  files=
  # sysfs names have no blanks
  # shellcheck disable=SC2044
  for f in $(find "$1" -maxdepth 1 -type f -perm -400 2>/dev/null); do
    case " $SKIP " in *" ${f##*/} "*) continue ;; esac
    files="$files $f"
  done
  [ -n "$files" ] || return 0
  # shellcheck disable=SC2086
  cp $files "$ROOT$1/" 2>/dev/null
  # cp leaves an empty file where a read failed (e.g. carrier of a down link): tell those apart
  for f in $files; do
    [ -s "$ROOT$f" ] && continue
    cat "$f" >/dev/null 2>&1 || { rm -f "$ROOT$f"; echo "$f: unreadable" >>"$ERR"; }
  done
}
clinks() { # clinks DIR GLOB...: the symlinks in DIR matching the globs
  d=$1; shift
  for g in "$@"; do
    for l in "$d"/$g; do [ -L "$l" ] && clink "$l"; done
  done
}
real() { readlink -f "$1"; }

mkdir -p "$ROOT/proc/sys/kernel" "$ROOT/sys/class/iommu" "$ROOT/sys/kernel/iommu_groups"
[ -d /proc/net/bonding ] && mkdir -p "$ROOT/proc/net/bonding"
for f in cmdline cpuinfo modules version iomem interrupts; do cp "/proc/$f" "$ROOT/proc/"; done
cp /proc/sys/kernel/osrelease "$ROOT/proc/sys/kernel/"
for f in /proc/net/bonding/*; do [ -f "$f" ] && cp "$f" "$ROOT/proc/net/bonding/"; done
cattrs /sys/firmware/acpi/tables
# IOMMU units
for u in /sys/class/iommu/*; do
  [ -L "$u" ] || continue
  clink "$u"
  r=$(real "$u")
  cattrs "$r"
  for s in intel-iommu amd-iommu; do cattrs "$r/$s"; done
done
# IOMMU groups
for g in /sys/kernel/iommu_groups/*; do
  [ -d "$g" ] || continue
  cattrs "$g"
  mkdir -p "$ROOT$g/devices"
  clinks "$g/devices" '*'
done
say "capture: proc, ACPI, IOMMU done"
# PCI devices and drivers
SKIP="resource0 resource1 resource2 resource3 resource4 resource5 resource0_wc resource1_wc resource2_wc resource3_wc resource4_wc resource5_wc rom vpd"
for l in /sys/bus/pci/devices/*; do
  clink "$l"
  r=$(real "$l")
  cattrs "$r"
  clinks "$r" driver iommu_group iommu physfn 'virtfn*' subsystem
done
SKIP=
for d in /sys/bus/pci/drivers/*; do
  mkdir -p "$ROOT$d"
  clinks "$d" '0000:*' module
  # the driver's module (so the module link resolves): its state files and parameters
  if [ -L "$d/module" ]; then
    r=$(real "$d/module")
    cattrs "$r"
    cattrs "$r/parameters"
  fi
done
say "capture: PCI done"
# network interfaces
mkdir -p "$ROOT/sys/class/net"
[ -f /sys/class/net/bonding_masters ] && cp /sys/class/net/bonding_masters "$ROOT/sys/class/net/"
SKIP="phys_port_id phys_port_name phys_switch_id"
for l in /sys/class/net/*; do
  [ -L "$l" ] || continue
  clink "$l"
  r=$(real "$l")
  cattrs "$r"
  clinks "$r" device master 'upper_*' 'lower_*'
  cattrs "$r/bonding"
  cattrs "$r/bonding_slave"
done
SKIP=
say "capture: net done"
# module parameters (vfio*, iommufd)
for m in /sys/module/vfio* /sys/module/iommufd; do
  [ -d "$m/parameters" ] && cattrs "$m/parameters"
done
# kernel log, configuration files, kernel build configuration and module indexes
mkdir -p "$ROOT/var/log" "$ROOT/etc/default" "$ROOT/etc/modprobe.d" "$ROOT/boot" "$ROOT/lib/modules/$KREL"
dmesg >"$ROOT/var/log/dmesg"
cp "$ETC_SRC/etc/default/grub" "$ROOT/etc/default/grub"
for f in "$ETC_SRC"/etc/modprobe.d/*; do [ -f "$f" ] && cp "$f" "$ROOT/etc/modprobe.d/"; done
cp /etc/os-release "$ROOT/etc/os-release"
cp "/boot/config-$KREL" "$ROOT/boot/"
for f in modules.dep modules.alias modules.builtin; do cp "/lib/modules/$KREL/$f" "$ROOT/lib/modules/$KREL/"; done
# lab material
uname -a >"$LAB/uname.txt"
ls -l /dev/vfio >"$LAB/dev-vfio.txt" 2>&1
cp "$ROOT/var/log/dmesg" "$LAB/dmesg.txt"
(cd "$ROOT" && find . | sort) >"$LAB/index.txt"
finish
