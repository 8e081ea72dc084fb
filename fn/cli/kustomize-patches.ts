/**
 * Kustomize patches met by a directory walk: a strategic-merge patch is shaped like the workload it patches
 * (a Deployment with only `replicas`, or only a container's resources), so read as a manifest it was either
 * "injected" (the sidecar and a record written into the patch, which kustomize then merges into the
 * workload) or refused for its missing pod template. The files a kustomization in the walk lists as patches
 * are not manifests: they are passed over and said so. A file named on the command line is read as asked.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readYaml } from '../index';

/** The names kustomize reads a kustomization from. */
const KUSTOMIZATIONS = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
/** A kustomization is a few lines; one larger than this is not read for patches. */
const MAX_BYTES = 1 << 20;

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
 * The walked sources that are patches of a kustomization among them, as problems of their own ("skipped"),
 * and the rest. A kustomization that does not read is no concern here: it is reported as a source.
 */
export function withoutPatches<Source extends { path: string; real?: string; explicit: boolean }>(
  sources: readonly Source[],
): { sources: Source[]; patches: { path: string; why: string }[] } {
  const listedBy = new Map<string, string>();
  for (const source of sources) {
    if (source.explicit || !source.real || !KUSTOMIZATIONS.has(basename(source.path))) continue;
    for (const path of patchPaths(source.real)) listedBy.set(path, source.path);
  }
  const patches: { path: string; why: string }[] = [];
  const rest = sources.filter((source) => {
    const by = !source.explicit && source.real ? listedBy.get(source.real) : undefined;
    if (by) patches.push({ path: source.path, why: `a kustomize patch (listed in ${by}), not a manifest` });
    return !by;
  });
  return { sources: rest, patches };
}

/** The real paths of the files a kustomization lists as patches. */
function patchPaths(kustomization: string): string[] {
  let text: string;
  try {
    const bytes = readFileSync(kustomization);
    if (bytes.length > MAX_BYTES) return [];
    text = bytes.toString('utf8');
  } catch {
    return [];
  }
  const read = readYaml(text);
  if ('error' in read || !read.value || typeof read.value !== 'object') return [];
  const data = read.value as Record<string, unknown>;
  return Object.entries(PATCH_PATHS).flatMap(([key, paths]) =>
    paths(data[key]).flatMap((path) => (typeof path === 'string' ? resolved(dirname(kustomization), path) : [])),
  );
}

function resolved(dir: string, path: string): string[] {
  try {
    return [realpathSync(join(dir, path))];
  } catch {
    return []; // kustomize will say what is missing
  }
}
