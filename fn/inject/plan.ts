/** What to add to one pod template: the containers, the labels and annotations, and the record. */
import { INJECTED_LABEL, RECORD_ANNOTATION } from '../config/settings';
import type { Settings } from '../config/settings-type';
import { renderInitContainers } from '../render/init-containers';
import { DEFAULT_CONTAINER_ANNOTATION } from '../render/names';
import { renderSidecar } from '../render/sidecar';
import type { Path } from '../yaml/nodes';
import type { PodPaths } from '../workloads';
import type { Addition, Lazy, Named } from './additions';

export interface PodView extends PodPaths {
  workloadName: string;
  /** Names of the app containers, in order. */
  containerNames: string[];
  /** Keys already present, so nothing the user wrote is ever overwritten. */
  has: (path: Path, key: string) => boolean;
}


export function plan(view: PodView, s: Settings, record: Lazy): Addition[] {
  const additions: Addition[] = [];
  const addKey = (path: Path, key: string, value: unknown) => {
    const duplicate = additions.some((a) => 'key' in a && a.key === key && JSON.stringify(a.path) === JSON.stringify(path));
    if (!view.has(path, key) && !duplicate) additions.push({ path, key, value });
  };
  const containers = [...view.podSpec, 'containers'];
  const initContainers = [...view.podSpec, 'initContainers'];
  const sidecar = renderSidecar(s, view.workloadName) as Named;
  const inits = [...renderInitContainers(s), ...(s.nativeSidecar ? [sidecar] : [])] as Named[];
  if (!s.nativeSidecar) additions.push({ path: containers, item: sidecar, at: 'end' });
  for (const item of inits) additions.push({ path: initContainers, item, at: s.insertInitFirst ? 'start' : 'end' });

  addKey(['metadata', 'labels'], INJECTED_LABEL, 'true');
  addKey([...view.podMetadata, 'labels'], INJECTED_LABEL, 'true');
  const firstApp = view.containerNames[0];
  if (firstApp) addKey([...view.podMetadata, 'annotations'], DEFAULT_CONTAINER_ANNOTATION, firstApp);
  additions.push({ path: ['metadata', 'annotations'], key: RECORD_ANNOTATION, value: record });
  return additions;
}
