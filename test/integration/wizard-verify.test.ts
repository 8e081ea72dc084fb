/**
 * The wizard's Verify step in chromium: commands that name the pods as they will be deployed. A workload the
 * manifests give no namespace gets no `-n`; a kustomization's namespace, namePrefix and nameSuffix are
 * applied (and checked against what `kubectl kustomize` really renders); the container counts before and
 * after injection. verify.sh needs a live cluster, so it is checked by syntax (`bash -n`, every kubectl flag
 * in `kubectl <command> --help`), by the names it uses, and by a run against a fake kubectl that answers
 * from canned pods through the real kubectl's jsonpath printer: PASS and FAIL lines and the exit code.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compressToEncodedURIComponent } from 'lz-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { initialState, type Source, type WizardState } from '../../web/state';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { bundlePath, missing, must, repoRoot, run, tempDir } from './_tools';

const PAGE = pathToFileURL(join(repoRoot, 'dist/web/index.html')).href;
const inCi = process.env.CI === 'true';
const reason = [chromiumMissing() && '/usr/bin/chromium is not installed', missing('Verify', ['kubectl', 'bash'])]
  .filter(Boolean)
  .join('; ');
if (reason) console.warn(`[skipped] the wizard's Verify: ${reason}`);

/** A Deployment opted in, with `containers` app containers (grafana has 4), in `namespace` when given. */
const deployment = (name: string, { containers = 1, namespace = '', init = false } = {}) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    '  annotations:',
    '    sidecar.speedscale.com/inject: "true"',
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    ...(init ? ['      initContainers:', '      - name: migrate', '        image: example.com/migrate:1'] : []),
    '      containers:',
    ...Array.from({ length: containers }, (_, i) => [
      `      - name: c${i}`,
      `        image: example.com/${name}:${i}`,
    ]).flat(),
    '',
  ].join('\n');

/** The page opened on Verify with these files, as a link holds them. */
async function openVerify(page: Page, sources: Source[]): Promise<{ commands: string; script: string }> {
  const state: WizardState = { ...initialState(), sources, step: 'verify' };
  await page.goto('about:blank'); // a new fragment on the same page would not load it
  await page.goto(`${PAGE}#s=${compressToEncodedURIComponent(JSON.stringify(state))}`);
  await page.getByRole('heading', { name: /^\d+\. Verify$/ }).waitFor();
  const text = async (path: string) => (await page.locator(`pre[data-path="${path}"]`).textContent()) ?? '';
  return { commands: await text('commands.sh'), script: await text('verify.sh') };
}

/** Each kubectl call written out in a text (comments aside): its command and arguments, quotes removed. */
function kubectlCalls(text: string): { command: string; args: string[] }[] {
  const code = text.replace(/^\s*#.*$/gm, '');
  return [...code.matchAll(/\bkubectl ([a-z]+)((?: +(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"#|)]+)+)*)/g)].map((m) => ({
    command: m[1],
    args: [...m[2].matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((w) => w[1] ?? w[2] ?? w[3]),
  }));
}

/** The -n, -l and TYPE/NAME of every literal kubectl call (the calls in check() take them as "$@"). */
function namesUsed(text: string): { namespaces: string[]; selectors: string[]; refs: string[] } {
  const out = { namespaces: [] as string[], selectors: [] as string[], refs: [] as string[] };
  for (const { args } of kubectlCalls(text))
    args.forEach((arg, i) => {
      if (arg === '-n') out.namespaces.push(args[i + 1]);
      if (arg === '-l') out.selectors.push(args[i + 1]);
      if (/^[a-z]+\/[a-z0-9.-]+$/.test(arg) && args[i - 1] !== '-c') out.refs.push(arg);
    });
  return out;
}

/** A canned pod as the API server returns one, with its containers' states. */
function pod(
  name: string,
  labels: Record<string, string>,
  state: { ready: boolean[]; inits: [string, number][]; proxyRunning: boolean },
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: state.ready.map((_, i) => ({ name: i ? `c${i - 1}` : 'speedscale-goproxy', image: 'x' })) },
    status: {
      phase: 'Running',
      initContainerStatuses: state.inits.map(([n, exitCode]) => ({
        name: n,
        ready: false,
        state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } },
      })),
      containerStatuses: state.ready.map((ready, i) => ({
        name: i ? `c${i - 1}` : 'speedscale-goproxy',
        ready,
        state:
          i || state.proxyRunning
            ? { running: { startedAt: '2026-01-01T00:00:00Z' } }
            : { waiting: { reason: 'CrashLoopBackOff' } },
      })),
    },
  };
}

/**
 * kubectl as verify.sh calls it, answered from $FAKE: `get pods [-n NS] -l SEL -o name` lists
 * $FAKE/NS/SEL.names, `get [-n NS] pod/NAME -o jsonpath=...` evaluates the template on $FAKE/NS/NAME.json with
 * the real kubectl (its --local printer needs no cluster), `logs` prints a canned line. Every call is logged.
 */
const FAKE_KUBECTL = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$FAKE/calls"
ns=_ sel= out= words=()
while [ $# -gt 0 ]; do
  case $1 in
    -n) ns=$2; shift 2 ;;
    -l) sel=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    -c) shift 2 ;;
    --tail=*) shift ;;
    *) words+=("$1"); shift ;;
  esac
done
case "\${words[0]} \${words[1]}" in
  "get pods") cat "$FAKE/$ns/$sel.names" 2>/dev/null ;;
  "get pod/"*) exec "$REAL_KUBECTL" label --local -f "$FAKE/$ns/\${words[1]#pod/}.json" fake=1 -o "$out" ;;
  "logs pod/"*) echo "captured GET /healthz from \${words[1]}" ;;
  *) echo "fake kubectl: unexpected call: $*" >&2; exit 2 ;;
esac
`;

describe.skipIf(reason && !inCi)("the wizard's Verify step", () => {
  let session: Session;
  let page: Page;
  let work = '';

  beforeAll(async () => {
    work = tempDir('wizard-verify');
    session = await launch();
    page = await session.newPage();
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    if (work) run('rm', ['-rf', work]);
  });

  it('gives a workload without a namespace commands without -n, never -n default', async () => {
    const { commands, script } = await openVerify(page, [
      { path: 'manifests.yaml', text: `${deployment('frontend')}---\n${deployment('cart', { namespace: 'shop' })}` },
    ]);
    expect(commands).toContain('kubectl get pods -l app=frontend   # READY shows 2/2');
    expect(commands).toContain('kubectl logs deployment/frontend -c speedscale-goproxy --tail=20');
    expect(commands).toContain('kubectl get pods -n shop -l app=cart');
    expect(script).toContain('pods=$(kubectl get pods -l app=frontend -o name)');
    for (const text of [commands, script]) {
      expect(text).not.toContain('default');
      expect(namesUsed(text).namespaces).toEqual(namesUsed(text).namespaces.filter((n) => n === 'shop'));
    }
    const row = page.getByRole('row', { name: /deployment\/frontend/ });
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      'Deployment frontend',
      'deployment/frontend',
      "your context's",
      '1 -> 2',
      '2/2',
    ]);
  });

  it('names what kustomize deploys: its namespace, namePrefix and nameSuffix, as kubectl kustomize renders', async () => {
    const sources = [
      { path: 'guestbook-ui.yaml', text: deployment('guestbook-ui') },
      {
        path: 'kustomization.yaml',
        text: 'resources:\n- guestbook-ui.yaml\nnamespace: guestbook\nnamePrefix: kustomize-\nnameSuffix: -v2\n',
      },
    ];
    const { commands, script } = await openVerify(page, sources);
    expect(commands).toContain('kubectl logs -n guestbook deployment/kustomize-guestbook-ui-v2 -c speedscale-goproxy');
    expect(commands).not.toContain('deployment/guestbook-ui ');
    // What kustomize really deploys: every name, namespace and selector the commands use is in it.
    const dir = join(work, 'kustomize');
    for (const { path, text } of sources) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const rendered = parseAllDocuments(must('kubectl', ['kustomize', dir]).stdout).map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { name: string; namespace?: string };
          spec: { template: { metadata: { labels: Record<string, string> } } };
        },
    );
    for (const text of [commands, script]) {
      const used = namesUsed(text);
      expect(used.refs.length + used.selectors.length).toBeGreaterThan(0);
      for (const ns of used.namespaces) expect(rendered.map((r) => r.metadata.namespace)).toContain(ns);
      for (const ref of used.refs)
        expect(rendered.map((r) => `${r.kind.toLowerCase()}/${r.metadata.name}`)).toContain(ref);
      for (const selector of used.selectors)
        expect(
          rendered.some((r) =>
            selector.split(',').every((pair) => {
              const [k, v] = pair.split('=');
              return r.spec.template.metadata.labels[k] === v;
            }),
          ),
          selector,
        ).toBe(true);
    }
  });

  it('shows each workload’s containers before and after: grafana 4 -> 5, READY 5/5', async () => {
    const { commands } = await openVerify(page, [
      { path: 'grafana.yaml', text: deployment('grafana', { containers: 4, namespace: 'monitoring' }) },
    ]);
    expect(await page.getByTestId('containers').textContent()).toBe('4 -> 5');
    expect(
      await page
        .getByRole('row', { name: /grafana/ })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('5/5');
    expect(commands).toContain('kubectl get pods -n monitoring -l app=grafana   # READY shows 5/5');
    expect(commands).not.toContain('2/2');
  });

  it('verify.sh: bash -n, kubectl flags that exist, PASS and FAIL lines and the exit code on a fake kubectl', async () => {
    const { commands, script } = await openVerify(page, [
      { path: 'a.yaml', text: deployment('api', { namespace: 'shop', init: true }) },
      { path: 'b.yaml', text: deployment('web') },
    ]);
    const file = join(work, 'verify.sh');
    writeFileSync(file, script);
    expect(must('bash', ['-n', file]).status).toBe(0);

    // Every flag of every kubectl call is one `kubectl <command> --help` (or `kubectl options`) lists.
    const help = (command: string) => must('kubectl', [command, '--help']).stdout + must('kubectl', ['options']).stdout;
    const calls = [...kubectlCalls(commands), ...kubectlCalls(script)];
    expect(new Set(calls.map((c) => c.command))).toEqual(new Set(['get', 'logs']));
    for (const { command, args } of calls)
      for (const flag of args.filter((a) => a.startsWith('-') && a !== '--').map((a) => a.replace(/=.*/, ''))) {
        const listed = new RegExp(flag.startsWith('--') ? `${flag}[= ]` : `${flag}, --`);
        expect(help(command), `kubectl ${command} ${flag}`).toMatch(listed);
      }

    // The fake cluster: api's pod all good; web's pod with the proxy down and an init container failed.
    const fake = join(work, 'fake');
    const bin = join(fake, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'kubectl'), FAKE_KUBECTL);
    chmodSync(join(bin, 'kubectl'), 0o755);
    const inits = ['migrate', 'speedscale-initproxy-iptables', 'speedscale-initproxy-smartdns'];
    const cluster = (webOk: boolean) => {
      for (const [ns, name, ok] of [
        ['shop', 'api', true],
        ['_', 'web', webOk],
      ] as const) {
        mkdirSync(join(fake, ns), { recursive: true });
        writeFileSync(join(fake, ns, `app=${name}.names`), `pod/${name}-7d4b9-x2k\n`);
        const state = ok
          ? { ready: [true, true], inits: inits.map((n): [string, number] => [n, 0]), proxyRunning: true }
          : {
              ready: [false, true],
              inits: [['speedscale-initproxy-iptables', 1] as [string, number]],
              proxyRunning: false,
            };
        writeFileSync(
          join(fake, ns, `${name}-7d4b9-x2k.json`),
          JSON.stringify(pod(`${name}-7d4b9-x2k`, { app: name }, state)),
        );
      }
      writeFileSync(join(fake, 'calls'), '');
    };
    const realKubectl = must('bash', ['-c', 'command -v kubectl']).stdout.trim();
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      FAKE: fake,
      REAL_KUBECTL: realKubectl,
      KUBECONFIG: '/dev/null',
    };

    cluster(true);
    const good = run('bash', [file], { env });
    expect(good.stderr).toBe('');
    expect(good.stdout.split('\n').filter((l) => /^(PASS|FAIL) /.test(l))).toEqual([
      'PASS deployment/api (shop) pod/api-7d4b9-x2k: READY 2/2',
      'PASS deployment/api (shop) pod/api-7d4b9-x2k: init container migrate exited 0',
      'PASS deployment/api (shop) pod/api-7d4b9-x2k: init container speedscale-initproxy-iptables exited 0',
      'PASS deployment/api (shop) pod/api-7d4b9-x2k: init container speedscale-initproxy-smartdns exited 0',
      'PASS deployment/api (shop) pod/api-7d4b9-x2k: speedscale-goproxy running',
      'PASS deployment/web pod/web-7d4b9-x2k: READY 2/2',
      'PASS deployment/web pod/web-7d4b9-x2k: init container speedscale-initproxy-iptables exited 0',
      'PASS deployment/web pod/web-7d4b9-x2k: init container speedscale-initproxy-smartdns exited 0',
      'PASS deployment/web pod/web-7d4b9-x2k: speedscale-goproxy running',
    ]);
    expect(good.stdout).toContain('    captured GET /healthz from pod/api-7d4b9-x2k');
    expect(good.status).toBe(0);
    // The script asked the cluster only for what the manifests deploy: shop's api, web in the context's namespace.
    const asked = readFileSync(join(fake, 'calls'), 'utf8');
    expect(asked).toContain('get pods -n shop -l app=api -o name');
    expect(asked).toContain('get pods -l app=web -o name');
    expect(asked).not.toMatch(/-n (?!shop\b)/);

    cluster(false);
    const bad = run('bash', [file], { env });
    const failures = bad.stdout.split('\n').filter((l) => l.startsWith('FAIL '));
    expect(failures).toEqual([
      'FAIL deployment/web pod/web-7d4b9-x2k: READY 1/2',
      'FAIL deployment/web pod/web-7d4b9-x2k: init container speedscale-initproxy-iptables exited "1" (not 0)',
      'FAIL deployment/web pod/web-7d4b9-x2k: init container speedscale-initproxy-smartdns exited "" (not 0)',
      'FAIL deployment/web pod/web-7d4b9-x2k: speedscale-goproxy not running',
    ]);
    expect(bad.status).toBe(1);

    // No pods at all: a FAIL, not a silent pass.
    run('rm', ['-rf', join(fake, '_')]);
    const none = run('bash', [file], { env });
    expect(none.stdout).toContain('FAIL deployment/web: no pods found');
    expect(none.status).toBe(1);
  });

  it('the CI line Verify prints runs as printed: no drift in the injected output', async () => {
    const sources = [{ path: 'app.yaml', text: deployment('api', { namespace: 'shop' }) }];
    const { commands } = await openVerify(page, sources);
    const line = commands.split('\n').find((l) => l.startsWith('sidecar-injector '))!;
    const dir = join(work, 'ci');
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'bin/sidecar-injector'), `#!/bin/sh\nexec "${process.execPath}" "${bundlePath}" "$@"\n`);
    chmodSync(join(dir, 'bin/sidecar-injector'), 0o755);
    writeFileSync(join(dir, 'app.yaml'), sources[0].text);
    writeFileSync(
      join(dir, 'sidecar-injector.yaml'),
      'apiVersion: sidecar.speedscale.com/v1alpha1\nkind: SidecarInjector\nmetadata:\n  name: inject-speedscale\n' +
        '  annotations:\n    config.kubernetes.io/local-config: "true"\nspec: {}\n',
    );
    const env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` };
    // Drift first (the sidecar is not in the file yet), then none once the file holds what inject writes.
    expect(run('bash', ['-c', line], { cwd: dir, env }).status).toBe(1);
    must('bash', ['-c', 'sidecar-injector inject --annotated --config sidecar-injector.yaml --in-place app.yaml'], {
      cwd: dir,
      env,
    });
    expect(run('bash', ['-c', line], { cwd: dir, env }).status).toBe(0);
  });
});
