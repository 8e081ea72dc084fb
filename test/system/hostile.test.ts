/**
 * Hostile and broken input, through the built bundle as a process: each case gives either a correct
 * result or exactly one line on stderr, never a stack trace, a hang or a partial stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { kebab } from '../../fn/config/schema';
import { itemSyntaxError } from '../../fn/krm/split';
import { looksMalformed } from '../../fn/yaml/scan';
import { splitResourceList } from '../../fn/krm/split';
import { BUNDLE, itemsOf, resultsOf, ROOT, runBundle, type ProcessOutput } from '../support/helpers';

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const list = (items: string) => `${HEAD}items:\n${items}`;
const ANNOTATED = '  metadata:\n    name: web\n    annotations:\n      sidecar.speedscale.com/inject: "true"\n';
const deployment = (extra = '') =>
  `- apiVersion: apps/v1\n  kind: Deployment\n${ANNOTATED}  spec:\n` +
  `    selector: {matchLabels: {app: web}}\n    template:\n      metadata: {labels: {app: web}}\n` +
  `      spec:\n        containers:\n        - name: web\n          image: nginx\n${extra}`;
const scratch = mkdtempSync(join(tmpdir(), 'hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Exit 1 and exactly one stderr line, matching `pattern`, with no stack trace: that line. */
function oneErrorLine(out: ProcessOutput, pattern: RegExp): string {
  expect(out.exitCode).toBe(1);
  const lines = out.stderr.trimEnd().split('\n');
  expect(lines, out.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^sidecar-injector: /);
  expect(lines[0]).toMatch(pattern);
  expect(out.stderr).not.toMatch(/\n\s+at |node:internal|Error:/);
  return lines[0].replace('sidecar-injector: ', '');
}

/** Failed cleanly: one stderr line matching `pattern`, and a whole ResourceList with no items and that error. */
function expectOneLineError(out: ProcessOutput, pattern: RegExp) {
  const message = oneErrorLine(out, pattern);
  expect(itemsOf(out.stdout)).toEqual([]);
  expect(resultsOf(out.stdout)).toEqual([{ message, severity: 'error' }]);
}

/**
 * One item failed: one stderr line matching `pattern`, every item out as it came (`items`), and the same
 * line as the one error result, tagged with `reason`.
 */
function expectItemError(out: ProcessOutput, pattern: RegExp, items: string[], reason = 'malformed-yaml') {
  const message = oneErrorLine(out, pattern);
  expect(itemsOf(out.stdout)).toEqual(items);
  expect(resultsOf(out.stdout)).toEqual([{ message, severity: 'error', tags: { reason } }]);
}

// Output streams out item by item, so a broken item cannot fail the list after the fact: it is copied
// through as it came, the run fails (exit 1), and the error names the item and its line in the input.
describe('malformed YAML anywhere: the item as it came, and one line naming the item and the line', () => {
  const untouched = '- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: ok}\n';
  it.each([
    [
      'unclosed flow map in an item nobody parses',
      `${untouched}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: broken\n`,
      /item 1 \(line \d+, column \d+\): malformed YAML: Flow map/,
    ],
    [
      'unclosed flow sequence',
      `${untouched}- kind: A\n  data: [1, 2\n  other: x\n`,
      /item 1 \(line \d+, column \d+\).*Flow sequence/,
    ],
    [
      'unclosed double quote',
      `- kind: A\n  data: "abc\n${untouched}`,
      /item 0 \(line \d+, column \d+\): malformed YAML: Missing closing "quote/,
    ],
    ['unclosed single quote', `- kind: A\n  data: 'it''s\n`, /item 0 .*Missing closing 'quote/],
    ['a deeper key after a scalar value', `${untouched}- kind: A\n  a: 1\n   b: 2\n`, /item 1 \(line 8, column \d+\)/],
    [
      'dedent to a column no block uses',
      `- kind: A\n  a:\n    x: 1\n   b: 2\n`,
      /item 0 \(line 7, column \d+\).*same column/,
    ],
    ['text after a closed quote', `- kind: A\n  a: "x" y\n`, /item 0 \(line 5/],
    // The opener and the comma on the value's own line: the scan enters the collection between them.
    ['a comma first in a flow sequence', `${untouched}- kind: A\n  args: [, b]\n`, /item 1 \(line \d+.*malformed YAML/],
    ['a comma first in a flow map', `${untouched}- kind: A\n  data: { , a: b}\n`, /item 1 \(line \d+.*malformed YAML/],
    [
      'a duplicate key in a candidate',
      deployment().replace('    name: web\n', '    name: web\n    name: again\n'),
      /item 0 \(line 8, column \d+\): malformed YAML: Map keys must be unique/,
    ],
    // A tab at the start of a line belongs to the item it is in: that item is flagged, the list is read.
    [
      'a tab as indentation',
      `- kind: A\n  a:\n\t  b: 1\n`,
      /item 0 \(line 6, column 1\): malformed YAML: Tabs are not allowed/,
    ],
  ])('%s', (_name, items, pattern) => {
    const input = list(items);
    expectItemError(runBundle(input), pattern, itemsOf(input));
  });

  it('every broken item is reported, and the items around it are still processed', () => {
    const broken = '- kind: A\n  data: "abc\n';
    const input = list(deployment() + broken + untouched + deployment().replace('name: web', 'name: api'));
    const out = runBundle(input);
    expect(out.exitCode).toBe(1);
    const items = itemsOf(out.stdout);
    expect(items).toHaveLength(4);
    expect(items[1]).toBe(broken);
    expect(items[2]).toBe(untouched);
    expect(items.filter((item) => item.includes('name: speedscale-goproxy'))).toHaveLength(2);
    // yaml places a missing quote where the item ends: the line after `data: "abc`.
    const line = input.slice(0, input.indexOf(broken)).split('\n').length + 2;
    expect(resultsOf(out.stdout).filter((r) => r.severity === 'error')).toEqual([
      expect.objectContaining({ message: `item 1 (line ${line}, column 1): malformed YAML: Missing closing "quote` }),
    ]);
  });

  // Known limit, by design: duplicate keys are not a line-level error, and an item nobody parses is copied
  // through unchanged (kubectl rejects it later). Candidates are parsed and fail as above.
  it('a duplicate key in an item nobody parses is copied through unchanged', () => {
    const item = '- kind: A\n  metadata: {name: x}\n  metadata: {name: y}\n';
    const out = runBundle(list(untouched + item));
    expect(out.exitCode).toBe(0);
    expect(itemsOf(out.stdout)).toEqual([untouched, item]);
  });

  // `yaml` reports an undefined alias only when it resolves aliases; parseResource does that on its
  // slow path, so the run fails rather than writing `*nowhere` into an injected workload.
  it('an undefined alias in a candidate fails the run', () => {
    const item = deployment('          args: *nowhere\n');
    expectItemError(runBundle(list(item)), /item 0\b.*malformed YAML: .*nowhere/, [item]);
  });

  it('malformed YAML in the ResourceList itself', () =>
    expectOneLineError(runBundle(`${HEAD}functionConfig: {a: [\nitems: []\n`), /malformed YAML/));
});

describe('the scanner is conservative and cheap', () => {
  const fixtures = readFileSync(join(ROOT, 'fixtures/every-kind/input.yaml'), 'utf8');
  it('flags nothing in valid lists that yaml reads cleanly, and confirms every flag with a parse', () => {
    const valid = [
      fixtures,
      list(
        '- kind: A\n  a: "multi\n    line"\n  b: [1,\n    2]  # c\n  c: {x: "y", z: \'it\'\'s\'}\n  d: |\n' +
          '    "unclosed [ {\n    \ttab inside\n  e: >-\n    folded\n  f: &x [1]\n  g: *x\n  "quoted key": v\n' +
          '  h: plain "quote" inside\n',
      ),
      list('- kind: A\n  a: this is\n    a multi-line plain scalar\n  b: 1\n'),
    ];
    for (const text of valid) {
      expect(parseDocument(text).errors).toEqual([]);
      const split = splitResourceList(text)!;
      expect(split.items.map((_, i) => itemSyntaxError(split, i)).filter(Boolean)).toEqual([]);
    }
    // A multi-line plain scalar is a false alarm the parse clears; ordinary manifests raise none.
    expect(splitResourceList(fixtures)!.items.filter(looksMalformed)).toEqual([]);
  });

  // Its cost is measured by the benchmark (none-10000 in bench/RESULTS.md), not by a timed test; what keeps
  // it cheap is that ordinary workloads never send it to a parse.
  it('sends none of the benchmark workloads to a parse', async () => {
    const { resourceList } = await import('../../bench/generate.mjs');
    const split = splitResourceList(resourceList('half', 2000))!;
    expect(split.items.filter(looksMalformed)).toEqual([]);
  });
});

describe('not a ResourceList, or not a usable one', () => {
  it.each([
    ['empty stdin', '', /empty input/],
    ['only whitespace and comments', '\n  \n# nothing\n', /empty input|not a|ResourceList/],
    [
      'a plain resource',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      /expected kind ResourceList, got "ConfigMap": for plain manifests, run `sidecar-injector inject -f FILE`/,
    ],
    [
      'a plain resource in block style',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n',
      /expected kind ResourceList, got "Deployment": for plain manifests/,
    ],
    ['a scalar document', 'just text\n', /ResourceList|not a YAML map/],
    ['a list document', '- a\n- b\n', /ResourceList|not a YAML map/],
    [
      'wrong kind',
      'apiVersion: config.kubernetes.io/v1\nkind: List\nitems: []\n',
      /expected kind ResourceList, got "List"/,
    ],
    ['wrong apiVersion', 'apiVersion: v9\nkind: ResourceList\nitems: []\n', /unsupported ResourceList apiVersion "v9"/],
    ['items is a map', `${HEAD}items: {a: 1}\n`, /items must be a list|items list/],
    ['items is a scalar', `${HEAD}items: 3\n`, /items must be a list|items list/],
    ['no items', `${HEAD}functionConfig: {}\n`, /no items|items list/],
    [
      'two documents',
      `${HEAD}items: []\n---\n${HEAD}items: []\n`,
      /several YAML documents \(separated by ---\): expected one ResourceList/,
    ],
    ['malformed JSON', '{"apiVersion": "config.kubernetes.io/v1", "items": [', /malformed JSON/],
  ])('%s', (_name, input, pattern) => expectOneLineError(runBundle(input), pattern));

  it('non-UTF-8 bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from(list('- kind: ConfigMap\n  data: {a: "')),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}\n'),
    ]);
    expectOneLineError(runBundle(bytes), /input is not valid UTF-8/);
  });

  it('a UTF-8 byte order mark is read, not rejected', () => {
    const out = runBundle(`\uFEFF${list('- kind: ConfigMap\n  metadata: {name: a}\n')}`);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    if (out.exitCode === 0) expect(itemsOf(out.stdout)).toHaveLength(1);
    else expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('odd items: kept, in order, and reported when they ask for injection', () => {
  it('items without kind, metadata or anything pass through byte for byte; one that is no map is an error', () => {
    const items = [
      '- {}\n',
      '- just a string\n',
      '- 42\n',
      '- [a, b]\n',
      '- kind: Deployment\n',
      '- metadata: {name: x}\n',
      '- apiVersion: apps/v1\n  kind: Deployment\n  spec: 3\n',
    ];
    const out = runBundle(list(items.join('')));
    expect(out.exitCode).toBe(1);
    expect(itemsOf(out.stdout)).toEqual(items);
    // The KRM contract takes resources only (kpt refuses such a list): each is named, at its line.
    expect(resultsOf(out.stdout).map((r) => [r.tags?.reason, r.message.split(', not a resource')[0]])).toEqual([
      ['not-a-resource', 'item 1 (line 5, column 3): a scalar ("just a string")'],
      ['not-a-resource', 'item 2 (line 6, column 3): a scalar (42)'],
      ['not-a-resource', 'item 3 (line 7, column 3): a list'],
    ]);
  });

  it('a workload asking for injection without a pod template gets an error result, not silence', () => {
    const item = `- apiVersion: apps/v1\n  kind: Deployment\n${ANNOTATED}  spec: {replicas: 1}\n`;
    const out = runBundle(list(item));
    expect(out.exitCode).toBe(1);
    expect(itemsOf(out.stdout)).toEqual([item]);
    expect(resultsOf(out.stdout)).toEqual([
      expect.objectContaining({ severity: 'error', tags: { reason: 'no-pod-template' } }),
    ]);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a container that merges another (<<: *base) is judged with what it inherits', () => {
    const item = (port: number) =>
      `- apiVersion: apps/v1\n  kind: Deployment\n${ANNOTATED}  spec:\n` +
      `    selector: {matchLabels: {app: web}}\n    template:\n      metadata: {labels: {app: web}}\n` +
      `      spec:\n        containers:\n        - &base\n          name: web\n          image: nginx\n` +
      `          ports:\n          - containerPort: ${port}\n` +
      `        - <<: *base\n          name: admin\n`;
    const out = runBundle(list(item(8080)));
    expect(out.stderr).toBe('');
    expect(itemsOf(out.stdout)[0]).toContain('name: speedscale-goproxy');
    // `admin` lists no ports of its own: the clash it inherits is still found.
    const clash = runBundle(list(item(4143)));
    expect(clash.exitCode).toBe(1);
    expect(itemsOf(clash.stdout)).toEqual([item(4143)]);
    expect(resultsOf(clash.stdout).map((r) => r.message)).toEqual([
      expect.stringMatching(/container web already listens on 4143/),
      expect.stringMatching(/container admin already listens on 4143/),
    ]);
  });

  it('duplicate items are neither merged nor dropped', () => {
    const out = runBundle(list(deployment() + deployment()));
    expect(out.exitCode).toBe(0);
    const items = itemsOf(out.stdout);
    expect(items).toHaveLength(2);
    expect(items[0]).toBe(items[1]);
    expect(items[0]).toContain('name: speedscale-goproxy');
  });
});

// What the injection copies into the pod: a control character (a NUL, raw or as the `\0` escape) or a name
// Kubernetes refuses is an error at its line, the item out as it came (issue 23; the command line: hostile-cli.test.ts).
describe('names and values copied into the pod', () => {
  const named = (name: string) => deployment().replace('    name: web\n', `    name: ${name}\n`);
  it.each([
    ['a raw NUL', 'we\u0000b', 'metadata.name contains the control character U+0000 (NUL)', 'control-character'],
    ['the \\0 escape', '"we\\0b"', 'metadata.name contains the control character U+0000 (NUL)', 'control-character'],
    ['a carriage return', '"we\\rb"', 'metadata.name contains the control character U+000D', 'control-character'],
    ['an upper-case name', 'Web', 'metadata.name "Web" is not a valid Kubernetes name', 'invalid-name'],
    // A bidirectional override would lay the message out backwards: escaped, as every name the reports print.
    [
      'a right-to-left override',
      '"web\u202Egpj"',
      'metadata.name "web\\u202egpj" is not a valid Kubernetes',
      'invalid-name',
    ],
  ])('%s in the name: an error naming the field and its line, the item unchanged', (_what, name, message, reason) => {
    const item = named(name);
    const out = runBundle(list(item));
    expect(out.exitCode).toBe(1);
    expect(itemsOf(out.stdout)).toEqual([item]);
    const [result] = resultsOf(out.stdout);
    expect(result.message).toContain(message);
    expect(result.tags).toEqual({ reason });
    expect(result.field).toEqual({ path: 'metadata.name' });
    // One line on stderr, the name's control characters escaped, none raw.
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(out.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('a control character in a setting given by the functionConfig', () => {
    const out = runBundle(resourceListWithConfig(deployment(), 'image: "gcr.io/x\\u0000:1"'));
    expect(out.exitCode).toBe(1);
    expect(itemsOf(out.stdout)[0]).not.toContain('speedscale-goproxy');
    expect(out.stderr).toContain('setting image contains the control character U+0000 (NUL)');
  });
});

describe('resource exhaustion', () => {
  const bomb = (indent: string) => {
    let text = `${indent}a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n`;
    for (let i = 1; i < 12; i++)
      text += `${indent}a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    return text;
  };

  // 10^12 nodes if expanded: it would never finish, so the test's own time limit is the hang check.
  it('an alias bomb in the functionConfig is bounded: one line', () => {
    expectOneLineError(runBundle(`${HEAD}functionConfig:\n${bomb('  ')}items: []\n`), /alias/i);
  }, 30_000);

  it('an alias bomb in an item nobody parses passes through unexpanded', () => {
    const item = `- kind: ConfigMap\n  data:\n${bomb('    ')}`;
    const out = runBundle(list(item));
    expect(out.exitCode).toBe(0);
    expect(itemsOf(out.stdout)).toEqual([item]);
  });

  it('an alias bomb in a workload is never expanded into the output', () => {
    const out = runBundle(list(deployment(bomb('          ').replace(/^ {10}a0/m, '          a0'))));
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(out.stdout.length).toBeLessThan(100_000);
    expect(out.exitCode === 0 || out.stderr.trim().split('\n').length >= 1).toBe(true);
  });

  it('deeply nested flow in an item nobody parses is copied through', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const item = `- kind: ConfigMap\n  data: ${deep}\n`;
    const out = runBundle(list(item));
    expect(out.exitCode).toBe(0);
    expect(itemsOf(out.stdout)).toEqual([item]);
  });

  it.each([
    ['flow', `  x: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`],
    ['block', `  x:\n${Array.from({ length: 5000 }, (_, i) => `${'  '.repeat(i + 2)}a:\n`).join('')}`],
  ])('deeply nested %s input in a workload: a clear error, no stack overflow crash', (_name, extra) => {
    const item = `- kind: Pod\n  apiVersion: v1\n${ANNOTATED}${extra}`;
    const out = runBundle(list(item));
    expect(out.stderr).not.toMatch(/\n\s+at |RangeError/);
    if (out.exitCode === 0) expect(itemsOf(out.stdout)).toHaveLength(1);
    else
      expectItemError(
        out,
        /item 0\b.*(nested too deeply|malformed YAML)/,
        [item],
        out.stderr.includes('nested') ? 'too-deep' : 'malformed-yaml',
      );
  });

  // Its memory and time are the benchmark's business (bench/RESULTS.md); here: it completes, whole and right.
  it('a 100 MB input completes: every item out, the annotated ones injected', () => {
    // About 100 MB of ConfigMaps, with an annotated Deployment every 1,000 items.
    const filler = (i: number) =>
      `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-${i}\n  data:\n    # a comment\n    value: "${'x'.repeat(900)}"\n`;
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 100e6; i++) {
      const item = i % 1000 === 0 ? deployment() : filler(i);
      parts.push(item);
      size += item.length;
    }
    const file = join(scratch, 'big.yaml');
    writeFileSync(file, list(parts.join('')));
    // Counted in a pipe, so the test process never holds the 100 MB output.
    const child = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${BUNDLE}" < "${file}" | grep -c -e '^- apiVersion' -e '- name: speedscale-goproxy'`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    const injected = parts.filter((p) => p.includes('kind: Deployment')).length;
    expect(injected).toBeGreaterThan(90);
    expect(Number(child.stdout.trim())).toBe(parts.length + injected);
  }, 180_000);
});

describe('a closed stdout', () => {
  it('EPIPE: exits non-zero with one line, no stack trace', () => {
    // About 5 MB of output: far more than a pipe buffer, so the writer meets the closed pipe.
    const file = join(scratch, 'epipe.yaml');
    writeFileSync(
      file,
      list(
        Array.from(
          { length: 20_000 },
          (_, i) => `- kind: ConfigMap\n  metadata: {name: c${i}}\n  data: {a: "${'y'.repeat(200)}"}\n`,
        ).join(''),
      ),
    );
    const child = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BUNDLE}" < "${file}" 2>"${scratch}/err" | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}`,
      ],
      { encoding: 'utf8' },
    );
    const stderr = readFileSync(join(scratch, 'err'), 'utf8');
    expect(Number(child.stdout.trim())).not.toBe(0);
    expect(stderr.trimEnd().split('\n')).toEqual([
      'sidecar-injector: cannot write stdout: the reader closed it (EPIPE)',
    ]);
  });
});

describe('wrong types in every config key and annotation (driven by the schema)', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/sidecar-injector.v1alpha1.json'), 'utf8')) as {
    properties: Record<string, { type: string; enum?: string[]; 'x-annotation'?: boolean; pattern?: string }>;
  };
  const keys = Object.entries(schema.properties);
  /** YAML text of a value of the wrong type for the key. */
  const wrong = (type: string): string[] =>
    type === 'string'
      ? ['[a, b]', '{a: 1}']
      : type === 'integer'
        ? ['"not a number"', '[1]', '1.5']
        : type === 'boolean'
          ? ['maybe', '[true]', '{a: 1}']
          : ['"a string"', '42', '{a: 1}'];

  it.each([0, 1, 2])('typed SidecarInjector spec, variant %i: every key reported, nothing changed', (variant) => {
    const spec = keys.map(([key, p]) => `    ${key}: ${wrong(p.type)[variant % wrong(p.type).length]}\n`).join('');
    const fc = `  apiVersion: sidecar.speedscale.com/v1alpha1\n  kind: SidecarInjector\n  metadata: {name: c}\n  spec:\n${spec}`;
    const input = `${list(deployment())}functionConfig:\n${fc}`;
    const out = runBundle(input);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(itemsOf(out.stdout)).toEqual([deployment()]);
    const results = resultsOf(out.stdout);
    for (const [key] of keys) {
      expect(
        results.some((r) => r.severity === 'error' && JSON.stringify(r).includes(key)),
        `${key} reported`,
      ).toBe(true);
    }
    expect(out.stderr.trim().split('\n').length).toBe(results.filter((r) => r.severity === 'error').length);
  });

  it('ConfigMap data with non-string values for every key: reported, nothing changed', () => {
    const data = keys
      .map(([key, p]) => `    ${key}: ${p.type === 'string' ? '{a: 1}' : '"definitely not valid"'}\n`)
      .join('');
    const out = runBundle(
      `${list(deployment())}functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: function-input}\n  data:\n${data}`,
    );
    expect(out.exitCode).toBe(1);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(itemsOf(out.stdout)).toEqual([deployment()]);
    expect(resultsOf(out.stdout).some((r) => r.severity === 'error')).toBe(true);
  });

  const annotationKeys = keys.filter(([, p]) => p['x-annotation']).map(([key, p]) => [key, p.type] as const);
  it('has annotation keys', () => expect(annotationKeys.length).toBeGreaterThan(20));

  it('every annotation with a non-string or invalid value: an error naming it, the workload unchanged', () => {
    const invalid = (type: string, key: string): string[] => {
      const values = ['{a: 1}', '[x]'];
      if (type === 'integer') values.push('"seventy"', '"70000"', '"-1"');
      if (type === 'boolean') values.push('"yes please"', '"2"');
      if (schema.properties[key].enum) values.push('"no-such-choice"');
      if (schema.properties[key].pattern) values.push('"has spaces\\tand a tab"');
      return values;
    };
    const cases = annotationKeys
      .filter(([key]) => key !== 'inject')
      .flatMap(([key, type]) => invalid(type, key).map((value) => ({ key, value })));
    const items = cases.map(({ key, value }, i) =>
      deployment()
        .replace('    name: web\n', `    name: w${i}\n`)
        .replace(
          '      sidecar.speedscale.com/inject: "true"\n',
          `      sidecar.speedscale.com/inject: "true"\n      sidecar.speedscale.com/${kebab(key)}: ${value}\n`,
        ),
    );
    const out = runBundle(list(items.join('')));
    expect(out.exitCode).toBe(1);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    const after = itemsOf(out.stdout);
    expect(after).toHaveLength(items.length);
    const results = resultsOf(out.stdout);
    const missed: string[] = [];
    cases.forEach(({ key, value }, i) => {
      const mine = results.filter((r) => r.resourceRef?.name === `w${i}`);
      const named = mine.some(
        (r) => r.severity === 'error' && String(r.message).includes(`sidecar.speedscale.com/${kebab(key)}`),
      );
      if (!named || after[i] !== items[i])
        missed.push(`${kebab(key)}: ${value} -> ${JSON.stringify(mine.map((r) => r.message))}`);
    });
    expect(missed).toEqual([]);
  });
});

/** A ResourceList of `items` with a ConfigMap functionConfig holding `data` (one `key: value` line). */
function resourceListWithConfig(items: string, data: string): string {
  return `${list(items)}functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n    ${data}\n`;
}
