/**
 * serviceTargetPort: proxy. In reverse and dual modes callers reach the proxy only on its inbound port, which
 * in a cluster is a Service's targetPort. A Service in the same package whose selector picks the pods of a
 * workload that asks for it has the targetPort that reaches the app's port (proxy-port) pointed at the proxy's
 * in-port: a rewrite of the value the author wrote (a null or "" included), or an added targetPort where there
 * was none (it defaults to the port). Both are in the Service's own record, so it is restored exactly once the workload no longer asks.
 *
 * The package-wide facts come first (readPodTargets): every workload's pod labels, and which ones serve. A
 * Service before its workload in the stream is fine: the facts are read over all items, on first need.
 */
import type { Outcome, Served } from '../outcome';
import { metaOf, type Resource, type TypeMeta } from '../resource';
import { asList, asMap, asText, unset } from '../shape';
import { podPaths, workloadKind, type PodPaths } from '../workloads';
import type { Target } from '../config/settings.generated';
import { mapAt, seqAt, toJSON, type Path } from '../yaml/nodes';
import type { Addition, Rewrite } from './additions';
import { selectsLabels, type PodLabels, type Selects } from './label-selector';
import { isTcp, podLabels, type ServiceSelection } from './pod-facts';
import { readKind, readPackage } from './package-kind';
import { RECORD_ANNOTATION } from '../vocabulary';

/** A workload's pods as a Service sees them, and the proxy they serve, if they do. */
export interface PodTarget {
  /** `Deployment/web`, for the words. */
  workload: string;
  namespace?: string;
  labels: PodLabels;
  served?: Served;
}

/** The annotation's and the flag's words: a text without them does not ask for it. */
const SERVICE_TARGET_MARK = 'service-target-port';

/**
 * Whether a text needs the package's pods read for its Services: a workload (or a command line) that asks
 * for serviceTargetPort, or a Service changed before, whose record names the targetPort it rewrote and which
 * is restored once nothing asks (the setting may have come from a functionConfig or a flag that is gone now).
 * Otherwise no Service is ever read for it.
 */
export const asksForTargets = (text: string): boolean =>
  text.includes(SERVICE_TARGET_MARK) || (text.includes(RECORD_ANNOTATION) && text.includes('targetPort'));

/**
 * Every workload of the package with its pod labels, and, for the candidates (`candidate`: what the caller
 * processes), what `process` says it serves. Lists are walked item by item.
 */
export function readPodTargets(
  items: readonly string[],
  process: (text: string, implied?: TypeMeta) => Outcome,
  candidate: (text: string) => boolean,
  targets: readonly Target[] = [],
): PodTarget[] {
  return readPackage(items, (resource, meta, text, implied): PodTarget | undefined => {
    const kind = workloadKind(meta.apiVersion, meta.kind, targets);
    if (!kind) return undefined;
    const served = candidate(text) ? process(text, implied).served : undefined;
    return {
      workload: `${meta.kind}/${meta.name}`,
      ...(meta.namespace !== undefined && { namespace: meta.namespace }),
      labels: podLabels(resource, podPaths(kind)),
      ...(served && { served }),
    };
  });
}

/** What becomes of one Service: its edits, what they are for, or why it is left alone. */
export interface ServiceEdit {
  additions: Addition[];
  rewrites: Rewrite[];
  /** Each edit in words, for the info result. */
  done: string[];
  /** Why the Service is left as it is, for the warning. */
  untouched?: string;
  /**
   * Its selector picks no workload of the input: a pre-commit run or `--in-place` on the Service's file alone,
   * where its workloads are elsewhere. What it should be cannot be known, so an injected one is left alone.
   */
  unselected?: boolean;
}

const NOTHING: ServiceEdit = { additions: [], rewrites: [], done: [] };

const names = (targets: readonly PodTarget[]) => targets.map((t) => t.workload).join(', ');

/** A Service as a workload sees it: its name, where it is and which pod labels it selects. */
export interface ServiceSelector {
  name: string;
  namespace?: string;
  selector: Readonly<Record<string, unknown>>;
}

/**
 * Whether the Service picks pods with these labels in this namespace (an empty selector picks none): surely,
 * surely not, or maybe, by a label their controller sets (a StatefulSet's pod name).
 */
function selection(service: ServiceSelector, namespace: string | undefined, labels: PodLabels): Selects {
  if (!Object.keys(service.selector).length || service.namespace !== namespace) return 'no';
  return selectsLabels({ matchLabels: service.selector }, labels);
}

/**
 * Whether a Service of the package selects the workload's pods (its labels as the author wrote them), and
 * where none surely does, those that may, by a label the pods' controller sets (named with those labels);
 * undefined when the package's Services were not read.
 */
export function selectedByService(
  services: readonly ServiceSelector[] | undefined,
  base: Resource,
  paths: Pick<PodPaths, 'podMetadata' | 'controllerLabels'>,
  namespace: string | undefined,
): ServiceSelection | undefined {
  if (!services) return undefined;
  const labels = podLabels(base, paths);
  const maybe: string[] = [];
  for (const service of services) {
    const answer = selection(service, namespace, labels);
    // Surely: one that may pick the pods is not pointed at a proxy some of its pods may not have (serviceEdit).
    if (answer === 'yes') return 'yes';
    if (answer === 'maybe') {
      const unknown = Object.keys(service.selector).filter((key) => labels.unknown.includes(key));
      maybe.push(`${service.name ? `Service ${service.name}` : 'a Service without a name'}: ${unknown.join(', ')}`);
    }
  }
  return maybe.length ? { maybe } : 'no';
}

function selectorOf(resource: Resource): ServiceSelector {
  const { name, namespace } = metaOf(resource.root);
  const selector = asMap(toJSON(mapAt(resource.root, ['spec', 'selector']), resource.doc));
  return { name, ...(namespace !== undefined && { namespace }), selector };
}

/**
 * The package's Services, for a workload that asks for serviceTargetPort to say when none selects it (the
 * Service then stays as it is: left out by kpt's --match-kind, or in a file run alone).
 */
export const readServices = (items: readonly string[]): ServiceSelector[] =>
  readKind(items, { kind: 'Service', apiVersion: 'v1' }, selectorOf);

/** The edits that send a Service's callers through the proxies of the pods it selects (base: as its author wrote it). */
export function serviceEdit(base: Resource, targets: readonly PodTarget[]): ServiceEdit {
  const meta = metaOf(base.root);
  const own = selectorOf(base);
  if (!Object.keys(own.selector).length) return NOTHING; // selects no pods (external endpoints)
  const answers = targets.map((t) => selection(own, t.namespace, t.labels));
  const picked = targets.filter((_, i) => answers[i] === 'yes');
  if (!picked.length) return { ...NOTHING, unselected: true };
  const serving = picked.filter((t) => t.served);
  if (!serving.length) return NOTHING;
  // Pods it may pick too, by a label their controller sets: the targetPort must suit them as well.
  const maybe = targets.filter((_, i) => answers[i] === 'maybe');
  const service = `Service ${meta.name}`;
  const idle = picked.filter((t) => !t.served);
  const mayIdle = maybe.filter((t) => !t.served);
  if (idle.length || mayIdle.length) {
    const others = [
      ...(idle.length ? [names(idle)] : []),
      ...(mayIdle.length ? [`may select ${names(mayIdle)} (by a label its controller sets)`] : []),
    ];
    return {
      ...NOTHING,
      untouched:
        `${service} selects ${names(serving)}, whose proxy listens on its in-port, and ${others.join(', and ')}, ` +
        'which has none there',
    };
  }
  const served = serving[0].served!;
  const differ = [...serving, ...maybe].find(
    (t) => JSON.stringify([t.served!.port, t.served!.inPort]) !== JSON.stringify([served.port, served.inPort]),
  );
  if (differ)
    return {
      ...NOTHING,
      untouched:
        `${service} selects ${serving[0].workload} and ${maybe.includes(differ) ? 'may select ' : ''}` +
        `${differ.workload}, whose proxies differ in proxy-port or proxy-in-port`,
    };

  const edit: ServiceEdit = { additions: [], rewrites: [], done: [] };
  const ports = asList(toJSON(seqAt(base.root, ['spec', 'ports']), base.doc)).map(asMap);
  for (const port of ports) {
    if (!isTcp(port)) continue;
    const written = port.targetPort;
    // Unset (absent, null, "") or 0, Kubernetes defaults it to the port (SetDefaults_Service).
    const defaulted = unset(written) || written === 0;
    const target = defaulted
      ? Number(port.port)
      : typeof written === 'number'
        ? written
        : /^\d+$/.test(asText(written))
          ? Number(written)
          : served.named[asText(written)];
    if (target !== served.port) continue;
    const at: Path = [
      'spec',
      'ports',
      typeof port.name === 'string' ? { name: port.name } : { port: Number(port.port) },
    ];
    if (written === undefined) edit.additions.push({ path: at, key: 'targetPort', value: served.inPort });
    else edit.rewrites.push({ path: [...at, 'targetPort'], value: served.inPort });
    edit.done.push(
      `port ${asText(port.name ?? port.port)} (targetPort ${asText(defaulted ? port.port : written)} -> ${served.inPort})`,
    );
  }
  if (!edit.done.length)
    return {
      ...NOTHING,
      untouched:
        `${service} selects ${names(serving)}, but none of its TCP ports reaches the app's port ` +
        `${served.port} (proxy-port)`,
    };
  return edit;
}
