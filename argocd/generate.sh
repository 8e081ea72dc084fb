#!/bin/sh
# Argo CD config management plugin (v2), `generate`: argocd-cmp-server runs it in the application's source
# directory; only the manifests may reach stdout. It renders the application as Argo CD would (kustomize
# build, or helm template with the application's name and namespace), then injects the workloads annotated
# sidecar.speedscale.com/inject: "true". Settings: ./sidecar-injector.yaml (a SidecarInjector or ConfigMap,
# as --config), then the plugin's parameters, which argocd-cmp-server passes as PARAM_<NAME> (the name in
# capitals, dashes as underscores): each becomes the CLI flag --<name>.
set -eu

# The boolean config keys (flags --<key> / --no-<key>); test/integration/argocd.test.ts keeps it equal to the schema's.
BOOLEANS="privileged insert-init-first tls-out tls-java-tool-options ignore-loopback track-loopback capture-node-traffic prometheus-enable-scrape-annotations istio-cni kube-api-support diagnostics mount-known-ca native-sidecar"

set --
[ -f sidecar-injector.yaml ] && set -- --config sidecar-injector.yaml
for var in $(env | sed -n 's/^PARAM_\([A-Z0-9_]*\)=.*/\1/p'); do
  eval "value=\${PARAM_$var}"
  [ -n "$value" ] || continue
  flag=$(printf '%s' "$var" | tr 'A-Z_' 'a-z-')
  case " $BOOLEANS " in
    *" $flag "*)
      case "$value" in
        true) set -- "$@" "--$flag" ;;
        false) set -- "$@" "--no-$flag" ;;
        *) echo "sidecar-injector: parameter $flag: expected true or false, got \"$value\"" >&2; exit 1 ;;
      esac ;;
    *) set -- "$@" "--$flag" "$value" ;;
  esac
done

# Rendered into a file first: a failed build must fail the sync, not pipe an empty set into the injector.
rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
if [ -f kustomization.yaml ] || [ -f kustomization.yml ] || [ -f Kustomization ]; then
  kustomize build . > "$rendered"
elif [ -f Chart.yaml ]; then
  helm template "${ARGOCD_APP_NAME:-release}" . --namespace "${ARGOCD_APP_NAMESPACE:-default}" --include-crds > "$rendered"
else
  echo "sidecar-injector: $PWD has neither a kustomization nor a Chart.yaml" >&2
  exit 1
fi
sidecar-injector inject --annotated --quiet "$@" < "$rendered"
