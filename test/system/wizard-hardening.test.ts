/**
 * `wizard DIR` as an attacker on the same machine, or an unlucky user, meets it (issue 23, cases 1, 5, 6 and
 * 7): the built bundle as a process, driven over HTTP with node alone (the page in chromium:
 * test/integration/wizard-server.test.ts). A symlink swapped in and out under a served file never gets a
 * write outside DIR; a file changed on disk since it was served is not overwritten (409, with what it holds
 * now); the server writes only what it computes itself, never a tool file or a file it did not serve; bodies,
 * memory and tokens are bounded and checked; every answer carries the security headers, and the token is
 * never in a URL's query, nor on the command line of the browser's opener.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  annotatePackage,
  CONFIG_API_VERSION,
  CONFIG_KIND,
  fileWorkloads,
  processPackage,
  readFunctionConfig,
  type Choices,
} from '../../fn/index';
import { BUNDLE, ROOT } from '../support/helpers';
import { startWizard as start, type StartedWizard } from '../support/wizard-process';

const scratch = mkdtempSync(join(tmpdir(), 'wizard-hardening-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: ${name}
        image: nginx
`;
const TOKEN_HEADER = 'x-sidecar-injector-token';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type Running = StartedWizard;

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/** Starts `wizard DIR` (the bundle); the suite stops it at the end. */
async function startWizard(dir: string, args?: string[], env?: NodeJS.ProcessEnv): Promise<Running> {
  const w = await start(BUNDLE, dir, args, env);
  running.push(w.child);
  return w;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One raw request, every header as given (fetch would set Host and Origin itself). */
function call(
  w: Running,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: w.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    // A body the server answered before reading it all (413) may still be in flight when the suite stops the
    // server: that write's EPIPE comes after the answer, on a socket the request has let go of.
    req.on('socket', (socket) => socket.on('error', () => undefined));
    req.end(body);
  });
}

const withToken = (w: Running, extra: Record<string, string> = {}) => ({ [TOKEN_HEADER]: w.token, ...extra });

async function files(w: Running): Promise<{ path: string; text: string }[]> {
  const answer = await call(w, 'GET', '/files', withToken(w));
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.text) as { sources: { path: string; text: string }[] }).sources;
}

const NO_CHOICES: Choices = { choices: {}, annotateOn: 'workload', annotations: {} };

/** What the page computes for DIR's files as served and the choices: the core, as fn/cli/wizard-write.ts runs it. */
function pageResult(sources: { path: string; text: string }[], choices: Choices): Map<string, string> {
  const { config } = readFunctionConfig({ apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND, spec: {} });
  return new Map(processPackage(annotatePackage(sources, choices), { config }).map((f) => [f.path, f.output]));
}

/** The page's write request: for each path, the hash of the text served and of the result it shows. */
function write(w: Running, entries: { path: string; served: string; output: string }[], choices = NO_CHOICES) {
  const body = JSON.stringify({
    files: entries.map((e) => ({ path: e.path, served: sha256(e.served), output: sha256(e.output) })),
    choices,
    spec: {},
  });
  return call(w, 'POST', '/write', withToken(w, { 'content-type': 'application/json' }), body);
}

const tick = (text: string, on: boolean): Choices => ({
  ...NO_CHOICES,
  choices: Object.fromEntries(fileWorkloads(text).map((wl) => [wl.id, on])),
});

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'dir-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('the token and the headers', () => {
  it('prints the token in the URL fragment only, and refuses it anywhere but its header', async () => {
    const w = await startWizard(dirWith({ 'a.yaml': deployment('a') }));
    expect(w.url.search).toBe('');
    expect(w.output()).not.toMatch(/[?&]token=/);
    // The page holds nothing of DIR; DIR's files need the token, in its header.
    expect((await call(w, 'GET', '/')).status).toBe(200);
    expect((await call(w, 'GET', '/files')).status).toBe(403);
    expect((await call(w, 'GET', `/files?token=${w.token}`)).status).toBe(403);
    expect((await call(w, 'GET', '/files', { [TOKEN_HEADER]: '0'.repeat(w.token.length) })).status).toBe(403);
    expect((await call(w, 'GET', '/files', withToken(w))).status).toBe(200);
    expect((await call(w, 'GET', '/files', withToken(w, { host: 'evil.example' }))).status).toBe(403);
    expect((await call(w, 'GET', '/files', withToken(w, { origin: 'http://evil.example' }))).status).toBe(403);
    expect((await call(w, 'GET', '/a.yaml', withToken(w))).status).toBe(404);
  });

  it('a token of the right length in multibyte characters, or any malformed token: 403, never 500', async () => {
    const w = await startWizard(dirWith({ 'a.yaml': deployment('a') }));
    const raw = (token: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(w.port, '127.0.0.1', () => {
          socket.end(
            Buffer.concat([
              Buffer.from(`GET /files HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\nConnection: close\r\n${TOKEN_HEADER}: `),
              token,
              Buffer.from('\r\n\r\n'),
            ]),
          );
        });
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
        socket.on('end', () => resolve(text.split('\r\n')[0]));
        socket.on('error', reject);
      });
    expect(await raw(Buffer.from('é'.repeat(w.token.length / 2)))).toBe('HTTP/1.1 403 Forbidden');
    expect(await raw(Buffer.from('é'.repeat(w.token.length)))).toBe('HTTP/1.1 403 Forbidden');
    expect(await raw(Buffer.from('\u00ff'.repeat(w.token.length), 'latin1'))).toBe('HTTP/1.1 403 Forbidden');
  });

  it('the page: a Content-Security-Policy without inline scripts, no sniffing, no framing', async () => {
    const w = await startWizard(dirWith({ 'a.yaml': deployment('a') }));
    const page = await call(w, 'GET', '/');
    const csp = String(page.headers['content-security-policy']);
    const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(script).toMatch(/^'sha256-[A-Za-z0-9+/=]+'$/);
    expect(csp).not.toContain("unsafe-inline' ;");
    expect(script).not.toContain('unsafe');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    // The hash is the page's one script's.
    const inline = /<script>([\s\S]*?)<\/script>/.exec(page.text)![1];
    expect(script).toBe(`'sha256-${createHash('sha256').update(inline).digest('base64')}'`);
    // Every answer's headers, as docs/guarantees.md lists them.
    const listed = /Every answer: ([^]*?)\.\n/.exec(readFileSync(join(ROOT, 'docs/guarantees.md'), 'utf8'))![1];
    const headers = [...listed.matchAll(/`([A-Za-z-]+): ([^`]+)`/g)].map(([, name, value]) => [name, value]);
    expect(headers.length).toBeGreaterThanOrEqual(5);
    for (const answer of [page, await call(w, 'GET', '/files'), await call(w, 'GET', '/files', withToken(w))]) {
      for (const [name, value] of headers) expect(answer.headers[name.toLowerCase()], name).toBe(value);
      expect(String(answer.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
  });

  it("opens the browser through a file only this user can read: the token is not on the opener's command line", async () => {
    const bin = mkdtempSync(join(scratch, 'bin-'));
    const record = join(bin, 'record');
    writeFileSync(
      join(bin, 'xdg-open'),
      // The page last, whole (renamed into place): the test waits for it.
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.args"\nstat -c %a "$1" > "${record}.mode"\n` +
        `cat "$1" > "${record}.part" && mv "${record}.part" "${record}.html"\n`,
    );
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const w = await startWizard(dirWith({ 'a.yaml': deployment('a') }), [], {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
    });
    for (let i = 0; i < 200 && !existsSync(`${record}.html`); i++) await new Promise((r) => setTimeout(r, 25));
    const args = readFileSync(`${record}.args`, 'utf8');
    expect(args).not.toContain(w.token);
    expect(readFileSync(`${record}.mode`, 'utf8').trim()).toBe('600');
    expect(readFileSync(`${record}.html`, 'utf8')).toContain(w.url.href);
    const opened = args.trim();
    w.child.kill('SIGINT');
    await new Promise((resolve) => w.child.once('exit', resolve));
    expect(existsSync(opened)).toBe(false); // removed with the server
  });
});

describe('bodies and memory', () => {
  it('a 70 MB body is answered 413, not a reset connection', async () => {
    const w = await startWizard(dirWith({ 'a.yaml': deployment('a') }));
    const answer = await call(
      w,
      'POST',
      '/write',
      withToken(w, { 'content-type': 'application/json' }),
      Buffer.alloc(70 * 1024 * 1024, ' '),
    );
    expect(answer.status).toBe(413);
  });

  it('eight parallel 60 MB bodies: each answered, the server stays small', async () => {
    const w = await startWizard(dirWith({ 'a.yaml': deployment('a') }));
    const body = Buffer.alloc(60 * 1024 * 1024, ' ');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(w, 'POST', '/write', withToken(w, { 'content-type': 'application/json' }), body),
      ),
    );
    for (const a of answers) expect([413, 503]).toContain(a.status);
    const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${w.child.pid}/status`, 'utf8'))![1];
    expect(Number(peak) / 1024).toBeLessThan(200); // MiB; it was 955 when each body was kept
  });
});

describe('what the server writes: only its own result, only into files it served', () => {
  it('writes the result the page shows, computed by the server from the file as served', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'sub/b.yaml': deployment('b') });
    const w = await startWizard(dir);
    const served = await files(w);
    const choices = tick(served[0].text, true);
    const result = pageResult(served, choices);
    const answer = await write(w, [{ path: 'a.yaml', served: served[0].text, output: result.get('a.yaml')! }], choices);
    expect(answer.status).toBe(200);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(result.get('a.yaml'));
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    expect(readFileSync(join(dir, 'sub/b.yaml'), 'utf8')).toBe(deployment('b'));
  });

  it.each([
    ['an empty text', ''],
    ['a text that does not parse', 'apiVersion: [\n'],
    ['a text with something else in it', `${deployment('a')}---\nkind: Secret\n`],
  ])('%s is refused (422), nothing written', async (_what, text) => {
    const dir = dirWith({ 'a.yaml': deployment('a') });
    const w = await startWizard(dir);
    const answer = await write(
      w,
      [{ path: 'a.yaml', served: deployment('a'), output: text }],
      tick(deployment('a'), true),
    );
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.text).error).toMatch(/^a\.yaml: not what the function gives/);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(deployment('a'));
  });

  it('a per-workload annotation that is not a setting: 400 naming it and the workload, nothing written', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a') });
    const w = await startWizard(dir);
    const [served] = await files(w);
    const { id } = fileWorkloads(served.text)[0];
    const withAnnotations = (own: Record<string, string>): Choices => ({
      ...tick(served.text, true),
      annotations: { [id]: own },
    });
    // Hashes the page would send for these choices: only the key itself is wrong.
    const send = (choices: Choices) =>
      write(
        w,
        [{ path: 'a.yaml', served: served.text, output: pageResult([served], choices).get('a.yaml')! }],
        choices,
      );
    for (const key of ['no such key', '../x', 'image', 'proxy-type']) {
      const answer = await send(withAnnotations({ proxyType: 'dual', [key]: 'v' }));
      expect(answer.status, key).toBe(400);
      expect(JSON.parse(answer.text).error).toBe(
        `choices.annotations: ${JSON.stringify(id)}: ${JSON.stringify(key)} is not a per-workload setting ` +
          '(the keys are the settings marked x-annotation in schemas/sidecar-injector.v1alpha1.json)',
      );
      expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(deployment('a'));
    }
    // A setting's key is written, as its annotation.
    expect((await send(withAnnotations({ proxyType: 'dual' }))).status).toBe(200);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toContain('sidecar.speedscale.com/proxy-type: dual');
  });

  // Served under both names, the file could never be written: the second write finds it changed by the first.
  it('serves a file reached twice (a symlink to another file in DIR) once, and says so', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a') });
    symlinkSync('a.yaml', join(dir, 'b.yaml'));
    const w = await startWizard(dir);
    expect((await files(w)).map((s) => s.path)).toEqual(['a.yaml']);
    expect(w.output()).toContain('b.yaml: skipped: the same file as a.yaml, read once');
  });

  it('prints every name on stderr and stdout on one line, escaped as inject prints it (a line feed as \\n)', async () => {
    const dir = dirWith({ 'shop\nweb/a\nb.yaml': deployment('a') });
    const served = join(dir, 'shop\nweb');
    symlinkSync('a\nb.yaml', join(served, 'c.yaml'));
    symlinkSync('/nonexistent', join(served, 'bro\nken.yaml'));
    const w = await startWizard(served);
    expect(w.output()).toContain(`serving ${dir}/shop\\nweb\n`);
    // stderr's lines may come in after stdout's URL.
    const refused = () =>
      w
        .output()
        .split('\n')
        .filter((line) => line.startsWith('sidecar-injector: wizard: '));
    await expect
      .poll(refused)
      .toEqual([
        'sidecar-injector: wizard: bro\\nken.yaml: not read: a symlink to nothing',
        'sidecar-injector: wizard: c.yaml: skipped: the same file as a\\nb.yaml, read once',
      ]);
    // inject DIR says the same of the same files.
    const inject = spawnSync(process.execPath, [BUNDLE, 'inject', served], { encoding: 'utf8' });
    expect(inject.stderr).toContain(
      `${dir}/shop\\nweb/c.yaml: skipped: the same file as ${dir}/shop\\nweb/a\\nb.yaml, read once\n`,
    );
    // A DIR that is not there is named so too.
    const missing = spawnSync(process.execPath, [BUNDLE, 'wizard', '--no-open', join(dir, 'no\nne')], {
      encoding: 'utf8',
    });
    expect(missing.stderr.split('\n')[0]).toBe(`sidecar-injector: wizard: ${dir}/no\\nne: no such directory`);
  });

  it('--follow-symlinks: a file outside DIR is served, never writable, and a write of it says why', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a') });
    const outside = join(dir, '..', `outside-${basename(dir)}.yaml`);
    writeFileSync(outside, deployment('o'));
    symlinkSync(outside, join(dir, 'o.yaml'));
    const w = await startWizard(dir, ['--no-open', '--follow-symlinks']);
    const answer = await call(w, 'GET', '/files', withToken(w));
    const body = JSON.parse(answer.text) as { sources: { path: string }[]; writable: string[] };
    expect(body.sources.map((s) => s.path)).toEqual(['a.yaml', 'o.yaml']);
    expect(body.writable).toEqual(['a.yaml']);
    const refused = await write(w, [{ path: 'o.yaml', served: deployment('o'), output: 'x' }]);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).error).toBe(
      'o.yaml: shown, never written (outside DIR, read through --follow-symlinks)',
    );
    expect(readFileSync(outside, 'utf8')).toBe(deployment('o'));
  });

  it('never writes Chart.yaml, Kptfile or Kustomization, a file it did not serve, ../ or an absolute path', async () => {
    const dir = dirWith({
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      Kptfile: 'apiVersion: kpt.dev/v1\nkind: Kptfile\n',
      Kustomization: 'resources:\n- a.yaml\n',
      'charts/sub/Chart.yaml': 'apiVersion: v2\nname: s\n',
      'a.yaml': deployment('a'),
    });
    writeFileSync(join(dir, '..', 'outside.yaml'), deployment('a'));
    const w = await startWizard(dir);
    const served = await files(w);
    expect(served.map((s) => s.path)).toEqual([
      'Kptfile',
      'Kustomization',
      'Chart.yaml',
      'a.yaml',
      'charts/sub/Chart.yaml',
    ]);
    for (const path of ['Chart.yaml', 'Kptfile', 'Kustomization', 'charts/sub/Chart.yaml']) {
      const answer = await write(w, [{ path, served: served.find((s) => s.path === path)!.text, output: 'x' }]);
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.text).error).toBe(`${path}: shown, never written (it tells the page the tool)`);
    }
    for (const path of ['new.yaml', '../outside.yaml', join(dir, '..', 'outside.yaml')]) {
      const answer = await write(w, [{ path, served: '', output: 'x' }]);
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.text).error).toBe(`${path}: not one of the files served`);
    }
    expect(existsSync(join(dir, 'new.yaml'))).toBe(false);
    expect(readFileSync(join(dir, '..', 'outside.yaml'), 'utf8')).toBe(deployment('a'));
  });

  it('a read-only file, or one with other hard links, is refused as --in-place refuses it: 403, nothing written', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'b.yaml': deployment('b') });
    chmodSync(join(dir, 'a.yaml'), 0o444);
    const w = await startWizard(dir);
    const served = await files(w);
    const choices = {
      ...NO_CHOICES,
      choices: { ...tick(served[0].text, true).choices, ...tick(served[1].text, true).choices },
    };
    const result = pageResult(served, choices);
    const answer = await write(
      w,
      served.map((s) => ({ path: s.path, served: s.text, output: result.get(s.path)! })),
      choices,
    );
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text).error).toBe('not written: read-only (mode 0444); --force writes it');
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(deployment('a'));
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(deployment('b'));
  });

  it('a file changed on disk since it was served is not overwritten: 409, with what it holds now', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'b.yaml': deployment('b') });
    const w = await startWizard(dir);
    const served = await files(w);
    const edited = `${deployment('a')}# appended after the page loaded\n`;
    writeFileSync(join(dir, 'a.yaml'), edited);
    const choices = {
      ...NO_CHOICES,
      choices: { ...tick(served[0].text, true).choices, ...tick(served[1].text, true).choices },
    };
    const result = pageResult(served, choices);
    const answer = await write(
      w,
      served.map((s) => ({ path: s.path, served: s.text, output: result.get(s.path)! })),
      choices,
    );
    expect(answer.status).toBe(409);
    const body = JSON.parse(answer.text) as { conflicts: { path: string; now: string }[] };
    expect(body.conflicts).toEqual([{ path: 'a.yaml', now: edited, why: 'changed on disk since the page loaded it' }]);
    // All or none: b.yaml, unchanged on disk, is not written either.
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(edited);
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(deployment('b'));
  });
});

describe('a symlink swapped in and out under a served file', () => {
  it('never gets a write outside DIR (a bounded loop of writes against a swapping process)', async () => {
    const root = mkdtempSync(join(scratch, 'race-'));
    const dir = join(root, 'app');
    mkdirSync(dir);
    const outside = join(root, 'outside.yaml');
    writeFileSync(join(dir, 'a.yaml'), deployment('a'));
    writeFileSync(outside, deployment('a'));
    const before = statSync(outside);
    const w = await startWizard(dir);
    // The local attacker: a.yaml is a regular file, then a symlink to the outside file, then the file again,
    // each for 0 to 3 ms: long enough for some writes to land whole, short enough for others to straddle.
    const swapper = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs');
         const [file, stash, link, target] = process.argv.slice(1);
         const hold = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.random() * 3);
         for (;;) {
           hold();
           try { fs.renameSync(file, stash); } catch {}
           try { fs.symlinkSync(target, link); fs.renameSync(link, file); } catch {}
           hold();
           try { fs.renameSync(stash, file); } catch {}
         }`,
        join(dir, 'a.yaml'),
        join(root, 'stash.yaml'),
        join(root, 'link.yaml'),
        outside,
      ],
      { stdio: 'ignore' },
    );
    running.push(swapper);
    let served: string | undefined = deployment('a');
    let on = true;
    const seen: Record<number, number> = {};
    for (let i = 0; i < 1500; i++) {
      if (served === undefined) {
        served = (await files(w)).find((s) => s.path === 'a.yaml')?.text;
        continue;
      }
      const choices = tick(served, on);
      const output = pageResult([{ path: 'a.yaml', text: served }], choices).get('a.yaml')!;
      const answer = await write(w, [{ path: 'a.yaml', served, output }], choices);
      seen[answer.status] = (seen[answer.status] ?? 0) + 1;
      if (answer.status === 200) {
        served = output;
        on = !on;
      } else served = undefined; // 409 or 403: what the server serves now, asked again
    }
    swapper.kill('SIGKILL');
    const after = statSync(outside);
    expect(readFileSync(outside, 'utf8')).toBe(deployment('a'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // Both happened: writes landed, and writes met the symlink (refused).
    expect(seen[200] ?? 0, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen[409] ?? 0, JSON.stringify(seen)).toBeGreaterThan(0);
  });
});

describe('adding the files the page offers (POST /create)', () => {
  const create = (
    w: Running,
    files: unknown,
    headers: Record<string, string> = withToken(w, { 'content-type': 'application/json' }),
  ) => call(w, 'POST', '/create', headers, JSON.stringify({ files }));
  const CONFIG = 'apiVersion: sidecar.speedscale.com/v1alpha1\nkind: SidecarInjector\nmetadata:\n  name: x\nspec: {}\n';

  it('creates new files of the offered list, its directories too, scripts executable', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a') });
    const w = await startWizard(dir);
    const check = '.github/workflows/sidecar-check.yaml';
    const answer = await create(w, [
      { path: 'sidecar-injector.yaml', text: CONFIG },
      { path: 'deploy.sh', text: '#!/bin/sh\necho deploy\n' },
      { path: check, text: 'name: sidecar-check\n' },
    ]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ created: ['sidecar-injector.yaml', 'deploy.sh', check], unchanged: [] });
    expect(readFileSync(join(dir, 'sidecar-injector.yaml'), 'utf8')).toBe(CONFIG);
    expect(readFileSync(join(dir, check), 'utf8')).toBe('name: sidecar-check\n');
    expect(statSync(join(dir, 'deploy.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'sidecar-injector.yaml')).mode & 0o777).toBe(0o644);
    // The same again: already there, as asked; nothing is written.
    const again = await create(w, [{ path: 'sidecar-injector.yaml', text: CONFIG }]);
    expect(JSON.parse(again.text)).toEqual({ created: [], unchanged: ['sidecar-injector.yaml'] });
  });

  it('refuses a name the page does not offer, ../, an absolute path, a manifest of DIR: nothing written', async () => {
    const dir = dirWith({ 'sub/a.yaml': deployment('a') });
    const w = await startWizard(dir);
    for (const path of [
      'notes.yaml',
      '../sidecar-injector.yaml',
      join(dir, 'deploy.sh'),
      'sub/a.yaml',
      './deploy.sh',
    ]) {
      const answer = await create(w, [
        { path: 'deploy.sh', text: 'echo\n' },
        { path, text: 'x: 1\n' },
      ]);
      expect(answer.status, path).toBe(403);
      expect(answer.text, path).toContain('not one of the files the page offers');
    }
    expect(existsSync(join(dir, 'deploy.sh'))).toBe(false);
    expect(existsSync(join(scratch, 'sidecar-injector.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'sub/a.yaml'), 'utf8')).toBe(deployment('a'));
  });

  it('never replaces a file: one that differs is refused with what it holds, and the others are not added', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'kustomization.yaml': 'resources: [a.yaml]\n' });
    const w = await startWizard(dir);
    const answer = await create(w, [
      { path: 'sidecar-injector.yaml', text: CONFIG },
      { path: 'kustomization.yaml', text: 'resources: [a.yaml]\ntransformers: [sidecar-injector.yaml]\n' },
    ]);
    expect(answer.status).toBe(409);
    const body = JSON.parse(answer.text) as { error: string; conflicts: { path: string; now: string }[] };
    expect(body.error).toContain('kustomization.yaml exists with other content');
    expect(body.conflicts).toEqual([
      { path: 'kustomization.yaml', now: 'resources: [a.yaml]\n', why: 'exists with other content' },
    ]);
    expect(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')).toBe('resources: [a.yaml]\n');
    expect(existsSync(join(dir, 'sidecar-injector.yaml'))).toBe(false);
  });

  it('never writes through a symlink at the name or out of DIR through a directory symlink', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a') });
    const outside = mkdtempSync(join(scratch, 'outside-'));
    symlinkSync(join(outside, 'target.yaml'), join(dir, 'sidecar-injector.yaml'));
    symlinkSync(outside, join(dir, '.github'));
    const w = await startWizard(dir);
    const link = await create(w, [{ path: 'sidecar-injector.yaml', text: CONFIG }]);
    expect(link.status).toBe(409);
    expect(link.text).toContain('exists as a symlink');
    const through = await create(w, [{ path: '.github/workflows/render.yaml', text: 'name: render\n' }]);
    expect(through.status).toBe(403);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses without the token, YAML that does not parse, a malformed body', async () => {
    const dir = dirWith({ 'a.yaml': deployment('a') });
    const w = await startWizard(dir);
    const file = [{ path: 'sidecar-injector.yaml', text: CONFIG }];
    expect((await create(w, file, { 'content-type': 'application/json' })).status).toBe(403);
    expect((await create(w, file, withToken(w, { 'content-type': 'text/plain' }))).status).toBe(415);
    const broken = await create(w, [{ path: 'sidecar-injector.yaml', text: 'spec: [\n' }]);
    expect(broken.status).toBe(422);
    expect(broken.text).toContain('sidecar-injector.yaml: does not parse');
    for (const files of [[], [{ path: 'deploy.sh' }], 'x', [file[0], file[0]]])
      expect((await create(w, files)).status, JSON.stringify(files)).toBe(400);
    expect(existsSync(join(dir, 'sidecar-injector.yaml'))).toBe(false);
  });
});
