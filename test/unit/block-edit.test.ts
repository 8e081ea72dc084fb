/** Insert then remove must give back the original bytes, in every style the editor meets. */
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  addToMap,
  detectStyle,
  insertIntoSeq,
  plainInsertions,
  removeFromMap,
  removeFromSeq,
} from '../../fn/yaml/block-edit';
import { applyEdits } from '../../fn/yaml/text-edit';

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
    ['before a comment line', 'a:\n  b: 1\n# c\nd: 1\n', [{ start: 10, end: 10, text: '  e: 2\n' }], false],
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
