/**
 * A small block-YAML emitter for the plain data the function renders (containers, labels, results).
 * It produces exactly what `yaml`'s Document.toString would, but strings are rendered once and cached,
 * and the structure is written directly: rendering was the largest cost on big packages.
 * Multi-line strings are left to `yaml` (block scalar folding is its business, not ours).
 */
import { Document, Schema, type ScalarTag } from 'yaml';
import { anyOf, implicitTag, mayBeTagged } from './fast-scalars';
import { stringInBoth } from './plain-shapes';

/**
 * How new text is written: YAML 1.1 as Kubernetes reads it, and every string a YAML 1.2 reader would take
 * for something else (`0o17`, a number to 1.2's core schema) quoted as well: `yaml`'s `compat` option.
 */
export const WRITE_OPTIONS = { version: '1.1', compat: 'core' } as const;

/**
 * The YAML 1.2 core schema's tags other than strings: what `compat` quotes a plain string for. Made when
 * first needed, as fast-scalars.ts makes its own (most strings' shapes decide without it).
 */
let coreTags: RegExp | undefined;
const coreTagTest = (): RegExp =>
  (coreTags ??= anyOf(
    (new Schema({ schema: 'core' }).tags as ScalarTag[])
      .filter((tag) => tag.default === true && tag.test && tag.tag !== 'tag:yaml.org,2002:str')
      .map((tag) => tag.test!),
  ));
const readAsOther = (value: string): boolean =>
  mayBeTagged(value) && (!!implicitTag(value) || (!stringInBoth(value) && coreTagTest().test(value)));

/** The indentation style of the file new lines go into (learned by block-edit.ts detectStyle). */
export interface Style {
  /** Spaces per nesting level. */
  indent: number;
  /** `key:\n  - item` (true) or `key:\n- item` (false, what kubectl and kpt write). */
  indentSeq: boolean;
}

const OPTIONS = { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' } as const;
/** Strings as written, bounded (values such as workload names are new each time). */
const strings = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/**
 * `yaml`'s own tests: a string it cannot write plain (plainString), and characters it escapes in double
 * quotes. With them the emitter writes one-line strings as `yaml` would without calling it:
 * test/unit/emit.test.ts compares the two on words near every edge and on generated strings.
 */
const CANNOT_BE_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// eslint-disable-next-line no-control-regex -- the control characters `yaml` escapes are what it looks for
const ESCAPED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(?:---|\.\.\.)/;

/** Thrown while emitting when a value needs `yaml` itself (multi-line strings, big integers, ...). */
const NOT_PLAIN = Symbol('not plain');

function scalar(value: unknown): string {
  // The common cases need no call into `yaml` (whose first call is costly in a short-lived process), and
  // the same strings come back for every workload: keep what each became.
  if (typeof value === 'string') {
    let text = strings.get(value);
    if (text === undefined) {
      text = stringText(value);
      if (strings.size > CACHE_LIMIT) strings.clear();
      strings.set(value, text);
    }
    return text;
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sentinel caught in this module, no stack to build
  } else if (typeof value !== 'boolean' && value !== null) throw NOT_PLAIN;
  else return String(value);
  return rendered(value);
}

/** A string as `yaml` writes it in block context: plain when it reads back as the same string, else quoted. */
function stringText(value: string): string {
  // Multi-line strings become block scalars, and a document marker at the start is quoted by `yaml` only
  // where it would begin a line: both are `yaml`'s business.
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sentinel caught in this module, no stack to build
  if (value.includes('\n') || DOCUMENT_MARKER.test(value)) throw NOT_PLAIN;
  if (ESCAPED.test(value)) return rendered(value);
  if (value !== '' && !CANNOT_BE_PLAIN.test(value) && !readAsOther(value)) return value;
  return quoted(value) ?? rendered(value);
}

/** Quoted as `yaml` quotes: single quotes when it holds `"` but no `'`, else double (escapes are left to `yaml`). */
function quoted(value: string): string | undefined {
  const double = value.includes('"');
  const single = value.includes("'");
  if (double && !single) return `'${value}'`;
  if (!double && !/[\\\t]/.test(value)) return `"${value}"`;
  return undefined;
}

/** A scalar as `yaml` writes it: quoted strings, numbers that are not plain integers (both rare). */
const rendered = (value: string | number): string => new Document(value, WRITE_OPTIONS).toString(OPTIONS).trimEnd();

/** `yaml` quotes a string holding one of these in a flow collection, where a block would leave it plain. */
const FLOW_INDICATOR = /[[\]{},]/;

/**
 * One line of flow YAML for `value`, exactly as `yaml` writes it in flow style without padding (what goes
 * into a flow map or sequence the author wrote). Scalars are written as in a block, but for the strings a
 * flow indicator makes `yaml` quote; anything unusual is left to `yaml`. Held to it by test/unit/emit.test.ts.
 */
export function emitFlow(value: unknown): string {
  try {
    return flow(value);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  return new Document(value, { ...WRITE_OPTIONS, aliasDuplicateObjects: false })
    .toString({ collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: false })
    .trimEnd();
}

/** `emitFlow({ [key]: value })` without its braces: one entry of a flow map, written without a map to hold it. */
export function emitFlowEntry(key: string, value: unknown): string {
  // The last entry written is kept, for a scalar value: a workload's labels written twice (the pod's and
  // the workload's), and the same label into every workload's. A scalar's entry is written alike every time.
  const last = lastEntry;
  if (last?.key === key && Object.is(last.value, value)) return last.text;
  const text = flowEntry(key, value);
  if (typeof value !== 'object' || value === null) lastEntry = { key, value, text };
  return text;
}
let lastEntry: { key: string; value: unknown; text: string } | undefined;

function flowEntry(key: string, value: unknown): string {
  try {
    return `${flowScalar(key)}: ${flow(value)}`;
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  return emitFlow({ [key]: value }).slice(1, -1);
}

function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (!isCollection(value)) return flowScalar(value);
  let out = '';
  for (const key in value) out += `${out && ', '}${flowScalar(key)}: ${flow((value as Record<string, unknown>)[key])}`;
  return `{${out}}`;
}

function flowScalar(value: unknown): string {
  if (typeof value !== 'string' || !FLOW_INDICATOR.test(value)) return scalar(value);
  const text = value.includes('\n') || ESCAPED.test(value) ? undefined : quoted(value);
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sentinel caught in this module, no stack to build
  if (text === undefined) throw NOT_PLAIN;
  return text;
}

/** Block YAML for `value`, every line indented by `column` spaces, ending with a newline. */
export function emitBlock(value: unknown, style: Style, column = 0): string {
  const pad = ' '.repeat(column);
  if (isCollection(value)) {
    try {
      // An empty collection writes no lines: `yaml` writes it as `{}` or `[]`.
      const text = collection(value, pad, pad, style);
      if (text !== '') return text;
    } catch (error) {
      if (error !== NOT_PLAIN) throw error;
    }
  }
  const text = new Document(value, { ...WRITE_OPTIONS, aliasDuplicateObjects: false }).toString({
    ...OPTIONS,
    indent: style.indent,
    indentSeq: style.indentSeq,
  });
  return column ? text.replace(/^(?=.)/gm, pad) : text;
}

const isCollection = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * Text of frozen collections, by where it starts and the style. Frozen values are the ones the renderer
 * shares between workloads (render/per-settings.ts), so each is written once per place and style; sound
 * because a frozen value never changes (the contract in fn/frozen.ts).
 */
const written = new WeakMap<object, Texts>();

/**
 * A frozen value's texts by key, and the last one asked for with what it was asked for: a package's
 * workloads ask for each shared value at one place and style, and comparing those four is cheaper than
 * building the key and looking it up (a string made afresh is hashed afresh), for every shared value of
 * every workload.
 */
interface Texts {
  all: Map<string, string>;
  first: string;
  pad: number;
  indent: number;
  indentSeq: boolean;
  text: string;
}

/**
 * The lines of a non-empty collection whose entries start at `pad`; the first line starts with `first`
 * instead (a sequence item's `- ` puts its collection's first entry on the dash's line).
 */
function collection(value: object, pad: string, first: string, style: Style): string {
  if (!Object.isFrozen(value)) {
    const made = copies.get(value);
    return (made && fromTemplate(made, pad, first, style)) ?? lines(value, pad, first, style);
  }
  const texts = written.get(value);
  if (
    texts?.first === first &&
    texts.pad === pad.length &&
    texts.indent === style.indent &&
    texts.indentSeq === style.indentSeq
  )
    return texts.text;
  const all = texts?.all ?? new Map<string, string>();
  const key = `${first}|${pad.length}|${style.indent}|${style.indentSeq}`;
  let text = all.get(key);
  if (text === undefined) all.set(key, (text = flattened(lines(value, pad, first, style))));
  written.set(value, { all, first, pad: pad.length, indent: style.indent, indentSeq: style.indentSeq, text });
  return text;
}

/**
 * `text` as one piece. Text built by `+=` is a tree of its pieces, and V8 copies such a tree leaf by leaf
 * each time it flattens a longer string holding it (every item, to be written out): a shared block's
 * hundred small pieces, once per workload. V8 flattens a tree to take a slice of it, so the slice of a
 * cached block is one piece, copied whole (a slice of all of `text` would be `text` itself: hence the space).
 */
const flattened = (text: string): string => ` ${text}`.slice(1);

/** A copy of a frozen template with one string in it, `hole`, given another value, `fill` (see copyWith). */
interface Copy {
  template: object;
  hole: string;
  fill: string;
}
const copies = new WeakMap<object, Copy>();

/**
 * Says that `value` is `template` (frozen) with the string `hole`, which it holds once as a value, replaced
 * by `fill`: the emitter then writes `value` from the template's text (cached like any frozen value) with
 * the hole's text replaced, instead of walking it. The one per-workload part of the sidecar (its APP_LABEL)
 * made it the largest text written afresh for every workload. `value` must not change afterwards.
 */
export function copyWith<T extends object>(value: T, template: object, hole: string, fill: string): T {
  copies.set(value, { template, hole, fill });
  return value;
}

/**
 * `yaml` writes a string value the same wherever it stands in a block (scalar), so the hole's text in the
 * template's text is where the fill's goes, when it is there exactly once; otherwise `value` is walked.
 */
function fromTemplate({ template, hole, fill }: Copy, pad: string, first: string, style: Style): string | undefined {
  const text = collection(template, pad, first, style);
  const at = holeIn(text, hole);
  if (at === undefined) return undefined;
  // The fill is the workload's own (its name), new each time: kept in the strings' cache, it would only push
  // out the shared strings (stringText is what the cache keeps, so the text is the same).
  return text.slice(0, at.start) + stringText(fill) + text.slice(at.end);
}

/**
 * Where the hole's text stands in a template's text, when it is there exactly once. The last answer is
 * kept: a package's workloads share one template, written once per place and style (collection).
 */
function holeIn(text: string, hole: string): { start: number; end: number } | undefined {
  const last = lastHole;
  if (last?.text === text && last.hole === hole) return last.at;
  const holeText = scalar(hole);
  const start = text.indexOf(holeText);
  const at = start < 0 || text.includes(holeText, start + 1) ? undefined : { start, end: start + holeText.length };
  lastHole = { text, hole, at };
  return at;
}
let lastHole: { text: string; hole: string; at: { start: number; end: number } | undefined } | undefined;

function lines(value: object, pad: string, first: string, style: Style): string {
  let out = '';
  let lead = first;
  if (Array.isArray(value)) {
    const inner = `${pad}  `;
    for (const item of value) {
      // An empty collection writes no lines (asking is cheaper than a second look at its keys): `- {}`.
      const text = isCollection(item) ? collection(item, inner, `${lead}- `, style) : '';
      out += text !== '' ? text : `${lead}- ${leaf(item)}\n`;
      lead = pad;
    }
    return out;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    let text = '';
    if (isCollection(item)) {
      // yaml puts an unindented sequence's dashes `indent - 2` in (from an indent of 2 on), so its items
      // line up like a map's keys.
      const unindented = Array.isArray(item) && !style.indentSeq && style.indent >= 2;
      const nested = pad + ' '.repeat(unindented ? style.indent - 2 : style.indent);
      text = collection(item, nested, nested, style);
    }
    out += text !== '' ? `${lead}${scalar(key)}:\n${text}` : `${lead}${scalar(key)}: ${leaf(item)}\n`;
    lead = pad;
  }
  return out;
}

function leaf(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isCollection(value)) return '{}';
  return scalar(value);
}
