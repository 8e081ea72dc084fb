/**
 * `sidecar-injector wizard [DIR]`: the "Add service" page (dist/web/index.html) served on 127.0.0.1, with
 * DIR's manifests for it to load. The page itself holds nothing of DIR; the token, printed in the URL's
 * fragment (never sent, never in a query string), is what the page sends, in a header, to load DIR's files
 * and to write. A request for another host (DNS rebinding) or from another origin is refused. Reading
 * follows the file policy of `inject DIR` (wizard-files.ts); a write is computed and checked by the server
 * itself (wizard-write.ts) and made all or none (write-file.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { argsError } from './args-error';
import { DEFAULT_POLICY, POLICY_FLAG_OPTIONS, policyFromFlags, type Policy } from './file-policy';
import { describeError } from './file-errors';
import { cannotWrite, printableName } from '../index';
import { loadDir, type Served } from './wizard-files';
import {
  pagePolicy,
  pathOf,
  readBody,
  scriptSources,
  send,
  sendFailure,
  sendPage,
  TOKEN_HEADER,
  tokenMatches,
} from './wizard-http';
import { answerCreate, parseCreateRequest } from './wizard-create';
import { answerWrite, parseWriteRequest } from './wizard-write';

export const WIZARD_HELP = `Usage: sidecar-injector wizard [DIR] [--no-open] [--follow-symlinks] [--force]
                               [--max-file-size SIZE] [--max-run-size SIZE]

Serves the "Add service" page on 127.0.0.1 (a free port) with the manifests below DIR
(default: the current directory) loaded: choose workloads, configure, review the diff, and
write the changes back into DIR's files, exactly as inject --in-place would, and add the
config and wiring files it offers (new files only, each confirmed in the page). The URL holds a
random token in its fragment; every request for DIR's files without it is refused. Files are
read and written as by inject (sidecar-injector --help: --follow-symlinks, --force,
--max-file-size, --max-run-size). Stop with Ctrl-C.

  --no-open    print the URL only (default: also open it with xdg-open, when present)
`;

/**
 * Each path's one method: the page, for anyone; with the token, DIR's files, writing them back, adding the
 * files it offers.
 */
const METHODS: Readonly<Record<string, string>> = { '/': 'GET', '/files': 'GET', '/write': 'POST', '/create': 'POST' };

export interface Wizard {
  server: Server;
  url: string;
  token: string;
  /** What was not served, and why. */
  skipped: { path: string; why: string }[];
  close(): Promise<void>;
}

/** Starts the server (tests call this directly); `page` is the built dist/web/index.html. */
export async function startWizard(dirGiven: string, page: string, policy: Policy = DEFAULT_POLICY): Promise<Wizard> {
  const dir = realpathSync(dirGiven);
  if (!statSync(dir).isDirectory()) throw new Error(`${dirGiven} is not a directory`);
  const scripts = scriptSources(page);
  if (!scripts) throw new Error('the page has no script hash in its Content-Security-Policy: run npm run build');
  const csp = pagePolicy(scripts);
  const token = randomBytes(24).toString('hex');
  let loaded = loadDir(dir, policy);
  let served: Served[] = loaded.files;
  // One request that reads or writes DIR at a time: memory stays bounded whatever is sent.
  let busy = false;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => sendFailure(res, error));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { port } = server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${port}`;
    if (req.headers.host !== `127.0.0.1:${port}`) return send(res, 403, { error: 'wrong host' });
    const path = pathOf(req.url ?? '/', origin);
    if (path === undefined) return send(res, 400, { error: `malformed request target: ${JSON.stringify(req.url)}` });
    // The page holds nothing of DIR (it asks for the files with the token): any navigation may load it, the
    // opener's file:// redirect included.
    if (path === '/' && req.method === 'GET') return sendPage(res, page, csp);
    // DIR's files and writes: only the page's own requests, with the token.
    const from = req.headers.origin;
    if (from !== undefined && from !== origin) return send(res, 403, { error: 'another origin' });
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return send(res, 403, { error: 'another site' });
    const allowed = Object.hasOwn(METHODS, path) ? METHODS[path] : undefined;
    // A known path asked with another method: said so whoever asks, as it tells nothing of DIR.
    if (allowed !== undefined && req.method !== allowed)
      return send(res, 405, { error: `${path} takes ${allowed} only, not ${req.method}` }, { allow: allowed });
    if (!tokenMatches(req.headers[TOKEN_HEADER], token)) return send(res, 403, { error: 'missing or wrong token' });
    if (allowed === undefined) return send(res, 404, { error: 'not found' });
    if (busy) return send(res, 503, { error: 'busy with another request: try again' });
    busy = true;
    res.on('close', () => (busy = false));
    if (path === '/files') {
      loaded = loadDir(dir, policy);
      served = loaded.files;
      return send(res, 200, {
        dir,
        sources: served.map(({ path, text }) => ({ path, text })),
        writable: served.filter((f) => f.writable).map((f) => f.path),
        skipped: loaded.skipped,
      });
    }
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      return send(res, 415, { error: 'expected application/json' });
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, { error: 'the body is too large' });
    if (path === '/create') {
      const request = parseCreateRequest(body);
      if (typeof request === 'string') return send(res, 400, { error: request });
      const answer = answerCreate(request, dir, policy);
      return send(res, answer.status, answer.body);
    }
    const request = parseWriteRequest(body);
    if (typeof request === 'string') return send(res, 400, { error: request });
    const answer = answerWrite(request, dir, served, policy);
    send(res, answer.status, answer.body);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    skipped: loaded.skipped,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * The URL opened without putting the token on a command line (where \`ps\` shows it): a page only this user
 * can read, which sends the browser on, as Jupyter does. Removed when the process ends.
 */
function openInBrowser(url: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'sidecar-injector-wizard-'));
  const file = join(dir, 'open.html');
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  writeFileSync(
    file,
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}">` +
      `<title>sidecar-injector wizard</title><a href="${href}">Open the wizard</a>\n`,
    { mode: 0o600 },
  );
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  // Ctrl-C (or a kill) ends the server through 'exit', so the file goes with it.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => process.exit(code));
  spawn('xdg-open', [file], { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref();
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
      options: { 'no-open': { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...POLICY_FLAG_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usage(io, argsError(error));
  }
  const { values } = parsed;
  if (values.help) return (io.stdout(WIZARD_HELP), 0);
  if (parsed.positionals.length > 1) return usage(io, 'wizard takes one directory');
  const policy = policyFromFlags(values);
  if (typeof policy === 'string') return usage(io, policy);
  const dir = parsed.positionals[0] ?? '.';
  if (!existsSync(dir)) return usage(io, `wizard: ${printableName(dir)}: no such directory`);
  if (!statSync(dir).isDirectory()) return usage(io, `wizard: ${printableName(dir)} is not a directory`);
  const page = pagePath();
  if (!existsSync(page)) return usage(io, `wizard: the page is missing (${printableName(page)}); run npm run build`);
  startWizard(dir, readFileSync(page, 'utf8'), policy).then(
    (wizard) => {
      for (const { path, why } of wizard.skipped)
        io.stderr(`sidecar-injector: wizard: ${printableName(path)}: ${printableName(why)}\n`);
      try {
        io.stdout(
          `sidecar-injector wizard: serving ${printableName(resolve(dir))}\n  ${wizard.url}\nStop with Ctrl-C.\n`,
        );
      } catch (error) {
        // Without its address (stdout full, say) the page cannot be reached: stop, and say why.
        void wizard.close();
        io.stderr(`sidecar-injector: wizard: ${cannotWrite(error as Error)}\n`);
        process.exitCode = 1;
        return;
      }
      if (!values['no-open'] && onPath('xdg-open')) openInBrowser(wizard.url);
    },
    (error: unknown) => {
      io.stderr(`sidecar-injector: wizard: ${printableName(describeError(error))}\n`);
      process.exitCode = 1;
    },
  );
  return 0;
}

function usage(io: WizardIo, message: string): number {
  io.stderr(`sidecar-injector: ${message}\nRun sidecar-injector wizard --help for usage.\n`);
  return 2;
}
