/** What the KRM function says about a ResourceList it cannot read: where, and in the input's own terms. */
import { describe, expect, it } from 'vitest';
import { InputError, readResourceList } from '../../fn/krm/read';
import { run } from '../../fn/krm/run';

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';

function error(input: string): string {
  try {
    readResourceList(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('read without an error');
}

describe('readResourceList errors', () => {
  it('a header error is placed at its line in the input, items before it or not', () => {
    expect(error(`${HEAD}kind: x\nitems:\n- a: 1\n`)).toBe(
      'malformed YAML at line 3, column 1: Map keys must be unique',
    );
    // The header after the items: the items' lines count.
    expect(error(`${HEAD}items:\n- a: 1\n- b: 2\nkind: x\n`)).toBe(
      'malformed YAML at line 6, column 1: Map keys must be unique',
    );
  });

  it('JSON and flow-style input are placed too', () => {
    expect(error(`{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",\n "items": [}\n`)).toMatch(
      /^malformed JSON at line 2, column \d+: /,
    );
  });

  it('several documents: said as such, with the way for plain manifests', () => {
    const list = `${HEAD}items:\n- a: 1\n`;
    expect(error(`${list}---\n${list}`)).toBe(
      'the input holds several YAML documents (separated by ---): expected one ResourceList; for plain ' +
        'manifests, run `sidecar-injector inject -f FILE`',
    );
  });
});

describe('functionConfig errors name what is missing, never undefined', () => {
  const withConfig = (fc: string) => `${HEAD}items: []\nfunctionConfig: ${fc}\n`;

  it('no apiVersion, a list, no name', () => {
    const said = (fc: string) => run(withConfig(fc)).stderr;
    expect(said('{kind: ConfigMap, metadata: {name: cfg}, data: {}}')).toContain(
      'ConfigMap/cfg: invalid functionConfig: unsupported functionConfig (no apiVersion)/ConfigMap: expected',
    );
    const list = said('[a]');
    expect(list).toContain('sidecar-injector: invalid functionConfig: functionConfig must be an object');
    expect(list).not.toMatch(/\/: /);
    expect(said('{apiVersion: v1, kind: ConfigMap, data: {proxyInPort: "0"}}')).toContain('ConfigMap/(no name): ');
    for (const fc of ['{kind: ConfigMap}', '[a]', '{apiVersion: v1, kind: ConfigMap, data: {proxyInPort: "0"}}'])
      expect(said(fc)).not.toMatch(/undefined/);
  });
});

describe('a functionConfig error is placed where kpt shows it', () => {
  it("kpt's configPath: the error names the config's file and document, and its namespace", () => {
    const fc =
      '\n  apiVersion: sidecar.speedscale.com/v1alpha1\n  kind: SidecarInjector\n  metadata:\n    name: capture\n' +
      "    namespace: shop\n    annotations:\n      internal.config.kubernetes.io/path: 'config/si.yaml'\n" +
      "      internal.config.kubernetes.io/index: '1'\n  spec:\n    tlsOut: maybe\n";
    const out = run(`${HEAD}items: []\nfunctionConfig:${fc}`);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain(
      'resourceRef:\n    apiVersion: sidecar.speedscale.com/v1alpha1\n    kind: SidecarInjector\n    name: capture\n' +
        '    namespace: shop\n  field:\n    path: spec.tlsOut\n  file:\n    path: config/si.yaml\n    index: 1\n',
    );
  });
});
