/** The fast ResourceList split: exact pieces for block YAML, and a refusal (undefined) for anything else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aliasMayAsk, splitResourceList } from '../../fn/krm/split';

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

describe('aliasMayAsk', () => {
  const item = (name: string, labels: string) =>
    `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: ${name}\n    labels: ${labels}\n`;

  it("finds an alias to an earlier item's anchor that mentions our keys, and passes one that does not", () => {
    const on = '&on\n      sidecar.speedscale.com/inject: "true"';
    const split = splitResourceList(
      `${HEAD}items:\n${item('a', on)}${item('b', '&off\n      team: a')}${item('c', '*on')}${item('d', '*off')}`,
    )!;
    expect(aliasMayAsk(split, 2)).toMatchObject({ name: 'on' });
    expect(aliasMayAsk(split, 3)).toBeUndefined();
  });

  // Every item of a big list may use one early anchor: each must cost what its anchor's setters cost, not a
  // look at every item before it (10,000 items took seconds in that regex alone).
  it('reads only the items that set the anchor, not every earlier one', () => {
    const count = 200;
    const names = Array.from({ length: count }, (_, i) => item(`c${i}`, '*l'));
    const split = splitResourceList(`${HEAD}items:\n${item('base', '&l {team: a}')}${names.join('')}`)!;
    expect(aliasMayAsk(split, 1)).toBeUndefined(); // the list's anchors are searched once, here
    const items = split.items;
    let reads = 0;
    split.items = new Proxy(items, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(aliasMayAsk(split, count)).toBeUndefined();
    expect(reads).toBeLessThan(5);
  });
});

describe('splitResourceList, passing lines by a regular expression', () => {
  it('splits as the line-by-line split did, on generated lists', () => {
    // Lines of every kind the split tells apart: items at two indentations, deeper lines, comments, blank
    // lines, tabs, carriage returns, top-level keys, document markers.
    const line = fc.constantFrom(
      ...['- a: 1', '  - b: 2', '  c: 3', '    d: 4', ' e: 5', '-', '- ', '  -', '# c', '  # c', '', '  ', '\t- x'],
      ...[' \tx: 1', '  \t', '\r', '- a\r', '  b: 1\r', 'functionConfig:', 'kind: X', '---', '...', '\u2028x: 1', '-x'],
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 14 }),
        fc.constantFrom('items:\n', 'items: # c\n', 'items:\n  '),
        (lines, items) => {
          const text = `${HEAD}${items}${lines.join('\n')}${lines.length % 2 ? '\n' : ''}`;
          expect(splitResourceList(text), JSON.stringify(text)).toEqual(splitResourceList(text, true));
        },
      ),
      { numRuns: 20_000, seed: 4152 },
    );
  });
});
