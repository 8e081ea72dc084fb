/**
 * Settings changed between runs: for a manifest M and settings A and B (per-workload annotations and a
 * functionConfig), inject(B, inject(A, M)) is inject(B, M) byte for byte, a second run of B changes nothing,
 * and removal after A gives M back. The shapes are small on purpose (flow labels, CRLF, comments between
 * items, no annotations map, annotations on the pod template, a Service, the workload kinds); the settings
 * are the ones that add, move or rewrite something. Seeds are fixed; fast-check prints the shrunk case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemsOf, resultsOf, run } from '../support/helpers';

const P = 'sidecar.speedscale.com/';

/** Values of each annotation setting that change what is injected (the first is not always the default). */
const VALUES: Record<string, string[]> = {
  'proxy-type': ['transparent', 'forward', 'reverse', 'dual'],
  'proxy-protocol': ['tcp:http', 'tcp'],
  'proxy-port': ['8080'],
  'tls-out': ['true', 'false'],
  'tls-java-tool-options': ['true'],
  'tls-java-tool-options-value': ['-Djavax.net.ssl.trustStore=/etc/ssl/x.jks'],
  'tls-in-secret': ['in-tls'],
  'tls-mutual-secret': ['mutual-tls'],
  'app-proxy-env': ['true', 'false'],
  'app-proxy-java': ['all'],
  'host-resolution': ['smart', 'standard', 'none'],
  'insert-init-first': ['true', 'false'],
  'native-sidecar': ['true', 'false'],
  diagnostics: ['true'],
  'prometheus-port': ['9090'],
  'prometheus-enable-scrape-annotations': ['true'],
  'operator-ignore': ['true', 'false'],
  'ignore-dst-hosts': ['db.example.com'],
  'ignore-dst-ips': ['10.0.0.0/8'],
  'ignore-inbound-ports': ['8081'],
  'cpu-request': ['20m'],
  'memory-limit': ['256Mi'],
  'extra-container-env-vars': ['FOO=bar', 'FOO=bar\nLOG=debug'],
  'service-target-port': ['proxy', 'app'],
  'kube-api-support': ['true'],
  'mount-known-ca': ['true'],
  redirect: ['iptables', 'script'],
  'track-loopback': ['true'],
  'proxy-in-port': ['4150'],
  'proxy-out-port': ['4151'],
  'ignore-loopback': ['true'],
  'capture-node-traffic': ['true'],
  'istio-cni': ['true'],
  'ephemeral-storage-limit': ['1Gi'],
  'ignore-outbound-ports': ['5432,6379'],
  'ignore-src-hosts': ['monitor'],
};
const KEYS = Object.keys(VALUES);

/** Settings that mean something only together: a Service pointed at the proxy, the app's proxy variables. */
const PRESETS: Record<string, string>[] = [
  {},
  { 'proxy-type': 'reverse', 'proxy-port': '8080', 'service-target-port': 'proxy' },
  { 'proxy-type': 'dual', 'proxy-protocol': 'tcp:http', 'proxy-port': '8080', 'service-target-port': 'proxy' },
  { 'proxy-type': 'forward', 'tls-out': 'true', 'tls-java-tool-options': 'true' },
  { 'tls-in-secret': 'in-tls', 'tls-in-private': 'key.pem', 'tls-mutual-secret': 'mtls', 'tls-mutual-public': 'c.pem' },
];

/** Settings as kebab key -> value: a preset, then picks (a later pick of the same key wins). */
const settings = fc
  .tuple(fc.constantFrom(...PRESETS), fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.nat()), { maxLength: 5 }))
  .map(([preset, picks]) => ({
    ...preset,
    ...Object.fromEntries(picks.map(([k, n]) => [k, VALUES[k][n % VALUES[k].length]])),
  }));

/** The package-wide part, in the functionConfig (a ConfigMap's data). */
const packageConfig = fc.record(
  {
    environment: fc.constantFrom('default', 'default', 'gke-autopilot', 'openshift', 'restricted'),
    capture: fc.constantFrom('sidecar', 'ebpf'),
    image: fc.constantFrom('gcr.io/speedscale/goproxy:v2.5.600', 'gcr.io/speedscale/goproxy@sha256:' + 'a'.repeat(64)),
    proxySecurityContext: fc.constantFrom('operator', 'hardened', 'restricted'),
    initImage: fc.constantFrom('registry.example.com/iptables:1'),
    logLevel: fc.constantFrom('debug'),
    privileged: fc.constantFrom('true'),
    forwarderAddr: fc.constantFrom('fwd.example.svc:8080'),
  },
  { requiredKeys: [] },
);

const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

type Where = 'workload' | 'template' | 'config';

/** What the author's pod holds, besides an app with a named port and a helper with a comment above it. */
const podShape = fc.record({
  java: fc.boolean(),
  /** env: a block list, a flow list, or a key holding null (as Helm writes an empty range) */
  env: fc.constantFrom('block', 'flow', 'null'),
  inits: fc.integer({ min: 0, max: 2 }),
  mounts: fc.boolean(),
  volumes: fc.constantFrom('block', 'null', 'none'),
  /** the pod template's annotations: none, another tool's, or a key holding null */
  podAnnotations: fc.constantFrom('none', 'other', 'null'),
  workloadLabels: fc.constantFrom('flow', 'block', 'none'),
  /** the annotations kpt adds to every item while a function runs */
  kpt: fc.boolean(),
  twin: fc.boolean(),
  service: fc.constantFrom('none', 'before', 'after'),
  /** an env var of a name the injection may add, the author's own */
  own: fc.constantFrom('none', 'HTTPS_PROXY', 'NO_PROXY', 'SSL_CERT_FILE', 'JAVA_TOOL_OPTIONS'),
});
type PodShape = typeof podShape extends fc.Arbitrary<infer T> ? T : never;

const KINDS = ['Deployment', 'StatefulSet', 'CronJob', 'Job', 'Pod', 'Rollout', 'DaemonSet'] as const;
type Kind = (typeof KINDS)[number];

const pad = (n: number) => ' '.repeat(n);
const block = (lines: string[], indent: number) => lines.map((l) => `${pad(indent)}${l}\n`).join('');

/** A pod spec at `indent`. */
function podSpec(indent: number, o: PodShape, job: boolean): string {
  const i = pad(indent);
  const env =
    o.env === 'flow'
      ? `${i}  env: [{name: MODE, value: "prod"}${o.java ? ', {name: JAVA_TOOL_OPTIONS, value: -Xmx512m}' : ''}]\n`
      : o.env === 'null'
        ? `${i}  env:\n`
        : `${i}  env:\n${i}  # the mode\n${i}  - name: MODE\n${i}    value: "prod"\n` +
          (o.java ? `${i}  - name: JAVA_TOOL_OPTIONS\n${i}    value: -Xmx512m\n` : '') +
          (o.own !== 'none' && !(o.java && o.own === 'JAVA_TOOL_OPTIONS')
            ? `${i}  - name: ${o.own}\n${i}    value: "mine"  # the author's\n`
            : '');
  const inits = Array.from(
    { length: o.inits },
    (_, n) => `${i}- name: init${n}\n${i}  image: registry.example.com/init:1\n`,
  ).join('');
  return (
    (o.inits ? `${i}initContainers:\n${inits}` : '') +
    `${i}containers:\n` +
    `${i}- name: app\n` +
    `${i}  image: ${o.java ? 'eclipse-temurin:21-jre' : 'registry.example.com/app:1'}  # pinned\n` +
    `${i}  ports:\n${i}  - {name: http, containerPort: 8080}\n` +
    env +
    (o.mounts ? `${i}  volumeMounts:\n${i}  - {name: data, mountPath: /data}\n` : '') +
    `${i}# the helper\n` +
    `${i}- name: helper\n${i}  image: registry.example.com/helper:2\n` +
    (o.volumes === 'block' ? `${i}volumes:\n${i}- name: data\n${i}  emptyDir: {}\n` : '') +
    (o.volumes === 'null' ? `${i}volumes: ~\n` : '') +
    (job ? `${i}restartPolicy: Never\n` : '')
  );
}

/** The resources of a case: the workload (and a Service selecting it), our annotation lines where asked. */
function render(kind: Kind, o: PodShape, lines: string[], where: Where): string[] {
  const name = kind.toLowerCase();
  const ours = (indent: number, here: Where, others: string[] = [], after: string[] = []) =>
    (where === here && lines.length) || others.length || after.length
      ? `${pad(indent)}annotations:\n${block([...others, ...(where === here ? lines : []), ...after], indent + 2)}`
      : '';
  const kpt = o.kpt ? ["config.kubernetes.io/index: '0'", "internal.config.kubernetes.io/path: 'w.yaml'"] : [];
  const podAnnotations = (indent: number) => {
    if (o.podAnnotations === 'null' && (where !== 'template' || !lines.length)) return `${pad(indent)}annotations:\n`;
    return ours(indent, 'template', o.podAnnotations === 'other' ? ['example.com/owner: team-a'] : []);
  };
  const labels =
    o.workloadLabels === 'flow'
      ? `  labels: {app: ${name}}\n`
      : o.workloadLabels === 'block'
        ? `  labels:\n    app: ${name}  # the app\n`
        : '';
  const pod = kind === 'Pod';
  const head = `apiVersion: ${
    {
      Deployment: 'apps/v1',
      StatefulSet: 'apps/v1',
      DaemonSet: 'apps/v1',
      CronJob: 'batch/v1',
      Job: 'batch/v1',
      Pod: 'v1',
      Rollout: 'argoproj.io/v1alpha1',
    }[kind]
  }\nkind: ${kind}\nmetadata:\n  name: ${name}\n${labels}${
    pod
      ? ours(
          2,
          where === 'template' ? 'template' : 'workload',
          o.podAnnotations === 'other' ? ['example.com/owner: team-a'] : [],
          kpt,
        )
      : ours(2, 'workload', [], kpt)
  }`;
  const template = (indent: number, job: boolean) =>
    `${pad(indent)}template:\n${pad(indent + 2)}metadata:\n${pad(indent + 4)}labels: {app: ${name}}\n` +
    `${podAnnotations(indent + 4)}${pad(indent + 2)}spec:\n${podSpec(indent + 4, o, job)}`;
  const selector = `  selector:\n    matchLabels: {app: ${name}}\n`;
  const spec = {
    Deployment: () => `spec:\n  replicas: 1\n${selector}${template(2, false)}`,
    DaemonSet: () => `spec:\n${selector}${template(2, false)}`,
    StatefulSet: () => `spec:\n  serviceName: ${name}\n${selector}${template(2, false)}`,
    Rollout: () => `spec:\n${selector}  strategy:\n    canary: {}\n${template(2, false)}`,
    Job: () => `spec:\n  backoffLimit: 1\n${template(2, true)}`,
    CronJob: () => `spec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n${template(6, true)}`,
    Pod: () => `spec:\n${podSpec(2, o, false)}`,
  }[kind]();
  const service =
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n  ports:\n` +
    '  - name: http\n    port: 80\n    targetPort: http  # the app\n';
  // A twin: another workload of the same pods' labels, so one Service selects both.
  const workloads = [
    head + spec,
    ...(o.twin ? [(head + spec).replace(`  name: ${name}\n`, `  name: ${name}-twin\n`)] : []),
  ];
  return o.service === 'none' ? workloads : o.service === 'before' ? [service, ...workloads] : [...workloads, service];
}

/** The annotation lines of a set of settings: theirs, then the inject line (the anchor the swap finds). */
const lines = (s: Record<string, string>, inject: string) => [
  ...Object.entries(s).map(([k, v]) => `${P}${k}: ${JSON.stringify(v)}`),
  `${P}inject: "${inject}"`,
];

const list = (docs: string[], config: Record<string, unknown>, eol: string) => {
  const items = docs.map((d) => `${d}`.replace(/^(?=.)/gm, '  ').replace(/^ {2}/, '- ')).join('');
  const data = Object.entries(config).map(([k, v]) => `    ${k}: ${JSON.stringify(String(v))}\n`);
  const fnConfig = data.length
    ? `functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n${data.join('')}`
    : '';
  const text = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}${fnConfig}`;
  return eol === '\n' ? text : text.replace(/\n/g, eol);
};

interface Case {
  kind: Kind;
  pod: PodShape;
  where: Where;
  a: Record<string, string>;
  b: Record<string, string>;
  pa: Record<string, string>;
  pb: Record<string, string>;
  crlf: boolean;
}

const cases = fc.record({
  kind: fc.constantFrom(...KINDS),
  pod: podShape,
  where: fc.constantFrom<Where>('workload', 'template', 'config'),
  a: settings,
  b: settings,
  pa: packageConfig,
  pb: packageConfig,
  crlf: fc.boolean(),
});

/** The inputs of a case under settings s and package config p, and with injection asked off. */
function inputs(c: Case, s: Record<string, string>, p: Record<string, string>, inject = 'true') {
  const eol = c.crlf ? '\r\n' : '\n';
  const byConfig = c.where === 'config';
  const config = byConfig
    ? { ...p, inject: inject === 'true', ...Object.fromEntries(Object.entries(s).map(([k, v]) => [camel(k), v])) }
    : p;
  return list(render(c.kind, c.pod, byConfig ? [] : lines(s, inject), c.where), config, eol);
}

/** An output whose items are set to the other settings: the author's annotation lines swapped, the config too. */
function swapped(
  c: Case,
  output: string,
  from: Record<string, string>,
  to: Record<string, string>,
  p: Record<string, string>,
  inject?: string,
) {
  const eol = c.crlf ? '\r\n' : '\n';
  let items = itemsOf(output).join('');
  if (c.where !== 'config') {
    const was = lines(from, 'true').slice(0, -1);
    const now = lines(to, 'true').slice(0, -1);
    // Every block of our lines ends at the inject line (its value may have been rewritten, under ebpf).
    const re = new RegExp(
      `((?:^ +${escape(P)}(?!inject:)[^\\r\\n]*\\r?\\n)*)( +)${escape(P)}inject: ([^\\r\\n]*)`,
      'gm',
    );
    items = items.replace(re, (whole, ours: string, pad: string, value: string) => {
      const written = ours
        .split(eol)
        .filter(Boolean)
        .map((l) => l.trim());
      if (written.join('\n') !== was.join('\n')) throw new Error(`our lines were changed:\n${whole}`);
      // The inject line as the run left it (ebpf writes "false"), unless removal is asked.
      return [...now.map((l) => `${pad}${l}${eol}`), `${pad}${P}inject: ${inject ? `"${inject}"` : value}`].join('');
    });
  }
  const byConfig = c.where === 'config';
  const config = byConfig
    ? { ...p, inject: inject !== 'false', ...Object.fromEntries(Object.entries(to).map(([k, v]) => [camel(k), v])) }
    : p;
  const head = `apiVersion: config.kubernetes.io/v1${eol}kind: ResourceList${eol}items:${eol}`;
  const data = Object.entries(config).map(([k, v]) => `    ${k}: ${JSON.stringify(String(v))}${eol}`);
  const fnConfig = data.length
    ? `functionConfig:${eol}  apiVersion: v1${eol}  kind: ConfigMap${eol}  metadata: {name: c}${eol}  data:${eol}${data.join('')}`
    : '';
  return `${head}${items}${fnConfig}`;
}

/** The text with an env var of the author's after the last item of the app container's env list (block style). */
function late(text: string, eol: string): string | undefined {
  const lines = text.split(eol);
  const app = lines.findIndex((l) => /^ +- name: app$/.test(l));
  if (app < 0) return undefined;
  const column = lines[app].indexOf('-');
  // The app's own keys: up to the next line at or left of its dash.
  let stop = app + 1;
  while (stop < lines.length && (lines[stop].search(/\S/) > column || /^ *#/.test(lines[stop]))) stop++;
  const env = lines.findIndex((l, n) => n > app && n < stop && /^ +env:$/.test(l));
  if (env < 0) return undefined;
  const first = env + 1;
  const indent = lines[first].indexOf('-');
  if (!/^ *- /.test(lines[first]) || indent < lines[env].indexOf('env:')) return undefined;
  let end = first + 1;
  while (end < stop && (/^ *#/.test(lines[end]) || lines[end].search(/\S/) > indent || /^ *- /.test(lines[end]))) end++;
  while (/^ *#/.test(lines[end - 1])) end--;
  const mine = [`${pad(indent)}- name: LATE`, `${pad(indent)}  value: $(SSL_CERT_FILE)`];
  return [...lines.slice(0, end), ...mine, ...lines.slice(end)].join(eol);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const errors = (output: string) => resultsOf(output).filter((r) => r.severity === 'error');

const PARAMS = {
  seed: Number(process.env.PROPERTY_SEED ?? 20261207),
  numRuns: Number(process.env.PROPERTY_RUNS ?? 200),
  endOnFailure: true,
} as const;

describe('settings changed between runs', () => {
  it('inject(B, inject(A, M)) is inject(B, M), and B again changes nothing', () => {
    const seen = { compared: 0, changed: 0, services: 0 };
    const reasons = new Map<string, number>();
    fc.assert(
      fc.property(cases, (c) => {
        const x = run(inputs(c, c.a, c.pa)).stdout;
        const fresh = run(inputs(c, c.b, c.pb)).stdout;
        const y = run(swapped(c, x, c.a, c.b, c.pb)).stdout;
        // An error leaves the item as it came (inject(A, M) then, not M): not this property's business.
        for (const r of [...errors(fresh), ...errors(x)])
          reasons.set(r.tags?.reason, (reasons.get(r.tags?.reason) ?? 0) + 1);
        if (errors(fresh).length || errors(x).length) return;
        expect(itemsOf(y).join('')).toBe(itemsOf(fresh).join(''));
        const again = run(swapped(c, y, c.b, c.b, c.pb)).stdout;
        expect(itemsOf(again).join('')).toBe(itemsOf(y).join(''));
        seen.compared++;
        if (itemsOf(x).join('') !== itemsOf(fresh).join('')) seen.changed++;
        if (x.includes('targetPort: 4143') !== y.includes('targetPort: 4143')) seen.services++;
      }),
      PARAMS,
    );
    console.log('settings-change coverage', seen, reasons);
    expect(seen.changed).toBeGreaterThan(PARAMS.numRuns / 4);
    // Services pointed at the proxy and back.
    expect(seen.services).toBeGreaterThan(5);
  });

  it('remove(inject(A, M)) is M', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const x = run(inputs(c, c.a, c.pa)).stdout;
        if (errors(x).length) return;
        // uninstall in the functionConfig: every run's additions go, the annotations as written stay.
        const uninstalled = run(swapped(c, x, c.a, c.a, { ...c.pa, uninstall: 'true' })).stdout;
        expect(itemsOf(uninstalled).join('')).toBe(itemsOf(inputs(c, c.a, c.pa)).join(''));
        // inject "false" (under ebpf the function writes that itself, so it is no request to remove there).
        if (c.pa.capture === 'ebpf') return;
        const removed = run(swapped(c, x, c.a, c.a, c.pa, 'false')).stdout;
        const m = inputs(c, c.a, c.pa, 'false');
        expect(itemsOf(removed).join('')).toBe(itemsOf(m).join(''));
      }),
      PARAMS,
    );
  });

  it("an env var the author wrote after the injection's stays after it, and removal leaves it theirs", () => {
    const seen = { edited: 0 };
    fc.assert(
      fc.property(cases, (c) => {
        const eol = c.crlf ? '\r\n' : '\n';
        const x = run(inputs(c, c.a, c.pa)).stdout;
        if (errors(x).length || !x.includes('injection:')) return;
        const edited = late(x, eol);
        if (!edited) return;
        const y = run(swapped(c, edited, c.a, c.b, c.pb)).stdout;
        if (errors(y).length) return;
        seen.edited++;
        const again = run(swapped(c, y, c.b, c.b, c.pb)).stdout;
        expect(itemsOf(again).join('')).toBe(itemsOf(y).join(''));
        // Theirs is still after each of ours that stood before it (a new one goes at the end, as when fresh;
        // ours among themselves in the order a fresh run writes).
        const before = (text: string) => {
          const app = itemsOf(text)
            .join('')
            .split(/- name: helper/)[0];
          return [...app.slice(0, app.indexOf('- name: LATE')).matchAll(/- name: (\S+)/g)].map((m) => m[1]);
        };
        const stood = before(edited);
        const app = itemsOf(y)
          .join('')
          .split(/- name: helper/)[0];
        const after = [...app.slice(app.indexOf('- name: LATE')).matchAll(/- name: (\S+)/g)].map((m) => m[1]);
        expect(after.filter((name) => stood.includes(name))).toEqual([]);
        // Removed: the author's text under B, theirs after their own items.
        const removed = run(swapped(c, y, c.b, c.b, { ...c.pb, uninstall: 'true' })).stdout;
        if (c.pod.env === 'block')
          expect(itemsOf(removed).join('')).toBe(late(itemsOf(inputs(c, c.b, c.pb)).join(''), eol));
        // A key the injection filled (env: with nothing) holds theirs alone.
        else
          expect(
            itemsOf(removed)
              .join('')
              .match(/- name: LATE\b/g),
          ).toHaveLength(1);
      }),
      PARAMS,
    );
    console.log('late env var', seen);
    expect(seen.edited).toBeGreaterThan(PARAMS.numRuns / 30);
  });
});
