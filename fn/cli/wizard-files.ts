/**
 * What `wizard DIR` serves: DIR's manifests, read by the same file policy as `inject DIR` (regular files, no
 * symlink out of DIR, within the caps), and the tool files at DIR's top (Kptfile, Chart.yaml, Kustomization) that tell the
 * page the tool. Every file served is remembered with the text it was served with: a write is checked
 * against it (the file must still hold it) and computed from it.
 */
import { lstatSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { printableName } from '../index';
import type { Policy } from './file-policy';
import { isInside, Refused } from './file-policy';
import { Budget, readSource, type Source } from './read-file';
import { describeError } from './file-errors';
import { entrySource, expandSources, type Problem } from './sources';

/**
 * Files that tell the page the tool: shown, never written, wherever they are below DIR. `Kustomization` is
 * here because the walk reads it for its patches alone; the page must see it, or it would offer a
 * `kustomization.yaml` beside it, and kustomize refuses a directory holding two.
 */
export const TOOL_FILES: readonly string[] = ['Kptfile', 'Chart.yaml', 'Kustomization'];

export interface Served {
  /** Relative to DIR, as the page names it. */
  path: string;
  /** The file itself (symlinks inside DIR resolved). */
  real: string;
  /** The text served. */
  text: string;
  /** Whether the page may write it: a manifest inside DIR, not a tool file. */
  writable: boolean;
  /** Why it may not be written, when it may not. */
  readOnly?: string;
}

export interface Loaded {
  files: Served[];
  /** What was not served, and why (the same lines `inject DIR` prints). */
  skipped: Problem[];
}

/** DIR (its real path) as the page is served it, read afresh. */
export function loadDir(dir: string, policy: Policy): Loaded {
  const { sources, problems, passed } = expandSources([dir], policy);
  // Passed over on purpose (a kustomize patch, a second name of a file) is said as `inject DIR` says it, with
  // the files it names relative to DIR, as the page names them.
  const within = (text: string) => text.split(`${printableName(dir)}/`).join('');
  const skipped = [...problems, ...passed.map((p) => ({ ...p, why: `skipped: ${within(p.why)}` }))];
  const tools = TOOL_FILES.flatMap((name): Source[] => {
    const path = join(dir, name);
    if (sources.some((s) => s.path === path)) return []; // Chart.yaml is a *.yaml the walk found already
    const link = lstatSync(path, { throwIfNoEntry: false });
    const found = link && entrySource(path, path, link, dir, dir, policy);
    if (found && 'why' in found) skipped.push(found);
    return found && !('why' in found) ? [found] : [];
  });
  const budget = new Budget(policy);
  const files: Served[] = [];
  for (const source of [...tools, ...sources]) {
    try {
      const { text } = readSource(source, budget, () => undefined);
      const path = relative(dir, source.path);
      const readOnly = TOOL_FILES.includes(basename(path))
        ? 'it tells the page the tool'
        : // A file outside DIR, read through --follow-symlinks: the writes stay inside DIR (write-file.ts).
          !isInside(dir, source.real!)
          ? 'outside DIR, read through --follow-symlinks'
          : undefined;
      files.push({ path, real: source.real!, text, writable: !readOnly, ...(readOnly && { readOnly }) });
    } catch (error) {
      skipped.push({ path: source.path, why: error instanceof Refused ? error.message : describeError(error) });
    }
  }
  return { files, skipped: skipped.map((s) => ({ ...s, path: relative(dir, s.path) || '.' })) };
}
