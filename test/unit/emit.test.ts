/** The fast emitter must write exactly what `yaml` writes, for the shapes the function renders. */
import { Document } from 'yaml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../fn/config/normalize';
import { renderInitContainers } from '../../fn/render/init-containers';
import { renderSidecar } from '../../fn/render/sidecar';
import { deepFreeze } from '../../fn/frozen';
import { copyWith, emitBlock, emitFlow, emitFlowEntry, WRITE_OPTIONS } from '../../fn/yaml/emit';

const settings = normalize();
const reference = (value: unknown, indent: number, indentSeq: boolean) =>
  new Document(value, { ...WRITE_OPTIONS, aliasDuplicateObjects: false }).toString({
    lineWidth: 0,
    defaultStringType: 'PLAIN',
    defaultKeyType: 'PLAIN',
    indent,
    indentSeq,
  });

/** What block-edit.ts writes into a flow map or sequence the author wrote. */
const flowReference = (value: unknown) =>
  new Document(value, { ...WRITE_OPTIONS, aliasDuplicateObjects: false })
    .toString({ collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: false })
    .trimEnd();

const samples: [string, unknown][] = [
  ['sidecar', [renderSidecar(settings, 'web')]],
  ['init containers', renderInitContainers(settings)],
  [
    'native, privileged, iptables script',
    [
      renderSidecar(normalize({ nativeSidecar: true }), 'yes'),
      ...renderInitContainers(normalize({ privileged: true, redirect: 'iptables' })),
    ],
  ],
  [
    'ambiguous scalars',
    {
      a: 'true',
      b: 'yes',
      c: '0755',
      d: '2021-01-01',
      e: '',
      f: 'null',
      g: '~',
      h: '1e3',
      i: ' padded ',
      j: 'a: b',
      k: '#x',
      l: '-',
      y: 1,
      n: 0x1f,
      o: null,
      p: false,
    },
  ],
  ['empty collections', { a: [], b: {}, c: [[], {}], d: [{ e: [] }] }],
  ['nested sequences', { a: [[1, 2], [3]], b: [{ c: [{ d: 1 }] }] }],
  [
    'results',
    {
      results: [
        {
          message: 'it\'s "quoted": ok',
          severity: 'info',
          field: { path: 'metadata.annotations["a/b"]' },
          file: { path: 'x.yaml', index: 0 },
        },
      ],
    },
  ],
];

describe('emitBlock', () => {
  for (const [indent, indentSeq] of [
    [2, false],
    [2, true],
    [4, false],
    [4, true],
    [1, false],
    [3, false],
  ] as const) {
    it.each(samples)(`%s (indent ${indent}, indentSeq ${indentSeq})`, (_name, value) => {
      expect(emitBlock(value, { indent, indentSeq })).toBe(reference(value, indent, indentSeq));
    });
  }
});

describe('emitFlow', () => {
  it.each([
    ...samples,
    ['the injected label', { 'sidecar.speedscale.com/injected': 'true' }],
    ['flow indicators in strings', { 'a,b': 'c]d', e: ['{f}', '[g', 'h,'], i: "it's [x]", j: '"q" {r}' }],
  ])('%s, as yaml writes it in flow style', (_name, value) => {
    expect(emitFlow(value)).toBe(flowReference(value));
  });
});

describe('emitBlock: words it quotes without asking yaml', () => {
  const words = [
    '',
    '-',
    '+',
    '+1',
    '-1',
    '4143',
    '0',
    '07',
    '.5',
    '.',
    '..',
    '1_000',
    '0x1F',
    '0o17',
    '0b101',
    '1e3',
    '6.8523015e+5',
    'e5',
    'E10',
    'e-3',
    'eeeeee',
    'Falsey',
    'nulls',
    'yes1',
    '.inf',
    '-.Inf',
    '.NaN',
    '12:30:00',
    '190:20:30',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    'yes',
    'Y',
    'n',
    'On',
    'off',
    'NULL',
    '~',
    'true',
    'a-b',
    'a.b',
    'v2.5.602',
    '_x',
    '--',
    '-a',
    '.a',
    'x+y',
    '1.2.3',
    '0.0.0.0',
    '4143_',
    'infinity',
    'nan',
    '{"v":1,"added":[["spec","template"]]}',
    '"a"',
    'a "b"',
    '"a" b',
    'a: "b"',
    '"',
    '" x',
    'x "',
    'it\'s "x"',
    '"tab\there"',
    '["a", "b"]',
    '# "x"',
    '- "x"',
  ];
  it.each(words)('%j as a key and as a value, as yaml writes it', (word) => {
    expect(emitBlock({ [word]: word, k: [word] }, { indent: 2, indentSeq: false })).toBe(
      reference({ [word]: word, k: [word] }, 2, false),
    );
    expect(emitFlow({ [word]: word, k: [word] })).toBe(flowReference({ [word]: word, k: [word] }));
  });
});

describe('emitBlock on generated data', () => {
  // Words near the fast path's edges: keywords, indicators, digits, spaces and quotes.
  const piece = fc.constantFrom(
    'a',
    'Z',
    'y',
    'n',
    'yes',
    'No',
    'on',
    'OFF',
    'null',
    '~',
    'true',
    '0',
    '7',
    '0x1f',
    '1e3',
    '.',
    '-',
    '+',
    '.inf',
    '1_0',
    '0o7',
    '0b1',
    '12:30',
    '2001-12-14',
    'Null',
    '<<',
    '---',
    '\\',
    '\x07',
    'a b',
    '/',
    '_',
    ':',
    ' ',
    '#',
    "'",
    '"',
    '*',
    '&',
    '!',
    '%',
    '@',
    '`',
    '{',
    '[',
    ',',
    '?',
    '|',
    '>',
    'é',
    '\t',
  );
  const text = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
  const leafValue = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafValue,
      fc.array(tie('tree'), { maxLength: 3 }),
      fc.dictionary(text, tie('tree'), { maxKeys: 3 }),
    ),
  }));

  it('writes exactly what yaml writes', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(tree, { maxLength: 4 }), fc.dictionary(text, tree, { maxKeys: 4 })),
        fc.constantFrom(1, 2, 3, 4),
        fc.boolean(),
        (value, indent, indentSeq) => {
          expect(emitBlock(value, { indent, indentSeq })).toBe(reference(value, indent, indentSeq));
        },
      ),
      { numRuns: 2000, seed: 20261125 },
    );
  });

  it('writes whole lines, the first at the column asked for and the rest deeper (what block-edit.ts relies on)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(tree, { minLength: 1, maxLength: 4 }), fc.dictionary(text, tree, { minKeys: 1, maxKeys: 4 })),
        fc.constantFrom(1, 2, 4),
        fc.boolean(),
        fc.constantFrom(0, 2, 5),
        (value, indent, indentSeq, column) => {
          const out = emitBlock(value, { indent, indentSeq }, column);
          expect(out.endsWith('\n')).toBe(true);
          expect(out.length - out.trimStart().length).toBe(column);
          expect(out.startsWith('- ', column)).toBe(Array.isArray(value));
          for (const line of out.slice(0, -1).split('\n').slice(1))
            expect(line === '' || line.startsWith(' '.repeat(column))).toBe(true);
        },
      ),
      { numRuns: 1000, seed: 2102 },
    );
  });

  it('writes flow style exactly as yaml writes it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(tree, { maxLength: 4 }), fc.dictionary(text, tree, { maxKeys: 4 })), (value) => {
        expect(emitFlow(value)).toBe(flowReference(value));
      }),
      { numRuns: 2000, seed: 4143 },
    );
  });

  it('writes one flow entry as the map of that entry alone is written, without its braces', () => {
    fc.assert(
      fc.property(text, tree, (key, value) => {
        expect(emitFlowEntry(key, value)).toBe(flowReference({ [key]: value }).slice(1, -1));
      }),
      { numRuns: 2000, seed: 4140 },
    );
  });

  it('writes a frozen (shared, cached) value exactly as yaml does, in every style and column it is asked for', () => {
    const styles = [1, 2, 3, 4].flatMap((indent) => [true, false].map((indentSeq) => ({ indent, indentSeq })));
    fc.assert(
      fc.property(fc.oneof(fc.array(tree, { maxLength: 4 }), fc.dictionary(text, tree, { maxKeys: 4 })), (value) => {
        const frozen = deepFreeze(structuredClone(value));
        // Twice each, in turn, so a text cached for one style or column would show up in another.
        for (const round of [1, 2]) {
          for (const style of styles) {
            for (const column of [0, 2, 4]) {
              const expected = reference(value, style.indent, style.indentSeq).replace(/^(?=.)/gm, ' '.repeat(column));
              expect(emitBlock(frozen, style, column), `round ${round}`).toBe(expected);
              expect(emitBlock([frozen], style, column), `round ${round}, as an item`).toBe(
                emitBlock(structuredClone([value]), style, column),
              );
            }
          }
        }
      }),
      { numRuns: 200, seed: 4140 },
    );
  });

  it('writes a copy of a frozen template with its hole filled (copyWith) exactly as yaml writes the copy', () => {
    const HOLE = 'the-hole';
    const styles = [1, 2, 4].flatMap((indent) => [true, false].map((indentSeq) => ({ indent, indentSeq })));
    const fill = fc.oneof(text, fc.constant('a\nb'), fc.constant(HOLE), fc.constant(`${HOLE} #`));
    fc.assert(
      fc.property(
        fc.dictionary(text, tree, { maxKeys: 3 }),
        text,
        fill,
        // The hole's text before it in the template too (as a value, inside one, as an item): the copy is walked.
        fc.constantFrom(undefined, HOLE, `x ${HOLE}`, [HOLE]),
        fc.boolean(),
        (rest, key, filled, elsewhere, asItem) => {
          const template = deepFreeze(
            asItem
              ? [...(elsewhere === undefined ? [] : [elsewhere]), ...Object.values(structuredClone(rest)), HOLE]
              : { ...(elsewhere !== undefined && { other: elsewhere }), ...structuredClone(rest), [key]: HOLE },
          );
          const copy = Array.isArray(template)
            ? template.map((item) => (item === HOLE ? filled : item))
            : { ...template, [key]: filled };
          // Only the hole changes: where the template holds its text twice, the array's copy above fills both,
          // and so must the text.
          copyWith(copy, template, HOLE, filled);
          for (const style of styles) {
            for (const column of [0, 3]) {
              const expected = reference(copy, style.indent, style.indentSeq).replace(/^(?=.)/gm, ' '.repeat(column));
              expect(emitBlock(copy, style, column)).toBe(expected);
              expect(emitBlock([copy], style, column)).toBe(emitBlock(structuredClone([copy]), style, column));
            }
          }
        },
      ),
      { numRuns: 300, seed: 4143 },
    );
  });

  it('writes a list under a key at its column as the entries written one by one (how the results are streamed)', () => {
    const style = { indent: 2, indentSeq: false };
    // Multi-line strings too: there `yaml` writes the text, for the whole map or for one entry.
    const entry = fc.oneof(tree, fc.dictionary(text, fc.oneof(tree, fc.constant('one\ntwo'), fc.constant('x\n'))));
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), (results) => {
        const oneByOne = results.map((result) => emitBlock([result], style)).join('');
        expect(`results:\n${oneByOne}`).toBe(emitBlock({ results }, style));
      }),
      { numRuns: 1000, seed: 4143 },
    );
  });

  it('writes the sidecar from its template, with the workload name in APP_LABEL', () => {
    const style = { indent: 2, indentSeq: false };
    for (const name of ['web', 'speedscale-app-label', 'a: b', 'true', '']) {
      const sidecar = renderSidecar(settings, name);
      expect(emitBlock([sidecar], style, 4)).toBe(emitBlock(structuredClone([sidecar]), style, 4));
      expect(emitBlock([sidecar], style)).toContain(`- name: APP_LABEL\n    value: ${emitFlow(name)}\n`);
    }
  });
});
