/**
 * The names the wizard's manifests download under (web/file-block.ts): the two never share one; and a name
 * as the page shows it (printableName, fn/printable.ts).
 */
import { describe, expect, it } from 'vitest';
import { downloadName } from '../../web/file-block';
import { printableName as printable } from '../../fn/printable';

describe('downloadName', () => {
  it.each([
    ['manifests.yaml', 'annotated', 'manifests.yaml'],
    ['manifests.yaml', 'injected', 'manifests.injected.yaml'],
    ['base/deployment.yml', 'injected', 'base/deployment.injected.yml'],
    ['app/list.JSON', 'injected', 'app/list.injected.JSON'],
    ['v1.2/storefront.yaml', 'injected', 'v1.2/storefront.injected.yaml'],
    ['Kptfile', 'injected', 'Kptfile.injected'],
    ['base/deployment.yml', 'annotated', 'base/deployment.yml'],
    // A newline in a name (a file in DIR, a link's path) is a name like any other: it threw, and the step
    // that shows the downloads rendered nothing.
    ['we\nb.yaml', 'injected', 'we\nb.injected.yaml'],
    ['a.yaml\nb', 'injected', 'a.yaml\nb.injected'],
    ['\r\n', 'annotated', '\r\n'],
  ] as const)('%s (%s) downloads as %s', (path, kind, name) => {
    expect(downloadName(path, kind)).toBe(name);
  });
});

describe('printable', () => {
  it('shows a control or reordering character in a name as an escape, and the rest as it is', () => {
    expect(printable('we\nb.yaml')).toBe('we\\nb.yaml');
    expect(printable('a\tb\rc\u0000d\u001be\u007ff\u0085')).toBe('a\\tb\\rc\\u0000d\\u001be\\u007ff\\u0085');
    expect(printable('evil\u202egnp.yaml')).toBe('evil\\u202egnp.yaml');
    expect(printable('base/déploiement ü.yaml')).toBe('base/déploiement ü.yaml');
  });
});
