/**
 * Verify: the chosen workloads as they will run, and what checks them. Names and namespaces are the
 * deployed ones: a kustomization.yaml among the sources renames what it builds (`namespace`, `namePrefix`,
 * `nameSuffix`, and `commonLabels` join the selectors), outermost last, as kustomize applies them. A workload
 * the manifests give no namespace gets no `-n`: kubectl then uses the context's namespace, as `kubectl apply`
 * did. The container counts come from the workload as loaded and as the function writes it.
 *
 * Everything here is text for a live cluster: test/integration/wizard-verify.test.ts checks its syntax, that
 * each name, namespace and selector is one the rendered output holds, and runs verify.sh on a fake kubectl.
 * The names come from the user's manifests: each goes in as one shell word, and a comment holds no newline
 * (web/shell.ts).
 */
import { INJECTED_LABEL, isObject, readYaml, SIDECAR } from '../fn/index';
import { isChosen, piecesOf, type Computed, type Workload } from './pipeline';
import { shellComment, shellWord } from './shell';
import type { Source, WizardState } from './state';
import { CHECK } from './wiring';

export interface PlanRow {
  /** The workload as the manifests name it (kind namespace/name). */
  label: string;
  /** `deployment/frontend` as deployed (kustomize's prefix and suffix applied). */
  ref: string;
  /** The namespace it is deployed to, or undefined: the context's. */
  namespace?: string;
  /** `app=frontend,tier=web`: what finds its pods; undefined for a bare Pod (found by name). */
  selector?: string;
  /** Containers that count in READY (app containers and native sidecars), as loaded and as written. */
  before: number;
  after: number;
  /** Init containers that run to completion: each must exit 0. */
  initContainers: string[];
  /** Whether the proxy is in the written pod (a failed injection leaves it out). */
  proxy: boolean;
  /** A Job's or CronJob's pods run to completion: READY is no measure of them. */
  completes: boolean;
}

// ---- kustomize's renaming ----

interface Kustomization {
  dir: string;
  namespace?: string;
  prefix: string;
  suffix: string;
  labels: Record<string, string>;
  resources: string[];
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** `a/./b/../c` -> `a/c`: the sources' paths are relative to one directory, '/'-separated. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/'))
    if (part === '..') out.pop();
    else if (part && part !== '.') out.push(part);
  return out.join('/');
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const strings = (v: unknown): Record<string, string> =>
  isObject(v)
    ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};

function readKustomization(source: Source): Kustomization | undefined {
  let read;
  try {
    read = readYaml(source.text);
  } catch {
    // Nested beyond the parser's limits: no names to take from it, as for a YAML error (the summary says it).
    return undefined;
  }
  if ('error' in read || !isObject(read.value)) return undefined;
  const k = read.value;
  // `labels` entries join the selectors only with includeSelectors (commonLabels always do).
  const labels = { ...strings(k.commonLabels) };
  if (Array.isArray(k.labels))
    for (const entry of k.labels)
      if (isObject(entry) && entry.includeSelectors === true) Object.assign(labels, strings(entry.pairs));
  return {
    dir: dirOf(source.path),
    namespace: text(k.namespace),
    prefix: text(k.namePrefix) ?? '',
    suffix: text(k.nameSuffix) ?? '',
    labels,
    resources: Array.isArray(k.resources) ? k.resources.filter((r): r is string => typeof r === 'string') : [],
  };
}

/**
 * The kustomizations that build a file, innermost first: the one listing it, the one listing that one's
 * directory, and so on. A file no kustomization lists is deployed as written.
 */
function chainOf(path: string, all: readonly Kustomization[]): Kustomization[] {
  const target = (k: Kustomization, r: string) => normalize(k.dir ? `${k.dir}/${r}` : r);
  const listing = (what: (t: string) => boolean) => all.find((k) => k.resources.some((r) => what(target(k, r))));
  const chain: Kustomization[] = [];
  let k = listing((t) => t === normalize(path));
  while (k && !chain.includes(k)) {
    chain.push(k);
    const inner = k;
    k = listing((t) => t === inner.dir);
  }
  return chain;
}

// ---- the pod, as loaded and as written ----

interface Pod {
  ready: number;
  init: string[];
  proxy: boolean;
  labels: Record<string, string>;
  matchLabels?: Record<string, string>;
}

const named = (list: unknown): Record<string, unknown>[] => (Array.isArray(list) ? list.filter(isObject) : []);

function podOf(workloadText: string, w: Workload): Pod | undefined {
  const read = readYaml(workloadText);
  if ('error' in read) return undefined;
  const at = (path: readonly string[]) =>
    path.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), read.value);
  const meta = at(w.podMetadataPath);
  const spec = at([...w.podMetadataPath.slice(0, -1), 'spec']);
  if (!isObject(spec)) return undefined;
  const containers = named(spec.containers);
  const inits = named(spec.initContainers);
  // A native sidecar (an init container with restartPolicy: Always) keeps running and counts in READY.
  const sidecars = inits.filter((c) => c.restartPolicy === 'Always');
  const selector = at(['spec', 'selector']);
  return {
    ready: containers.length + sidecars.length,
    init: inits.filter((c) => !sidecars.includes(c)).map((c) => String(c.name)),
    proxy: [...containers, ...sidecars].some((c) => c.name === SIDECAR),
    labels: isObject(meta) ? strings(meta.labels) : {},
    ...(isObject(selector) && isObject(selector.matchLabels) && { matchLabels: strings(selector.matchLabels) }),
  };
}

const COMPLETES = ['Job', 'CronJob'];

const selectorText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** One row per chosen workload, in the order found. */
export function verifyPlan(state: WizardState, computed: Computed): PlanRow[] {
  const kustomizations = state.sources
    .filter((s) => KUSTOMIZATION.test(s.path))
    .flatMap((s) => readKustomization(s) ?? []);
  return computed.workloads
    .filter((w) => isChosen(state, w))
    .map((w) => {
      const { before, after } = piecesOf(computed, w);
      const was = podOf(before, w);
      const is = podOf(after, w) ?? was;
      const chain = chainOf(state.sources[w.source].path, kustomizations);
      const name = chain.reduce((n, k) => `${k.prefix}${n}${k.suffix}`, w.name);
      const namespace =
        chain.reduceRight<string | undefined>((ns, k) => ns ?? k.namespace, undefined) ?? text(w.namespace);
      const added = Object.assign({}, ...chain.map((k) => k.labels)) as Record<string, string>;
      // A Job or CronJob written without a selector: its pods carry the template's labels.
      const labels = { ...(is?.matchLabels ?? is?.labels ?? {}), ...added };
      // No label at all: the one the function puts on every pod it injects.
      if (!Object.keys(labels).length) labels[INJECTED_LABEL] = 'true';
      const bare = w.kind === 'Pod';
      return {
        label: `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`,
        ref: `${w.kind.toLowerCase()}/${name}`,
        ...(namespace && { namespace }),
        ...(!bare && { selector: selectorText(labels) }),
        before: was?.ready ?? 0,
        after: is?.ready ?? 0,
        initContainers: is?.init ?? [],
        proxy: is?.proxy ?? false,
        completes: COMPLETES.includes(w.kind),
      };
    });
}

// ---- what the page prints ----

/** `-n ns `, or nothing: kubectl then uses the context's namespace. */
const ns = (row: PlanRow) => (row.namespace ? `-n ${shellWord(row.namespace)} ` : '');
/**
 * What `kubectl get pods` is given to find the workload's pods: its selector, or a bare Pod's name (by a field
 * selector when the name would read as an option: no such name is valid, so it finds none).
 */
function podsOf(row: PlanRow): string {
  if (row.selector) return `-l ${shellWord(row.selector)}`;
  const name = row.ref.replace(/^pod\//, '');
  return name.startsWith('-') ? shellWord(`--field-selector=metadata.name=${name}`) : shellWord(name);
}

/** The quick commands: each workload's pods with what READY should show, the proxy's log, the CI gate. */
export function verifyCommands(rows: readonly PlanRow[]): string[] {
  return [
    ...rows.flatMap((row) => [
      `kubectl get pods ${ns(row)}${podsOf(row)}   # ${row.completes ? 'the pods complete' : `READY shows ${row.after}/${row.after}`}`,
      ...(row.proxy ? [`kubectl logs ${ns(row)}${shellWord(row.ref)} -c ${SIDECAR} --tail=20`] : []),
    ]),
    `${CHECK}   # CI drift gate: exit 1 on drift`,
  ];
}

/** kubectl's jsonpath for one pod: what counts in READY, and when the proxy started (as a container or a native sidecar). */
const statuses = (field: string) =>
  ['containerStatuses', 'initContainerStatuses'].map((list) => field.replace('LIST', list)).join('');
const JSONPATH = {
  ready: statuses('{range .status.LIST[*]}{.ready}{"\\n"}{end}'),
  running: statuses(`{.status.LIST[?(@.name=="${SIDECAR}")].state.running.startedAt}`),
} as const;

/** The script's fixed part: one PASS or FAIL line per check, exit 1 after any FAIL. */
const HEAD = String.raw`#!/usr/bin/env bash
# verify.sh, from the sidecar-injector wizard: after deploying, checks each chosen workload's pods.
# One PASS or FAIL line per check; exits 1 if any check failed. Needs kubectl and the cluster's context.
set -u
failed=0
pass() { printf 'PASS %s\n' "$1"; }
fail() { printf 'FAIL %s\n' "$1"; failed=1; }

# check WHAT READY INITS PODS -- KUBECTL-ARGS...: each pod of PODS (kubectl's pod/NAME lines) in turn;
# READY - for a Job's pods, which complete.
check() {
  local what=$1 ready=$2 inits=$3 pods=$4; shift 5
  if [ -z "$pods" ]; then fail "$what: no pods found"; return; fi
  local pod n code started
  for pod in $pods; do
    if [ "$ready" != - ]; then
      n=$(kubectl get "$@" "$pod" -o jsonpath='${JSONPATH.ready}' | grep -c '^true$')
      if [ "$n" = "$ready" ]; then pass "$what $pod: READY $n/$ready"; else fail "$what $pod: READY $n/$ready"; fi
    fi
    for init in $inits; do
      code=$(kubectl get "$@" "$pod" -o jsonpath="{.status.initContainerStatuses[?(@.name==\"$init\")].state.terminated.exitCode}")
      if [ "$code" = 0 ]; then pass "$what $pod: init container $init exited 0"
      else fail "$what $pod: init container $init exited \"$code\" (not 0)"; fi
    done
    started=$(kubectl get "$@" "$pod" -o jsonpath='${JSONPATH.running}')
    if [ -n "$started" ]; then pass "$what $pod: ${SIDECAR} running"
    # A Job's pod that succeeded is done: its proxy (a native sidecar) stopped with it.
    elif [ "$ready" = - ] && [ "$(kubectl get "$@" "$pod" -o jsonpath='{.status.phase}')" = Succeeded ]; then
      pass "$what $pod: completed (${SIDECAR} ran and stopped with it)"
    else fail "$what $pod: ${SIDECAR} not running"; fi
    echo "  last lines of ${SIDECAR} in $pod:"
    kubectl logs "$@" "$pod" -c ${SIDECAR} --tail=10 2>&1 | sed 's/^/    /'
  done
}
`;

/** verify.sh: for each chosen workload, its pods' READY count, init containers, proxy and last log lines. */
export function verifyScript(rows: readonly PlanRow[]): string {
  const body = rows.map((row) => {
    const nsArgs = ns(row);
    const what = `${row.ref}${row.namespace ? ` (${row.namespace})` : ''}`;
    const lines = [`# ${shellComment(row.label)}: containers ${row.before} as loaded, ${row.after} injected`];
    const [ready, inits] = [row.completes ? '-' : String(row.after), shellWord(row.initContainers.join(' '))];
    if (!row.proxy) lines.push(`fail ${shellWord(`${what}: not injected (the page showed no ${SIDECAR})`)}`);
    else
      lines.push(
        `pods=$(kubectl get pods ${nsArgs}${podsOf(row)} -o name)`,
        `check ${shellWord(what)} ${ready} ${inits} "$pods" -- ${nsArgs}`.trimEnd(),
      );
    return lines.join('\n');
  });
  return `${HEAD}\n${body.join('\n\n')}${body.length ? '\n\n' : ''}exit $failed\n`;
}
