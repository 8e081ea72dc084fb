/**
 * Workloads built out of YAML's hard corners, for the differential test (test/system/differential.test.ts): a
 * model (kind, names, options, and a list of corners for every place the function edits), a renderer that
 * writes it as a ResourceList in one file style (indentation, sequence style, line endings, BOM, final
 * newline, the `items` key), a plain "twin" of the same workload with no corners, and JSON input.
 * Everything here knows YAML only through `yaml`, never through fn/.
 */
import fc from 'fast-check';
import { parseDocument } from 'yaml';

export const ON = 'sidecar.speedscale.com/inject';

/** Extra map entries the generator puts at an edit point: each a YAML construct that is hard to edit around. */
export const CORNERS = [
  'explicit', // ? k / : v
  'explicit-no-value', // ? k
  'tag-key', // !!str k: v
  'anchor-key', // &a k: v
  'empty', // k:
  'nested-explicit', // k: / x: 1 / ? z
  'set', // k: !!set / ? a / ? b
  'keep', // k: |+ ... then a blank line
  'strip', // k: |-
  'folded', // k: >
  'str-block', // k: !!str |
  'flow-map', // {a: 1, / b: [2, / 3]} over lines
  'flow-seq', // [a, / b]
  'quoted-lines', // "a / b"
  'trailing-comment', // k: v # c
  'comment-0', // a comment at column 0
  'comment-same', // at the map's indentation
  'comment-deeper',
  'comment-shallower',
] as const;
export type Corner = (typeof CORNERS)[number];

/** How a structural key is spelled (labels, containers, name, ...). */
export const KEY_STYLES = ['plain', 'explicit', 'explicit-compact', 'tag', 'anchor', 'quoted'] as const;
export type KeyStyle = (typeof KEY_STYLES)[number];

/** The places the function edits or reads next to, where corners go (`first` and `last` entries of a map). */
export const SLOTS = [
  'meta.first',
  'meta.last',
  'labels.first',
  'labels.last',
  'annotations.first',
  'annotations.last',
  'template.last',
  'podMeta.first',
  'podMeta.last',
  'podLabels.first',
  'podLabels.last',
  'podAnnotations.last',
  'podSpec.first',
  'podSpec.last',
  'container.first',
  'container.last',
  'lastContainer.last',
  'env.last',
  'init.last',
  'volume.last',
  'root.last',
] as const;
export type Slot = (typeof SLOTS)[number];

/** Names that a YAML 1.1 or 1.2 reader takes for something else when plain (all valid DNS names). */
export const NAMES = ['a', 'web', '0o17', '1e3', 'on', '012', '0x1f', 'true', 'null', '1_0'];

const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'] as const;

/** Keys the function adds to, written holding null (what Helm renders for an empty range): where, and how. */
export const NULL_SLOTS = [
  'labels', // metadata.labels
  'annotations', // metadata.annotations (when the opt-in is not there)
  'podMeta', // the template's metadata itself
  'podLabels',
  'podAnnotations', // (when the opt-in is not there)
  'init', // initContainers
  'volumes',
  'env', // the first container's
  'mounts', // the first container's volumeMounts
] as const;
export type NullSlot = (typeof NULL_SLOTS)[number];
/** Every spelling of null after a key's colon, with and without a comment. */
export const NULL_SPELLINGS = ['', ' ~', ' null', ' Null', ' NULL', ' # none', ' ~ # none', ' null # from values'];
export type Kind = (typeof KINDS)[number];

export interface Workload {
  kind: Kind;
  name: string;
  containers: { name: string; env: boolean; mount: boolean }[];
  init: boolean;
  volumes: boolean;
  labels: boolean;
  podLabels: boolean;
  /** Where the opt-in sits: the workload's annotations, the pod template's, or none (an untouched item). */
  annotated: 'workload' | 'template' | 'off' | 'none';
  tlsOut: boolean;
  /** The settings that add env or mounts to the app containers besides tlsOut. */
  extraEnv: boolean;
  knownCa: boolean;
  /** Keys written holding null (each a spelling from NULL_SPELLINGS). */
  nulls: Partial<Record<NullSlot, string>>;
  corners: Partial<Record<Slot, Corner[]>>;
  keys: Partial<Record<'labels' | 'annotations' | 'metadata' | 'containers' | 'spec' | 'name' | 'env', KeyStyle>>;
  /** A comment line (at column 0) before the item's `- `. */
  header: boolean;
}

export interface ConfigMapItem {
  name: string;
  corners: Corner[];
}

export interface FileStyle {
  indent: number;
  indentSeq: boolean;
  crlf: boolean;
  bom: boolean;
  finalNewline: boolean;
  itemsKey: string;
  /** The items sequence itself indented under `items:`. */
  itemsIndented: boolean;
}

export type Item = { w: Workload } | { c: ConfigMapItem };

export interface Package {
  style: FileStyle;
  items: Item[];
}

const corner = fc.constantFrom(...CORNERS);
const corners = fc.oneof(
  { arbitrary: fc.constant([]), weight: 3 },
  { arbitrary: fc.array(corner, { minLength: 1, maxLength: 2 }), weight: 2 },
);
const keyStyle = fc.oneof(
  { arbitrary: fc.constant('plain'), weight: 4 },
  { arbitrary: fc.constantFrom(...KEY_STYLES), weight: 1 },
);

const nullSlots = fc.oneof(
  { arbitrary: fc.constant({}), weight: 3 },
  {
    arbitrary: fc
      .tuple(...NULL_SLOTS.map(() => fc.option(fc.constantFrom(...NULL_SPELLINGS), { freq: 3 })))
      .map(
        (all) =>
          Object.fromEntries(
            NULL_SLOTS.flatMap((slot, i) => (all[i] === null ? [] : [[slot, all[i]]])),
          ) as Workload['nulls'],
      ),
    weight: 1,
  },
);

const slotCorners = fc
  .tuple(...SLOTS.map(() => corners))
  .map(
    (all) => Object.fromEntries(SLOTS.flatMap((s, i) => (all[i].length ? [[s, all[i]]] : []))) as Workload['corners'],
  );

export const workload = (annotated: fc.Arbitrary<Workload['annotated']>): fc.Arbitrary<Workload> =>
  fc.record({
    kind: fc.constantFrom(...KINDS),
    name: fc.constantFrom(...NAMES),
    containers: fc
      .uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 2 })
      .chain((names) =>
        fc.tuple(
          ...names.map((name) => fc.record({ name: fc.constant(name), env: fc.boolean(), mount: fc.boolean() })),
        ),
      ),
    init: fc.boolean(),
    volumes: fc.boolean(),
    labels: fc.boolean(),
    podLabels: fc.boolean(),
    annotated,
    tlsOut: fc.boolean(),
    extraEnv: fc.boolean(),
    knownCa: fc.boolean(),
    nulls: nullSlots,
    corners: slotCorners,
    keys: fc.record(
      {
        labels: keyStyle,
        annotations: keyStyle,
        metadata: keyStyle,
        containers: keyStyle,
        spec: keyStyle,
        name: keyStyle,
        env: keyStyle,
      },
      { requiredKeys: [] },
    ),
    header: fc.boolean(),
  });

const configMap: fc.Arbitrary<ConfigMapItem> = fc.record({
  name: fc.constantFrom(...NAMES),
  corners: fc.array(corner, { minLength: 1, maxLength: 3 }),
});

export const fileStyle: fc.Arbitrary<FileStyle> = fc.record({
  // Each shrinks towards the plain file (two spaces, LF, no BOM, a final newline): a reproducer keeps only what it needs.
  indent: fc.constantFrom(2, 1, 3, 4, 5, 6, 7, 8),
  indentSeq: fc.boolean(),
  crlf: fc.integer({ min: 0, max: 4 }).map((n) => n === 4),
  bom: fc.integer({ min: 0, max: 5 }).map((n) => n === 5),
  finalNewline: fc.integer({ min: 0, max: 4 }).map((n) => n !== 4),
  itemsKey: fc.constantFrom('items:', 'items:', 'items:', 'items: # the resources', 'items :', 'items:   #c'),
  itemsIndented: fc.boolean(),
});

export const yamlPackage: fc.Arbitrary<Package> = fc.record({
  style: fileStyle,
  items: fc.array(
    fc.oneof(
      { arbitrary: workload(fc.constantFrom('workload', 'workload', 'template')).map((w) => ({ w })), weight: 4 },
      { arbitrary: workload(fc.constantFrom('none', 'off')).map((w) => ({ w })), weight: 2 },
      { arbitrary: configMap.map((c) => ({ c })), weight: 1 },
    ),
    { minLength: 1, maxLength: 4 },
  ),
});

/** A string as a plain scalar when every YAML reader takes it for that string, else double-quoted. */
const scalars = new Map<string, string>();
export function scalar(value: string): string {
  let text = scalars.get(value);
  if (text === undefined) scalars.set(value, (text = quotedIfNeeded(value)));
  return text;
}
function quotedIfNeeded(value: string): string {
  const plain = (version: '1.1' | '1.2') => parseDocument(`k: ${value}`, { version }).toJS()?.k === value;
  return plain('1.1') && plain('1.2') ? value : JSON.stringify(value);
}

type Line = string;

interface Ctx {
  n: number;
  seqIndent: number;
  anchors: { next: number };
}

/** A map entry: a key with a scalar, a map or a list; a corner; or nothing (an omitted optional key). */
type Entry =
  | { key: string; style?: KeyStyle; scalar: string }
  | { key: string; style?: KeyStyle; nothing: string }
  | { key: string; style?: KeyStyle; map: Entry[] }
  | { key: string; style?: KeyStyle; seq: Entry[][] }
  | { corner: Corner; id: string };

function keyText(key: string, style: KeyStyle, ctx: Ctx): string {
  switch (style) {
    case 'tag':
      return `!!str ${key}`;
    case 'anchor':
      return `&k${ctx.anchors.next++} ${key}`;
    case 'quoted':
      return JSON.stringify(key);
    case 'plain':
    case 'explicit':
    case 'explicit-compact':
      return key;
  }
}

const pad = (col: number) => ' '.repeat(col);

function cornerLines(c: Corner, id: string, col: number, ctx: Ctx): Line[] {
  const at = pad(col);
  const inner = pad(col + ctx.n);
  const cont = pad(col + 1);
  switch (c) {
    case 'explicit':
      return [`${at}? ${id}`, `${at}: v`];
    case 'explicit-no-value':
      return [`${at}? ${id}`];
    case 'tag-key':
      return [`${at}!!str ${id}: v`];
    case 'anchor-key':
      return [`${at}&c${ctx.anchors.next++} ${id}: v`];
    case 'empty':
      return [`${at}${id}:`];
    case 'nested-explicit':
      return [`${at}${id}:`, `${inner}x: 1`, `${inner}? z`];
    case 'set':
      return [`${at}${id}: !!set`, `${inner}? a`, `${inner}? b`];
    case 'keep':
      return [`${at}${id}: |+`, `${inner}keep`, ''];
    case 'strip':
      return [`${at}${id}: |-`, `${inner}strip`];
    case 'folded':
      return [`${at}${id}: >`, `${inner}folded`, `${inner}text`];
    case 'str-block':
      return [`${at}${id}: !!str |`, `${inner}block`];
    case 'flow-map':
      return [`${at}${id}: {a: 1,`, `${cont}b: [2,`, `${cont} 3]}`];
    case 'flow-seq':
      return [`${at}${id}: [a,`, `${cont}b]`];
    case 'quoted-lines':
      return [`${at}${id}: "a`, `${cont}b"`];
    case 'trailing-comment':
      return [`${at}${id}: v # c`];
    case 'comment-0':
      return ['# - name: column zero'];
    case 'comment-same':
      return [`${at}# TODO: same`];
    case 'comment-deeper':
      return [`${inner}# deeper`];
    case 'comment-shallower':
      return [`${pad(Math.max(0, col - 1))}# shallower`];
  }
}

function renderMap(entries: Entry[], col: number, ctx: Ctx): Line[] {
  return entries.flatMap((e) => renderEntry(e, col, ctx));
}

function renderEntry(e: Entry, col: number, ctx: Ctx): Line[] {
  if ('corner' in e) return cornerLines(e.corner, e.id, col, ctx);
  const style = e.style ?? 'plain';
  const key = keyText(e.key, style, ctx);
  const explicit = style === 'explicit' || style === 'explicit-compact';
  const at = pad(col);
  if ('scalar' in e) return explicit ? [`${at}? ${key}`, `${at}: ${e.scalar}`] : [`${at}${key}: ${e.scalar}`];
  if ('nothing' in e) return [`${at}${key}:${e.nothing}`];
  const head = explicit ? [`${at}? ${key}`, `${at}:`] : [`${at}${key}:`];
  if ('map' in e) {
    if (style === 'explicit-compact' && e.map.length && !('corner' in e.map[0])) {
      const body = renderMap(e.map, col + 2, ctx);
      return [`${at}? ${key}`, `${at}: ${body[0].slice(col + 2)}`, ...body.slice(1)];
    }
    return [...head, ...renderMap(e.map, col + ctx.n, ctx)];
  }
  return [...head, ...renderSeq(e.seq, col + ctx.seqIndent, ctx)];
}

function renderSeq(items: Entry[][], col: number, ctx: Ctx): Line[] {
  const content = col + Math.max(2, ctx.n);
  return items.flatMap((entries) => {
    const body = renderMap(entries, content, ctx);
    const first = body[0];
    const dash = `${pad(col)}-${pad(content - col - 1)}`;
    // A comment cannot share the dash's line with the map that follows: the dash goes alone.
    if (first.trimStart().startsWith('#') || first === '') return [`${pad(col)}-`, ...body];
    return [`${dash}${first.slice(content)}`, ...body.slice(1)];
  });
}

/** Corner entries for a slot, with keys unique in the item. */
function at(w: Workload, slot: Slot, ids: { next: number }): Entry[] {
  return (w.corners[slot] ?? []).map((c) => ({ corner: c, id: `k${ids.next++}` }));
}

/** The workload as entries; `plain` drops every corner and key style (the twin). */
/**
 * Whether a null slot applies to the workload: never where the opt-in has to be (the annotations that hold
 * it), nor a template's for a Pod (it has none), nor the template's labels or annotations when its metadata
 * is null itself, nor volumes the containers mount.
 */
export function nullApplies(w: Workload, slot: NullSlot): boolean {
  if (w.nulls?.[slot] === undefined) return false;
  const pod = w.kind === 'Pod';
  const podMetaNull = !pod && w.annotated !== 'template' && w.nulls.podMeta !== undefined;
  switch (slot) {
    case 'annotations':
      return w.annotated !== 'workload' && w.annotated !== 'off' && !(pod && w.annotated === 'template');
    case 'podMeta':
      return podMetaNull;
    case 'podLabels':
      return !pod && !podMetaNull;
    case 'podAnnotations':
      return !pod && !podMetaNull && w.annotated !== 'template';
    case 'volumes':
      return !w.volumes;
    default:
      return true;
  }
}

export function workloadEntries(w: Workload, plain = false): Entry[] {
  const ids = { next: 0 };
  const slot = (s: Slot) => (plain ? [] : at(w, s, ids));
  const style = (k: keyof Workload['keys']) => (plain ? 'plain' : w.keys[k]);
  // A key holding null as written, or, in the plain twin, the empty flow collection it means to the function.
  const nulled = (s: NullSlot, key: string, empty: '[]' | '{}'): Entry[] | undefined =>
    nullApplies(w, s) ? [plain ? { key, scalar: empty } : { key, nothing: w.nulls[s]! }] : undefined;
  const tlsAnnotation = [
    ...(w.tlsOut ? [{ key: 'sidecar.speedscale.com/tls-out', scalar: '"true"' }] : []),
    ...(w.extraEnv ? [{ key: 'sidecar.speedscale.com/extra-container-env-vars', scalar: '"EXTRA_A=1"' }] : []),
    ...(w.knownCa ? [{ key: 'sidecar.speedscale.com/mount-known-ca', scalar: '"true"' }] : []),
  ];
  const optIn = (where: Workload['annotated']): Entry[] =>
    w.annotated === where ? [{ key: ON, scalar: '"true"' }, ...tlsAnnotation] : [];
  const isJob = w.kind === 'Job' || w.kind === 'CronJob';
  const native = isJob ? [{ key: 'sidecar.speedscale.com/native-sidecar', scalar: '"true"' }] : [];
  const off: Entry[] = w.annotated === 'off' ? [{ key: ON, scalar: '"false"' }] : [];
  const workloadAnnotations = [...optIn('workload'), ...off, ...(w.annotated === 'workload' ? native : [])];
  const name = scalar(w.name);
  const metadata: Entry[] = [
    ...slot('meta.first'),
    { key: 'name', scalar: name },
    ...(nulled('labels', 'labels', '{}') ??
      (w.labels
        ? [
            {
              key: 'labels',
              style: style('labels'),
              map: [...slot('labels.first'), { key: 'app', scalar: name }, ...slot('labels.last')],
            },
          ]
        : [])),
    ...(nulled('annotations', 'annotations', '{}') ?? []),
    ...(workloadAnnotations.length || (w.kind === 'Pod' && w.annotated === 'template')
      ? [
          {
            key: 'annotations',
            style: style('annotations'),
            map: [
              ...slot('annotations.first'),
              ...workloadAnnotations,
              ...optIn('template'),
              ...(w.kind === 'Pod' ? native : []),
              ...slot('annotations.last'),
            ],
          },
        ]
      : []),
    ...slot('meta.last'),
  ];
  const container = (c: Workload['containers'][number], i: number, last: boolean): Entry[] => [
    ...(i === 0 ? slot('container.first') : []),
    { key: 'name', style: style('name'), scalar: scalar(c.name) },
    { key: 'image', scalar: 'nginx:1.27' },
    ...((i === 0 ? nulled('env', 'env', '[]') : undefined) ??
      (c.env
        ? [
            {
              key: 'env',
              style: style('env'),
              seq: [[{ key: 'name', scalar: 'PORT' }, { key: 'value', scalar: '"8080"' }, ...slot('env.last')]],
            },
          ]
        : [])),
    ...((i === 0 ? nulled('mounts', 'volumeMounts', '[]') : undefined) ??
      (c.mount && w.volumes
        ? [
            {
              key: 'volumeMounts',
              seq: [
                [
                  { key: 'name', scalar: 'data' },
                  { key: 'mountPath', scalar: '/data' },
                ],
              ],
            },
          ]
        : [])),
    ...(i === 0 ? slot('container.last') : []),
    ...(last ? slot('lastContainer.last') : []),
  ];
  const podSpec: Entry[] = [
    ...slot('podSpec.first'),
    ...(nulled('init', 'initContainers', '[]') ??
      (w.init
        ? [
            {
              key: 'initContainers',
              seq: [[{ key: 'name', scalar: 'setup' }, { key: 'image', scalar: 'busybox' }, ...slot('init.last')]],
            },
          ]
        : [])),
    {
      key: 'containers',
      style: style('containers'),
      seq: w.containers.map((c, i) => container(c, i, i === w.containers.length - 1)),
    },
    ...(isJob ? [{ key: 'restartPolicy', scalar: 'Never' }] : []),
    ...(w.volumes
      ? [
          {
            key: 'volumes',
            seq: [[{ key: 'name', scalar: 'data' }, { key: 'emptyDir', scalar: '{}' }, ...slot('volume.last')]],
          },
        ]
      : []),
    ...(nulled('volumes', 'volumes', '[]') ?? []),
    ...slot('podSpec.last'),
  ];
  const templateAnnotations = [...optIn('template'), ...(w.annotated === 'template' ? native : [])];
  const podMeta: Entry[] = [
    ...slot('podMeta.first'),
    ...(nulled('podLabels', 'labels', '{}') ??
      (w.podLabels
        ? [
            {
              key: 'labels',
              style: style('labels'),
              map: [...slot('podLabels.first'), { key: 'app', scalar: name }, ...slot('podLabels.last')],
            },
          ]
        : [])),
    ...(nulled('podAnnotations', 'annotations', '{}') ?? []),
    ...(templateAnnotations.length
      ? [{ key: 'annotations', map: [...templateAnnotations, ...slot('podAnnotations.last')] }]
      : []),
    ...slot('podMeta.last'),
  ];
  const template: Entry[] = [
    ...(nulled('podMeta', 'metadata', '{}') ?? [
      {
        key: 'metadata',
        style: style('metadata'),
        map:
          w.podLabels || templateAnnotations.length || nullApplies(w, 'podLabels')
            ? podMeta
            : [...podMeta, { key: 'labels', scalar: `{app: ${name}}` }],
      },
    ]),
    { key: 'spec', style: style('spec'), map: podSpec },
    ...slot('template.last'),
  ];
  const selector: Entry = { key: 'selector', scalar: `{matchLabels: {app: ${name}}}` };
  const spec: Record<Kind, Entry[]> = {
    Pod: podSpec,
    Deployment: [selector, { key: 'template', map: template }],
    ReplicaSet: [selector, { key: 'template', map: template }],
    DaemonSet: [selector, { key: 'template', map: template }],
    StatefulSet: [selector, { key: 'serviceName', scalar: name }, { key: 'template', map: template }],
    Job: [{ key: 'template', map: template }],
    CronJob: [
      { key: 'schedule', scalar: '"*/5 * * * *"' },
      { key: 'jobTemplate', map: [{ key: 'spec', map: [{ key: 'template', map: template }] }] },
    ],
  };
  const apiVersion = { Pod: 'v1', Job: 'batch/v1', CronJob: 'batch/v1' }[w.kind as string] ?? 'apps/v1';
  return [
    { key: 'apiVersion', scalar: apiVersion },
    { key: 'kind', scalar: w.kind },
    { key: 'metadata', style: style('metadata'), map: metadata },
    { key: 'spec', style: style('spec'), map: spec[w.kind] },
    ...slot('root.last'),
  ];
}

function configMapEntries(c: ConfigMapItem): Entry[] {
  return [
    { key: 'apiVersion', scalar: 'v1' },
    { key: 'kind', scalar: 'ConfigMap' },
    { key: 'metadata', map: [{ key: 'name', scalar: scalar(c.name) }] },
    {
      key: 'data',
      map: [{ key: 'plain', scalar: '0x1F' }, ...c.corners.map((corner, i) => ({ corner, id: `k${i}` }))],
    },
  ];
}

export const itemName = (item: Item): string => ('w' in item ? item.w.name : item.c.name);
export const itemKind = (item: Item): string => ('w' in item ? item.w.kind : 'ConfigMap');

export interface Rendered {
  text: string;
  eol: string;
  /** The column of the items' dashes. */
  itemsColumn: number;
}

/** The package as a ResourceList in its file style. */
export function renderPackage(p: Package): Rendered {
  const { style } = p;
  const ctx: Ctx = { n: style.indent, seqIndent: style.indentSeq ? style.indent : 0, anchors: { next: 0 } };
  const itemsColumn = style.itemsIndented ? style.indent : 0;
  const items = p.items.map((item) => ('w' in item ? workloadEntries(item.w) : configMapEntries(item.c)));
  const lines = [
    'apiVersion: config.kubernetes.io/v1',
    'kind: ResourceList',
    style.itemsKey,
    ...items.flatMap((entries, i) => {
      const item = p.items[i];
      const header = 'w' in item && item.w.header ? ['# the next item'] : [];
      return [...header, ...renderSeq([entries], itemsColumn, ctx)];
    }),
  ];
  const eol = style.crlf ? '\r\n' : '\n';
  const text = (style.bom ? '\uFEFF' : '') + lines.join(eol) + (style.finalNewline ? eol : '');
  return { text, eol, itemsColumn };
}

/** The same workload with no corners, in the plainest style: what the additions are compared with. */
export function renderTwin(w: Workload): string {
  const ctx: Ctx = { n: 2, seqIndent: 0, anchors: { next: 0 } };
  const lines = renderSeq([workloadEntries(w, true)], 0, ctx);
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${lines.join('\n')}\n`;
}

/** Numbers JSON carries but a JavaScript number does not. */
export const BIG_NUMBERS = [
  '9007199254740993',
  '123456789012345678901',
  '1e400',
  '-1.5e-400',
  '0.10000000000000000001',
];

export interface JsonStyle {
  indent: number;
  crlf: boolean;
  numbers: string[];
}

export const jsonPackage = fc.record({
  style: fc.record({
    indent: fc.integer({ min: 0, max: 4 }),
    crlf: fc.boolean(),
    numbers: fc.subarray(BIG_NUMBERS, { minLength: 1 }),
  }),
  items: fc.array(
    fc.oneof(
      workload(fc.constantFrom('workload', 'template')).map((w) => ({ w })),
      workload(fc.constant('none' as const)).map((w) => ({ w })),
    ),
    { minLength: 1, maxLength: 3 },
  ),
});
export type JsonPackage = typeof jsonPackage extends fc.Arbitrary<infer T> ? T : never;

/** Entries as JSON text: scalars as YAML 1.2 reads them; `json` entries are written as they are. */
function entriesToJson(entries: JsonEntry[]): string {
  const value = (e: JsonEntry): string => {
    if ('json' in e) return e.json;
    if ('corner' in e) throw new Error('JSON items have no corners');
    if ('scalar' in e) return JSON.stringify(parseDocument(`k: ${e.scalar}`, { version: '1.2' }).toJS().k);
    if ('nothing' in e) return 'null';
    if ('map' in e) return entriesToJson(e.map);
    return `[${e.seq.map((item) => entriesToJson(item)).join(', ')}]`;
  };
  return `{${entries.map((e) => `${JSON.stringify((e as { key: string }).key)}: ${value(e)}`).join(', ')}}`;
}
type JsonEntry = Entry | { key: string; json: string };

/** The map holding `containers` (the pod spec), to put numbers next to what injection edits. */
function podSpecOf(entries: Entry[]): Entry[] | undefined {
  if (entries.some((e) => 'key' in e && e.key === 'containers')) return entries;
  for (const e of entries) {
    const found = 'map' in e ? podSpecOf(e.map) : undefined;
    if (found) return found;
  }
  return undefined;
}

export function renderJsonPackage(p: JsonPackage): string {
  const numbers = p.style.numbers.map((json, i) => ({ key: `n${i}`, json }));
  const items = p.items.map((item) => {
    const entries = workloadEntries(item.w, true);
    (podSpecOf(entries) as JsonEntry[] | undefined)?.push(...numbers);
    return entriesToJson([...entries, ...numbers]);
  });
  const eol = p.style.crlf ? '\r\n' : '\n';
  const space = ' '.repeat(p.style.indent);
  const list = p.style.indent ? `[${eol}${space}${items.join(`,${eol}${space}`)}${eol}]` : `[${items.join(', ')}]`;
  return `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",${eol}"items": ${list}}${eol}`;
}
