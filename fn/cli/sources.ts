/**
 * The inputs named on the command line, in a deterministic order, by the file policy (file-policy.ts): `-`
 * is stdin, a path given is read whatever it is (a FIFO, /dev/stdin, a process substitution: bounded like
 * everything else), a directory is every *.yaml, *.yml and *.json below it, sorted by path (and each
 * `Kustomization`, read for the patches it lists: kustomize-patches.ts). Below a directory only regular
 * files are read: hidden entries and symlinked directories are not followed (no `.git`, no cycles), and a
 * manifest that is a symlink out of the directory, a FIFO, a socket or a device is refused with a line
 * naming it (never opened, so a FIFO cannot hang the run).
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { printableName } from '../index';
import { isInside, kindOf, Refused, REFUSALS, type Policy } from './file-policy';
import { describeError } from './file-errors';
import { isKustomization, withoutPatches, type Kustomization } from './kustomize-patches';
import { Budget, readSource, STDIN, type Source } from './read-file';

const MANIFEST = /\.(?:ya?ml|json)$/;

/** A path not read: why (refused, or passed over: `passed`). */
export interface Problem {
  path: string;
  why: string;
}

type WalkPolicy = Pick<Policy, 'followSymlinks' | 'maxFileBytes' | 'maxRunBytes'>;

export function expandSources(
  paths: readonly string[],
  policy: WalkPolicy,
): { sources: Source[]; problems: Problem[]; passed: Problem[] } {
  const sources: Source[] = [];
  const problems: Problem[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      sources.push({ path, explicit: true });
      continue;
    }
    try {
      if (statSync(path).isDirectory()) walk(path, realpathSync(path), path, policy, sources, problems);
      else sources.push({ path, real: realOrSelf(path), explicit: true });
    } catch (error) {
      problems.push({ path, why: statError(error) });
    }
  }
  // Files a kustomization in the walk lists as patches are not manifests (kustomize-patches.ts), nor is a
  // walked `Kustomization`: it is read for its patches alone.
  const manifests = sources.filter((s) => s.explicit || MANIFEST.test(s.path));
  const kustomizations = readKustomizations(sources, policy, problems);
  const { sources: rest, patches } = withoutPatches(manifests, kustomizations);
  const { once, again } = readOnce(rest);
  return { sources: once, problems, passed: [...patches, ...again] };
}

/**
 * A file reached twice (a symlink to another file of the walk, or named twice) is one file: read, reported and
 * written once, under its own name when the walk found it (else the first name it was reached by). Read twice,
 * its resources would be written out twice, and `wizard DIR` could never write both names of it (the second
 * would find it changed by the first).
 */
function readOnce(sources: readonly Source[]): { once: Source[]; again: Problem[] } {
  const kept = new Map<string, Source>();
  for (const source of sources) {
    if (source.real === undefined) continue;
    const other = kept.get(source.real);
    if (!other || (other.link && !source.link)) kept.set(source.real, source);
  }
  const once: Source[] = [];
  const again: Problem[] = [];
  for (const source of sources) {
    const named = source.real === undefined ? source : kept.get(source.real)!;
    if (named === source) once.push(source);
    else
      again.push({
        path: source.path,
        why:
          named.path === source.path
            ? 'named twice, read once'
            : `the same file as ${printableName(named.path)}, read once`,
      });
  }
  return { once, again };
}

/**
 * The kustomizations the walk found, read by the file policy. One that does not read is a problem if it is
 * no manifest (`Kustomization`); a kustomization.yaml is reported when it is read as one.
 */
function readKustomizations(sources: readonly Source[], policy: WalkPolicy, problems: Problem[]): Kustomization[] {
  const budget = new Budget(policy);
  return sources.flatMap((source) => {
    const { path, real, explicit } = source;
    if (explicit || !real || !isKustomization(path)) return [];
    try {
      return [{ path, real, text: readSource(source, budget, () => undefined).text }];
    } catch (error) {
      const why = error instanceof Refused ? error.message : `cannot read: ${describeError(error)}`;
      if (!MANIFEST.test(path)) problems.push({ path, why });
      return [];
    }
  });
}

/** `dir` as it is named (`shown`, for the report) and as it is (`real`), below the root `root`. */
function walk(
  shown: string,
  root: string,
  rootShown: string,
  policy: WalkPolicy,
  sources: Source[],
  problems: Problem[],
  real = root,
): void {
  let names: string[];
  try {
    names = readdirSync(real)
      .filter((name) => !name.startsWith('.'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (error) {
    problems.push({ path: shown, why: `not read: ${describeError(error)}` });
    return;
  }
  for (const name of names) {
    const path = join(shown, name);
    const entry = join(real, name);
    let link: Stats | undefined;
    try {
      link = lstatSync(entry, { throwIfNoEntry: false });
    } catch (error) {
      // A directory one may list but not enter (r--): its entries are named, and the ones the walk would
      // read (by their names) are each said; the walk goes on.
      if (MANIFEST.test(name) || isKustomization(name))
        problems.push({ path, why: `not read: ${describeError(error)}` });
      continue;
    }
    if (!link) continue; // gone since the directory was listed
    if (link.isDirectory()) walk(path, root, rootShown, policy, sources, problems, entry);
    else if (MANIFEST.test(name) || isKustomization(name)) {
      const found = entrySource(path, entry, link, root, rootShown, policy);
      if (found && 'why' in found) problems.push(found);
      else if (found) sources.push(found);
    }
  }
}

/**
 * A file below a root (`entry`, its `lstat` is `link`), by the walk's rules: a regular file is read; a symlink
 * only to a regular file, inside the root unless followSymlinks; a symlink to a directory is passed over
 * (undefined); anything else is refused.
 */
export function entrySource(
  path: string,
  entry: string,
  link: Stats,
  root: string,
  rootShown: string,
  policy: Pick<Policy, 'followSymlinks'>,
): Source | Problem | undefined {
  if (link.isFile()) return { path, real: entry, explicit: false };
  if (!link.isSymbolicLink()) return { path, why: REFUSALS.special(kindOf(link)) };
  let target: Stats | undefined;
  let resolved: string;
  try {
    target = statSync(entry, { throwIfNoEntry: false });
    if (!target) return { path, why: REFUSALS.brokenLink() };
    if (target.isDirectory()) return undefined; // never followed: cycles, and trees out of the root
    resolved = realpathSync(entry);
  } catch (error) {
    // One entry that cannot be resolved (a loop, a denied directory on the way) is that entry's line alone.
    return { path, why: `not read: ${statError(error)}` };
  }
  if (!target.isFile()) return { path, why: REFUSALS.linkToSpecial(kindOf(target), resolved) };
  if (!isInside(root, resolved) && !policy.followSymlinks) return { path, why: REFUSALS.outside(resolved, rootShown) };
  return { path, real: resolved, explicit: false, link: true };
}

/** A path named on the command line, resolved; a pipe (`/dev/fd/63`) has no path to resolve to. */
function realOrSelf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Why a path could not be stat'ed: following symlinks, ELOOP is a loop (describeError's is one not followed). */
const statError = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'a symlink loop' : describeError(error);
