/** Insert then remove must give back the original bytes, in every style the editor meets. */
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { describe, expect, it } from 'vitest';
import { addToMap, detectStyle, insertIntoSeq, removeFromMap, removeFromSeq } from '../../fn/yaml/block-edit';
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
    [
      'trailing comment stays with the next key',
      'list:\n- name: a\n  # tail\nafter: 1\n',
      1,
      'list:\n- name: a\n- name: new\n  v: 2\n  # tail\nafter: 1\n',
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
