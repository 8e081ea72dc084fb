/**
 * The fenced blocks of the docs that are neither the README's, orchestrators.md's nor cli.md's (their own
 * suites), marked `doc-test=<page>/<id>`, run or checked as written: an output line is what the command line
 * prints for the case the text describes, a file is one the tools take, a command names what exists.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { startWizard } from '../support/wizard-process';
import { docBlock, docBlocks } from './_docs';
import { BUNDLE_HINT, bundleMissing, bundlePath, missing, repoRoot, run, tempDir, type KObject } from './_tools';

const PAGES = ['development', 'environments', 'results', 'wizard', 'how-it-works'];
const page = (name: string) => join(repoRoot, `docs/${name}.md`);
const block = (id: string) => docBlock(id, page(id.slice(0, id.indexOf('/'))));
const reason = missing('docs pages', ['bash'], [[bundleMissing(), BUNDLE_HINT]]);

/** The command line's report lines (stderr) for `args`, run from `cwd`. */
function report(args: string[], cwd: string): { status: number; lines: string[]; stdout: string } {
  const out = run(bundlePath, args, { cwd });
  return { status: out.status, lines: out.stderr.trim().split('\n'), stdout: out.stdout };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    sidecar.speedscale.com/inject: "true"
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: web:1
        ports:
        - name: http
          containerPort: 8080
        resources:
          requests: {cpu: 500m, memory: 512Mi}
          limits: {cpu: 500m, memory: 512Mi}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: http
`;

describe('the docs pages (static)', () => {
  it.each(PAGES)('docs/%s.md: every block is one the tests run or check, each id once', (name) => {
    const blocks = docBlocks(page(name));
    expect(blocks.filter((b) => b.id === undefined).map((b) => b.body.split('\n')[0])).toEqual([]);
    const ids = blocks.map((b) => b.id!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.startsWith(`${name}/`), id).toBe(true);
  });

  it('development.md: each command is a script of package.json, and says whether it builds as its script does', () => {
    const scripts = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const lines = block('development/commands').trim().split('\n');
    const named = new Set<string>();
    for (const line of lines) {
      const [command, comment = ''] = line.split(/ +# /);
      for (const part of command.split(' && ')) {
        const npm = /^npm (?:run )?([\w:]+)$/.exec(part.trim());
        if (!npm) {
          // The golden updates: an environment variable the named test file reads, and that file.
          const update = /^(\w+)=\S+ npx vitest run (\S+)$/.exec(part.trim());
          expect(update, part).not.toBeNull();
          const [, variable, file] = update!;
          expect(readFileSync(join(repoRoot, file), 'utf8'), file).toContain(variable);
          continue;
        }
        const name = npm[1];
        if (name === 'ci') continue; // npm's own
        expect(Object.keys(scripts), name).toContain(name);
        named.add(name);
        // "build, ..." is said of exactly the scripts that run the build.
        expect(/\bbuild,/.test(comment), `${name}: ${comment}`).toBe(/npm run build\b/.test(scripts[name]));
      }
    }
    // Every script a developer runs is listed (npm's lifecycle hook and the helpers other scripts call are not).
    const unlisted = Object.keys(scripts).filter(
      (s) => !named.has(s) && !['prepack', 'validators', 'format:check'].includes(s),
    );
    expect(unlisted).toEqual([]);
  });

  it('how-it-works.md: every module and directory the map names exists', () => {
    const map = block('how-it-works/modules');
    const missingPaths: string[] = [];
    let dir = '';
    for (const line of map.trimEnd().split('\n')) {
      const head = /^( {0,2})([^\s,]+(?:, [^\s,]+)*)\s+/.exec(line);
      // A continuation line belongs to the row above it: its file names are in that row's directory.
      if (head) {
        const nested = head[1] === '  ';
        const paths = head[2]
          .split(', ')
          .map((p, i) =>
            nested ? join('fn', p) : i > 0 && !p.includes('/') ? join(head[2].split(', ')[0], '..', p) : p,
          );
        for (const path of paths) if (!existsSync(join(repoRoot, path))) missingPaths.push(path);
        dir = paths[0].endsWith('/') ? paths[0] : paths[0].slice(0, paths[0].lastIndexOf('/') + 1);
      }
      const description = head ? line.slice(head[0].length) : line;
      for (const [, file] of description.matchAll(/(?<![\w.-])([\w.-]+\.ts)\b/g))
        if (!existsBelow(join(repoRoot, dir), file)) missingPaths.push(`${dir}…/${file}`);
    }
    expect(missingPaths).toEqual([]);
  });
});

/** Whether `file` is somewhere below `dir` (the map names files by their name within the row's directory). */
function existsBelow(dir: string, file: string): boolean {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((p) => p === file || p.endsWith(`/${file}`));
}

describe.skipIf(reason)('the docs pages, run as written', () => {
  const work = tempDir('docs-pages');
  afterAll(() => run('rm', ['-rf', work]));

  it('environments.md: the environment result is the line gke-autopilot prints for an app with one TCP port', () => {
    writeFileSync(join(work, 'deployment.yaml'), DEPLOYMENT);
    const shown = block('environments/autopilot-result').trim();
    const got = report(['inject', '--environment', 'gke-autopilot', 'deployment.yaml'], work);
    expect(got.status).toBe(0);
    // `...` stands for the profile's values between the first ones and the port: the line shown, elided.
    const [before, after] = shown.split(', ..., ');
    const line = got.lines.find((l) => l.startsWith(before))!;
    expect(line, got.lines.join('\n')).toBeDefined();
    expect(line.endsWith(after)).toBe(true);
  });

  it('environments.md: the SCC allows what the openshift profile injects, and the oc commands name it', () => {
    const scc = parse(block('environments/scc')) as {
      metadata: { name: string };
      allowPrivilegedContainer: boolean;
      allowPrivilegeEscalation: boolean;
      allowedCapabilities: string[];
      runAsUser: { type: string };
      volumes: string[];
    };
    const oc = block('environments/oc').trim().split('\n');
    expect(oc[0]).toBe('oc create -f scc.yaml');
    expect(oc[1]).toBe(
      `oc adm policy add-scc-to-group ${scc.metadata.name} system:serviceaccounts:<WORKLOAD_NAMESPACE>`,
    );

    writeFileSync(join(work, 'openshift.yaml'), DEPLOYMENT);
    const got = report(['inject', '--environment', 'openshift', 'openshift.yaml'], work);
    expect(got.status, got.lines.join('\n')).toBe(0);
    const pod = (parse(got.stdout) as { spec: { template: { spec: Record<string, KObject[]> } } }).spec.template.spec;
    const injected = [...pod.initContainers, ...pod.containers].filter((c) => String(c.name).startsWith('speedscale-'));
    expect(injected.length).toBeGreaterThan(1);
    for (const container of injected) {
      const context = (container.securityContext ?? {}) as {
        privileged?: boolean;
        allowPrivilegeEscalation?: boolean;
        capabilities?: { add?: string[] };
        runAsUser?: number;
      };
      if (context.privileged) expect(scc.allowPrivilegedContainer, String(container.name)).toBe(true);
      if (context.privileged || context.allowPrivilegeEscalation !== false)
        expect(scc.allowPrivilegeEscalation, String(container.name)).toBe(true);
      for (const capability of context.capabilities?.add ?? []) expect(scc.allowedCapabilities).toContain(capability);
      if (context.runAsUser !== undefined) expect(scc.runAsUser.type).toBe('RunAsAny');
    }
    expect(scc.volumes).toEqual(['*']);
  });

  it('environments.md: the record of a Service pointed at the proxy is the one shown', () => {
    writeFileSync(join(work, 'service.yaml'), `${DEPLOYMENT}---\n${SERVICE}`);
    const args = ['inject', '--service-target-port', 'proxy', '--proxy-type', 'dual', '--proxy-port', '8080'];
    const got = report([...args, 'service.yaml'], work);
    expect(got.status, got.lines.join('\n')).toBe(0);
    const service = parseAllDocuments(got.stdout)[1].toJS() as KObject;
    const record = JSON.parse(service.metadata.annotations!['sidecar.speedscale.com/injection']) as Record<
      string,
      unknown
    >;
    // `[...]` stands for a list shown elided: the record holds a list there; every other value is as shown.
    const shown = JSON.parse(block('environments/record').trim().replaceAll('[...]', '"elided"')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(record)).toEqual(Object.keys(shown));
    for (const [key, value] of Object.entries(shown))
      if (value === 'elided') expect(Array.isArray(record[key]), key).toBe(true);
      else expect(record[key], key).toEqual(value);
  });

  it('results.md: a bad annotation value is reported in the words shown', () => {
    const bad = DEPLOYMENT.replace(
      '    sidecar.speedscale.com/inject: "true"\n',
      '    sidecar.speedscale.com/inject: "true"\n    sidecar.speedscale.com/proxy-in-port: "70000"\n',
    );
    writeFileSync(join(work, 'bad.yaml'), bad);
    const got = report(['inject', 'bad.yaml'], work);
    expect(got.status).toBe(1);
    expect(got.lines.join('\n')).toContain(`error: ${block('results/bad-value').trim()}`);
  });

  it('results.md: a refused workload an earlier run injected says its sidecar stays, and it does', () => {
    writeFileSync(join(work, 'web.yaml'), DEPLOYMENT);
    expect(report(['inject', '--in-place', 'web.yaml'], work).status).toBe(0);
    const injected = readFileSync(join(work, 'web.yaml'), 'utf8');
    // The app now listens on the proxy's in-port: refused, and the earlier sidecar left as it was.
    const onProxyPort = injected.replace('containerPort: 8080', 'containerPort: 4143');
    expect(onProxyPort).not.toBe(injected);
    writeFileSync(join(work, 'web.yaml'), onProxyPort);
    const got = report(['inject', '--in-place', 'web.yaml'], work);
    expect(got.status).toBe(1);
    expect(got.lines.join('\n')).toContain(`error: ${block('results/sidecar-stays').trim()}`);
    expect(readFileSync(join(work, 'web.yaml'), 'utf8')).toBe(onProxyPort);
    // Never injected, the same refusal says so.
    writeFileSync(join(work, 'new.yaml'), DEPLOYMENT.replace('containerPort: 8080', 'containerPort: 4143'));
    expect(report(['inject', 'new.yaml'], work).lines.join('\n')).toContain(
      'error: not injected: container web already listens on 4143',
    );
  });

  it('wizard.md: the page opens from dist/web/index.html, and wizard DIR serves it with DIR loaded', async () => {
    const [build, open, serve] = block('wizard/open')
      .trim()
      .split('\n')
      .map((l) => l.replace(/ +#.*$/, ''));
    expect(build).toBe('npm ci && npm run build'); // what the suites run after .ci/run's npm ci
    const [opener, file] = open.split(' ');
    expect(opener).toBe('xdg-open');
    expect(readFileSync(join(repoRoot, file), 'utf8')).toMatch(/^<!doctype html>/i);
    const [bin, command, placeholder] = serve.split(' ');
    expect([bin, command, placeholder]).toEqual(['./dist/sidecar-injector.js', 'wizard', 'DIR']);
    expect(join(repoRoot, bin)).toBe(bundlePath);
    writeFileSync(join(work, 'deployment.yaml'), DEPLOYMENT);
    // As printed, with --no-open (startWizard's default): xdg-open is installed here and would open a browser.
    const wizard = await startWizard(bundlePath, work);
    try {
      const served = await fetch(wizard.url.origin + '/');
      expect(served.status).toBe(200);
      expect(await served.text()).toBe(readFileSync(join(repoRoot, file), 'utf8'));
    } finally {
      wizard.child.kill();
    }
  });
});
