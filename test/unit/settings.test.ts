/** Config resolution: precedence, conversion of strings, and problems pointing at the right place. */
import { Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { settingsFromFlags } from '../../fn/cli/config-flags';
import { readFunctionConfig } from '../../fn/config/function-config';
import { DEFAULTS, KEY_BY_ANNOTATION, PROPERTIES, SETTING_KEYS, kebab } from '../../fn/config/schema';
import { profileLayer } from '../../fn/config/environments';
import { resolveSettings, type AnnotationLayer } from '../../fn/config/settings';
import type { WrittenSettings } from '../../fn/config/settings.generated';
import { GROUPS } from '../../fn/config/schema';
import { renderSettingsTypes, SETTINGS_TYPES } from '../../scripts/settings-types.mjs';
import { run } from '../../fn/krm/run';
import { readWritten } from '../../fn/yaml/documents';

const layer = (path: string[], annotations: Record<string, unknown>): AnnotationLayer => ({
  path,
  entries: Object.entries(annotations).map(([k, v]) => [k, new Document(v).contents!]),
});
const TEMPLATE = ['spec', 'template', 'metadata', 'annotations'];
const WORKLOAD = ['metadata', 'annotations'];
const A = (name: string) => `sidecar.speedscale.com/${name}`;

describe('precedence: default < functionConfig < pod template < workload', () => {
  const rows: [string, WrittenSettings, Record<string, unknown>, Record<string, unknown>, number][] = [
    ['schema default', {}, {}, {}, 4143],
    ['functionConfig over default', { proxyInPort: 5000 }, {}, {}, 5000],
    ['template over functionConfig', { proxyInPort: 5000 }, { [A('proxy-in-port')]: '6000' }, {}, 6000],
    [
      'workload over template',
      { proxyInPort: 5000 },
      { [A('proxy-in-port')]: '6000' },
      { [A('proxy-in-port')]: '7000' },
      7000,
    ],
  ];
  it.each(rows)('%s', (_name, config, template, workload, expected) => {
    const { settings, problems } = resolveSettings(config, [layer(TEMPLATE, template), layer(WORKLOAD, workload)]);
    expect(problems).toEqual([]);
    expect(settings.proxyInPort).toBe(expected);
  });
});

describe('annotation problems', () => {
  it.each([
    [A('proxy-in-port'), '70000', 'error', /expected a port number from 1 to 65535, got "70000"/],
    [A('proxy-in-port'), '0x1F', 'error', /expected a port number from 1 to 65535, got "0x1F"/],
    [A('prometheus-port'), ' 9102', 'error', /expected a port number from 1 to 65535, got " 9102"/],
    [A('proxy-type'), 'sidecar', 'error', /expected one of "transparent"/],
    [A('ignore-dst-ips'), '10.0.0.0/8,300.1.1.1', 'error', /not an IP address or CIDR: "300.1.1.1"/],
    // iptables refuses these ("invalid mask"): the init container would exit 2 and the pod never start.
    [A('ignore-dst-ips'), '10.0.0.0/08', 'error', /not an IP address or CIDR: "10.0.0.0\/08"/],
    [A('ignore-src-ips'), 'fd00::/064', 'error', /not an IP address or CIDR: "fd00::\/064"/],
    // IPv4 on the wire: ip6tables never sees it, and iptables would need the IPv4 form (shown in a network namespace).
    [A('ignore-dst-ips'), '::ffff:192.0.2.1', 'error', /IPv4-mapped addresses never match.*"::ffff:192.0.2.1"/],
    [A('ignore-src-ips'), '0:0:0:0:0:FFFF:c000:0/120', 'error', /IPv4-mapped addresses never match/],
    // iptables takes a number for an address and never looks it up (test/integration/iptables-netns.test.ts).
    [A('ignore-dst-hosts'), 'db.internal, 1234', 'error', /iptables reads "1234" as an IPv4 address.*ignore-dst-ips/],
    [A('ignore-src-hosts'), '10.1,0x1f,007', 'error', /reads "10.1", "0x1f", "007" as an IPv4 .*ignore-src-ips/],
    // The API server refuses a container whose request is above its limit: the default request counts too.
    [A('memory-limit'), '16Mi', 'error', /memory-request 32Mi \(the default\) is more than memory-limit 16Mi/],
    [A('cpu-limit'), '0.005', 'error', /cpu-request 10m \(the default\) is more than cpu-limit 0.005/],
    [A('insert-init-first'), 'yes please', 'error', /expected "true" or "false"/],
    [A('tls-out'), true, 'error', /annotation values must be strings/],
    [
      A('inejct'),
      'true',
      'warning',
      /unknown Speedscale annotation, ignored \(did you mean "sidecar\.speedscale\.com\/inject"\?\)$/,
    ],
    // A setting written as its config key, or one letter off: what was meant is said.
    [
      A('tlsOut'),
      'true',
      'warning',
      /unknown Speedscale annotation, ignored \(did you mean "sidecar\.speedscale\.com\/tls-out"\?\)$/,
    ],
    [A('cpu-limt'), '1', 'warning', /ignored \(did you mean "sidecar\.speedscale\.com\/cpu-limit"\?\)$/],
    [
      A('forwarder-addr'),
      'f:80',
      'warning',
      /: forwarderAddr is set in the functionConfig, for the whole package, not by annotation; ignored$/,
    ],
  ])('%s: %s', (name, value, severity, message) => {
    const { problems } = resolveSettings({}, [layer(WORKLOAD, { [name]: value })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity, path: [...WORKLOAD, name] });
    expect(problems[0].message).toMatch(message);
  });

  it('on a resource with no pods: said, never silently ignored (the Service, not its workloads, annotated)', () => {
    const out = run(
      'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Service\n' +
        '  metadata:\n    name: web\n    annotations:\n      sidecar.speedscale.com/service-target-port: proxy\n' +
        '      sidecar.speedscale.com/inject: "false"\n  spec:\n    selector: {app: web}\n    ports:\n    - port: 80\n',
    );
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain(
      '- message: "sidecar.speedscale.com/service-target-port: a Service has no pods, so nothing reads it: ignored; ' +
        'set it on the workloads"\n  severity: warning\n',
    );
    expect(out.stdout).toContain('    path: metadata.annotations["sidecar.speedscale.com/service-target-port"]\n');
    expect(out.stdout.match(/severity: warning/g)).toHaveLength(1);
  });

  it('the same annotations resolve once per config, frozen and shared; another place or config resolves anew', () => {
    const config = {};
    const bad = { [A('proxy-in-port')]: '70000' };
    const first = resolveSettings(config, [layer(WORKLOAD, bad)]);
    expect(resolveSettings(config, [layer(WORKLOAD, bad)])).toBe(first);
    expect(Object.isFrozen(first.settings) && Object.isFrozen(first.problems[0])).toBe(true);
    expect(() => ((first.settings as { proxyInPort: number }).proxyInPort = 1)).toThrow(TypeError);
    const elsewhere = resolveSettings(config, [layer(TEMPLATE, bad)]);
    expect(elsewhere.problems).toEqual([{ ...first.problems[0], path: [...TEMPLATE, A('proxy-in-port')] }]);
    const other = resolveSettings({ proxyOutPort: 5000 }, [layer(WORKLOAD, { [A('proxy-in-port')]: '7000' })]);
    expect(other.settings).toMatchObject({ proxyInPort: 7000, proxyOutPort: 5000 });
    expect(resolveSettings({}, [layer(WORKLOAD, { [A('proxy-in-port')]: '7000' })]).settings.proxyOutPort).toBe(
      DEFAULTS.proxyOutPort,
    );
  });

  it('a resolution found in the cache is the one made afresh, on random layers', () => {
    // Paths of short words of the key's own punctuation and digits, and valid ports, often equal (a problem
    // that names the path): inputs a key could confuse. An invalid value's message would tell them apart.
    let seed = 7;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const word = (letters: string, most: number) =>
      Array.from({ length: next(most + 1) }, () => letters[next(letters.length)]).join('');
    const names = [A('proxy-in-port'), A('proxy-out-port')];
    const cases = Array.from({ length: 1500 }, () =>
      Array.from({ length: 1 + next(2) }, () =>
        layer(
          Array.from({ length: next(3) }, () => word('12:;|j', 2)),
          Object.fromEntries(Array.from({ length: next(3) }, () => [names[next(2)], `${1 + next(3)}${word('1', 1)}`])),
        ),
      ),
    );
    const config = {};
    const shared = new Set(cases.map((layers) => resolveSettings(config, layers)));
    expect(cases.map((layers) => resolveSettings(config, layers))).toEqual(
      cases.map((layers) => resolveSettings({}, layers)),
    );
    // Many are told apart, and some found again.
    expect(shared.size).toBeGreaterThan(200);
    expect(shared.size).toBeLessThan(cases.length);
  });

  it('found in the cache as made afresh: layers with and without problems, under profiles, mixed', () => {
    // A layer that reads without a problem is found by its tokens, one with a problem by its JSON (settings.ts):
    // both caches, one after the other, on layers that differ by a name, a value, a path or a profile.
    let seed = 11;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const names = [A('proxy-in-port'), A('proxy-out-port'), A('proxy-inport'), A('inject'), 'other/x'];
    const values: unknown[] = ['4000', '4001', 'true', 4000, '', 'false'];
    const paths = [WORKLOAD, TEMPLATE, ['metadata'], ['metadata', 'annotations', 'x']];
    const profiles: WrittenSettings[] = [{}, { proxyOutPort: 4000 }, { proxyOutPort: 4001 }, { proxyType: 'dual' }];
    const cases = Array.from({ length: 1500 }, () => ({
      profile: profiles[next(profiles.length)],
      layers: Array.from({ length: next(3) }, () =>
        layer(
          paths[next(paths.length)],
          Object.fromEntries(Array.from({ length: next(4) }, () => [names[next(5)], values[next(values.length)]])),
        ),
      ),
    }));
    const config = {};
    const shared = new Set(cases.map(({ layers, profile }) => resolveSettings(config, layers, profile)));
    expect(cases.map(({ layers, profile }) => resolveSettings(config, layers, profile))).toEqual(
      cases.map(({ layers, profile }) => resolveSettings({}, layers, profile)),
    );
    expect(shared.size).toBeGreaterThan(200);
    expect(shared.size).toBeLessThan(cases.length);
  });

  it('a host list may hold names that start with digits, and full addresses; numbers only where iptables reads it', () => {
    const fine = [
      { [A('ignore-dst-hosts')]: '10.1.2.3,1password.example,3com,12-34,08.example' },
      { [A('ignore-dst-hosts')]: '1234', [A('proxy-type')]: 'forward' },
    ];
    for (const annotations of fine)
      expect(resolveSettings({}, [layer(WORKLOAD, annotations)]).problems, JSON.stringify(annotations)).toEqual([]);
  });

  it('a request above its limit is refused, wherever either is written; equal, or in other units, is fine', () => {
    const given = resolveSettings({ cpuRequest: '1', cpuLimit: '500m' }, []);
    expect(given.problems).toHaveLength(1);
    expect(given.problems[0]).toMatchObject({ severity: 'error' });
    expect(given.problems[0].message).toMatch(/cpu-request 1 is more than cpu-limit 500m/);
    const storage = { [A('ephemeral-storage-request')]: '2Gi', [A('ephemeral-storage-limit')]: '1G' };
    expect(resolveSettings({}, [layer(WORKLOAD, storage)]).problems[0]).toMatchObject({
      severity: 'error',
      path: [...WORKLOAD, A('ephemeral-storage-request')],
    });
    for (const fine of [
      { cpuRequest: '1', cpuLimit: '1000m' },
      { memoryRequest: '1Gi', memoryLimit: '1024Mi' },
      { memoryLimit: '32Mi' },
      { ephemeralStorageLimit: '1Gi' },
      { cpuLimit: '2', memoryLimit: '1Gi' },
    ])
      expect(resolveSettings(fine, []).problems, JSON.stringify(fine)).toEqual([]);
  });

  it('a reverse proxy pointed at one of its own listeners on this pod is refused: it would forward to itself', () => {
    const loops = [
      { [A('proxy-type')]: 'reverse', [A('proxy-in-port')]: '80' },
      { [A('proxy-type')]: 'dual', [A('proxy-port')]: '4143', [A('proxy-host')]: '127.0.0.1' },
      { [A('proxy-type')]: 'dual', [A('proxy-port')]: '4140' },
      // Both reach the pod itself: the unspecified address dialled, and the name every pod's /etc/hosts gives ::1.
      { [A('proxy-type')]: 'reverse', [A('proxy-in-port')]: '80', [A('proxy-host')]: '0.0.0.0' },
      { [A('proxy-type')]: 'reverse', [A('proxy-in-port')]: '80', [A('proxy-host')]: 'ip6-localhost' },
    ];
    for (const annotations of loops) {
      const { problems } = resolveSettings({}, [layer(WORKLOAD, annotations)]);
      expect(problems, JSON.stringify(annotations)).toHaveLength(1);
      expect(problems[0].severity).toBe('error');
      expect(problems[0].message).toMatch(/the reverse proxy would forward inbound traffic to its own/);
    }
    const fine = [
      { [A('proxy-type')]: 'reverse', [A('proxy-port')]: '8080' },
      { [A('proxy-type')]: 'reverse', [A('proxy-port')]: '4143', [A('proxy-host')]: 'backend.example' },
      // forward has no reverse side: proxy-port does not apply to it (its own warning), nothing loops.
    ];
    for (const annotations of fine)
      expect(resolveSettings({}, [layer(WORKLOAD, annotations)]).problems, JSON.stringify(annotations)).toEqual([]);
  });

  it('under an environment that picks proxy-port or sizes the proxy, it says so itself, not these rules', () => {
    // gke-autopilot takes proxy-port from the app's only port: an app on 4143 is port-conflict's (pod-checks).
    const onInPort = resolveSettings({ environment: 'gke-autopilot' }, [], profileLayer('gke-autopilot', [4143]));
    expect(onInPort.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // Its requests are its own (environment-unfit explains them): a limit below them is not "cpu-request 500m".
    const below = resolveSettings(
      { environment: 'gke-autopilot', cpuLimit: '250m' },
      [],
      profileLayer('gke-autopilot'),
    );
    expect(below.problems.map((p) => p.message).join('\n')).not.toMatch(/is more than cpu-limit/);
  });

  it('reports a cross-field rule at the annotation that caused it', () => {
    const { problems } = resolveSettings({}, [layer(WORKLOAD, { [A('proxy-out-port')]: '4143' })]);
    expect(problems[0]).toMatchObject({ severity: 'error', path: [...WORKLOAD, A('proxy-out-port')] });
  });
});

describe('functionConfig forms', () => {
  it('accepts none, and kpt’s empty placeholder', () => {
    expect(readFunctionConfig(undefined)).toEqual({ config: {}, problems: [] });
    expect(readFunctionConfig({})).toEqual({ config: {}, problems: [] });
  });
  it('converts ConfigMap strings to the schema types', () => {
    const { config, problems } = readFunctionConfig({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { proxyInPort: '5143', tlsOut: 'true', image: 'x:1' },
    });
    expect(problems).toEqual([]);
    expect(config).toEqual({ proxyInPort: 5143, tlsOut: true, image: 'x:1' });
  });
  it('keeps SidecarInjector spec types strict', () => {
    const { problems } = readFunctionConfig({
      apiVersion: 'sidecar.speedscale.com/v1alpha1',
      kind: 'SidecarInjector',
      spec: { proxyInPort: '5143' },
    });
    expect(problems).toEqual([
      {
        field: 'spec.proxyInPort',
        message: 'spec.proxyInPort: expected a number without quotes (the spec is typed), got the string "5143"',
      },
    ]);
  });
  it('names an unsupported kind', () => {
    expect(readFunctionConfig({ apiVersion: 'v1', kind: 'Secret' }).problems[0].message).toMatch(
      /unsupported functionConfig v1\/Secret/,
    );
  });
});

describe('a value in a message is quoted as written, not as the value YAML made of it', () => {
  const spec = (line: string) =>
    `apiVersion: sidecar.speedscale.com/v1alpha1\nkind: SidecarInjector\nmetadata: {name: c}\nspec:\n  ${line}\n`;
  const PORT = 'expected a port number from 1 to 65535';
  const rows = [
    ['proxyInPort: 1e400', `spec.proxyInPort: ${PORT}, got 1e400`],
    ['proxyInPort: .inf', `spec.proxyInPort: ${PORT}, got .inf`],
    ['proxyInPort: .nan', `spec.proxyInPort: ${PORT}, got .nan`],
    ['proxyInPort: yes', `spec.proxyInPort: ${PORT}, got yes`],
    ['proxyUid: 99999999999999999999999', 'spec.proxyUid: expected a positive user id, got 99999999999999999999999'],
    ['cpuLimit: 2001-01-01', 'spec.cpuLimit: expected a Kubernetes quantity, e.g. "100m", "1", "64Mi", got 2001-01-01'],
    ['image: !!binary aGVsbG8=', 'spec.image: expected an image reference without spaces, got !!binary aGVsbG8='],
    ['image: foo bar', 'spec.image: expected an image reference without spaces, got "foo bar"'],
    // Quoted as annotations and ConfigMap data must be: said so, not `expected "true" or "false", got "true"`.
    ['tlsOut: "true"', 'spec.tlsOut: expected true or false without quotes (the spec is typed), got the string "true"'],
    [
      'proxyInPort: "4143"',
      'spec.proxyInPort: expected a number without quotes (the spec is typed), got the string "4143"',
    ],
    ['proxyInPort: "70000"', `spec.proxyInPort: ${PORT}, got "70000"`],
    ['proxyInPort: "0x10"', `spec.proxyInPort: ${PORT}, got "0x10"`],
  ];

  it.each(rows)('in a --config file: %s', (line, message) => {
    const read = readWritten(spec(line));
    if ('error' in read) throw new Error(read.error);
    expect(readFunctionConfig(read.value, read.at).problems.map((p) => p.message)).toEqual([message]);
  });

  it.each(rows)('in a ResourceList functionConfig: %s', (line, message) => {
    const fc = spec(line).replace(/^(?=.)/gm, '  ');
    const out = run(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n${fc}items: []\n`);
    expect(out.stderr).toBe(`sidecar-injector: SidecarInjector/c: invalid functionConfig: ${message}\n`);
  });

  it.each([
    ['proxyInPort', '.inf', Infinity],
    ['proxyInPort', '-.inf', -Infinity],
    ['proxyInPort', '.nan', NaN],
    ['cpuLimit', '2001-01-01', new Date('2001-01-01')],
    ['cpuLimit', '2001-01-01T10:20:30Z', new Date('2001-01-01T10:20:30Z')],
    ['image', '!!binary aGVsbG8=', new Uint8Array([104, 101, 108, 108, 111])],
  ])('without the text, %s is shown as YAML writes it: %s', (key, written, value) => {
    const fc = { apiVersion: 'sidecar.speedscale.com/v1alpha1', kind: 'SidecarInjector', spec: { [key]: value } };
    expect(readFunctionConfig(fc).problems[0].message).toMatch(
      new RegExp(`^spec\\.${key}: .*, got ${written.replace(/[.+]/g, '\\$&')}$`),
    );
  });

  it.each([
    ['.inf', 'annotation values must be strings; quote it: ".inf"'],
    ['1e400', 'annotation values must be strings; quote it: "1e400"'],
    ['99999999999999999999999', 'annotation values must be strings; quote it: "99999999999999999999999"'],
    ['2001-01-01', 'annotation values must be strings; quote it: "2001-01-01"'],
    // A tag is what makes a scalar no string: the advice drops it, whatever the tag (the string, not the tag).
    ['!!binary aGVsbG8=', 'annotation values must be strings; quote it: "aGVsbG8="'],
    ['!!bool "true"', 'annotation values must be strings; quote it: "true"'],
    ["!!bool 'true'", 'annotation values must be strings; quote it: "true"'],
    ['!<tag:yaml.org,2002:bool> "true"', 'annotation values must be strings; quote it: "true"'],
    ['!!int "8080"', 'annotation values must be strings; quote it: "8080"'],
    ['!!int 0x1F', 'annotation values must be strings; quote it: "0x1F"'],
    ['!!float "4143.0"', 'annotation values must be strings; quote it: "4143.0"'],
    ['!!null ""', 'annotation values must be strings; quote it: ""'],
    ['!!null', 'annotation values must be strings; quote it: ""'],
    ['!!timestamp 2001-01-01', 'annotation values must be strings; quote it: "2001-01-01"'],
    ['!!bool "tr\\x75e"', 'annotation values must be strings; quote it: "true"'],
    ['~', 'annotation values must be strings; quote it: "~"'],
    ['0x1F', 'annotation values must be strings; quote it: "0x1F"'],
    ['{a: 1}', 'an annotation value must be a string, got a map: {a: 1}'],
    ['[1, 2]', 'an annotation value must be a string, got a list: [1, 2]'],
    ['\n        a: 1', 'an annotation value must be a string, got a map'],
  ])('a workload annotation %j', (value, message) => {
    const item = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  annotations:',
      '    sidecar.speedscale.com/inject: "true"',
      `    sidecar.speedscale.com/proxy-in-port: ${value}`,
      'spec:',
      '  template: {spec: {containers: [{name: app, image: nginx}]}}',
    ];
    const out = run(
      `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item.map((l, i) => `${i ? ' ' : '-'} ${l}`).join('\n')}\n`,
    );
    expect(out.stderr).toBe(`sidecar-injector: Deployment/web: sidecar.speedscale.com/proxy-in-port: ${message}\n`);
  });

  it('a workload annotation under a local tag (!foo) is the string it spells, as Kubernetes reads it: no advice', () => {
    const item = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  annotations:',
      '    sidecar.speedscale.com/inject: "true"',
      '    sidecar.speedscale.com/proxy-in-port: !foo "4143"',
      'spec:',
      '  template: {spec: {containers: [{name: app, image: nginx}]}}',
    ];
    const out = run(
      `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item.map((l, i) => `${i ? ' ' : '-'} ${l}`).join('\n')}\n`,
    );
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe('');
  });
});

describe('targets: each entry, and each field of it, is named where it is', () => {
  const typed = (targets: unknown) => ({
    apiVersion: 'sidecar.speedscale.com/v1alpha1',
    kind: 'SidecarInjector',
    spec: { targets },
  });
  const PATH = 'expected a path of keys separated by / (spec/template)';
  const OK = { kind: 'CloneSet', path: 'spec/template' };

  it.each([
    [[{ ...OK, grup: 'apps.kruise.io' }], 'spec.targets[0].grup', 'unknown key "grup" (did you mean "group"?)'],
    [[OK, { kind: 'X', path: 'spec template' }], 'spec.targets[1].path', `${PATH}, got "spec template"`],
    [[{ kind: 'CloneSet' }], 'spec.targets[0].path', `missing, ${PATH}`],
    [
      [{ ...OK, kind: 'cloneSet' }],
      'spec.targets[0].kind',
      'expected a kind of letters and digits starting with a capital (CloneSet), got "cloneSet"',
    ],
    [[{ ...OK, group: 5 }], 'spec.targets[0].group', 'expected an API group (apps.kruise.io), got 5'],
    [['CloneSet'], 'spec.targets[0]', 'expected a map of {group, kind, path}, got "CloneSet"'],
    ['CloneSet', 'spec.targets', 'expected a list of {group, kind, path}, got "CloneSet"'],
  ])('%j', (targets, field, message) => {
    expect(readFunctionConfig(typed(targets)).problems).toEqual([{ field, message: `${field}: ${message}` }]);
  });

  it('every bad entry is reported, not the first alone', () => {
    const { problems } = readFunctionConfig(
      typed([
        { ...OK, path: 'a b' },
        { ...OK, grup: 'x' },
      ]),
    );
    expect(problems.map((p) => p.field)).toEqual(['spec.targets[0].path', 'spec.targets[1].grup']);
  });

  it('a ConfigMap cannot give targets: its data is strings, and targets is a list', () => {
    const { config, problems } = readFunctionConfig({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { targets: '[{kind: CloneSet, path: spec/template}]', image: 'x:1' },
    });
    expect(config).toEqual({ image: 'x:1' });
    expect(problems).toEqual([
      {
        field: 'data.targets',
        message:
          "data.targets: a list, which a ConfigMap's string data cannot hold: set it in a " +
          'sidecar.speedscale.com/v1alpha1 SidecarInjector (a typed spec), got "[{kind: CloneSet, path: spec/template}]"',
      },
    ]);
  });

  it('a key one letter off is offered as what was meant, at the top too', () => {
    expect(readFunctionConfig({ ...typed([OK]), spec: { imag: 'x:1' } }).problems).toEqual([
      { field: 'spec.imag', message: 'spec.imag: unknown key "imag" (did you mean "image"?)' },
    ]);
  });
});

describe('forwarderAddr: host:port with a port from 1 to 65535, in every place it is written', () => {
  const EXPECTED = 'expected host:port with a port from 1 to 65535 (an IPv6 host in brackets: [fe80::1]:80)';
  const typed = (value: string) => ({
    apiVersion: 'sidecar.speedscale.com/v1alpha1',
    kind: 'SidecarInjector',
    spec: { forwarderAddr: value },
  });
  const configMap = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', data: { forwarderAddr: value } });

  it.each([
    'host:99999',
    'host:0',
    'host:65536',
    'host:080',
    'fe80::1:80',
    'host',
    '[fe80::1]80',
    '[fe80:::1]:80',
    '[1.2.3.4]:80',
    '[::g]:80',
    '[]:80',
  ])('refuses %s in a SidecarInjector, a ConfigMap and a flag', (value) => {
    const got = `got ${JSON.stringify(value)}`;
    expect(readFunctionConfig(typed(value)).problems).toEqual([
      { field: 'spec.forwarderAddr', message: `spec.forwarderAddr: ${EXPECTED}, ${got}` },
    ]);
    expect(readFunctionConfig(configMap(value)).problems).toEqual([
      { field: 'data.forwarderAddr', message: `data.forwarderAddr: ${EXPECTED}, ${got}` },
    ]);
    expect(settingsFromFlags({ 'forwarder-addr': value }).problems).toEqual([`--forwarder-addr: ${EXPECTED}, ${got}`]);
  });

  it.each([
    'speedscale-forwarder.speedscale.svc:80',
    'host:1',
    'host:65535',
    '10.0.0.1:8080',
    '[fe80::1%eth0]:80',
    '[::ffff:10.0.0.1]:443',
    '[::1]:80',
  ])('accepts %s', (value) => {
    for (const config of [typed(value), configMap(value)])
      expect(readFunctionConfig(config)).toEqual({ config: { forwarderAddr: value }, problems: [] });
    expect(settingsFromFlags({ 'forwarder-addr': value })).toEqual({
      values: { forwarderAddr: value },
      problems: [],
    });
  });
});

describe('the schema is the one source of truth', () => {
  it('maps every annotation to its camelCase config key', () => {
    for (const [annotation, key] of KEY_BY_ANNOTATION) expect(kebab(key)).toBe(annotation);
    expect(KEY_BY_ANNOTATION.get('insert-init-first')).toBe('insertInitFirst');
    expect(KEY_BY_ANNOTATION.get('tls-out')).toBe('tlsOut');
  });
  it('gives every key a description, and every default passes validation', () => {
    for (const key of SETTING_KEYS) expect(PROPERTIES[key].description, key).toBeTruthy();
    expect(
      readFunctionConfig({ apiVersion: 'sidecar.speedscale.com/v1alpha1', kind: 'SidecarInjector', spec: DEFAULTS })
        .problems,
    ).toEqual([]);
  });
  it('types the settings as the schema says: fn/config/settings.generated.ts is what it generates (npm run docs)', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(SETTINGS_TYPES, 'utf8')).toBe(renderSettingsTypes());
  });
  it('puts every key in one of its groups', () => {
    for (const key of SETTING_KEYS) expect(GROUPS, key).toContain(PROPERTIES[key]['x-group']);
  });
});
