/**
 * The inputs named on the command line, in a deterministic order: `-` is stdin, a file is itself, a
 * directory is every *.yaml, *.yml and *.json below it, sorted by path (hidden entries and symlinked
 * directories are not followed: no `.git`, `.github` workflows or cycles).
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const STDIN = '-';
const MANIFEST = /\.(?:ya?ml|json)$/;

export interface Source {
  /** The path as given (or found under a directory), or `-`. */
  path: string;
}

export function expandSources(paths: readonly string[]): {
  sources: Source[];
  problems: { path: string; why: string }[];
} {
  const sources: Source[] = [];
  const problems: { path: string; why: string }[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      sources.push({ path });
      continue;
    }
    try {
      if (statSync(path).isDirectory()) sources.push(...walk(path).map((file) => ({ path: file })));
      else sources.push({ path });
    } catch (error) {
      problems.push({ path, why: describeError(error) });
    }
  }
  return { sources, problems };
}

function walk(dir: string): string[] {
  const names = readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.flatMap((name) => {
    const path = join(dir, name);
    const link = lstatSync(path);
    if (link.isDirectory()) return walk(path);
    if (link.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isDirectory()) return [];
    return MANIFEST.test(name) ? [path] : [];
  });
}

/** The text of a source: UTF-8 or nothing (the KRM path is as strict). */
export function readSource(source: Source, readStdin: () => Buffer): string {
  const bytes = source.path === STDIN ? readStdin() : readFileSync(source.path);
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
}

export function describeError(error: unknown): string {
  if (error instanceof TypeError && /encoded data was not valid/i.test(error.message)) return 'not valid UTF-8';
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
  };
  return (code && known[code]) ?? (error as Error).message;
}
