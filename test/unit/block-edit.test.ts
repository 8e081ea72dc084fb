/** Insert then remove must give back the original bytes, in every style the editor meets. */
import fc from 'fast-check';
import { parseDocument, stringify, type YAMLMap, type YAMLSeq } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  addToMap,
  detectStyle,
  endsValue,
  insertIntoSeq,
  isContent,
  plainInsertions,
  removeFromMap,
  removeFromSeq,
} from '../../fn/yaml/block-edit';
import { fastParse } from '../../fn/yaml/fast-parse';
import { applyEdits, type Edit } from '../../fn/yaml/text-edit';
import { itemsOf, resultsOf, run } from '../support/helpers';

const parse = (src: string) => parseDocument(src, { version: '1.1' });
const seqIn = (src: string, key: string) => parse(src).get(key, true) as YAMLSeq;
const mapIn = (src: string, key: string) => parse(src).get(key, true) as YAMLMap;

const STYLE = { indent: 2, indentSeq: false };

describe('insertIntoSeq / removeFromSeq', () => {
  const cases: [string, string, number, string][] = [
    [
      'compact, append',
      'list:\n- name: a\n  x: 1\nafter: 1\n',
      1,
      'list:\n- name: a\n  x: 1\n- name: new\n  v: 2\nafter: 1\n',
    ],
    ['compact, prepend', 'list:\n- name: a\nafter: 1\n', 0, 'list:\n- name: new\n  v: 2\n- name: a\nafter: 1\n'],
    ['wide, append', 'list:\n  - name: a\n', 1, 'list:\n  - name: a\n  - name: new\n    v: 2\n'],
    // Comments after the last item: a deeper one ends that item and stays with it; one at or left of the
    // dashes belongs to what encloses the list and stays after the new item (trailing-comments.ts).
    [
      'a deeper trailing comment stays with the item it ends',
      'list:\n- name: a\n  # tail\nafter: 1\n',
      1,
      'list:\n- name: a\n  # tail\n- name: new\n  v: 2\nafter: 1\n',
    ],
    [
      'a trailing comment at the dashes stays after the new item',
      'list:\n- name: a\n# end of list\nafter: 1\n',
      1,
      'list:\n- name: a\n- name: new\n  v: 2\n# end of list\nafter: 1\n',
    ],
    [
      'a blank line ends the comments that go with the item',
      'list:\n- name: a\n\n  # about after\nafter: 1\n',
      1,
      'list:\n- name: a\n- name: new\n  v: 2\n\n  # about after\nafter: 1\n',
    ],
    ['no final newline', 'list:\n- name: a', 1, 'list:\n- name: a\n- name: new\n  v: 2\n'],
    ['flow, empty', 'list: []\n', 0, 'list: [{name: new, v: 2}]\n'],
    ['flow, append', 'list: [{name: a}]\n', 1, 'list: [{name: a}, {name: new, v: 2}]\n'],
  ];
  it.each(cases)('%s', (_name, src, index, expected) => {
    const seq = seqIn(src, 'list');
    const out = applyEdits(src, [insertIntoSeq(src, seq, index, [{ name: 'new', v: 2 }], STYLE)]);
    expect(out).toBe(expected);
    const again = seqIn(out, 'list');
    const item = again.items.find((i) => (i as YAMLMap).get('name') === 'new')!;
    expect(applyEdits(out, removeFromSeq(out, again, [item as never]))).toBe(src.endsWith('\n') ? src : `${src}\n`);
  });
});

describe('addToMap / removeFromMap', () => {
  const cases: [string, string, string][] = [
    ['block', 'm:\n  a: 1 # keep\nz: 0\n', 'm:\n  a: 1 # keep\n  k: "true"\n  q:\n    deep: x\nz: 0\n'],
    ['four-space indent', 'm:\n    a: 1\n', 'm:\n    a: 1\n    k: "true"\n    q:\n        deep: x\n'],
    ['flow', 'm: {a: 1}\n', 'm: {a: 1, k: "true", q: {deep: x}}\n'],
    ['flow, empty', 'm: {}\n', 'm: {k: "true", q: {deep: x}}\n'],
    // A comment at the keys' column that ends the map stays last in it: the new keys go before the last one.
    [
      'a comment ending the map at its keys',
      'm:\n  a: 1\n  # b: commented out\n  z: 2\n  # the end of m\ny: 0\n',
      'm:\n  a: 1\n  k: "true"\n  q:\n    deep: x\n  # b: commented out\n  z: 2\n  # the end of m\ny: 0\n',
    ],
    [
      'a comment heading the next key at its column stays with it',
      'm:\n  a: 1\n# about y\ny: 0\n',
      'm:\n  a: 1\n  k: "true"\n  q:\n    deep: x\n# about y\ny: 0\n',
    ],
  ];
  it.each(cases)('%s', (_name, src, expected) => {
    const root = parse(src).contents as YAMLMap;
    const style = { ...STYLE, indent: detectStyle(src, root).indent };
    const out = applyEdits(src, [addToMap(src, mapIn(src, 'm'), { k: 'true', q: { deep: 'x' } }, style)]);
    expect(out).toBe(expected);
    const map = mapIn(out, 'm');
    const doomed = map.items.filter((p) => ['k', 'q'].includes(String(p.key)));
    expect(applyEdits(out, removeFromMap(out, map, doomed))).toBe(src);
  });

  // A tool that sorts keys (kustomize build, kubectl get -o yaml) puts an added `env` first in its item.
  it.each([
    ['the first key of a list item: the next key takes its place', ['env'], 'l:\n- image: a\n  name: w\nz: 0\n'],
    ['with the keys after it that go too', ['env', 'image'], 'l:\n- name: w\nz: 0\n'],
    ['and one further on, on its own', ['env', 'name'], 'l:\n- image: a\nz: 0\n'],
  ])('%s', (_name, keys, expected) => {
    const src = 'l:\n- env:\n  - name: A\n    value: b\n  image: a\n  name: w\nz: 0\n';
    const map = seqIn(src, 'l').items[0] as YAMLMap;
    const doomed = map.items.filter((p) => keys.includes(String(p.key)));
    expect(applyEdits(src, removeFromMap(src, map, doomed))).toBe(expected);
  });

  it('refuses to empty a list item, or to hand a key its anchor', () => {
    const whole = 'l:\n- env: 1\n  image: a\n';
    const map = seqIn(whole, 'l').items[0] as YAMLMap;
    expect(() => removeFromMap(whole, map, map.items)).toThrow(/every key/);
    const anchored = 'l:\n- &e env: 1\n  image: a\n';
    const first = seqIn(anchored, 'l').items[0] as YAMLMap;
    expect(() => removeFromMap(anchored, first, [first.items[0]])).toThrow(/first key/);
  });

  it('quotes strings that YAML 1.1 would read as something else', () => {
    const src = 'm:\n  a: 1\n';
    const out = applyEdits(src, [
      addToMap(src, mapIn(src, 'm'), { b: 'yes', c: '0755', d: '2021-01-01', e: '' }, STYLE),
    ]);
    expect(parse(out).toJS().m).toEqual({ a: 1, b: 'yes', c: '0755', d: '2021-01-01', e: '' });
  });
});

describe('applyEdits', () => {
  it('puts deeper text first when two insertions meet', () => {
    expect(
      applyEdits('ab', [
        { start: 1, end: 1, text: 'X\n' },
        { start: 1, end: 1, text: '  Y\n' },
      ]),
    ).toBe('a  Y\nX\nb');
  });
  it('refuses overlapping edits', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 4, text: '' },
        { start: 2, end: 3, text: '' },
      ]),
    ).toThrow(/overlapping/);
  });
});

describe('plainInsertions: the edits whose place follows from indentation alone', () => {
  const at = (src: string, line: string, text: string) => ({ start: src.indexOf(line), end: src.indexOf(line), text });
  const SPEC = 'spec:\n  containers:\n  - name: app\n    image: x\n  dnsPolicy: ClusterFirst\nstatus: {}\n';
  const rows: [string, string, ReturnType<typeof at>[], boolean][] = [
    ['a key after a plain value, before a shallower line', SPEC, [at(SPEC, 'status', '  hostname: h\n')], true],
    [
      'a list item after the last item, before a shallower key',
      SPEC,
      [at(SPEC, '  dnsPolicy', '  - name: p\n    image: y\n')],
      true,
    ],
    ['items first at the start of a list, after its key', SPEC, [at(SPEC, '  - name: app', '  - name: p\n')], true],
    [
      'list items, then keys, at one place and column',
      'spec:\n  c:\n  - name: a\n',
      [
        { start: 23, end: 23, text: '  - name: p\n' },
        { start: 23, end: 23, text: '  i:\n  - name: q\n' },
      ],
      true,
    ],
    [
      'keys, then list items, at one place and column',
      'spec:\n  c:\n  - name: a\n',
      [
        { start: 23, end: 23, text: '  i:\n  - name: q\n' },
        { start: 23, end: 23, text: '  - name: p\n' },
      ],
      false,
    ],
    ['after a comment line', 'a:\n  b: 1\n  # c\nd: 1\n', [{ start: 15, end: 15, text: '  e: 2\n' }], false],
    [
      'before a shallower comment line, then a shallower key',
      'a:\n  b: 1\n# c\nd: 1\n',
      [{ start: 10, end: 10, text: '  e: 2\n' }],
      true,
    ],
    [
      'before a comment line as deep as the block',
      'a:\n  b: 1\n  # c\nd: 1\n',
      [{ start: 10, end: 10, text: '  e: 2\n' }],
      false,
    ],
    [
      'before a shallower comment line, then a deeper line',
      'a:\n  b: 1\n# c\n   x\n',
      [{ start: 10, end: 10, text: '  e: 2\n' }],
      false,
    ],
    [
      'before a shallower comment line, then a blank line',
      'a:\n  b: 1\n# c\n\nd: 1\n',
      [{ start: 10, end: 10, text: '  e: 2\n' }],
      false,
    ],
    ['after an empty value', 'a:\n  b:\nd: 1\n', [{ start: 8, end: 8, text: '  e: 2\n' }], false],
    ['after a block scalar header', 'a:\n  b: |\nd: 1\n', [{ start: 10, end: 10, text: '  e: 2\n' }], false],
    ['after an open flow collection', 'a:\n  b: [1,\nd: 1\n', [{ start: 12, end: 12, text: '  e: 2\n' }], false],
    ['after an explicit key', 'a:\n  ? b\nd: 1\n', [{ start: 8, end: 8, text: '  e: 2\n' }], false],
    ['before a deeper line', 'a:\n  b: 1\n  c: 2\n', [{ start: 10, end: 10, text: '  e: 2\n' }], false],
    ['in the middle of a line', 'a:\n  b: 1\n', [{ start: 5, end: 5, text: '  e: 2\n' }], false],
    ['CRLF text', 'a:\r\n  b: 1\r\n', [{ start: 12, end: 12, text: '  e: 2\n' }], false],
    ['no final line break', 'a:\n  b: 1', [{ start: 9, end: 9, text: '\n  e: 2\n' }], false],
    ['a flow insertion', 'a: {b: 1}\n', [{ start: 8, end: 8, text: ', e: 2' }], false],
  ];
  it.each(rows)('%s', (_name, src, edits, plain) => {
    expect(plainInsertions(src, edits)).toBe(plain);
    // What the plain path writes, the read-back would have accepted: the edited text still parses.
    if (plain) expect(parse(applyEdits(src, edits)).errors).toEqual([]);
  });
});

/** endsValue as it was first written, with regular expressions: the character-code one must decide as it does. */
function endsValueByPatterns(line: string): boolean {
  const code = (line.includes('#') ? line.replace(/[ ]+#.*$/, '') : line).trimEnd();
  if (/(?:^|[ ]):$|:$/.test(code) || /^[ ]*-$/.test(code)) return false;
  if (/[|>][-+0-9]*$/.test(code) && /(?:^|[: ])[|>][-+0-9]*$/.test(code)) return false;
  if (/[[{,]$/.test(code) || /^[ ]*(?:- )*[?:](?: |$)/.test(code)) return false;
  if (!/[&*!"]/.test(code)) return true;
  const quotes = code.split('"').length - 1;
  return quotes % 2 === 0 && !/[&*!]/.test(code.replace(/"[^"]*"|'[^']*'/g, ''));
}

describe('endsValue: the line before a plain insertion ends its value', () => {
  // Every character a pattern looks at, some it does not, spaces that trimEnd takes and `[ ]` does not.
  const SIGNIFICANT = [...' -:?|>+09[]{},"\'&*!#ab\t\u00a0\u2028\r'];
  const lines = fc
    .tuple(
      fc.nat({ max: 6 }),
      fc.array(fc.oneof(fc.constantFrom(...SIGNIFICANT), fc.constantFrom('- ', ': ', ' #', 'key: ', '"x"', "'y'")), {
        maxLength: 14,
      }),
      fc.boolean(),
    )
    .map(([indent, parts, ended]) => ' '.repeat(indent) + parts.join('') + (ended ? '\n' : ''));

  it('decides as the regular expressions did, on generated lines', () => {
    fc.assert(
      fc.property(
        lines,
        (line) => endsValue(line) === endsValueByPatterns(line) && isContent(line) === /^[ ]*[^ #\n]/.test(line),
      ),
      { numRuns: 40_000, seed: 2102 },
    );
  });

  it('decides as they did on the lines a workload holds', () => {
    const rows = [
      '          args: ["--wait", "30s"]\n',
      '            httpGet: {path: /healthz, port: 3000}\n',
      "      internal.config.kubernetes.io/path: 'orders-0000.yaml'\n",
      '        labels: {app: orders-0000, tier: "backend"}\n',
      '      sidecar.speedscale.com/inject: "true" # for replay\n',
      '  b: |\n',
      '  b: >-2 # folded\n',
      '  - - ? x\n',
      '  -\n',
      '  a: *alias\n',
      '  a: "it\'s & more"\n',
      '  a: \'say "&"\' "\n',
      '',
    ];
    for (const line of rows) expect(endsValue(line), line).toBe(endsValueByPatterns(line));
  });
});

describe('plainInsertions: insertions into a flow collection, proven on the collection alone', () => {
  const LABELS = 'metadata:\n  labels: {app: a, tier: "b"} # as written\nspec: {}\n';
  const labels = (src: string) => (fastParse(src) as YAMLMap).getIn(['metadata', 'labels'], true) as YAMLMap;
  const INJECTED = { 'sidecar.speedscale.com/injected': 'true' };
  const labelEdit = (src: string) => addToMap(src, labels(src), INJECTED, STYLE);

  it('proves the injected label in flow labels, keeping the flow style and every byte around it', () => {
    const edit = labelEdit(LABELS);
    expect(plainInsertions(LABELS, [edit])).toBe(true);
    expect(applyEdits(LABELS, [edit])).toBe(
      'metadata:\n  labels: {app: a, tier: "b", sidecar.speedscale.com/injected: "true"} # as written\nspec: {}\n',
    );
  });

  it.each([
    ['an empty flow map', 'metadata:\n  labels: {}\n'],
    ['a padded flow map with a trailing comma', 'metadata:\n  labels: { app: a, tier: b c, }\n'],
    ['quoted keys and values', `metadata:\n  labels: {"app": 'a', 'it''s': "x y", "k":v}\n`],
  ])('proves it in %s', (_name, src) => {
    expect(plainInsertions(src, [labelEdit(src)])).toBe(true);
  });

  it('proves items added to a flow sequence', () => {
    const src = 'args: [--a, "b c", {d: e}]\n';
    const seq = (fastParse(src) as YAMLMap).get('args', true) as unknown as YAMLSeq;
    for (const index of [0, 1, 3]) {
      const edit = insertIntoSeq(src, seq, index, ['x', { name: 'n' }], STYLE);
      expect(plainInsertions(src, [edit])).toBe(true);
      const expected: unknown[] = ['--a', 'b c', { d: 'e' }];
      expected.splice(index, 0, 'x', { name: 'n' });
      expect(parse(applyEdits(src, [edit])).toJS().args).toEqual(expected);
    }
  });

  it.each([
    ['over several lines', 'metadata:\n  labels: {app: a,\n    tier: b}\n', (e: Edit) => e],
    ['reading as something else', LABELS, (e: Edit) => ({ ...e, flow: { ...e.flow!, meant: { app: 'a' } } })],
    ['with a comment in its text', LABELS, (e: Edit) => ({ ...e, text: `${e.text} #` })],
    ['with a line break in its text', LABELS, (e: Edit) => ({ ...e, text: `${e.text}\n` })],
    ['outside the collection', LABELS, (e: Edit) => ({ ...e, start: e.flow!.end, end: e.flow!.end })],
    ['replacing text', LABELS, (e: Edit) => ({ ...e, end: e.end + 1 })],
  ])('leaves an insertion %s to the read-back', (_name, src, change) => {
    expect(plainInsertions(src, [change(labelEdit(src))])).toBe(false);
  });

  it('leaves it to the read-back when another edit lands inside the collection', () => {
    const edit = labelEdit(LABELS);
    const inside = { start: edit.flow!.start + 1, end: edit.flow!.start + 1, text: 'x: 1, ' };
    expect(plainInsertions(LABELS, [edit, inside])).toBe(false);
  });
});

/** The whole function (fn/run.ts, in-process) on workloads whose labels are written in flow style. */
describe('flow labels through the function: injected in flow style, removed byte for byte by "false"', () => {
  const ON = 'sidecar.speedscale.com/inject: "true"';
  const LABEL = 'sidecar.speedscale.com/injected: "true"';
  const workload = (labels: string) =>
    'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n' +
    `- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: a\n    labels: ${labels}\n` +
    `    annotations:\n      ${ON}\n  spec:\n    selector:\n      matchLabels: {app: a}\n    template:\n` +
    `      metadata:\n        labels: ${labels.replaceAll('\n', '\n    ')}\n      spec:\n        containers:\n` +
    '        - name: app\n          image: example.com/app:1\n';

  it.each([
    ['one line', '{app: a, tier: "b"}', '{app: a, tier: "b", ' + LABEL + '}'],
    [
      'padded, a trailing comma, a comment',
      '{ app: a, tier: b, } # kept',
      '{ app: a, tier: b, ' + LABEL + ', } # kept',
    ],
    ['empty', '{}', '{' + LABEL + '}'],
    [
      'over several lines',
      '{\n      app: a, # the app\n      tier: b\n    }',
      '{\n      app: a, # the app\n      tier: b, ' + LABEL + '\n    }',
    ],
  ])('%s', (_name, labels, injected) => {
    const input = workload(labels);
    const out = run(input);
    expect(out.exitCode, out.stderr).toBe(0);
    const item = itemsOf(out.stdout)[0];
    expect(item).toContain(`    labels: ${injected}\n`);
    expect(item).toContain(`        labels: ${injected.replaceAll('\n', '\n    ')}\n`);
    expect(resultsOf(out.stdout).map((r) => r.tags.reason)).toEqual(['injected']);
    // A second run changes nothing; "false" gives back every byte of the input.
    expect(itemsOf(run(out.stdout).stdout)).toEqual(itemsOf(out.stdout));
    const off = run(out.stdout.split(ON).join('sidecar.speedscale.com/inject: "false"'));
    expect(off.exitCode, off.stderr).toBe(0);
    expect(itemsOf(off.stdout)).toEqual(itemsOf(input.split(ON).join('sidecar.speedscale.com/inject: "false"')));
  });
});

/**
 * kustomize build (and kubectl get -o yaml) sorts every map's keys, so a key the injection created in an app
 * container (`env`, `volumeMounts`, by tls-out) comes first in its list item (`- env:`); the function run
 * again over that output must find it up to date, and "false" must take the sidecar out.
 */
describe('an injection whose keys a tool sorted: up to date, and removed by "false"', () => {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
          )
        : value;
  const list = (items: unknown[]) =>
    'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n' +
    stringify({ items: items.map(sorted) }, { indentSeq: false });
  const workload = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      annotations: { 'sidecar.speedscale.com/inject': 'true', 'sidecar.speedscale.com/tls-out': 'true' },
    },
    spec: { template: { spec: { containers: [{ name: 'web', image: 'example.com/web:1' }] } } },
  };

  it('runs again with nothing to do, then removes', () => {
    const injected = run(list([workload]));
    expect(injected.exitCode, injected.stderr).toBe(0);
    const rendered = list(itemsOf(injected.stdout).map((item) => parse(item).toJS()[0]));
    expect(rendered).toContain('      - env:\n');
    const again = run(rendered);
    expect(again.stderr).toBe('');
    expect(again.exitCode).toBe(0);
    expect(itemsOf(again.stdout)).toEqual(itemsOf(rendered));
    const off = run(rendered.replace('inject: "true"', 'inject: "false"'));
    expect(off.exitCode, off.stderr).toBe(0);
    expect(resultsOf(off.stdout).map((r) => r.tags.reason)).toEqual(['removed']);
    const original = structuredClone(workload);
    original.metadata.annotations['sidecar.speedscale.com/inject'] = 'false';
    expect(parse(itemsOf(off.stdout)[0]).toJS()[0]).toEqual(original);
  });
});
