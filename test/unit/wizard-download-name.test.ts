/** The names the wizard's manifests download under (web/file-block.ts): the two never share one. */
import { describe, expect, it } from 'vitest';
import { downloadName } from '../../web/file-block';

describe('downloadName', () => {
  it.each([
    ['manifests.yaml', 'annotated', 'manifests.yaml'],
    ['manifests.yaml', 'injected', 'manifests.injected.yaml'],
    ['base/deployment.yml', 'injected', 'base/deployment.injected.yml'],
    ['app/list.JSON', 'injected', 'app/list.injected.JSON'],
    ['v1.2/storefront.yaml', 'injected', 'v1.2/storefront.injected.yaml'],
    ['Kptfile', 'injected', 'Kptfile.injected'],
    ['base/deployment.yml', 'annotated', 'base/deployment.yml'],
  ] as const)('%s (%s) downloads as %s', (path, kind, name) => {
    expect(downloadName(path, kind)).toBe(name);
  });
});
