/** The fast emitter must write exactly what `yaml` writes, for the shapes the function renders. */
import { Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../fn/config/schema';
import type { Settings } from '../../fn/config/settings-type';
import { renderInitContainers } from '../../fn/render/init-containers';
import { renderSidecar } from '../../fn/render/sidecar';
import { emitBlock } from '../../fn/yaml/emit';

const settings = { ...DEFAULTS } as unknown as Settings;
const reference = (value: unknown, indent: number, indentSeq: boolean) =>
  new Document(value, { version: '1.1', aliasDuplicateObjects: false }).toString({
    lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN', indent, indentSeq,
  });

const samples: Array<[string, unknown]> = [
  ['sidecar', [renderSidecar(settings, 'web')]],
  ['init containers', renderInitContainers(settings)],
  ['native, privileged, iptables script', [renderSidecar({ ...settings, nativeSidecar: true }, 'yes'), ...renderInitContainers({ ...settings, privileged: true, redirect: 'iptables' })]],
  ['ambiguous scalars', { a: 'true', b: 'yes', c: '0755', d: '2021-01-01', e: '', f: 'null', g: '~', h: '1e3', i: ' padded ', j: 'a: b', k: '#x', l: '-', y: 1, n: 0x1f, o: null, p: false }],
  ['empty collections', { a: [], b: {}, c: [[], {}], d: [{ e: [] }] }],
  ['nested sequences', { a: [[1, 2], [3]], b: [{ c: [{ d: 1 }] }] }],
  ['results', { results: [{ message: 'it\'s "quoted": ok', severity: 'info', field: { path: 'metadata.annotations["a/b"]' }, file: { path: 'x.yaml', index: 0 } }] }],
];

describe('emitBlock', () => {
  for (const [indent, indentSeq] of [[2, false], [2, true], [4, false], [4, true]] as const) {
    it.each(samples)(`%s (indent ${indent}, indentSeq ${indentSeq})`, (_name, value) => {
      expect(emitBlock(value, { indent, indentSeq })).toBe(reference(value, indent, indentSeq));
    });
  }
});
