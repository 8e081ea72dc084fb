/**
 * The fenced blocks of docs/orchestrators.md (and of README.md: pass it). A block whose info string carries `doc-test=<id>` after the
 * language (```` ```yaml doc-test=kustomize/kustomization.yaml ````) is one the tests run or check
 * (docs.test.ts, kustomize.test.ts). Not a test file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './_tools';

export const DOC = join(repoRoot, 'docs/orchestrators.md');
export const README = join(repoRoot, 'README.md');

/** The function image the doc builds and names. */
export const DOC_IMAGE = 'localhost/sidecar-injector:dev';

export interface DocBlock {
  lang: string;
  id?: string;
  body: string;
}

const cache = new Map<string, DocBlock[]>();

export function docBlocks(doc = DOC): DocBlock[] {
  const cached = cache.get(doc);
  if (cached) return cached;
  const blocks: DocBlock[] = [];
  let open: { fence: string; lang: string; id?: string; lines: string[] } | undefined;
  for (const line of readFileSync(doc, 'utf8').split('\n')) {
    if (open) {
      if (line.trimEnd() === open.fence) {
        blocks.push({ lang: open.lang, id: open.id, body: open.lines.length ? `${open.lines.join('\n')}\n` : '' });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const start = /^(`{3,})(\S*)(.*)$/.exec(line);
    if (start) open = { fence: start[1], lang: start[2], id: /\bdoc-test=(\S+)/.exec(start[3])?.[1], lines: [] };
  }
  if (open) throw new Error(`${doc}: unclosed code block`);
  cache.set(doc, blocks);
  return blocks;
}

export function docBlock(id: string, doc = DOC): string {
  const block = docBlocks(doc).find((b) => b.id === id);
  if (!block) throw new Error(`${doc} has no block doc-test=${id}`);
  return block.body;
}
