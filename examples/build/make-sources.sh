#!/bin/sh
# Makes the source tarballs the recipes fetch, deterministically (sorted names, mtime 0, owner 0,
# gzip without a name or time), so their SHA-256 is the one written in the recipes.
# Usage: make-sources.sh OUTDIR   (run from anywhere; reads this script's src/)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: make-sources.sh OUTDIR}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/libgreet-1.0.0" "$work/greet-1.0.0"
cp "$here"/src/libgreet/* "$work/libgreet-1.0.0/"
cp "$here"/src/greet/* "$work/greet-1.0.0/"
chmod -R u=rwX,go=rX "$work"
for name in libgreet greet; do
  tar -C "$work" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - "$name-1.0.0" \
    | gzip -n -9 > "$out/$name-1.0.0.tar.gz"
done
