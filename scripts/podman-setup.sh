#!/bin/sh
# Prepare podman for the image tests on a machine that reaches no image registry.
#
#  1. containers.conf drop-in: `default_ulimits = []` (podman's default nofile ulimit exceeds the hard
#     limit of these VMs and runc refuses to start the container) and runtime runc (no crun here).
#  2. Local base images assembled from this machine's own files, standing in for registry images:
#       $NODE_BASE_IMAGE   node + its shared libraries + passwd/group with nobody; no shell (like distroless)
#       $NODE_BUILD_IMAGE  the above + npm, /bin/sh, /usr/bin/env and this machine's CA bundle (npm ci)
#       $DEBIAN_BASE_IMAGE a minbase Debian bookworm made by mmdebstrap (for the iptables init image);
#                          skipped with a warning when mmdebstrap is not installed
#
# Idempotent: the config is rewritten only when it differs, and an image is rebuilt only when its
# `sidecar-injector.source` label (node version + binary checksum, or suite) changed. FORCE=1 rebuilds.
# Needs root for the system-wide drop-in; as another user the drop-in goes to ~/.config/containers.
set -eu

NODE_BASE_IMAGE=${NODE_BASE_IMAGE:-localhost/sidecar-injector/node-base:local}
NODE_BUILD_IMAGE=${NODE_BUILD_IMAGE:-localhost/sidecar-injector/node-build:local}
DEBIAN_BASE_IMAGE=${DEBIAN_BASE_IMAGE:-localhost/sidecar-injector/debian-base:local}
DEBIAN_SUITE=${DEBIAN_SUITE:-bookworm}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
FORCE=${FORCE:-0}

log() { printf 'podman-setup: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v podman >/dev/null 2>&1 || die "podman is not installed (Debian: apt-get install podman runc)"
command -v runc >/dev/null 2>&1 || die "runc is not installed (Debian: apt-get install runc)"
NODE_BIN=$(command -v node) || die "node is not on PATH"
NODE_BIN=$(readlink -f "$NODE_BIN")

# --- 1. containers.conf drop-in ---------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
  conf_dir=/etc/containers/containers.conf.d
else
  conf_dir=${XDG_CONFIG_HOME:-$HOME/.config}/containers/containers.conf.d
fi
conf_file=$conf_dir/50-sidecar-injector.conf
conf_text='# Written by sidecar-injector scripts/podman-setup.sh
[containers]
# The default nofile ulimit is above this machine'"'"'s hard limit; runc then fails with
# "error setting rlimit type 7: operation not permitted".
default_ulimits = []

[engine]
runtime = "runc"
'
if [ "$(cat "$conf_file" 2>/dev/null || true)" != "$(printf '%s' "$conf_text")" ]; then
  mkdir -p "$conf_dir"
  printf '%s' "$conf_text" >"$conf_file"
  log "wrote $conf_file"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/podman-setup.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

image_source() { podman image inspect --format '{{index .Labels "sidecar-injector.source"}}' "$1" 2>/dev/null || true; }
up_to_date() { [ "$FORCE" != 1 ] && [ "$(image_source "$1")" = "$2" ]; }

# Copy a file to the same absolute path under a root, following symlinks for the content.
copy_into() { # root path
  mkdir -p "$1$(dirname "$2")"
  cp -L "$2" "$1$2"
}

# Copy a binary and every shared library ldd lists (plus the loader) into a root.
copy_with_libs() { # root binary [dest]
  mkdir -p "$1$(dirname "${3:-$2}")"
  cp -L "$2" "$1${3:-$2}"
  for lib in $(ldd "$2" | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
    [ -e "$1$lib" ] || copy_into "$1" "$lib"
  done
}

# A root with the host's merged-/usr layout, users like distroless, node at /usr/local/bin/node.
make_node_root() { # root
  root=$1
  mkdir -p "$root/usr/lib" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/tmp" "$root/root"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
  for d in lib lib64 bin sbin; do
    if [ -L "/$d" ]; then
      ln -s "$(readlink "/$d")" "$root/$d"
      mkdir -p "$root/$(readlink -f "/$d")"
    fi
  done
  copy_with_libs "$root" "$NODE_BIN" /usr/local/bin/node
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
nonroot:x:65532:
EOF
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
}

import_root() { # root tag source [--change ...]
  root=$1 tag=$2 source=$3
  shift 3
  tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" .
  podman import --quiet \
    --change "LABEL sidecar-injector.source=$source" \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' \
    "$@" "$work/rootfs.tar" "$tag" >/dev/null
  rm -f "$work/rootfs.tar"
  log "built $tag"
}

# --- 2a. runtime base: node only ---------------------------------------------------------------
node_source="node-$("$NODE_BIN" --version)-$(sha256sum "$NODE_BIN" | cut -c1-16)"
if up_to_date "$NODE_BASE_IMAGE" "$node_source"; then
  log "$NODE_BASE_IMAGE is up to date"
else
  make_node_root "$work/base"
  import_root "$work/base" "$NODE_BASE_IMAGE" "$node_source"
  rm -rf "$work/base"
fi

# --- 2b. build base: node + npm + sh + env + CA bundle -------------------------------------------
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")   # .../node_modules/npm
npm_version=$(node -p "require('$npm_dir/package.json').version")
ca_bundle=/etc/ssl/certs/ca-certificates.crt
ca_sum=$( [ -f "$ca_bundle" ] && sha256sum "$ca_bundle" | cut -c1-16 || echo none)
build_source="$node_source-npm-$npm_version-ca-$ca_sum"
if up_to_date "$NODE_BUILD_IMAGE" "$build_source"; then
  log "$NODE_BUILD_IMAGE is up to date"
else
  root=$work/build
  make_node_root "$root"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  # npm runs lifecycle scripts with sh -c, and its bin has `#!/usr/bin/env node`.
  copy_with_libs "$root" "$(readlink -f /bin/sh)" /bin/sh
  copy_with_libs "$root" "$(readlink -f "$(command -v env)")" /usr/bin/env
  set --
  if [ -f "$ca_bundle" ]; then
    # This machine's egress may re-sign TLS; npm ci inside the build must trust the same CAs.
    copy_into "$root" "$ca_bundle"
    set -- --change "ENV NODE_EXTRA_CA_CERTS=$ca_bundle"
  fi
  import_root "$root" "$NODE_BUILD_IMAGE" "$build_source" --change 'ENV HOME=/root' "$@"
  rm -rf "$root"
fi

# --- 2c. Debian base for the init image ----------------------------------------------------------
debian_source="mmdebstrap-minbase-$DEBIAN_SUITE"
if up_to_date "$DEBIAN_BASE_IMAGE" "$debian_source"; then
  log "$DEBIAN_BASE_IMAGE is up to date"
elif ! command -v mmdebstrap >/dev/null 2>&1; then
  log "warning: mmdebstrap is not installed, $DEBIAN_BASE_IMAGE not built (Debian: apt-get install mmdebstrap)"
else
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
    "$DEBIAN_SUITE" "$work/debian.tar" \
    "deb $DEBIAN_MIRROR $DEBIAN_SUITE main" \
    "deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main" \
    "deb $DEBIAN_SECURITY_MIRROR $DEBIAN_SUITE-security main"
  podman import --quiet \
    --change "LABEL sidecar-injector.source=$debian_source" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$work/debian.tar" "$DEBIAN_BASE_IMAGE" >/dev/null
  rm -f "$work/debian.tar"
  log "built $DEBIAN_BASE_IMAGE"
fi

# --- check ----------------------------------------------------------------------------------------
out=$(podman --runtime runc run --rm --network none --user nobody "$NODE_BASE_IMAGE" node -e 'console.log(1)') \
  || die "$NODE_BASE_IMAGE does not run node as nobody"
[ "$out" = 1 ] || die "$NODE_BASE_IMAGE printed '$out' instead of 1"
log "ok: $NODE_BASE_IMAGE runs node as nobody with no network"
