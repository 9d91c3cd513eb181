#!/usr/bin/env bash
# The portable build and its packages (`make dist`), and their tests (`make dist-test`).
#
#   packaging/dist.sh build     dist/sriov-preflight: x86_64, glibc >= 2.17, libpci/libxml2 static, stripped
#   packaging/dist.sh packages  dist/*.deb, dist/*.rpm, dist/*.tar.gz (after build)
#   packaging/dist.sh test      the checks of `make dist-test` (after packages)
#   packaging/dist.sh install DESTDIR PREFIX BINARY   `make install`
#
# The binary is linked against a Debian 11 (bullseye) root made by debootstrap, through a Swift SDK bundle:
# the oldest glibc (2.31) the Debian mirror serves; ten libm symbols are then bound to their first version
# (compat/glibc-compat.c), which leaves GLIBC_2.17 the newest. libpci and libxml2 are built as static
# archives from Debian's sources, without ICU, zlib or udev; libstdc++ is GCC 10's archive.
# Everything slow is cached in $SPF_DIST_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/sriov-preflight-dist)
# and reused; remove that directory to start over. The Debian mirror is the one apt uses here.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
CACHE=${SPF_DIST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sriov-preflight-dist}
OUT=$REPO/dist
SWIFT=${SWIFT:-swift}
SUITE=bullseye          # oldest suite the mirror serves: glibc 2.31, GCC 10
SRC_SUITE=bookworm      # sources of libpci and libxml2 (this machine's versions, with security fixes)
RECIPE=1                # bump when a cached stage must be rebuilt
SYSROOT=$CACHE/sysroot-$SUITE
BASEROOT=$CACHE/minbase-$SUITE
DEPS=$CACHE/deps-$SUITE
SDKS=$CACHE/swift-sdks
SDK_NAME=spf-$SUITE-x86_64
SCRATCH=$REPO/.build-dist
TOOLCHAIN=$(dirname "$(dirname "$(readlink -f "$(command -v "$SWIFT")")")")
VERSION=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/SRIOVPreflight/Model/Report.swift)
NAME=sriov-preflight
# The libm symbols pinned to GLIBC_2.2.5 (compat/glibc-compat.c).
PINNED=(exp exp2 log log2 pow expf exp2f logf log2f powf)
GLIBC_FLOOR=2.17
# What the binary may need at run time: glibc's libraries and libgcc_s (the unwinder of the Swift runtime).
ALLOWED_NEEDED="libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 libutil.so.1 ld-linux-x86-64.so.2 libgcc_s.so.1"
MAX_BYTES=25000000

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'dist: %s\n' "$*" >&2; exit 1; }
stamp_ok() { [ -f "$1/.spf-recipe" ] && [ "$(cat "$1/.spf-recipe")" = "$RECIPE" ]; }
now() { date +%s; }

# The Debian mirror apt uses on this machine (deb822 .sources or one-line lists); $DEBIAN_MIRROR overrides.
# With "security", the security archive instead.
apt_uris() {
    {
        { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources || true; } | cut -d: -f2- | tr ' ' '\n'
        { grep -hsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true; } |
            sed -E 's/\[[^]]*\]//' | awk '{print $2}'
    } | sed '/^$/d' | awk '!seen[$0]++'
}
mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
    local m
    m=$(apt_uris | { grep -v security || true; } | { grep -E '/debian/?$' || true; } | head -1)
    [ -n "$m" ] || m=$(apt_uris | { grep -v security || true; } | head -1)
    [ -n "$m" ] || die "no Debian mirror in apt's sources (set DEBIAN_MIRROR)"
    echo "${m%/}"
}
security_mirror() { apt_uris | { grep security || true; } | head -1 | sed 's,/$,,'; }

# Absolute symbolic links inside a root point at this machine's files: make them relative.
relink_root() {
    local root=$1 l t
    find "$root" -type l -lname '/*' -print0 | while IFS= read -r -d '' l; do
        t=$(readlink "$l")
        ln -sfn "$(realpath -ms --relative-to="$(dirname "$l")" "$root$t")" "$l"
    done
}

debootstrap_to() { # DIR INCLUDE
    local dir=$1 include=$2 tmp=$1.tmp
    rm -rf "$tmp"
    debootstrap --variant=minbase ${include:+--include=$include} "$SUITE" "$tmp" "$(mirror)" >"$CACHE/debootstrap.log" 2>&1 ||
        { tail -20 "$CACHE/debootstrap.log" >&2; die "debootstrap $SUITE failed (log: $CACHE/debootstrap.log)"; }
    rm -rf "$tmp"/var/cache/apt/archives/*.deb
    echo "$RECIPE" >"$tmp/.spf-recipe"
    rm -rf "$dir" && mv "$tmp" "$dir"
}

stage_sysroot() {
    if ! stamp_ok "$SYSROOT"; then
        log "sysroot: debootstrap $SUITE (libc6-dev, libstdc++-10-dev) from $(mirror)"
        debootstrap_to "$SYSROOT" libc6-dev,libstdc++-10-dev
        relink_root "$SYSROOT"
    fi
    # The driver looks for the Swift runtime (swiftrt.o, static libraries) under the SDK's usr/lib.
    ln -sfn "$TOOLCHAIN/lib/swift" "$SYSROOT/usr/lib/swift"
    ln -sfn "$TOOLCHAIN/lib/swift_static" "$SYSROOT/usr/lib/swift_static"
    # GCC 10's libstdc++.a alone in a directory searched first (the sysroot's shared one needs GLIBCXX).
    mkdir -p "$CACHE/static-cxx"
    ln -sfn "$SYSROOT/usr/lib/gcc/x86_64-linux-gnu/10/libstdc++.a" "$CACHE/static-cxx/libstdc++.a"
}

# A pristine minimal Debian 11, copied for each test run.
stage_baseroot() {
    stamp_ok "$BASEROOT" && return
    log "test root: debootstrap $SUITE (minbase)"
    debootstrap_to "$BASEROOT" ""
}

CC_FLAGS="-O2 -fPIC -fstack-protector-strong -D_FORTIFY_SOURCE=2"
cc() { "$TOOLCHAIN/bin/clang" --sysroot="$SYSROOT" "$@"; }

# libpci and libxml2 as static archives, from Debian's sources (apt-get source through a private list).
stage_deps() {
    stamp_ok "$DEPS" && return
    log "static libpci and libxml2 from Debian $SRC_SUITE sources"
    local w=$CACHE/src sec
    rm -rf "$w" "$DEPS" && mkdir -p "$w/lists/partial" "$w/archives/partial" "$DEPS"
    echo "deb-src $(mirror) $SRC_SUITE main" >"$w/sources.list"
    sec=$(security_mirror)
    [ -z "$sec" ] || echo "deb-src $sec $SRC_SUITE-security main" >>"$w/sources.list"
    local apt=(-o Dir::Etc::SourceList="$w/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State::Lists="$w/lists" -o Dir::Cache::Archives="$w/archives" -o Debug::NoLocking=1)
    apt-get "${apt[@]}" -qq update
    (cd "$w" && apt-get "${apt[@]}" -qq source pciutils libxml2 >"$w/source.log" 2>&1) ||
        { tail "$w/source.log" >&2; die "apt-get source failed"; }
    local cc="$TOOLCHAIN/bin/clang --sysroot=$SYSROOT"
    local pci=(ZLIB=no DNS=no HWDB=no LIBKMOD=no SHARED=no IDSDIR=/usr/share/misc PCI_IDS=pci.ids
        PCI_COMPRESSED_IDS=0 PREFIX="$DEPS" CC="$cc" OPT="$CC_FLAGS" AR=ar RANLIB=ranlib)
    (cd "$w"/pciutils-*/ && make -s "${pci[@]}" lib/libpci.a && make -s "${pci[@]}" install-lib) >"$w/pciutils.log" 2>&1 ||
        { tail -20 "$w/pciutils.log" >&2; die "libpci build failed"; }
    (cd "$w"/libxml2-*/ &&
        find . \( -name Makefile.in -o -name aclocal.m4 -o -name configure -o -name config.h.in \) -exec touch {} + &&
        ./configure -q CC="$cc" CFLAGS="$CC_FLAGS" --prefix="$DEPS" --disable-shared --enable-static --with-pic \
            --without-icu --without-zlib --without-lzma --without-iconv --without-modules --without-http \
            --without-ftp --without-python --without-catalog --without-legacy --without-docbook --without-debug &&
        make -s -j2 libxml2.la && make -s install-libLTLIBRARIES install-data) >"$w/libxml2.log" 2>&1 ||
        { tail -20 "$w/libxml2.log" >&2; die "libxml2 build failed"; }
    [ -f "$DEPS/lib/libpci.a" ] && [ -f "$DEPS/lib/libxml2.a" ] || die "static archives missing in $DEPS/lib"
    rm -f "$DEPS"/lib/*.la "$DEPS"/lib/*.so*
    echo "$RECIPE" >"$DEPS/.spf-recipe"
    rm -rf "$w"
}

# The Swift SDK bundle: the sysroot, lld, the static archives and the symbol pins.
stage_sdk() {
    local b=$SDKS/$SDK_NAME.artifactbundle obj=$CACHE/compat
    mkdir -p "$b/$SUITE" "$obj"
    cc $CC_FLAGS -c packaging/compat/glibc-compat.c -o "$obj/glibc-compat.o"
    "$TOOLCHAIN/bin/clang++" --sysroot="$SYSROOT" $CC_FLAGS -c packaging/compat/cxx11compat.cpp -o "$obj/cxx11compat.o"
    ln -sfn "$SYSROOT" "$b/$SUITE/sysroot"
    cat >"$b/info.json" <<EOF
{"schemaVersion": "1.0", "artifacts": {"$SDK_NAME": {"type": "swiftSDK", "version": "$RECIPE",
  "variants": [{"path": "$SUITE", "supportedTriples": ["x86_64-unknown-linux-gnu"]}]}}}
EOF
    cat >"$b/$SUITE/swift-sdk.json" <<EOF
{"schemaVersion": "4.0", "targetTriples": {"x86_64-unknown-linux-gnu":
  {"sdkRootPath": "sysroot", "toolsetPaths": ["toolset.json"]}}}
EOF
    local wraps="" s
    for s in "${PINNED[@]}"; do wraps+="\"--wrap=$s\", "; done
    cat >"$b/$SUITE/toolset.json" <<EOF
{"schemaVersion": "1.0",
 "swiftCompiler": {"extraCLIOptions": ["-use-ld=lld", "-L", "$CACHE/static-cxx", "-L", "$DEPS/lib",
   "-Xcc", "-I$DEPS/include", "-Xcc", "-I$DEPS/include/libxml2"]},
 "cCompiler": {"extraCLIOptions": ["-I$DEPS/include", "-I$DEPS/include/libxml2"]},
 "linker": {"extraCLIOptions": [$wraps"$obj/glibc-compat.o", "$obj/cxx11compat.o"]}}
EOF
}

stage_binary() {
    log "swift build -c release --static-swift-stdlib (SDK $SDK_NAME)"
    PKG_CONFIG_PATH="$DEPS/lib/pkgconfig" PKG_CONFIG_LIBDIR="$DEPS/lib/pkgconfig" \
        "$SWIFT" build -c release --static-swift-stdlib --product "$NAME" --scratch-path "$SCRATCH" \
        --swift-sdks-path "$SDKS" --swift-sdk "$SDK_NAME" 2>&1 | grep -vE 'warning:|^ *[0-9]* \||^ *\||^\[#|^$' | tail -5
    mkdir -p "$OUT"
    strip --strip-unneeded -o "$OUT/$NAME" "$SCRATCH/x86_64-unknown-linux-gnu/release/$NAME" 2>/dev/null ||
        strip --strip-unneeded -o "$OUT/$NAME" "$SCRATCH/release/$NAME"
    check_binary "$OUT/$NAME"
}

cmd_build() {
    command -v debootstrap >/dev/null || die "debootstrap missing (make dist-deps)"
    mkdir -p "$CACHE"
    local t=$(now) t1
    stage_sysroot; t1=$(now); echo "  sysroot $((t1 - t)) s" >&2; t=$t1
    stage_deps; t1=$(now); echo "  static libraries $((t1 - t)) s" >&2; t=$t1
    stage_sdk
    stage_binary; t1=$(now); echo "  binary $((t1 - t)) s" >&2
}

# ---- checks of the binary -------------------------------------------------------------------------------

check_binary() {
    local b=$1 dyn needed newest n bad=0 s
    dyn=$(objdump -T "$b")
    newest=$(grep -o 'GLIBC_[0-9.]*' <<<"$dyn" | sed 's/GLIBC_//' | sort -uV | tail -1)
    if [ "$(printf '%s\n%s\n' "$newest" "$GLIBC_FLOOR" | sort -V | tail -1)" != "$GLIBC_FLOOR" ]; then
        echo "FAIL newest glibc symbol GLIBC_$newest > $GLIBC_FLOOR:" >&2
        grep -E "GLIBC_($(grep -o 'GLIBC_[0-9.]*' <<<"$dyn" | sed 's/GLIBC_//' | sort -uV |
            awk -v f="$GLIBC_FLOOR" '{ if ($0 != f) print }' | tr '\n' '|' | sed 's/|$//; s/\./\\./g'))\b" <<<"$dyn" |
            awk '{print "  " $NF, $(NF-1)}' | sort -u | head -20 >&2
        bad=1
    else
        echo "ok   newest glibc symbol: GLIBC_$newest (floor $GLIBC_FLOOR)"
    fi
    if grep -q 'GLIBCXX\|CXXABI' <<<"$dyn"; then echo "FAIL needs libstdc++ (GLIBCXX/CXXABI symbols)" >&2; bad=1
    else echo "ok   no GLIBCXX/CXXABI symbol"; fi
    needed=$(readelf -d "$b" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    for n in $needed; do
        case " $ALLOWED_NEEDED " in *" $n "*) ;; *) echo "FAIL NEEDED $n is not in: $ALLOWED_NEEDED" >&2; bad=1 ;; esac
    done
    echo "ok   NEEDED: $needed"
    # Each pinned symbol the binary uses binds to GLIBC_2.2.5, and none to a newer version.
    for s in "${PINNED[@]}"; do
        if grep -qE "\(GLIBC_2\.(2[7-9]|3[0-9])\) +$s\$" <<<"$dyn"; then
            echo "FAIL $s binds to a new version: $(grep -E " $s\$" <<<"$dyn" | awk '{print $(NF-1)}')" >&2; bad=1
        fi
    done
    local pinned
    pinned=$(grep -E "\(GLIBC_2\.2\.5\) +($(IFS='|'; echo "${PINNED[*]}"))\$" <<<"$dyn" | awk '{print $NF}' | sort | tr '\n' ' ')
    echo "ok   pinned math symbols at GLIBC_2.2.5: ${pinned:-none used}"
    # A wrapper left undefined would fail at load time on every host.
    if grep -qE '\*UND\*.* __wrap_' <<<"$dyn"; then echo "FAIL an undefined __wrap_ symbol" >&2; bad=1; fi
    s=$(stat -c %s "$b")
    if [ "$s" -gt "$MAX_BYTES" ]; then echo "FAIL size $s B > $MAX_BYTES B" >&2; bad=1
    else echo "ok   size $s B (limit $MAX_BYTES)"; fi
    if readelf -d "$b" | grep -qiE 'icu|xml2|libpci'; then echo "FAIL links ICU/libxml2/libpci dynamically" >&2; bad=1; fi
    [ $bad = 0 ] || die "the binary is not portable: $b"
}

# ---- man pages, completions, the installed tree ----------------------------------------------------------

# The date on the pages: $SOURCE_DATE_EPOCH, else the last commit's (the same tree gives the same pages).
epoch() { echo "${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"; }
man_date() { date -u -d "@$(epoch)" +%F; }

# Pages from the command tree: swift-argument-parser's generate-manual plugin (one page per subcommand),
# finished by manpages.py (names, our EXIT STATUS). CONFIG: the build the plugin runs (debug or release).
gen_man() { # CONFIG DEST
    local out=.build/plugins/GenerateManual/outputs/$NAME
    rm -rf "$out" "$2"
    mkdir -p .build
    "$SWIFT" package generate-manual --multi-page --date "$(man_date)" --configuration "$1" >.build/generate-manual.log 2>&1 ||
        { tail -20 .build/generate-manual.log >&2; die "generate-manual failed"; }
    python3 packaging/manpages.py "$out" "$2" "$VERSION"
}

# The message catalogs (po/LANG.po → LANG): compiled from the .po with msgfmt --check.
langs() { local p; for p in po/*.po; do [ -e "$p" ] && basename "$p" .po; done; }

# The files every form installs, under ROOT/PREFIX: the binary, the man pages (gzip), the bash, zsh and fish
# completions, the check pages, the message catalogs, the metrics service and timer. ZSHDIR: Debian's
# vendor-completions or the site-functions of the others. UNITDIR: where packages put systemd units (absolute,
# under ROOT); empty: the units go with the docs as examples (tarball, make install: PREFIX may not be /usr).
stage_tree() { # ROOT PREFIX BINARY MANDIR ZSHDIR [UNITDIR]
    local root=$1 prefix=$2 bin=$3 mandir=$4 zshdir=$5 unitdir=${6:-} p l
    local d=$root$prefix
    [ -n "$root" ] || die "stage_tree: empty root"
    install -d -m 0755 "$d/bin" "$d/share/man/man1" "$d/share/bash-completion/completions" "$d/$zshdir" \
        "$d/share/fish/vendor_completions.d" "$d/share/doc/$NAME/checks"
    install -m 0755 "$bin" "$d/bin/$NAME"
    for p in "$mandir"/*.1; do gzip -9n -c "$p" >"$d/share/man/man1/$(basename "$p").gz"; done
    # (bash completions are sourced: no #! line)
    "$bin" --generate-completion-script bash | sed '1{/^#!/d}' >"$d/share/bash-completion/completions/$NAME"
    "$bin" --generate-completion-script zsh >"$d/$zshdir/_$NAME"
    "$bin" --generate-completion-script fish >"$d/share/fish/vendor_completions.d/$NAME.fish"
    install -m 0644 checks/*.md "$d/share/doc/$NAME/checks/"
    for l in $(langs); do
        install -d -m 0755 "$d/share/locale/$l/LC_MESSAGES"
        msgfmt --check -o "$d/share/locale/$l/LC_MESSAGES/$NAME.mo" "po/$l.po"
        chmod 0644 "$d/share/locale/$l/LC_MESSAGES/$NAME.mo"
    done
    if [ -n "$unitdir" ]; then
        install -d -m 0755 "$root$unitdir"
        install -m 0644 dist/systemd/$NAME-metrics.service dist/systemd/$NAME-metrics.timer "$root$unitdir/"
    else
        install -d -m 0755 "$d/share/doc/$NAME/systemd"
        install -m 0644 dist/systemd/$NAME-metrics.service dist/systemd/$NAME-metrics.timer "$d/share/doc/$NAME/systemd/"
    fi
    chmod 0644 "$d"/share/man/man1/$NAME*.gz "$d/share/bash-completion/completions/$NAME" "$d/$zshdir/_$NAME" \
        "$d/share/fish/vendor_completions.d/$NAME.fish"
}

# What stage_tree puts under PREFIX, sorted (for the tests).
expected_files() { # PREFIX ZSHDIR MANDIR [UNITDIR]
    local prefix=$1 zshdir=$2 mandir=$3 unitdir=${4:-} p l
    {
        echo "$prefix/bin/$NAME"
        for p in "$mandir"/*.1; do echo "$prefix/share/man/man1/$(basename "$p").gz"; done
        echo "$prefix/share/bash-completion/completions/$NAME"
        echo "$prefix/$zshdir/_$NAME"
        echo "$prefix/share/fish/vendor_completions.d/$NAME.fish"
        for p in checks/*.md; do echo "$prefix/share/doc/$NAME/checks/$(basename "$p")"; done
        for l in $(langs); do echo "$prefix/share/locale/$l/LC_MESSAGES/$NAME.mo"; done
        for p in service timer; do
            if [ -n "$unitdir" ]; then echo "$unitdir/$NAME-metrics.$p"; else echo "$prefix/share/doc/$NAME/systemd/$NAME-metrics.$p"; fi
        done
    } | sort
}

# (the first author; tail reads the whole log: head would close the pipe and, under pipefail, git's SIGPIPE
# would add the fallback as a second line)
maintainer() { local m; m=$(git log --format='%an <%ae>' 2>/dev/null | tail -n 1); echo "${m:-sriov-preflight maintainers <root@localhost>}"; }
DESCRIPTION="tells whether a Linux host is ready for SR-IOV NIC virtualization"
LONG_DESCRIPTION="sriov-preflight reads a host (or a captured host root, or a support
bundle) and checks what SR-IOV NIC virtualization needs: CPU and firmware
virtualization, the IOMMU and interrupt remapping, ACS and ARI, PF drivers,
VFs and bonds. Each result names its evidence; the report is text, JSON,
JUnit or Prometheus metrics. One binary: nothing needed beyond glibc 2.17
and libgcc_s."

# Per checkout (not in the shared cache): two checkouts building at once must not share a staging tree.
WORK=$REPO/.build/dist-work
MAN=$WORK/man
DEB=$OUT/${NAME}_${VERSION}_amd64.deb
RPM=$OUT/$NAME-$VERSION.x86_64.rpm
TGZ=$OUT/$NAME-$VERSION-linux-x86_64.tar.gz
DEB_ZSH=share/zsh/vendor-completions
OTHER_ZSH=share/zsh/site-functions
# systemd units: Debian 12's packages keep them under /lib (lintian), RPM distributions under /usr/lib.
DEB_UNITS=/lib/systemd/system
RPM_UNITS=/usr/lib/systemd/system

make_deb() {
    local root=$WORK/deb
    local doc=$root/usr/share/doc/$NAME
    rm -rf "$root"
    stage_tree "$root" /usr "$OUT/$NAME" "$MAN" "$DEB_ZSH" "$DEB_UNITS"
    # Debian policy: every package carries its copyright file and (native package) changelog.
    {
        echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
        echo "Upstream-Name: $NAME"
        echo "Comment: built by packaging/dist.sh from the project's sources. Linked statically:"
        echo " libpci (pciutils, GPL-2+) and libxml2 (MIT), from Debian's sources; the Swift runtime"
        echo " (Apache-2.0 with Runtime Library Exception); GCC 10's libstdc++ (GPL-3+ with the GCC"
        echo " Runtime Library Exception). The GNU GPL texts: /usr/share/common-licenses/GPL-2 and"
        echo " /usr/share/common-licenses/GPL-3."
        echo ""
        echo "Files: *"
        echo "Copyright: $(date -u -d "@$(epoch)" +%Y) $(maintainer)"
        echo "License: see-repository"
        echo " The licence of sriov-preflight is stated in its source repository."
    } >"$doc/copyright"
    printf '%s (%s) unstable; urgency=medium\n\n  * Portable build of %s %s.\n\n -- %s  %s\n' \
        "$NAME" "$VERSION" "$NAME" "$VERSION" "$(maintainer)" "$(date -u -R -d "@$(epoch)")" | gzip -9n >"$doc/changelog.gz"
    chmod 0644 "$doc/copyright" "$doc/changelog.gz"
    mkdir -p "$root/DEBIAN"
    {
        echo "Package: $NAME"
        echo "Version: $VERSION"
        echo "Architecture: amd64"
        echo "Maintainer: $(maintainer)"
        echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
        echo "Depends: libc6 (>= $GLIBC_FLOOR), libgcc-s1 | libgcc1"
        echo "Recommends: pci.ids"
        echo "Section: admin"
        echo "Priority: optional"
        echo "Description: $DESCRIPTION"
        sed 's/^/ /' <<<"$LONG_DESCRIPTION"
    } >"$root/DEBIAN/control"
    (cd "$root" && find usr lib -type f -print0 2>/dev/null | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
    chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
    find "$root" -exec touch -h -d "@$(epoch)" {} +
    SOURCE_DATE_EPOCH=$(epoch) dpkg-deb --root-owner-group -Zxz --build "$root" "$DEB" >/dev/null
}

make_rpm() {
    local top=$WORK/rpm stage=$WORK/rpm-stage
    rm -rf "$top" "$stage" && mkdir -p "$top"/{BUILD,RPMS,SPECS,SOURCES,SRPMS}
    stage_tree "$stage" /usr "$OUT/$NAME" "$MAN" "$OTHER_ZSH" "$RPM_UNITS"
    {
        echo "Name: $NAME"
        echo "Version: $VERSION"
        echo "Release: 1"
        echo "Summary: $DESCRIPTION"
        echo "License: see the project's repository"
        echo "BuildArch: x86_64"
        echo ""
        echo "%description"
        echo "$LONG_DESCRIPTION"
        echo ""
        echo "%install"
        echo "mkdir -p %{buildroot}"
        echo "cp -a $stage/. %{buildroot}/"
        echo ""
        echo "%files"
        echo "%dir /usr/share/doc/$NAME"
        echo "%dir /usr/share/doc/$NAME/checks"
        (cd "$stage" && find . -type f | sed 's,^\.,,' | sort)
    } >"$top/SPECS/$NAME.spec"
    SOURCE_DATE_EPOCH=$(epoch) rpmbuild -bb --quiet --target x86_64-linux \
        --define "_topdir $top" --define "_build_id_links none" --define "_binary_payload w6.xzdio" \
        --define "debug_package %{nil}" --define "__os_install_post %{nil}" --define "__strip /bin/true" \
        --define "use_source_date_epoch_as_buildtime 1" --define "_buildhost localhost" \
        --define "_rpmdir $top/RPMS" --define "_rpmfilename %%{NAME}-%%{VERSION}.%%{ARCH}.rpm" \
        "$top/SPECS/$NAME.spec" >"$top/rpmbuild.log" 2>&1 || { tail -20 "$top/rpmbuild.log" >&2; die "rpmbuild failed"; }
    cp "$top/RPMS/$NAME-$VERSION.x86_64.rpm" "$RPM"
}

make_tarball() {
    local dir=$WORK/tar
    rm -rf "$dir"
    stage_tree "$dir/$NAME-$VERSION" "" "$OUT/$NAME" "$MAN" "$OTHER_ZSH"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(epoch)" -C "$dir" -cf - "$NAME-$VERSION" |
        gzip -9n >"$TGZ"
}

cmd_packages() {
    [ -x "$OUT/$NAME" ] || die "no $OUT/$NAME: run packaging/dist.sh build first"
    command -v rpmbuild >/dev/null || die "rpmbuild missing (make dist-deps)"
    local t
    t=$(now)
    mkdir -p "$WORK"
    # The pages describe this tree's command line (the plugin runs its debug build).
    log "man pages (generate-manual)"
    gen_man debug "$MAN"
    log "packages: .deb, .rpm, .tar.gz"
    make_deb
    make_rpm
    make_tarball
    echo "  man pages and packages $(($(now) - t)) s" >&2
    ls -l "$OUT"
}

# make install: the files under DESTDIR/PREFIX. The pages come from the debug build (the plugin cannot build
# with --static-swift-stdlib: asking it for release would build the release products a second time).
cmd_install() { # DESTDIR PREFIX BINARY
    local destdir=$1 prefix=$2 bin=$3 man=$REPO/.build/man
    [ -x "$bin" ] || die "no $bin"
    gen_man debug "$man"
    stage_tree "${destdir:-/}" "${prefix%/}" "$bin" "$man" "$OTHER_ZSH"
    echo "installed $NAME $VERSION under ${destdir}${prefix}: bin/$NAME, $(ls "$man" | wc -l) man pages, bash/zsh/fish completions, share/doc/$NAME/checks"
}

# ---- make dist-test --------------------------------------------------------------------------------------

FAILS=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; FAILS=$((FAILS + 1)); }
same_list() { # LABEL EXPECTED GOT
    if [ "$2" = "$3" ]; then ok "$1: $(wc -l <<<"$3") files, exactly the intended ones"
    else fail "$1 file list differs (< intended, > packaged):"; diff <(echo "$2") <(echo "$3") >&2 || true; fi
}

test_man() {
    local commands pages p w
    # Every command of the tree (the binary's own description of itself) has a page.
    commands=$("$OUT/$NAME" --experimental-dump-help | python3 -c '
import json, sys
def walk(c, path):
    yield "-".join(path)
    for s in c.get("subcommands", []):
        yield from walk(s, path + [s["commandName"]])
print("\n".join(walk(json.load(sys.stdin)["command"], [sys.argv[1]])))' "$NAME" | sort)
    pages=$(cd "$MAN" && ls -- *.1 | sed 's/\.1$//' | sort)
    if [ "$commands" = "$pages" ]; then ok "man: one page per command ($(wc -l <<<"$pages"))"
    else fail "man pages do not match the commands:"; diff <(echo "$commands") <(echo "$pages") >&2 || true; fi
    command -v man >/dev/null || { echo "skip man -l: man-db not installed (make dist-deps)"; return; }
    for p in "$MAN"/*.1; do
        w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
        [ -z "$w" ] || fail "man -l $(basename "$p"): $w"
        w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$p" 2>/dev/null)
        grep -q '^EXIT STATUS' <<<"$w" || fail "$(basename "$p"): no EXIT STATUS"
        ! grep -q 'exits 0 on success' <<<"$w" || fail "$(basename "$p"): the plugin's generic EXIT STATUS"
    done
    ok "man -l renders every page without warnings, each with its own EXIT STATUS"
}

test_completions() {
    local d=$WORK/tar/$NAME-$VERSION/share
    if bash -n "$d/bash-completion/completions/$NAME"; then ok "bash completion parses"; else fail "bash completion: syntax"; fi
    if command -v zsh >/dev/null; then
        if zsh -n "$d/$OTHER_ZSH/_$NAME"; then ok "zsh completion parses"; else fail "zsh completion: syntax"; fi
    else echo "skip zsh -n: zsh not installed"; fi
    if command -v fish >/dev/null; then
        if fish -n "$d/fish/vendor_completions.d/$NAME.fish"; then ok "fish completion parses"; else fail "fish completion: syntax"; fi
    else echo "skip fish -n: fish not installed"; fi
}

# lintian errors we expect, explained in the README ("Install", packages).
LINTIAN_EXPLAINED="embedded-library"
test_deb() {
    local got want tags t
    want=$({ expected_files /usr "$DEB_ZSH" "$MAN" "$DEB_UNITS"; echo "/usr/share/doc/$NAME/changelog.gz"; echo "/usr/share/doc/$NAME/copyright"; } | sort)
    got=$(dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ {print $6}' | sed 's,^\.,,' | sort)
    same_list ".deb" "$want" "$got"
    t=$(dpkg-deb -f "$DEB" Depends)
    if [ "$t" = "libc6 (>= $GLIBC_FLOOR), libgcc-s1 | libgcc1" ]; then ok ".deb Depends: $t"; else fail ".deb Depends: $t"; fi
    if command -v lintian >/dev/null; then
        tags=$(lintian --allow-root "$DEB" 2>&1 || true)
        while read -r t; do
            [ -n "$t" ] || continue
            case " $LINTIAN_EXPLAINED " in *" $t "*) ;; *) fail "lintian error not explained: $(grep -m1 " $t" <<<"$tags")" ;; esac
        done < <(grep '^E:' <<<"$tags" | awk '{print $3}' | sort -u)
        ok "lintian: $(grep -c '^E:' <<<"$tags" || true) E (explained: $LINTIAN_EXPLAINED), $(grep -c '^W:' <<<"$tags" || true) W"
        grep -E '^[EW]:' <<<"$tags" | sort -u | head -20 | sed 's/^/     /' || true
    else
        echo "skip lintian: not installed (make dist-deps)"
    fi
}

test_rpm() {
    local want got req bad d=$WORK/rpmroot
    want=$({ expected_files /usr "$OTHER_ZSH" "$MAN" "$RPM_UNITS"; echo "/usr/share/doc/$NAME"; echo "/usr/share/doc/$NAME/checks"; } | sort)
    got=$(rpm -qpl "$RPM" 2>/dev/null | sort)
    same_list "rpm -qpl" "$want" "$got"
    req=$(rpm -qp --requires "$RPM" 2>/dev/null)
    bad=$(grep -vE '^(rpmlib\(|rtld\(GNU_HASH\)|(libc|libm|libpthread|libdl|librt|libutil)\.so\.[0-9]+|ld-linux-x86-64\.so\.2|libgcc_s\.so\.1)' <<<"$req" || true)
    if [ -z "$bad" ]; then ok "rpm -qp --requires: glibc and libgcc_s only: $(grep -v rpmlib <<<"$req" | tr '\n' ' ')"
    else fail "rpm requires more than glibc: $bad"; fi
    rm -rf "$d" && mkdir -p "$d"
    if rpm --root "$d" --initdb && rpm --root "$d" -i --nodeps "$RPM" 2>"$WORK/rpm-install.log"; then
        got=$(rpm --root "$d" -ql "$NAME" | sort)
        same_list "rpm --root install" "$want" "$got"
        if "$d/usr/bin/$NAME" --version >/dev/null; then ok "the rpm-installed binary runs"; else fail "the rpm-installed binary does not run"; fi
    else
        fail "rpm --root install: $(cat "$WORK/rpm-install.log")"
    fi
    rm -rf "$d"
}

test_tarball() {
    local want got
    want=$(expected_files "$NAME-$VERSION" "$OTHER_ZSH" "$MAN")
    got=$(tar -tzf "$TGZ" | grep -v '/$' | sort)
    same_list ".tar.gz" "$want" "$got"
}

# A report without what differs from run to run (times).
normalize() { python3 -c '
import json, sys
def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items() if k not in ("generated_at", "timings", "duration_ms")}
    if isinstance(o, list):
        return [clean(v) for v in o]
    return o
print(json.dumps(clean(json.load(sys.stdin)), indent=1, sort_keys=True))'; }

TROOT=""
# The tool in the test root, bounded (a wrapper bound to itself would spin forever: see compat/).
in_root() { timeout 300 chroot "$TROOT" "$@"; }
cleanup_root() {
    [ -n "$TROOT" ] || return 0
    if mountpoint -q "$TROOT/proc"; then umount "$TROOT/proc" || umount -l "$TROOT/proc"; fi
    if ! mountpoint -q "$TROOT/proc"; then rm -rf --one-file-system "$TROOT"; fi
    TROOT=""
}

# In a pristine Debian 11: dpkg -i the .deb; check --root, bundle and check --bundle on every fixture host
# give the exit code and JSON of this machine's normal build.
test_chroot() {
    local ref=$REPO/.build/debug/$NAME hosts=$REPO/Tests/Fixtures/hosts h rc1 rc2 a b n=0 tmp=$WORK/cmp
    stage_baseroot
    "$SWIFT" build --product "$NAME" 2>&1 | tail -1
    TROOT=$CACHE/test-root.$$
    # An interrupt must end the script: a handler that only cleaned up would let it go on with TROOT empty,
    # and the steps below would then act on this machine's own / (its pci.ids moved, then removed).
    trap cleanup_root EXIT
    trap 'cleanup_root; exit 130' INT TERM
    rm -rf "$TROOT" && cp -a "$BASEROOT" "$TROOT"
    mount -t proc proc "$TROOT/proc"
    cp "$DEB" "$TROOT/tmp/"
    if chroot "$TROOT" dpkg -i "/tmp/$(basename "$DEB")" >"$WORK/dpkg.log" 2>&1; then
        ok "Debian 11 chroot ($(chroot "$TROOT" ldd --version | head -1 | awk '{print "glibc " $NF}')): dpkg -i $(basename "$DEB")"
    else
        fail "dpkg -i in the Debian 11 chroot: $(tail -5 "$WORK/dpkg.log")"; cleanup_root; return
    fi
    # The same inputs as here: the fixtures at the same path, this machine's pci.ids.
    mkdir -p "$TROOT$hosts" "$TROOT/usr/share/misc" && cp -a "$hosts/." "$TROOT$hosts/"
    cp /usr/share/misc/pci.ids "$TROOT/usr/share/misc/pci.ids"
    rm -rf "$tmp" && mkdir -p "$tmp"
    for h in $(ls "$hosts"); do
        [ -d "$hosts/$h" ] || continue
        n=$((n + 1))
        rc1=0; "$ref" check --root "$hosts/$h" --format json >"$tmp/$h.ref.json" || rc1=$?
        rc2=0; in_root "/usr/bin/$NAME" check --root "$hosts/$h" --format json >"$tmp/$h.got.json" || rc2=$?
        a=$(normalize <"$tmp/$h.ref.json"); b=$(normalize <"$tmp/$h.got.json")
        if [ "$rc1" != "$rc2" ] || [ "$a" != "$b" ]; then
            fail "check --root $h: exit $rc2 (here $rc1), or the JSON differs:"; { diff <(echo "$a") <(echo "$b") || true; } | head -10 >&2
        fi
        # A bundle written and replayed in the chroot against one written and replayed here.
        "$ref" bundle --root "$hosts/$h" -o "$tmp/$h.tar.gz" >/dev/null
        in_root "/usr/bin/$NAME" bundle --root "$hosts/$h" -o "/tmp/$h.tar.gz" >/dev/null || fail "bundle $h in the chroot"
        rc1=0; "$ref" check --bundle "$tmp/$h.tar.gz" --format json >"$tmp/$h.bref.json" || rc1=$?
        rc2=0; in_root "/usr/bin/$NAME" check --bundle "/tmp/$h.tar.gz" --format json >"$tmp/$h.bgot.json" || rc2=$?
        a=$(normalize <"$tmp/$h.bref.json" | grep -v '"root":'); b=$(normalize <"$tmp/$h.bgot.json" | grep -v '"root":')
        if [ "$rc1" != "$rc2" ] || [ "$a" != "$b" ]; then
            fail "bundle + check --bundle $h: exit $rc2 (here $rc1), or the JSON differs:"; { diff <(echo "$a") <(echo "$b") || true; } | head -10 >&2
        fi
    done
    ok "Debian 11 chroot: check --root, bundle, check --bundle on $n fixture hosts: same exit codes and JSON as here"
    # The installed catalog: Chinese text from the package's /usr/share/locale, under a C locale too.
    b=$(in_root env LANG=C "/usr/bin/$NAME" --lang zh_CN check --root "$hosts/intel-igb-ready" 2>/dev/null || true)
    if grep -q '就绪' <<<"$b"; then ok "Debian 11 chroot: --lang zh_CN speaks Chinese from /usr/share/locale"
    else fail "Debian 11 chroot: --lang zh_CN gave no Chinese text: $(head -3 <<<"$b")"; fi
    # pci.ids where RHEL and Fedora keep it, then none at all (IDs instead of names).
    h=intel-igb-ready
    mkdir -p "$TROOT/usr/share/hwdata" && mv "$TROOT/usr/share/misc/pci.ids" "$TROOT/usr/share/hwdata/pci.ids"
    b=$(in_root "/usr/bin/$NAME" check --root "$hosts/$h" --format json | normalize || true)
    if [ "$b" = "$(normalize <"$tmp/$h.ref.json")" ]; then ok "pci.ids found at /usr/share/hwdata/pci.ids"; else fail "names differ with /usr/share/hwdata/pci.ids"; fi
    rm -f "$TROOT/usr/share/hwdata/pci.ids"
    b=$(in_root "/usr/bin/$NAME" check --root "$hosts/$h" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["nics"][0]["model"])' || true)
    if [[ "$b" =~ [0-9a-f]{4}:[0-9a-f]{4} ]]; then ok "no pci.ids: models as IDs ($b)"; else fail "no pci.ids: model '$b'"; fi
    cleanup_root
    trap - EXIT INT TERM
}

cmd_test() {
    local t f
    t=$(now)
    for f in "$OUT/$NAME" "$DEB" "$RPM" "$TGZ"; do [ -f "$f" ] || die "missing $f: run make dist first"; done
    log "the binary"
    check_binary "$OUT/$NAME"
    log "man pages and completions"
    test_man
    test_completions
    log "packages"
    test_deb
    test_rpm
    test_tarball
    log "Debian 11 chroot"
    test_chroot
    echo "dist-test: $FAILS failure(s) in $(($(now) - t)) s"
    [ "$FAILS" = 0 ]
}

"cmd_${1:-build}" "${@:2}"
