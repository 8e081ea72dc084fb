/** docs/reference.md is generated from the schema: it must be exactly what scripts/reference.mjs writes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEY_BY_ANNOTATION, keysMarked, PROPERTIES, SETTING_KEYS } from '../../fn/config/schema';
import { REFERENCE, renderReference } from '../../scripts/reference.mjs';

describe('docs/reference.md', () => {
  const generated: string = renderReference();
  it('is up to date with the schema (run `npm run docs`)', () => {
    expect(readFileSync(REFERENCE, 'utf8')).toBe(generated);
  });
  it('lists every annotation and every config key', () => {
    for (const annotation of KEY_BY_ANNOTATION.keys()) expect(generated).toContain(`| \`${annotation}\` |`);
    for (const key of SETTING_KEYS) expect(generated).toContain(`\`${key}\` |`);
  });
  it('says "Transparent only" for every key marked x-transparent-only', () => {
    // The mark decides the warning; the page shows the description alone, so the words must be in it.
    for (const key of keysMarked('x-transparent-only'))
      expect(PROPERTIES[key].description, key).toMatch(/Transparent (mode )?only/);
  });

  it('says which env names the function passes that Speedscale does not document', () => {
    // Every variable of an x-init-env key, HOST_RESOLUTION and KUBE_API_SUPPORT: inferred, and the page says so.
    const inferred = keysMarked('x-init-env').map((key) => PROPERTIES[key]['x-init-env']!);
    const section = generated.slice(generated.indexOf('- **Inferred names.**'));
    for (const name of [...inferred, 'HOST_RESOLUTION']) expect(section).toMatch(new RegExp(`\`${name}\`[^]*inferred`));
    expect(generated).toMatch(/KUBE_API_SUPPORT=true[^\n]*inferred/);
  });
});
