/**
 * The scripts and YAML files the page generates (web/wiring.ts, web/verify-plan.ts) hold names from the
 * user's files, link and answers: a manifest's path, a namespace, a workload's name, a registry. Each must
 * come out as exactly that value, one inert word in a script and one scalar in YAML, whatever it holds. The
 * scripts are run here by sh and bash with stand-ins for the commands they call, which record their argv:
 * the argv must be the intended values and nothing else may run. Common names stay unquoted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { answersLayer, changesOf } from '../../web/environment';
import { registryOf, registryProblem } from '../../web/registry';
import { shellComment, shellPath, shellWord } from '../../web/shell';
import { compute } from '../../web/pipeline';
import { initialState, TOOLS } from '../../web/state';
import { verifyCommands, verifyPlan, verifyScript, type PlanRow } from '../../web/verify-plan';
import { cmpImage, CONFIG_FILE, functionImage, RELEASED, WIRING, wiringFor } from '../../web/wiring';

/** Values that would run a command, split a word, start a comment or add a line if written raw. */
const HOSTILE = [
  'a;touch PWNED;.yaml',
  'my app.yaml',
  'x$(touch PWNED).yaml',
  'x`touch PWNED`.yaml',
  "it's.yaml",
  '"q" \\ .yaml',
  'new\nline;touch PWNED.yaml',
  '#not-a-comment.yaml',
  'glob*?[a].yaml',
  '~/home.yaml',
  '$HOME & | > < .yaml',
  '-rf.yaml',
];

const work = mkdtempSync(join(tmpdir(), 'generated-quoting-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A directory with stand-ins for `names`: each appends its name and argv (NUL-separated) to $ARGV_LOG. */
function standIns(names: string[]): string {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const name of names)
    writeFileSync(
      join(bin, name),
      `#!/bin/sh\nprintf '%s\\0' "\${0##*/}" "$@" >> "$ARGV_LOG"\nprintf '\\001' >> "$ARGV_LOG"\n` +
        // kubectl get pods: one pod, so verify.sh's check() runs every call it makes.
        `[ "\${0##*/} $1 $2" = "kubectl get pods" ] && echo pod/p1\nexit 0\n`,
      { mode: 0o755 },
    );
  return bin;
}
const BIN = standIns(['kubectl', 'docker', 'npm', 'sidecar-injector', 'helm']);

let runs = 0;
/**
 * `script` run by `shell` in an empty directory with the stand-ins first on PATH: each call's argv, and the
 * files left in the directory (an injected command would leave PWNED).
 */
function runScript(shell: string, script: string): { status: number | null; calls: string[][]; files: string[] } {
  const dir = join(work, `run-${++runs}`);
  mkdirSync(dir);
  const log = join(work, `argv-${runs}`);
  writeFileSync(log, '');
  const out = spawnSync(shell, ['-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${BIN}:/usr/bin:/bin`, ARGV_LOG: log, HOME: dir },
  });
  const calls = readFileSync(log, 'utf8')
    .split('\x01')
    .filter(Boolean)
    .map((call) => call.split('\0').slice(0, -1));
  return { status: out.status, calls, files: readdirSync(dir) };
}
const syntaxOk = (shell: string, script: string) => spawnSync(shell, ['-n', '-c', script]).status === 0;

describe('one shell word', () => {
  it('leaves a common value as it is', () => {
    for (const v of [
      'deploy/web.yaml',
      'app=web,tier=front',
      'registry.test/team/sidecar-injector:0.1.0',
      'a_b-c+d@e%f',
    ])
      expect(shellWord(v)).toBe(v);
    expect(shellPath('base/app.yaml')).toBe('base/app.yaml');
  });

  it('gives any other value back exactly, as one word, running nothing (sh and bash)', () => {
    const values = [...HOSTILE, '', "'", "''", '\\', 'a\tb', '\x1b[31mred'];
    const script = `printf '%s\\0' ${values.map(shellWord).join(' ')} > out`;
    for (const shell of ['/bin/sh', 'bash']) {
      expect(syntaxOk(shell, script), shell).toBe(true);
      const dir = join(work, `word-${shell.length}`);
      mkdirSync(dir);
      expect(spawnSync(shell, ['-c', script], { cwd: dir }).status).toBe(0);
      expect(readFileSync(join(dir, 'out'), 'utf8').split('\0').slice(0, -1), shell).toEqual(values);
      expect(readdirSync(dir)).toEqual(['out']);
    }
  });

  it('makes a path that reads as an option a path', () => {
    expect(shellPath('-rf.yaml')).toBe('./-rf.yaml');
    expect(shellPath("-it's.yaml")).toBe(`'./-it'\\''s.yaml'`);
  });

  it('writes a comment that no newline or control character ends', () => {
    expect(shellComment('Deployment demo/web')).toBe('Deployment demo/web');
    const comment = shellComment('web\ntouch PWNED\r\u2028\u0085\x1b[2J\x00');
    expect(comment).toBe('web\\ntouch PWNED\\r\\u2028\\x85\\x1b[2J\\x00');
    expect([...comment].filter((c) => c < ' ' || ('\x7f' <= c && c <= '\x9f') || '\u2028\u2029'.includes(c))).toEqual(
      [],
    );
  });
});

describe('deploy.sh (kubectl)', () => {
  const deploy = (paths: string[]) => WIRING.kubectl({ spec: {}, paths }).find((f) => f.path === 'deploy.sh')!.text;

  it('names common paths unquoted', () => {
    expect(deploy(['deploy/web.yaml', 'a.yaml'])).toBe(
      '#!/bin/sh\nset -e\n' +
        `sidecar-injector inject --annotated --config ${CONFIG_FILE} --in-place deploy/web.yaml a.yaml\n` +
        'kubectl apply -f deploy/web.yaml -f a.yaml\n',
    );
  });

  it('passes every path, whatever it holds, as one argument, and runs nothing else', () => {
    const paths = [...HOSTILE, 'deploy/web.yaml'];
    const script = deploy(paths);
    const given = paths.map((p) => (p.startsWith('-') ? `./${p}` : p));
    for (const shell of ['/bin/sh', 'bash']) {
      expect(syntaxOk(shell, script), shell).toBe(true);
      const { status, calls, files } = runScript(shell, script);
      expect(status).toBe(0);
      expect(calls).toEqual([
        ['sidecar-injector', 'inject', '--annotated', '--config', CONFIG_FILE, '--in-place', ...given],
        ['kubectl', 'apply', ...given.flatMap((p) => ['-f', p])],
      ]);
      expect(files).toEqual([]);
    }
  });
});

describe('commands.sh and verify.sh (Verify)', () => {
  const row: PlanRow = {
    label: 'Deployment prod/web\ntouch PWNED-label #',
    ref: 'deployment/web$(touch PWNED-ref)',
    namespace: "prod'; touch PWNED-ns; '",
    selector: 'app=`touch PWNED-sel`,tier=a b',
    before: 1,
    after: 2,
    initContainers: ['migrate', 'x;touch PWNED-init'],
    proxy: true,
    completes: false,
  };

  it('commands.sh: each namespace, selector and name one argument; nothing else runs', () => {
    const script = `${verifyCommands([row]).join('\n')}\n`;
    expect(syntaxOk('bash', script)).toBe(true);
    const { status, calls, files } = runScript('bash', script);
    expect(status).toBe(0);
    expect(calls).toEqual([
      ['kubectl', 'get', 'pods', '-n', row.namespace, '-l', row.selector],
      ['kubectl', 'logs', '-n', row.namespace, row.ref, '-c', 'speedscale-goproxy', '--tail=20'],
      ['sidecar-injector', 'inject', '--annotated', '--config', CONFIG_FILE, '--check', '.'],
    ]);
    expect(files).toEqual([]);
  });

  it('verify.sh: the label stays in its comment; every kubectl call gets the namespace as it is', () => {
    const script = verifyScript([row]);
    expect(syntaxOk('bash', script)).toBe(true);
    expect(script.split('\n').filter((l) => l.startsWith('# Deployment'))).toEqual([
      '# Deployment prod/web\\ntouch PWNED-label #: containers 1 as loaded, 2 injected',
    ]);
    const { calls, files } = runScript('bash', script);
    expect(files).toEqual([]);
    expect(calls[0]).toEqual(['kubectl', 'get', 'pods', '-n', row.namespace, '-l', row.selector, '-o', 'name']);
    // check(): every call on the pod found, in the namespace, each a kubectl call and no other command.
    expect(calls.length).toBeGreaterThan(3);
    for (const call of calls.slice(1)) {
      expect(call[0]).toBe('kubectl');
      expect(call.slice(2, 5)).toEqual(['-n', row.namespace, 'pod/p1']);
    }
  });

  it('from manifests: a quoted name with a newline and a namespace with $(...) run nothing', () => {
    const text = (name: string, ns: string) =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${JSON.stringify(name)}`,
        `  namespace: ${JSON.stringify(ns)}`,
        '  annotations: {sidecar.speedscale.com/inject: "true"}',
        'spec:',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec: {containers: [{name: app, image: nginx}]}',
        '',
      ].join('\n');
    const state = {
      ...initialState(),
      sources: [
        { path: 'x$(touch PWNED-path).yaml', text: text('web\ntouch PWNED-newline #', 'prod$(touch PWNED-ns)') },
      ],
    };
    const rows = verifyPlan(state, compute(state));
    expect(rows).toHaveLength(1);
    for (const script of [verifyScript(rows), `${verifyCommands(rows).join('\n')}\n`]) {
      expect(syntaxOk('bash', script)).toBe(true);
      const { calls, files } = runScript('bash', script);
      expect(files).toEqual([]);
      for (const call of calls.filter((c) => c.includes('-n')))
        expect(call[call.indexOf('-n') + 1]).toBe('prod$(touch PWNED-ns)');
      expect(calls.every((c) => ['kubectl', 'sidecar-injector'].includes(c[0]))).toBe(true);
    }
  });
});

describe('the registry', () => {
  it('is taken when it is a registry and path an image can start with', () => {
    for (const r of [
      'registry.test/team',
      'localhost/wiring-test',
      'localhost:5000/a/b',
      'ghcr.io',
      'ghcr.io/my-org/team_x',
      'docker.io/library',
      'myuser',
      '[::1]:5000/team',
      ' registry.test/team/ ',
    ]) {
      expect(registryProblem(r), r).toBeUndefined();
      expect(registryOf(r), r).toBe(r.trim().replace(/\/+$/, ''));
    }
    expect(registryProblem(undefined)).toBeUndefined();
    expect(registryProblem('  ')).toBeUndefined();
  });

  it('is refused, with the reason, when it is anything else: no file names an image in it', () => {
    for (const r of [
      'reg.example$(touch PWNED)',
      'r.example\n      exec: ./evil.sh\n      x: y',
      'r.example/team;touch PWNED',
      'r.example/team name',
      'r.example/Team',
      "r.example/it's",
      'r.example/#x',
      'r.example//team',
      'r.example/team:tag',
      '-r.example/team',
      'https://r.example/team',
      `r.example/${'a'.repeat(200)}`,
    ]) {
      expect(registryProblem(r), r).toMatch(/^Not a registry and path: give host\[:port\]\/path/);
      expect(registryOf(r), r).toBeUndefined();
      expect(functionImage(r), r).toBeUndefined();
      for (const tool of TOOLS) {
        const files = WIRING[tool]({ spec: {}, paths: ['a.yaml'], registry: r });
        for (const f of files) expect(f.text, `${tool}: ${f.path}`).not.toContain('r.example');
        if (!RELEASED && tool !== 'helm' && tool !== 'kubectl') expect(files, tool).toEqual([]);
      }
    }
  });

  it('with a newline, from a link, adds no key to the Kptfile: none is offered', () => {
    const state = {
      ...initialState(),
      sources: [
        { path: 'Kptfile', text: 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: app\n' },
        { path: 'm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' },
      ],
      tool: 'kpt' as const,
      registry: 'r.example\n      exec: ./evil.sh\n      x: y',
    };
    const { files } = wiringFor(state, {});
    expect(files.map((f) => f.text).join('')).not.toContain('evil');
  });

  it('sets no proxy image when it is not one (Environment), and says so', () => {
    const bad = 'reg.example$(touch PWNED)';
    expect(answersLayer({ images: 'mine' }, bad)).toEqual({});
    expect(changesOf({ images: 'mine' }, bad)[0]).toMatchObject({
      changes: [],
      note: 'fix your registry to set the proxy image.',
    });
    expect(answersLayer({ images: 'mine' }, 'registry.test/team').image).toMatch(/^registry\.test\/team\/goproxy:/);
  });

  it('goes into install.sh as one word: a bracketed IPv6 host is no glob', () => {
    const registry = '[::1]:5000/team';
    const install = WIRING.kpt({ spec: {}, paths: ['a.yaml'], registry }).find((f) => f.path === 'install.sh')!.text;
    const image = functionImage(registry)!;
    const { calls, files } = runScript('/bin/sh', install);
    expect(files).toEqual([]);
    expect(calls.filter((c) => c[0] === 'docker')).toEqual([
      ['docker', 'build', '--target', 'function', '-t', image, '.'],
      ['docker', 'push', image],
    ]);
  });
});

// `[::1]:5000/...` is a registry, and YAML would read it raw as a flow sequence.
describe.each(['registry.test/team', '[::1]:5000/team'])('YAML files, the registry %s', (registry) => {
  const image = functionImage(registry)!;

  it('kustomization.yaml lists each path as one resource, whatever it holds', () => {
    const paths = [
      'm.yaml\n- https://github.com/evil/repo//base?ref=x.yaml',
      '#x.yaml',
      '- y.yaml',
      "a: 'b'.yaml",
      'ok.yaml',
    ];
    for (const tool of ['kustomize', 'flux'] as const) {
      const file = WIRING[tool]({ spec: {}, paths, registry }).find((f) => f.path === 'kustomization.yaml')!;
      expect(parse(file.text)).toEqual({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: paths,
        transformers: [CONFIG_FILE],
      });
    }
  });

  it('the Kptfile: its own and the user’s hold exactly the step', () => {
    const step = { name: 'inject-speedscale-sidecar', image, configPath: CONFIG_FILE };
    const own = WIRING.kpt({ spec: {}, paths: ['a.yaml'], registry }).find((f) => f.path === 'Kptfile')!;
    expect(parse(own.text)).toEqual({
      apiVersion: 'kpt.dev/v1',
      kind: 'Kptfile',
      metadata: { name: 'app', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      pipeline: { mutators: [step] },
    });
    const mine =
      'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: shop\npipeline:\n  mutators:\n  - image: x\n';
    const theirs = WIRING.kpt({ spec: {}, paths: ['Kptfile'], kptfile: mine, registry }).find(
      (f) => f.path === 'Kptfile',
    )!;
    expect(parse(theirs.text)).toEqual({
      apiVersion: 'kpt.dev/v1',
      kind: 'Kptfile',
      metadata: { name: 'shop' },
      pipeline: { mutators: [step, { image: 'x' }] },
    });
  });

  it('the transformer annotation and the Argo CD patch hold the image as one value', () => {
    const config = WIRING.kustomize({ spec: {}, paths: ['a.yaml'], registry }).find((f) => f.path === CONFIG_FILE)!;
    const annotation = (parse(config.text) as { metadata: { annotations: Record<string, string> } }).metadata
      .annotations['config.kubernetes.io/function'];
    expect(parse(annotation)).toEqual({ container: { image } });
    const patch = WIRING.argocd({ spec: {}, paths: ['a.yaml'], registry }).find(
      (f) => f.path === 'argocd-repo-server-patch.yaml',
    )!;
    const containers = (parse(patch.text) as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec
      .template.spec.containers;
    expect(containers.map((c) => c.image)).toEqual([cmpImage(registry)]);
  });
});
