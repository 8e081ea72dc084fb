/**
 * docs/reference.md is generated from the schema: it must be exactly what scripts/reference.mjs writes. The
 * README's short table of settings is written by hand, and held to the schema here too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, kebab, KEY_BY_ANNOTATION, keysMarked, PROPERTIES, SETTING_KEYS } from '../../fn/config/schema';
import { REFERENCE, renderReference } from '../../scripts/reference.mjs';
import { ROOT } from '../support/helpers';

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

describe("README.md's table of the most used settings", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| annotation / config key | default |'));
  const rows = table
    .slice(0, table.indexOf('\n\n'))
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()));

  it.each(rows.map((cells) => [cells[1], cells[2]]))("%s: its default is the schema's (%s)", (names, shown) => {
    // `kebab-name` / `configKey`, or `configKey` (config only): the config key is the last name in backticks.
    const key = [...names.matchAll(/`([^`]+)`/g)].at(-1)![1];
    expect(SETTING_KEYS, names).toContain(key);
    const value = DEFAULTS[key] as string | number | boolean | undefined;
    const expected = value === undefined ? 'none' : value === '' ? '(empty)' : `\`${value}\``;
    expect(shown).toBe(expected);
    // "(config only)" exactly for the keys that are no annotation; the others name theirs first.
    const annotation = PROPERTIES[key]['x-annotation'] === true;
    expect(names, key).toBe(annotation ? `\`${kebab(key)}\` / \`${key}\`` : `\`${key}\` (config only)`);
  });

  it('has its rows', () => expect(rows.length).toBeGreaterThan(10));
});
