/**
 * The fast parser must build exactly the nodes `yaml` builds (values, types, ranges), or decline. It is
 * checked on every fixture, example and storefront document (and corpus document, when ../shared/corpus is
 * beside the repository), on the benchmark's generated workloads, and on thousands of random mutations of
 * them, which mostly produce broken or unusual YAML.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, isCollection, isMap, isNode, isPair, isScalar, isSeq, parseDocument, Schema, visit } from 'yaml';
import { charSet, FlowParser, mayBeTagged, PARSE_OPTIONS } from '../../fn/yaml/fast-scalars';
import { fastParse } from '../../fn/yaml/fast-parse';
import { plainToJS, toJSON } from '../../fn/yaml/nodes';
import { splitResourceList } from '../../fn/krm/split';
import { compareWithYaml, diff } from './fast-parse-compare';

const root = join(__dirname, '../..');
/** Written for the tests: manifests of every kind, comments, block and flow styles, a v1 List, kustomize files. */
const storefront = join(root, 'fixtures/storefront');
/** Optional: public projects' manifests, beside the repository on machines that have them. */
const corpus = join(root, '../shared/corpus');
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.warn('[skipped] fast-parse on corpus documents: ../shared/corpus is not beside the repository');

function documents(): [string, string][] {
  const texts: [string, string][] = [];
  for (const name of readdirSync(join(root, 'fixtures'))) {
    const file = join(root, 'fixtures', name, 'input.yaml');
    if (!existsSync(file)) continue;
    splitResourceList(readFileSync(file, 'utf8'))?.items.forEach((item, i) => texts.push([`${name}#${i}`, item]));
  }
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry))
        readFileSync(path, 'utf8')
          .split(/^---[^\n]*\n/m)
          .forEach((doc, i) => texts.push([`${path}#${i}`, doc]));
    }
  };
  walk(storefront);
  walk(join(root, 'examples'));
  if (hasCorpus) walk(corpus);
  return texts;
}

// A plain ES module, typed by TypeScript from its JavaScript (allowJs).
const { resourceList } = await import('../../bench/generate.mjs');
/** The benchmark's workloads: flow-style resources and probes, folded env values, comments. */
const generated = splitResourceList(resourceList('half', 40))!.items;
const docs = [...documents(), ...generated.map((item, i): [string, string] => [`generated#${i}`, item])];

describe('fast parser', () => {
  it.each([
    ['as items are parsed (BigInt integers)', PARSE_OPTIONS],
    ['as the ResourceList header is parsed (plain numbers)', { version: '1.1', intAsBigInt: false } as const],
  ])('builds the same nodes as yaml for every fixture, example and corpus document, %s', (_name, options) => {
    const differences = docs
      .map(([name, text]) => [name, compareWithYaml(text, options)])
      .filter(([, d]) => d && d !== 'fallback');
    expect(differences).toEqual([]);
  });

  it('reads texts of more lines than its kept line tables hold, and small ones after them', () => {
    // The tables start at 256 lines and are kept up to 16,384: past both, and back (a list: a map's keys are
    // checked for repeats one by one).
    for (const lines of [300, 20_000, 3]) {
      const text = Array.from({ length: lines }, (_, i) => (i % 7 === 0 ? '# c' : `- v${i}`)).join('\n');
      expect(compareWithYaml(text), `${lines} lines`).toBeUndefined();
    }
  });

  it('takes the fast path for nearly all of them', () => {
    const fallbacks = docs.filter(([, text]) => compareWithYaml(text) === 'fallback').length;
    expect(fallbacks / docs.length).toBeLessThan(0.1);
  });

  it('handles the benchmark workloads (flow resources, folded env values, comments) without falling back', async () => {
    const { resourceList } = await import('../../bench/generate.mjs');
    const list = splitResourceList(resourceList('half', 60))!;
    expect(list.items.map((item) => compareWithYaml(item))).toEqual(list.items.map(() => undefined));
  });

  it("makes nodes that are yaml's in every way: class, type checks, own properties, methods", () => {
    const text = generated.find((item) => item.includes('{'))!;
    const fast = fastParse(text)!;
    const slow = parseDocument(text, PARSE_OPTIONS).contents!;
    const walk = (node: unknown, out: unknown[] = []): unknown[] => {
      out.push(node);
      if (isPair(node)) [node.key, node.value].forEach((n) => walk(n, out));
      else if (isCollection(node)) node.items.forEach((n) => walk(n, out));
      return out;
    };
    const [a, b] = [walk(fast), walk(slow)];
    expect(a.length).toBe(b.length);
    expect(a.length).toBeGreaterThan(50);
    // Comments are not read into nodes: edits work on the text, which keeps them.
    const COMMENTS = new Set(['comment', 'commentBefore', 'spaceBefore']);
    const checks: ((n: unknown) => boolean)[] = [isMap, isSeq, isScalar, isPair, isNode, isCollection];
    const describeNode = (n: any) => [
      n?.constructor?.name,
      checks.map((check) => check(n)),
      Object.keys(n ?? {})
        .filter((k) => !COMMENTS.has(k))
        .sort(),
      'schema' in (n ?? {}),
    ];
    a.forEach((node, i) => expect(describeNode(node), `node ${i}`).toEqual(describeNode(b[i])));
    // Methods, as the injector and `yaml` itself use them.
    expect(fast.toJSON()).toEqual(slow.toJSON());
    for (const node of b) for (const key of COMMENTS) delete (node as any)?.[key];
    expect(new Document(fast).toString()).toBe(new Document(slow).toString());
    expect(fast.clone().toJSON()).toEqual(slow.toJSON());
    expect((fast as any).getIn(['spec', 'template', 'spec', 'containers', 0, 'name'])).toBe(
      (slow as any).getIn(['spec', 'template', 'spec', 'containers', 0, 'name']),
    );
    let visited = 0;
    visit(fast, { Scalar: () => void visited++ });
    expect(visited).toBe(b.filter(isScalar).length);
  });

  it("toJSON(node) is node.toJSON(), for the fast parser's nodes and yaml's, down to every map and list", () => {
    const extra = [
      'a: &x {b: 1}\nc: *x\n',
      'a: &x {b: 1}\n<<: *x\nc: 2\n',
      "'<<': 1\n__proto__: {a: 1}\n",
      '? [a]\n: 1\n',
      't: 2001-12-14\nn: 12345678901234567890\nx: !!binary aGk=\ns: !!set {a, b}\no: !!omap [a: 1]\n',
      '1: one\nnull: two\ntrue: 3\n',
    ];
    let compared = 0;
    const check = (node: unknown): void => {
      if (node === null) return; // an empty value
      compared++;
      expect(toJSON(node)).toStrictEqual((node as { toJSON(): unknown }).toJSON());
      if (isPair(node)) check(node.value);
      else if (isCollection(node)) node.items.forEach(check);
    };
    for (const text of [...docs.map(([, t]) => t), ...extra]) {
      const fast = fastParse(text);
      if (fast) check(fast);
      const doc = parseDocument(text, PARSE_OPTIONS);
      if (doc.errors.length || !doc.contents) continue;
      // With its document, aliases and merge keys resolve as in Document.toJSON.
      expect(toJSON(doc.contents, doc)).toStrictEqual(doc.toJSON());
      if (!text.includes('*')) check(doc.contents);
      // Plain trees as Document.toJS gives them (values as parsed: dates stay dates), else undefined.
      const plain = plainToJS(doc.contents);
      if (plain !== undefined) expect(plain).toStrictEqual(doc.toJS());
      else expect(text).toMatch(/[*&!?]|<<|__proto__|^[^:\n]*[0-9]+:/m);
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('matches yaml or declines on random mutations', () => {
    const pieces = [
      ' ',
      '  ',
      '\n',
      '#',
      ' #',
      ':',
      ': ',
      '- ',
      '-',
      '"',
      "'",
      '[',
      ']',
      '{',
      '}',
      ',',
      '|',
      '>-',
      '&a ',
      '*a',
      '!!str ',
      '\t',
      'yes',
      '0x1F',
      '~',
      '<<: ',
      '\\',
      '---\n',
    ];
    const mutation = fc.record({
      doc: fc.integer({ min: 0, max: docs.length - 1 }),
      edits: fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), text: fc.constantFrom(...pieces) }), {
        minLength: 1,
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(mutation, ({ doc, edits }) => {
        let text = docs[doc][1];
        for (const { at, cut, text: piece } of edits) {
          const pos = at % (text.length + 1);
          text = text.slice(0, pos) + piece + text.slice(pos + cut);
        }
        const difference = compareWithYaml(text);
        expect(
          difference === undefined || difference === 'fallback' ? undefined : `${difference}\n--- text:\n${text}`,
        ).toBeUndefined();
      }),
      { numRuns: 3000, seed: 4143 },
    );
  });
});

/**
 * An empty value (`key:`, `-`) followed by comment lines: `yaml` stretches the null's range over them, to
 * the next content or the end of a line before it (fast-parse.ts, empty()). Each shape must take the fast
 * path and agree with `yaml` node by node, or still be declined.
 */
describe('fast parser: empty values followed by comments', () => {
  const MANIFEST =
    'metadata:\n  name: web\n  annotations:\n    # sidecar.speedscale.com/inject: "true"\nspec:\n  replicas: 1\n';

  it.each([
    ['a commented-out opt-in under annotations:', MANIFEST],
    ['a comment at the same indent, then the next key', 'a:\n  b:\n  # c\n  d: 1\n'],
    ['a comment deeper, then the next key', 'a:\n  b:\n    # c\n    # d\n  e: 1\n'],
    ['a comment shallower, then the next key', 'a:\n  b:\n# c\n  d: 1\n'],
    ['deeper, shallower, deeper comments, then the next key', 'a:\n  b:\n    # c\n  # d\n    # e\n  f: 1\n'],
    ['blank lines around a deeper comment', 'a:\n  b:\n\n    # c\n\n  d: 1\n'],
    ['a blank line, then a comment the next key takes', 'a:\n  b:\n\n  # c\n  d: 1\n'],
    ['a line of spaces after the comment', 'a:\n  b:\n    # c\n   \n  d: 1\n'],
    ['trailing spaces on the comment line', 'a:\n  b:\n  # c   \n  d: 1\n'],
    ['a comment on the key line', 'a:\n  b: # x\n  d: 1\n'],
    ['a comment on the key line and below', 'a:\n  b: # x\n  # y\n    # z\n  d: 1\n'],
    ['a column-0 comment, then a shallower key', 'metadata:\n  annotations:\n# x\nspec: 1\n'],
    ['comments at several indents, then a shallower key', 'a:\n  b:\n    # c\n  # d\ne: 1\n'],
    ['the last key of the document, then comments', 'a: 1\nb:\n  # c\n'],
    ['the last key of the document, then a column-0 comment and blank lines', 'a: 1\nb:\n\n# c\n\n  \n'],
    ['the last key of the document, then a comment without a final newline', 'a: 1\nb:\n  # c'],
    ['the last key of a nested map, then comments', 'a:\n  b:\n    c:\n    # x\n  d: 1\n'],
    ['an empty key in a list item, then comments', '- a:\n  # c\n- b\n'],
    ['an empty list item, then a deeper comment', '- a\n-\n  # c\n- b\n'],
    ['an empty list item, then a column-0 comment', '- a\n- \n# c\n- b\n'],
    ['an empty list item with a comment on its line', '- # c\n- b\n'],
    ['an empty list item ending a list at its key column', 'a:\n- x\n-\n# c\nb: 1\n'],
    ['an empty item of a nested list, then a comment', '- -\n  # c\n- b\n'],
    ['an empty list item, no comment', '- a\n-\n\n- b\n'],
  ])('reads %s', (_name, text) => {
    expect(compareWithYaml(text)).toBeUndefined();
    expect(compareWithYaml(text, { version: '1.1', intAsBigInt: false })).toBeUndefined();
  });

  it("puts the null's range where yaml does", () => {
    const annotations = (fastParse(MANIFEST) as any).getIn(['metadata', 'annotations'], true);
    expect(annotations.value).toBeNull();
    // From the end of `annotations:` over the comment line, up to `spec:`.
    expect(annotations.range).toEqual([36, 36, MANIFEST.indexOf('spec:')]);
  });

  it.each([
    // The comment before the dash is the item's too: `yaml` then ends the item past its line breaks.
    ['an empty list item after a comment line', '- x\n# c\n-\n- y\n'],
    ['an empty list item after a deeper comment line', '- x\n  # c\n-\n\n- y\n'],
    ['a scalar on the lines after `key:` and a comment', 'a:\n  # c\n  text\n'],
  ])('still declines %s', (_name, text) => {
    expect(compareWithYaml(text)).toBe('fallback');
  });

  it('matches yaml or declines on generated maps and lists with empty values and comment lines', () => {
    interface Tree {
      seq: boolean;
      entries: (Tree | string)[];
    }
    // After a key or dash: nothing, spaces, a comment, a scalar; or a nested map or list.
    const { node } = fc.letrec<{ node: Tree }>((tie) => ({
      node: fc.record({
        seq: fc.boolean(),
        entries: fc.array(fc.oneof({ depthSize: 'small' }, fc.constantFrom('', ' ', ' # s', ' v'), tie('node')), {
          minLength: 1,
          maxLength: 3,
        }),
      }),
    }));
    // Lines after each line: blank, spaces only, comments at several indents.
    const fillers = ['', '   ', '# c', '  # c', '    # c ', '      # c', '        # c'];
    const input = fc.record({
      root: node,
      fillers: fc.array(fc.array(fc.constantFrom(...fillers), { maxLength: 2 }), { minLength: 40, maxLength: 40 }),
      end: fc.constantFrom('\n', '', '\n\n'),
    });
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(input, ({ root, fillers: between, end }) => {
        const lines: string[] = [];
        let key = 0;
        // `prefix` holds the dashes of list items that start on this line; `column` is where the node's entries go.
        const render = (tree: Tree, column: number, prefix: string): void => {
          tree.entries.forEach((entry, i) => {
            const pad = i === 0 && prefix ? prefix : ' '.repeat(column);
            const head = tree.seq ? `${pad}-` : `${pad}k${key++}:`;
            if (typeof entry === 'string') lines.push(head + entry);
            else if (tree.seq && i % 2 === 0) render(entry, column + 2, `${pad}- `);
            else {
              lines.push(head);
              render(entry, entry.seq && !tree.seq ? column : column + 2, '');
            }
          });
        };
        render(root, 0, '');
        const text = lines.flatMap((line, i) => [line, ...between[i % between.length]]).join('\n') + end;
        const difference = compareWithYaml(text);
        runs++;
        if (difference === undefined) fast++;
        expect(
          difference === undefined || difference === 'fallback' ? undefined : `${difference}\n--- text:\n${text}`,
        ).toBeUndefined();
      }),
      { numRuns: 2000, seed: 5171 },
    );
    // Most of them are read, not declined.
    expect(fast / runs).toBeGreaterThan(0.6);
  });
});

/**
 * Flow collections, on one line or several, inside a block map as manifests hold them: each shape must
 * take the fast path and agree with `yaml` node by node (ranges included), or be declined.
 */
describe('fast parser: flow collections', () => {
  const IN_BLOCK = (flow: string) => `metadata:\n  name: web\n  labels: ${flow}\nspec:\n  replicas: 1\n`;

  it.each([
    ['flow labels', '{app: a, tier: "b"}'],
    ['an empty map and list', '{a: {}, b: [], c: { }, d: [ ]}'],
    ['padding and spaces around commas', '{ app: a ,tier: b , c: [ x , y ] }'],
    ['a trailing comma', '[a, b,]'],
    ['nested maps and lists', '{a: [1, {b: c, d: [e, "f"]}], g: {h: {i: j}}}'],
    ['quoted scalars', `{"a": 'b', 'it''s': "x y", "k":v, e: ''}`],
    ['plain scalars with spaces, colons, dashes and hashes', '[--wait, -1, a:b, http://x/y, a#b, two words, :x]'],
    [
      'YAML 1.1 scalars',
      '[yes, No, ~, null, 0755, 0x1F, 1e3, e5, E-3, .inf, 2001-12-14, 12:30:00, 123456789012345678901]',
    ],
    ['words near them', '[yess, Falsey, nulls, onward, eeeeee, e5x, TRUE1, _1, ~x]'],
    ['several lines', '{\n    app: a,\n    tier: b\n  }'],
    ['several lines with comments between entries', '[\n    a, # one\n    # two\n    b # three\n    , c,\n  ]'],
    ['a blank line inside', '[a,\n\n    b]'],
    ['a comment after it', '{app: a} # the labels'],
  ])('reads %s', (_name, flow) => {
    expect(compareWithYaml(IN_BLOCK(flow))).toBeUndefined();
    expect(compareWithYaml(`- ${flow.replaceAll('\n  ', '\n')}\n- x\n`)).toBeUndefined();
  });

  it.each([
    ['an escape in a double-quoted scalar', '{a: "x\\ty"}'],
    ['a plain scalar over two lines', '[a\n    b]'],
    ['an empty value', '{a: , b: c}'],
    ['a pair in a sequence', '[a: b]'],
    ['an explicit key', '{? a : b}'],
    ['a key without a value', '{a, b: c}'],
    ['a merge key', '{<<: {a: b}}'],
  ])('hands %s to yaml, and agrees with it', (_name, flow) => {
    // Read by `yaml` as a fragment, or declined: never different.
    const difference = compareWithYaml(IN_BLOCK(flow));
    expect(difference === undefined || difference === 'fallback' ? undefined : difference).toBeUndefined();
  });

  it('matches yaml or declines on generated flow collections', () => {
    interface Flow {
      map: boolean;
      entries: (Flow | string)[];
    }
    const scalars = [
      'a',
      'two words',
      '"q"',
      '"q r"',
      "'s'",
      "'it''s'",
      '""',
      '-x',
      '--wait',
      'a:b',
      'a#b',
      ':x',
      '?x',
      '-',
      'yes',
      '~',
      '0755',
      '1e3',
      '"a\\"b"',
      'x ',
      'é',
    ];
    const { flow } = fc.letrec<{ flow: Flow }>((tie) => ({
      flow: fc.record({
        map: fc.boolean(),
        entries: fc.array(fc.oneof({ depthSize: 'small' }, fc.constantFrom(...scalars), tie('flow')), {
          maxLength: 4,
        }),
      }),
    }));
    // Between tokens: nothing, spaces, a line break (with the indentation drawn), a comment and a break.
    const gaps = ['', ' ', '  ', '\n', ' # c\n', '\n\n'];
    const input = fc.record({
      root: flow,
      gaps: fc.array(fc.constantFrom(...gaps), { minLength: 30, maxLength: 30 }),
      indent: fc.constantFrom(0, 2, 3, 4, 6),
      trailing: fc.boolean(),
      colon: fc.constantFrom(': ', ':', ' : '),
    });
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(input, ({ root, gaps: between, indent, trailing, colon }) => {
        let g = 0;
        const gap = () => between[g++ % between.length].replaceAll('\n', `\n${' '.repeat(indent)}`);
        let key = 0;
        const render = (node: Flow | string): string => {
          if (typeof node === 'string') return node;
          const inner = node.entries.map((e) => `${gap()}${node.map ? `k${key++}${colon}` : ''}${render(e)}${gap()}`);
          const body = inner.join(',') + (trailing && inner.length ? ',' : '');
          return node.map ? `{${body}${gap()}}` : `[${body}${gap()}]`;
        };
        const text = IN_BLOCK(render(root));
        const difference = compareWithYaml(text);
        runs++;
        if (difference === undefined) fast++;
        expect(
          difference === undefined || difference === 'fallback' ? undefined : `${difference}\n--- text:\n${text}`,
        ).toBeUndefined();
      }),
      { numRuns: 3000, seed: 4140 },
    );
    expect(fast / runs).toBeGreaterThan(0.3);
  });
});

/**
 * The fast parser reads a flow collection in one pass, up to its closing bracket wherever that is, and falls
 * back to a scan for that bracket where the reader declines. Where the one pass reads a collection, the scan
 * must find its bracket in the same place, and the reader read the same up to exactly there.
 */
describe('fast parser: a flow collection read to its closing bracket', () => {
  /** Where fast-parse.ts's scan finds the closing bracket of the collection at 0 (its line rules aside). */
  function scanEnd(src: string): number | undefined {
    let depth = 0;
    for (let i = 0; i < src.length; i++) {
      const c = src[i];
      const lineEnd = src.includes('\n', i) ? src.indexOf('\n', i) : src.length;
      if (c === '"' || c === "'") {
        let close = -1;
        for (let j = i + 1; j < lineEnd; j++) {
          if (c === '"' && src[j] === '\\') j++;
          else if (src[j] === c) {
            if (c === "'" && src[j + 1] === "'") j++;
            else {
              close = j;
              break;
            }
          }
        }
        if (close === -1) return undefined;
        i = close;
      } else if (c === '#' && (i === 0 || src[i - 1] === ' ' || src[i - 1] === '\t')) i = lineEnd - 1;
      else if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && --depth === 0) return i + 1;
    }
    return undefined;
  }

  interface Flow {
    map: boolean;
    entries: (Flow | string)[];
  }
  const scalars = ['a', 'two words', '"q"', "'it''s'", '"[x"', "'}'", 'a"b', "a'b", 'x"', 'a#b', '"a\\"b"', 'é'];
  const { flow } = fc.letrec<{ flow: Flow }>((tie) => ({
    flow: fc.record({
      map: fc.boolean(),
      entries: fc.array(fc.oneof({ depthSize: 'small' }, fc.constantFrom(...scalars), tie('flow')), { maxLength: 4 }),
    }),
  }));
  const gaps = ['', ' ', '\n  ', ' # c\n', '\n# c ]\n', ' # "\n', '\n'];
  const input = fc.record({ root: flow, gaps: fc.array(fc.constantFrom(...gaps), { minLength: 20, maxLength: 20 }) });

  it('ends where the scan ends, and reads what the reader reads up to there', () => {
    let read = 0;
    fc.assert(
      fc.property(input, fc.constantFrom('', ' # after', ', x]', '\nb: c'), ({ root, gaps: between }, after) => {
        let g = 0;
        const gap = () => between[g++ % between.length];
        let key = 0;
        const render = (node: Flow | string): string => {
          if (typeof node === 'string') return node;
          const inner = node.entries.map((e) => `${gap()}${node.map ? `k${key++}: ` : ''}${render(e)}${gap()}`);
          return node.map ? `{${inner.join(',')}${gap()}}` : `[${inner.join(',')}${gap()}]`;
        };
        const text = render(root) + after;
        const reader = new FlowParser(text, 0, text.length, PARSE_OPTIONS, true);
        const node = reader.collection();
        if (!node) return;
        read++;
        expect(scanEnd(text), text).toBe(reader.offset);
        const exact = new FlowParser(text, 0, reader.offset).collection();
        expect(diff(node, exact, '$'), text).toBeUndefined();
      }),
      { numRuns: 3000, seed: 4151 },
    );
    expect(read).toBeGreaterThan(300);
  });
});

describe('mayBeTagged', () => {
  // Every tag a plain scalar can resolve to, in YAML 1.1 (as items are read) and 1.2's core schema (what the
  // emitter quotes for); a word it says no to must match none of them.
  const tests = ['yaml-1.1', 'core'].flatMap((schema) =>
    (new Schema({ schema: schema }).tags as { default?: unknown; test?: RegExp; tag: string }[])
      .filter((tag) => tag.default === true && tag.test && tag.tag !== 'tag:yaml.org,2002:str')
      .map((tag) => tag.test!),
  );
  const piece = fc.constantFrom(
    ...['0', '7', '1_0', '.', '-', '+', 'e', 'E', 'x', 'b', 'o', ':', '~', 't', 'T', ' ', 'inf', 'nan', 'NaN'],
    ...['y', 'Yes', 'n', 'NO', 'on', 'Off', 'true', 'False', 'null', 'a', 'Z', '_', '/', '2001-12-14', 'q'],
  );
  it('says yes to every word a tag of YAML 1.1 or the core schema matches', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 5 }), (parts) => {
        const word = parts.join('');
        if (tests.some((test) => test.test(word))) expect(mayBeTagged(word), word).toBe(true);
      }),
      { numRuns: 20_000, seed: 4143 },
    );
  });

  it('decides as the regular expression it was first written as does', () => {
    const MAY_BE_TAGGED = /^(?:[-+.0-9~eE]|[FNOTYfnoty][A-Za-z]{0,4}$|$)/;
    const char = fc.constantFrom(...'-+.09~eEFNOTYfnotyAzZa_ :/\n\u00e9\u0130'.split(''));
    const words = fc.oneof(
      fc.string(),
      fc.array(char, { maxLength: 7 }).map((chars) => chars.join('')),
    );
    fc.assert(
      fc.property(words, (word) => {
        expect(mayBeTagged(word), word).toBe(MAY_BE_TAGGED.test(word));
      }),
      { numRuns: 10_000, seed: 4144 },
    );
  });
});

describe('charSet', () => {
  it("decides as a search of its string does, for every character code and for a missing character's NaN", () => {
    for (const chars of ['-?:', '-?:,[]{}#&*!|>\'"%@` \n', '&*!%@`?,]}#']) {
      const test = charSet(chars);
      for (let c = 0; c <= 0xffff; c++) if (test(c) !== chars.includes(String.fromCharCode(c))) expect(c).toBe(-1);
      expect(test(NaN)).toBe(false);
    }
  });
});

describe('fast parser on text that UTF-8 cannot carry', () => {
  it('keeps a lone surrogate and a leading byte-order mark as they are (it reads a copy only when equal)', () => {
    for (const text of ['a: x\uD800y\nb: "\uDC00"\n', '\uFEFFa: 1\n', 'a: b\uFEFF\n']) {
      expect(compareWithYaml(text), JSON.stringify(text)).toBeOneOf([undefined, 'fallback']);
    }
    expect((fastParse('a: x\uD800y\n')!.items[0] as { value: { value: string } }).value.value).toBe('x\uD800y');
  });
});
