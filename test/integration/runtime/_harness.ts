/**
 * The runtime suite's harness: injects workloads with the function, plays them with rootful
 * `podman kube play` on a network of their own, and reads back what ran (container states, podman events,
 * logs, /proc/<pid>/status, iptables-save in the pod's network namespace). Not a test file.
 *
 * Everything the harness changes in the function's output before playing is in REWRITES below, and
 * forPlay() checks that none of it touches what is under test.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { run as runFunction } from '../../../fn/krm/run';
import { DEBIAN_BASE_IMAGE, PODMAN, PODMAN_LOCK, canBuildInit, setupPodman } from '../_images';
import { mustAsync, onPath, repoRoot, runAsync, tempDir } from '../_tools';

export const STANDIN_IMAGE = 'localhost/sidecar-injector-standin:test';
/** The same, its proxy binary without a file capability (PROXY_FILE_CAPS=""). */
export const PLAIN_STANDIN_IMAGE = 'localhost/sidecar-injector-standin:plain';
const IMAGES_DIR = join(repoRoot, 'test/integration/runtime/images');

/** Why the suite cannot run here, or ''. Under CI=true the caller fails instead of skipping. */
export function runtimeMissing(): string {
  const reasons = ['podman', 'runc', 'iptables-save', 'nsenter', 'flock']
    .filter((tool) => !onPath(tool))
    .map((tool) => `${tool} is not installed`);
  if (process.getuid?.() !== 0) reasons.push('rootful podman kube play needs root');
  if (!reasons.length && !canBuildInit()) reasons.push('no Debian base image and no mmdebstrap to make one');
  return reasons.join('; ');
}

/** The stand-in images (test/integration/runtime/images): app, echo server, goproxy stand-in, with and without its file capability. */
export async function buildStandinImage(): Promise<string> {
  await setupPodman();
  for (const [tag, caps] of [
    [STANDIN_IMAGE, 'cap_net_raw+ep'],
    [PLAIN_STANDIN_IMAGE, ''],
  ])
    await mustAsync('flock', [
      PODMAN_LOCK,
      'podman',
      ...PODMAN,
      'build',
      '--network',
      'host',
      '--build-arg',
      `BASE_IMAGE=${DEBIAN_BASE_IMAGE}`,
      '--build-arg',
      `PROXY_FILE_CAPS=${caps}`,
      '--tag',
      tag,
      IMAGES_DIR,
    ]);
  return STANDIN_IMAGE;
}

// ---------------------------------------------------------------------------------------------------------
// The function

export interface KItem {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: unknown[];
  securityContext?: Record<string, unknown>;
  volumeMounts?: unknown[];
  restartPolicy?: string;
}

export interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
  volumes?: unknown[];
  restartPolicy?: string;
}

/** Runs the KRM function over `items` with a ConfigMap functionConfig; throws on an error result. */
export function inject(items: KItem[], config: Record<string, string>): KItem[] {
  const input = stringify({
    apiVersion: 'config.kubernetes.io/v1',
    kind: 'ResourceList',
    items,
    functionConfig: { apiVersion: v1, kind: 'ConfigMap', metadata: { name: 'runtime-suite' }, data: config },
  });
  const out = runFunction(input);
  const list = parse(out.stdout) as { items: KItem[]; results?: { severity: string; message: string }[] };
  const errors = (list.results ?? []).filter((r) => r.severity === 'error');
  if (out.exitCode !== 0 || errors.length) {
    throw new Error(`the function failed: ${errors.map((r) => r.message).join('; ') || out.stderr}`);
  }
  return list.items;
}
const v1 = 'v1';

/** The function's output with its results, for the cases that expect an error. */
export function injectResults(items: KItem[], config: Record<string, string>) {
  const input = stringify({
    apiVersion: 'config.kubernetes.io/v1',
    kind: 'ResourceList',
    items,
    functionConfig: { apiVersion: v1, kind: 'ConfigMap', metadata: { name: 'runtime-suite' }, data: config },
  });
  return parse(runFunction(input).stdout) as {
    items: KItem[];
    results?: { severity: string; message: string; resourceRef?: { name: string } }[];
  };
}

export function podSpec(item: KItem): PodSpec {
  const template = (item.kind === 'Pod' ? item : item.spec?.template) as { spec: PodSpec };
  return template.spec;
}

// ---------------------------------------------------------------------------------------------------------
// The rewrites before playing: the only differences between what the function wrote and what runs

/** What a pod gets at run time that kube play cannot provide, filled in per played pod. */
export interface Place {
  podIp: string;
  hostIp: string;
}

/** fieldRefs podman 4.3 kube play does not support, as the literal a kubelet would have put there. */
const FIELD_LITERALS: Record<string, (p: Place, item: KItem) => string> = {
  'status.podIP': (p) => p.podIp,
  'status.hostIP': (p) => p.hostIp,
  'spec.nodeName': () => 'runtime-suite-node',
  'metadata.namespace': (_, item) => item.metadata.namespace ?? 'default',
  'spec.serviceAccountName': () => 'default',
};

/** The init container type that keeps exited init containers, so their exit codes and times can be read. */
const INIT_TYPE_ANNOTATION = 'io.podman.annotations.init.container.type';

/**
 * Every rewrite, with its reason. Container names and order, images, commands, args, securityContext,
 * env names, volume mounts and volumes are under test and never change (forPlay() checks it).
 */
export const REWRITES = [
  {
    what:
      'env valueFrom.fieldRef of status.podIP, status.hostIP, spec.nodeName, metadata.namespace, ' +
      'spec.serviceAccountName -> value: the literal the kubelet would give',
    why: 'kube play supports only metadata.name, metadata.uid, labels and annotations as fieldRef',
    apply: (pod: PodSpec, item: KItem, place: Place) => {
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        for (const e of c.env ?? []) {
          const literal = FIELD_LITERALS[e.valueFrom?.fieldRef?.fieldPath ?? ''];
          if (literal) {
            e.value = literal(place, item);
            delete e.valueFrom;
          }
        }
      }
    },
  },
  {
    what: 'pod restartPolicy -> Never (unless the workload set OnFailure or Never)',
    why: "kube play applies a Deployment's Always to init containers too: they restart and the play fails",
    apply: (pod: PodSpec) => {
      if (pod.restartPolicy !== 'OnFailure') pod.restartPolicy = 'Never';
    },
  },
  {
    what: 'containers[*].ports and initContainers[*].ports removed',
    why: "kube play publishes every containerPort on the host's 0.0.0.0: fixed host ports collide",
    apply: (pod: PodSpec) => {
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) delete c.ports;
    },
  },
  {
    what: `annotation ${INIT_TYPE_ANNOTATION}: always on the pod template and the workload`,
    why:
      'kube play removes "once" init containers after they exit, with their exit codes and times; ' +
      "for a Deployment it reads the workload's annotations",
    apply: (_pod: PodSpec, item: KItem) => {
      const template = (item.kind === 'Pod' ? item : item.spec?.template) as { metadata?: KItem['metadata'] };
      template.metadata ??= { name: item.metadata.name };
      for (const metadata of new Set([template.metadata, item.metadata]))
        metadata.annotations = { ...metadata.annotations, [INIT_TYPE_ANNOTATION]: 'always' };
    },
  },
  {
    what:
      'secret and projected (secret sources) volumes -> hostPath directories holding the same keys ' +
      '(items and optional honoured), written from the Secrets passed to play()',
    why: 'podman 4.3.1 kube play panics on any secret volume (nil pointer, kube/volume.go:165) and has no projected volumes',
    apply: () => undefined, // done by materialize(), which needs the Secrets and a directory
  },
  {
    what: "a Job -> a Pod of its template (metadata.name the Job's)",
    why: 'podman 4.3.1 kube play plays Pods and Deployments only',
    apply: () => undefined, // done by forPlay(), which replaces the object
  },
] as const;

interface SecretRef {
  name?: string;
  secretName?: string;
  items?: { key: string; path: string }[];
  optional?: boolean;
}
interface Volume {
  name: string;
  secret?: SecretRef;
  projected?: { sources: { secret?: SecretRef }[] };
  hostPath?: { path: string; type: string };
}

/** Writes each secret or projected volume's files under `dir` and points the volume there. */
function materialize(pod: PodSpec, secrets: KItem[], dir: string) {
  const data = (name: string) => {
    const secret = secrets.find((s) => s.metadata.name === name) as { data?: Record<string, string> } | undefined;
    return secret?.data;
  };
  for (const volume of (pod.volumes ?? []) as Volume[]) {
    const sources = volume.secret
      ? [{ ...volume.secret, name: volume.secret.secretName }]
      : (volume.projected?.sources ?? []).map((s) => s.secret).filter((s): s is SecretRef => s !== undefined);
    if (!sources.length) continue;
    const root = join(dir, volume.name);
    mkdirSync(root, { recursive: true });
    for (const source of sources) {
      const keys = data(source.name ?? '');
      if (!keys) {
        if (source.optional) continue;
        throw new Error(`volume ${volume.name}: Secret ${source.name} is missing and not optional`);
      }
      const items = source.items ?? Object.keys(keys).map((key) => ({ key, path: key }));
      for (const item of items) {
        const file = join(root, item.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, Buffer.from(keys[item.key] ?? '', 'base64'), { mode: 0o644 });
      }
    }
    delete volume.secret;
    delete volume.projected;
    volume.hostPath = { path: root, type: 'Directory' };
  }
}

function jobAsPod(job: KItem): KItem {
  const template = structuredClone(job.spec?.template) as { metadata?: KItem['metadata']; spec: PodSpec };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...template.metadata, name: job.metadata.name },
    spec: template.spec as unknown as Record<string, unknown>,
  };
}

/** The parts of a pod spec under test: forPlay() refuses a rewrite that changes them. */
function underTest(pod: PodSpec) {
  const view = (c: Container) => ({
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    securityContext: c.securityContext,
    env: (c.env ?? []).map((e) => e.name),
    volumeMounts: c.volumeMounts,
    restartPolicy: c.restartPolicy,
  });
  return JSON.stringify({
    initContainers: (pod.initContainers ?? []).map(view),
    containers: pod.containers.map(view),
    volumes: ((pod.volumes ?? []) as Volume[]).map((v) => v.name),
  });
}

/** The workload as kube play gets it: a copy with REWRITES applied. */
export function forPlay(item: KItem, place: Place, secrets: KItem[] = [], dir = ''): KItem {
  const copy = item.kind === 'Job' ? jobAsPod(item) : structuredClone(item);
  const pod = podSpec(copy);
  const before = underTest(pod);
  for (const rewrite of REWRITES) rewrite.apply(pod, copy, place);
  if (dir) materialize(pod, secrets, dir);
  if (underTest(pod) !== before)
    throw new Error(`a harness rewrite changed what is under test in ${item.metadata.name}`);
  return copy;
}

// ---------------------------------------------------------------------------------------------------------
// podman

const podman = (args: string[]) => mustAsync('podman', [...PODMAN, ...args]);

export interface ContainerState {
  name: string;
  status: string;
  exitCode: number;
  startedAt: number;
  finishedAt: number;
  pid: number;
  effectiveCaps: string[];
}

/** One run's network and pods, all named with a random suffix; cleanup() removes exactly those. */
export class Runtime {
  readonly id = randomBytes(3).toString('hex');
  readonly network = `sidecar-injector-rt-${this.id}`;
  readonly dir = tempDir('runtime');
  private subnetPrefix = '';
  hostIp = '';
  private nextHost = 10;
  private readonly pods: string[] = [];

  async start(): Promise<void> {
    await podman(['network', 'create', this.network]);
    const out = await podman(['network', 'inspect', this.network, '--format', '{{range .Subnets}}{{.Gateway}}{{end}}']);
    this.hostIp = out.stdout.trim();
    if (!/^\d+\.\d+\.\d+\.1$/.test(this.hostIp))
      throw new Error(`unexpected gateway of ${this.network}: ${this.hostIp}`);
    this.subnetPrefix = this.hostIp.replace(/\.1$/, '.');
  }

  /** A unique workload name for this run. */
  name(base: string): string {
    return `rt${this.id}-${base}`;
  }

  /** Plays one workload at a fresh address; `secrets` are what its secret volumes would be made from. */
  async play(item: KItem, secrets: KItem[] = []): Promise<Pod> {
    const place = { podIp: `${this.subnetPrefix}${this.nextHost++}`, hostIp: this.hostIp };
    const played = forPlay(item, place, secrets, join(this.dir, item.metadata.name));
    const file = join(this.dir, `${item.metadata.name}.yaml`);
    writeFileSync(file, stringify(played));
    const podName = played.kind === 'Pod' ? played.metadata.name : `${played.metadata.name}-pod-0`;
    this.pods.push(podName);
    await podman(['kube', 'play', '--network', this.network, '--ip', place.podIp, file]);
    return new Pod(podName, place, played);
  }

  /**
   * Plays a workload kube play cannot finish: waits until `done(pod)` holds (or `seconds` pass), then stops
   * kube play; the pod stays as far as it got.
   */
  async playStuck(item: KItem, done: (pod: Pod) => Promise<boolean>, seconds: number): Promise<Pod> {
    const place = { podIp: `${this.subnetPrefix}${this.nextHost++}`, hostIp: this.hostIp };
    const played = forPlay(item, place);
    const file = join(this.dir, `${item.metadata.name}.yaml`);
    writeFileSync(file, stringify(played));
    const podName = played.kind === 'Pod' ? played.metadata.name : `${played.metadata.name}-pod-0`;
    this.pods.push(podName);
    const args = [...PODMAN, 'kube', 'play', '--network', this.network, '--ip', place.podIp, file];
    const child = spawn('podman', args, { stdio: 'ignore' });
    const pod = new Pod(podName, place, played);
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline && !(await done(pod).catch(() => false))) await sleep(1000);
    child.kill();
    return pod;
  }

  /** A one-off container on the run's network (a client in another pod). */
  async client(args: string[]): Promise<string> {
    const out = await podman([
      'run',
      '--rm',
      '--network',
      this.network,
      '--entrypoint',
      'python3',
      STANDIN_IMAGE,
      '/standin/standin.py',
      ...args,
    ]);
    return out.stdout;
  }

  async cleanup(): Promise<void> {
    for (const pod of this.pods) await runAsync('podman', [...PODMAN, 'pod', 'rm', '-f', '-t', '0', pod]);
    await runAsync('podman', [...PODMAN, 'network', 'rm', '-f', this.network]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class Pod {
  constructor(
    readonly name: string,
    readonly place: Place,
    readonly played: KItem,
  ) {}

  get ip(): string {
    return this.place.podIp;
  }

  private ctr(container: string) {
    return `${this.name}-${container}`;
  }

  /** The state of every container the pod spec names, by container name. */
  async states(): Promise<Map<string, ContainerState>> {
    const spec = podSpec(this.played);
    const names = [...(spec.initContainers ?? []), ...spec.containers].map((c) => c.name);
    const out = await podman(['inspect', '--type', 'container', ...names.map((n) => this.ctr(n))]);
    const raw = JSON.parse(out.stdout) as {
      Name: string;
      EffectiveCaps: string[] | null;
      State: { Status: string; ExitCode: number; StartedAt: string; FinishedAt: string; Pid: number };
    }[];
    return new Map(
      raw.map((c) => {
        const name = c.Name.slice(this.name.length + 1);
        const time = (t: string) => Date.parse(t.replace(/(\.\d{3})\d+/, '$1').replace(/ \+0000 UTC$/, 'Z'));
        return [
          name,
          {
            name,
            status: c.State.Status,
            exitCode: c.State.ExitCode,
            startedAt: time(c.State.StartedAt),
            finishedAt: time(c.State.FinishedAt),
            pid: c.State.Pid,
            effectiveCaps: [...(c.EffectiveCaps ?? [])].sort(),
          },
        ];
      }),
    );
  }

  /** "ready/total" of the app containers, as kubectl's READY column counts them. */
  async ready(): Promise<string> {
    const states = await this.states();
    const main = podSpec(this.played).containers.map((c) => states.get(c.name));
    return `${main.filter((s) => s?.status === 'running').length}/${main.length}`;
  }

  async logs(container: string): Promise<string> {
    const out = await podman(['logs', this.ctr(container)]);
    return out.stdout + out.stderr;
  }

  /** Log lines of one event ("conn", "app-request", ...) as key=value maps. */
  async events(container: string, event: string): Promise<Record<string, string>[]> {
    return (await this.logs(container))
      .split('\n')
      .filter((line) => line.startsWith(`${event} `))
      .map((line) =>
        Object.fromEntries(
          line
            .split(' ')
            .slice(1)
            .map((kv) => kv.split('=', 2) as [string, string]),
        ),
      );
  }

  async exec(container: string, args: string[], user?: string): Promise<string> {
    const out = await podman(['exec', ...(user ? ['--user', user] : []), this.ctr(container), ...args]);
    return out.stdout;
  }

  /** A request from inside a container: `call IP PORT [PATH]` of the stand-in. */
  call(container: string, ip: string, port: number, path = '/', user?: string): Promise<string> {
    return this.exec(container, ['python3', '/standin/standin.py', 'call', ip, String(port), path], user);
  }

  /** /proc/<pid>/status of a running container's main process. */
  async procStatus(container: string): Promise<Record<string, string>> {
    const state = (await this.states()).get(container);
    if (!state?.pid) throw new Error(`${container} is not running`);
    const text = readFileSync(`/proc/${state.pid}/status`, 'utf8');
    return Object.fromEntries(text.split('\n').map((l) => l.split(':\t').map((s) => s.trim()) as [string, string]));
  }

  /** iptables-save of the nat table inside the pod's network namespace (entered through the infra container). */
  async natRules(): Promise<string> {
    const infra = await podman(['pod', 'inspect', this.name, '--format', '{{.InfraContainerID}}']);
    const pid = await podman(['inspect', '--format', '{{.State.Pid}}', infra.stdout.trim()]);
    const out = await mustAsync('nsenter', ['-t', pid.stdout.trim(), '-n', 'iptables-save', '-t', 'nat']);
    return out.stdout;
  }
}
