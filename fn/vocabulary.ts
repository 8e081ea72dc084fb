/**
 * Every annotation key, label and name the function reads or writes, in one place: ours, the KRM
 * orchestrators', and the other tools' whose markers the checks read. Strings inside messages and the
 * rendered containers' env names live with their renderers; what identifies a thing lives here.
 */

// --- Ours ---
export const ANNOTATION_PREFIX = 'sidecar.speedscale.com/';
/** The opt-in: `"true"` injects, `"false"` (or no annotation) removes. */
export const INJECT_ANNOTATION = `${ANNOTATION_PREFIX}inject`;
/** The record of what was added (fn/inject/record.ts): removal deletes exactly that. */
export const RECORD_ANNOTATION = `${ANNOTATION_PREFIX}injection`;
/** On the workload and its pod template: find injected pods, exempt them from policies. */
export const INJECTED_LABEL = `${ANNOTATION_PREFIX}injected`;
/** Keys under the prefix that the function writes itself: not settings, never "unknown". */
export const OWN_KEYS: ReadonlySet<string> = new Set([RECORD_ANNOTATION, INJECTED_LABEL]);
/**
 * Whether JSON data mentions one of our keys (in a key or a string): data that reaches an item only through an
 * alias, where the text search of the candidates cannot see it.
 */
export function mentionsOurDomain(data: unknown): boolean {
  if (typeof data === 'string') return data.includes(ANNOTATION_PREFIX);
  if (Array.isArray(data)) return data.some(mentionsOurDomain);
  if (typeof data !== 'object' || data === null) return false;
  return Object.entries(data).some(([key, value]) => key.includes(ANNOTATION_PREFIX) || mentionsOurDomain(value));
}
/** The typed functionConfig's apiVersion (kind SidecarInjector). */
export const CONFIG_API_VERSION = 'sidecar.speedscale.com/v1alpha1';
export const CONFIG_KIND = 'SidecarInjector';

/** The containers the function adds. */
export const SIDECAR = 'speedscale-goproxy';
export const INIT_IPTABLES = 'speedscale-initproxy-iptables';
export const INIT_SMARTDNS = 'speedscale-initproxy-smartdns';
export const OWN_CONTAINERS = [SIDECAR, INIT_IPTABLES, INIT_SMARTDNS] as const;
/** The name of the sidecar's inbound port, which a NetworkPolicy may name. */
export const PROXY_IN_PORT = 'proxy-in';

/** goproxy's local diagnostics HTTP API (Speedscale's performance page): a port it takes in every pod. */
export const GOPROXY_DIAGNOSTICS_PORT = 4100;

/** The volumes the function adds. */
export const VOLUMES = {
  tlsOut: 'speedscale-tls-out',
  ca: 'speedscale-ca',
  tlsIn: 'speedscale-tls-in',
  mutual: 'speedscale-tls-mutual',
  diagnostics: 'speedscale-diagnostics',
} as const;

// --- Kubernetes and kubectl ---
/** Added to the pod template (only when absent) so `kubectl logs`/`exec` keep picking the app. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
/** A Namespace label naming the Pod Security level enforced there. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

// --- KRM orchestrators (kpt, kustomize) ---
export const RESOURCE_LIST_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1'];
export const PATH_ANNOTATION = 'internal.config.kubernetes.io/path';
export const INDEX_ANNOTATION = 'internal.config.kubernetes.io/index';
export const LEGACY_PATH_ANNOTATION = 'config.kubernetes.io/path';
export const LEGACY_INDEX_ANNOTATION = 'config.kubernetes.io/index';
/**
 * The annotations kpt and kustomize add to every resource they pass a function and take away again when they
 * write it (the file, the index, the ids, the list indentation): never the author's.
 */
const ORCHESTRATOR_ANNOTATION =
  /^(?:internal\.config\.kubernetes\.io\/.+|config\.kubernetes\.io\/(?:index|path)|(?:kustomize\.)?config\.k8s\.io\/id)$/;
export const isOrchestratorAnnotation = (key: string): boolean => ORCHESTRATOR_ANNOTATION.test(key);
/** A resource marked `"true"` is configuration for the orchestrator, never a workload. */
export const LOCAL_CONFIG_ANNOTATION = 'config.kubernetes.io/local-config';

// --- Meshes, whose proxies cannot share a pod with goproxy unawares ---
export const ISTIO_INJECT_ANNOTATION = 'sidecar.istio.io/inject';
export const ISTIO_INJECTION_LABEL = 'istio-injection';
export const ISTIO_REV_LABEL = 'istio.io/rev';
export const LINKERD_INJECT_ANNOTATION = 'linkerd.io/inject';

// --- Speedscale's eBPF capture, which the operator never combines with the sidecar ---
export const EBPF_CAPTURE_PREFIX = 'capture.speedscale.com/';
/** The workload's opt-in to eBPF capture (capture: ebpf adds it). */
export const EBPF_ENABLED_ANNOTATION = `${EBPF_CAPTURE_PREFIX}enabled`;
/** The eBPF Java agent: its own init container, the app's own TLS trust (never our truststore flags). */
export const EBPF_JAVA_AGENT_ANNOTATION = `${EBPF_CAPTURE_PREFIX}java-agent`;

// --- Speedscale's operator ---
/** "Skip processing of this workload regardless of any other Speedscale annotations" (operatorIgnore). */
export const OPERATOR_IGNORE_ANNOTATION = 'operator.speedscale.com/ignore';

// --- Hooks: resources Helm or Argo CD run to completion at a point of a release or sync ---
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
export const ARGOCD_HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HOOK_ANNOTATIONS = [HELM_HOOK_ANNOTATION, ARGOCD_HOOK_ANNOTATION] as const;

// --- Prometheus scrape annotations (prometheus-enable-scrape-annotations) ---
export const PROMETHEUS_SCRAPE = 'prometheus.io/scrape';
export const PROMETHEUS_PATH = 'prometheus.io/path';
export const PROMETHEUS_PORT = 'prometheus.io/port';
