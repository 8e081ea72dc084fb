/**
 * fn/yaml/plain-shapes.ts decides some plain scalars' tags without the tags' regular expressions: what it
 * decides must be what `yaml`'s YAML 1.1 tags (and, for strings, the core schema's) decide.
 */
import fc from 'fast-check';
import { Schema } from 'yaml';
import { describe, expect, it } from 'vitest';
import { shapeOf, stringInBoth, WORDS } from '../../fn/yaml/plain-shapes';

interface Tag {
  tag: string;
  format?: string;
  default?: boolean | 'key';
  test?: RegExp;
  identify?: (value: unknown) => boolean;
}
const tags = (schema: 'yaml-1.1' | 'core'): Tag[] =>
  (new Schema({ schema }).tags as Tag[]).filter(
    (tag) => tag.default === true && tag.test && tag.tag !== 'tag:yaml.org,2002:str',
  );
const YAML_11 = tags('yaml-1.1');
const CORE = tags('core');
const tagOf = (all: Tag[], source: string): Tag | undefined => all.find((tag) => tag.test!.test(source));

function agrees(source: string): void {
  const tag = tagOf(YAML_11, source);
  const word = WORDS.get(source);
  switch (shapeOf(source)) {
    case 'decimal':
      expect(tag?.tag, source).toBe('tag:yaml.org,2002:int');
      expect(tag?.format, source).toBeUndefined();
      break;
    case 'octal':
      expect(tag?.format, source).toBe('OCT');
      break;
    case 'word':
      if (word === 'null') expect(tag?.tag, source).toBe('tag:yaml.org,2002:null');
      else if (word) expect(tag?.identify?.(word === 'true'), source).toBe(true);
      else expect(tag, source).toBeUndefined();
      break;
    case 'string':
      expect(tag, source).toBeUndefined();
      break;
    case undefined:
      break;
  }
  if (stringInBoth(source)) {
    expect(tag, source).toBeUndefined();
    expect(tagOf(CORE, source), source).toBeUndefined();
  }
}

// Every character a tag can hold, some that none can, and letters that start the tags' words.
const ALPHABET = [...'0178_:+-~ \t.xXbBoOeEtTZaAfFiInNlLsSyYMmc#/"é'];

describe('plain scalar shapes', () => {
  it('every word of the null and bool tags is in WORDS, with its value', () => {
    for (const [word, value] of WORDS) {
      const tag = tagOf(YAML_11, word);
      if (value === 'null') expect(tag?.tag).toBe('tag:yaml.org,2002:null');
      else expect(tag?.identify?.(value === 'true')).toBe(true);
    }
  });

  it('agrees with the tags on every text of up to three characters of theirs', () => {
    const texts = [''];
    for (let length = 1; length <= 3; length++)
      for (const text of texts.filter((t) => t.length === length - 1)) for (const c of ALPHABET) texts.push(text + c);
    for (const text of texts) agrees(text);
  });

  it('agrees with the tags on what manifests hold', () => {
    for (const text of [
      '8080',
      '0',
      '00',
      '0755',
      '0758',
      '09',
      '64Mi',
      '250m',
      '1.5Gi',
      '-c',
      '+1',
      '1_000',
      '1:30',
      '0x1F',
      '0b101',
      '0o17',
      '1e3',
      '.inf',
      '-.INF',
      '.nan',
      '2001-12-14',
      '2001-12-14t21:59:43.10-05:00',
      '2001-12-14 21:59:43 -5',
      '2001-12-14 21:59:43Z',
      '2001-12-14 1:2:3 Z',
      'true',
      'Off',
      'tier',
      'TCP',
      'env',
      'name',
      '~',
      '-addr=:7070',
      '10s',
      'yes-no',
    ])
      agrees(text);
  });

  it('agrees with the tags on generated text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }), (chars) => agrees(chars.join(''))),
      { numRuns: 20_000 },
    );
  });
});
