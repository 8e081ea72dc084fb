/**
 * `--check` over what `kubectl kustomize` renders from injected sources: kustomize sorts every map's keys, so
 * the injected lines come out in another order. That is the same workload, up to date, not drift
 * (fn/inject/layout.ts); a real difference still is.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleMissing, BUNDLE_HINT, bundlePath, missing, must, repoRoot, run, tempDir } from './_tools';

const reason = missing('--check over kustomize output', ['kubectl'], [[bundleMissing(), BUNDLE_HINT]]);

describe.skipIf(reason)('--check over kubectl kustomize output', () => {
  const dir = tempDir('kustomize-check');
  afterAll(() => run('rm', ['-rf', dir]));

  it('the injected example, rendered with its keys sorted, is up to date; a changed sidecar is drift', () => {
    const injected = must(process.execPath, [bundlePath, 'inject', '--annotated', join(repoRoot, 'examples/hello')]);
    writeFileSync(join(dir, 'deployment.yaml'), injected.stdout);
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n- deployment.yaml\n');
    const rendered = must('kubectl', ['kustomize', dir]).stdout;
    expect(rendered).not.toBe(injected.stdout); // kustomize's own layout
    const check = (input: string) => run(process.execPath, [bundlePath, 'inject', '--annotated', '--check'], { input });
    const upToDate = check(rendered);
    expect(upToDate.stderr).toContain('Deployment/hello in demo: unchanged: already injected');
    expect(upToDate.status).toBe(0);
    const drifted = check(rendered.replace('memory: 32Mi', 'memory: 33Mi'));
    expect(drifted.stderr).toContain('Deployment/hello in demo: drift:');
    expect(drifted.status).toBe(1);
  });
});
