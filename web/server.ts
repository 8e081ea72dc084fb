/**
 * The page's one request, and only when `sidecar-injector wizard DIR` serves it: the files it computed,
 * posted back to be written into DIR (the server checks the token and every path).
 */

/** What the server put on `window.WIZARD` besides DIR's files. */
export interface Server {
  token: string;
  dir: string;
}

export interface WriteAnswer {
  ok: boolean;
  written?: string[];
  error?: string;
}

export async function writeFiles(server: Server, files: { path: string; text: string }[]): Promise<WriteAnswer> {
  const response = await fetch(`/write?token=${encodeURIComponent(server.token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files }),
  });
  const answer = (await response.json()) as { written?: string[]; error?: string };
  return { ok: response.ok, ...answer };
}
