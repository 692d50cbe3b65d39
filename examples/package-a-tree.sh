#!/usr/bin/env bash
# Packaging without a recipe: make a signing key, package a small tree as a signed .apk, publish it in a
# signed repository index, then verify the package. Usage: examples/package-a-tree.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
larder() { node dist/cli/main.js "$@"; }

work=${1:-$(mktemp -d -t larder-quickstart.XXXXXX)}
arch=$(node -e "console.log({x64:'x86_64',arm64:'aarch64'}[process.arch] ?? process.arch)")
mkdir -p "$work/tree/usr/bin" "$work/repo/$arch"
printf '#!/bin/sh\necho "hello from a larder package"\n' >"$work/tree/usr/bin/hello"
chmod 0755 "$work/tree/usr/bin/hello"

echo "== keygen"
larder keygen --name quickstart --out "$work/keys"
echo "== apk create"
larder apk create --name hello --version 1.0.0-r0 --description 'hello, packaged by larder' \
  --license Apache-2.0 --provides cmd:hello=1.0.0-r0 \
  --from "$work/tree" --sign-key "$work/keys/quickstart.rsa" -o "$work/repo/$arch/hello-1.0.0-r0.apk"
echo "== index"
larder index --sign-key "$work/keys/quickstart.rsa" -o "$work/repo/$arch/APKINDEX.tar.gz" "$work/repo/$arch/"*.apk
echo "== apk verify"
larder apk verify --keyring "$work/keys/quickstart.rsa.pub" "$work/repo/$arch/hello-1.0.0-r0.apk"
echo "== apk info"
larder apk info "$work/repo/$arch/hello-1.0.0-r0.apk"
echo "== apk contents"
larder apk contents "$work/repo/$arch/hello-1.0.0-r0.apk"
echo "== image build"
cat >"$work/image.yaml" <<YAML
contents:
  repositories: [$work/repo]
  keyring: [$work/keys/quickstart.rsa.pub]
  packages: [hello]
entrypoint:
  command: /usr/bin/hello
archs: [$arch]
YAML
larder image build "$work/image.yaml" -o "$work/image" -t quickstart/hello:1 --sbom-dir "$work/sbom" --state-dir "$work/state"
echo "== done: repository $work/repo, OCI layout $work/image, SBOMs $work/sbom"
