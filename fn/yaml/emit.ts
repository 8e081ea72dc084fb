/**
 * A small block-YAML emitter for the plain data the function renders (containers, labels, results).
 * It produces exactly what `yaml`'s Document.toString would, but scalars are rendered once by `yaml` and
 * cached, and the structure is written directly: rendering was the largest cost on big packages.
 * Multi-line strings are left to `yaml` (block scalar folding is its business, not ours).
 */
import { Document } from 'yaml';

export interface EmitStyle {
  indent: number;
  indentSeq: boolean;
}

const OPTIONS = { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' } as const;
const scalars = new Map<string, string>();

function scalar(value: string | number | boolean | null): string {
  const key = `${typeof value}:${value}`;
  let text = scalars.get(key);
  if (text === undefined) {
    text = new Document(value, { version: '1.1' }).toString(OPTIONS).trimEnd();
    if (scalars.size > 10_000) scalars.clear();
    scalars.set(key, text);
  }
  return text;
}

const isPlainData = (value: unknown): boolean => {
  if (value === null || ['number', 'boolean'].includes(typeof value)) return true;
  if (typeof value === 'string') return !value.includes('\n');
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value === 'object') return Object.entries(value as object).every(([k, v]) => !k.includes('\n') && isPlainData(v));
  return false;
};

/** Block YAML for `value`, ending with a newline; `yaml` itself renders anything unusual. */
export function emitBlock(value: unknown, style: EmitStyle): string {
  if (!isPlainData(value) || !isCollection(value)) {
    return new Document(value, { version: '1.1', aliasDuplicateObjects: false }).toString({ ...OPTIONS, indent: style.indent, indentSeq: style.indentSeq });
  }
  const lines: string[] = [];
  collection(value, '', style, lines);
  return `${lines.join('\n')}\n`;
}

const isCollection = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isEmpty = (value: object) => (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

/** Writes a non-empty collection whose first line starts at `pad`. */
function collection(value: object, pad: string, style: EmitStyle, lines: string[]): void {
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
      // yaml puts an unindented sequence's dashes `indent - 2` in, so its items line up like a map's keys.
      const nested = pad + ' '.repeat(Array.isArray(item) && !style.indentSeq ? style.indent - 2 : style.indent);
      collection(item, nested, style, lines);
    } else lines.push(`${pad}${scalar(key)}: ${leaf(item)}`);
  }
}

function leaf(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isCollection(value)) return '{}';
  return scalar(value as string | number | boolean | null);
}
