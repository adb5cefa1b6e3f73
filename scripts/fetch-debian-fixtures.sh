#!/usr/bin/env bash
# Fetches Debian's own busybox-static for one architecture (ARCH: mipsel, the
# default, or arm64) into the git-ignored fixture folder, for
# test/integration/busybox-$ARCH.test.ts:
#
#   test/fixtures/debian/$ARCH/busybox          the static binary (bin/busybox of the .deb)
#   test/fixtures/debian/$ARCH/busybox.version  the Debian package version it came from
#
# Steps: enable the ARCH foreign architecture in dpkg (if it is not already),
# `apt-get update` (only when apt cannot find busybox-static:$ARCH yet),
# `apt-get download busybox-static:$ARCH` into a temporary folder, `dpkg-deb -x`,
# copy bin/busybox. Idempotent: when the binary is present and apt's candidate
# version is the recorded one (or apt knows no candidate without an update),
# nothing is downloaded.
#
# Needs a Debian-like host with apt. Adding the architecture and `apt-get
# update` need root (or password-less sudo); CI runs this as root.
# Any failure prints one line "fetch-debian-fixtures: ..." on stderr and exits 1.
#
# usage: scripts/fetch-debian-fixtures.sh [--force] [ARCH]   (--force: download again; ARCH default mipsel)
set -euo pipefail
script_dir=${BASH_SOURCE[0]%/*}
[ "$script_dir" = "${BASH_SOURCE[0]}" ] && script_dir=.
cd "$script_dir/.." || exit 1

PKG=busybox-static
die() {
  echo "fetch-debian-fixtures: $*" >&2
  exit 1
}

FORCE=0
ARCH=mipsel
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -*) die "unknown option '$arg' (usage: $0 [--force] [ARCH])" ;;
    *) ARCH=$arg ;;
  esac
done

# per architecture: the ELF header the binary must have (EI_CLASS+EI_DATA as hex, e_machine as
# its two bytes in file order), and a name for messages
case "$ARCH" in
  mipsel) ELF_IDENT=0101 ELF_MACHINE=0800 ELF_DESC="32-bit little-endian MIPS (EM_MIPS, 8)" ;;
  arm64) ELF_IDENT=0201 ELF_MACHINE=b700 ELF_DESC="64-bit little-endian AArch64 (EM_AARCH64, 183)" ;;
  *) die "unknown architecture '$ARCH' (known: mipsel, arm64)" ;;
esac

DEST_DIR=test/fixtures/debian/$ARCH
DEST=$DEST_DIR/busybox
VERSION_FILE=$DEST_DIR/busybox.version

for tool in dpkg apt-get apt-cache dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found: this script needs a Debian-like host with apt (install $PKG:$ARCH by hand and copy its bin/busybox to $DEST)"
done

# run a command as root: directly when we are root, else through password-less sudo
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "'$*' needs root (run this script as root, or with password-less sudo)"
  fi
}

# apt's candidate version of busybox-static:$ARCH, empty when apt does not know the package
candidate() {
  apt-cache policy "$PKG:$ARCH" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '^(none)$' || true
}

# banner of a busybox binary ("BusyBox v1.35.0 (Debian 1:1.35.0-4+b3)"), read from its bytes
banner() {
  LC_ALL=C grep -aoE 'BusyBox v[0-9][^ ]* \([^)]*\)' "$1" | head -n 1 || true
}

# one fetch at a time: test files that need busybox start this script at once (vitest runs files in
# parallel), and two apt-get runs would fight over apt's locks; the later one then finds the binary there
mkdir -p "$DEST_DIR"
exec 9>"$DEST_DIR/.fetch.lock"
command -v flock >/dev/null 2>&1 && flock 9

have_version=""
[ -f "$DEST" ] && [ -f "$VERSION_FILE" ] && have_version=$(cat "$VERSION_FILE")

if ! dpkg --print-architecture | grep -qx "$ARCH" && ! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
  if [ -n "$have_version" ] && [ "$FORCE" = 0 ]; then
    echo "fetch-debian-fixtures: $DEST present ($PKG $have_version; $ARCH not enabled in dpkg, not checking for a newer one): $(banner "$DEST")"
    exit 0
  fi
  echo "fetch-debian-fixtures: dpkg --add-architecture $ARCH" >&2
  as_root dpkg --add-architecture "$ARCH" || die "dpkg --add-architecture $ARCH failed"
fi

cand=$(candidate)
if [ -n "$have_version" ] && [ "$FORCE" = 0 ]; then
  if [ -z "$cand" ] || [ "$cand" = "$have_version" ]; then
    echo "fetch-debian-fixtures: $DEST up to date ($PKG $have_version): $(banner "$DEST")"
    exit 0
  fi
fi

if [ -z "$cand" ]; then
  echo "fetch-debian-fixtures: $PKG:$ARCH not known to apt yet; apt-get update" >&2
  update_log=$(mktemp)
  if ! as_root apt-get update >"$update_log" 2>&1; then
    msg=$(grep -E '^(E|Err):' "$update_log" | head -n 1)
    rm -f "$update_log"
    die "apt-get update failed${msg:+: $msg}"
  fi
  rm -f "$update_log"
  cand=$(candidate)
  [ -n "$cand" ] || die "apt has no candidate for $PKG:$ARCH even after apt-get update (is the $ARCH architecture in the archive for this release? see /etc/apt/sources.list*)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fetch-debian-fixtures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt downloads as the unprivileged _apt user when it exists: let it write there
if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi

dl_log=$tmp/download.log
if ! (cd "$tmp" && apt-get download "$PKG:$ARCH=$cand") >"$dl_log" 2>&1; then
  die "apt-get download $PKG:$ARCH=$cand failed: $(grep -E '^(E|Err):' "$dl_log" | head -n 1)"
fi
deb=$(ls "$tmp"/${PKG}_*_"$ARCH".deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "apt-get download produced no ${PKG}_*_$ARCH.deb in $tmp"

mkdir "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x" || die "dpkg-deb -x $deb failed"
[ -f "$tmp/x/bin/busybox" ] || die "$deb has no bin/busybox"

# sanity: an ELF file of the architecture's class, byte order and e_machine
hdr=$(od -An -tx1 -N20 "$tmp/x/bin/busybox" | tr -d ' \n')
[ "${hdr:0:12}" = "7f454c46$ELF_IDENT" ] || die "bin/busybox of $deb is not a $ELF_DESC ELF file (ident ${hdr:0:12})"
[ "${hdr:36:4}" = "$ELF_MACHINE" ] || die "bin/busybox of $deb is not a $ELF_DESC ELF file (e_machine ${hdr:36:4})"

mkdir -p "$DEST_DIR"
cp "$tmp/x/bin/busybox" "$DEST.new"
chmod 0755 "$DEST.new"
mv -f "$DEST.new" "$DEST"
echo "$cand" >"$VERSION_FILE"
echo "fetch-debian-fixtures: $DEST <- $(basename "$deb") ($PKG $cand): $(banner "$DEST")"
