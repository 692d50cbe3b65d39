#!/bin/sh
# Stage 0 of a first distribution: there are no compiler packages yet, so this packages the build
# host's own C toolchain (Debian's gcc, make, binutils, libc6-dev, coreutils, dash, sed, grep and
# everything they depend on, as dpkg lists them) as ONE signed APK, `host-toolchain`, and indexes
# it in REPO. The recipes then name it in environment.contents and build in a bubblewrap sandbox
# whose root is made from packages only (larder's default runner), not from the host.
#
# AN EXAMPLE SHORTCUT, NOT A DISTRIBUTION: a real one builds its toolchain from recipes. Debian or
# Ubuntu only (it asks dpkg); the package is only as good as the host it came from.
#
# Usage: host-toolchain.sh REPO KEY.rsa   (LARDER: the larder command; default: this clone's)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=${1:?usage: host-toolchain.sh REPO KEY.rsa}
key=${2:?usage: host-toolchain.sh REPO KEY.rsa}
larder=${LARDER:-node $here/../../dist/cli/main.js}
command -v dpkg-query >/dev/null || { echo "host-toolchain.sh: needs dpkg (Debian or Ubuntu)" >&2; exit 2; }

installed() { dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }

# The installed dependency closure of the roots; an alternative is the first installed one.
roots="gcc make libc6-dev coreutils dash sed grep"
for p in $roots; do installed "$p" || { echo "host-toolchain.sh: Debian package $p is not installed (apt-get install $roots)" >&2; exit 2; }; done
# Left out: what a C build of these examples never runs (package managers, sanitizer runtimes).
skip=" dpkg tar libasan8 liblsan0 libtsan2 libubsan1 libhwasan0 libgprofng0 libitm1 libquadmath0 "
seen=" "
queue=$roots
while [ -n "$queue" ]; do
  set -- $queue
  p=$1
  shift
  queue="$*"
  case "$seen$skip" in *" $p "*) continue ;; esac
  seen="$seen$p "
  for alt in $(dpkg-query -W -f '${Pre-Depends}, ${Depends}' "$p" | sed 's/([^)]*)//g; s/:any//g; s/ //g' | tr ',' '\n'); do
    for c in $(printf '%s' "$alt" | tr '|' ' '); do
      if installed "$c"; then queue="$queue $c"; break; fi
    done
  done
done

arch=$(dpkg --print-architecture)
case $arch in amd64) apkarch=x86_64 ;; arm64) apkarch=aarch64 ;; *) apkarch=$arch ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir -p "$tree/usr/bin" "$tree/usr/sbin" "$tree/usr/lib" "$tree/usr/lib64" "$tree/etc" "$tree/tmp"
# The usr-merged layout of Debian 12: /bin, /sbin, /lib and /lib64 are links into /usr.
for d in bin sbin lib lib64; do ln -s "usr/$d" "$tree/$d"; done

# Every file and link the packages list, at its /usr path; documentation and the LTO tools stay out.
# shellcheck disable=SC2086
dpkg-query -L $seen | grep -v -E '^/usr/share/(doc|man|info|locale|lintian|bug|bash-completion|gdb|menu)/|lto-dump|/lto1$|ld\.gold$' |
  sort -u | while IFS= read -r f; do
    if [ -L "$f" ] || [ -f "$f" ]; then printf '%s\n' "${f#/}"; fi
  done >"$work/files"
tar -C / --no-recursion -T "$work/files" -cf - |
  tar -C "$tree" --transform 's,^\(bin\|sbin\|lib\|lib64\)/,usr/\1/,' -xf -
chmod 1777 "$tree/tmp"
versions=$(dpkg-query -W -f '${Package}=${Version} ' gcc-12 binutils libc6 make)

mkdir -p "$repo/$apkarch"
$larder apk create --name host-toolchain --version 1.0.0-r0 --arch "$apkarch" \
  --description "the build host's C toolchain ($versions) (example shortcut)" \
  --license GPL-3.0-or-later --provides cmd:gcc=1.0.0-r0 --provides cmd:make=1.0.0-r0 --provides cmd:sh=1.0.0-r0 \
  --from "$tree" --sign-key "$key" -o "$repo/$apkarch/host-toolchain-1.0.0-r0.apk" -q >/dev/null
$larder index --sign-key "$key" -o "$repo/$apkarch/APKINDEX.tar.gz" "$repo/$apkarch/host-toolchain-1.0.0-r0.apk" -q >/dev/null
echo "$repo/$apkarch/host-toolchain-1.0.0-r0.apk"
