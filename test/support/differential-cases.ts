/**
 * Issue 16's reproducers in the generator's own terms: the differential test runs them first (as
 * fast-check examples), so each stays covered whatever the seed; the random packages then look further.
 */
import {
  NULL_SLOTS,
  NULL_SPELLINGS,
  type FileStyle,
  type JsonPackage,
  type Package,
  type Workload,
} from './yaml-corners';

const plainStyle: FileStyle = {
  indent: 2,
  indentSeq: false,
  crlf: false,
  bom: false,
  finalNewline: true,
  itemsKey: 'items:',
  itemsIndented: false,
};

/** "D" of the issue: a Deployment `a` opted in, labels on the workload and the template, one container. */
const d = (w: Partial<Workload> = {}): Workload => ({
  kind: 'Deployment',
  name: 'a',
  containers: [{ name: 'app', env: false, mount: false }],
  init: false,
  volumes: false,
  labels: true,
  podLabels: true,
  annotated: 'workload',
  tlsOut: false,
  extraEnv: false,
  knownCa: false,
  nulls: {},
  corners: {},
  keys: {},
  header: false,
  ...w,
});
const untouched = (w: Partial<Workload> = {}) => ({ w: d({ name: 'b', annotated: 'none', ...w }) });
/** The case's workload last in the list, after an untouched one: where the list's own end matters too. */
const one = (w: Partial<Workload>, style: Partial<FileStyle> = {}): Package => ({
  style: { ...plainStyle, ...style },
  items: [untouched(), { w: d(w) }],
});

export const ISSUE_CASES: Record<string, Package> = {
  '1 empty last template label, then a comment': one({ corners: { 'podLabels.last': ['empty', 'comment-same'] } }),
  '2 labels end in a nested map ending in `? z`': one({ corners: { 'labels.last': ['nested-explicit'] } }),
  '2 annotations end in a nested map ending in `? z`': one({ corners: { 'annotations.last': ['nested-explicit'] } }),
  '2 template labels end in a !!set': one({ corners: { 'podLabels.last': ['set'] } }),
  '3 `? containers` / `:` / `- name: app`': one({ keys: { containers: 'explicit' } }),
  '3 `? labels` / `: app: a` in the template metadata': one({ keys: { labels: 'explicit-compact' } }),
  '3 `!!str k:` first in the pod spec': one({ corners: { 'podSpec.first': ['tag-key'] } }),
  '3 `&a k:` first in the pod spec': one({ corners: { 'podSpec.first': ['anchor-key'] } }),
  '5 workload and container named 0o17': one({
    name: '0o17',
    containers: [{ name: '0o17', env: false, mount: false }],
  }),
  '6 `items: # a comment` beside an untouched ConfigMap': {
    style: { ...plainStyle, itemsKey: 'items: # the resources' },
    items: [{ w: d() }, { c: { name: 'c', corners: ['folded', 'flow-map'] } }],
  },
  '7 `hostname:` then a deeper `# TODO` last in the pod spec': one({
    corners: { 'podSpec.last': ['empty', 'comment-deeper'] },
  }),
  '7 a `!!str |` label, then a less-indented comment': one({
    corners: { 'podLabels.last': ['str-block', 'comment-shallower'] },
  }),
  '8 no final newline': one({}, { finalNewline: false }),
  '9 CRLF': one({}, { crlf: true }),
  '8+9 CRLF without a final newline': one({}, { crlf: true, finalNewline: false }),
  '9 a byte-order mark': one({}, { bom: true }),
  '9 a column-0 comment before the next item': {
    style: plainStyle,
    items: [{ w: d({ corners: { 'root.last': ['comment-0'] } }) }, untouched({ header: true })],
  },
  'real: the last container ends in a comment at its indentation, then a sibling of the template': one({
    kind: 'StatefulSet',
    corners: { 'lastContainer.last': ['comment-same'], 'template.last': ['empty'] },
  }),
};

/**
 * Issue 21: keys written holding null where the function adds (Helm's empty ranges), each spelling of null
 * at each slot, with every setting that adds env or mounts to the app containers; the opt-in on the
 * template where the workload's own annotations are the slot.
 */
export const NULL_CASES: Record<string, Package> = Object.fromEntries(
  NULL_SLOTS.flatMap((slot, i) =>
    [0, 1, 2].map((k) => {
      const spelling = NULL_SPELLINGS[(i * 3 + k) % NULL_SPELLINGS.length];
      const w: Partial<Workload> = {
        nulls: { [slot]: spelling },
        tlsOut: true,
        extraEnv: k !== 1,
        knownCa: k !== 2,
        init: k === 0,
        annotated: slot === 'annotations' ? 'template' : k === 2 && slot !== 'podAnnotations' ? 'template' : 'workload',
        kind: k === 1 && slot !== 'podMeta' && slot !== 'podLabels' && slot !== 'podAnnotations' ? 'Pod' : 'Deployment',
      };
      return [
        `21 ${slot} written as \`${slot}:${spelling}\` (${w.kind}, opt-in on the ${w.annotated})`,
        one(w, k === 1 ? { indentSeq: true, indent: 4 } : {}),
      ];
    }),
  ),
);

export const JSON_CASES: Record<string, JsonPackage> = {
  '4 JSON: 9007199254740993, 123456789012345678901, 1e400': {
    style: { indent: 0, crlf: false, numbers: ['9007199254740993', '123456789012345678901', '1e400'] },
    items: [{ w: d() }, { w: d({ name: 'b', annotated: 'none' }) }],
  },
};
