/**
 * A small block-YAML emitter for the plain data the function renders (containers, labels, results).
 * It produces exactly what `yaml`'s Document.toString would, but scalars are rendered once by `yaml` and
 * cached, and the structure is written directly: rendering was the largest cost on big packages.
 * Multi-line strings are left to `yaml` (block scalar folding is its business, not ours).
 */
import { Document } from 'yaml';

/** The indentation style of the file new lines go into (learned by block-edit.ts detectStyle). */
export interface Style {
  /** Spaces per nesting level. */
  indent: number;
  /** `key:\n  - item` (true) or `key:\n- item` (false, what kubectl and kpt write). */
  indentSeq: boolean;
}

const OPTIONS = { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' } as const;
const scalars = new Map<string, string>();

/** A word `yaml` writes as it is: letters first, no indicator or space, not a YAML 1.1 keyword. */
const SAFE_WORD = /^[A-Za-z][\w./-]*$/;
const KEYWORD = /^(?:[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

/** Thrown while emitting when a value needs `yaml` itself (multi-line strings, big integers, ...). */
const NOT_PLAIN = Symbol('not plain');

function scalar(value: unknown): string {
  // The common cases need no call into `yaml` (whose first call is costly in a short-lived process).
  if (typeof value === 'string') {
    if (SAFE_WORD.test(value) && !KEYWORD.test(value)) return value;
    // A document marker at the start is quoted by `yaml` only where it would begin a line.
    if (value.includes('\n') || /^(?:---|\.\.\.)/.test(value)) throw NOT_PLAIN;
  } else if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  } else if (typeof value === 'boolean' || value === null) return String(value);
  else throw NOT_PLAIN;
  const key = `${typeof value}:${value}`;
  let text = scalars.get(key);
  if (text === undefined) {
    text = new Document(value, { version: '1.1' }).toString(OPTIONS).trimEnd();
    if (scalars.size > 10_000) scalars.clear();
    scalars.set(key, text);
  }
  return text;
}

/** Block YAML for `value`, every line indented by `column` spaces, ending with a newline. */
export function emitBlock(value: unknown, style: Style, column = 0): string {
  const pad = ' '.repeat(column);
  if (isCollection(value) && !isEmpty(value)) {
    const lines: string[] = [];
    try {
      collection(value, pad, style, lines);
      return `${lines.join('\n')}\n`;
    } catch (error) {
      if (error !== NOT_PLAIN) throw error;
    }
  }
  const text = new Document(value, { version: '1.1', aliasDuplicateObjects: false }).toString({ ...OPTIONS, indent: style.indent, indentSeq: style.indentSeq });
  return column ? text.replace(/^(?=.)/gm, pad) : text;
}

const isCollection = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isEmpty = (value: object) => (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

/** Writes a non-empty collection whose first line starts at `pad`. */
function collection(value: object, pad: string, style: Style, lines: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item) && !isEmpty(item)) {
        const at = lines.length;
        collection(item, `${pad}  `, style, lines);
        lines[at] = `${pad}- ${lines[at]!.slice(pad.length + 2)}`;
      } else lines.push(`${pad}- ${leaf(item)}`);
    }
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (isCollection(item) && !isEmpty(item)) {
      lines.push(`${pad}${scalar(key)}:`);
      // yaml puts an unindented sequence's dashes `indent - 2` in (from an indent of 2 on), so its items
      // line up like a map's keys.
      const unindented = Array.isArray(item) && !style.indentSeq && style.indent >= 2;
      const nested = pad + ' '.repeat(unindented ? style.indent - 2 : style.indent);
      collection(item, nested, style, lines);
    } else lines.push(`${pad}${scalar(key)}: ${leaf(item)}`);
  }
}

function leaf(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isCollection(value)) return '{}';
  return scalar(value);
}
