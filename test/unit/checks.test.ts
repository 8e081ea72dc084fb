/** Skip decisions as a table: pod facts -> findings -> one action. */
import { describe, expect, it } from 'vitest';
import { profileLayer } from '../../fn/config/environments';
import { normalize } from '../../fn/config/normalize';
import type { WrittenSettings } from '../../fn/config/settings.generated';
import { decide, findings } from '../../fn/inject/pod-checks';
import type { PodFacts } from '../../fn/inject/pod-facts';
import { app, pod } from './_pod';

/** The gke-autopilot profile's values, for an app on 8080, as settings the user gave. */
const autopilot: WrittenSettings = { environment: 'gke-autopilot', ...profileLayer('gke-autopilot', [8080]) };

describe('decide', () => {
  const rows: [string, PodFacts, WrittenSettings, string, string[]][] = [
    ['a plain pod', pod({}), {}, 'inject', []],
    ['hostNetwork', pod({ hostNetwork: true }), {}, 'skip', ['host-network']],
    // The API server refuses the injected securityContext in a Windows pod; no proxy type changes that.
    ['a Windows pod', pod({ windows: 'os.name' }), {}, 'skip', ['windows']],
    // Nothing makes it take the sidecar: nothing else is said, neither what dual would add nor what would block.
    ['a Windows pod, dual', pod({ windows: 'nodeSelector' }), { proxyType: 'dual' }, 'skip', ['windows']],
    [
      'a Windows pod on the in-port, with hostNetwork',
      pod({ windows: 'os.name', containers: [{ ...app, ports: [4143] }], hostNetwork: true }),
      {},
      'skip',
      ['windows'],
    ],
    // No iptables in the non-transparent types: what Speedscale recommends for hostNetwork pods.
    [
      'hostNetwork, dual',
      pod({ hostNetwork: true }),
      { proxyType: 'dual' },
      'inject',
      ['non-transparent', 'host-network-ports'],
    ],
    [
      'eBPF capture asked on the workload',
      pod({ workloadAnnotations: { 'capture.speedscale.com/enabled': 'true' } }),
      {},
      'block',
      ['ebpf-capture'],
    ],
    // A CronJob's Jobs get its jobTemplate's metadata: there the operator reads the opt-in on each Job.
    [
      "eBPF capture asked on a CronJob's jobTemplate",
      pod({ kind: 'CronJob', madeAnnotations: { 'capture.speedscale.com/enabled': 'true' } }),
      { nativeSidecar: true },
      'block',
      ['ebpf-capture'],
    ],
    [
      'eBPF capture asked on the pod template',
      pod({ podAnnotations: { 'capture.speedscale.com/enabled': 'true' } }),
      {},
      'block',
      ['ebpf-capture'],
    ],
    // Opted out of eBPF capture: nothing there to combine with the sidecar.
    [
      'eBPF capture turned off',
      pod({
        workloadAnnotations: { 'capture.speedscale.com/enabled': 'false' },
        podAnnotations: { 'capture.speedscale.com/java-agent': 'false' },
      }),
      {},
      'inject',
      [],
    ],
    ['no containers', pod({ containers: [] }), {}, 'block', ['no-containers']],
    ['app on the in-port', pod({ containers: [{ ...app, ports: [4143] }] }), {}, 'block', ['port-conflict']],
    [
      'a native sidecar on the out-port',
      pod({ initContainers: [{ name: 'envoy', image: 'envoy', ports: [4140], sidecar: true }] }),
      {},
      'block',
      ['port-conflict'],
    ],
    [
      'an init container that runs before the app, on the out-port',
      pod({ initContainers: [{ name: 'setup', image: 'setup', ports: [4140] }] }),
      {},
      'inject',
      [],
    ],
    [
      'app on a moved out-port',
      pod({ containers: [{ ...app, ports: [9000] }] }),
      { proxyOutPort: 9000 },
      'block',
      ['port-conflict'],
    ],
    [
      'linkerd proxy',
      pod({ containers: [app, { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge', ports: [4143] }] }),
      {},
      'block',
      ['linkerd', 'port-conflict'],
    ],
    ['linkerd annotation', pod({ podAnnotations: { 'linkerd.io/inject': 'enabled' } }), {}, 'block', ['linkerd']],
    [
      'istio proxy',
      pod({ containers: [app, { name: 'istio-proxy', image: 'istio/proxyv2', ports: [15090] }] }),
      {},
      'inject',
      ['istio'],
    ],
    // redirect: iptables exempts only goproxy's uid: with Istio's proxy beside it, the two loop each other's traffic.
    [
      'istio proxy with redirect: iptables',
      pod({ containers: [app, { name: 'istio-proxy', image: 'istio/proxyv2', ports: [15090] }] }),
      { redirect: 'iptables' },
      'block',
      ['istio-iptables'],
    ],
    [
      'istio-cni with redirect: iptables',
      pod({}),
      { istioCni: true, redirect: 'iptables' },
      'block',
      ['istio-iptables'],
    ],
    ['istio-cni with the default redirect (script)', pod({}), { istioCni: true }, 'inject', []],
    [
      'istio proxy with redirect: iptables, non-transparent (no rules)',
      pod({ containers: [app, { name: 'istio-proxy', image: 'istio/proxyv2', ports: [15090] }] }),
      { redirect: 'iptables', proxyType: 'reverse', proxyPort: 8080 },
      'inject',
      ['istio', 'non-transparent'],
    ],
    [
      'goproxy without a record',
      pod({ containers: [app, { name: 'speedscale-goproxy', image: 'x', ports: [] }] }),
      {},
      'block',
      ['foreign-speedscale'],
    ],
    ['Job, classic sidecar', pod({ kind: 'Job' }), {}, 'inject', ['run-to-completion']],
    ['Job, native sidecar', pod({ kind: 'Job' }), { nativeSidecar: true }, 'inject', []],
    ['reverse proxy', pod({}), { proxyType: 'reverse' }, 'inject', ['non-transparent']],
    // Services read only for serviceTargetPort: proxy in reverse or dual; none of the package's selects the pods.
    [
      'reverse proxy for Services, none selecting the pods',
      pod({ selectedByService: 'no' }),
      { proxyType: 'reverse', serviceTargetPort: 'proxy' },
      'inject',
      ['non-transparent', 'no-service'],
    ],
    [
      'reverse proxy behind a NetworkPolicy that admits only the app port',
      pod({
        containers: [{ ...app, ports: [80] }],
        networkPolicies: [{ name: 'web-in', podSelector: {}, ingress: [[{ port: 80 }]] }],
      }),
      { proxyType: 'reverse' },
      'inject',
      ['non-transparent', 'network-policy'],
    ],
    // The package's Services may select the pods, by a label their controller sets: none is pointed at the proxy.
    [
      'reverse proxy for Services, one maybe selecting the pods',
      pod({ selectedByService: { maybe: ['Service web-0: statefulset.kubernetes.io/pod-name'] } }),
      { proxyType: 'reverse', serviceTargetPort: 'proxy' },
      'inject',
      ['non-transparent', 'service-maybe'],
    ],
    [
      'reverse proxy for Services, one selecting the pods',
      pod({ selectedByService: 'yes' }),
      { proxyType: 'reverse', serviceTargetPort: 'proxy' },
      'inject',
      ['non-transparent'],
    ],
    // goproxy's local diagnostics API takes 4100 in every pod.
    [
      'app on the diagnostics port',
      pod({ containers: [{ ...app, ports: [4100] }] }),
      {},
      'inject',
      ['diagnostics-port'],
    ],
    ['prometheus on the diagnostics port', pod({}), { prometheusPort: 4100 }, 'inject', ['diagnostics-port']],
    // The operator's webhook strips the sidecar from a workload without inject "true" it does not ignore.
    ['operator-ignore off, not annotated', pod({}), { operatorIgnore: false }, 'inject', ['operator-strips']],
    [
      'operator-ignore off, annotated',
      pod({ workloadAnnotations: { 'sidecar.speedscale.com/inject': 'true' } }),
      { operatorIgnore: false },
      'inject',
      [],
    ],
    [
      "operator-ignore off, the user's own ignore",
      pod({ podAnnotations: { 'operator.speedscale.com/ignore': 'true' } }),
      { operatorIgnore: false },
      'inject',
      [],
    ],
    [
      "operator-ignore off, the user's own ignore on a CronJob's jobTemplate",
      pod({ kind: 'CronJob', madeAnnotations: { 'operator.speedscale.com/ignore': 'true' } }),
      { operatorIgnore: false, nativeSidecar: true },
      'inject',
      [],
    ],
    [
      'the user\'s ignore "false" on a CronJob\'s jobTemplate is kept, and said',
      pod({ kind: 'CronJob', madeAnnotations: { 'operator.speedscale.com/ignore': 'false' } }),
      { nativeSidecar: true },
      'inject',
      ['user-value'],
    ],
    // Environments: what the platform refuses blocks, what it will refuse in the app is advice.
    ['gke-autopilot, as the profile sets it', pod({}), autopilot, 'inject', ['non-transparent']],
    [
      'gke-autopilot, no port for the reverse proxy',
      pod({}),
      { environment: 'gke-autopilot', ...profileLayer('gke-autopilot') },
      'block',
      ['non-transparent', 'environment-unfit'],
    ],
    [
      'gke-autopilot, transparent',
      pod({}),
      { ...autopilot, proxyType: 'transparent', proxyProtocol: 'http' },
      'block',
      ['environment-unfit'],
    ],
    [
      'gke-autopilot, a hostNetwork pod',
      pod({ hostNetwork: true }),
      autopilot,
      'block',
      ['non-transparent', 'host-network-ports', 'environment-unfit'],
    ],
    [
      'gke-autopilot, app requests unlike limits',
      pod({ containers: [{ ...app, resources: { requests: { cpu: '1' }, limits: { cpu: '2' } } }] }),
      autopilot,
      'inject',
      ['non-transparent', 'environment-advice'],
    ],
    [
      'openshift, app requests unlike limits',
      pod({ containers: [{ ...app, resources: { requests: { cpu: '1' }, limits: { cpu: '2' } } }] }),
      { environment: 'openshift', privileged: true },
      'inject',
      [],
    ],
    [
      'restricted Pod Security, the restricted proxy',
      pod({ podSecurity: { namespace: 'n', level: 'restricted' } }),
      { proxyType: 'forward', proxySecurityContext: 'restricted' },
      'inject',
      ['non-transparent'],
    ],
    [
      'restricted Pod Security, the transparent sidecar',
      pod({ podSecurity: { namespace: 'n', level: 'restricted' } }),
      {},
      'block',
      ['pod-security'],
    ],
    [
      'forward, the app sets its own proxy',
      pod({ containers: [{ ...app, env: ['HTTPS_PROXY'] }] }),
      { proxyType: 'forward' },
      'inject',
      ['non-transparent', 'app-proxy'],
    ],
    ['a workload with no name', pod({ name: '' }), {}, 'block', ['no-name']],
    [
      'a UDP and an SCTP port',
      pod({ containers: [{ ...app, ports: [53, 9], nonTcp: ['53/UDP', '9/SCTP'] }] }),
      {},
      'inject',
      ['non-tcp-port'],
    ],
    ['the app runs as the proxy uid', pod({ containers: [{ ...app, runAsUser: 2102 }] }), {}, 'inject', ['proxy-uid']],
    ['the pod runs as the proxy uid', pod({ runAsUser: 2102 }), {}, 'inject', ['proxy-uid']],
    [
      'a container runs as another uid than the pod, which is the proxy uid',
      pod({ runAsUser: 2102, containers: [{ ...app, runAsUser: 1000 }] }),
      {},
      'inject',
      [],
    ],
    ['the proxy uid moved away', pod({ runAsUser: 2102 }), { proxyUid: 3000 }, 'inject', []],
    // A StatefulSet's claim template named like a volume the settings add would take its place in every pod.
    [
      'a claim template named like ours',
      pod({ claimVolumes: ['speedscale-ca'] }),
      { tlsOut: true },
      'block',
      ['claim-name'],
    ],
    ['the same without tls-out', pod({ claimVolumes: ['speedscale-ca'] }), {}, 'inject', []],
    // The proxy ships what it captures to the forwarder from the pod, in every proxy type.
    [
      'a NetworkPolicy allows no egress',
      pod({ networkPolicies: [{ name: 'deny', podSelector: {}, egress: [] }] }),
      { proxyType: 'forward' },
      'inject',
      ['egress-denied', 'non-transparent'],
    ],
    // Pod-level resources: the app's 100Mi and the sidecar's default 32Mi fit 132Mi, not 128Mi; the iptables
    // init container (32Mi) runs alone, before them.
    ...(
      [
        ['room for the sidecar', { requests: { memory: '132Mi' } }, {}, []],
        ['no room for the sidecar', { requests: { memory: '128Mi' } }, {}, ['pod-resources']],
        ['limits only, default the requests', { limits: { memory: '128Mi' } }, {}, ['pod-resources']],
        ['a smaller sidecar request', { requests: { memory: '128Mi' } }, { memoryRequest: '28Mi' }, []],
        // The API server holds only spec.containers' limits to the pod's: the iptables container's 100m and a
        // native sidecar's limit are init containers' (validatePodResourceConsistency).
        ["a limit under the iptables container's 100m", { limits: { memory: '1Gi', cpu: '50m' } }, {}, []],
        [
          "a limit under a native sidecar's",
          { limits: { memory: '1Gi', cpu: '100m' } },
          { nativeSidecar: true, cpuLimit: '200m' },
          [],
        ],
        [
          "a limit under the sidecar's",
          { limits: { memory: '1Gi', cpu: '100m' } },
          { proxyType: 'dual', cpuLimit: '200m' },
          ['pod-resources'],
        ],
        ["over before the injection: the author's to fix", { requests: { memory: '64Mi' } }, {}, []],
        // Only cpu, memory and hugepages-* may be set at the pod level: the API server refuses the rest anyway.
        [
          'a resource pod-level resources cannot hold',
          { requests: { 'ephemeral-storage': '10Mi' } },
          { ephemeralStorageRequest: '100Mi' },
          [],
        ],
        ['a quantity that is none', { requests: { memory: 'lots' } }, {}, []],
      ] as const
    ).map(([name, resources, over, codes]): [string, PodFacts, WrittenSettings, string, string[]] => [
      `pod-level resources: ${name}`,
      pod({
        containers: [{ ...app, resources: { requests: { memory: '100Mi' }, limits: {} } }],
        resources: { requests: {}, limits: {}, ...resources },
      }),
      over,
      codes.length ? 'block' : 'inject',
      [...codes, ...('proxyType' in over ? ['non-transparent'] : [])],
    ]),
    // A native sidecar counts with the app, and beside every init container that runs after it: the author's
    // 120Mi migration fits 140Mi before the proxy starts (the default), not once it runs (insert-init-first).
    ...([false, true] as const).map((first): [string, PodFacts, WrittenSettings, string, string[]] => [
      `pod-level resources: a native sidecar, insert-init-first ${first}`,
      pod({
        containers: [{ ...app, resources: { requests: { memory: '100Mi' }, limits: {} } }],
        initContainers: [
          { name: 'migrate', image: 'm:1', ports: [], resources: { requests: { memory: '120Mi' }, limits: {} } },
        ],
        resources: { requests: { memory: '140Mi' }, limits: {} },
      }),
      { nativeSidecar: true, insertInitFirst: first },
      first ? 'block' : 'inject',
      first ? ['pod-resources'] : [],
    ]),
    // An app container's limit already past the pod's is refused as it stands: the author's to fix, not said as
    // ours, neither the sidecar's limit nor its request.
    ...(
      [
        ["the sidecar's limit", { limits: { cpu: '100m' } }, { cpuLimit: '200m' }],
        ["the sidecar's request", { requests: { cpu: '100m' }, limits: { cpu: '100m' } }, { cpuRequest: '100m' }],
      ] as const
    ).map(([name, resources, over]): [string, PodFacts, WrittenSettings, string, string[]] => [
      `pod-level resources: an app's limit over the pod's before the injection, and ${name}`,
      pod({
        containers: [{ ...app, resources: { requests: { cpu: '50m' }, limits: { cpu: '150m' } } }],
        resources: { requests: {}, ...resources },
      }),
      { proxyType: 'dual', ...over },
      'inject',
      ['non-transparent'],
    ]),
    // The API server rounds every quantity up to millis before it compares (SetDefaults_ResourceList): 0.0205
    // is 21m, room for the app's 11m and the sidecar's 10m.
    [
      'pod-level resources: a request finer than a milli',
      pod({
        containers: [{ ...app, resources: { requests: { cpu: '11m' }, limits: {} } }],
        resources: { requests: { cpu: '0.0205' }, limits: {} },
      }),
      {},
      'inject',
      [],
    ],
    [
      'the proxy uid, but no iptables (dual)',
      pod({ runAsUser: 2102 }),
      { proxyType: 'dual' },
      'inject',
      ['non-transparent'],
    ],
  ];
  it.each(rows)('%s', (_name, facts, over, action, codes) => {
    // Every setting of the row is the user's own (given), as the environment's checks read it.
    const found = findings(facts, normalize(over), { given: new Set(Object.keys(over)), decided: {} });
    expect(found.map((f) => f.code).sort()).toEqual([...codes].sort());
    expect(decide(found)).toBe(action);
  });
});

describe('the containers beside the proxy are named by their place', () => {
  it('app containers and native sidecars, each at its own index; init containers that end first are not', () => {
    const facts = pod({
      containers: [app, { name: 'metrics', image: 'metrics', ports: [4100] }],
      initContainers: [
        { name: 'migrate', image: 'migrate', ports: [4143] },
        { name: 'envoy', image: 'envoy', ports: [4100, 4143], sidecar: true },
      ],
    });
    const found = findings(facts, normalize({}), { given: new Set(), decided: {} });
    expect(found.map(({ code, field }) => [code, field])).toEqual([
      ['port-conflict', 'initContainers[1].ports'],
      ['diagnostics-port', 'containers[1].ports'],
      ['diagnostics-port', 'initContainers[1].ports'],
    ]);
  });
});

describe('pod-security: says what the level rejects, and what it would admit', () => {
  const baseline = pod({ podSecurity: { namespace: 'legacy', level: 'baseline' } });
  const detail = (settings: WrittenSettings) =>
    findings(baseline, normalize(settings)).find((f) => f.code === 'pod-security')?.detail;

  it('transparent: the init containers and the proxy, and the proxy types that need neither', () => {
    expect(detail({})).toBe(
      'namespace legacy enforces Pod Security "baseline", which rejects the iptables init containers (root, NET_ADMIN ' +
        "and NET_RAW) and the proxy's NET_RAW (proxy-security-context operator); use a reverse, forward or dual " +
        'proxy with proxy-security-context restricted (which needs neither)',
    );
  });

  it('dual, hardened: only the proxy, whose NET_RAW restricted leaves out; restricted itself is admitted', () => {
    expect(detail({ proxyType: 'dual', proxySecurityContext: 'hardened' })).toBe(
      'namespace legacy enforces Pod Security "baseline", which rejects the proxy\'s NET_RAW ' +
        '(proxy-security-context hardened); use proxy-security-context restricted (which adds none)',
    );
    expect(detail({ proxyType: 'dual', proxySecurityContext: 'restricted' })).toBeUndefined();
  });
});
