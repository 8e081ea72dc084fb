/**
 * action.yml, the composite drift-gate action. GitHub's runner is not here: its `uses:` step (setup-node)
 * and the build step (`npm ci` in the action's checkout) are not run; the gate step is run as the runner
 * runs a composite `run:` step: bash with `set -e` semantics given by the script, the `env:` with the
 * inputs' values, GITHUB_ACTION_PATH set to the action's directory (here the repository, built), in the
 * workspace. Its stdout must carry the workflow commands the runner turns into annotations.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_HINT, bundleMissing, repoRoot, run, tempDir } from './_tools';

interface Step {
  name?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;
const gate = action.runs.steps.find((s) => s.name === 'Check for drift')!;

/** The runner's `${{ inputs.x }}` substitution, with an input's default where it is not given. */
function envOf(step: Step, inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, expr]) => {
      const input = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(expr)![1];
      return [name, inputs[input] ?? action.inputs[input].default ?? ''];
    }),
  );
}

const ANNOTATED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    sidecar.speedscale.com/inject: "true"
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

describe('action.yml', () => {
  it('is a composite action whose steps are valid bash and use only its inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.paths.required).toBe(true);
    for (const step of action.runs.steps) {
      if (!step.run) continue;
      expect(step.shell).toBe('bash');
      // Inputs reach scripts through env only (no expression pasted into the script: no injection).
      expect(step.run).not.toMatch(/\$\{\{/);
      const check = run('bash', ['-n', '-c', step.run]);
      expect(check.status, check.stderr).toBe(0);
    }
  });
});

describe.skipIf(bundleMissing() ? BUNDLE_HINT : '')('action.yml: the gate step, run as the runner runs it', () => {
  const work = tempDir('action');
  afterAll(() => run('rm', ['-rf', work]));

  function gateIn(workspace: string, inputs: Record<string, string>) {
    const env = { PATH: process.env.PATH ?? '', GITHUB_ACTION_PATH: repoRoot, ...envOf(gate, inputs) };
    return run('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', gate.run!], { cwd: workspace, env });
  }

  it('fails on drift, with an ::error annotation naming the file and line on stdout', () => {
    const workspace = join(work, 'drift');
    mkdirSync(join(workspace, 'deploy'), { recursive: true });
    writeFileSync(join(workspace, 'deploy/web.yaml'), ANNOTATED);
    writeFileSync(
      join(workspace, 'deploy/bad.yaml'),
      ANNOTATED.replace('name: web', 'name: bad').replace(
        'inject: "true"',
        'inject: "true"\n    sidecar.speedscale.com/proxy-in-port: "0"',
      ),
    );
    const out = gateIn(workspace, { paths: 'deploy' });
    expect(out.status).toBe(1);
    expect(out.stdout).toContain(
      '::error file=deploy/web.yaml,line=1,col=1,title=sidecar-injector%3A Deployment/web::drift: not injected yet',
    );
    expect(out.stdout).toMatch(/::error file=deploy\/bad\.yaml,line=7,col=5,.*proxy-in-port/);
  });

  it('passes on manifests that are up to date; config and annotated inputs reach the CLI', () => {
    const workspace = join(work, 'clean');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'web.yaml'), ANNOTATED);
    writeFileSync(
      join(workspace, 'config.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  image: registry.example.com/goproxy:v1\n',
    );
    // Injected with the same settings the gate will use: nothing to report.
    const inject = run(
      join(repoRoot, 'dist/sidecar-injector.js'),
      ['inject', '--annotated', '--config', 'config.yaml', '-i', 'web.yaml'],
      {
        cwd: workspace,
      },
    );
    expect(inject.status, inject.stderr).toBe(0);
    const out = gateIn(workspace, { paths: 'web.yaml', config: 'config.yaml' });
    expect(out.status, out.stdout).toBe(0);
    expect(out.stdout).not.toContain('::error');
    // Without the config the image differs: drift.
    const stale = gateIn(workspace, { paths: 'web.yaml' });
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('::error file=web.yaml');
  });
});
