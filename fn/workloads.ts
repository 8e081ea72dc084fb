/** Which kinds carry a pod template, and where: one table, extended by the config's `targets`. */
import type { Target } from './config/settings.generated';

export interface WorkloadKind {
  /** API group; '' for the core group. */
  group: string;
  kind: string;
  /** Path of the pod template; [] when the resource is the pod itself. */
  template: readonly string[];
  /**
   * Metadata of the objects a controller makes from a template of their own between the workload and its
   * pods (a CronJob's Jobs get its jobTemplate's): what the operator's webhook sees of them.
   */
  made?: readonly string[];
  /** Templates the controller makes pod volumes from, each named like the volume it becomes (its claims). */
  claims?: readonly string[];
  /**
   * Labels of the pods whose values the template does not say (label-selector.ts): keys the controller sets on
   * every pod over the template's (`set`), keys set only where the template has none (`unless`: the API server's
   * Job defaults), and maps in the spec whose keys the controller sets on some pods, by their role (`roles`).
   */
  controllerLabels?: ControllerLabels;
}

export interface ControllerLabels {
  set?: readonly string[];
  unless?: readonly string[];
  roles?: readonly (readonly string[])[];
}

// What Kubernetes' controllers (and Argo Rollouts') put on the pods they make, from their sources: the
// Deployment's ReplicaSets carry pod-template-hash (deployment/sync.go, CloneAndAddLabel); a StatefulSet's pods
// its revision, name and index (stateful_set_utils.go); a DaemonSet's its revision and template generation
// (daemon/util CreatePodTemplate). A Job's template gets its name and uid from the API server unless it sets them
// (job/strategy.go generateSelector), an Indexed Job's pods their index from the controller. A bare ReplicaSet,
// ReplicationController or Pod adds none.
const JOB_LABELS: ControllerLabels = {
  set: ['batch.kubernetes.io/job-completion-index'],
  unless: ['job-name', 'batch.kubernetes.io/job-name', 'controller-uid', 'batch.kubernetes.io/controller-uid'],
};
const REVISION = 'controller-revision-hash';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  {
    group: 'apps',
    kind: 'Deployment',
    template: ['spec', 'template'],
    controllerLabels: { set: ['pod-template-hash'] },
  },
  {
    group: 'apps',
    kind: 'DaemonSet',
    template: ['spec', 'template'],
    controllerLabels: { set: [REVISION, 'pod-template-generation'] },
  },
  {
    group: 'apps',
    kind: 'StatefulSet',
    template: ['spec', 'template'],
    claims: ['spec', 'volumeClaimTemplates'],
    controllerLabels: { set: [REVISION, 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'] },
  },
  { group: 'apps', kind: 'ReplicaSet', template: ['spec', 'template'] },
  { group: 'batch', kind: 'Job', template: ['spec', 'template'], controllerLabels: JOB_LABELS },
  {
    group: 'batch',
    kind: 'CronJob',
    template: ['spec', 'jobTemplate', 'spec', 'template'],
    made: ['spec', 'jobTemplate', 'metadata'],
    controllerLabels: JOB_LABELS,
  },
  { group: '', kind: 'Pod', template: [] },
  { group: '', kind: 'ReplicationController', template: ['spec', 'template'] },
  {
    group: 'argoproj.io',
    kind: 'Rollout',
    template: ['spec', 'template'],
    // Its ReplicaSets' hash, and the ephemeral metadata of the canary or stable (active or preview) pods.
    controllerLabels: {
      set: ['rollouts-pod-template-hash'],
      roles: [
        ['spec', 'strategy', 'canary', 'canaryMetadata', 'labels'],
        ['spec', 'strategy', 'canary', 'stableMetadata', 'labels'],
        ['spec', 'strategy', 'blueGreen', 'activeMetadata', 'labels'],
        ['spec', 'strategy', 'blueGreen', 'previewMetadata', 'labels'],
      ],
    },
  },
];

export const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

export function workloadKind(
  apiVersion: string,
  kind: string,
  targets: readonly Target[] = [],
): WorkloadKind | undefined {
  const group = groupOf(apiVersion);
  const is = (w: { group?: string; kind: string }) => w.kind === kind && (w.group ?? '') === group;
  const target = targets.find(is);
  return target ? { group, kind, template: target.path.split('/') } : WORKLOAD_KINDS.find(is);
}

/**
 * The API group a built-in workload kind is served in (`''`: core), for a resource of that kind under
 * another apiVersion (a Pod as apps/v1); undefined for any other kind. A target's kind may share its name
 * with another group's (a Knative Service), so only the built-in kinds, which no other group serves, count.
 */
export function servedIn(kind: string): string | undefined {
  return WORKLOAD_KINDS.find((w) => w.kind === kind)?.group;
}

/** Kinds whose pods are expected to finish: a classic sidecar keeps them running. */
export const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

export interface PodPaths {
  podMetadata: string[];
  podSpec: string[];
  /** The made objects' metadata (WorkloadKind.made), when there are such objects. */
  madeMetadata?: string[];
  /** The volume claim templates (WorkloadKind.claims), when the kind has them. */
  claims?: string[];
  /** The pod labels its controller sets (WorkloadKind.controllerLabels), when it sets any. */
  controllerLabels?: ControllerLabels;
}

export function podPaths(workload: WorkloadKind): PodPaths {
  // One shape for every kind (madeMetadata undefined, not absent): callers copy it into objects of their own.
  return {
    podMetadata: [...workload.template, 'metadata'],
    podSpec: [...workload.template, 'spec'],
    madeMetadata: workload.made && [...workload.made],
    claims: workload.claims && [...workload.claims],
    controllerLabels: workload.controllerLabels,
  };
}
