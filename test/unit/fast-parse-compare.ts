/** Node-by-node comparison of the fast parser with `yaml`, shared by the unit test and ad-hoc checks. */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { PARSE_OPTIONS } from '../../fn/yaml/fast-scalars';
import { fastParse } from '../../fn/yaml/fast-parse';
import type { FastParseOptions } from '../../fn/yaml/fast-scalars';

/**
 * The first difference between the two parses of `text` as a path and message; the string 'fallback' when the
 * fast parser declined; undefined when they agree.
 */
export function compareWithYaml(text: string, options: FastParseOptions = PARSE_OPTIONS): string | undefined {
  const fast = fastParse(text, options);
  const doc = parseDocument(text, { ...PARSE_OPTIONS, ...options });
  if (!fast) return 'fallback';
  if (doc.errors.length || doc.warnings.length)
    return `fast parser accepted text that yaml rejects: ${(doc.errors[0] ?? doc.warnings[0]).message}`;
  return diff(fast, doc.contents, '$');
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** The first difference between two node trees (values, types, ranges, flow), or undefined. */
export function diff(a: unknown, b: unknown, at: string): string | undefined {
  const kind = (n: unknown) =>
    isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : n === null ? 'null' : typeof n;
  if (kind(a) !== kind(b)) return `${at}: ${kind(a)} vs ${kind(b)}`;
  if (a === null || b === null) return undefined;
  const na = a as Node & { range: number[] };
  const nb = b as Node & { range: number[] };
  if (JSON.stringify(na.range) !== JSON.stringify(nb.range))
    return `${at}: range ${JSON.stringify(na.range)} vs ${JSON.stringify(nb.range)}`;
  if (isScalar(na) && isScalar(nb)) {
    for (const k of ['value', 'type', 'source', 'format', 'tag'] as const) {
      if (!same(na[k], nb[k])) return `${at}: ${k} ${String(na[k])} vs ${String(nb[k])}`;
    }
    return undefined;
  }
  if ((isMap(na) || isSeq(na)) && (isMap(nb) || isSeq(nb))) {
    if (Boolean(na.flow) !== Boolean(nb.flow)) return `${at}: flow ${na.flow} vs ${nb.flow}`;
    if (na.items.length !== nb.items.length) return `${at}: ${na.items.length} vs ${nb.items.length} items`;
    for (let i = 0; i < na.items.length; i++) {
      const x = na.items[i];
      const y = nb.items[i];
      if (isPair(x) && isPair(y)) {
        const d =
          diff(x.key, y.key, `${at}.key${i}`) ??
          diff(x.value, y.value, `${at}.${String((y.key as { value?: unknown })?.value)}`);
        if (d) return d;
      } else {
        const d = diff(x, y, `${at}[${i}]`);
        if (d) return d;
      }
    }
  }
  return undefined;
}
