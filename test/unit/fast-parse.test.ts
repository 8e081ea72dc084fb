/**
 * The fast parser must build exactly the nodes `yaml` builds (values, types, ranges), or decline. It is
 * checked on every fixture and corpus document, on the benchmark's generated workloads, and on thousands
 * of random mutations of them, which mostly produce broken or unusual YAML.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitResourceList } from '../../fn/resource-list/split';
import { compareWithYaml } from './fast-parse-compare';

const root = join(__dirname, '../..');
const corpus = join(root, '../shared/corpus');

function documents(): Array<[string, string]> {
  const texts: Array<[string, string]> = [];
  for (const name of readdirSync(join(root, 'fixtures'))) {
    const file = join(root, 'fixtures', name, 'input.yaml');
    if (!existsSync(file)) continue;
    splitResourceList(readFileSync(file, 'utf8'))?.items.forEach((item, i) => texts.push([`${name}#${i}`, item]));
  }
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry)) readFileSync(path, 'utf8').split(/^---[^\n]*\n/m).forEach((doc, i) => texts.push([`${path}#${i}`, doc]));
    }
  };
  if (existsSync(corpus)) walk(corpus);
  return texts;
}

// @ts-ignore: a plain ES module without types
const { resourceList } = await import('../../bench/generate.mjs');
/** The benchmark's workloads: flow-style resources and probes, folded env values, comments. */
const generated = splitResourceList(resourceList('mixed', 40) as string)!.items;
const docs = [...documents(), ...generated.map((item, i): [string, string] => [`generated#${i}`, item])];

describe('fast parser', () => {
  it('builds the same nodes as yaml for every fixture and corpus document', () => {
    const differences = docs.map(([name, text]) => [name, compareWithYaml(text)]).filter(([, d]) => d && d !== 'fallback');
    expect(differences).toEqual([]);
  });

  it('takes the fast path for nearly all of them', () => {
    const fallbacks = docs.filter(([, text]) => compareWithYaml(text) === 'fallback').length;
    expect(fallbacks / docs.length).toBeLessThan(0.1);
  });

  it('handles the benchmark workloads (flow resources, folded env values, comments) without falling back', async () => {
    const { resourceList } = await import('../../bench/generate.mjs');
    const list = splitResourceList(resourceList('mixed', 60) as string)!;
    expect(list.items.map((item) => compareWithYaml(item))).toEqual(list.items.map(() => undefined));
  });

  it('matches yaml or declines on random mutations', () => {
    const pieces = [' ', '  ', '\n', '#', ' #', ':', ': ', '- ', '-', '"', "'", '[', ']', '{', '}', ',', '|', '>-', '&a ', '*a', '!!str ', '\t', 'yes', '0x1F', '~', '<<: ', '\\', '---\n'];
    const mutation = fc.record({
      doc: fc.integer({ min: 0, max: docs.length - 1 }),
      edits: fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), text: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(mutation, ({ doc, edits }) => {
        let text = docs[doc]![1];
        for (const { at, cut, text: piece } of edits) {
          const pos = at % (text.length + 1);
          text = text.slice(0, pos) + piece + text.slice(pos + cut);
        }
        const difference = compareWithYaml(text);
        expect(difference === undefined || difference === 'fallback' ? undefined : `${difference}\n--- text:\n${text}`).toBeUndefined();
      }),
      { numRuns: 3000, seed: 4143 },
    );
  });
});
