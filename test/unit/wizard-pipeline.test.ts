/**
 * The page's pipeline beyond the happy path: annotations written only where they can be shown right (held to
 * `yaml` over the differential suite's hard corners), workloads inside a `kind: List`, the memo that carries
 * parses and outcomes between computes (always the same answer as a fresh compute), and the Review diff.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readJson } from '../../fn/yaml/documents';
import { editText } from '../../fn/package/stream';
import { listItems } from '../../fn/inject/list';
import { processResource } from '../../fn/inject/process';
import { parseResource } from '../../fn/resource';
import { podPaths, workloadKind } from '../../fn/workloads';
import { isSeq } from '../../fn/yaml/nodes';
import { setAnnotations, type AnnotationChanges } from '../../fn/package/annotate';
import { lineDiff, lineRuns } from '../../web/line-diff';
import { PackageSession } from '../../fn/package/session';
import { annotationChanges, compute, documentProblems, outcomeOf, piecesOf, type Computed } from '../../web/pipeline';
import { initialState, type WizardState } from '../../web/state';
import { ROOT } from '../support/helpers';
import { jsonPackage, renderJsonPackage, renderPackage, yamlPackage } from '../support/yaml-corners';

const ON = 'sidecar.speedscale.com/inject';
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const compute1 = (text: string, path: string, changes: Partial<WizardState> = {}): Computed =>
  compute({ ...initialState(), sources: [{ path, text }], ...changes });

/** `yaml`'s reading of one item cut out of a List (a one-item sequence), or of a document. */
function yamlData(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new Error(`does not parse: ${doc.errors[0].message}`);
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

/** The data with the changes made by hand: an annotations map left empty counts as none. */
function withChanges(data: unknown, path: readonly string[], changes: AnnotationChanges): unknown {
  const copy = structuredClone(data) as Json;
  // Nothing written: what is not there stays as it was, a null (`metadata:`, `annotations:`) included.
  if (Object.values(changes).every((v) => v === null)) {
    let held: unknown = copy;
    for (const key of [...path, 'annotations']) held = isObject(held) ? held[key] : undefined;
    if (!isObject(held)) return emptyAnnotationsOut(copy, path);
  }
  let at = copy;
  for (const key of path) at = isObject(at[key]) ? at[key] : (at[key] = {});
  const annotations = isObject(at.annotations) ? at.annotations : {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete annotations[key];
    else annotations[key] = value;
  }
  at.annotations = annotations;
  return emptyAnnotationsOut(copy, path);
}

/** An empty annotations map counts as none, and so does the empty metadata it leaves; a null does not. */
function emptyAnnotationsOut(data: unknown, path: readonly string[]): unknown {
  let parent: unknown;
  let at: unknown = data;
  for (const key of path) [parent, at] = [at, isObject(at) ? at[key] : undefined];
  if (isObject(at) && isObject(at.annotations) && !Object.keys(at.annotations).length) delete at.annotations;
  if (isObject(parent) && isObject(at) && !Object.keys(at).length) delete parent[path[path.length - 1]];
  return data;
}

describe('annotations the page writes: right, or not at all', () => {
  const changes = fc.record({
    [ON]: fc.constantFrom('true', 'false', null),
    'sidecar.speedscale.com/log-level': fc.constantFrom('debug', null),
  });

  it('over the hard corners, an annotated item means exactly the item with the changes (held to yaml)', () => {
    let written = 0;
    let refused = 0;
    fc.assert(
      fc.property(yamlPackage, changes, fc.boolean(), (p, change, onPod) => {
        const { text } = renderPackage(p);
        const list = parseResource(text.replace(/^\uFEFF/, ''));
        if ('error' in list) throw new Error(list.error);
        const seq = list.root.get('items', true);
        if (!isSeq(seq)) throw new Error('no items');
        for (const item of listItems(list.text, seq)) {
          const before = yamlData(item.text) as Json;
          const kind = workloadKind(String(before.apiVersion), String(before.kind));
          if (!kind) continue;
          const path = onPod ? podPaths(kind).podMetadata : ['metadata'];
          const done = setAnnotations(item.text, path, change);
          if ('problem' in done) {
            refused++;
            continue;
          }
          written++;
          expect(emptyAnnotationsOut(yamlData(done.text), path)).toEqual(withChanges(before, path, change));
          // Lines as the item has them: CRLF stays CRLF, no final line break stays none.
          if (item.text.includes('\r\n')) expect(done.text).not.toMatch(/[^\r]\n/);
          expect(done.text.endsWith('\n')).toBe(item.text.endsWith('\n'));
        }
      }),
      { seed: 20261202, numRuns: 150 },
    );
    // Most items are written: the refusals are the corners a read-back cannot show right.
    expect(written).toBeGreaterThan(refused * 3);
  });

  it('fills a key that holds null (the commented-out opt-in) in place, and refuses one that holds a scalar', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  annotations:',
      `    # ${ON}: "true"`,
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata:',
      '      labels: {app: web}',
      '    spec:',
      '      containers:',
      '      - name: app',
      '        image: web:1',
      '',
    ].join('\n');
    const annotated = text.replace('  annotations:\n', `  annotations:\n    ${ON}: "true"\n`);
    expect(setAnnotations(text, ['metadata'], { [ON]: 'true' })).toEqual({ text: annotated });
    const c = compute({
      ...initialState(),
      sources: [{ path: 'web.yaml', text }],
      choices: { 'Deployment/default/web': true },
    });
    expect(c.files[0].source).toBe(annotated);
    expect(c.notAnnotated.size).toBe(0);
    expect(c.files[0].output).toContain('- name: speedscale-goproxy');
    // Taking out what is not there needs no map: nothing to refuse, nothing changed.
    expect(setAnnotations(text, ['metadata'], { [ON]: null })).toEqual({ text });
    // A scalar there is no map, and no null: refused, the workload as it came.
    const scalar = text.replace(`  annotations:\n    # ${ON}: "true"\n`, '  annotations: none\n');
    const problem = 'metadata.annotations is not a map: write {} there, or remove the key';
    expect(setAnnotations(scalar, ['metadata'], { [ON]: 'true' })).toEqual({ problem });
    const refused = compute({
      ...initialState(),
      sources: [{ path: 'web.yaml', text: scalar }],
      choices: { 'Deployment/default/web': true },
    });
    expect(refused.files[0].output).toBe(scalar);
    expect([...refused.notAnnotated.values()]).toEqual([problem]);
  });
});

describe('the page and the function agree', () => {
  it('over the hard corners as a kind: List, with any ticks: the output is what inject writes of the source', () => {
    fc.assert(
      fc.property(
        yamlPackage,
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (p, ticks, onPod) => {
          const text = renderPackage(p).text.replace(
            /^(\uFEFF?)apiVersion: config\.kubernetes\.io\/v1(\r?\n)kind: ResourceList/,
            '$1apiVersion: v1$2kind: List',
          );
          const found = compute({ ...initialState(), sources: [{ path: 'l.yaml', text }] }).workloads;
          const choices = Object.fromEntries(found.map((w, i) => [w.id, ticks[i % ticks.length]]));
          const c = compute({
            ...initialState(),
            sources: [{ path: 'l.yaml', text }],
            choices,
            annotateOn: onPod ? 'pod' : 'workload',
          });
          const { source, output, outcomes } = c.files[0];
          const cli = editText(source, (r) => processResource(r, { config: {} }));
          expect(output).toBe(cli.text);
          expect(outcomes).toEqual(cli.outcomes);
          // What the page refused to annotate is in the source as it came; the rest means what was chosen.
          const items = (yamlData(source.replace(/^\uFEFF/, '')) as { items: Json[] }).items;
          const was = (yamlData(text.replace(/^\uFEFF/, '')) as { items: Json[] }).items;
          expect(items).toHaveLength(was.length);
          for (const w of c.workloads) {
            if (c.notAnnotated.has(`0/${w.id}`)) {
              expect(piecesOf(c, w).before).toBe(itemOf(source, w.item!));
              continue;
            }
            const kind = workloadKind(String(was[w.item!].apiVersion), w.kind)!;
            const { workload, pod } = annotationChanges(w, {
              ...initialState(),
              choices,
              annotateOn: onPod ? 'pod' : 'workload',
            });
            const wanted = withChanges(
              withChanges(was[w.item!], ['metadata'], workload),
              podPaths(kind).podMetadata,
              pod,
            );
            const podPath = podPaths(kind).podMetadata;
            expect(emptyAnnotationsOut(emptyAnnotationsOut(items[w.item!], ['metadata']), podPath)).toEqual(wanted);
          }
          if (text.includes('\r\n')) expect(source).not.toMatch(/[^\r]\n/);
        },
      ),
      { seed: 20261202, numRuns: 60 },
    );
  });
});

describe('each file as the function reads it', () => {
  const deployment = (name: string) =>
    `{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "${name}"}, "spec": {"selector": ` +
    `{"matchLabels": {"app": "${name}"}}, "template": {"metadata": {"labels": {"app": "${name}"}}, ` +
    `"spec": {"containers": [{"name": "app", "image": "${name}:1"}]}}}}`;
  const cli = (text: string) => editText(text, (r) => processResource(r, { config: {} }));

  it('a flow-map document in a YAML stream is YAML: annotated in place, its --- line and its neighbours kept', () => {
    const flowYaml = // not JSON: plain scalars
      '{apiVersion: apps/v1, kind: Deployment, metadata: {name: web2}, spec: {template: {spec: {containers: [{name: a}]}}}}';
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\n${deployment('web')}\n---\n${flowYaml}\n`;
    const found = compute1(text, 's.yaml').workloads.map((w) => w.id);
    expect(found).toEqual(['Deployment/default/web', 'Deployment/default/web2']);
    const c = compute1(text, 's.yaml', {
      choices: { 'Deployment/default/web': true, 'Deployment/default/web2': true },
    });
    const { source, output } = c.files[0];
    expect(c.notAnnotated.size).toBe(0);
    expect(source.startsWith('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\n')).toBe(true);
    const docs = source.split(/^---\n/m);
    expect(docs).toHaveLength(3);
    for (const doc of docs.slice(1))
      expect(yamlData(doc)).toMatchObject({ metadata: { annotations: { [ON]: 'true' } } });
    expect(output).toBe(cli(source).text);
    expect(cli(source).outcomes.map((o) => o.status)).toEqual(['skipped', 'injected', 'injected']);
  });

  it('a JSON file keeps its byte-order mark and its CRLF line endings, in the page and in inject', () => {
    const json = `\uFEFF${JSON.stringify(JSON.parse(deployment('web')), null, 4).replaceAll('\n', '\r\n')}\r\n`;
    const c = compute1(json, 'web.json', { choices: { 'Deployment/default/web': true } });
    const { source, output } = c.files[0];
    expect(source.startsWith('\uFEFF{\r\n    "apiVersion"')).toBe(true);
    expect(source).not.toMatch(/[^\r]\n/);
    expect(source).toContain(`"annotations": {\r\n            "${ON}": "true"\r\n        }`);
    expect(output).toBe(cli(source).text);
    expect(output.startsWith('\uFEFF{\r\n')).toBe(true);
    expect(output).not.toMatch(/[^\r]\n/);
    expect(output).toContain('speedscale-goproxy');
  });

  it('over generated JSON packages and ticks: valid JSON, its line endings kept, what inject writes of it', () => {
    fc.assert(
      fc.property(jsonPackage, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (p, ticks) => {
        const text = renderJsonPackage(p).replace(
          '"config.kubernetes.io/v1", "kind": "ResourceList"',
          '"v1", "kind": "List"',
        );
        const found = compute1(text, 'p.json').workloads;
        expect(found.length).toBe(p.items.length);
        const choices = Object.fromEntries(found.map((w, i) => [w.id, ticks[i % ticks.length]]));
        const { source, output } = compute1(text, 'p.json', { choices }).files[0];
        expect('error' in readJson(source)).toBe(false);
        if (text.includes('\r\n')) expect(source).not.toMatch(/[^\r]\n/);
        expect(output).toBe(cli(source).text);
      }),
      { seed: 20261202, numRuns: 60 },
    );
  });

  it('a YAML error is given at its line in the editor, whatever the page annotated above it', () => {
    const plain =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' +
      'spec:\n  template:\n    spec:\n      containers:\n      - {name: a, image: a}\n';
    const text = `${plain}---\nkind: Service\nmetadata: {name: x\n`;
    const line = (c: Computed) =>
      /^a\.yaml:(\d+):\d+: /.exec(documentProblems(c.files[0], (o) => o.detail ?? '')[0])![1];
    const plainly = line(compute1(text, 'a.yaml'));
    const annotated = compute1(text, 'a.yaml', {
      choices: { 'Deployment/default/web': true },
      annotations: { 'Deployment/default/web': { logLevel: 'debug', proxyOutPort: '4999' } },
    });
    expect(annotated.files[0].source.split('\n').length).toBeGreaterThan(text.split('\n').length + 2);
    expect(line(annotated)).toBe(plainly);
    expect(Number(plainly)).toBeGreaterThan(plain.split('\n').length);
  });
});

/** Item `index` of the List in `text`, as the page cuts it. */
function itemOf(text: string, index: number): string {
  const list = parseResource(text.replace(/^\uFEFF/, ''));
  if ('error' in list) throw new Error(list.error);
  const seq = list.root.get('items', true);
  if (!isSeq(seq)) throw new Error('no items');
  return listItems(list.text, seq)[index].text;
}

describe('a JSON file (kubectl get -o json)', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } },
    },
  };
  const text = `${JSON.stringify(deployment, null, 4)}\n`;
  const state = (choices: WizardState['choices']): WizardState => ({
    ...initialState(),
    sources: [{ path: 'web.json', text }],
    choices,
  });

  it('is annotated as JSON, written as kubectl writes it, and injected as inject does', () => {
    const c = compute(state({ 'Deployment/default/web': true }));
    const { source, output } = c.files[0];
    const expected = structuredClone(deployment) as Json;
    (expected.metadata as Json).annotations = { [ON]: 'true' };
    expect(source).toBe(`${JSON.stringify(expected, null, 4)}\n`);
    expect(output).toBe(editText(source, (r) => processResource(r, { config: {} })).text);
    expect(JSON.parse(output)).toMatchObject({
      spec: { template: { spec: { containers: [{ name: 'app' }, { name: 'speedscale-goproxy' }] } } },
    });
    // Unticked again, the opt-in goes and the file is the user's again, byte for byte.
    expect(
      compute({ ...state({ 'Deployment/default/web': false }), sources: [{ path: 'web.json', text: source }] }).files[0]
        .source,
    ).toBe(text);
  });

  it('lists, ticks and reviews the items of a JSON List', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } };
    const list = { apiVersion: 'v1', kind: 'List', items: [service, deployment], metadata: { resourceVersion: '' } };
    const json = `${JSON.stringify(list, null, 4)}\n`;
    const c = compute({
      ...initialState(),
      sources: [{ path: 'all.json', text: json }],
      choices: { 'Deployment/default/web': true },
    });
    expect(c.workloads.map((w) => [w.id, w.item])).toEqual([['Deployment/default/web', 1]]);
    const { source, output } = c.files[0];
    const expected = structuredClone(list) as { items: Json[] };
    (expected.items[1].metadata as Json).annotations = { [ON]: 'true' };
    expect(source).toBe(`${JSON.stringify(expected, null, 4)}\n`);
    expect(output).toBe(editText(source, (r) => processResource(r, { config: {} })).text);
    expect(outcomeOf(c, c.workloads[0])?.status).toBe('injected');
    const { before, after } = piecesOf(c, c.workloads[0]);
    // The item as the YAML the function edits the JSON as.
    expect(before).toMatch(/^ *- apiVersion: apps\/v1\n *kind: Deployment\n/);
    expect(before).not.toContain('speedscale');
    expect(after).toContain('name: speedscale-goproxy');
  });
});

const LIST = [
  'apiVersion: v1',
  'kind: List',
  'items:',
  '- apiVersion: apps/v1',
  '  kind: Deployment',
  '  metadata:',
  '    name: api',
  '    namespace: shop',
  '  spec:',
  '    selector: {matchLabels: {app: api}}',
  '    template:',
  '      metadata:',
  '        labels: {app: api}',
  '      spec:',
  '        containers:',
  '        - name: api',
  '          image: api:1',
  '- apiVersion: v1',
  '  kind: Service',
  '  metadata:',
  '    name: api',
  '- apiVersion: apps/v1',
  '  kind: StatefulSet',
  '  metadata:',
  '    name: db',
  '    namespace: shop',
  '  spec:',
  '    selector: {matchLabels: {app: db}}',
  '    template:',
  '      metadata:',
  '        labels: {app: db}',
  '      spec:',
  '        initContainers:',
  '        - name: migrate',
  '          image: db:1',
  '        containers:',
  '        - name: db',
  '          image: db:1',
  '',
].join('\n');

describe('workloads inside a kind: List', () => {
  const state = (changes: Partial<WizardState> = {}): WizardState => ({
    ...initialState(),
    sources: [{ path: 'list.yaml', text: LIST }],
    ...changes,
  });

  it('lists each workload item, and ticking one annotates that item alone', () => {
    const c = compute(state({ choices: { 'StatefulSet/shop/db': true } }));
    expect(c.workloads.map((w) => [w.id, w.item, w.containers, w.initContainers])).toEqual([
      ['Deployment/shop/api', 0, ['api'], []],
      ['StatefulSet/shop/db', 2, ['db'], ['migrate']],
    ]);
    const { source, output } = c.files[0];
    expect(source).toBe(
      LIST.replace('    name: db\n    namespace: shop\n', `$&    annotations:\n      ${ON}: "true"\n`),
    );
    // The function injects the item it was given, as `inject` does a List's items.
    expect(output).toBe(editText(source, (r) => processResource(r, { config: {} })).text);
    const db = c.workloads[1];
    expect(outcomeOf(c, db)?.status).toBe('injected');
    expect(outcomeOf(c, c.workloads[0])?.status).toBe('skipped');
    // The Review shows the item, as loaded and as written.
    const pieces = piecesOf(c, db);
    expect(pieces.before).toBe(LIST.slice(LIST.indexOf('- apiVersion: apps/v1\n  kind: StatefulSet')));
    expect(pieces.after).toContain('name: speedscale-goproxy');
    expect(pieces.after.startsWith('- apiVersion: apps/v1\n  kind: StatefulSet')).toBe(true);
  });

  it('unticking an injected item removes its sidecar exactly', () => {
    const injected = compute(state({ choices: { 'Deployment/shop/api': true } })).files[0].output;
    const back = compute({
      ...state({ choices: { 'Deployment/shop/api': false } }),
      sources: [{ path: 'l.yaml', text: injected }],
    });
    expect(back.files[0].output).toBe(
      LIST.replace(
        '    name: api\n    namespace: shop\n',
        `    name: api\n    namespace: shop\n    annotations:\n      ${ON}: "false"\n`,
      ),
    );
  });
});

describe('the memo: the answer of a fresh compute, at a fraction of the work', () => {
  const storefront = readFileSync(join(ROOT, 'fixtures/storefront/release/storefront.yaml'), 'utf8');
  const comparable = (c: Computed) => ({ ...c, outcomes: [...c.outcomes], notAnnotated: [...c.notAnnotated] });

  it('over a session of ticks, settings, edits and Namespaces, every compute equals a fresh one', () => {
    const ids = compute({ ...initialState(), sources: [{ path: 's.yaml', text: storefront }] }).workloads.map(
      (w) => w.id,
    );
    expect(ids.length).toBeGreaterThan(5);
    const change = fc.oneof(
      fc.record({ tick: fc.constantFrom(...ids), on: fc.boolean() }),
      fc.record({
        config: fc.constantFrom('tlsOut', 'proxyInPort', 'logLevel'),
        value: fc.constantFrom('true', '70000', 'debug', ''),
      }),
      fc.record({ own: fc.constantFrom(...ids), value: fc.constantFrom('debug', '') }),
      fc.record({ pod: fc.boolean() }),
      fc.record({ edit: fc.constantFrom('comment', 'namespace', 'break') }),
    );
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 8 }), (changes) => {
        const memo = new PackageSession();
        let state: WizardState = { ...initialState(), sources: [{ path: 's.yaml', text: storefront }] };
        compute(state, memo);
        for (const c of changes) {
          state = structuredClone(state);
          if ('tick' in c) state.choices[c.tick] = c.on;
          else if ('config' in c) state.config[c.config] = c.value;
          else if ('own' in c) state.annotations[c.own] = { logLevel: c.value };
          else if ('pod' in c) state.annotateOn = c.pod ? 'pod' : 'workload';
          else {
            const text = state.sources[0].text;
            const extra = {
              comment: '# a comment the user typed\n',
              namespace:
                '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n',
              break: '---\nkind: [\n',
            }[c.edit];
            state.sources[0].text = `${text}${extra}`;
          }
          expect(comparable(compute(state, memo))).toEqual(comparable(compute(state)));
        }
      }),
      { seed: 20261202, numRuns: 40 },
    );
  });
});

describe('the Review diff, by lines', () => {
  const apply = (a: string, b: string, changes: ReturnType<typeof lineDiff>) => {
    let out = '';
    let at = 0;
    for (const c of changes) {
      out += a.slice(at, c.fromA) + b.slice(c.fromB, c.toB);
      at = c.toA;
    }
    return out + a.slice(at);
  };
  const lcs = (x: string[], y: string[]) => {
    const dp = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
    for (let i = 1; i <= x.length; i++)
      for (let j = 1; j <= y.length; j++)
        dp[i][j] = x[i - 1] === y[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
    return dp[x.length][y.length];
  };

  it('turns one text into the other, with as few changed lines as can be', () => {
    const line = fc.constantFrom('a\n', 'b\n', 'c\n', 'ab\n', '\n', 'a');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 24 }), fc.array(line, { maxLength: 24 }), (x, y) => {
        const [a, b] = [x.join(''), y.join('')];
        expect(apply(a, b, lineDiff(a, b))).toBe(b);
        const runs = lineRuns(x, y)!;
        const changed = runs.reduce((sum, [a0, a1, b0, b1]) => sum + a1 - a0 + b1 - b0, 0);
        expect(changed).toBe(x.length + y.length - 2 * lcs(x, y));
      }),
      { seed: 20261202, numRuns: 2000 },
    );
  });

  it('gives texts with nothing alike as one change, past its limit', () => {
    // 2,400 differing lines: under the old limit of 4,000 edits this was diffed line by line.
    const a = Array.from({ length: 1200 }, (_, i) => `a${i}\n`).join('');
    const b = Array.from({ length: 1200 }, (_, i) => `b${i}\n`).join('');
    const changes = lineDiff(`same\n${a}`, `same\n${b}`);
    expect(changes.map((c) => [c.fromA, c.toA, c.fromB, c.toB])).toEqual([[0, a.length + 5, 0, b.length + 5]]);
    expect(apply(`same\n${a}`, `same\n${b}`, changes)).toBe(`same\n${b}`);
  });

  it('marks an injection as exactly the lines it added', () => {
    const state = {
      ...initialState(),
      sources: [{ path: 'l.yaml', text: LIST }],
      choices: { 'Deployment/shop/api': true },
    };
    const c = compute(state);
    const { before, after } = piecesOf(c, c.workloads[0]);
    const changes = lineDiff(before, after);
    const added = changes.map((ch) => after.slice(ch.fromB, ch.toB));
    expect(changes.every((ch) => ch.fromA === ch.toA)).toBe(true); // nothing removed
    // Whole lines, but for the label added to a flow map in place: only its characters.
    expect(added.filter((text) => !text.endsWith('\n'))).toEqual([', sidecar.speedscale.com/injected: "true"']);
    expect(apply(before, after, changes)).toBe(after);
  });
});
