/**
 * What to add to one pod template: the Speedscale containers, the app containers' env and mounts, the
 * volumes, the labels and annotations. Anything the user already set is left alone (pod-checks.ts reports
 * it), so nothing the user wrote is ever overwritten. The record of all this is added once it is placed
 * (edits.ts).
 */
import type { Settings } from '../config/settings.generated';
import { appEnv, appMounts, podVolumes, scrapeAnnotations } from '../render/app';
import { renderInitContainers } from '../render/init-containers';
import { DEFAULT_CONTAINER_ANNOTATION, INJECTED_LABEL } from '../vocabulary';
import { renderSidecar } from '../render/sidecar';
import type { Path } from '../yaml/nodes';
import type { PodPaths } from '../workloads';
import type { Addition, Named } from './additions';
import type { ContainerFacts } from './pod-facts';

export interface PodView extends PodPaths {
  workloadName: string;
  /** The app containers, in order. */
  apps: ContainerFacts[];
  /** Keys already present, so nothing the user wrote is ever overwritten. */
  has: (path: Path, key: string) => boolean;
}

export function plan(view: PodView, s: Settings): Addition[] {
  const additions: Addition[] = [];
  const addKey = (path: Path, key: string, value: unknown) => {
    const duplicate = additions.some(
      (a) => 'key' in a && a.key === key && JSON.stringify(a.path) === JSON.stringify(path),
    );
    if (!view.has(path, key) && !duplicate) additions.push({ path, key, value });
  };
  const containers = [...view.podSpec, 'containers'];
  const initContainers = [...view.podSpec, 'initContainers'];
  const sidecar = renderSidecar(s, view.workloadName) as Named;
  // Native: iptables (and smart DNS) first, then the proxy, all in one block, so the proxy is up before
  // anything after it runs; with insert-init-first that includes the workload's own init containers.
  const inits = [...renderInitContainers(s), ...(s.nativeSidecar ? [sidecar] : [])] as Named[];
  if (!s.nativeSidecar) additions.push({ path: containers, item: sidecar, at: 'end' });
  for (const item of inits) additions.push({ path: initContainers, item, at: s.insertInitFirst ? 'start' : 'end' });

  const env = appEnv(s);
  const mounts = appMounts(s);
  for (const app of view.apps) {
    const at = [...containers, { name: app.name }];
    for (const item of env.filter((v) => !app.env?.includes(v.name)))
      additions.push({ path: [...at, 'env'], item: item as Named, at: 'end' });
    for (const item of mounts.filter((m) => !app.mounts?.includes(m.mountPath)))
      additions.push({ path: [...at, 'volumeMounts'], item: { ...item }, at: 'end' });
  }
  for (const item of podVolumes(s)) additions.push({ path: [...view.podSpec, 'volumes'], item, at: 'end' });

  addKey(['metadata', 'labels'], INJECTED_LABEL, 'true');
  addKey([...view.podMetadata, 'labels'], INJECTED_LABEL, 'true');
  const firstApp = view.apps[0]?.name;
  if (firstApp) addKey([...view.podMetadata, 'annotations'], DEFAULT_CONTAINER_ANNOTATION, firstApp);
  for (const [key, value] of Object.entries(scrapeAnnotations(s)))
    addKey([...view.podMetadata, 'annotations'], key, value);
  return additions;
}
