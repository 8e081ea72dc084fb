/**
 * Property tests over generated packages: random workload kinds, containers and init containers, ports,
 * the inject annotation on the workload or on its pod template, comments, odd scalars (quoted and
 * unquoted, yes/no, octal-looking, block scalars), flow style (labels on one line or several) and anchors,
 * beside untouched items.
 * Seeds are fixed (fast-check prints the seed and the shrunk counterexample on failure).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readResourceList } from '../../fn/krm/read';
import { itemSyntaxError } from '../../fn/krm/split';
import { looksMalformed } from '../../fn/yaml/scan';
import type { SplitList } from '../../fn/krm/split';
import { itemsOf, resultsOf, run, runBundle, validateInjected } from '../support/helpers';

const KINDS = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'ReplicationController' },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' },
];
const ON = 'sidecar.speedscale.com/inject: "true"';
const OFF = 'sidecar.speedscale.com/inject: "false"';

/** Strings as Kubernetes must read them (quoted), in every quoting style. */
const QUOTED = [
  '"yes"',
  "'no'",
  '"0755"',
  "'0x1F'",
  '"1e3"',
  '"123456789012345678901"',
  '"~"',
  '"a: b # not a comment"',
  "'it''s'",
  '"tab\\there"',
  '""',
];
/** Unquoted odd scalars: only in untouched ConfigMap data (whatever they mean, they must come out as written). */
const PLAIN = [
  'yes',
  'no',
  'on',
  'off',
  '0755',
  '0x1F',
  '1e3',
  '123456789012345678901',
  '~',
  'null',
  '2001-12-14',
  '0o17',
  '.inf',
  '+12',
  '1_000',
];

const comment = fc.option(
  fc.constantFrom(
    '# a comment',
    '#no space',
    '# sidecar.speedscale.com/inject: "true" (commented out)',
    '#   wide    gap',
  ),
  { nil: undefined },
);
const trailing = (c: string | undefined) => (c ? `  ${c}` : '');

const container = fc.record({
  ports: fc.uniqueArray(fc.integer({ min: 8000, max: 8100 }), { maxLength: 2 }),
  env: fc.array(
    fc.oneof(
      fc.constantFrom(...QUOTED).map((v) => ({ v, block: false })),
      fc.constantFrom('|', '>-', '|+', '>').map((v) => ({ v, block: true })),
    ),
    { maxLength: 3 },
  ),
  flow: fc.boolean(),
  comment,
});
const containers = (prefix: string, minLength: number, maxLength: number) =>
  fc.array(container, { minLength, maxLength }).map((cs) => cs.map((c, i) => ({ ...c, prefix: `${prefix}${i}` })));

/** Labels in flow style, as people write them: the injected label goes in, and "false" takes it out. */
const LABELS = [
  (name: string) => `{app: ${name}}`,
  (name: string) => `{app: ${name}, tier: "backend"}`,
  (name: string) => `{ app: ${name}, tier: 'be', } # padded`,
  (name: string, pad: string) => `{app: ${name}, # the app\n${pad}  tier: backend\n${pad}}`,
];

const workload = fc.record({
  type: fc.constantFrom(...KINDS),
  labels: fc.integer({ min: 0, max: LABELS.length - 1 }),
  containers: containers('app', 1, 3),
  inits: containers('init', 0, 2),
  onTemplate: fc.boolean(),
  annotated: fc.boolean(),
  indentSeq: fc.boolean(),
  anchor: fc.boolean(),
  head: comment,
  tail: comment,
  nativeSidecar: fc.boolean(),
  hostNetwork: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
type Workload = typeof workload extends fc.Arbitrary<infer T> ? T : never;

const configMap = fc.record({
  values: fc.array(fc.constantFrom(...PLAIN, ...QUOTED), { minLength: 1, maxLength: 4 }),
  flow: fc.boolean(),
  comment,
});

/** A workload as a ResourceList item's text, with the file's own sequence indentation. */
function render(w: Workload, name: string): string {
  const seq = w.indentSeq ? '  ' : '';
  const lines: string[] = [];
  const out = (indent: number, text: string) => lines.push(`${' '.repeat(indent)}${text}`);
  const isPod = w.type.kind === 'Pod';
  const nativeAnnotation =
    w.nativeSidecar || w.type.kind.includes('Job') ? ['sidecar.speedscale.com/native-sidecar: "true"'] : [];
  const workloadAnnotations = [...(w.annotated && (isPod || !w.onTemplate) ? [ON] : []), ...nativeAnnotation];
  if (w.head) out(0, w.head);
  out(0, `apiVersion: ${w.type.apiVersion}${trailing(w.tail)}`);
  out(0, `kind: ${w.type.kind}`);
  out(0, 'metadata:');
  out(2, `name: ${name}`);
  out(2, `labels: ${LABELS[w.labels](name, '  ')}`);
  if (workloadAnnotations.length) {
    out(2, 'annotations:');
    for (const a of workloadAnnotations) out(4, a);
  }
  const podSpec = (indent: number) => {
    const list = (key: string, cs: Workload['containers']) => {
      if (!cs.length) return;
      out(indent, `${key}:`);
      cs.forEach((c, i) => {
        const image =
          w.anchor && i === 0 ? `&img${key.length} nginx:1.27` : w.anchor ? `*img${key.length}` : 'nginx:1.27';
        if (c.flow && !c.env.some((e) => e.block)) {
          const ports = c.ports.length ? `, ports: [${c.ports.map((p) => `{containerPort: ${p}}`).join(', ')}]` : '';
          const env = c.env.length ? `, env: [${c.env.map((e, j) => `{name: E${j}, value: ${e.v}}`).join(', ')}]` : '';
          out(indent, `${seq}- {name: ${c.prefix}, image: ${image}${ports}${env}}${trailing(c.comment)}`);
          return;
        }
        const at = indent + seq.length + 2;
        out(indent, `${seq}- name: ${c.prefix}${trailing(c.comment)}`);
        out(at, `image: ${image}`);
        if (c.comment) out(at, c.comment);
        if (c.ports.length) {
          out(at, 'ports:');
          for (const p of c.ports) out(at, `${seq}- containerPort: ${p}`);
        }
        if (c.env.length) {
          out(at, 'env:');
          c.env.forEach((e, j) => {
            out(at, `${seq}- name: E${j}`);
            if (e.block) {
              out(at + seq.length + 2, `value: ${e.v}`);
              out(at + seq.length + 4, 'line one: "not a key"');
              out(at + seq.length + 4, '  indented # not a comment');
            } else out(at + seq.length + 2, `value: ${e.v}`);
          });
        }
      });
    };
    if (w.hostNetwork) out(indent, 'hostNetwork: true');
    list('initContainers', w.inits);
    list('containers', w.containers);
    if (w.type.kind.includes('Job')) out(indent, 'restartPolicy: Never');
  };
  const template = (indent: number) => {
    out(indent, 'template:');
    out(indent + 2, 'metadata:');
    out(indent + 4, `labels: ${LABELS[w.labels](name, ' '.repeat(indent + 4))}`);
    if (w.annotated && w.onTemplate) {
      out(indent + 4, 'annotations:');
      out(indent + 6, ON);
    }
    out(indent + 2, 'spec:');
    podSpec(indent + 4);
  };
  out(0, 'spec:');
  if (isPod) podSpec(2);
  else if (w.type.kind === 'CronJob') {
    out(2, 'schedule: "*/5 * * * *"');
    out(2, 'jobTemplate:');
    out(4, 'spec:');
    template(6);
  } else if (w.type.kind === 'Job') template(2);
  else {
    if (w.type.kind !== 'DaemonSet') out(2, 'replicas: 1');
    out(2, `selector: ${w.type.kind === 'ReplicationController' ? `{app: ${name}}` : `{matchLabels: {app: ${name}}}`}`);
    if (w.type.kind === 'StatefulSet') out(2, `serviceName: ${name}`);
    template(2);
  }
  return asItem(lines.join('\n'));
}

function renderConfigMap(c: { values: string[]; flow: boolean; comment?: string }, name: string): string {
  const data = c.flow
    ? ` {${c.values.map((v, i) => `k${i}: ${v}`).join(', ')}}`
    : `\n${c.values.map((v, i) => `  k${i}: ${v}${trailing(i === 0 ? c.comment : undefined)}`).join('\n')}`;
  return asItem(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:${data}`);
}

const asItem = (doc: string) => `${doc}\n`.replace(/^(?=.)/gm, '  ').replace(/^ {2}/, '- ');

const pkg = fc
  .array(
    fc.oneof(
      { arbitrary: workload.map((w) => ({ w })), weight: 3 },
      { arbitrary: configMap.map((c) => ({ c })), weight: 1 },
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((entries) => {
    const items = entries.map((e, i) => ('w' in e ? render(e.w, `w${i}`) : renderConfigMap(e.c, `c${i}`)));
    return {
      entries,
      items,
      input: `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items.join('')}`,
    };
  });

const PARAMS = {
  seed: Number(process.env.PROPERTY_SEED ?? 20261125),
  numRuns: Number(process.env.PROPERTY_RUNS ?? 150),
  endOnFailure: true,
} as const;

describe('properties of generated packages', () => {
  it('the generator makes valid YAML', () => {
    fc.assert(
      fc.property(pkg, ({ input }) => {
        expect(parseDocument(input, { version: '1.1' }).errors).toEqual([]);
      }),
      { ...PARAMS, numRuns: 50 },
    );
  });

  it('keeps every item in order, leaves untouched items byte-identical, parses and validates', () => {
    const seen = { injected: 0, withheld: 0, anchors: 0, blocks: 0 };
    fc.assert(
      fc.property(pkg, ({ entries, items, input }) => {
        const out = run(input);
        const after = itemsOf(out.stdout);
        expect(after).toHaveLength(items.length);
        after.forEach((item, i) => {
          expect(item).toMatch(new RegExp(`^ +name: ${'w' in entries[i] ? 'w' : 'c'}${i}$`, 'm'));
          if (!items[i].includes('sidecar.speedscale.com/inject: "true"')) expect(item).toBe(items[i]);
        });
        expect(parseDocument(out.stdout, { version: '1.1' }).errors).toEqual([]);
        const injected = validateInjected(out.stdout);
        // Every annotated workload is injected or has a result that says why not.
        const results = resultsOf(out.stdout);
        entries.forEach((e, i) => {
          if (!('w' in e) || !e.w.annotated) return;
          const mine = results.filter((r) => r.resourceRef?.name === `w${i}`);
          expect(mine.length, `w${i} has a result`).toBeGreaterThan(0);
          if (out.exitCode === 0 && mine.some((r) => r.tags?.reason === 'injected'))
            expect(after[i]).toContain('name: speedscale-goproxy');
          if (e.w.hostNetwork) {
            expect(mine.map((r) => r.tags?.reason)).toContain('host-network');
            expect(after[i]).not.toContain('speedscale-goproxy');
          }
        });
        expect(injected).toBe(results.filter((r) => r.tags?.reason === 'injected').length);
        expect(out.stderr === '').toBe(out.exitCode === 0);
        seen.injected += injected;
        seen.withheld += results.filter((r) => r.severity !== 'info').length;
        if (input.includes('&img') && out.stdout.includes('speedscale-goproxy')) seen.anchors++;
        if (/value: [|>]/.test(input) && out.stdout.includes('speedscale-goproxy')) seen.blocks++;
      }),
      PARAMS,
    );
    // The generator must actually exercise injection, including with anchors and block scalars.
    expect(seen.injected).toBeGreaterThan(PARAMS.numRuns / 2);
    expect(seen.anchors).toBeGreaterThan(5);
    expect(seen.blocks).toBeGreaterThan(5);
    console.log('property coverage', seen);
  });

  it('running twice equals running once', () => {
    fc.assert(
      fc.property(pkg, ({ input }) => {
        const once = run(input).stdout;
        const twice = run(once).stdout;
        expect(itemsOf(twice)).toEqual(itemsOf(once));
      }),
      PARAMS,
    );
  });

  it('inject, then set the annotation to "false": the original bytes', () => {
    fc.assert(
      fc.property(pkg, ({ input }) => {
        const injected = run(input).stdout;
        const off = (text: string) => text.split(ON).join(OFF);
        const removed = run(off(injected));
        expect(itemsOf(removed.stdout)).toEqual(itemsOf(off(input)));
        // And the annotation deleted altogether restores the author's text too.
        const deleted = run(injected.replace(/^ +sidecar\.speedscale\.com\/inject: "true"\n/gm, ''));
        const expected = run(input.replace(/^ +sidecar\.speedscale\.com\/inject: "true"\n/gm, ''));
        expect(itemsOf(deleted.stdout)).toEqual(itemsOf(expected.stdout));
      }),
      PARAMS,
    );
  });

  it('a mutated package never crashes the run, loses an item or writes a broken changed item', () => {
    // Random damage (a quote, a bracket, a tab, a dash, a stray key...) to a valid package. A list that can
    // still be read comes out whole: every broken item the scan or a parse sees is copied through as it came
    // with an error naming it; broken items the line scan cannot see and nobody parses are copied through
    // silently (the known limit, counted below). A list that cannot be read fails with one line.
    const mutation = fc.record({
      at: fc.nat(),
      char: fc.constantFrom(' ', '\t', '"', "'", '[', '{', '}', ':', '- ', '\n', '#', '&a ', '*a', '|', '\n  x: 1'),
      remove: fc.integer({ min: 0, max: 3 }),
    });
    const seen = { failedCleanly: 0, reported: 0, passedThrough: 0, whole: 0 };
    fc.assert(
      fc.property(pkg, fc.array(mutation, { minLength: 1, maxLength: 3 }), ({ input }, mutations) => {
        let text = input;
        for (const m of mutations) {
          const at = m.at % text.length;
          text = text.slice(0, at) + m.char + text.slice(at + m.remove);
        }
        const out = run(text); // a throw here is a bug: the bundle would report `internal error`
        let split: SplitList | undefined;
        try {
          split = readResourceList(text).split;
        } catch {
          split = undefined;
        }
        if (!split) {
          expect(out.exitCode).toBe(1);
          expect(itemsOf(out.stdout)).toEqual([]);
          expect(out.stderr.trim().split('\n')).toHaveLength(1);
          seen.failedCleanly++;
          return;
        }
        const after = itemsOf(out.stdout);
        expect(after).toHaveLength(split.items.length);
        const errors = resultsOf(out.stdout)
          .filter((r) => r.severity === 'error')
          .map((r) => r.message as string);
        after.forEach((item, i) => {
          const broken = itemSyntaxError(split, i);
          if (broken) {
            // (the list's last line gets its missing newline, as always)
            expect(item, `a broken item comes out as it came (${broken})`).toBe(
              split.items[i].replace(/(?<!\n)$/, '\n'),
            );
            // What the scan sees is always reported; candidates are parsed, so theirs are too (hostile.test.ts).
            if (looksMalformed(item)) expect(errors, 'and is reported').toContain(broken);
          } else if (item !== split.items[i])
            expect(parseDocument(item, { version: '1.1' }).errors, 'a changed item parses').toEqual([]);
        });
        expect(out.stderr.trim().split('\n').filter(Boolean)).toHaveLength(errors.length);
        if (errors.some((e) => e.includes('malformed YAML'))) seen.reported++;
        else if (parseDocument(text, { version: '1.1', uniqueKeys: true }).errors.length) seen.passedThrough++;
        else seen.whole++;
      }),
      { ...PARAMS, numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
    console.log('mutations', seen);
    expect(seen.failedCleanly + seen.reported).toBeGreaterThan(seen.passedThrough);
  });

  it('the bundle agrees with the in-process run', () => {
    fc.assert(
      fc.property(pkg, ({ input }) => {
        const inProcess = run(input);
        const bundle = runBundle(input);
        expect(bundle.stdout).toBe(inProcess.stdout);
        expect(bundle.exitCode).toBe(inProcess.exitCode);
        expect(bundle.stderr).toBe(inProcess.stderr);
      }),
      { ...PARAMS, numRuns: 5 },
    );
  });
});
