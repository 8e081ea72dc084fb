/**
 * The npm package as a user gets it: `npm pack` (its `prepack` builds the bundle) in a copy of the working
 * tree, then `npm install -g` of the tarball into a fresh prefix and `npx --package <tarball>`, both with an
 * empty npm cache and `--offline`, so nothing but the tarball can be installed. The installed command runs
 * from a directory outside the repository, with no node_modules anywhere near it: the bundle needs none.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasSidecar,
  missing,
  must,
  mustAsync,
  repoRoot,
  run,
  tempDir,
  PLAIN_WEB_DEPLOYMENT,
  type KObject,
} from './_tools';

const reason = missing('npm package', ['npm']);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  files: string[];
  private?: boolean;
  dependencies?: Record<string, string>;
  scripts: Record<string, string>;
};
const input = readFileSync(join(repoRoot, 'fixtures/inject-deployment/input.yaml'), 'utf8');
const DEPLOYMENT = PLAIN_WEB_DEPLOYMENT;

describe.skipIf(reason)('npm package: packed, installed from the tarball alone, run', () => {
  const work = tempDir('npm');
  const npmEnv = {
    ...process.env,
    npm_config_cache: join(work, 'cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  let tarball = '';
  const prefix = join(work, 'prefix');
  const elsewhere = join(work, 'elsewhere');
  afterAll(() => run('rm', ['-rf', work]));

  beforeAll(async () => {
    // The working tree as it is (not a commit), with the repository's node_modules for the build only.
    const source = join(work, 'source');
    const skip = new Set(['node_modules', '.git', 'dist'].map((entry) => join(repoRoot, entry)));
    cpSync(repoRoot, source, { recursive: true, filter: (path) => !skip.has(path) });
    symlinkSync(join(repoRoot, 'node_modules'), join(source, 'node_modules'));
    mkdirSync(join(work, 'out'));
    const packed = await mustAsync('npm', ['pack', '--pack-destination', join(work, 'out')], {
      cwd: source,
      env: npmEnv,
    });
    tarball = join(work, 'out', packed.stdout.trim().split('\n').pop()!);
    mkdirSync(elsewhere);
    await mustAsync('npm', ['install', '-g', '--offline', '--prefix', prefix, tarball], {
      cwd: elsewhere,
      env: npmEnv,
    });
  }, 300_000);

  it('is publishable: not private, no runtime dependencies, built on pack', () => {
    expect(pkg.private).toBeUndefined();
    // The bundle requires node's own modules only (esbuild inlined yaml and the compiled validators).
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.scripts.prepack).toBe('npm run build');
    expect(tarball).toMatch(new RegExp(`sidecar-injector-${pkg.version.replace(/\./g, '\\.')}\\.tgz$`));
  });

  it('ships only what runs, and installs with nothing beside it', () => {
    const listed = must('tar', ['-tzf', tarball]).stdout.trim().split('\n').sort();
    expect(listed).toContain('package/dist/sidecar-injector.js');
    expect(listed).toContain('package/dist/sidecar-injector.bin');
    expect(listed.filter((f) => /\/(fn|test|fixtures|node_modules|bench)\//.test(f) || f.endsWith('.ts'))).toEqual([]);
    const installed = join(prefix, 'lib/node_modules/sidecar-injector');
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    expect(readdirSync(join(prefix, 'bin'))).toEqual(['sidecar-injector']);
  });

  const bin = () => join(prefix, 'bin/sidecar-injector');
  const env = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work });

  it('--version prints the package version', () => {
    const out = run(bin(), ['--version'], { cwd: elsewhere, env: env() });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toBe(`${pkg.version}\n`);
  });

  it('inject on a file writes the injected manifest', () => {
    const file = join(elsewhere, 'deployment.yaml');
    writeFileSync(file, DEPLOYMENT);
    const out = run(bin(), ['inject', '-f', file], { cwd: elsewhere, env: env() });
    expect(out.status, out.stderr).toBe(0);
    expect(hasSidecar(parse(out.stdout) as KObject)).toBe(true);
    expect(out.stderr).toContain('Deployment/web: injected');
  });

  it('with no arguments it is the KRM function: a ResourceList on stdin, the injected list on stdout', () => {
    const out = run(bin(), [], { cwd: elsewhere, env: env(), input });
    expect(out.status, out.stderr).toBe(0);
    const list = parse(out.stdout) as { kind: string; items: KObject[] };
    expect(list.kind).toBe('ResourceList');
    expect(list.items.some(hasSidecar)).toBe(true);
  });

  it('the Helm plugin and the Argo CD plugin run from the installed package', () => {
    const installed = join(prefix, 'lib/node_modules/sidecar-injector');
    const annotated = DEPLOYMENT.replace(
      '  name: web\n',
      '  name: web\n  annotations:\n    sidecar.speedscale.com/inject: "true"\n',
    );
    const helm = run(join(installed, 'helm/sidecar-injector/post-render.sh'), [], {
      cwd: elsewhere,
      env: env(),
      input: annotated,
    });
    expect(helm.status, helm.stderr).toBe(0);
    expect(hasSidecar(parse(helm.stdout) as KObject)).toBe(true);
    // plugin.yaml names the script where `npm install -g` (prefix /usr/local) puts it.
    const argocd = parse(readFileSync(join(installed, 'argocd/plugin.yaml'), 'utf8')) as {
      spec: { generate: { command: string[] } };
    };
    const [command] = argocd.spec.generate.command;
    expect(command.startsWith('/usr/local/lib/node_modules/sidecar-injector/')).toBe(true);
    const script = join(installed, command.slice('/usr/local/lib/node_modules/sidecar-injector/'.length));
    expect(statSync(script).mode & 0o111).not.toBe(0);
  });

  it('npx --package <tarball> runs it too', () => {
    const out = run('npx', ['--yes', '--offline', '--package', tarball, 'sidecar-injector', '--version'], {
      cwd: elsewhere,
      env: npmEnv,
    });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim().split('\n').pop()).toBe(pkg.version);
  });
});
