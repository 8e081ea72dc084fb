/**
 * Real-world manifests: every YAML file under ../shared/corpus (never edited), each document a ResourceList
 * item, run as it is and with the inject annotation added by text to every supported workload. Every
 * resource is kept in order; every annotated workload is injected or has a result saying why not; setting
 * the annotation to "false" gives back the annotated input byte for byte.
 *
 * Optional: the corpus is public projects' manifests, kept beside the repository on machines that have it
 * and never copied into it. Without it this suite is skipped, with the reason printed; the other suites
 * use the repository's own examples (fixtures/storefront).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseAllDocuments, stringify, type YAMLMap } from 'yaml';
import { workloadKind } from '../../fn/workloads';
import { asItem, CORPUS, itemsOf, resultsOf, ROOT, run, validateInjected } from '../support/helpers';

const ON = 'sidecar.speedscale.com/inject: "true"';
const OFF = 'sidecar.speedscale.com/inject: "false"';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

/** The file's documents as text, without `---` lines and empty documents. */
function documents(text: string): string[] {
  return text
    .split(/^---[^\n]*\n?/m)
    .filter((doc) => doc.split('\n').some((line) => line.trim() !== '' && !line.trimStart().startsWith('#')))
    .map((doc) => (doc.endsWith('\n') ? doc : `${doc}\n`));
}

/** The document with the inject annotation added to its metadata by a text insertion, or undefined if it is no workload. */
function annotate(doc: string): string | undefined {
  const parsed = parseAllDocuments(doc, { version: '1.1' });
  if (Array.isArray(parsed) ? parsed.length !== 1 || parsed[0].errors.length : true) return undefined;
  const root = (parsed as any)[0].contents;
  if (!isMap(root)) return undefined;
  const str = (key: string) => {
    const node = root.get(key, true);
    return isScalar(node) ? String(node.value) : '';
  };
  if (!workloadKind(str('apiVersion'), str('kind'))) return undefined;
  const metadata = root.get('metadata', true);
  if (!isMap(metadata) || metadata.flow || !metadata.items.length) return undefined;
  const first = metadata.items[0].key as { range: [number, number, number] };
  const indent = first.range[0] - doc.lastIndexOf('\n', first.range[0] - 1) - 1;
  const annotations = metadata.get('annotations', true);
  if (annotations === undefined || (isScalar(annotations) && annotations.value === null)) {
    if (annotations !== undefined) return undefined; // `annotations:` with nothing: leave it to the author
    const at = first.range[0] - indent;
    return `${doc.slice(0, at)}${' '.repeat(indent)}annotations:\n${' '.repeat(indent + 2)}${ON}\n${doc.slice(at)}`;
  }
  if (!isMap(annotations)) return undefined;
  const map = annotations as YAMLMap;
  if (map.flow) {
    const open = doc.indexOf('{', map.range![0]);
    return `${doc.slice(0, open + 1)}${ON}${map.items.length ? ', ' : ''}${doc.slice(open + 1)}`;
  }
  const key = map.items[0].key as { range: [number, number, number] };
  const at = key.range[0] - (key.range[0] - doc.lastIndexOf('\n', key.range[0] - 1) - 1);
  const inner = key.range[0] - at;
  return `${doc.slice(0, at)}${' '.repeat(inner)}${ON}\n${doc.slice(at)}`;
}

/** Whether the author's workloads pass the schemas as written (the injected label added so they are checked). */
function authorValid(docs: string[]): boolean {
  const labelled = docs.map((doc) => {
    const value = parseAllDocuments(doc, { version: '1.2' }) as any;
    const js = value[0]?.toJS();
    if (js && typeof js === 'object' && js.metadata && typeof js.metadata === 'object')
      js.metadata.labels = { ...js.metadata.labels, 'sidecar.speedscale.com/injected': 'true' };
    return asItem(stringify(js ?? null));
  });
  try {
    validateInjected(resourceList(labelled));
    return true;
  } catch {
    return false;
  }
}

const resourceList = (items: string[]) =>
  `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n${items.length ? `items:\n${items.join('')}` : 'items: []\n'}`;

const present = existsSync(CORPUS);
if (!present) console.warn('[skipped] corpus: ../shared/corpus is not beside the repository');
const files = present ? yamlFiles(CORPUS) : [];

describe.skipIf(!present)(
  `real-world corpus (${present ? `${files.length} files` : `skipped: ${CORPUS} is absent`})`,
  () => {
    it('has files', () => expect(files.length).toBeGreaterThan(100));

    const totals = { items: 0, workloads: 0, injected: 0, explained: 0, invalidAsWritten: 0 };

    it.each(files.map((f) => [relative(CORPUS, f), f]))('%s', (_name, file) => {
      const docs = documents(readFileSync(file, 'utf8'));
      const items = docs.map(asItem);
      if (!items.length) return;
      totals.items += items.length;

      // As it is: nothing changes, nothing is lost.
      const plain = run(resourceList(items));
      if (plain.exitCode !== 0 && itemsOf(plain.stdout).length === 0) {
        // Unreadable input: a clean one-line failure (a corpus file that is not valid YAML).
        expect(plain.stderr.trim().split('\n')).toHaveLength(1);
        return;
      }
      expect(itemsOf(plain.stdout)).toEqual(items);

      // Annotated: every workload injected or explained.
      const annotated = docs.map((doc) => annotate(doc) ?? doc);
      const annotatedItems = annotated.map(asItem);
      const out = run(resourceList(annotatedItems));
      const after = itemsOf(out.stdout);
      expect(after).toHaveLength(items.length);
      const results = resultsOf(out.stdout);
      annotated.forEach((doc, i) => {
        if (doc === docs[i]) return expect(after[i]).toBe(annotatedItems[i]);
        totals.workloads++;
        const name = /^ {2,4}name: ['"]?([^'"\s#]+)/m.exec(doc)?.[1];
        if (after[i].includes('name: speedscale-goproxy')) totals.injected++;
        else {
          const mine = results.filter((r) => r.resourceRef?.name === name && r.severity !== 'info');
          expect(mine.length, `${name}: not injected and no result says why`).toBeGreaterThan(0);
          totals.explained++;
        }
      });
      // Validated against the Kubernetes schemas, unless the author's manifest already fails them (a few
      // archived examples have `protocol: tcp` or placeholders): that is not ours to fix.
      if (authorValid(annotated)) validateInjected(out.stdout);
      else totals.invalidAsWritten++;
      expect(out.stderr === '').toBe(out.exitCode === 0);

      // Remove: the annotation set to "false" restores the annotated input byte for byte; twice is once.
      expect(itemsOf(run(out.stdout).stdout)).toEqual(after);
      const off = (text: string) => text.split(ON).join(OFF);
      expect(itemsOf(run(off(out.stdout)).stdout)).toEqual(annotatedItems.map(off));
    });

    it('injected real workloads', () => {
      console.log('corpus', totals);
      expect(totals.injected).toBeGreaterThan(50);
      expect(totals.injected + totals.explained).toBe(totals.workloads);
      expect(totals.invalidAsWritten).toBeLessThan(10);
    });
  },
);

describe.skipIf(!present)('fixtures taken from the corpus', () => {
  it('fixtures/kpt/microservices-demo-eval holds the corpus manifests byte for byte', () => {
    const manifests = join(CORPUS, 'microservices-demo/kubernetes-manifests');
    const dir = join(ROOT, 'fixtures/kpt/microservices-demo-eval');
    const fixture = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    const corpus = readdirSync(manifests).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect(fixture.sort()).toEqual(corpus.sort());
    for (const file of fixture)
      expect(readFileSync(join(dir, file), 'utf8'), file).toBe(readFileSync(join(manifests, file), 'utf8'));
  });
});
