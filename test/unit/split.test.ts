/** The fast ResourceList split: exact pieces for block YAML, and a refusal (undefined) for anything else. */
import { describe, expect, it } from 'vitest';
import { splitResourceList } from '../../fn/krm/split';

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';

describe('splitResourceList', () => {
  it('splits compact items and keeps every byte', () => {
    const text = `# head\n${HEAD}items:\n# first\n- a: 1\n  b: |\n    - not an item\n- c: 2\n\n# trailing\nfunctionConfig:\n  x: 1\n`;
    const split = splitResourceList(text)!;
    expect(split.items).toEqual(['- a: 1\n  b: |\n    - not an item\n', '- c: 2\n\n# trailing\n']);
    expect(split.itemsHead).toBe('items:\n# first\n');
    expect(split.sections.map((s) => s.key)).toEqual(['apiVersion', 'kind', 'items', 'functionConfig']);
    expect(split.preamble + split.sections.map((s) => s.text).join('') + split.postamble).toBe(text);
  });

  it('splits wide items', () => {
    const split = splitResourceList(`${HEAD}items:\n  - a: 1\n  - b: 2\n`)!;
    expect(split.items).toEqual(['  - a: 1\n', '  - b: 2\n']);
  });

  it('reads empty items', () => {
    expect(splitResourceList(`${HEAD}items: []\n`)!.items).toEqual([]);
  });

  it.each([
    ['flow items', `${HEAD}items: [{a: 1}]\n`],
    ['no items', HEAD],
    ['two items keys', `${HEAD}items:\n- a: 1\nitems:\n- b: 2\n`],
    ['a second document', `${HEAD}items:\n- a: 1\n---\nkind: X\n`],
    ['a line outside any item', `${HEAD}items:\n  - a: 1\n - b\n`],
    ['a content line before the first item', `${HEAD}items:\n stray text\n- a: 1\n`],
  ])('refuses %s', (_name, text) => {
    expect(splitResourceList(text)).toBeUndefined();
  });
});
