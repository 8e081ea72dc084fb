/**
 * `npm run demo` (root and podman): plays examples/hello before and after injection with the runtime suite's
 * harness and prints what a person would check: the container count, the init order, the connections the
 * proxy saw. scripts/demo.mjs bundles this file with esbuild and runs it.
 *
 * The example's own images (ghcr.io/example/*) do not exist, so its two containers run the stand-in image
 * instead (image and command; its readinessProbe goes, kube play has no named ports without `ports`), and
 * it runs one replica: every pod of the run needs its own address. The injected parts are the function's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INIT_IMAGE, buildInitImage } from '../_images';
import { repoRoot } from '../_tools';
import {
  Runtime,
  STANDIN_IMAGE,
  buildStandinImage,
  inject,
  podSpec,
  runtimeMissing,
  type KItem,
  type Pod,
} from './_harness';

const STANDIN = 'python3 /standin/standin.py';

function example(name: string): KItem {
  const item = parse(readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8')) as KItem;
  item.metadata.name = name;
  (item.spec as { replicas: number }).replicas = 1;
  const pod = podSpec(item);
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    c.image = STANDIN_IMAGE;
    delete c.args;
    delete (c as { readinessProbe?: unknown }).readinessProbe;
    c.command = c.name === 'migrate' ? ['python3', '-c', 'print("migrated")'] : [...STANDIN.split(' '), 'app', '8080'];
  }
  return item;
}

async function describePod(label: string, pod: Pod): Promise<void> {
  const states = await pod.states();
  const inits = (podSpec(pod.played).initContainers ?? []).map((c) => states.get(c.name)!);
  const exits = inits.every((s) => s.exitCode === 0) ? 'each exited 0' : 'NOT all exited 0';
  console.log(
    `${label.padEnd(17)} ${await pod.ready()} running   init: ${inits.map((s) => s.name).join(' -> ')} (${exits})`,
  );
}

async function main(): Promise<void> {
  const missing = runtimeMissing();
  if (missing) throw new Error(`npm run demo needs root and podman: ${missing}`);
  console.log('building the stand-in and init images (cached after the first run)...');
  await Promise.all([buildStandinImage(), buildInitImage()]);
  const rt = new Runtime();
  try {
    await rt.start();
    const config = { image: STANDIN_IMAGE, initImage: INIT_IMAGE, redirect: 'iptables' };
    const plain = example(rt.name('hello-before'));
    const [injected] = inject([example(rt.name('hello'))], config);
    const outside: KItem = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: rt.name('outside') },
      spec: { containers: [{ name: 'echo', image: STANDIN_IMAGE, command: [...STANDIN.split(' '), 'echo', '7000'] }] },
    };
    console.log('playing examples/hello with podman kube play, before and after injection...');
    const [before, after, echo] = await Promise.all([rt.play(plain), rt.play(injected), rt.play(outside)]);
    await describePod('before injection', before);
    await describePod('after injection', after);
    await rt.client(['call', after.ip, '8080']);
    await after.call('app', echo.ip, 7000);
    console.log('connections the proxy saw (a client pod calling the app, the app calling another pod):');
    for (const c of await after.events('speedscale-goproxy', 'conn')) {
      console.log(
        `  ${c.listener.padEnd(3)} :${c.port}  from ${c.peer.split(':')[0].padEnd(11)} original destination ${c.orig}`,
      );
    }
  } finally {
    await rt.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
