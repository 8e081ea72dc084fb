/**
 * What the wizard server answers when it cannot serve (fn/cli/wizard-http.ts): a request it cannot parse or
 * route, and its own failures. The page gets a JSON error that says why, never a stack trace, and the server
 * keeps serving. The server runs in process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendFailure, TOKEN_HEADER } from '../../fn/cli/wizard-http';
import { startWizard, type Wizard } from '../../fn/cli/wizard-server';

/** The built page stands in as any page whose policy names its script by hash. */
const PAGE = `<meta http-equiv="Content-Security-Policy" content="script-src 'sha256-AAAA'">`;

interface Answer {
  status: number;
  type?: string;
  allow?: string;
  text: string;
}

/** One request; a server that never answers fails the test in seconds, not at the suite's timeout. */
function call(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, timeout: 5000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], allow: res.headers.allow, text }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let wizard: Wizard;
const port = () => (wizard.server.address() as AddressInfo).port;
const files = () => call(port(), '/files', { [TOKEN_HEADER]: wizard.token });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wizard-failures-'));
  writeFileSync(join(dir, 'a.yaml'), 'kind: ConfigMap\n');
  wizard = await startWizard(dir, PAGE);
});
afterAll(async () => {
  await wizard.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

/** JSON.stringify failing on the answer to GET /files only, as V8 fails on a string over its limit. */
function failToSerializeFiles(error: Error): void {
  const stringify = JSON.stringify.bind(JSON);
  vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
    const [value] = args;
    if (typeof value === 'object' && value !== null && 'sources' in value) throw error;
    return stringify(...args);
  });
}

describe('a request it cannot route', () => {
  it('a target that is not a URL: 400 naming it', async () => {
    for (const target of ['//%zz', '//a%20b/files']) {
      const answer = await call(port(), target, { [TOKEN_HEADER]: wizard.token });
      expect(answer.status, target).toBe(400);
      expect(JSON.parse(answer.text), target).toEqual({ error: `malformed request target: ${JSON.stringify(target)}` });
    }
  });

  it('a known path with another method: 405 with the one it takes in Allow; an unknown path: 404', async () => {
    const token = { [TOKEN_HEADER]: wizard.token };
    for (const [method, path, allow] of [
      ['POST', '/', 'GET'],
      ['POST', '/files', 'GET'],
      ['DELETE', '/files', 'GET'],
      ['GET', '/write', 'POST'],
      ['PUT', '/create', 'POST'],
    ]) {
      const answer = await call(port(), path, token, method);
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.allow, `${method} ${path}`).toBe(allow);
      expect(JSON.parse(answer.text)).toEqual({ error: `${path} takes ${allow} only, not ${method}` });
    }
    expect((await call(port(), '/a.yaml', token)).status).toBe(404);
    expect((await call(port(), '/a.yaml', token, 'POST')).status).toBe(404);
  });
});

describe('an answer that cannot be serialized', () => {
  it('files over the string limit: 500 saying they are too large to send, and the server serves on', async () => {
    failToSerializeFiles(new RangeError('Invalid string length'));
    const answer = await files();
    expect(answer.status).toBe(500);
    expect(answer.type).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({
      error: expect.stringMatching(/^the answer is too large to send to the page: the files in it are over /),
    });
    vi.restoreAllMocks();
    // Not crashed, and not left busy: the same request now succeeds.
    const again = await files();
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toMatchObject({ sources: [{ path: 'a.yaml', text: 'kind: ConfigMap\n' }] });
  });

  it.each([
    new TypeError('Do not know how to serialize a BigInt'),
    new RangeError('Maximum call stack size exceeded'), // a RangeError, but not about size
  ])('any other failure: 500 with its message only, no stack trace ($message)', async (error) => {
    failToSerializeFiles(error);
    const answer = await files();
    expect(answer.status).toBe(500);
    expect(answer.text).toBe(JSON.stringify({ error: error.message }));
    vi.restoreAllMocks();
    expect((await files()).status).toBe(200);
  });
});

describe('a failure after the headers went out', () => {
  it('cuts the connection, sends no second answer and throws nothing', async () => {
    const thrown: unknown[] = [];
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"sources": [');
      try {
        sendFailure(res, new Error('failed half way'));
      } catch (error) {
        thrown.push(error);
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const port = (server.address() as AddressInfo).port;
      await expect(call(port, '/')).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
      expect(thrown).toEqual([]);
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});
