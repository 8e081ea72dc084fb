/**
 * Kustomize patches met by a directory walk: a strategic-merge patch is shaped like the workload it patches
 * (a Deployment with only `replicas`, or only a container's resources), so read as a manifest it was either
 * "injected" (the sidecar and a record written into the patch, which kustomize then merges into the
 * workload) or refused for its missing pod template. The files a kustomization in the walk lists as patches
 * are not manifests: they are passed over and said so. A file named on the command line is read as asked.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { printableName, readYaml } from '../index';

/** The names kustomize reads a kustomization from. */
const KUSTOMIZATIONS = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Whether kustomize reads `path` as a kustomization. */
export const isKustomization = (path: string): boolean => KUSTOMIZATIONS.has(basename(path));

/** A kustomization the walk found and read (sources.ts reads it, by the file policy). */
export interface Kustomization {
  path: string;
  real: string;
  text: string;
}

/** Every way a kustomization names a patch file: key -> the paths in its value. */
const PATCH_PATHS: Readonly<Record<string, (value: unknown) => unknown[]>> = {
  patches: (v) => list(v).map((p) => field(p, 'path')),
  patchesJson6902: (v) => list(v).map((p) => field(p, 'path')),
  // Its entries are paths, or inline patches (text with a line break), which name no file.
  patchesStrategicMerge: (v) => list(v).filter((p) => typeof p === 'string' && !p.includes('\n')),
};

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;

/**
 * The walked sources that are patches of one of the kustomizations, as problems of their own ("skipped"),
 * and the rest.
 */
export function withoutPatches<Source extends { path: string; real?: string; explicit: boolean }>(
  sources: readonly Source[],
  kustomizations: readonly Kustomization[],
): { sources: Source[]; patches: { path: string; why: string }[] } {
  const listedBy = new Map<string, string>();
  for (const kustomization of kustomizations)
    for (const path of patchPaths(kustomization)) listedBy.set(path, kustomization.path);
  const patches: { path: string; why: string }[] = [];
  const rest = sources.filter((source) => {
    const by = !source.explicit && source.real ? listedBy.get(source.real) : undefined;
    if (by)
      patches.push({ path: source.path, why: `a kustomize patch (listed in ${printableName(by)}), not a manifest` });
    return !by;
  });
  return { sources: rest, patches };
}

/** The real paths of the files a kustomization lists as patches. */
function patchPaths({ real, text }: Kustomization): string[] {
  let read;
  try {
    read = readYaml(text);
  } catch {
    // Nested beyond the parser's limits: it lists no patch we can read, and must not end the walk. A
    // kustomization.yaml is read as a manifest too, and reported there; kustomize refuses either.
    return [];
  }
  if ('error' in read || !read.value || typeof read.value !== 'object') return [];
  const data = read.value as Record<string, unknown>;
  return Object.entries(PATCH_PATHS).flatMap(([key, paths]) =>
    paths(data[key]).flatMap((path) => (typeof path === 'string' ? resolved(dirname(real), path) : [])),
  );
}

function resolved(dir: string, path: string): string[] {
  try {
    return [realpathSync(join(dir, path))];
  } catch {
    return []; // kustomize will say what is missing
  }
}
