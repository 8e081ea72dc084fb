import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSeq, parseDocument, type YAMLMap } from 'yaml';
import { parseResource } from '../../fn/resource';
import { podFacts } from '../../fn/inject/pod-facts';
import { splitResourceList } from '../../fn/krm/split';

// A plain ES module, typed by TypeScript from its JavaScript (allowJs).
const { resourceList } = await import('../../bench/generate.mjs');

describe('podFacts', () => {
  it("names a container's ports as Object.fromEntries of its named ports would, on random names", () => {
    // Keys an assignment treats otherwise (the prototype's), index-like keys that objects order first, repeats.
    const pool = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', '1', '01', '2', 'http', 'metrics', ''];
    let seed = 5;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let round = 0; round < 300; round++) {
      const ports = Array.from({ length: next(6) }, () => [pool[next(pool.length)], 1 + next(9000)] as const);
      const text = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '      - name: app',
        '        ports:',
        ...ports.map(([name, port]) => `        - {containerPort: ${port}, name: ${JSON.stringify(name)}}`),
        '',
      ].join('\n');
      const resource = parseResource(text);
      if ('error' in resource) throw new Error(resource.error);
      const paths = { podSpec: ['spec', 'template', 'spec'], podMetadata: ['spec', 'template', 'metadata'] };
      const named = podFacts(resource, paths, { kind: 'Deployment' })!.containers[0].namedPorts!;
      const expected = Object.fromEntries(ports.filter(([name]) => name !== ''));
      expect(Object.getPrototypeOf(named)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptors(named), text).toEqual(Object.getOwnPropertyDescriptors(expected));
      expect(Reflect.ownKeys(named)).toEqual(Reflect.ownKeys(expected));
    }
  });
});

/**
 * The facts of a resource the fast parser read (its values read key by key, `read` in pod-facts.ts) are
 * those of the same text as `yaml` parses it whole (its pod spec converted by toJSON): on every fixture and
 * example, the benchmark's workloads and containers written to test the reading's edges.
 */
describe('podFacts, read key by key', () => {
  const root = join(__dirname, '../..');
  const texts: string[] = [];
  for (const name of readdirSync(join(root, 'fixtures'))) {
    const file = join(root, 'fixtures', name, 'input.yaml');
    if (existsSync(file)) texts.push(...(splitResourceList(readFileSync(file, 'utf8'))?.items ?? []));
  }
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry)) texts.push(...readFileSync(path, 'utf8').split(/^---[^\n]*\n/m));
    }
  };
  walk(join(root, 'fixtures/storefront'));
  walk(join(root, 'examples'));
  const pod = (containers: string[]) =>
    ['kind: Deployment', 'apiVersion: apps/v1', 'spec:', '  template:', '    spec:', ...containers, ''].join('\n');
  const edges = [
    ['      containers:', '      - name: app', '        1: one', '        true: yes', '        image: x'],
    ['      containers:', '      - {name: app, "__proto__": {a: 1}, image: x}'],
    [
      '      containers:',
      '      - name: app',
      '        livenessProbe: 5',
      '        readinessProbe:',
      '          httpGet: {port: http}',
    ],
    [
      '      containers:',
      '      - name: app',
      '        startupProbe: {tcpSocket: {port: "8080"}, grpc: [1]}',
      '        ports: {containerPort: 80}',
    ],
    [
      '      containers:',
      '      - name: app',
      '        ports:',
      '        - {containerPort: 53, protocol: UDP, name: dns}',
      '        - 8080',
      '        - [1]',
    ],
    [
      '      containers:',
      '      - name: app',
      '        env:',
      '        - {name: JAVA_TOOL_OPTIONS, value: -Xmx1g}',
      '        - name: JAVA_TOOL_OPTIONS',
      '          valueFrom: {x: 1}',
    ],
    [
      '      containers:',
      '      - name: app',
      '        env:',
      '        - {name: A, 2: b}',
      '        - name: JAVA_TOOL_OPTIONS',
      '          value:',
    ],
    [
      '      containers:',
      '      - name: app',
      '        securityContext: [1]',
      '        resources: 5',
      '        volumeMounts: [{mountPath: /a//b/}, 3]',
    ],
    [
      '      containers:',
      '      - name: app',
      '        securityContext: {runAsUser: 1000, 7: x}',
      '        resources: {requests: {cpu: 1}, limits: 2}',
    ],
    [
      '      containers: {name: app}',
      '      initContainers:',
      '      - name: side',
      '        restartPolicy: Always',
      '        ports: [{containerPort: 15020}]',
    ],
    [
      '      securityContext: {runAsUser: 5}',
      '      volumes: [{name: a}, 1, {name: {x: 1}}]',
      '      resources: {limits: {cpu: 2}}',
      '      containers: [{name: a, command: [sh, -c], args: [x]}]',
    ],
    [
      '      hostNetwork: true',
      '      os: {name: windows}',
      '      1: 2',
      '      containers: [{name: a, image: [1, 2]}]',
    ],
  ].map(pod);
  const generated = splitResourceList(resourceList('half', 20))!.items;
  const paths = { podSpec: ['spec', 'template', 'spec'], podMetadata: ['spec', 'template', 'metadata'] };

  it('reads the same facts as from the pod spec converted whole', () => {
    let compared = 0;
    for (const text of [...texts, ...generated, ...edges]) {
      const fast = parseResource(text);
      if ('error' in fast || fast.doc) continue;
      const doc = parseDocument(text, { version: '1.1' });
      // A ResourceList's item (`- apiVersion: ...`) is a list of one to `yaml`.
      const contents = doc.contents;
      const whole = { text, root: (isSeq(contents) ? contents.items[0] : contents) as YAMLMap, doc };
      const where = { kind: 'Deployment', name: 'x' };
      for (const at of [paths, { podSpec: ['spec'], podMetadata: ['metadata'] }]) {
        expect(podFacts(fast, at, where), text).toStrictEqual(podFacts(whole, at, where));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
