/**
 * Environments and what comes with them (docs/environments.md): the profiles and their sources, the layer they
 * are, what each platform refuses; the app's side of forward and dual; Services' targetPort; operatorIgnore;
 * capture: ebpf and back; the record's rewrites, each both ways.
 */
import { podFacts } from '../../fn/inject/pod-facts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, profileLayer, SOURCES, type Environment } from '../../fn/config/environments';
import { PROPERTIES } from '../../fn/config/schema';
import { validateSettings } from '../../fn/config/validate';
import { normalize } from '../../fn/config/normalize';
import type { WrittenSettings } from '../../fn/config/settings.generated';
import { runsJava } from '../../fn/inject/app-proxy';
import { checkInjection, checkRemoval } from '../../fn/inject/guard';
import { parseRecord, serializeRecord } from '../../fn/inject/record';
import { appProxyEnv, javaProxyFlags } from '../../fn/render/app-proxy';
import { why } from '../../fn/describe';
import { processPackage } from '../../fn/package/process-package';
import { parseResource, type Resource } from '../../fn/resource';
import { podPaths, workloadKind } from '../../fn/workloads';
import { AUTOPILOT_RULES, RESTRICTED_RULES, violations } from '../support/admission';
import { refusalRows, settingRows } from '../support/environment-tables';
import { asItem, fromItem, itemsOf, resourceList, resultsOf, ROOT, run } from '../support/helpers';

const DOC = readFileSync(join(ROOT, 'docs/environments.md'), 'utf8');
const PROFILES = Object.keys(ENVIRONMENTS) as Environment[];

/** A Deployment annotated for injection, with the given extra annotations and app container. */
function deployment(name: string, annotations: Record<string, string> = {}, app = ''): string {
  const lines = Object.entries({ 'sidecar.speedscale.com/inject': 'true', ...annotations })
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
    .join('');
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  annotations:\n${lines}` +
    `spec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n` +
    `    spec:\n      containers:\n      - name: app\n        image: example.com/${name}:1\n${app}`
  );
}

const PORT_8080 = '        ports:\n        - containerPort: 8080\n';
const EQUAL =
  '        resources:\n          requests: {cpu: 250m, memory: 512Mi, ephemeral-storage: 1Gi}\n' +
  '          limits: {cpu: 250m, memory: 512Mi, ephemeral-storage: 1Gi}\n';

const config = (spec: Record<string, string>) =>
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n' +
  Object.entries(spec)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`)
    .join('');

const items = (text: string) => `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${text}`;
const data = (item: string): any => parseDocument(item.replace(/^- /, '  '), { version: '1.2' }).toJS();
const reasons = (output: string) => resultsOf(output).map((r) => r.tags?.reason);

/** The pod specs of the injected workloads of an output. */
function injectedPods(output: string): { name: string; spec: any }[] {
  return itemsOf(output).flatMap((item) => {
    const doc = parseDocument(item, { version: '1.2' }).toJS()[0];
    if (doc?.metadata?.labels?.['sidecar.speedscale.com/injected'] !== 'true') return [];
    const spec = podPaths(workloadKind(doc.apiVersion, doc.kind)!).podSpec.reduce((o: any, k) => o?.[k], doc);
    return [{ name: `${doc.kind}/${doc.metadata.name}`, spec }];
  });
}

/** Only the containers the function added, for rules the app's own containers are the user's to meet. */
const injectedOnly = (spec: any) => ({
  ...spec,
  containers: spec.containers.filter((c: any) => c.name.startsWith('speedscale-')),
  initContainers: (spec.initContainers ?? []).filter((c: any) => c.name.startsWith('speedscale-')),
});

describe('the profiles', () => {
  it.each(PROFILES)('%s: docs/environments.md lists every value and refusal, each with its source', (name) => {
    for (const row of [...settingRows(name), ...refusalRows(name)]) expect(DOC).toContain(row);
  });

  it.each(PROFILES)('%s: every value is a valid setting, every source a cited page', (name) => {
    const profile = ENVIRONMENTS[name];
    expect(validateSettings({ ...profileLayer(name) }, false).problems).toEqual([]);
    const sources = [
      ...Object.values(profile.settings).map((v) => v.source),
      ...Object.values(profile.refuses).map((r) => r.source),
      ...(profile.appPort ? [profile.appPort.source] : []),
    ];
    for (const source of sources) expect(Object.values(SOURCES)).toContain(source);
    expect(Object.keys(profile.settings).every((key) => PROPERTIES[key])).toBe(true);
  });

  it('takes the app port only from exactly one TCP port', () => {
    expect(profileLayer('gke-autopilot', [8080]).proxyPort).toBe(8080);
    expect(profileLayer('gke-autopilot', [8080, 9090]).proxyPort).toBeUndefined();
    expect(profileLayer('openshift', [8080]).proxyPort).toBeUndefined();
  });
});

describe('the profile layer: under the functionConfig and the annotations', () => {
  it('decides what the user does not give, and says so; the user wins and is named', () => {
    const out = run(
      resourceList(
        [
          deployment(
            'web',
            { 'sidecar.speedscale.com/memory-request': '1Gi', 'sidecar.speedscale.com/memory-limit': '1Gi' },
            PORT_8080 + EQUAL,
          ),
        ],
        config({ environment: 'gke-autopilot', logLevel: 'debug' }),
      ),
    );
    expect(out.exitCode).toBe(0);
    const info = resultsOf(out.stdout).find((r) => r.tags?.reason === 'environment')!;
    expect(info.message).toBe(
      'environment gke-autopilot decided proxy-type dual, proxy-protocol tcp:http, proxy-security-context restricted, ' +
        'cpu-request 500m, cpu-limit 500m, ephemeral-storage-request 100Mi, ephemeral-storage-limit 100Mi, ' +
        "app-proxy-env true, proxy-port 8080 (the app's only TCP port); yours kept: memory-request, memory-limit",
    );
    const proxy = data(itemsOf(out.stdout)[0]).spec.template.spec.containers[1];
    expect(proxy.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '100Mi' },
      limits: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '100Mi' },
    });
    expect(proxy.env.find((e: any) => e.name === 'REVERSE_PROXY_PORT').value).toBe('8080');
  });

  it("gives the page each workload's decision (Outcome.decided)", () => {
    const [file] = processPackage([{ path: 'a.yaml', text: deployment('web', {}, PORT_8080) }], {
      config: { inject: true, environment: 'restricted' },
    });
    expect(file.outcomes[0].decided).toEqual({
      proxyType: 'dual',
      proxyProtocol: 'tcp:http',
      proxySecurityContext: 'restricted',
      appProxyEnv: true,
      proxyPort: 8080,
    });
    const [plain] = processPackage([{ path: 'a.yaml', text: deployment('web', {}, PORT_8080) }], { config: {} });
    expect(plain.outcomes[0].decided).toBeUndefined();
  });

  it.each(['protocol:', 'protocol: ~', 'protocol: ""'])("a port with %s is the app's only TCP port", (line) => {
    const app = `${PORT_8080}          ${line}\n`;
    const out = run(resourceList([deployment('web', {}, app)], config({ environment: 'gke-autopilot' })));
    expect(out.exitCode).toBe(0);
    expect(resultsOf(out.stdout).find((r) => r.tags?.reason === 'environment')!.message).toContain(
      "proxy-port 8080 (the app's only TCP port)",
    );
    expect(resultsOf(out.stdout).map((r) => r.tags?.reason)).not.toContain('non-tcp-port');
  });

  it.each([
    ['no TCP port', '', /declare no TCP port; set proxy-port .* or proxy-type forward/],
    [
      'two ports',
      '        ports:\n        - containerPort: 8080\n        - containerPort: 9090\n',
      /2 TCP ports \(8080, 9090\)/,
    ],
  ])('refuses a pod with %s unless proxy-port is given', (_name, app, message) => {
    const refused = run(resourceList([deployment('web', {}, app)], config({ environment: 'gke-autopilot' })));
    expect(refused.exitCode).toBe(1);
    expect(resultsOf(refused.stdout).find((r) => r.tags?.reason === 'environment-unfit')!.message).toMatch(message);
    expect(itemsOf(refused.stdout)[0]).toBe(asItem(deployment('web', {}, app)));
    const given = run(
      resourceList(
        [deployment('web', { 'sidecar.speedscale.com/proxy-port': '8080' }, app)],
        config({ environment: 'gke-autopilot' }),
      ),
    );
    expect(given.exitCode).toBe(0);
  });

  it.each([
    [
      'a hostNetwork pod',
      {},
      '      hostNetwork: true\n',
      /the pod uses hostNetwork: true \(Autopilot rejects host namespace access/,
    ],
    [
      'proxy-type transparent',
      { 'sidecar.speedscale.com/proxy-type': 'transparent' },
      '',
      /transparent needs an iptables init container/,
    ],
    ['a proxy that adds NET_RAW', { 'sidecar.speedscale.com/proxy-type': 'forward' }, '', /adds NET_RAW/],
    ['requests unlike limits', { 'sidecar.speedscale.com/cpu-limit': '1' }, '', /cpu request 500m, limit 1/],
  ])("gke-autopilot refuses %s, the user's own setting included, and says why", (_name, annotations, spec, message) => {
    const input = deployment('web', annotations, PORT_8080).replace(
      '    spec:\n      containers:',
      `    spec:\n${spec}      containers:`,
    );
    const hardened: Record<string, string> =
      _name === 'a proxy that adds NET_RAW' ? { proxySecurityContext: 'hardened' } : {};
    const out = run(resourceList([input], config({ environment: 'gke-autopilot', ...hardened })));
    expect(out.exitCode).toBe(1);
    expect(reasons(out.stdout)).toContain('environment-unfit');
    expect(resultsOf(out.stdout).find((r) => r.tags?.reason === 'environment-unfit')!.message).toMatch(message);
    expect(itemsOf(out.stdout)[0]).toBe(asItem(input));
  });

  it('advises on app containers Autopilot will refuse, and injects', () => {
    const out = run(resourceList([deployment('web', {}, PORT_8080)], config({ environment: 'gke-autopilot' })));
    expect(out.exitCode).toBe(0);
    expect(reasons(out.stdout)).not.toContain('environment-advice'); // no resources at all: Autopilot's defaults
    const unequal = '        resources:\n          requests: {cpu: 100m}\n          limits: {cpu: 200m}\n';
    const warned = run(
      resourceList([deployment('web', {}, PORT_8080 + unequal)], config({ environment: 'gke-autopilot' })),
    );
    expect(resultsOf(warned.stdout).find((r) => r.tags?.reason === 'environment-advice')!.message).toMatch(
      /container app has cpu request 100m, limit 200m/,
    );
  });

  it('restricted passes a namespace that enforces restricted, which the transparent sidecar does not', () => {
    const ns =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: locked\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n';
    const web = deployment('web', {}, PORT_8080).replace('  name: web\n', '  name: web\n  namespace: locked\n');
    expect(reasons(run(resourceList([ns, web])).stdout)).toContain('pod-security');
    const out = run(resourceList([ns, web], config({ environment: 'restricted' })));
    expect(out.exitCode).toBe(0);
    expect(reasons(out.stdout)).toContain('injected');
  });
});

describe("what each platform admits, on the profiles' output", () => {
  const fixture = (name: string) => readFileSync(join(ROOT, 'fixtures', name, 'expected.yaml'), 'utf8');

  it("gke-autopilot: the injected containers pass Autopilot's rules; an Autopilot-ready app's whole pod does", () => {
    const pods = injectedPods(fixture('environment-gke-autopilot'));
    expect(pods.length).toBeGreaterThan(4);
    for (const { name, spec } of pods) expect(violations(AUTOPILOT_RULES, injectedOnly(spec)), name).toEqual([]);
    const ready = run(
      resourceList([deployment('web', {}, PORT_8080 + EQUAL)], config({ environment: 'gke-autopilot' })),
    );
    const [pod] = injectedPods(ready.stdout);
    expect(violations(AUTOPILOT_RULES, pod.spec)).toEqual([]);
  });

  it('restricted: the injected containers pass Pod Security restricted', () => {
    const pods = injectedPods(fixture('environment-restricted'));
    expect(pods.length).toBeGreaterThan(4);
    for (const { name, spec } of pods) expect(violations(RESTRICTED_RULES, injectedOnly(spec)), name).toEqual([]);
  });

  it('the rules are not vacuous: the default sidecar breaks them', () => {
    const [pod] = injectedPods(run(resourceList([deployment('web', {}, PORT_8080 + EQUAL)])).stdout);
    expect(violations(AUTOPILOT_RULES, pod.spec).join('\n')).toMatch(/adds NET_ADMIN, NET_RAW[\s\S]*adds NET_RAW/);
    expect(violations(AUTOPILOT_RULES, pod.spec).join('\n')).toMatch(/requests differ from limits/);
    expect(violations(RESTRICTED_RULES, injectedOnly(pod.spec)).join('\n')).toMatch(/runAsNonRoot is not true/);
    const openshift = injectedPods(fixture('environment-openshift'));
    expect(openshift.every(({ spec }) => spec.initContainers.some((c: any) => c.securityContext?.privileged))).toBe(
      true,
    );
  });
});

describe("the app's side of forward and dual (appProxyEnv)", () => {
  const settings = (over: WrittenSettings) => normalize(over);

  it('points at the out-port, and keeps NO_PROXY to the pod and the ignore lists', () => {
    const env = appProxyEnv(
      settings({ proxyType: 'forward', proxyOutPort: 5140, ignoreDstIps: '10.0.0.0/8', ignoreDstHosts: 'db' }),
    );
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toEqual({
      HTTP_PROXY: 'http://127.0.0.1:5140',
      HTTPS_PROXY: 'http://127.0.0.1:5140',
      NO_PROXY: 'localhost,127.0.0.1,::1,10.0.0.0/8,db',
      http_proxy: 'http://127.0.0.1:5140',
      https_proxy: 'http://127.0.0.1:5140',
      no_proxy: 'localhost,127.0.0.1,::1,10.0.0.0/8,db',
    });
    expect(appProxyEnv(settings({ proxyType: 'forward', ignoreDstIps: '*' }))[2].value).toBe('*');
    expect(appProxyEnv(settings({ proxyType: 'dual', proxyProtocol: 'tcp:socks' }))[0].value).toBe(
      'socks5://127.0.0.1:4140',
    );
    for (const off of [{}, { proxyType: 'reverse' }, { proxyType: 'dual', appProxyEnv: false }] as WrittenSettings[])
      expect(appProxyEnv(settings(off))).toEqual([]);
  });

  it("writes Java's flags, with the ignore lists Java can say", () => {
    const { flags, unsaid } = javaProxyFlags(
      settings({
        proxyType: 'forward',
        ignoreDstIps: '10.0.0.0/8,10.1.0.0/20,fd00::/8,192.168.1.7',
        ignoreDstHosts: 'db',
      }),
    );
    expect(flags).toBe(
      '-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=4140 -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=4140 ' +
        '-Dhttp.nonProxyHosts=localhost|127.*|[::1]|10.*|192.168.1.7|db',
    );
    expect(unsaid).toEqual(['10.1.0.0/20', 'fd00::/8']);
  });

  it.each([
    ['its image', { image: 'registry:5000/base/eclipse-temurin:21-jre@sha256:abc' }, true],
    ['a distroless Java image', { image: 'gcr.io/distroless/java17-debian12' }, true],
    ['JAVA_OPTS', { env: ['JAVA_OPTS'] }, true],
    ['its command', { runs: '/usr/bin/java' }, true],
    ['a Node image', { image: 'node:20' }, false],
    ['javascript', { runs: 'javascript' }, false],
  ])('finds Java by %s', (_name, over, java) => {
    expect(runsJava({ name: 'c', image: 'example.com/app:1', ports: [], ...over })).toBe(java);
  });

  it('appends to JAVA_TOOL_OPTIONS, restores it byte for byte, and refuses when it was changed since', () => {
    const app =
      '        image: openjdk:21\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g # sized\n';
    const input = deployment('web', { 'sidecar.speedscale.com/proxy-type': 'forward' }).replace(
      '        image: example.com/web:1\n',
      app,
    );
    const out = run(resourceList([input]));
    const injected = itemsOf(out.stdout)[0];
    expect(injected).toContain(
      'value: "-Xmx1g -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=4140 -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=4140" # sized',
    );
    const off = injected.replace('inject: "true"', 'inject: "false"');
    expect(itemsOf(run(items(off)).stdout)[0]).toBe(asItem(input).replace('inject: "true"', 'inject: "false"'));
    const changed = run(items(injected.replace('-Xmx1g -D', '-Xmx2g -D')));
    expect(changed.exitCode).toBe(1);
    expect(resultsOf(changed.stdout)[0]).toMatchObject({ tags: { reason: 'bad-record' } });
    expect(resultsOf(changed.stdout)[0].message).toMatch(/it was changed since; write it back as -Xmx1g/);
  });

  it.each([
    ['ends with a tab', '"-Xmx1g\\t"', '"-Xmx1g\\t-Dhttp.proxyHost=127.0.0.1 '],
    ['is empty', '""', '"-Dhttp.proxyHost=127.0.0.1 '],
    ['is only a space', "' '", "' -Dhttp.proxyHost=127.0.0.1 "],
  ])('keeps the value as written ahead of the flags when it %s', (_case, written, appended) => {
    const app = `        image: openjdk:21\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: ${written}\n`;
    const input = deployment('web', { 'sidecar.speedscale.com/proxy-type': 'forward' }).replace(
      '        image: example.com/web:1\n',
      app,
    );
    const injected = itemsOf(run(resourceList([input])).stdout)[0];
    expect(injected).toContain(`value: ${appended}`);
    const env = data(injected).spec.template.spec.containers[0].env;
    const before = data(asItem(input)).spec.template.spec.containers[0].env[0].value as string;
    expect(env[0].value.startsWith(before)).toBe(true);
    const off = injected.replace('inject: "true"', 'inject: "false"');
    expect(itemsOf(run(items(off)).stdout)[0]).toBe(asItem(input).replace('inject: "true"', 'inject: "false"'));
  });

  it('reads a rewritten value a formatter requoted or folded as unchanged: re-run and removal take it', () => {
    const app =
      '        image: openjdk:21\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g # sized\n';
    const input = deployment('web', { 'sidecar.speedscale.com/proxy-type': 'forward' }).replace(
      '        image: example.com/web:1\n',
      app,
    );
    const injected = itemsOf(run(resourceList([input])).stdout)[0];
    const flags = '-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=4140 -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=4140';
    const written = `value: "-Xmx1g ${flags}"`;
    expect(injected).toContain(written);
    for (const formatted of [
      `value: '-Xmx1g ${flags}'`,
      `value: -Xmx1g ${flags.replace(' -Dhttps.proxyHost', '\n              -Dhttps.proxyHost')}`,
    ]) {
      const reformatted = injected.replace(written, formatted);
      const again = run(items(reformatted));
      expect(again.exitCode).toBe(0);
      expect(itemsOf(again.stdout)[0]).toBe(reformatted);
      const off = reformatted.replace('inject: "true"', 'inject: "false"');
      expect(itemsOf(run(items(off)).stdout)[0]).toBe(asItem(input).replace('inject: "true"', 'inject: "false"'));
    }
  });

  it('keeps what the container sets, and says what capture then depends on', () => {
    const app = '        env:\n        - {name: NO_PROXY, value: "*.corp"}\n';
    const out = run(resourceList([deployment('web', { 'sidecar.speedscale.com/proxy-type': 'forward' }, app)]));
    expect(
      data(itemsOf(out.stdout)[0]).spec.template.spec.containers[0].env.filter((e: any) => e.name === 'NO_PROXY'),
    ).toEqual([{ name: 'NO_PROXY', value: '*.corp' }]);
    expect(resultsOf(out.stdout).find((r) => r.tags?.reason === 'app-proxy')!.message).toBe(
      'container app sets NO_PROXY: kept, so the hosts it lists bypass the Speedscale proxy and are not captured',
    );
  });
});

describe('operatorIgnore', () => {
  it('marks the workload and its pod template, unless off; keeps and reports a value the user wrote', () => {
    const on = data(itemsOf(run(resourceList([deployment('web')])).stdout)[0]);
    expect(on.metadata.annotations['operator.speedscale.com/ignore']).toBe('true');
    expect(on.spec.template.metadata.annotations['operator.speedscale.com/ignore']).toBe('true');
    const off = run(resourceList([deployment('web', { 'sidecar.speedscale.com/operator-ignore': 'false' })]));
    expect(itemsOf(off.stdout)[0]).not.toContain('operator.speedscale.com/ignore');
    const mine = run(resourceList([deployment('web', { 'operator.speedscale.com/ignore': 'false' })]));
    expect(resultsOf(mine.stdout).find((r) => r.tags?.reason === 'user-value')!.message).toMatch(
      /workload annotation operator.speedscale.com\/ignore is "false"/,
    );
  });

  /** A CronJob as a ResourceList item, with these lines under its own metadata and its jobTemplate's. */
  const cronJob = (own: string[], made: string[] = []) =>
    [
      '- apiVersion: batch/v1',
      '  kind: CronJob',
      '  metadata:',
      '    name: nightly',
      ...own.map((line) => `    ${line}`),
      '  spec:',
      '    schedule: "0 3 * * *"',
      '    jobTemplate:',
      ...(made.length ? ['      metadata:', ...made.map((line) => `        ${line}`)] : []),
      '      spec:',
      '        template:',
      '          spec:',
      '            restartPolicy: OnFailure',
      '            containers:',
      '            - name: task',
      '              image: example.com/task:1',
      '',
    ].join('\n');
  const asksOwn = ['annotations:', '  sidecar.speedscale.com/inject: "true"'];

  it("marks a CronJob's jobTemplate too: the webhook sees the Jobs made from it, never the CronJob", () => {
    const nightly = cronJob(asksOwn);
    const out = run(items(nightly));
    const injected = data(itemsOf(out.stdout)[0]);
    expect(injected.spec.jobTemplate.metadata.annotations['operator.speedscale.com/ignore']).toBe('true');
    // Recorded with the rest: "false" gives the author's bytes back.
    const removed = run(items(itemsOf(out.stdout)[0].replace('inject: "true"', 'inject: "false"')));
    expect(itemsOf(removed.stdout)[0]).toBe(nightly.replace('inject: "true"', 'inject: "false"'));
  });

  it("reads the jobTemplate's own annotations as the operator does: an ignore kept, an eBPF opt-in refused", () => {
    const withMade = (annotation: string) => cronJob(asksOwn, [`annotations: {${annotation}}`]);
    const kept = run(items(withMade('operator.speedscale.com/ignore: "false"')));
    expect(resultsOf(kept.stdout).find((r) => r.tags?.reason === 'user-value')!.message).toMatch(
      /jobTemplate annotation operator.speedscale.com\/ignore is "false"/,
    );
    const ebpf = withMade('capture.speedscale.com/enabled: "true"');
    const refused = run(items(ebpf));
    expect(reasons(refused.stdout)).toContain('ebpf-capture');
    expect(itemsOf(refused.stdout)[0]).toBe(ebpf);
  });

  it("says that our annotations on a CronJob's jobTemplate are not read, never passing them over in silence", () => {
    const asked = cronJob([], asksOwn);
    const out = run(items(asked));
    expect(itemsOf(out.stdout)[0]).toBe(asked);
    const [result] = resultsOf(out.stdout);
    expect(result).toMatchObject({ severity: 'warning', tags: { reason: 'unknown-annotation' } });
    expect(result.message).toMatch(/sidecar.speedscale.com\/inject: not read on a CronJob's jobTemplate/);
    expect(result.field.path).toBe('spec.jobTemplate.metadata.annotations["sidecar.speedscale.com/inject"]');
  });

  it("still refuses a workload carrying the operator's own injection", () => {
    const theirs = deployment('web').replace(
      '        image: example.com/web:1\n',
      '        image: example.com/web:1\n      - name: speedscale-goproxy\n        image: gcr.io/speedscale/goproxy:v2\n',
    );
    const out = run(resourceList([theirs]));
    expect(out.exitCode).toBe(1);
    expect(reasons(out.stdout)).toEqual(['foreign-speedscale']);
  });
});

describe('serviceTargetPort: Services follow the proxy, and go back', () => {
  const service =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 8080\n';
  const dual = {
    'sidecar.speedscale.com/proxy-type': 'dual',
    'sidecar.speedscale.com/proxy-protocol': 'tcp:http',
    'sidecar.speedscale.com/service-target-port': 'proxy',
  };

  it('in the package, the Service in one file and its workload in the next', () => {
    const files = [
      { path: 'svc.yaml', text: service },
      { path: 'web.yaml', text: deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' }) },
    ];
    const [svc] = processPackage(files, { config: {} });
    expect(svc.output).toContain('    targetPort: 4143\n');
    expect(svc.outcomes[0].status).toBe('updated');
    // The workload turned off: the Service is restored exactly.
    const off = [svc, { path: 'web.yaml', text: files[1].text.replace('inject: "true"', 'inject: "false"') }];
    const [restored] = processPackage(
      off.map((f) => ({ path: f.path, text: 'output' in f ? f.output : f.text })),
      { config: {} },
    );
    expect(restored.output).toBe(service);
  });

  it('a Service port renumbered since: the targetPort it cannot find again is said, never "restored"', () => {
    const files = [
      { path: 'svc.yaml', text: service },
      { path: 'web.yaml', text: deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' }) },
    ];
    const [svc] = processPackage(files, { config: {} });
    const renumbered = svc.output.replace('  - port: 80\n', '  - port: 81\n');
    expect(renumbered).toContain('    targetPort: 4143\n');
    const off = files[1].text.replace('inject: "true"', 'inject: "false"');
    const [after] = processPackage(
      [
        { path: 'svc.yaml', text: renumbered },
        { path: 'web.yaml', text: off },
      ],
      { config: {} },
    );
    const [outcome] = after.outcomes;
    const gone = outcome.results.find((r) => r.tags?.reason === 'record-gone');
    expect(gone?.message).toMatch(/names spec\.ports\[port=80\]\.targetPort, not there any more/);
    expect(outcome.results.map((r) => r.message)).not.toContain('restored the targetPort its author wrote');
  });

  it("the command line's remove keeps the Service of a workload it keeps, and restores the others'", () => {
    const web = deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' });
    const [injected] = processPackage([{ path: 'a.yaml', text: `${web}---\n${service}` }], { config: {} });
    const remove = { config: { inject: false, uninstall: false }, allow: new Set(['removed'] as const) };
    const [kept] = processPackage([{ path: 'a.yaml', text: injected.output }], remove);
    expect(kept.outcomes.map((o) => o.status)).toEqual(['kept', 'unchanged']);
    expect(kept.output).toBe(injected.output);
    const off = injected.output.replace(
      'sidecar.speedscale.com/inject: "true"',
      'sidecar.speedscale.com/inject: "false"',
    );
    const [removed] = processPackage([{ path: 'a.yaml', text: off }], remove);
    expect(removed.outcomes.map((o) => o.status)).toEqual(['removed', 'removed']);
    expect(removed.output).toBe(`${web.replace('inject: "true"', 'inject: "false"')}---\n${service}`);
  });

  it('an injected Service whose workloads are not in the input is left alone, with a warning; uninstall restores it', () => {
    const web = deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' });
    const [injected] = processPackage(
      [
        { path: 'svc.yaml', text: service },
        { path: 'web.yaml', text: web },
      ],
      { config: {} },
    );
    expect(injected.output).toContain('    targetPort: 4143\n');
    // The Service's file alone (a pre-commit run over staged files, --in-place on one file): what it should
    // be depends on workloads elsewhere, so it is kept as it is, never restored nor reported as drift.
    for (const mode of [{}, { mode: 'check' as const }]) {
      const [alone] = processPackage([{ path: 'svc.yaml', text: injected.output }], { config: mode });
      expect(alone.output).toBe(injected.output);
      expect(alone.outcomes[0]).toMatchObject({ status: 'kept', reason: 'service-target-port' });
      expect(alone.outcomes[0].results).toEqual([
        expect.objectContaining({
          severity: 'warning',
          message:
            'no workload in the input selects Service web: its targetPort is left as it is; run over its workloads to restore it',
        }),
      ]);
      // The report line says it once (the reason's words are the warning's, not said again beside it).
      expect(why(alone.outcomes[0])).toBe(alone.outcomes[0].results[0].message);
    }
    const [uninstalled] = processPackage([{ path: 'svc.yaml', text: injected.output }], {
      config: { uninstall: true },
    });
    expect(uninstalled.output).toBe(service);
  });

  // The labels a workload's controller sets on its pods are not the template's: a Deployment's ReplicaSets write
  // their own pod-template-hash over one the template sets. A Service selecting by one may pick the pods or not.
  it('a Service selecting by a label the controller sets is not pointed at the proxy', () => {
    const web = deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' }).replace(
      '      labels: {app: web}\n',
      '      labels: {app: web, pod-template-hash: abc}\n',
    );
    const svc = service.replace('{app: web}', '{app: web, pod-template-hash: abc}');
    const [out] = processPackage([{ path: 'a.yaml', text: `${web}---\n${svc}` }], { config: {} });
    expect(out.outcomes[0].status).toBe('injected');
    expect(out.output.endsWith(`---\n${svc}`)).toBe(true);
    // It is in the package and may select the pods: said as such, not as no Service selecting them.
    const services = new Set(['no-service', 'service-maybe', 'service-untouched', 'service-target-port']);
    const said = out.outcomes[0].results.filter((r) => services.has(r.tags?.reason ?? ''));
    expect(said.map((r) => [r.severity, r.tags?.reason, r.message])).toEqual([
      [
        'warning',
        'service-maybe',
        'service-target-port is proxy, but the Services of this package that may select these pods name labels their ' +
          'controller sets, whose values the package does not hold (Service web: pod-template-hash): only the cluster ' +
          "knows whether they select them, so none is pointed at the proxy's in-port; select the pods by their " +
          "template's labels, or point the Service's targetPort at the in-port by hand",
      ],
    ]);
    // Nor is its removal said to leave a Service pointed at the proxy: none in view ever was.
    const off = out.output.replace('inject: "true"', 'inject: "false"');
    const [removed] = processPackage([{ path: 'a.yaml', text: off }], { config: {} });
    expect(removed.output).toBe(`${web.replace('inject: "true"', 'inject: "false"')}---\n${svc}`);
    expect(removed.outcomes.flatMap((o) => o.results).map((r) => r.tags?.reason)).not.toContain('service-left');
    // Each such Service is named, one without a name said so.
    const unnamed = svc.replace('  name: web\n', '  labels: {app: web}\n');
    const [two] = processPackage([{ path: 'a.yaml', text: `${web}---\n${svc}---\n${unnamed}` }], { config: {} });
    expect(two.outcomes[0].results.find((r) => r.tags?.reason === 'service-maybe')?.message).toContain(
      '(Service web: pod-template-hash; a Service without a name: pod-template-hash)',
    );
  });

  // The other way round: a Service that surely selects an injected workload's pods, and may select another's, by
  // a label that workload's controller sets (an Argo Rollout's canary pods carry its canaryMetadata labels).
  describe('a Service that may also select pods without the proxy, by a label their controller sets', () => {
    const web = deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' }).replace(
      '      labels: {app: web}\n',
      '      labels: {app: web, role: canary}\n',
    );
    const rollout = (annotations = '') =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web-next\n${annotations}spec:\n` +
      '  strategy:\n    canary:\n      canaryMetadata:\n        labels: {role: canary}\n' +
      '  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n' +
      '    spec:\n      containers:\n      - name: app\n        image: example.com/web:1\n';
    const svc = service.replace('{app: web}', '{app: web, role: canary}');
    const untouched = (text: string) => {
      const [out] = processPackage([{ path: 'a.yaml', text }], { config: {} });
      expect(out.output.endsWith(`---\n${svc}`)).toBe(true);
      return out.outcomes[2].results.filter((r) => r.tags?.reason === 'service-untouched').map((r) => r.message);
    };

    it('with none there: left alone, as one that surely selects them is', () => {
      expect(untouched(`${web}---\n${rollout()}---\n${svc}`)).toEqual([
        'Service web selects Deployment/web, whose proxy listens on its in-port, and may select Rollout/web-next ' +
          '(by a label its controller sets), which has none there: its targetPort is left as it is',
      ]);
    });

    it('with a proxy of other ports: left alone', () => {
      const other = `  annotations:\n${Object.entries({
        'sidecar.speedscale.com/inject': 'true',
        ...dual,
        'sidecar.speedscale.com/proxy-port': '8080',
        'sidecar.speedscale.com/proxy-in-port': '4200',
      })
        .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
        .join('')}`;
      expect(untouched(`${web}---\n${rollout(other)}---\n${svc}`)).toEqual([
        'Service web selects Deployment/web and may select Rollout/web-next, whose proxies differ in proxy-port or ' +
          'proxy-in-port: its targetPort is left as it is',
      ]);
    });
  });

  // kpt's --match-kind Deployment, a Kptfile step with selectors, the workload's file alone: the Service is not
  // in the run, so injection cannot point it at the proxy, and removal cannot take it back (nothing listens there).
  describe('a workload that asks for it, with no Service of the package selecting its pods', () => {
    const web = deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' });
    const off = (text: string) => text.replace('inject: "true"', 'inject: "false"');
    const said = (outcome: { results: { message: string; tags?: { reason?: string } }[] }, reason: string) =>
      outcome.results.filter((r) => r.tags?.reason === reason).map((r) => r.message);
    const [together] = processPackage([{ path: 'a.yaml', text: `${web}---\n${service}` }], { config: {} });

    it('injected, with a warning that names the in-port; none when the Service is in the package', () => {
      const [alone] = processPackage([{ path: 'web.yaml', text: web }], { config: {} });
      expect(alone.outcomes[0].status).toBe('injected');
      expect(said(alone.outcomes[0], 'no-service')).toEqual([
        "service-target-port is proxy, but no Service in this package selects these pods, so none is pointed at the proxy's " +
          "in-port 4143; run over the package that holds the Service too (kpt's --match-kind or a file run alone leaves it " +
          'out), or set its targetPort by hand',
      ]);
      expect(alone.output).toBe(together.output.slice(0, together.output.indexOf('---\n')));
      expect(together.outcomes.flatMap((o) => o.results).map((r) => r.tags?.reason)).not.toContain('no-service');
    });

    it('removed, with a warning that the Service an earlier run pointed at the proxy keeps its in-port', () => {
      const injected = together.output.slice(0, together.output.indexOf('---\n'));
      const [alone] = processPackage([{ path: 'web.yaml', text: off(injected) }], { config: {} });
      expect(alone.output).toBe(off(web));
      expect(said(alone.outcomes[0], 'service-left')).toEqual([
        "no Service in this package selects these pods: one an earlier run pointed at the proxy's in-port 4143 keeps " +
          'that targetPort, where nothing listens once this removal is applied; run over the package that holds the ' +
          'Service too, or set its targetPort back by hand',
      ]);
      const [both] = processPackage([{ path: 'a.yaml', text: off(together.output) }], { config: {} });
      expect(both.output).toBe(`${off(web)}---\n${service}`);
      expect(said(both.outcomes[0], 'service-left')).toEqual([]);
      // The move to eBPF takes the sidecar out too.
      const ebpf = { config: { capture: 'ebpf' as const } };
      const [moved] = processPackage([{ path: 'web.yaml', text: injected }], ebpf);
      expect(moved.outcomes[0].status).not.toBe('error');
      expect(said(moved.outcomes[0], 'service-left')).toHaveLength(1);
      const [movedBoth] = processPackage([{ path: 'a.yaml', text: together.output }], ebpf);
      expect(movedBoth.outcomes.flatMap((o) => said(o, 'service-left'))).toEqual([]);
    });

    it('KRM: the same, and a Service that selects other pods or sits in another namespace does not count', () => {
      const elsewhere = service.replace('  name: web\n', '  name: web\n  namespace: other\n');
      const other = service.replace('{app: web}', '{app: api}');
      for (const [package_, warned] of [
        [[web], true],
        [[web, elsewhere, other], true],
        [[web, service], false],
        // A Service inside a List is one of the package's too.
        [[web, `apiVersion: v1\nkind: List\nitems:\n${asItem(service)}`], false],
      ] as const) {
        const out = run(resourceList([...package_]));
        expect(reasons(out.stdout).includes('no-service')).toBe(warned);
      }
      const injected = fromItem(itemsOf(run(resourceList([web, service])).stdout)[0]);
      expect(reasons(run(resourceList([off(injected)])).stdout)).toContain('service-left');
    });

    it('not said where the setting asks nothing of Services: transparent, or serviceTargetPort app', () => {
      for (const annotations of [
        { 'sidecar.speedscale.com/service-target-port': 'proxy' },
        { ...dual, 'sidecar.speedscale.com/service-target-port': 'app' },
      ]) {
        const [alone] = processPackage([{ path: 'web.yaml', text: deployment('web', annotations, PORT_8080) }], {
          config: {},
        });
        expect(alone.outcomes[0].results.map((r) => r.tags?.reason)).not.toContain('no-service');
      }
    });
  });

  // Kubernetes defaults a targetPort that is unset (null, "") or 0 to the port, and a protocol that is unset
  // to TCP: such a port reaches the app. A null has no text of its own, so it is rewritten from its colon on.
  it.each([
    ['targetPort:', '4143'],
    ['targetPort:   # Helm left it empty', '4143   # Helm left it empty'],
    ['targetPort: ~', '4143'],
    ['targetPort:  null  # none', '4143  # none'],
    ['targetPort: !!null', '4143'],
    ['targetPort: !!null ""', '4143'],
    ['targetPort: ""', '4143'],
    ['targetPort: 0', '4143'],
    ['targetPort: 8080\n    protocol:', '4143\n    protocol:'],
    ['targetPort: 8080\n    protocol: ""', '4143\n    protocol: ""'],
  ])('a port with %j reaches the app: pointed at the proxy, and back byte for byte', (line, now) => {
    const web = deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' });
    const svc = service.replace(
      '  - port: 80\n    targetPort: 8080\n',
      `  - port: 8080\n    ${line}\n    name: http\n`,
    );
    const [injected] = processPackage([{ path: 'a.yaml', text: `${web}---\n${svc}` }], { config: {} });
    expect(injected.outcomes.map((o) => o.status)).toEqual(['injected', 'updated']);
    expect(injected.output).toContain(`  - port: 8080\n    targetPort: ${now}\n    name: http\n`);
    expect(injected.outcomes[1].results.map((r) => r.message)).toEqual([
      'pointed at the Speedscale proxy: port http (targetPort 8080 -> 4143)',
    ]);
    const [again] = processPackage([{ path: 'a.yaml', text: injected.output }], { config: {} });
    expect(again.output).toBe(injected.output);
    const off = injected.output.replace('inject: "true"', 'inject: "false"');
    const [removed] = processPackage([{ path: 'a.yaml', text: off }], { config: {} });
    expect(removed.output).toBe(`${web.replace('inject: "true"', 'inject: "false"')}---\n${svc}`);
    const [uninstalled] = processPackage([{ path: 'a.yaml', text: injected.output }], {
      config: { uninstall: true },
    });
    expect(uninstalled.output).toBe(`${web}---\n${svc}`);
  });

  it('a null rewritten and changed since is not written back; one in a flow map is refused', () => {
    const web = deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' });
    const svc = service.replace('  - port: 80\n    targetPort: 8080\n', '  - port: 8080\n    targetPort:\n');
    const [injected] = processPackage([{ path: 'a.yaml', text: `${web}---\n${svc}` }], { config: {} });
    const changed = injected.output.replace('targetPort: 4143', 'targetPort: 4144').replace('"true"', '"false"');
    const [refused] = processPackage([{ path: 'a.yaml', text: changed }], { config: {} });
    expect(refused.outcomes[1].results[0].message).toBe(
      'injection record: spec.ports[port=8080].targetPort reads 4144, not 4143 as the function wrote it: it was ' +
        "changed since; write it back as nothing (the author's) or 4143, then run again",
    );
    expect(refused.output.endsWith(changed.slice(changed.indexOf('---')))).toBe(true);
    const flow = service.replace('  - port: 80\n    targetPort: 8080\n', '  - {port: 8080, targetPort: }\n');
    const [kept] = processPackage([{ path: 'a.yaml', text: `${web}---\n${flow}` }], { config: {} });
    expect(kept.outcomes[1].results[0].message).toMatch(
      /spec\.ports\[port=8080\]\.targetPort is null inside a flow collection, which this function does not rewrite/,
    );
    expect(kept.output.endsWith(`---\n${flow}`)).toBe(true);
  });

  // The setting from the functionConfig or a flag, not an annotation: once a later run no longer says it (or
  // moves the workload to eBPF), nothing in the text names it but the Service's own record.
  const flagged = {
    proxyType: 'dual',
    proxyProtocol: 'tcp:http',
    proxyPort: 8080,
    serviceTargetPort: 'proxy',
  } as const;

  it('set by the functionConfig: a run without it, or with capture: ebpf, restores the Service', () => {
    const injected = run(resourceList([deployment('web'), service], config({ ...flagged, proxyPort: '8080' })));
    const [workload, svc] = itemsOf(injected.stdout);
    expect(svc).toContain('    targetPort: 4143\n');
    for (const later of [{}, { capture: 'ebpf' }] as Record<string, string>[]) {
      const out = run(`${items(workload + svc)}functionConfig:\n${config(later).replace(/^/gm, '  ')}`);
      expect(out.exitCode, JSON.stringify(later)).toBe(0);
      expect(itemsOf(out.stdout)[1], JSON.stringify(later)).toBe(asItem(service));
      expect(reasons(out.stdout)).not.toContain('service-untouched');
    }
  });

  it('set by a flag: the command line without it, or with --capture ebpf, restores the Service', () => {
    const files = [{ path: 'a.yaml', text: `${deployment('web')}---\n${service}` }];
    const [injected] = processPackage(files, { config: flagged });
    expect(injected.output).toContain('    targetPort: 4143\n');
    for (const later of [{}, { capture: 'ebpf' as const }]) {
      const [out] = processPackage([{ path: 'a.yaml', text: injected.output }], { config: later });
      expect(out.outcomes.map((o) => o.status)).toEqual(['updated', 'removed']);
      expect(out.output.endsWith(`---\n${service}`), JSON.stringify(later)).toBe(true);
    }
  });

  it('uninstall restores the Service; check mode reports its drift', () => {
    const injected = run(
      resourceList([deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' }), service]),
    );
    const texts = itemsOf(injected.stdout).join('');
    const uninstalled = run(`${items(texts)}functionConfig:\n${config({ uninstall: 'true' }).replace(/^/gm, '  ')}`);
    expect(itemsOf(uninstalled.stdout)[1]).toBe(asItem(service));
    const drift = run(
      resourceList(
        [deployment('web', { ...dual, 'sidecar.speedscale.com/proxy-port': '8080' }), service],
        config({ mode: 'check' }),
      ),
    );
    expect(reasons(drift.stdout)).toEqual(['non-transparent', 'drift', 'drift']);
  });
});

describe('capture: ebpf, and back', () => {
  const web = deployment('web', {}, PORT_8080);

  it('moves, and capture: sidecar and uninstall give the bytes back', () => {
    const injected = itemsOf(run(resourceList([web])).stdout).join('');
    const moved = run(`${items(injected)}functionConfig:\n${config({ capture: 'ebpf' }).replace(/^/gm, '  ')}`);
    expect(moved.exitCode).toBe(0);
    const item = itemsOf(moved.stdout)[0];
    expect(item).not.toContain('sidecar.speedscale.com/inject: "true"');
    expect(item).not.toContain('operator.speedscale.com/ignore');
    expect(item).not.toContain('speedscale-goproxy');
    expect(data(item).metadata.annotations['capture.speedscale.com/enabled']).toBe('true');
    expect(reasons(moved.stdout)).toEqual(['moved-to-ebpf']);
    // A second run changes nothing.
    const again = run(`${items(item)}functionConfig:\n${config({ capture: 'ebpf' }).replace(/^/gm, '  ')}`);
    expect(itemsOf(again.stdout)[0]).toBe(item);
    // Nor one over the move as a formatter requotes it: the same data, left as it is.
    const requoted = item.replace('sidecar.speedscale.com/inject: "false"', "sidecar.speedscale.com/inject: 'false'");
    expect(requoted).not.toBe(item);
    const formatted = run(`${items(requoted)}functionConfig:\n${config({ capture: 'ebpf' }).replace(/^/gm, '  ')}`);
    expect(itemsOf(formatted.stdout)[0]).toBe(requoted);
    expect(formatted.exitCode).toBe(0);
    // Back to the sidecar: what injecting the original gives; uninstall: the original.
    expect(itemsOf(run(items(item)).stdout)[0]).toBe(itemsOf(run(resourceList([web])).stdout)[0]);
    const uninstall = run(`${items(item)}functionConfig:\n${config({ uninstall: 'true' }).replace(/^/gm, '  ')}`);
    expect(itemsOf(uninstall.stdout)[0]).toBe(asItem(web));
  });

  // `!!str true` reads "true" only with its tag: the rewrite takes the tag with the value, and the record keeps
  // both, so a second run reads the author's value back as a string, and the way back writes both again.
  it('moves an inject annotation written with a tag, stable, and gives it back', () => {
    const tagged = web.replace(
      '    sidecar.speedscale.com/inject: "true"',
      '    sidecar.speedscale.com/inject: !!str true',
    );
    expect(tagged).toContain('!!str true');
    const injected = itemsOf(run(resourceList([tagged])).stdout).join('');
    const ebpf = `functionConfig:\n${config({ capture: 'ebpf' }).replace(/^/gm, '  ')}`;
    const moved = run(`${items(injected)}${ebpf}`);
    expect(reasons(moved.stdout)).toEqual(['moved-to-ebpf']);
    const item = itemsOf(moved.stdout)[0];
    expect(data(item).metadata.annotations['sidecar.speedscale.com/inject']).toBe('false');
    const again = run(`${items(item)}${ebpf}`);
    expect(again.exitCode).toBe(0);
    expect(itemsOf(again.stdout)[0]).toBe(item);
    const uninstall = run(`${items(item)}functionConfig:\n${config({ uninstall: 'true' }).replace(/^/gm, '  ')}`);
    expect(itemsOf(uninstall.stdout)[0]).toBe(asItem(tagged));
  });

  // The opt-in goes on a CronJob's jobTemplate, the metadata each Job gets, which is what the operator reads:
  // an opt-out or an ignore written there keeps it from capturing them, whatever the CronJob itself says.
  it.each([
    ['capture.speedscale.com/enabled: "false"', /opted out of eBPF capture/],
    ['operator.speedscale.com/ignore: "true"', /makes the operator skip the workload/],
  ])("a CronJob's jobTemplate with %s does not move, and says why", (annotation, why) => {
    const cronJob = [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: backup',
      '  annotations:',
      '    sidecar.speedscale.com/inject: "true"',
      '    operator.speedscale.com/ignore: "false"',
      'spec:',
      '  schedule: "0 * * * *"',
      '  jobTemplate:',
      '    metadata:',
      '      annotations:',
      `        ${annotation}`,
      '    spec:',
      '      template:',
      '        spec:',
      '          restartPolicy: OnFailure',
      '          containers:',
      '          - name: backup',
      '            image: registry.example.com/backup:1',
      '',
    ].join('\n');
    const moved = run(resourceList([cronJob], config({ capture: 'ebpf' })));
    expect(reasons(moved.stdout)).toEqual(['ebpf-blocked']);
    expect(resultsOf(moved.stdout)[0].message).toMatch(why);
    expect(itemsOf(moved.stdout)[0]).toBe(asItem(cronJob));
  });
});

describe('the record of rewritten values', () => {
  it('reads versions 1 to 3, writes the lowest that holds the record, and refuses what it cannot trust', () => {
    const added = [['metadata', 'labels', 'x']];
    expect(serializeRecord(added)).toBe('{"v":1,"added":[["metadata","labels","x"]]}');
    const v2 = serializeRecord(added, {
      edited: [{ path: ['spec', 'ports', { port: 80 }, 'targetPort'], was: '8080', now: '4143' }],
    });
    expect(parseRecord(v2)).toMatchObject({ v: 2, edited: [{ was: '8080', now: '4143' }] });
    expect(parseRecord('{"v":1,"added":[],"edited":[]}')).toMatch(/version 1 cannot have/);
    expect(parseRecord('{"v":2,"added":[],"edited":[{"path":["a"],"was":1}]}')).toMatch(/malformed "edited"/);
    const v3 = serializeRecord(added, { created: [['metadata', 'labels']] });
    expect(parseRecord(v3)).toMatchObject({ v: 3, created: [['metadata', 'labels']] });
    expect(parseRecord('{"v":2,"added":[],"created":[["a"]]}')).toMatch(/only version 3 can have/);
    expect(parseRecord('{"v":3,"added":[],"created":[["a",{"name":"b"}]]}')).toMatch(/malformed "created"/);
    expect(parseRecord('{"v":4,"added":[]}')).toBe(
      'has unsupported version 4 (this release reads 1 to 3; a newer release may have written it)',
    );
    expect(parseRecord('{"v":"3","added":[]}')).toBe('has unsupported version "3" (this release reads 1 to 3)');
  });

  it('writes a record made from the same data as the last one as that one was written, and no other', () => {
    // serializeRecord gives the last text again when its data reads the same: never when JSON would differ.
    const recordOf = (name: string, extra: Record<string, unknown> = {}) =>
      [
        [['spec', 'containers', { name, ...extra }]],
        { created: [['metadata', 'annotations']], filled: [{ path: ['spec', 'volumes'], was: ' ~' }] },
      ] as const;
    const fresh = (name: string, extra?: Record<string, unknown>) => {
      const [added, changes] = recordOf(name, extra);
      return JSON.stringify({ v: 3, added, created: changes.created, filled: changes.filled });
    };
    const cases: [string, Record<string, unknown>?][] = [
      ['a'],
      ['a'],
      ['a', { mountPath: '/m' }],
      ['a', { mountPath: '/m' }],
      ['a', { mountPath: '/n' }],
      ['b'],
      ['a'],
    ];
    for (const [name, extra] of cases)
      expect(serializeRecord(...(recordOf(name, extra) as unknown as Parameters<typeof serializeRecord>))).toBe(
        fresh(name, extra),
      );
    // Keys in another order are written in that order.
    const reordered = [['x', { mountPath: '/m', name: 'a' }]];
    expect(serializeRecord([['x', { name: 'a', mountPath: '/m' }]] as never)).toBe(
      '{"v":1,"added":[["x",{"name":"a","mountPath":"/m"}]]}',
    );
    expect(serializeRecord(reordered as never)).toBe('{"v":1,"added":[["x",{"mountPath":"/m","name":"a"}]]}');
    expect(serializeRecord([['x', 1]] as never)).toBe('{"v":1,"added":[["x",1]]}');
    expect(serializeRecord([['x', '1']] as never)).toBe('{"v":1,"added":[["x","1"]]}');
    // What the kept text was made from cannot change under it: a change in place throws, not a stale record.
    const kept: Parameters<typeof serializeRecord>[0] = [['spec', 'containers', { name: 'a' }]];
    const created = [['metadata', 'annotations']];
    expect(serializeRecord(kept, { created })).toBe(
      '{"v":3,"added":[["spec","containers",{"name":"a"}]],"created":[["metadata","annotations"]]}',
    );
    expect(() => kept.push(['x'])).toThrow(TypeError);
    expect(() => Object.assign(kept[0][2] as object, { name: 'b' })).toThrow(TypeError);
    expect(() => created[0].push('x')).toThrow(TypeError);
  });

  const resource = (text: string) => parseResource(text) as Resource;

  it('the guard refuses a rewrite that does not read back as meant, both ways', () => {
    const base = resource('kind: Service\nspec:\n  ports:\n  - port: 80\n    targetPort: 8080\n');
    const path = ['spec', 'ports', { port: 80 }, 'targetPort'];
    const placement = {
      seqs: [],
      maps: [],
      rewrites: [{ path, value: 4143, start: 0, end: 0, was: '8080', now: '4143' }],
      created: new Set<object>(),
    };
    expect(checkInjection(base, placement, base.text.replace('8080', '4143'))).toBeUndefined();
    expect(checkInjection(base, placement, base.text.replace('8080', '"4143"'))!.message).toMatch(
      /spec\.ports\[port=80\]\.targetPort would not say what was meant/,
    );
    const injected = resource(base.text.replace('8080', '4143'));
    expect(checkRemoval(injected, [], base.text, [{ path, value: 8080 }])).toBeUndefined();
    expect(checkRemoval(injected, [], base.text.replace('8080', '8081'), [{ path, value: 8080 }])).toBeDefined();
  });
});

describe('the pod facts the profiles and the app proxy read', () => {
  it('reads a container command, args and resources from the fast parse as from yaml', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: a}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: a',
      '        image: example.com/a:1',
      '        command: [java, -jar, /a.jar]',
      '        resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}',
      '      - name: b',
      '        image: example.com/b:1',
      '        args: [java]',
      '',
    ].join('\n');
    const resource = parseResource(text);
    if ('error' in resource) throw new Error(resource.error);
    expect(resource.doc).toBeUndefined(); // the fast parser read it
    const paths = { podSpec: ['spec', 'template', 'spec'], podMetadata: ['spec', 'template', 'metadata'] };
    const [a, b] = podFacts(resource, paths, { kind: 'Deployment' })!.containers;
    expect(a).toMatchObject({ runs: 'java', resources: { requests: { cpu: '100m' }, limits: { cpu: '200m' } } });
    expect(b.runs).toBe('java');
    expect([a, b].map(runsJava)).toEqual([true, true]);
  });
});
