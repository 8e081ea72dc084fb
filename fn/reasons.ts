/**
 * Every reason an outcome or a result can give, with its words: the one registry the outcome, the pod checks
 * (inject/pod-checks.ts decides when each of theirs applies) and every report share. `detail` is what the
 * words need (a kind, an annotation's value, what a check found). A new reason is one entry here, a row in
 * docs/results.md (test/unit/reasons.test.ts holds the two together) and, for a pod check, its entry there.
 */
import {
  EBPF_CAPTURE_PREFIX,
  GOPROXY_DIAGNOSTICS_PORT,
  INJECT_ANNOTATION,
  LOCAL_CONFIG_ANNOTATION,
  POD_SECURITY_ENFORCE_LABEL,
  RECORD_ANNOTATION,
} from './vocabulary';

export const REASONS = {
  // What became of the resource.
  injected: () => 'injected the Speedscale sidecar',
  updated: () => 'updated the Speedscale sidecar',
  removed: () => 'removed the Speedscale sidecar',
  'up-to-date': () => 'already injected',
  'not-injected': () => 'not injected',
  'not-a-workload': (kind: string) => `not a workload (${kind || 'no kind'})`,
  'local-config': () => `local config (${LOCAL_CONFIG_ANNOTATION}: "true")`,
  'not-annotated': () => `not annotated ${INJECT_ANNOTATION}: "true"`,
  'inject-off': (value: string) => `annotated ${INJECT_ANNOTATION}: "${value}"`,
  kept: () => `annotated ${INJECT_ANNOTATION}: "true" (use \`uninstall\` to remove it anyway)`,
  list: () => 'a List: its items are reported one by one',
  'unsupported-kind': (kind: string) =>
    `${kind} has no known pod template: not injected; add it to the config's targets`,
  'no-pod-template': () => 'not injected: the pod template is missing or not a map',
  unplaceable: (what: string) => `not injected: ${what}; write it as a plain list or map, or remove the key`,
  aliased: (path: string) =>
    `not injected: ${path} is shared through a YAML anchor and its alias; adding to it would ` +
    'change every place that uses it; write it out in full here',
  'unsafe-edit': (where: string) => `cannot edit this YAML safely: ${where}; the workload is left as it was`,
  drift: (what: string) => `drift: ${what}`,
  'bad-record': (why: string) => why,
  'unrecorded-sidecar': (what: string) =>
    `not removed: ${what} is in the pod, but no injection record (${RECORD_ANNOTATION}) says what was ` +
    'added, and removal reads only the record; take the Speedscale containers, volumes and labels out by hand',
  'record-gone': (why: string) => `${why}: what the injection added there is left as it is; check it by hand`,
  'selector-label': (path: string) =>
    `not removed: ${path} selects the pods by a label the injection added to the pod template, which removal ` +
    'takes off; the API server refuses a selector that does not match its template: take it out of the ' +
    'selector (a Deployment is then recreated: its selector cannot change), then run again',
  'invalid-setting': (why: string) => why,
  'outside-anchor': (alias: string) =>
    `*${alias} names an anchor set in an earlier item; this function reads each item alone, so it cannot read ` +
    'this one: left as it is; write the value out in full here',
  'merge-order': (path: string) =>
    `not injected: ${path} is written before a merge key (<<) that also gives it: Kubernetes reads the merged ` +
    'value there, kustomize, kpt and this function the written one; write the key after the <<, or only once',
  'indirect-annotation': (key: string) =>
    `${key} is written as an alias or through a merge key (<<), which this function cannot read or edit ` +
    'in place; write it out as a plain key',
  'unknown-annotation': (why: string) => why,
  'invalid-config': (why: string) => why,
  'malformed-yaml': (why: string) => why,
  'not-an-object': (what: string) => `${what}, not a map, so not a Kubernetes object; left as it is`,
  'not-a-resource': (what: string) =>
    `${what}, not a resource: a ResourceList item must be a map with apiVersion and kind; copied through as it came`,
  'too-deep': (why: string) => why,
  'control-character': (why: string) => why,
  'invalid-name': (why: string) => why,
  'internal-error': (why: string) => why,
  // The pod checks' findings.
  'host-network': () =>
    'not injected: the pod uses hostNetwork: true, where iptables redirection would capture the whole node; ' +
    'use proxy-type reverse, forward or dual instead',
  'host-network-ports': (d) =>
    `hostNetwork: true: the proxy listens on the node's ports ${d}, so only one such pod runs per ` +
    'node (a second one cannot bind them) and nothing else on the node may use them; keep replicas on separate ' +
    'nodes (pod anti-affinity) or give each workload its own proxy-in-port and proxy-out-port',
  windows: (d) =>
    `not injected: the pod runs on Windows (${d}), where the goproxy and iptables images, built for Linux, ` +
    'cannot run',
  'no-containers': () => 'not injected: the pod template has no containers',
  linkerd: (d) =>
    `not injected: ${d}; Linkerd's proxy uses the same ports (4143/4140) and uid (2102) as goproxy, ` +
    'so the two cannot share a pod',
  istio: (d) =>
    `${d}: Istio and goproxy both redirect with iptables; set istio-cni: "true" if Istio runs with its CNI ` +
    "agent, and check Speedscale's Istio guide",
  'istio-iptables': (d) =>
    `not injected: ${d}; the rules of redirect: iptables let only goproxy's own traffic through, so Istio's ` +
    "proxy and goproxy would redirect each other's outbound connections in a loop; use redirect: script " +
    '(with istio-cni: "true" if Istio runs with its CNI agent) and check Speedscale\'s Istio guide',
  'ebpf-capture': (d) =>
    `not injected: ${d} asks for Speedscale's eBPF capture, which the operator never combines with the ` +
    `sidecar; remove the ${EBPF_CAPTURE_PREFIX}* or the sidecar.speedscale.com/inject annotations`,
  'pod-security': (d) =>
    `not injected: ${d}, label the namespace ${POD_SECURITY_ENFORCE_LABEL}: privileged, or take ` +
    'sidecar.speedscale.com/inject off this workload',
  'port-conflict': (d) => `not injected: ${d}; set proxy-in-port/proxy-out-port to free ports`,
  'foreign-speedscale': (d) =>
    `not injected: ${d} exists but was not added by this function (no injection record); remove it, then run again`,
  'claim-name': (d) =>
    `not injected: the StatefulSet's volumeClaimTemplate ${d} is named like the volume the injection adds, and ` +
    'the controller would mount the claim in its place; turn off the setting that adds it for this workload (a ' +
    'claim template is renamed only by recreating the StatefulSet, and its claims with it)',
  'pod-resources': (d) => `not injected: ${d}`,
  'user-value': (d) =>
    `${d}: kept as written, the injected value is not added; remove it there if the Speedscale one should apply`,
  'probe-redirected': (d) =>
    `${d} goes through the proxy (capture-node-traffic is true), so it fails whenever goproxy is not ready; ` +
    'add its port to ignore-inbound-ports to exempt it',
  'init-before-proxy': (d) =>
    `${d} run after the iptables redirect (insert-init-first) but before the classic proxy starts, so their ` +
    'outbound TCP connections are refused; set nativeSidecar: true, or leave insert-init-first off',
  'run-to-completion': (d) =>
    `${d} pods will not complete: the classic goproxy sidecar keeps running after the app exits; ` +
    'set nativeSidecar: true (Kubernetes >= 1.29) so the Job can finish',
  'non-transparent': (d) => `proxy type ${d}`,
  // Environments, the app's side of the proxy, Services, eBPF (docs/environments.md).
  environment: (d) => `environment ${d}`,
  'environment-unfit': (d) => `not injected for environment ${d}`,
  'environment-advice': (d) => `environment ${d}`,
  'app-proxy': (d) => d,
  'service-target-port': (d) => d,
  'service-untouched': (d) => `${d}: its targetPort is left as it is`,
  'no-service': (d) =>
    `service-target-port is proxy, but no Service in this package selects these pods, so none is pointed at the ` +
    `proxy's in-port ${d}; run over the package that holds the Service too (kpt's --match-kind or a file run ` +
    'alone leaves it out), or set its targetPort by hand',
  'service-maybe': (d) =>
    `service-target-port is proxy, but the Services of this package that may select these pods name labels ` +
    `their controller sets, whose values the package does not hold (${d}): only the cluster knows whether they ` +
    "select them, so none is pointed at the proxy's in-port; select the pods by their template's labels, or " +
    "point the Service's targetPort at the in-port by hand",
  'egress-denied': (d) => `${d} (forwarder-addr)`,
  'network-policy': (d) =>
    `NetworkPolicy ${d}, where callers reach the reverse proxy: they would be refused there; add the in-port to ` +
    'its ingress ports',
  'service-left': (d) =>
    `no Service in this package selects these pods: one an earlier run pointed at the proxy's in-port ${d} keeps ` +
    'that targetPort, where nothing listens once this removal is applied; run over the package that holds the ' +
    'Service too, or set its targetPort back by hand',
  'moved-to-ebpf': (d) => `moved to Speedscale's eBPF capture: ${d}`,
  'ebpf-blocked': (d) => `not moved to eBPF capture: ${d}; the workload is left as it was`,
  // Manifests as Kubernetes reads them (issue 21).
  hook: (d) =>
    `not injected: ${d} runs to completion and a sidecar would keep it from finishing; annotate it ` +
    `${INJECT_ANNOTATION}: "true" to inject it anyway`,
  'workload-ref': (d) => `not injected: its pods come from ${d} (spec.workloadRef); inject that workload instead`,
  'null-item': (where: string) => `${where} is empty (null), not a resource; left as it is`,
  'wrong-api-version': (d) => `not injected: ${d}; write the apiVersion the kind is served under`,
  'no-name': () =>
    'not injected: the workload has no metadata.name (a string), which the proxy labels its traffic with ' +
    '(APP_LABEL); give it a name',
  'proxy-uid': (d) =>
    `${d}, the proxy's: the iptables rules let that uid's traffic through, so its outbound calls are not ` +
    'captured; run it as another uid, or set proxy-uid to a free one',
  'non-tcp-port': (d) =>
    `${d}: the proxy captures TCP only, so this traffic is not captured (it still flows, around the proxy)`,
  'diagnostics-port': (d) =>
    `${d}, where goproxy serves its local diagnostics API (localhost:${GOPROXY_DIAGNOSTICS_PORT}): in one pod, ` +
    'one of the two cannot bind it; move the app off that port if it fails to start',
  'operator-strips': () =>
    `injected without ${INJECT_ANNOTATION}: "true" and with operator-ignore off: Speedscale's operator takes the ` +
    `sidecar out of a workload that lacks that annotation when its webhook sees it; annotate the workload ` +
    `${INJECT_ANNOTATION}: "true", or leave operator-ignore on`,
} satisfies Record<string, (detail: string) => string>;

/**
 * How a refusal (`not injected: ...`) begins where an earlier run injected the workload: an error edits nothing,
 * so that sidecar stays (process.ts).
 */
export const SIDECAR_STAYS = 'not updated (the sidecar an earlier run injected stays as it is)';

export type Reason = keyof typeof REASONS;

/** The reason's words for `detail`. */
export const reasonWords = (reason: Reason, detail = ''): string => REASONS[reason](detail);
