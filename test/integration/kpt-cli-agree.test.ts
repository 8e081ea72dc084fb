/**
 * kpt and the command line write the same injection. kpt adds annotations of its own to every resource while
 * a function runs (`config.kubernetes.io/index`, `internal.config.kubernetes.io/*`, `config.k8s.io/id`) and
 * takes them away when it writes the file: a workload with no `metadata.annotations` has them in kpt and not
 * in the file. What kpt renders must pass the command line's `--check` (the pre-commit hook, the GitHub
 * action), come out again of either tool byte for byte, and neither tool may call the other's output stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_HINT, bundleMissing, bundlePath, missing, must, run, tempDir } from './_tools';

const reason = missing('kpt and the command line agree', ['kpt'], [[bundleMissing(), BUNDLE_HINT]]);

/** Annotated on the pod template only: its metadata has no annotations of its own. */
const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
      annotations:
        sidecar.speedscale.com/inject: "true"
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

describe.skipIf(reason)('kpt fn render and the command line write the same injection', () => {
  const work = tempDir('kpt-cli-agree');
  afterAll(() => run('rm', ['-rf', work]));
  const file = join(work, 'web.yaml');
  const render = () => must('kpt', ['fn', 'render', '--allow-exec', work]);
  const cli = (...args: string[]) => run(bundlePath, [...args, file]);
  const off = (text: string) => text.replace('inject: "true"', 'inject: "false"');

  it('renders, passes --check, and comes out of either tool as it went in', () => {
    writeFileSync(
      join(work, 'Kptfile'),
      'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: agree\n  annotations:\n' +
        `    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n    - exec: ${bundlePath}\n`,
    );
    writeFileSync(file, WEB);
    render();
    const rendered = readFileSync(file, 'utf8');
    expect(rendered).toContain('name: speedscale-goproxy');
    // The record says the injection created metadata.annotations, as the command line's does.
    expect(rendered).toMatch(/"created":\[[^']*\["metadata","annotations"\]/);

    const check = cli('inject', '--check');
    expect(check.status, check.stderr).toBe(0);

    // The command line over kpt's output: nothing to change; then kpt over the command line's: nothing either.
    expect(cli('inject', '--in-place').status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(rendered);
    writeFileSync(file, WEB);
    expect(cli('inject', '--in-place').status).toBe(0);
    const fromCli = readFileSync(file, 'utf8');
    const again = must('kpt', ['fn', 'render', '--allow-exec', work]);
    expect(again.stderr).not.toMatch(/updated|injected/);
    expect(readFileSync(file, 'utf8')).toBe(fromCli);

    // Removal of kpt's output, by the command line and by kpt: the author's bytes.
    writeFileSync(file, off(rendered));
    expect(cli('inject').stdout).toBe(off(WEB));
    expect(cli('uninstall').stdout).toBe(off(WEB));
    render();
    expect(readFileSync(file, 'utf8')).toBe(off(WEB));
  });
});
