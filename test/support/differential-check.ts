/**
 * What the differential test checks of one generated ResourceList (see differential.test.ts): every
 * property, each violation named, against `yaml` as the oracle (differential-oracle.ts).
 */
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { BUNDLE, run, runBundle } from './helpers';
import {
  itemTexts,
  notAnAddition,
  parseList,
  RECORD,
  resultsOf,
  removePath,
  uncreated,
  unfilled,
  valueAt,
  withoutFinalBreak,
  type Data,
  type Path,
} from './differential-oracle';
import {
  itemKind,
  itemName,
  jsonPackage,
  renderJsonPackage,
  renderPackage,
  renderTwin,
  yamlPackage,
  type Item,
  type JsonPackage,
  type Package,
  type Workload,
} from './yaml-corners';

/** The properties, as the issue states them; a violation names one. */
export const PROPERTIES = {
  parses: 'the output parses as a ResourceList with the same items',
  untouched: 'items that were not annotated come out byte for byte (JSON: the same data)',
  meaning: 'an injected item means the input plus exactly the recorded additions, as a plain copy gets them',
  idempotent: 'a second run over the output changes nothing',
  restores: 'the inject annotation set to "false" on the output gives the input back',
  refused: 'a refused item comes out as it came, with exit code 1 and only our lines on stderr',
} as const;
export type Property = keyof typeof PROPERTIES;
export interface Violation {
  property: Property;
  message: string;
}

const CHANGES = new Set(['injected', 'updated', 'removed']);
const FLIP = /(sidecar\.speedscale\.com\/inject["']?[ \t]*:[ \t]*)(["']?)true\2/g;
const flip = (text: string) => text.replace(FLIP, '$1$2false$2');
const withoutResults = (text: string) => text.replace(/^results:[^]*$/m, '');

/** Gives duplicate names in a package a suffix: results are told apart by kind and name. */
function uniqueNames<T extends { items: Item[] }>(p: T): T {
  const taken = new Set<string>();
  const items = p.items.map((item, i) => {
    const key = `${itemKind(item)}/${itemName(item)}`;
    const fresh = !taken.has(key);
    taken.add(key);
    if (fresh) return item;
    return 'w' in item
      ? { w: { ...item.w, name: `${item.w.name}-${i}` } }
      : { c: { ...item.c, name: `${item.c.name}-${i}` } };
  });
  return { ...p, items };
}

const twins = new Map<string, { data: Data; added: Path[] }>();
/** What the same workload with no corners gets: its data and its record. */
function twinOf(w: Workload): { data: Data; added: Path[] } {
  const text = renderTwin(w);
  let twin = twins.get(text);
  if (!twin) {
    const parsed = parseList(run(text).stdout);
    const data = parsed.items[0];
    twin = { data, added: recordOf(data) ?? [] };
    twins.set(text, twin);
  }
  return twin;
}

function recordOf(data: Data): Path[] | undefined {
  return fullRecordOf(data)?.added;
}

interface RecordData {
  added: Path[];
  created?: Path[];
  filled?: { path: Path }[];
}

function fullRecordOf(data: Data): RecordData | undefined {
  const text = valueAt(data, ['metadata', 'annotations', RECORD]);
  return typeof text === 'string' ? (JSON.parse(text) as RecordData) : undefined;
}

const plainName = (value: Data) => (typeof value === 'string' ? value : undefined);

/** Property 3 for one injected item. */
function checkMeaning(w: Workload, input: Data, output: Data, out11: Data, out12: Data): string[] {
  const problems: string[] = [];
  const added = recordOf(output)!;
  let rest = output;
  for (const path of added) {
    const removed = removePath(rest, path);
    if (!removed) {
      problems.push(`recorded ${show(path)} is not in the output`);
      continue;
    }
    const why = notAnAddition(path, removed.removed, input);
    if (why) problems.push(why);
    rest = removed.rest;
  }
  // The keys the record says it filled hold their null again once what was added under them is gone.
  rest = unfilled(uncreated(rest, fullRecordOf(output)?.created), fullRecordOf(output)?.filled);
  if (!isDeepStrictEqual(rest, input))
    problems.push(`minus its record, the output is not the input: ${firstDifference(input, rest)}`);
  const twin = twinOf(w);
  if (!isDeepStrictEqual(added, twin.added))
    problems.push(`record ${show(added)} differs from a plain copy's ${show(twin.added)}`);
  // (the record itself is compared as paths, above: a created map that holds it is compared without it)
  const recordless = (path: Path, data: Data) => {
    const value = valueAt(data, path);
    if (show(path) !== show(['metadata', 'annotations']) || !value || typeof value !== 'object') return value;
    const rest = { ...(value as Record<string, Data>) };
    delete rest[RECORD];
    return rest;
  };
  for (const path of added) {
    if (path[path.length - 1] !== RECORD && !isDeepStrictEqual(recordless(path, output), recordless(path, twin.data)))
      problems.push(
        `${show(path)} differs from a plain copy's: ${firstDifference(valueAt(twin.data, path), valueAt(output, path))}`,
      );
    if (!isDeepStrictEqual(valueAt(out11, path), valueAt(out12, path)))
      problems.push(
        `${show(path)} means something else to a YAML 1.2 reader: ${firstDifference(valueAt(out11, path), valueAt(out12, path))}`,
      );
  }
  // The names the function copies into what it adds, as a 1.2 reader takes them.
  const name = plainName(valueAt(input, ['metadata', 'name']));
  const sidecar = added.find((p) => JSON.stringify(p[p.length - 1]) === '{"name":"speedscale-goproxy"}');
  const appLabel = sidecar && valueAt(out12, [...sidecar, 'env', { name: 'APP_LABEL' }, 'value']);
  if (sidecar && appLabel !== name)
    problems.push(`APP_LABEL is ${show(appLabel)} to a YAML 1.2 reader, not ${show(name)}`);
  const dc = added.find(
    (p) => p[p.length - 1] === 'kubectl.kubernetes.io/default-container' || p[p.length - 1] === 'annotations',
  );
  const first = w.containers[0].name;
  if (dc) {
    const value = valueAt(out12, [
      ...dc.slice(0, dc.lastIndexOf('annotations') + 1),
      'kubectl.kubernetes.io/default-container',
    ]);
    if (value !== undefined && value !== first)
      problems.push(`default-container is ${show(value)} to a YAML 1.2 reader, not ${show(first)}`);
  }
  return problems;
}

function firstDifference(a: Data, b: Data, path: string[] = []): string {
  if (isDeepStrictEqual(a, b)) return 'none';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (!isDeepStrictEqual((a as any)[k], (b as any)[k]))
        return firstDifference((a as any)[k], (b as any)[k], [...path, k]);
  }
  return `at ${path.join('.') || 'the root'}: expected ${show(a)}, got ${show(b)}`;
}
/** Where two texts part, a few lines of each from there: enough to see a misplaced or lost line. */
function textDiff(expected: string | undefined, got: string | undefined): string {
  const a = (expected ?? '').split('\n');
  const b = (got ?? '').split('\n');
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  const from = Math.max(0, at - 1);
  return `from line ${at + 1}: expected ${show(a.slice(from, at + 3).join('\n'))}, got ${show(b.slice(from, at + 3).join('\n'))}`;
}
const show = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

/** Our own lines only on stderr, and exit code 1 exactly when there is an error result. */
function statusProblems(stderr: string, exitCode: number, results: Record<string, any>[]): string[] {
  const problems: string[] = [];
  const foreign = stderr.split('\n').filter((l) => l && !l.startsWith('sidecar-injector: '));
  if (foreign.length) problems.push(`stderr has lines not ours: ${JSON.stringify(foreign.slice(0, 3))}`);
  const errors = results.some((r) => r.severity === 'error');
  if ((exitCode === 1) !== errors) problems.push(`exit code ${exitCode} with${errors ? '' : 'out'} an error result`);
  return problems;
}

export interface Subject {
  input: string;
  items: Item[];
  /** The items' texts in the input, or undefined for JSON (compared as data). */
  texts?: string[];
  itemsColumn: number;
  eol?: string;
  bom: boolean;
}

export const seen = { packages: 0, injected: 0, refused: 0, untouched: 0, bundle: 0 };

function examine(s: Subject): Violation[] {
  const violations: Violation[] = [];
  const fail = (property: Property, message: string) => violations.push({ property, message });
  const out = run(s.input);
  const parsed = parseList(out.stdout);
  const input = parseList(s.input);
  seen.packages++;
  if (parsed.errors.length) fail('parses', `yaml: ${parsed.errors[0]}`);
  if (parsed.kind !== 'ResourceList' || parsed.items.length !== s.items.length) {
    fail('parses', `${String(parsed.kind)} with ${parsed.items.length} items, not ${s.items.length}`);
    return violations;
  }
  const outTexts = s.texts && itemTexts(out.stdout, s.itemsColumn);
  if (s.texts && outTexts!.length !== s.items.length) fail('parses', `the output's items cannot be told apart by line`);
  if (s.bom !== out.stdout.startsWith('\uFEFF'))
    fail('untouched', s.bom ? 'the byte-order mark is dropped' : 'a byte-order mark appears');
  const itemsRegion = withoutResults(out.stdout);
  if (s.eol === '\r\n' && /(?<!\r)\n/.test(itemsRegion)) fail('untouched', 'a CRLF file gets LF-only lines');
  if (s.eol === '\n' && itemsRegion.includes('\r')) fail('untouched', 'an LF file gets CR characters');
  violations.push(
    ...statusProblems(out.stderr, out.exitCode, parsed.results).map((m) => ({
      property: 'refused' as const,
      message: m,
    })),
  );

  const sameText = (i: number, a: string[] | undefined, b: string[] | undefined) =>
    !a || !b || withoutFinalBreak(a)[i] === withoutFinalBreak(b)[i];
  const detail = (i: number) =>
    s.texts
      ? textDiff(withoutFinalBreak(s.texts)[i], withoutFinalBreak(outTexts!)[i])
      : firstDifference(input.items[i], parsed.items[i]);
  s.items.forEach((item, i) => {
    const name = itemName(item);
    const mine = parsed.results.filter(
      (r) =>
        (r.resourceRef?.name === name && r.resourceRef?.kind === itemKind(item)) ||
        String(r.message).startsWith(`item ${i}: `),
    );
    const refused = mine.some((r) => r.severity === 'error');
    const annotated = 'w' in item && (item.w.annotated === 'workload' || item.w.annotated === 'template');
    const label = `item ${i} (${itemKind(item)} ${name})`;
    const same = s.texts ? sameText(i, s.texts, outTexts) : isDeepStrictEqual(input.items[i], parsed.items[i]);
    if (refused) {
      seen.refused++;
      if (!same)
        fail(
          'refused',
          `${label} is refused (${mine.find((r) => r.severity === 'error')?.message}) but changed ${detail(i)}`,
        );
      if (out.exitCode !== 1) fail('refused', `${label} is refused but the exit code is ${out.exitCode}`);
      // A refusal is a designed one (unplaceable, unsafe-edit, ...): an exception on valid YAML is a bug.
      const crash = mine.find((r) => r.tags?.reason === 'internal-error');
      if (crash) fail('refused', `${label}: ${crash.message}`);
    } else if (!annotated) {
      seen.untouched++;
      if (!same) fail('untouched', `${label} is not annotated but changed ${detail(i)}`);
    } else if (!recordOf(parsed.items[i])) {
      fail(
        'meaning',
        `${label} is annotated but neither injected nor refused: ${JSON.stringify(mine.map((r) => r.message))}`,
      );
    } else {
      seen.injected++;
      for (const m of checkMeaning(item.w, input.items[i], parsed.items[i], parsed.items11[i], parsed.items12[i]))
        fail('meaning', `${label}: ${m}`);
    }
  });

  const second = run(withoutResults(out.stdout));
  if (withoutResults(second.stdout) !== itemsRegion) {
    fail('idempotent', `the second run changes the items ${textDiff(itemsRegion, withoutResults(second.stdout))}`);
  }
  const changed = resultsOf(second.stdout).filter((r) => CHANGES.has(r.tags?.reason));
  if (changed.length)
    fail(
      'idempotent',
      `the second run reports ${changed.map((r) => `${r.resourceRef?.name}: ${r.tags.reason}`).join(', ')}`,
    );

  const off = run(flip(out.stdout));
  if (s.texts) {
    const expected = withoutFinalBreak(itemTexts(flip(s.input), s.itemsColumn));
    const got = withoutFinalBreak(itemTexts(off.stdout, s.itemsColumn));
    expected.forEach((t, i) => {
      if (t !== got[i]) fail('restores', `item ${i}: ${textDiff(t, got[i])}`);
    });
  } else {
    const expected = parseList(flip(s.input)).items;
    const got = parseList(off.stdout).items;
    expected.forEach((d, i) => {
      if (!isDeepStrictEqual(d, got[i])) fail('restores', `item ${i}: ${firstDifference(d, got[i])}`);
    });
  }

  // The built bundle, for a share of the packages: same output, our lines only, the same exit code.
  if (existsSync(BUNDLE) && s.input.length % 10 === 0) {
    seen.bundle++;
    const bundle = runBundle(s.input);
    if (bundle.stdout !== out.stdout) fail('refused', 'the bundle writes other output than the in-process run');
    for (const m of statusProblems(bundle.stderr, bundle.exitCode, parsed.results)) fail('refused', `bundle: ${m}`);
  }
  return violations;
}

const cache = new Map<string, Violation[]>();
export function violationsOf(s: Subject): Violation[] {
  let v = cache.get(s.input);
  if (!v) cache.set(s.input, (v = examine(s)));
  return v;
}

/** fast-check prints a counterexample as its input text alone: the one thing a reproducer needs. */
const printed = (s: Subject): Subject =>
  Object.assign(s, { [fc.toStringMethod]: () => `\n${s.input}\n${JSON.stringify(s.input)}` });

export function yamlSubject(p: Package): Subject {
  const pkg = uniqueNames(p);
  const r = renderPackage(pkg);
  const texts = itemTexts(r.text, r.itemsColumn);
  return printed({
    input: r.text,
    items: pkg.items,
    texts,
    itemsColumn: r.itemsColumn,
    eol: r.eol,
    bom: pkg.style.bom,
  });
}

export function jsonSubject(p: JsonPackage): Subject {
  const pkg = uniqueNames(p);
  return printed({ input: renderJsonPackage(pkg), items: pkg.items, itemsColumn: 0, bom: false });
}

export const yamlSubjects = yamlPackage.map(yamlSubject);
export const jsonSubjects = jsonPackage.map(jsonSubject);
