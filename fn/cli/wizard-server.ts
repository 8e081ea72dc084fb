/**
 * `sidecar-injector wizard [DIR]`: the "Add service" page (dist/web/index.html) served on 127.0.0.1 with
 * DIR's manifests preloaded. Like Jupyter, a random token in the URL is the key: every request without it
 * is refused, as is one naming another host (DNS rebinding). The page computes the changes with the same
 * core; the server writes them as `inject --in-place` does (writeFileAtomic), only into the manifests it
 * served from below DIR, and nothing else is served.
 */
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY } from './file-policy';
import { Budget, readSource } from './read-file';
import { describeError, expandSources } from './sources';
import { replaceFile } from './write-file';

export const WIZARD_HELP = `Usage: sidecar-injector wizard [DIR] [--no-open]

Serves the "Add service" page on 127.0.0.1 (a free port) with the manifests below DIR
(default: the current directory) loaded: choose workloads, configure, review the diff, and
write the changes back into DIR's files, exactly as inject --in-place would. The URL holds a
random token; every request without it is refused. Stop with Ctrl-C.

  --no-open    print the URL only (default: also open it with xdg-open, when present)
`;

/** Files that tell the page the tool (Kptfile, Chart.yaml): shown, never written. */
const TOOL_FILES = ['Kptfile', 'Chart.yaml'];
const MAX_BODY = 64 * 1024 * 1024;

export interface Wizard {
  server: Server;
  url: string;
  token: string;
  close(): Promise<void>;
}

interface Loaded {
  path: string;
  text: string;
}

/** Starts the server (tests call this directly); `page` is the built dist/web/index.html. */
export async function startWizard(dirGiven: string, page: string): Promise<Wizard> {
  const dir = realpathSync(dirGiven);
  if (!statSync(dir).isDirectory()) throw new Error(`${dirGiven} is not a directory`);
  const token = randomBytes(24).toString('hex');
  // The same file policy as `inject DIR`: what it refuses is not served.
  const { sources } = expandSources([dir], DEFAULT_POLICY);
  const budget = new Budget(DEFAULT_POLICY);
  const manifests: Loaded[] = sources.flatMap((source) => {
    try {
      return [{ path: relative(dir, source.path), text: readSource(source, budget, () => undefined).text }];
    } catch {
      return [];
    }
  });
  const extra = TOOL_FILES.filter((name) => existsSync(join(dir, name))).map((name) => ({
    path: name,
    text: readFileSync(join(dir, name), 'utf8'),
  }));
  const writable = new Set(manifests.map((m) => m.path));
  const boot = JSON.stringify({ token, dir, sources: [...extra, ...manifests] }).replace(/</g, '\\u003c');
  const html = page.replace('<script>', () => `<script>window.WIZARD = ${boot};</script><script>`);

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { error: describeError(error) }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = server.address() as AddressInfo;
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${address.port}`);
    if (req.headers.host !== `127.0.0.1:${address.port}`) return send(res, 403, { error: 'wrong host' });
    if (!tokenMatches(url.searchParams.get('token') ?? '', token))
      return send(res, 403, { error: 'missing or wrong token' });
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      return void res.end(html);
    }
    if (route !== 'POST /write') return send(res, 404, { error: 'not found' });
    const body = await readBody(req);
    const files = parseFiles(body);
    if (typeof files === 'string') return send(res, 400, { error: files });
    // Every path is checked before anything is written: a request either writes all its files or none.
    for (const file of files) {
      const why = refusal(dir, file.path, writable);
      if (why) return send(res, 403, { error: `${file.path}: ${why}` });
    }
    for (const file of files) {
      const real = realpathSync(resolve(dir, file.path));
      replaceFile(real, file.text, statSync(real), false);
    }
    send(res, 200, { written: files.map((f) => f.path) });
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

const tokenMatches = (given: string, token: string): boolean =>
  given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));

/** Why a path may not be written, or '' when it may: only the manifests served, only below DIR. */
function refusal(dir: string, path: string, writable: ReadonlySet<string>): string {
  const target = resolve(dir, path);
  if (target !== dir && !target.startsWith(dir + sep)) return 'outside the directory served';
  if (!writable.has(relative(dir, target))) return 'not one of the manifests served';
  // A symlink inside DIR could point out of it.
  const real = realpathSync(target);
  if (!real.startsWith(dir + sep)) return 'resolves outside the directory served';
  return '';
}

function parseFiles(body: string): { path: string; text: string }[] | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  const files = (value as { files?: unknown }).files;
  if (
    !Array.isArray(files) ||
    !files.every(
      (f: { path?: unknown; text?: unknown } | null) => typeof f?.path === 'string' && typeof f.text === 'string',
    )
  )
    return 'expected {"files": [{"path": ..., "text": ...}]}';
  return files as { path: string; text: string }[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('the body is too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Where the built page is: beside the bundle (dist/web/), or the repository's dist/ when run from source. */
function pagePath(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [
    join(here, 'web/index.html'),
    join(here, '../../dist/web/index.html'),
    join(process.cwd(), 'dist/web/index.html'),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

const onPath = (command: string): boolean =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

export interface WizardIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The command: returns the exit code at once (2 on a usage error); the server keeps the process alive. */
export function wizardCommand(argv: readonly string[], io: WizardIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { 'no-open': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  if (parsed.values.help) return (io.stdout(WIZARD_HELP), 0);
  if (parsed.positionals.length > 1) return usage(io, 'wizard takes one directory');
  const dir = parsed.positionals[0] ?? '.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return usage(io, `wizard: ${dir} is not a directory`);
  const page = pagePath();
  if (!existsSync(page)) return usage(io, `wizard: the page is missing (${page}); run npm run build`);
  startWizard(dir, readFileSync(page, 'utf8')).then(
    (wizard) => {
      io.stdout(`sidecar-injector wizard: serving ${resolve(dir)}\n  ${wizard.url}\nStop with Ctrl-C.\n`);
      if (!parsed.values['no-open'] && onPath('xdg-open'))
        spawn('xdg-open', [wizard.url], { stdio: 'ignore', detached: true })
          .on('error', () => undefined)
          .unref();
    },
    (error: unknown) => {
      io.stderr(`sidecar-injector: wizard: ${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
  return 0;
}

function usage(io: WizardIo, message: string): number {
  io.stderr(`sidecar-injector: ${message}\nRun sidecar-injector wizard --help for usage.\n`);
  return 2;
}
