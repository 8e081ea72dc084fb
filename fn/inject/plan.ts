/**
 * What to add to one pod template: the Speedscale containers, the app containers' env and mounts, the
 * volumes, the labels and annotations. Anything the user already set is left alone (pod-checks.ts reports
 * it), so nothing the user wrote is ever overwritten. The record of all this is added once it is placed
 * (edits.ts).
 */
import type { Settings } from '../config/settings.generated';
import { appEnv, appMounts, podVolumes, scrapeAnnotations } from '../render/app';
import { renderInitContainers } from '../render/init-containers';
import { DEFAULT_CONTAINER_ANNOTATION, INJECTED_LABEL, OPERATOR_IGNORE_ANNOTATION } from '../vocabulary';
import { renderSidecar } from '../render/sidecar';
import { samePath, type Path } from '../yaml/nodes';
import type { PodPaths } from '../workloads';
import type { Addition, Named, Rewrite } from './additions';
import { containerProxy, JAVA_TOOL_OPTIONS, trustWithProxy } from './app-proxy';
import type { ContainerFacts } from './pod-facts';

export interface PodView {
  workloadName: string;
  /** The app containers, in order. */
  apps: ContainerFacts[];
  /** Keys already present, so nothing the user wrote is ever overwritten. */
  has: (path: Path, key: string) => boolean;
}

/** What to add, and which of the author's values to rewrite (recorded with what they were). */
export interface Plan {
  additions: Addition[];
  rewrites: Rewrite[];
}

type KeyAddition = Extract<Addition, { key: string }>;

/** `paths`: where the pod's parts are; its own argument, not copied into the view (a new object per workload). */
export function plan(paths: PodPaths, view: PodView, s: Settings): Plan {
  const additions: Addition[] = [];
  const rewrites: Rewrite[] = [];
  const containers = [...paths.podSpec, 'containers'];
  const initContainers = [...paths.podSpec, 'initContainers'];
  const sidecar = renderSidecar(s, view.workloadName) as Named;
  // Native: iptables (and smart DNS) first, then the proxy, all in one block, so the proxy is up before
  // anything after it runs; with insert-init-first that includes the workload's own init containers.
  const inits = [...renderInitContainers(s), ...(s.nativeSidecar ? [sidecar] : [])] as Named[];
  if (!s.nativeSidecar) additions.push({ path: containers, item: sidecar, at: 'end' });
  // Their place is insert-init-first's, every run: after the author's, whose network calls would otherwise
  // meet the redirect before any proxy is up, or first. An author's init container written after them moves up.
  for (const item of inits)
    additions.push({ path: initContainers, item, at: s.insertInitFirst ? 'start' : 'end', fixed: true });

  const env = appEnv(s);
  const mounts = appMounts(s);
  for (const [index, app] of view.apps.entries()) {
    const at = [...containers, { name: app.name }];
    const proxy = containerProxy(app, index, s);
    for (const item of env.filter((v) => !app.env?.includes(v.name))) {
      // Our own JAVA_TOOL_OPTIONS (tls-java-tool-options) carries the proxy flags too, in a Java container.
      const value = item.name === JAVA_TOOL_OPTIONS ? trustWithProxy(app, s, item.value!) : item.value;
      additions.push({ path: [...at, 'env'], item: { ...item, value }, at: 'end' });
    }
    for (const item of proxy.add) additions.push({ path: [...at, 'env'], item: item as Named, at: 'end' });
    if (proxy.rewriteJavaToolOptions !== undefined)
      rewrites.push({
        path: [...at, 'env', { name: JAVA_TOOL_OPTIONS }, 'value'],
        value: proxy.rewriteJavaToolOptions,
      });
    for (const item of mounts.filter((m) => !app.mounts?.includes(m.mountPath)))
      additions.push({ path: [...at, 'volumeMounts'], item: { ...item }, at: 'end' });
  }
  for (const item of podVolumes(s)) additions.push({ path: [...paths.podSpec, 'volumes'], item, at: 'end' });

  // Listed, then checked and added in one loop: V8's optimizing compiler inlined the check (view.has with it)
  // at each call of a helper, once per key, and plan was the largest compile of a run.
  const keys: KeyAddition[] = [
    { path: ['metadata', 'labels'], key: INJECTED_LABEL, value: 'true' },
    { path: [...paths.podMetadata, 'labels'], key: INJECTED_LABEL, value: 'true' },
  ];
  // The operator's webhook sees the workload, the ReplicaSet copied from it and the Pods of its template; it
  // never sees a CronJob, only the Jobs made from its jobTemplate, which get that metadata and not the CronJob's.
  if (s.operatorIgnore) {
    keys.push({ path: ['metadata', 'annotations'], key: OPERATOR_IGNORE_ANNOTATION, value: 'true' });
    if (paths.madeMetadata)
      keys.push({ path: [...paths.madeMetadata, 'annotations'], key: OPERATOR_IGNORE_ANNOTATION, value: 'true' });
    keys.push({ path: [...paths.podMetadata, 'annotations'], key: OPERATOR_IGNORE_ANNOTATION, value: 'true' });
  }
  const firstApp = view.apps[0]?.name;
  if (firstApp)
    keys.push({ path: [...paths.podMetadata, 'annotations'], key: DEFAULT_CONTAINER_ANNOTATION, value: firstApp });
  for (const [key, value] of Object.entries(scrapeAnnotations(s)))
    keys.push({ path: [...paths.podMetadata, 'annotations'], key, value });
  for (const added of keys) {
    const { path, key } = added;
    const duplicate = additions.some((a) => 'key' in a && a.key === key && samePath(a.path, path));
    if (!view.has(path, key) && !duplicate) additions.push(added);
  }
  return { additions, rewrites };
}
