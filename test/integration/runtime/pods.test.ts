/**
 * Injected workloads in running pods (rootful podman kube play), every assertion read from the running pod:
 * container states and podman's record of them, the stand-ins' logs, /proc/<pid>/status, iptables-save in
 * the pod's network namespace, and the connections the stand-in proxy saw with their SO_ORIGINAL_DST.
 *
 * The pods are played once, in parallel, and shared by the cases that read them:
 *   outside   echo server on 7000 and 7001 (an address outside the injected pods)
 *   base      injected with the defaults (its own init container `migrate` first)
 *   tuned     insert-init-first, ignore-inbound-ports 9090, ignore-outbound-ports 7001, ignore-dst-ips
 *             <the node>/32, capture-node-traffic, proxy-in-port 5143, proxy-out-port 5140
 *   hardened  proxySecurityContext: hardened
 *   tls       tls-out, its Secret present, the Java truststore Secret absent (optional)
 *   removed   base injected, then removed by the function again
 *   job       a Job, classic sidecar; native-job: the same with nativeSidecar
 *   dual      environment gke-autopilot and serviceTargetPort proxy: dual mode, no init container, the app
 *             configured only by the variables the function wrote; its Service's targetPort as the function wrote it
 * The node is the network's gateway, this process: it listens there and is STATUS_HOST_IP.
 */
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT_IMAGE, buildInitImage } from '../_images';
import { run, unavailable } from '../_tools';
import {
  PLAIN_STANDIN_IMAGE,
  REWRITES,
  Runtime,
  STANDIN_IMAGE,
  buildStandinImage,
  inject,
  podSpec,
  runtimeMissing,
  type KItem,
  type Pod,
} from './_harness';

const missing = unavailable('runtime suite (podman kube play)', [runtimeMissing()]);

const INIT_IPTABLES = 'speedscale-initproxy-iptables';
const INIT_SMARTDNS = 'speedscale-initproxy-smartdns';
const SIDECAR = 'speedscale-goproxy';
const CAP_NET_RAW = 0x2000n;
const CERT = '-----BEGIN CERTIFICATE-----\nruntime-suite CA\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nruntime-suite key\n-----END PRIVATE KEY-----\n';
const app = (ports: number[]) => ['python3', '/standin/standin.py', 'app', ...ports.map(String)];

function deployment(name: string, annotations: Record<string, string>): KItem {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, annotations: { 'sidecar.speedscale.com/inject': 'true', ...annotations } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          initContainers: [{ name: 'migrate', image: STANDIN_IMAGE, command: ['python3', '-c', 'print("migrated")'] }],
          containers: [{ name: 'app', image: STANDIN_IMAGE, command: app([8080, 9090]) }],
        },
      },
    },
  };
}

function job(name: string): KItem {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, annotations: { 'sidecar.speedscale.com/inject': 'true' } },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'task', image: STANDIN_IMAGE, command: ['python3', '-c', 'print("task done")'] }],
        },
      },
    },
  };
}

/** An app on one declared port (8080, named http), for a profile that takes the reverse proxy's port from it. */
function onePort(name: string): KItem {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, annotations: { 'sidecar.speedscale.com/inject': 'true' } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'app', image: STANDIN_IMAGE, command: app([8080]), ports: [{ name: 'http', containerPort: 8080 }] },
          ],
        },
      },
    },
  };
}

const service = (name: string): KItem => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

const secret = (name: string, data: Record<string, string>): KItem => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

/** Connections the proxy logged, as "listener port orig" strings. */
async function seen(pod: Pod): Promise<string[]> {
  return (await pod.events(SIDECAR, 'conn')).map((c) => `${c.listener} ${c.port} ${c.orig}`);
}

/** A request from this process, the node, to a pod; a fresh connection each time (no agent). */
function fromNode(ip: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect({ host: ip, port }, () => socket.write('GET / HTTP/1.0\r\n\r\n'));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The peer the app logged for its last request on `port`. */
async function lastPeer(pod: Pod, port: number): Promise<string> {
  const requests = (await pod.events('app', 'app-request')).filter((r) => r.port === String(port));
  return requests.at(-1)?.peer.split(':')[0] ?? 'none';
}

describe.skipIf(missing !== '')('runtime: injected workloads in running pods (podman kube play)', () => {
  const rt = new Runtime();
  const pods: Record<string, Pod> = {};
  const original = { base: {} as KItem };
  let nativePod: Pod;
  let dualTargetPort = 0;
  let node: Server;
  let nodePort = 0;
  const nodePeers: string[] = [];

  beforeAll(async () => {
    await Promise.all([buildStandinImage(), buildInitImage()]);
    await rt.start();
    console.log(`[runtime] network ${rt.network}, node ${rt.hostIp}; harness rewrites before playing:`);
    for (const r of REWRITES) console.log(`[runtime]   ${r.what} (${r.why})`);

    const config = { image: STANDIN_IMAGE, initImage: INIT_IMAGE, redirect: 'iptables' };
    const tlsSecret = rt.name('certs');
    original.base = deployment(rt.name('base'), {});
    const [base] = inject([original.base], config);
    // The same workload under another name (pod names are unique), its annotation turned off: the function removes.
    const off = { ...base.metadata.annotations, 'sidecar.speedscale.com/inject': 'false' };
    const [removed] = inject(
      [{ ...base, metadata: { ...base.metadata, name: rt.name('removed'), annotations: off } }],
      config,
    );
    const outside: KItem = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: rt.name('outside') },
      spec: {
        containers: [
          { name: 'echo', image: STANDIN_IMAGE, command: ['python3', '/standin/standin.py', 'echo', '7000', '7001'] },
        ],
      },
    };
    const tuned = inject(
      [
        deployment(rt.name('tuned'), {
          'sidecar.speedscale.com/insert-init-first': 'true',
          'sidecar.speedscale.com/ignore-inbound-ports': '9090',
          'sidecar.speedscale.com/ignore-outbound-ports': '7001',
          'sidecar.speedscale.com/ignore-dst-ips': `${rt.hostIp}/32`,
          'sidecar.speedscale.com/capture-node-traffic': 'true',
          'sidecar.speedscale.com/proxy-in-port': '5143',
          'sidecar.speedscale.com/proxy-out-port': '5140',
        }),
      ],
      config,
    )[0];
    const hardened = inject([deployment(rt.name('hardened'), {})], { ...config, proxySecurityContext: 'hardened' })[0];
    const tls = inject([deployment(rt.name('tls'), { 'sidecar.speedscale.com/tls-out': 'true' })], {
      ...config,
      tlsOutSecret: tlsSecret,
      tlsJavaSecret: rt.name('jks-absent'),
    })[0];
    const [classic] = inject([job(rt.name('job'))], config);
    // The restricted securityContext drops ALL and adds nothing: a proxy binary whose file capability has the
    // effective bit cannot even be exec'd (the kernel refuses what the bounding set cannot grant), so the pod's
    // proxy image is the plain stand-in; capped shows the refusal with the other one.
    const autopilot = { ...config, environment: 'gke-autopilot', serviceTargetPort: 'proxy' };
    const [dual, dualService] = inject([onePort(rt.name('dual')), service(rt.name('dual'))], {
      ...autopilot,
      image: PLAIN_STANDIN_IMAGE,
    });
    const [capped] = inject([onePort(rt.name('capped'))], autopilot);
    dualTargetPort = (dualService.spec as { ports: { targetPort: number }[] }).ports[0].targetPort;
    const [nativeJob] = inject([job(rt.name('native-job'))], { ...config, nativeSidecar: 'true' });

    const played = await Promise.all([
      rt.play(outside),
      rt.play(base),
      rt.play(tuned),
      rt.play(hardened),
      rt.play(tls, [secret(tlsSecret, { 'tls.crt': CERT, 'tls.key': KEY })]),
      rt.play(removed),
      rt.play(classic),
      rt.play(dual),
      rt.play(capped),
      // kube play waits for every init container to exit; a native sidecar never does.
      rt
        .playStuck(nativeJob, async (pod) => (await pod.states()).get(SIDECAR)?.status === 'running', 120)
        .then((pod) => (nativePod = pod)),
    ]);
    [pods.outside, pods.base, pods.tuned, pods.hardened, pods.tls, pods.removed, pods.job, pods.dual, pods.capped] =
      played as Pod[];
    // The node's address exists once the network's bridge does, with its first pod.
    node = createServer((socket) => {
      nodePeers.push(socket.remoteAddress ?? '');
      socket.once('data', () => socket.end('node\n'));
    });
    await new Promise<void>((resolve, reject) => node.once('error', reject).listen(0, rt.hostIp, resolve));
    nodePort = (node.address() as { port: number }).port;
  }, 600_000);

  afterAll(async () => {
    node?.close();
    await rt.cleanup();
  });

  const outsideIp = () => pods.outside.ip;

  describe('containers and init order', () => {
    it('an injected Deployment runs 2/2; its own init container, then iptables, then smartdns, each exit 0 before the app', async () => {
      expect(await pods.base.ready()).toBe('2/2');
      const s = await pods.base.states();
      const order = ['migrate', INIT_IPTABLES, INIT_SMARTDNS].map((n) => s.get(n)!);
      for (const init of order) expect([init.name, init.status, init.exitCode]).toEqual([init.name, 'exited', 0]);
      for (let i = 1; i < order.length; i++) expect(order[i].startedAt).toBeGreaterThanOrEqual(order[i - 1].finishedAt);
      expect(s.get('app')!.startedAt).toBeGreaterThanOrEqual(order[2].finishedAt);
      expect(s.get(SIDECAR)!.status).toBe('running');
    });

    it('with insert-init-first the Speedscale init containers run first', async () => {
      expect(await pods.tuned.ready()).toBe('2/2');
      const s = await pods.tuned.states();
      const order = [INIT_IPTABLES, INIT_SMARTDNS, 'migrate'].map((n) => s.get(n)!);
      for (const init of order) expect(init.exitCode).toBe(0);
      for (let i = 1; i < order.length; i++) expect(order[i].startedAt).toBeGreaterThanOrEqual(order[i - 1].finishedAt);
    });

    it("the rules are in the pod's own network namespace, not the host's", async () => {
      expect(await pods.base.natRules()).toMatch(/-A SPEEDSCALE_INBOUND -p tcp .* -j REDIRECT --to-ports 4143/);
      expect(await pods.tuned.natRules()).toMatch(/-A SPEEDSCALE_OUTPUT -p tcp .* -j REDIRECT --to-ports 5140/);
      expect(run('iptables-save', ['-t', 'nat']).stdout).not.toContain('SPEEDSCALE_INBOUND');
    });
  });

  describe('traffic', () => {
    it('inbound from another pod lands on 4143 with the original destination port', async () => {
      const answer = await rt.client(['call', pods.base.ip, '8080']);
      expect(answer).toContain('app port=8080');
      expect(await seen(pods.base)).toContain(`in 4143 ${pods.base.ip}:8080`);
      // The app sees the proxy's relay (from the pod's own address), not the client.
      expect(await lastPeer(pods.base, 8080)).toBe(pods.base.ip);
    });

    it('outbound from the app lands on 4140 with the original destination; the proxy (uid 2102) goes direct', async () => {
      expect(await pods.base.call('app', outsideIp(), 7000)).toContain('echo port=7000');
      const after = await seen(pods.base);
      expect(after).toContain(`out 4140 ${outsideIp()}:7000`);
      const proxyOwn = await pods.base.call(SIDECAR, outsideIp(), 7000, '/', '2102');
      expect(proxyOwn).toContain('echo port=7000');
      expect(await seen(pods.base)).toEqual(after); // the proxy's own connection was not looped back to it
    });

    it('node traffic (STATUS_HOST_IP) bypasses the proxy by default; capture-node-traffic sends it through', async () => {
      expect(await fromNode(pods.base.ip, 8080)).toContain('app port=8080');
      expect(await lastPeer(pods.base, 8080)).toBe(rt.hostIp);
      expect(await fromNode(pods.tuned.ip, 8080)).toContain('app port=8080');
      expect(await seen(pods.tuned)).toContain(`in 5143 ${pods.tuned.ip}:8080`);
      expect(await lastPeer(pods.tuned, 8080)).toBe(pods.tuned.ip);
    });

    it('a custom proxy-in-port/proxy-out-port pair works', async () => {
      expect(await rt.client(['call', pods.tuned.ip, '8080'])).toContain('app port=8080');
      expect(await pods.tuned.call('app', outsideIp(), 7000)).toContain('echo port=7000');
      const conns = await seen(pods.tuned);
      expect(conns).toContain(`out 5140 ${outsideIp()}:7000`);
      expect(conns.some((c) => / 414[03] /.test(c))).toBe(false);
    });

    it('ignore-inbound-ports, ignore-outbound-ports and ignore-dst-ips go direct', async () => {
      const answers = await Promise.all([
        rt.client(['call', pods.tuned.ip, '9090']),
        pods.tuned.call('app', outsideIp(), 7001),
        pods.tuned.call('app', rt.hostIp, nodePort),
        // The same call from the base pod goes through its proxy.
        pods.base.call('app', rt.hostIp, nodePort),
      ]);
      expect(answers.map((a) => /app port=9090|echo port=7001|^node$/m.exec(a)?.[0])).toEqual([
        'app port=9090',
        'echo port=7001',
        'node',
        'node',
      ]);
      expect(await lastPeer(pods.tuned, 9090)).not.toBe(pods.tuned.ip); // the client itself, not the relay
      expect(nodePeers).toContain(pods.tuned.ip);
      const conns = await seen(pods.tuned);
      expect(conns.filter((c) => c.includes(':9090') || c.includes(':7001') || c.includes(`:${nodePort}`))).toEqual([]);
      expect(await seen(pods.base)).toContain(`out 4140 ${rt.hostIp}:${nodePort}`);
    });
  });

  describe('capabilities', () => {
    it('each init container ran with exactly NET_ADMIN and NET_RAW', async () => {
      const s = await pods.base.states();
      for (const init of [INIT_IPTABLES, INIT_SMARTDNS]) {
        expect([init, s.get(init)!.effectiveCaps]).toEqual([init, ['CAP_NET_ADMIN', 'CAP_NET_RAW']]);
      }
    });

    it('the default proxy securityContext keeps NET_RAW from the binary; the hardened one loses it', async () => {
      const byDefault = await pods.base.procStatus(SIDECAR);
      const hardened = await pods.hardened.procStatus(SIDECAR);
      console.log(
        `[runtime] proxy CapEff: default ${byDefault.CapEff} (NoNewPrivs ${byDefault.NoNewPrivs}), ` +
          `hardened ${hardened.CapEff} (NoNewPrivs ${hardened.NoNewPrivs})`,
      );
      expect(byDefault.Uid.split(/\s+/)[0]).toBe('2102');
      expect(BigInt(`0x${byDefault.CapEff}`)).toBe(CAP_NET_RAW);
      expect((await pods.base.events(SIDECAR, 'proxy-start'))[0].raw).toBe('ok');
      expect(BigInt(`0x${hardened.CapEff}`)).toBe(0n);
      expect(hardened.NoNewPrivs).toBe('1');
      expect((await pods.hardened.events(SIDECAR, 'proxy-start'))[0].raw).toBe('denied(1)');
      // Without NET_RAW the proxy still relays: only what needs a raw socket is lost.
      expect(await pods.hardened.ready()).toBe('2/2');
    });
  });

  describe('tls-out', () => {
    it('the proxy sees the CA and key at /etc/ssl/speedscale; the app a readable SSL_CERT_FILE and never the key', async () => {
      expect(await pods.tls.ready()).toBe('2/2');
      expect(await pods.tls.exec(SIDECAR, ['cat', '/etc/ssl/speedscale/tls.crt'])).toBe(CERT);
      expect(await pods.tls.exec(SIDECAR, ['cat', '/etc/ssl/speedscale/tls.key'])).toBe(KEY);
      const env = await pods.tls.exec('app', ['env']);
      const certFile = /^SSL_CERT_FILE=(.*)$/m.exec(env)?.[1] ?? 'unset';
      expect(await pods.tls.exec('app', ['cat', certFile])).toBe(CERT);
      const files = await pods.tls.exec('app', ['find', '/etc/ssl/speedscale', '-type', 'f']);
      expect(files.trim().split('\n')).toEqual(['/etc/ssl/speedscale/tls.crt']);
      const grep = await pods.tls.exec('app', [
        'sh',
        '-c',
        'grep -rl "PRIVATE KEY" /etc/ssl /etc/pki 2>/dev/null || true',
      ]);
      expect(grep.trim()).toBe('');
    });

    it('the Java truststore is optional (the pod starts without its Secret) and offered as SPEEDSCALE_JAVA_OPTS', async () => {
      const env = await pods.tls.exec('app', ['env']);
      expect(env).toMatch(
        /^SPEEDSCALE_JAVA_OPTS=-Djavax\.net\.ssl\.trustStore=\/etc\/ssl\/speedscale\/jks\/cacerts\.jks /m,
      );
      expect(env).not.toMatch(/^JAVA_TOOL_OPTIONS=/m);
    });
  });

  describe('Jobs and native sidecars', () => {
    it('a Job with a classic sidecar: the task exits 0, the proxy keeps the pod running', async () => {
      const s = await pods.job.states();
      expect([s.get('task')!.status, s.get('task')!.exitCode]).toEqual(['exited', 0]);
      expect(s.get(SIDECAR)!.status).toBe('running');
    });

    it('native sidecar mode: podman 4.3.1 cannot express restartPolicy: Always init containers', async () => {
      const states = await nativePod.states();
      console.log(
        '[runtime] native sidecar: podman 4.3.1 kube play runs the restartPolicy: Always init container as a ' +
          `run-once init and waits for it to exit: proxy ${states.get(SIDECAR)?.status}, ` +
          `task ${states.get('task')?.status} (kube play stopped by the suite)`,
      );
      // What it can show: the iptables init ran and exited 0 before the proxy started, and the proxy runs.
      expect(states.get(INIT_IPTABLES)!.exitCode).toBe(0);
      expect(states.get(SIDECAR)!.status).toBe('running');
      expect(states.get(SIDECAR)!.startedAt).toBeGreaterThanOrEqual(states.get(INIT_SMARTDNS)!.finishedAt);
      expect(states.get('task')!.status).toBe('created');
    });
  });

  describe('dual mode (environment gke-autopilot), no iptables', () => {
    it('runs 2/2 with no init container and not one nat rule in the pod', async () => {
      expect(await pods.dual.ready()).toBe('2/2');
      expect([...(await pods.dual.states()).keys()]).toEqual(['app', SIDECAR]);
      const nat = await pods.dual.natRules();
      expect(nat).not.toMatch(/SPEEDSCALE|REDIRECT|^-A /m);
    });

    it('the app, with only the variables the function wrote, sends its outbound HTTP through 4140', async () => {
      const env = await pods.dual.exec('app', ['env']);
      expect(env).toMatch(/^HTTP_PROXY=http:\/\/127\.0\.0\.1:4140$/m);
      expect(env).toMatch(/^NO_PROXY=localhost,127\.0\.0\.1,::1$/m);
      // The app's own /call endpoint calls out; nothing but its environment points it at the proxy.
      expect(await rt.client(['call', pods.dual.ip, '8080', `/call/${outsideIp()}/7000`])).toContain('echo port=7000');
      expect((await pods.dual.events('app', 'call')).at(-1)).toEqual({
        dst: `${outsideIp()}:7000`,
        via: '127.0.0.1:4140',
      });
      const forwarded = (await pods.dual.events(SIDECAR, 'conn')).filter((c) => c.listener === 'out');
      console.log(
        `[runtime] dual: the app's env ${env.match(/^(?:HTTPS?_PROXY|NO_PROXY)=.*$/gm)!.join(' ')}; its call ` +
          `${JSON.stringify((await pods.dual.events('app', 'call')).at(-1))}; the proxy's out-port saw ` +
          forwarded.map((c) => `${c.method} ${c.orig}`).join(', '),
      );
      expect(forwarded.map((c) => `${c.port} ${c.orig} ${c.mode} ${c.method}`)).toContain(
        `4140 ${outsideIp()}:7000 forward GET`,
      );
      // The same call without those variables goes direct, and the proxy sees nothing more.
      const before = (await pods.dual.events(SIDECAR, 'conn')).length;
      const unset = ['-u', 'HTTP_PROXY', '-u', 'http_proxy', '-u', 'HTTPS_PROXY', '-u', 'https_proxy'];
      const direct = await pods.dual.exec('app', [
        'env',
        ...unset,
        'python3',
        '/standin/standin.py',
        'call',
        outsideIp(),
        '7000',
      ]);
      expect(direct).toContain(`via=direct`);
      expect((await pods.dual.events(SIDECAR, 'conn')).length).toBe(before);
    });

    it("inbound traffic sent to the Service's new targetPort reaches the app through the proxy", async () => {
      expect(dualTargetPort).toBe(4143);
      expect(await rt.client(['call', pods.dual.ip, String(dualTargetPort)])).toContain('app port=8080');
      const reversed = (await pods.dual.events(SIDECAR, 'conn')).filter((c) => c.listener === 'in');
      console.log(
        `[runtime] dual: the Service's targetPort ${dualTargetPort}; the proxy's in-port relayed ` +
          reversed.map((c) => `${c.peer} -> ${c.orig}`).join(', ') +
          `; the app saw the request from ${await lastPeer(pods.dual, 8080)}`,
      );
      expect(reversed.map((c) => `${c.port} ${c.orig} ${c.mode}`)).toContain('4143 localhost:8080 reverse');
      // The app sees the proxy's relay over loopback, not the client.
      expect(await lastPeer(pods.dual, 8080)).toBe('127.0.0.1');
    });

    it('the proxy runs as the profile renders it: uid 2102, no capability, no privilege escalation', async () => {
      const status = await pods.dual.procStatus(SIDECAR);
      expect(status.Uid.split(/\s+/)[0]).toBe('2102');
      expect(BigInt(`0x${status.CapEff}`)).toBe(0n);
      expect(status.NoNewPrivs).toBe('1');
    });

    it('a proxy binary with a NET_RAW file capability cannot start under it: exec refused', async () => {
      const proxy = (await pods.capped.states()).get(SIDECAR)!;
      const logs = await pods.capped.logs(SIDECAR);
      console.log(`[runtime] cap_net_raw+ep proxy under drop: [ALL]: exit ${proxy.exitCode}, ${logs.trim()}`);
      expect([proxy.status, proxy.exitCode]).toEqual(['exited', 126]);
      expect(logs).toMatch(/Operation not permitted/);
    });
  });

  describe('removal', () => {
    it('inject, remove, run: 1/1, traffic direct, the rules gone', async () => {
      expect(podSpec(pods.removed.played).containers.map((c) => c.name)).toEqual(['app']);
      expect(await pods.removed.ready()).toBe('1/1');
      const s = await pods.removed.states();
      expect([...s.keys()]).toEqual(['migrate', 'app']);
      expect(await pods.removed.natRules()).not.toContain('SPEEDSCALE');
      expect(await rt.client(['call', pods.removed.ip, '8080'])).toContain('app port=8080');
      expect(await lastPeer(pods.removed, 8080)).not.toBe(pods.removed.ip);
      expect(await pods.removed.call('app', outsideIp(), 7000)).toContain(`peer=${pods.removed.ip}:`);
    });
  });
});
