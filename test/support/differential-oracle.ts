/**
 * The differential test's oracle, written against `yaml` alone (never fn/): a ResourceList's item texts
 * by line, an item's data with numbers exact (as written, not as a double), and the record-driven undoing
 * of an injection, with the rule for what the function may add.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';

export type Data = unknown;
export type Segment = string | { name: string; mountPath?: string };
export type Path = Segment[];

export const RECORD = 'sidecar.speedscale.com/injection';
const OWN_KEYS = new Set([
  'sidecar.speedscale.com/injected',
  RECORD,
  'kubectl.kubernetes.io/default-container',
  'operator.speedscale.com/ignore',
]);
/**
 * Env vars settings add to app containers: the trust settings' (tls-out), the app's proxy settings'
 * (appProxyEnv), and the generator's extra env.
 */
const TRUST_ENV = new Set([
  'EXTRA_A',
  'SSL_CERT_FILE',
  'NODE_EXTRA_CA_CERTS',
  'REQUESTS_CA_BUNDLE',
  'SPEEDSCALE_JAVA_OPTS',
  'JAVA_TOOL_OPTIONS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
]);

/** A decimal number as digits and exponent, so 1e400 and 10e399 are one value and 9007199254740993 stays. */
function exactNumber(source: string, value: number | bigint): string {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(source.replace(/_/g, ''));
  if (!m || !(m[2] || m[3])) return `number:${String(value)}`;
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+/, '');
  let exp = BigInt(m[4] ?? 0) - BigInt((m[3] ?? '').length);
  const trimmed = digits.replace(/0+$/, '');
  exp += BigInt(digits.length - trimmed.length);
  return trimmed ? `number:${m[1] === '-' ? '-' : ''}${trimmed}e${exp}` : 'number:0';
}

/** A node's data: maps as plain objects (keys as strings), numbers exact, dates as ISO text. */
export function exact(node: unknown, doc: Document, text: string): Data {
  if (isAlias(node)) return exact(node.resolve(doc), doc, text);
  if (isMap(node)) {
    const out: Record<string, Data> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = exact(pair.value, doc, text);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => exact(item, doc, text));
  if (isScalar(node)) {
    const v = node.value;
    if ((typeof v === 'number' || typeof v === 'bigint') && node.range)
      return exactNumber(text.slice(node.range[0], node.range[1]), v);
    if (v instanceof Date) return `date:${v.toISOString()}`;
    return v;
  }
  return node ?? null;
}

export interface ParsedList {
  errors: string[];
  kind: unknown;
  /** Each item's data (exact). */
  items: Data[];
  /** Each item as plain toJS under YAML 1.1 and under 1.2, to see what each reader takes a scalar for. */
  readonly items11: Data[];
  readonly items12: Data[];
  readonly results: Record<string, any>[];
}

const plainItems = (text: string, version: '1.1' | '1.2'): Data[] =>
  (parseDocument(text, { version, intAsBigInt: true }).toJS({ maxAliasCount: -1 })?.items ?? []) as Data[];

/** Parses a ResourceList; the plain readings are made on first use (they cost a parse each). */
export function parseList(text: string): ParsedList {
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true });
  const items = doc.get('items', true);
  let items11: Data[] | undefined;
  let items12: Data[] | undefined;
  return {
    errors: doc.errors.map((e) => e.message),
    kind: doc.get('kind'),
    items: isSeq(items) ? items.items.map((item) => exact(item, doc, text)) : [],
    get items11() {
      return (items11 ??= plainItems(text, '1.1'));
    },
    get items12() {
      return (items12 ??= plainItems(text, '1.2'));
    },
    get results() {
      return resultsOf(text);
    },
  };
}

/** The results alone, read from their own section (the items may be large). */
export function resultsOf(text: string): Record<string, any>[] {
  const at = text.search(/^results:/m);
  if (at < 0) return [];
  return (parseDocument(text.slice(at)).toJS()?.results ?? []) as Record<string, any>[];
}

/**
 * The items' texts, by line: an item runs from its dash's line to the next item's, and the comment lines
 * at or left of the dash just before a dash belong to the item that follows (they read as its header).
 * The items end at the first line at column 0 that is neither a comment, blank, nor a dash of the items.
 */
export function itemTexts(text: string, itemsColumn: number): string[] {
  const lines = text.match(/[^\n]*(?:\n|$)/g)!.filter((l, i, all) => l !== '' || i < all.length - 1);
  const start = lines.findIndex((l) => /^items\s*:/.test(l));
  if (start < 0) return [];
  let end = lines.length;
  const dash = new RegExp(`^ {${itemsColumn}}-(?:[ \\r\\n]|$)`);
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^[^\s#-]/.test(l) || (itemsColumn > 0 && l.startsWith('-'))) {
      end = i;
      break;
    }
  }
  const starts: number[] = [];
  for (let i = start + 1; i < end; i++) if (dash.test(lines[i])) starts.push(i);
  const header = new RegExp(`^ {0,${itemsColumn}}#`);
  const begins = starts.map((s, k) => {
    let b = s;
    const floor = k === 0 ? start + 1 : starts[k - 1] + 1;
    while (b > floor && header.test(lines[b - 1])) b--;
    return k === 0 ? start + 1 : b;
  });
  return begins.map((b, k) => lines.slice(b, k + 1 < begins.length ? begins[k + 1] : end).join(''));
}

/** The last item's text without its final line break: a list without a final newline gets one when more follows. */
export function withoutFinalBreak(items: string[]): string[] {
  return items.map((t, i) => (i === items.length - 1 ? t.replace(/\r?\n$/, '') : t));
}

const get = (data: Data, path: Path): Data => path.reduce<Data>((node, s) => child(node, s), data);

function child(node: Data, s: Segment): Data {
  if (typeof s === 'string')
    return node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, Data>)[s] : undefined;
  return Array.isArray(node) ? node.find((item) => matches(item, s)) : undefined;
}

const matches = (item: Data, s: Exclude<Segment, string>): boolean => {
  const m = item as Record<string, Data> | null;
  return !!m && m.name === s.name && (s.mountPath === undefined || m.mountPath === s.mountPath);
};

/** The value at a path, with the data it removed from (a copy), or undefined when the path is not there. */
export function removePath(data: Data, path: Path): { rest: Data; removed: Data } | undefined {
  const parent = get(data, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'string') {
    if (!parent || typeof parent !== 'object' || Array.isArray(parent) || !(last in parent)) return undefined;
    const { [last]: removed, ...rest } = parent as Record<string, Data>;
    return { rest: replaceAt(data, path.slice(0, -1), rest), removed };
  }
  if (!Array.isArray(parent)) return undefined;
  const at = parent.findIndex((item) => matches(item, last));
  if (at < 0) return undefined;
  return {
    rest: replaceAt(
      data,
      path.slice(0, -1),
      parent.filter((_, i) => i !== at),
    ),
    removed: parent[at],
  };
}

function replaceAt(data: Data, path: Path, value: Data): Data {
  if (!path.length) return value;
  const [s, ...rest] = path;
  if (typeof s === 'string') {
    const map = data as Record<string, Data>;
    return { ...map, [s]: replaceAt(map[s], rest, value) };
  }
  return (data as Data[]).map((item) => (matches(item, s) ? replaceAt(item, rest, value) : item));
}

/**
 * Whether a recorded addition is one the function may make: a Speedscale container, init container,
 * volume or mount, a trust env var, one of its own labels and annotations, or a key it created that holds
 * only such things. Returns why not, or undefined.
 */
export function notAnAddition(path: Path, removed: Data, input: Data): string | undefined {
  const last = path[path.length - 1];
  const where = JSON.stringify(path);
  if (typeof last !== 'string') {
    if (last.name.startsWith('speedscale-')) return undefined;
    if (path[path.length - 2] === 'env' && TRUST_ENV.has(last.name)) return undefined;
    return `${where}: a list item the function does not own`;
  }
  if (OWN_KEYS.has(last)) {
    if (get(input, path) !== undefined) return `${where}: was in the input already`;
    return undefined;
  }
  if (get(input, path) !== undefined) return `${where}: an existing key is recorded as added`;
  return onlyOwn(removed) ? undefined : `${where}: a created key holding more than the function's own additions`;
}

function onlyOwn(value: Data): boolean {
  if (Array.isArray(value)) {
    return value.every((item) => {
      const name = (item as Record<string, Data> | null)?.name;
      return typeof name === 'string' && (name.startsWith('speedscale-') || TRUST_ENV.has(name));
    });
  }
  if (value && typeof value === 'object')
    return Object.entries(value).every(
      ([k, v]) => OWN_KEYS.has(k) || ((v ?? null) !== null && typeof v === 'object' && onlyOwn(v)),
    );
  return false;
}

export const valueAt = get;

/**
 * The record's filled keys (version 2) given back their null: a key the function filled because it held
 * null (`key:`, `key: ~`) holds null again once everything added under it is gone.
 */
/**
 * The data without the maps and lists the record says the injection created (version 3), deepest first,
 * once they are empty: what is left in one was not the function's to take.
 */
export function uncreated(data: Data, created: Path[] = []): Data {
  let out = data;
  for (const path of [...created].sort((a, b) => b.length - a.length)) {
    const value = get(out, path);
    const empty = Array.isArray(value)
      ? !value.length
      : !!value && typeof value === 'object' && !Object.keys(value).length;
    if (empty) out = removePath(out, path)?.rest ?? out;
  }
  return out;
}

export function unfilled(data: Data, filled: { path: Path }[] = []): Data {
  let out = data;
  for (const { path } of filled) {
    const value = get(out, path);
    const empty = Array.isArray(value)
      ? !value.length
      : !!value && typeof value === 'object' && !Object.keys(value).length;
    if (empty) out = replaceAt(out, path, null);
  }
  return out;
}
