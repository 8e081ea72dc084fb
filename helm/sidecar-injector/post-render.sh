#!/bin/sh
# Helm post-renderer: the rendered manifests on stdin, the same manifests on stdout with the sidecar in the
# workloads annotated sidecar.speedscale.com/inject: "true" (as the KRM function), a non-zero exit and the
# reason on stderr when a resource is in error. Arguments are the CLI's options: --config FILE, --image REF...
# --fail-on never: a refused workload is reported on stderr and left as it was, and the release goes on (exit 0).
#   Helm 3: helm install shop ./chart --post-renderer ./helm/sidecar-injector/post-render.sh
#   Helm 4: the plugin.yaml beside this file runs it.
set -eu
# The bundle of this checkout or npm package (the plugin directory sits two levels below its root), else PATH.
# Physical paths: Helm links the plugin directory into its own, and `..` must leave the real one.
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
bundle="$here/../../dist/sidecar-injector.js"
if [ -f "$bundle" ]; then
  exec node "$bundle" inject --annotated --quiet "$@"
fi
exec sidecar-injector inject --annotated --quiet "$@"
