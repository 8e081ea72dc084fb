/**
 * The wizard server's HTTP rules, apart from what it serves: the token (a header the page sends, never in a
 * URL), the headers every answer carries (a Content-Security-Policy without 'unsafe-inline' scripts, no
 * sniffing, no framing), and bodies read within a limit, answered 413 past it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError } from './file-errors';

/** The header the page sends the token in: a custom header, so no other origin can send it without asking. */
export const TOKEN_HEADER = 'x-sidecar-injector-token';

/** A write request carries choices and hashes, never file contents: a few kilobytes per thousand workloads. */
export const MAX_BODY = 8 * 1024 * 1024;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Any value at all compares in constant time (by digest): a wrong length or multibyte text is just wrong. */
export function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(token));
}

/** The page's own script sources (its meta policy's script-src: the build writes the script's hash there). */
export function scriptSources(html: string): string | undefined {
  return /script-src ((?:'sha256-[A-Za-z0-9+/=]+'\s*)+)/.exec(html)?.[1].trim();
}

/** The page's policy: its own scripts by hash, requests only to this server, and no frame may hold it. */
export const pagePolicy = (scripts: string): string =>
  [
    "default-src 'none'",
    `script-src ${scripts}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

/** What every answer says: not cached, not sniffed, not framed, not referred. */
const COMMON = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export function sendPage(res: ServerResponse, html: string, policy: string): void {
  res.writeHead(200, { ...COMMON, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy });
  res.end(html);
}

/** An answer over what one string can hold (V8's limit, about 512 MB of JSON): DIR's files, most likely. */
export class TooLargeToSend extends Error {
  constructor() {
    super(
      'the answer is too large to send to the page: the files in it are over what one JavaScript string holds; ' +
        'serve a smaller directory, or lower --max-run-size',
    );
  }
}

/** A request target's path, or undefined when it is not one a URL can hold (`//%zz`: a host that cannot be). */
export function pathOf(target: string, origin: string): string | undefined {
  try {
    return new URL(target, origin).pathname;
  } catch {
    return undefined;
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Serialized before any header goes out, so a failure here can still be answered.
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch (error) {
    // V8's string limit; any other RangeError (a stack overflow) is not about size.
    throw error instanceof RangeError && error.message.includes('Invalid string length') ? new TooLargeToSend() : error;
  }
  res.writeHead(status, {
    ...COMMON,
    'content-type': 'application/json; charset=utf-8',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(text);
}

/**
 * A request that failed, answered 500 with why (never a stack trace). Once headers are out no second answer
 * can be sent: the connection is cut, so the client sees a failure rather than a truncated success.
 */
export function sendFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.destroy();
  send(res, 500, { error: describeError(error) });
}

/**
 * The body as text, or undefined when it is over `limit`: then the rest is read and dropped (never kept), so
 * the client, still sending, gets the 413 rather than a connection reset.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<string | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = Number(req.headers['content-length'] ?? 0);
    let over = size > limit;
    size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => ok(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
