/**
 * The files Wire it in offers and the list `wizard DIR` creates files from (fn/offered-files.ts) are one
 * list: every file the page offers, for every tool and every input it tells apart, is on it.
 */
import { describe, expect, it } from 'vitest';
import { OFFERED_FILES } from '../../fn/index';
import { TOOLS } from '../../web/state';
import { WIRING } from '../../web/wiring';

describe('the files wizard DIR may add', () => {
  it('hold every file Wire it in offers, and nothing it never offers', () => {
    const offered = new Set<string>();
    const inputs = [
      { paths: ['a.yaml'] },
      {
        paths: ['kustomization.yaml', 'a.yaml'],
        kustomization: { name: 'kustomization.yaml', text: 'resources: [a.yaml]\n' },
      },
      { paths: ['Kptfile', 'a.yaml'], kptfile: 'apiVersion: kpt.dev/v1\nkind: Kptfile\n' },
      { paths: ['Chart.yaml', 'templates/a.yaml'] },
    ];
    for (const tool of TOOLS)
      for (const input of inputs)
        for (const registry of [undefined, 'registry.test/team'])
          for (const file of WIRING[tool]({ spec: {}, ...input, ...(registry && { registry }) })) {
            expect(OFFERED_FILES.has(file.path), `${tool}: ${file.path}`).toBe(true);
            offered.add(file.path);
          }
    expect([...OFFERED_FILES].filter((path) => !offered.has(path))).toEqual([]);
  });
});
