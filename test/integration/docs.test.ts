/**
 * docs/orchestrators.md cannot drift: its fenced blocks marked `doc-test=<id>` (in the info string, after the
 * language) are run or checked here.
 *
 *  - shell blocks meant to work on this machine are run as written (kpt, kubectl kustomize, podman), in a copy
 *    of the repository's kpt package or in a directory made of the doc's own YAML blocks, and their output is
 *    compared with the `<id>.out` block shown under them (timings and klog prefixes normalised);
 *  - the kustomize files are the ones shown: the minimal example is built, and kustomize.test.ts takes its
 *    transformer config from the same block;
 *  - what cannot run here (Argo CD, Flux, GitHub Actions) is parsed, its shell steps pass `bash -n`, and its
 *    references (step ids, flags, image names) are checked; the Argo CD plugin's `generate` command is run.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBuild, INIT_IMAGE, PODMAN_LOCK } from './_images';
import {
  BUNDLE_HINT,
  bundleMissing,
  bundlePath,
  hasSidecar,
  missing,
  repoRoot,
  run,
  runAsync,
  tempDir,
  type KObject,
} from './_tools';
import { DOC, docBlock, docBlocks, DOC_IMAGE } from './_docs';
import { actionlint, runStep, workflowOf } from './_workflows';

const shim = join(repoRoot, 'scripts/docker-shim');
const works: string[] = [];
afterAll(() => {
  for (const work of works) run('rm', ['-rf', work]);
});

/** kpt prints how long a function took; kubectl's klog lines carry a timestamp and a pid. */
function normalize(text: string): string {
  return text
    .replace(/ in [\d.]+(ms|s)$/gm, ' in <time>')
    .replace(/^[EWI]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ /gm, '<klog> ')
    .trimEnd();
}

function sh(script: string, options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }) {
  return run('bash', ['-e', '-c', script], { ...options, env: options.env ?? process.env });
}

/** A copy of the repository's kpt package, in a directory named like the checkout: Kptfile, examples/, dist/. */
function rootPackage(): string {
  const work = tempDir('docs');
  works.push(work);
  const dir = join(work, 'sidecar-injector');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  symlinkSync(bundlePath, join(dir, 'dist/sidecar-injector.js'));
  for (const entry of ['Kptfile', '.krmignore', 'examples'])
    cpSync(join(repoRoot, entry), join(dir, entry), { recursive: true });
  return dir;
}

/** A directory made of doc blocks: file name -> block id. */
function docDir(files: Record<string, string>): string {
  const dir = tempDir('docs-files');
  works.push(dir);
  for (const [name, id] of Object.entries(files)) writeFileSync(join(dir, name), docBlock(id));
  return dir;
}

function objects(text: string): KObject[] {
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors, String(doc.errors)).toEqual([]);
    return doc.toJS() as KObject;
  });
}

interface Workflow {
  jobs: Record<
    string,
    { steps: { id?: string; name?: string; run?: string; uses?: string; with?: Record<string, unknown> }[] }
  >;
}

describe('docs/orchestrators.md (static)', () => {
  it('tags every command block: each is run or checked here', () => {
    const untagged = docBlocks().filter((b) => b.id === undefined && !['text', 'console', ''].includes(b.lang));
    expect(untagged.map((b) => `${b.lang}: ${b.body.split('\n')[0]}`)).toEqual([]);
  });

  it("the build line is the README quick start's install and build, which makes the bundle", () => {
    expect(docBlock('build').replace(/ +#.*$/gm, '')).toBe('npm ci && npm run build\n');
    expect(readFileSync(join(repoRoot, 'scripts/build.mjs'), 'utf8')).toContain("'dist/sidecar-injector.js'");
  });

  // No Docker and no standalone kustomize run here: what those blocks say is held to what does run.
  it('the Docker builds are the podman builds the tests run, stage for stage and tag for tag', () => {
    const args = (line: string) =>
      line
        .replace(/\\\n/g, ' ')
        .replace(/ +#.*$/, '')
        .trim()
        .split(/\s+/);
    const targetOf = (words: string[]) =>
      words.includes('--target') ? words[words.indexOf('--target') + 1] : undefined;
    const tagOf = (words: string[]) => words[words.indexOf('-t') + 1];
    const podman = ['podman-build', 'podman-build-init'].map((id) =>
      args(
        docBlock(id)
          .split('\n')
          .filter((l) => !l.startsWith('sh '))
          .join('\n'),
      ),
    );
    const stages = [...readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').matchAll(/^FROM \S+ AS (\S+)$/gm)].map(
      (m) => m[1],
    );
    const docker = docBlock('docker-build').trim().split('\n').map(args);
    expect(docker.map((words) => [targetOf(words) ?? stages.at(-1), tagOf(words)])).toEqual(
      podman.map((words) => [targetOf(words), tagOf(words)]),
    );
    for (const words of docker) expect(words.slice(0, 2).concat(words.at(-1)!)).toEqual(['docker', 'build', '.']);
    // The init build the tests run (_images.ts buildInitImage), under the doc's tag.
    expect(podman[1]).toEqual(['podman', ...initBuild(INIT_IMAGE.replace(/:test$/, ':dev'))]);
  });

  it("the standalone kustomize line passes the flag kubectl's kustomize is shown refusing", () => {
    expect(docBlock('kustomize-exec/build')).toBe('kustomize build --enable-alpha-plugins --enable-exec .\n');
    expect(docBlock('kustomize-exec/enable-exec')).toContain('--enable-exec');
  });

  it('has every block the tests rely on, each id once', () => {
    const ids = docBlocks().flatMap((b) => (b.id ? [b.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'kpt-render',
      'kpt-eval-exec',
      'kustomize/kustomization.yaml',
      'kustomize/sidecar-injector.yaml',
      'kustomize-exec/sidecar-injector.yaml',
      'podman-build',
      'argocd/plugin.yaml',
      'argocd/argocd-cm.yaml',
      'flux/kustomization.yaml',
      'flux/render.yaml',
      'ci/proxy-digest.yaml',
    ]) {
      expect(ids, id).toContain(id);
    }
  });

  it('its links resolve: anchors to headings, relative links to files', () => {
    const text = readFileSync(DOC, 'utf8').replace(/^(`{3,}).*\n[\s\S]*?^\1$/gm, '');
    // GitHub's heading anchors: lower case, punctuation other than - and _ dropped, spaces to -.
    const anchors = new Set(
      [...text.matchAll(/^#+ (.*)$/gm)].map(([, title]) =>
        title
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^https?:/.test(target)) continue;
      if (target.startsWith('#')) expect(anchors, target).toContain(target.slice(1));
      else expect(existsSync(join(repoRoot, 'docs', target.split('#')[0])), target).toBe(true);
    }
  });

  it('every YAML block parses', () => {
    for (const block of docBlocks().filter((b) => b.lang === 'yaml')) {
      for (const doc of parseAllDocuments(block.body))
        expect(doc.errors, `${block.id ?? block.body.slice(0, 80)}`).toEqual([]);
    }
  });

  it('the kustomize function annotations are what kustomize v5.5.0 accepts', () => {
    const fn = (id: string) => {
      const config = parse(docBlock(id)) as KObject;
      return parse(config.metadata.annotations!['config.kubernetes.io/function']) as Record<
        string,
        Record<string, string>
      >;
    };
    expect(fn('kustomize/sidecar-injector.yaml')).toEqual({ container: { image: DOC_IMAGE } });
    // exec.args/exec.envs only exist from v5.7.0; v5.5.0 (kubectl's) rejects them.
    expect(fn('kustomize-exec/sidecar-injector.yaml')).toEqual({ exec: { path: './sidecar-injector.js' } });
  });

  it("argocd-cm passes the standalone flags to Argo CD's kustomize", () => {
    const cm = parse(docBlock('argocd/argocd-cm.yaml')) as KObject & { data: Record<string, string> };
    expect(cm.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd' });
    expect(cm.data['kustomize.buildOptions']).toBe('--enable-alpha-plugins --enable-exec');
  });

  it('the Argo CD plugin discovers the config file the doc puts beside the kustomization', () => {
    const plugin = parse(docBlock('argocd/plugin.yaml')) as {
      spec: { discover: { fileName: string }; generate: { command: string[]; args: string[] } };
    };
    expect(plugin.spec.discover.fileName).toBe('./sidecar-injector.yaml');
    expect(plugin.spec.generate.args.join(' ')).toContain('--fn-config sidecar-injector.yaml');
    expect(plugin.spec.generate.args.join(' ')).toContain('set -o pipefail');
  });

  it('the Flux Kustomization reads the directory the CI job renders into', () => {
    const flux = parse(docBlock('flux/kustomization.yaml')) as { spec: { path: string } };
    const job = parse(docBlock('flux/render.yaml')) as Workflow;
    const script = job.jobs.render.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toContain(`> ${flux.spec.path.replace(/^\.\//, '')}/`);
  });

  for (const id of ['flux/render.yaml', 'ci/proxy-digest.yaml']) {
    it(`${id}: shell steps are valid bash and step references exist`, () => {
      const workflow = parse(docBlock(id)) as Workflow;
      for (const job of Object.values(workflow.jobs)) {
        const stepIds = new Set(job.steps.flatMap((s) => (s.id ? [s.id] : [])));
        for (const step of job.steps) {
          const text = JSON.stringify(step);
          for (const [, ref] of text.matchAll(/steps\.([\w-]+)\./g))
            expect(stepIds, `${step.name}: steps.${ref}`).toContain(ref);
          if (!step.run) continue;
          const script = step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPR');
          const check = run('bash', ['-n', '-c', script]);
          expect(check.status, `${step.name}\n${check.stderr}`).toBe(0);
        }
      }
    });
  }

  it('every workflow it prints passes actionlint', async () => {
    for (const id of ['flux/render.yaml', 'ci/proxy-digest.yaml', 'ci/drift-gate.yaml'])
      expect(await actionlint(docBlock(id), `.github/workflows/${id.replace('/', '-')}`), id).toEqual([]);
  });

  it('the CI job passes the digest it built to the function, whose image is a repository variable', () => {
    const workflow = parse(docBlock('ci/proxy-digest.yaml')) as Workflow;
    const steps = workflow.jobs['build-and-inject'].steps as (Workflow['jobs'][string]['steps'][number] & {
      env?: Record<string, string>;
    })[];
    const build = steps.find((s) => s.id === 'proxy')!;
    expect(build.uses).toMatch(/^docker\/build-push-action@/);
    const tag = String(build.with!.tags);
    const repository = tag.slice(0, tag.lastIndexOf(':'));
    const inject = steps.find((s) => s.run?.includes('kpt fn eval'))!;
    expect(inject.run).toContain(`-- image=${repository}@\${{ steps.proxy.outputs.digest }}`);
    expect(inject.run).toContain('--image "$FUNCTION_IMAGE"');
    expect(inject.env).toEqual({ FUNCTION_IMAGE: '${{ vars.SIDECAR_INJECTOR_IMAGE }}' });
  });
});

const kptReason = missing('docs: kpt snippets', ['kpt'], [[bundleMissing(), BUNDLE_HINT]]);

describe.skipIf(kptReason)('docs/orchestrators.md: kpt with the bundle', () => {
  it('kpt fn render --allow-exec: the output shown, and a second render changes nothing', () => {
    const dir = rootPackage();
    const out = sh(docBlock('kpt-render'), { cwd: dir });
    expect(out.status, out.stderr).toBe(0);
    expect(normalize(out.stderr)).toBe(normalize(docBlock('kpt-render.out')));
    const rendered = readFileSync(join(dir, 'examples/hello/deployment.yaml'), 'utf8');
    expect(hasSidecar(objects(rendered)[0])).toBe(true);
    expect(sh(docBlock('kpt-render'), { cwd: dir }).status).toBe(0);
    expect(readFileSync(join(dir, 'examples/hello/deployment.yaml'), 'utf8')).toBe(rendered);
  });

  it('kpt fn render without --allow-exec fails with the message quoted', () => {
    const out = run('kpt', ['fn', 'render'], { cwd: rootPackage() });
    expect(out.status).not.toBe(0);
    const message = out.stderr
      .split('\n')
      .find((line) => line.startsWith('Error:'))!
      .trim();
    expect(readFileSync(DOC, 'utf8')).toContain(message);
  });

  it('kpt fn eval --exec: the output shown', () => {
    const dir = rootPackage();
    const out = sh(docBlock('kpt-eval-exec'), { cwd: dir });
    expect(out.status, out.stderr).toBe(0);
    expect(normalize(out.stderr)).toBe(normalize(docBlock('kpt-eval-exec.out')));
    expect(readFileSync(join(dir, 'examples/hello/deployment.yaml'), 'utf8')).toContain(
      'goproxy@sha256:0123456789abcdef',
    );
  });
});

const kubectlReason = missing('docs: kubectl kustomize snippets', ['kubectl', 'kpt'], [[bundleMissing(), BUNDLE_HINT]]);

describe.skipIf(kubectlReason)('docs/orchestrators.md: kubectl kustomize and the exec form', () => {
  const files = {
    'kustomization.yaml': 'kustomize/kustomization.yaml',
    'deployment.yaml': 'kustomize/deployment.yaml',
  };

  function plainBuild(): string {
    const dir = docDir(files);
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      docBlock('kustomize/kustomization.yaml').replace(/^transformers:\n( {2}- .*\n)+/m, ''),
    );
    const out = run('kubectl', ['kustomize', dir]);
    expect(out.status, out.stderr).toBe(0);
    return out.stdout;
  }

  it('kubectl kustomize --enable-alpha-plugins --enable-exec: the error shown', () => {
    const dir = docDir({ ...files, 'sidecar-injector.yaml': 'kustomize-exec/sidecar-injector.yaml' });
    const out = sh(docBlock('kustomize-exec/enable-exec'), { cwd: dir });
    expect(out.status).toBe(1);
    expect(normalize(out.stderr)).toBe(normalize(docBlock('kustomize-exec/enable-exec.out')));
  });

  it('kubectl kustomize --enable-alpha-plugins silently skips the exec function: output unchanged, exit 0', () => {
    const dir = docDir({ ...files, 'sidecar-injector.yaml': 'kustomize-exec/sidecar-injector.yaml' });
    const out = run('kubectl', ['kustomize', '--enable-alpha-plugins', dir]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toBe(plainBuild());
    expect(out.stdout).not.toContain('speedscale-goproxy');
  });

  it('kubectl kustomize without --enable-alpha-plugins: the error shown', () => {
    const dir = docDir({ ...files, 'sidecar-injector.yaml': 'kustomize/sidecar-injector.yaml' });
    const out = run('kubectl', ['kustomize', dir]);
    expect(out.status).toBe(1);
    expect(normalize(out.stderr)).toBe(normalize(docBlock('kustomize/no-alpha.out')));
  });

  it("the Argo CD plugin's generate command prints the injected manifests only", () => {
    const app = docDir({ ...files, 'sidecar-injector.yaml': 'argocd/sidecar-injector.yaml' });
    writeFileSync(
      join(app, 'kustomization.yaml'),
      docBlock('kustomize/kustomization.yaml').replace(/^transformers:\n( {2}- .*\n)+/m, ''),
    );
    // The plugin image's tools: kustomize (kubectl's stands in) and the bundle as `sidecar-injector`.
    const bin = tempDir('docs-bin');
    works.push(bin);
    writeFileSync(join(bin, 'kustomize'), '#!/bin/sh\n[ "$1" = build ] && shift\nexec kubectl kustomize "$@"\n', {
      mode: 0o755,
    });
    symlinkSync(bundlePath, join(bin, 'sidecar-injector'));
    const plugin = parse(docBlock('argocd/plugin.yaml')) as {
      spec: { generate: { command: string[]; args: string[] } };
    };
    const [cmd, ...cmdArgs] = plugin.spec.generate.command;
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
    const out = run(cmd, [...cmdArgs, ...plugin.spec.generate.args], { cwd: app, env });
    expect(out.status, out.stderr).toBe(0);
    const manifests = objects(out.stdout);
    expect(manifests.map((o) => o.kind)).toEqual(['Deployment']);
    expect(hasSidecar(manifests[0])).toBe(true);
    expect(out.stdout).toContain('image: gcr.io/speedscale/goproxy:v2.5.602');

    // A failing kustomize build fails the command (pipefail), instead of yielding no manifests.
    writeFileSync(join(app, 'kustomization.yaml'), 'resources:\n- missing.yaml\n');
    expect(run(cmd, [...cmdArgs, ...plugin.spec.generate.args], { cwd: app, env }).status).not.toBe(0);
  });
});

const imageReason = missing('docs: image snippets (podman)', ['podman', 'runc', 'flock', 'kubectl', 'kpt']);

describe.skipIf(imageReason)('docs/orchestrators.md: the image, built and run as shown', () => {
  beforeAll(async () => {
    // The doc's podman-setup.sh and podman build, as written, from the repository root (serialised with
    // the other image suites; podman's layer cache makes it quick after their build).
    const out = await runAsync('flock', [PODMAN_LOCK, 'bash', '-e', '-c', docBlock('podman-build')], { cwd: repoRoot });
    if (out.status !== 0) throw new Error(`the doc's podman build failed\n${out.stdout}\n${out.stderr}`);
  }, 900_000);

  it('podman run like kustomize prints the injected ResourceList', () => {
    const out = sh(docBlock('podman-run'), { cwd: repoRoot });
    expect(out.status, out.stderr).toBe(0);
    const list = parse(out.stdout) as { kind: string; items: KObject[] };
    expect(list.kind).toBe('ResourceList');
    expect(list.items.some(hasSidecar)).toBe(true);
  });

  it('KPT_FN_RUNTIME=podman kpt fn eval --image: the output shown', () => {
    const dir = rootPackage();
    const out = sh(docBlock('kpt-eval-image'), { cwd: dir });
    expect(out.status, out.stderr).toBe(0);
    expect(normalize(out.stderr)).toBe(normalize(docBlock('kpt-eval-image.out')));
  });

  it('the Kptfile image step renders, as shown', () => {
    const dir = rootPackage();
    const kptfile = docBlock('kptfile');
    expect(kptfile).toContain(`image: ${DOC_IMAGE}`);
    writeFileSync(join(dir, 'Kptfile'), kptfile);
    const out = run('kpt', ['fn', 'render', '--image-pull-policy', 'never'], {
      cwd: dir,
      env: { ...process.env, KPT_FN_RUNTIME: 'podman' },
    });
    expect(out.status, `${out.stdout}\n${out.stderr}`).toBe(0);
    const deployment = readFileSync(join(dir, 'examples/hello/deployment.yaml'), 'utf8');
    expect(hasSidecar(objects(deployment)[0])).toBe(true);
    expect(deployment).toContain('5432,6379');
  });

  it('the Flux render job, run as written: renders with the sidecar, commits and pushes', () => {
    const dir = tempDir('docs-flux');
    works.push(dir);
    const overlay = join(dir, 'deploy/overlays/prod');
    mkdirSync(overlay, { recursive: true });
    for (const [file, id] of Object.entries({
      'kustomization.yaml': 'kustomize/kustomization.yaml',
      'sidecar-injector.yaml': 'kustomize/sidecar-injector.yaml',
      'deployment.yaml': 'kustomize/deployment.yaml',
    }))
      writeFileSync(join(overlay, file), docBlock(id));
    const env = {
      ...process.env,
      PATH: `${shim}:${process.env.PATH ?? ''}`,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@localhost',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@localhost',
    };
    const git = (...args: string[]) => run('git', args, { cwd: dir, env });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'the overlay');
    const remote = `${dir}.git`;
    works.push(remote);
    run('git', ['init', '-q', '--bare', remote]);
    git('remote', 'add', 'origin', remote);
    git('push', '-q', '-u', 'origin', 'main');
    // actions/checkout is the repository above; the run steps as the runner runs them.
    const steps = workflowOf(docBlock('flux/render.yaml')).jobs.render.steps.filter((s) => s.run);
    for (const step of steps) {
      const out = runStep(step, { cwd: dir, env });
      expect(out.status, `${step.name}\n${out.stderr}`).toBe(0);
    }
    expect(hasSidecar(objects(readFileSync(join(dir, 'deploy/rendered/prod.yaml'), 'utf8'))[0])).toBe(true);
    expect(run('git', ['log', '-1', '--format=%s', 'main'], { cwd: remote }).stdout.trim()).toBe(
      'Render deploy/overlays/prod',
    );
  });

  it("kubectl kustomize --enable-alpha-plugins with the doc's three files injects the Deployment", () => {
    const dir = docDir({
      'kustomization.yaml': 'kustomize/kustomization.yaml',
      'sidecar-injector.yaml': 'kustomize/sidecar-injector.yaml',
      'deployment.yaml': 'kustomize/deployment.yaml',
    });
    const out = sh(docBlock('kustomize/build'), {
      cwd: dir,
      env: { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}` },
    });
    expect(out.status, out.stderr).toBe(0);
    const built = objects(out.stdout);
    expect(built.map((o) => o.kind)).toEqual(['Deployment']);
    expect(hasSidecar(built[0])).toBe(true);
  });

  it('the shim line, as written from the repository root, builds the same with podman behind docker', () => {
    const dir = docDir({
      'kustomization.yaml': 'kustomize/kustomization.yaml',
      'sidecar-injector.yaml': 'kustomize/sidecar-injector.yaml',
      'deployment.yaml': 'kustomize/deployment.yaml',
    });
    const line = docBlock('kustomize/shim').trim();
    expect(line).toMatch(/ path\/to\/kustomization$/);
    const out = sh(line.replace(/path\/to\/kustomization$/, dir), { cwd: repoRoot });
    expect(out.status, out.stderr).toBe(0);
    const built = objects(out.stdout);
    expect(built.map((o) => o.kind)).toEqual(['Deployment']);
    expect(hasSidecar(built[0])).toBe(true);
  });
});
