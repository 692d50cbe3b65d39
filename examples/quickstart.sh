#!/usr/bin/env bash
# The quick start, the main job end to end: from C sources and melange recipes to a running image.
#   1. installs the system tools it needs (apt-get, when run as root and they are missing);
#   2. makes a signing key;
#   3. packages the host's C toolchain as the one bootstrap package (examples/build/host-toolchain.sh);
#   4. builds examples/build/recipes in bubblewrap sandboxes whose roots are made of packages,
#      publishing each package into a signed repository as it is built;
#   5. composes an OCI image from that repository (with SBOMs) and runs its entrypoint under bwrap.
# Usage: examples/quickstart.sh [WORKDIR]   (x86_64 Debian or Ubuntu)
set -euo pipefail
cd "$(dirname "$0")/.."
larder() { node "$cli" "$@"; }
cli=$PWD/dist/cli/main.js
export LARDER="node $cli"

# 1. System tools: bwrap runs the build steps and the image, gcc and make build the examples, umoci
# unpacks the image for bwrap.
need=()
for tool in bwrap:bubblewrap gcc:gcc make:make umoci:umoci; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
dpkg-query -W -f '${db:Status-Status}' libc6-dev 2>/dev/null | grep -qx installed || need+=(libc6-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "quickstart: needs ${need[*]}: run 'sudo apt-get install ${need[*]}' first" >&2
    exit 2
  fi
  echo "== apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=${1:-$(mktemp -d -t larder-quickstart.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
# A fresh run each time: what an earlier run left in WORKDIR is replaced.
rm -rf "$work/tree" "$work/keys" "$work/repo" "$work/image" "$work/sbom" "$work/bundle"
cp -r examples/build "$work/tree"

echo "== keygen"
larder keygen --name quickstart --out "$work/keys" -q
echo "== sources: deterministic tarballs the recipes fetch with their checksums"
sh "$work/tree/make-sources.sh" "$work/tree/sources"
echo "== bootstrap: the host's toolchain as one signed package"
sh "$work/tree/host-toolchain.sh" "$work/repo" "$work/keys/quickstart.rsa"
echo "== build-all: every recipe, in order, in a bubblewrap sandbox"
(cd "$work/tree" && larder build-all recipes --out-dir "$work/repo" --sign-key "$work/keys/quickstart.rsa" \
  --state-dir "$work/state" -q)
echo "== image build"
(cd "$work/tree" && larder image build image.yaml --repository-append "$work/repo" \
  --keyring-append "$work/keys/quickstart.rsa.pub" -o "$work/image" -t greet:1 --sbom-dir "$work/sbom" \
  --state-dir "$work/state" -q)
echo "== run: the image's entrypoint under bwrap"
umoci --log=error unpack --rootless --image "$work/image:greet:1" "$work/bundle" >/dev/null
entrypoint=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).process.args.join(" "))' "$work/bundle/config.json")
caps=()
[ "$(id -u)" = 0 ] && caps=(--cap-drop ALL)
# shellcheck disable=SC2086
env -i PATH=/usr/bin:/bin bwrap --bind "$work/bundle/rootfs" / --proc /proc --dev /dev --unshare-all \
  --die-with-parent "${caps[@]}" -- $entrypoint
echo "== done: repository $work/repo (key $work/keys/quickstart.rsa.pub), OCI layout $work/image, SBOMs $work/sbom"
