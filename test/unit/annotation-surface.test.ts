/** The full annotation surface: what each setting renders, the checks it adds, and exact removal. */
import { Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../fn/config/settings';
import { normalize } from '../../fn/config/normalize';
import type { WrittenSettings } from '../../fn/config/settings.generated';
import { decide, findings } from '../../fn/inject/pod-checks';
import type { PodFacts } from '../../fn/inject/pod-facts';
import { app, pod } from './_pod';
import { readNamespaces } from '../../fn/inject/namespaces';
import { appEnv, podVolumes } from '../../fn/render/app';
import { renderSidecar } from '../../fn/render/sidecar';
import { appTrustMounts, proxyTlsEnv } from '../../fn/render/tls';
import { asItem, itemsOf, resourceList, resultsOf, run } from '../support/helpers';

const settings = (over: WrittenSettings = {}) => normalize(over);
const names = (vars: readonly { name: string }[]) => vars.map((v) => v.name);

describe('render', () => {
  it('extra-container-env-vars: one KEY=VALUE per line, a later line wins, "=" inside a value kept', () => {
    expect(settings({ extraContainerEnvVars: 'A=1\n  B=x=y\nA=2\n' }).extraContainerEnvVars.entries).toEqual([
      { name: 'A', value: '2' },
      { name: 'B', value: 'x=y' },
    ]);
  });
  it('tls-out: the app trusts the CA by env; an extra env var of the same name wins', () => {
    expect(names(appEnv(settings({ tlsOut: true })))).toEqual([
      'SSL_CERT_FILE',
      'NODE_EXTRA_CA_CERTS',
      'REQUESTS_CA_BUNDLE',
      'SPEEDSCALE_JAVA_OPTS',
    ]);
    const env = appEnv(settings({ tlsOut: true, extraContainerEnvVars: 'SSL_CERT_FILE=/mine.pem' }));
    expect(env.filter((v) => v.name === 'SSL_CERT_FILE')).toEqual([{ name: 'SSL_CERT_FILE', value: '/mine.pem' }]);
  });
  it('JAVA_TOOL_OPTIONS only when asked; the custom value wins', () => {
    expect(names(appEnv(settings({ tlsOut: true })))).not.toContain('JAVA_TOOL_OPTIONS');
    expect(appEnv(settings({ tlsOut: true, tlsJavaToolOptions: true })).at(-1)!.value).toMatch(
      /-Djavax.net.ssl.trustStore=\/etc\/ssl\/speedscale\/jks\/cacerts.jks/,
    );
    expect(
      appEnv(settings({ tlsOut: true, tlsJavaToolOptions: true, tlsJavaToolOptionsValue: '-Dx=1' })).at(-1),
    ).toEqual({ name: 'JAVA_TOOL_OPTIONS', value: '-Dx=1' });
  });
  it('the app containers never see the CA private key', () => {
    const volumes = podVolumes(settings({ tlsOut: true }));
    const ca = volumes.find((v) => v.name === 'speedscale-ca') as any;
    // The certificate and the (optional) Java truststore: never tls.key.
    expect(ca.projected.sources.flatMap((s: any) => s.secret.items.map((i: any) => i.key))).toEqual([
      'tls.crt',
      'cacerts.jks',
    ]);
    expect(ca.projected.sources.map((s: any) => s.secret.optional ?? false)).toEqual([false, true]);
    expect(appTrustMounts(settings({ tlsOut: true })).map((m) => m.name)).toEqual(['speedscale-ca']);
  });
  it('tls-in and tls-mutual: files in the mounted secret, or full paths without one', () => {
    expect(proxyTlsEnv(settings({ tlsInSecret: 'srv', tlsInPublic: 'a.crt' }))).toContainEqual({
      name: 'TLS_IN_PUBLIC_KEY',
      value: '/etc/ssl/speedscale-in/a.crt',
    });
    expect(proxyTlsEnv(settings({ tlsMutualPrivate: '/k.pem', tlsMutualPublic: '/c.pem' }))).toEqual([
      { name: 'TLS_MUTUAL_PUBLIC_KEY', value: '/c.pem' },
      { name: 'TLS_MUTUAL_PRIVATE_KEY', value: '/k.pem' },
    ]);
    expect(proxyTlsEnv(settings())).toEqual([]);
  });
  it("proxy-protocol reaches goproxy in Speedscale's values: socks4 and socks5 are its socks", () => {
    const protocol = (over: WrittenSettings) =>
      (renderSidecar(settings(over), 'web') as any).env.find((e: any) => e.name === 'PROXY_PROTOCOL')?.value;
    expect(protocol({ proxyType: 'forward', proxyProtocol: 'socks5' })).toBe('socks');
    expect(protocol({ proxyType: 'forward', proxyProtocol: 'socks4' })).toBe('socks');
    expect(protocol({ proxyType: 'dual', proxyProtocol: 'tcp:socks' })).toBe('tcp:socks');
    expect(protocol({})).toBeUndefined();
  });
  it('prometheus-port and diagnostics reach the proxy container', () => {
    const sidecar = renderSidecar(settings({ prometheusPort: 4145, diagnostics: true }), 'web') as any;
    expect(sidecar.ports.at(-1)).toEqual({ name: 'metrics', containerPort: 4145, protocol: 'TCP' });
    expect(sidecar.env).toContainEqual({ name: 'METRICS_HTTP_PORT', value: '4145' });
    expect(sidecar.env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
    expect(sidecar.volumeMounts).toEqual([{ name: 'speedscale-diagnostics', mountPath: '/diagnostics' }]);
  });
});

describe('checks', () => {
  const rows: [string, PodFacts, WrittenSettings, string, string[]][] = [
    [
      'restricted namespace',
      pod({ podSecurity: { namespace: 'n', level: 'restricted' } }),
      {},
      'block',
      ['pod-security'],
    ],
    ['baseline namespace', pod({ podSecurity: { namespace: 'n', level: 'baseline' } }), {}, 'block', ['pod-security']],
    [
      'Istio-injected namespace',
      pod({ meshes: { istio: 'namespace n has label istio-injection=enabled' } }),
      {},
      'inject',
      ['istio'],
    ],
    [
      'Istio namespace, pod opted out',
      pod({ meshes: { istio: 'x' }, podAnnotations: { 'sidecar.istio.io/inject': 'false' } }),
      {},
      'inject',
      [],
    ],
    [
      'Linkerd-injected namespace',
      pod({ meshes: { linkerd: 'namespace n has annotation linkerd.io/inject=enabled' } }),
      {},
      'block',
      ['linkerd'],
    ],
    [
      'Linkerd namespace, pod opted out',
      pod({ meshes: { linkerd: 'x' }, podAnnotations: { 'linkerd.io/inject': 'disabled' } }),
      {},
      'inject',
      [],
    ],
    ['privileged namespace', pod({ podSecurity: { namespace: 'n', level: 'privileged' } }), {}, 'inject', []],
    [
      'app sets SSL_CERT_FILE',
      pod({ containers: [{ ...app, env: ['SSL_CERT_FILE'] }] }),
      { tlsOut: true },
      'inject',
      ['user-value'],
    ],
    ['env name without tls-out', pod({ containers: [{ ...app, env: ['SSL_CERT_FILE'] }] }), {}, 'inject', []],
    [
      'probe with node traffic captured',
      pod({ containers: [{ ...app, probes: [{ kind: 'livenessProbe', port: 8080 }] }] }),
      { captureNodeTraffic: true },
      'inject',
      ['probe-redirected'],
    ],
    [
      'probe on an ignored port',
      pod({ containers: [{ ...app, probes: [{ kind: 'livenessProbe', port: 8080 }] }] }),
      { captureNodeTraffic: true, ignoreInboundPorts: '8080' },
      'inject',
      [],
    ],
    [
      'probe, node traffic bypasses',
      pod({ containers: [{ ...app, probes: [{ kind: 'livenessProbe', port: 8080 }] }] }),
      {},
      'inject',
      [],
    ],
    [
      'exec probe',
      pod({ containers: [{ ...app, probes: [{ kind: 'livenessProbe' }] }] }),
      { captureNodeTraffic: true },
      'inject',
      [],
    ],
    [
      'insert-init-first, classic, own init',
      pod({ initContainers: [{ ...app, name: 'init' }] }),
      { insertInitFirst: true },
      'inject',
      ['init-before-proxy'],
    ],
    [
      'insert-init-first, native',
      pod({ initContainers: [{ ...app, name: 'init' }] }),
      { insertInitFirst: true, nativeSidecar: true },
      'inject',
      [],
    ],
    [
      'a volume of ours without a record',
      pod({ volumes: ['speedscale-ca'] }),
      { tlsOut: true },
      'block',
      ['foreign-speedscale'],
    ],
    [
      'app on the prometheus port',
      pod({ containers: [{ ...app, ports: [4145] }] }),
      { prometheusPort: 4145 },
      'block',
      ['port-conflict'],
    ],
  ];
  it.each(rows)('%s', (_name, facts, over, action, codes) => {
    const found = findings(facts, settings(over));
    expect(found.map((f) => f.code).sort()).toEqual([...codes].sort());
    expect(decide(found)).toBe(action);
  });
});

describe('rules', () => {
  const A = (name: string) => `sidecar.speedscale.com/${name}`;
  const problems = (annotations: Record<string, string>) => {
    const entries = Object.entries(annotations).map(([k, v]) => [k, new Document(v).contents]);
    return resolveSettings({}, [{ path: ['metadata', 'annotations'], entries: entries as never }]).problems;
  };
  it.each([
    [{ [A('tls-java-tool-options')]: 'true' }, 'warning', A('tls-java-tool-options'), /no effect without tls-out/],
    [{ [A('mount-known-ca')]: 'true' }, 'warning', A('mount-known-ca'), /no effect without tls-out/],
    [{ [A('tls-in-private')]: 'key.pem' }, 'error', A('tls-in-private'), /full path when tls-in-secret is not set/],
    // One path without a secret: the other is still a key name, and the proxy would get no pair at all.
    [
      { [A('tls-in-private')]: '/certs/key.pem' },
      'error',
      A('tls-in-private'),
      /tls-in-public must be a full path too when tls-in-secret is not set \(it is the default, "tls.crt"\)/,
    ],
    [
      { [A('tls-mutual-public')]: '/certs/client.pem' },
      'error',
      A('tls-mutual-public'),
      /tls-mutual-private must be a full path too when tls-mutual-secret is not set/,
    ],
    [
      { [A('tls-mutual-secret')]: 's', [A('tls-mutual-public')]: '/abs/c.pem' },
      'error',
      A('tls-mutual-public'),
      /a key of Secret s/,
    ],
    [
      { [A('proxy-type')]: 'forward', [A('ignore-outbound-ports')]: '5432' },
      'warning',
      A('ignore-outbound-ports'),
      /only apply to proxy type transparent/,
    ],
    [
      { [A('proxy-type')]: 'dual', [A('proxy-protocol')]: 'tcp:http', [A('istio-cni')]: 'true' },
      'warning',
      A('istio-cni'),
      /istio-cni only apply to proxy type transparent; ignored with "dual"/,
    ],
    [
      { [A('track-loopback')]: 'true', [A('ignore-loopback')]: 'true' },
      'warning',
      A('track-loopback'),
      /track-loopback has no effect with ignore-loopback/,
    ],
    // The converse: what only the non-transparent proxies read.
    [
      { [A('proxy-protocol')]: 'socks', [A('proxy-port')]: '8080' },
      'warning',
      A('proxy-protocol'),
      /: proxy-protocol, proxy-port do not apply to proxy type "transparent"; ignored$/,
    ],
    // A dual-only protocol under transparent is ignored like any other, not refused beside that warning.
    [
      { [A('proxy-protocol')]: 'tcp:http' },
      'warning',
      A('proxy-protocol'),
      /: proxy-protocol does not apply to proxy type "transparent"; ignored$/,
    ],
    [
      { [A('proxy-type')]: 'forward', [A('proxy-host')]: 'app' },
      'warning',
      A('proxy-host'),
      /: proxy-host does not apply to proxy type "forward"; ignored$/,
    ],
    // ignore-dst-ips feeds the app's NO_PROXY in forward mode, unless the app gets no proxy variables.
    [
      { [A('proxy-type')]: 'forward', [A('app-proxy-env')]: 'false', [A('ignore-dst-ips')]: '10.0.0.0/8' },
      'warning',
      A('ignore-dst-ips'),
      /only apply to proxy type transparent/,
    ],
  ])('%j', (annotations, severity, at, message) => {
    const [problem, ...rest] = problems(annotations);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity, path: ['metadata', 'annotations', at] });
    expect(problem.message).toMatch(message);
  });
});

describe('package-wide', () => {
  it('reads mesh injection from Namespace labels and annotations', () => {
    const ns = (name: string, meta: string) =>
      asItem(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${meta}`);
    const read = readNamespaces([
      ns('mesh', '  labels:\n    istio-injection: enabled\n'),
      ns('rev', '  labels:\n    istio.io/rev: canary\n'),
      ns('off', '  labels:\n    istio-injection: disabled\n'),
      ns('l5d', '  annotations:\n    linkerd.io/inject: enabled\n'),
    ]);
    expect(Object.fromEntries(read)).toEqual({
      mesh: { istio: 'namespace mesh has label istio-injection=enabled' },
      rev: { istio: 'namespace rev has label istio.io/rev=canary' },
      l5d: { linkerd: 'namespace l5d has annotation linkerd.io/inject=enabled' },
    });
  });
  it('reads Pod Security levels only from real Namespaces', () => {
    const ns = asItem(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n',
    );
    const decoy = asItem(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels:\n' +
        '    pod-security.kubernetes.io/enforce: restricted\ndata:\n  note: "kind: Namespace"\n',
    );
    expect([...readNamespaces([ns, decoy])]).toEqual([['a', { podSecurity: 'restricted' }]]);
  });
});

const cloneSet = `apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata:
  name: c
  annotations:
    sidecar.speedscale.com/inject: "true"
spec:
  template:
    spec:
      containers:
      - name: c
        image: example.com/c:1
`;
const targets =
  'apiVersion: sidecar.speedscale.com/v1alpha1\nkind: SidecarInjector\nmetadata: {name: x}\nspec:\n' +
  '  targets:\n  - {group: apps.kruise.io, kind: CloneSet, path: spec/template}\n';

describe('targets', () => {
  it('a kind dropped from targets is cleaned by its record; check mode reports it instead', () => {
    const injected = run(resourceList([cloneSet], targets));
    expect(itemsOf(injected.stdout)[0]).toContain('speedscale-goproxy');
    const items = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${itemsOf(injected.stdout).join('')}`;
    const cleaned = run(items);
    expect(itemsOf(cleaned.stdout)).toEqual([asItem(cloneSet)]);
    const checked = run(
      `${items}functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n  data: {mode: check}\n`,
    );
    expect(checked.exitCode).toBe(1);
    expect(resultsOf(checked.stdout).map((r) => r.tags?.reason)).toEqual(['drift']);
  });
});

describe('List', () => {
  it('warns about a flow-style List that asks for injection, and leaves it alone', () => {
    const list =
      'apiVersion: v1\nkind: List\nitems: [{apiVersion: apps/v1, kind: Deployment, metadata: {name: f, ' +
      'annotations: {sidecar.speedscale.com/inject: "true"}}}]\n';
    const out = run(resourceList([list]));
    expect(itemsOf(out.stdout)).toEqual([asItem(list)]);
    expect(resultsOf(out.stdout)).toMatchObject([
      { severity: 'warning', field: { path: 'items' }, tags: { reason: 'unsupported-kind' } },
    ]);
  });
  it('injects inside a List and removes again to the byte', () => {
    const deployment = cloneSet.replace('apps.kruise.io/v1alpha1', 'apps/v1').replace('CloneSet', 'Deployment');
    const list = `apiVersion: v1\nkind: List\nitems:\n${asItem(deployment)}`;
    const injected = run(resourceList([list]));
    expect(resultsOf(injected.stdout).map((r) => r.tags?.reason)).toEqual(['injected']);
    const off = itemsOf(injected.stdout)[0].replace(
      'sidecar.speedscale.com/inject: "true"',
      'sidecar.speedscale.com/inject: "false"',
    );
    const removed = run(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${off}`);
    expect(itemsOf(removed.stdout)[0]).toBe(
      asItem(list).replace('sidecar.speedscale.com/inject: "true"', 'sidecar.speedscale.com/inject: "false"'),
    );
  });
});
