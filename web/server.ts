/**
 * The page's requests, only when `sidecar-injector wizard DIR` serves it: DIR's files, and a write. The
 * wizard prints the page's URL with a token in its fragment (`#token=...`), which the browser never sends;
 * the page takes it out of the address bar at once (so no share link, bookmark or later history entry holds
 * it), keeps it for this tab only (sessionStorage: a reload still works), and sends it in a header.
 * A write sends no file contents: the hashes of each file as served and of the page's result for it, and
 * the choices; the server computes the result itself and writes it only if it is the same (fn/cli/wizard-write.ts).
 */
import { printableName, type Choices } from '../fn/index';
import { PASTED, type Source } from './state';

const TOKEN_HEADER = 'x-sidecar-injector-token';
const TOKEN_KEY = 'sidecar-injector-wizard-token';

/** DIR's files as the server served them last, and what the page may ask it. */
export interface Server {
  token: string;
  dir: string;
  /** Path -> text as served (what a write is checked against). */
  served: Map<string, string>;
  /** The files the server writes (tool files such as Chart.yaml are only shown). */
  writable: Set<string>;
  /** DIR's files it did not serve, and why: what `inject DIR` reports for them (too large, not UTF-8...). */
  skipped: { path: string; why: string }[];
}

export interface Loaded {
  dir: string;
  sources: Source[];
  writable: string[];
  skipped: { path: string; why: string }[];
}

/** The token this page was opened with, or undefined when no wizard serves it. */
export function takeToken(): string | undefined {
  if (location.protocol !== 'http:') return undefined;
  const given = /^#token=([0-9a-f]+)$/.exec(location.hash)?.[1];
  try {
    if (given) sessionStorage.setItem(TOKEN_KEY, given);
    else return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    // No storage: the token lives as long as the page.
  }
  if (given) history.replaceState(null, '', location.pathname);
  return given;
}

/** DIR's files, read afresh. */
export async function loadFiles(token: string): Promise<Loaded | { error: string }> {
  try {
    const response = await fetch('/files', { headers: { [TOKEN_HEADER]: token } });
    const answer = (await response.json()) as Loaded & { error?: string };
    return response.ok ? answer : { error: answer.error ?? `HTTP ${response.status}` };
  } catch (error) {
    return { error: `the wizard server cannot be reached (${(error as Error).message}): is it still running?` };
  }
}

export const serverOf = (token: string, loaded: Loaded): Server => ({
  token,
  dir: loaded.dir,
  served: new Map(loaded.sources.map((s) => [s.path, s.text])),
  writable: new Set(loaded.writable),
  skipped: loaded.skipped,
});

/** DIR's files the page does not have, each as one line naming it and why, as `inject DIR` reports them. */
export const notServed = (server: Server | undefined): string[] =>
  (server?.skipped ?? []).map(({ path, why }) => `${printableName(path)}: ${why}`);

/** DIR's files as the page's sources: an empty DIR is an empty paste (the page always shows a file). */
export const servedSources = (server: Server): Source[] =>
  server.served.size ? [...server.served].map(([path, text]) => ({ path, text })) : [{ path: PASTED, text: '' }];

export interface WriteAnswer {
  ok: boolean;
  status: number;
  written?: string[];
  error?: string;
  /** Files changed on disk since the page loaded them: what each holds now (none when it is gone or a symlink). */
  conflicts?: { path: string; now?: string; why: string }[];
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Asks the server to write `files` (the page's results), computed from `choices` and `spec`. */
export async function writeFiles(
  server: Server,
  files: { path: string; text: string }[],
  choices: Choices,
  spec: Record<string, unknown>,
): Promise<WriteAnswer> {
  const request = {
    files: await Promise.all(
      files.map(async ({ path, text }) => ({
        path,
        served: await sha256(server.served.get(path) ?? ''),
        output: await sha256(text),
      })),
    ),
    choices: { choices: choices.choices, annotateOn: choices.annotateOn, annotations: choices.annotations },
    spec,
  };
  try {
    const response = await fetch('/write', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
      body: JSON.stringify(request),
    });
    const answer = (await response.json()) as Omit<WriteAnswer, 'ok' | 'status'>;
    if (response.ok) for (const { path, text } of files) server.served.set(path, text);
    return { ok: response.ok, status: response.status, ...answer };
  } catch (error) {
    return { ok: false, status: 0, error: `the wizard server cannot be reached (${(error as Error).message})` };
  }
}

export interface CreateAnswer {
  ok: boolean;
  created?: string[];
  unchanged?: string[];
  error?: string;
}

/** Asks the server to add `files` (what Wire it in offers) to DIR as new files: it refuses any other name. */
export async function createFiles(server: Server, files: { path: string; text: string }[]): Promise<CreateAnswer> {
  try {
    const response = await fetch('/create', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
      body: JSON.stringify({ files }),
    });
    const answer = (await response.json()) as Omit<CreateAnswer, 'ok'>;
    return { ok: response.ok, ...answer };
  } catch (error) {
    return { ok: false, error: `the wizard server cannot be reached (${(error as Error).message})` };
  }
}
