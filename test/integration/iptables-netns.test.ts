/**
 * The proof for `redirect: iptables`: the rendered script runs in a real network namespace and real TCP
 * connections show where they land. Two namespaces joined by a veth pair, test-only addresses
 * (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32) and no default route, so no traffic can leave them:
 *   "host": the client side and the node; servers on 7000/7001 answer "host:<port>".
 *   "pod":  the app (8080, 9090) answers "app:<port>"; a stand-in proxy running as uid 2102 on 4143/4140
 *           (and 9102, its metrics port) answers "proxy:<port>". A REDIRECT-ed connection arrives on the proxy's port, so the marker says
 *           which rule caught it.
 * Needs root, `ip netns`, iptables and setpriv; skipped with the reason printed otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { normalize } from '../../fn/config/normalize';
import { redirectRules } from '../../fn/render/init-containers';
import { renderIptablesScript, type RedirectRules } from '../../fn/render/iptables-script';
import { run as runFunction } from '../../fn/krm/run';
import { unavailable } from './_tools';

const suffix = randomBytes(3).toString('hex');
const HOST = `ssc-host-${suffix}`;
const POD = `ssc-pod-${suffix}`;
const APP_UID = 1000;
const PROXY_UID = 2102;
const PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

const run = (cmd: string, args: string[], env?: Record<string, string>) =>
  spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000, env: env ?? { ...process.env, PATH } });
const must = (cmd: string, args: string[]) => {
  const result = run(cmd, args);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return result.stdout;
};

/** Why this machine cannot run the suite, or undefined; decided at collection time so that skips are visible. */
function probeMachine(): { skip?: string; skipIpv6?: string } {
  if (process.platform !== 'linux') return { skip: 'network namespaces need Linux' };
  if (process.getuid?.() !== 0) return { skip: 'network namespaces and iptables need root' };
  for (const tool of ['ip', 'iptables', 'iptables-save', 'setpriv']) {
    if (run('sh', ['-c', `command -v ${tool}`]).status !== 0) return { skip: `${tool} is not installed` };
  }
  const ns = `ssc-probe-${suffix}`;
  const add = run('ip', ['netns', 'add', ns]);
  if (add.status !== 0) return { skip: `cannot create a network namespace: ${add.stderr.trim()}` };
  try {
    const nat4 = run('ip', ['netns', 'exec', ns, 'iptables', '-w', '-t', 'nat', '-S']);
    if (nat4.status !== 0) return { skip: `iptables has no nat table here: ${nat4.stderr.trim()}` };
    const nat6 = run('ip', ['netns', 'exec', ns, 'ip6tables', '-w', '-t', 'nat', '-S']);
    return nat6.status === 0
      ? {}
      : { skipIpv6: `ip6tables nat is unavailable: ${(nat6.stderr || String(nat6.error)).trim()}` };
  } finally {
    run('ip', ['netns', 'del', ns]);
  }
}
const machine = probeMachine();
unavailable('iptables netns proof', [machine.skip]);
if (machine.skipIpv6) console.warn(`SKIPPED the IPv6 part of the iptables netns proof: ${machine.skipIpv6}`);

// Small programs run inside the namespaces (CommonJS files, independent of this package's module type).
const SERVER = `const net = require('node:net');
const [marker, ...ports] = process.argv.slice(2);
let waiting = ports.length;
for (const port of ports) {
  net.createServer((s) => { s.on('error', () => {}); s.end(marker + ':' + s.localPort + '\\n'); })
    .listen({ port: Number(port), host: '::', ipv6Only: false }, () => { if (--waiting === 0) console.log('ready'); });
}`;
const PROBE = `const net = require('node:net');
const connect = ({ host, port, from }) => new Promise((resolve) => {
  const s = net.connect({ host, port, localAddress: from, timeout: 2000 });
  let reply = '';
  s.setEncoding('utf8');
  s.on('data', (d) => { reply += d; });
  s.on('end', () => resolve(reply.trim()));
  s.on('timeout', () => { s.destroy(); resolve('ERR:timeout'); });
  s.on('error', (e) => resolve('ERR:' + e.code));
});
Promise.all(JSON.parse(process.argv[2]).map(connect)).then((replies) => console.log(JSON.stringify(replies)));`;

/** Names the script resolves (ignore-*-hosts), served by the pod's own /etc/hosts so no DNS query is made. */
const HOSTS = `127.0.0.1 localhost
::1 localhost
192.0.2.7 node-b.test
2001:db8::7 node-b.test
192.0.2.8 svc-b.test
2001:db8::8 svc-b.test
192.0.2.8 v4only.test
192.0.2.8 1234
`;

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
/** The ignored ports tested (9090, 7001) sort into the second multiport group, proving the split works. */
const MAIN: RedirectRules = {
  ...redirectRules(normalize()),
  ignoreInboundPorts: [9090, ...range(1000, 20)],
  ignoreOutboundPorts: [7001, ...range(2000, 20)],
  ignoreSrcCidrs: ['198.51.100.0/24', '2001:db8:1::/64'],
  ignoreDstCidrs: ['198.51.100.0/24', '2001:db8:1::/64'],
  ignoreSrcHosts: ['node-b.test'],
  ignoreDstHosts: ['svc-b.test', 'v4only.test'],
};

const state = { dir: '', children: [] as ChildProcess[], output: '' };

function startServer(ns: string, uid: number | undefined, marker: string, ports: number[]): Promise<void> {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns,
      ...asUser(uid),
      process.execPath,
      join(state.dir, 'server.cjs'),
      marker,
      ...ports.map(String),
    ],
    {
      detached: true, // own process group, killed by id in cleanup()
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  state.children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${marker} server did not start`)), 10_000);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d) => {
      if (String(d).includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${marker} server exited (${code}): ${stderr}`));
    });
  });
}

const asUser = (uid: number | undefined) =>
  uid === undefined ? [] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];

type Probe = [what: string, target: { host: string; port: number; from?: string }, expected: string];

/** Connects from `ns` as `uid` (root when undefined) to every target in one process; compares by description. */
function expectReplies(ns: string, uid: number | undefined, probes: Probe[]) {
  const out = must('ip', [
    'netns',
    'exec',
    ns,
    ...asUser(uid),
    process.execPath,
    join(state.dir, 'probe.cjs'),
    JSON.stringify(probes.map((p) => p[1])),
  ]);
  const replies = JSON.parse(out) as string[];
  expect(Object.fromEntries(probes.map((p, i) => [p[0], replies[i]]))).toEqual(
    Object.fromEntries(probes.map((p) => [p[0], p[2]])),
  );
}

/** Runs the rendered script in the pod namespace like the init container does: `/bin/sh -c <script>`. */
function applyRules(rules: RedirectRules, statusHostIp: string) {
  const result = run('ip', ['netns', 'exec', POD, '/bin/sh', '-c', renderIptablesScript(rules)], {
    PATH,
    STATUS_HOST_IP: statusHostIp,
  });
  state.output = result.stdout + result.stderr;
  if (result.status !== 0) throw new Error(`script failed (${result.status}):\n${state.output}`);
  expect(result.stderr).not.toMatch(/exists/i);
}

/** iptables-save without timestamps and packet counters, which change with every probe. */
const natTable = (save: 'iptables-save' | 'ip6tables-save') =>
  must('ip', ['netns', 'exec', POD, save, '-t', 'nat'])
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[]'))
    .join('\n');

async function setup() {
  state.dir = mkdtempSync(join(tmpdir(), 'ssc-netns-'));
  chmodSync(state.dir, 0o755); // the app and proxy users must read the helper programs
  writeFileSync(join(state.dir, 'server.cjs'), SERVER, { mode: 0o644 });
  writeFileSync(join(state.dir, 'probe.cjs'), PROBE, { mode: 0o644 });
  mkdirSync(`/etc/netns/${POD}`, { recursive: true });
  writeFileSync(`/etc/netns/${POD}/hosts`, HOSTS);
  writeFileSync(`/etc/netns/${POD}/resolv.conf`, 'nameserver 127.0.0.1\n'); // unknown names fail inside the pod

  const [vh, vp] = [`vh${suffix}`, `vp${suffix}`];
  must('ip', ['netns', 'add', HOST]);
  must('ip', ['netns', 'add', POD]);
  must('ip', ['link', 'add', vh, 'type', 'veth', 'peer', 'name', vp]);
  must('ip', ['link', 'set', vh, 'netns', HOST]);
  must('ip', ['link', 'set', vp, 'netns', POD]);
  const addresses: [string, string, string[]][] = [
    // 192.0.2.9 plays the node (STATUS_HOST_IP), .7/.8 the hosts behind node-b.test/svc-b.test.
    [
      HOST,
      vh,
      [
        '192.0.2.1/24',
        '192.0.2.7/24',
        '192.0.2.8/24',
        '192.0.2.9/24',
        '198.51.100.1/24',
        '2001:db8::1/64',
        '2001:db8::7/64',
        '2001:db8::8/64',
        '2001:db8::9/64',
        '2001:db8:1::1/64',
      ],
    ],
    [POD, vp, ['192.0.2.2/24', '198.51.100.2/24', '2001:db8::2/64', '2001:db8:1::2/64']],
  ];
  for (const [ns, dev, cidrs] of addresses) {
    must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    // nodad: IPv6 addresses are usable at once instead of after duplicate address detection.
    for (const cidr of cidrs)
      must('ip', ['-n', ns, 'addr', 'add', cidr, 'dev', dev, ...(cidr.includes(':') ? ['nodad'] : [])]);
    must('ip', ['-n', ns, 'link', 'set', dev, 'up']);
  }
  await Promise.all([
    startServer(POD, APP_UID, 'app', [8080, 9090]),
    startServer(POD, PROXY_UID, 'proxy', [4143, 4140, 9102]),
    startServer(HOST, undefined, 'host', [7000, 7001]),
  ]);
  // Without rules every connection reaches its real destination (also waits for the veth link).
  for (let i = 0; ; i++) {
    try {
      expectReplies(HOST, undefined, [['app before any rule', { host: '192.0.2.2', port: 8080 }, 'app:8080']]);
      break;
    } catch (error) {
      if (i === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function cleanup() {
  for (const child of state.children) {
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const ns of [HOST, POD]) run('ip', ['netns', 'del', ns]);
  run('ip', ['link', 'del', `vh${suffix}`]); // only left in the root namespace if setup failed half-way
  rmSync(`/etc/netns/${POD}`, { recursive: true, force: true });
  if (state.dir) rmSync(state.dir, { recursive: true, force: true });
}

describe.skipIf(machine.skip !== undefined)('iptables script in network namespaces', () => {
  beforeAll(setup, 30_000);
  afterAll(cleanup);

  it('iptables reads a host name made of numbers as an address, never the host: why the settings refuse one', () => {
    // 1234 names 192.0.2.8 in the pod's hosts file; iptables matches 0.0.4.210 all the same (rules.ts hostRule).
    const iptables = (...args: string[]) => must('ip', ['netns', 'exec', POD, 'iptables', '-w', ...args]);
    iptables('-N', 'SSC_NUMERIC');
    try {
      for (const host of ['1234', '10.1', 'svc-b.test']) iptables('-A', 'SSC_NUMERIC', '-d', host, '-j', 'RETURN');
      expect(iptables('-S', 'SSC_NUMERIC').match(/-d \S+/g)).toEqual([
        '-d 0.0.4.210/32',
        '-d 10.1.0.0/32',
        '-d 192.0.2.8/32',
      ]);
    } finally {
      iptables('-F', 'SSC_NUMERIC');
      iptables('-X', 'SSC_NUMERIC');
    }
  });

  describe('IPv4, ignore lists, default loopback, node traffic bypasses', () => {
    beforeAll(() => applyRules(MAIN, '192.0.2.9'));

    it('redirects inbound to the in-port except ignored ports, sources and the node', () => {
      expectReplies(HOST, undefined, [
        ['app port', { host: '192.0.2.2', port: 8080, from: '192.0.2.1' }, 'proxy:4143'],
        [
          'ignored inbound port (2nd multiport group)',
          { host: '192.0.2.2', port: 9090, from: '192.0.2.1' },
          'app:9090',
        ],
        ['the out-port itself', { host: '192.0.2.2', port: 4140, from: '192.0.2.1' }, 'proxy:4140'],
        ['ignored source CIDR', { host: '198.51.100.2', port: 8080, from: '198.51.100.1' }, 'app:8080'],
        ['ignored source host', { host: '192.0.2.2', port: 8080, from: '192.0.2.7' }, 'app:8080'],
        ['node (STATUS_HOST_IP)', { host: '192.0.2.2', port: 8080, from: '192.0.2.9' }, 'app:8080'],
      ]);
    });

    it("redirects the app's outbound to the out-port except ignored ports, CIDRs, hosts and loopback", () => {
      expectReplies(POD, APP_UID, [
        ['remote server', { host: '192.0.2.1', port: 7000 }, 'proxy:4140'],
        ['ignored outbound port (2nd multiport group)', { host: '192.0.2.1', port: 7001 }, 'host:7001'],
        ['ignored destination CIDR', { host: '198.51.100.1', port: 7000 }, 'host:7000'],
        ['ignored destination host', { host: '192.0.2.8', port: 7000 }, 'host:7000'],
        ['localhost', { host: '127.0.0.1', port: 8080 }, 'app:8080'],
        ['own pod IP (routed via lo)', { host: '192.0.2.2', port: 9090 }, 'app:9090'],
      ]);
    });

    it("never redirects the proxy's own traffic (uid 2102), so it cannot loop", () => {
      expectReplies(POD, PROXY_UID, [
        ['upstream', { host: '192.0.2.1', port: 7000 }, 'host:7000'],
        ['app via localhost', { host: '127.0.0.1', port: 8080 }, 'app:8080'],
      ]);
    });

    it('prints the rules it installed', () => {
      expect(state.output).toContain(
        '-A SPEEDSCALE_INBOUND -p tcp -m comment --comment "speedscale/redirect-inbound" -j REDIRECT --to-ports 4143',
      );
      expect(state.output).toContain(
        '-A SPEEDSCALE_OUTPUT -m owner --uid-owner 2102 -m comment --comment "speedscale/proxy-uid" -j RETURN',
      );
    });

    it('runs a second time without errors or duplicate rules, and everything still works', () => {
      const before = natTable('iptables-save');
      applyRules(MAIN, '192.0.2.9');
      expect(natTable('iptables-save')).toBe(before);
      expect(before.split('\n').filter((l) => l.endsWith('-j SPEEDSCALE_INBOUND'))).toHaveLength(1);
      expect(before.split('\n').filter((l) => l.endsWith('-j SPEEDSCALE_OUTPUT'))).toHaveLength(1);
      expectReplies(HOST, undefined, [
        ['app port', { host: '192.0.2.2', port: 8080, from: '192.0.2.1' }, 'proxy:4143'],
      ]);
      expectReplies(POD, APP_UID, [['remote server', { host: '192.0.2.1', port: 7000 }, 'proxy:4140']]);
      expectReplies(POD, PROXY_UID, [['upstream', { host: '192.0.2.1', port: 7000 }, 'host:7000']]);
    });
  });

  describe('IPv4 loopback options', () => {
    it('trackLoopback: outbound on lo goes to the in-port, everything else to the out-port', () => {
      applyRules({ ...MAIN, trackLoopback: true }, '192.0.2.9');
      expectReplies(POD, APP_UID, [
        ['localhost app port', { host: '127.0.0.1', port: 8080 }, 'proxy:4143'],
        ['localhost ignored inbound port', { host: '127.0.0.1', port: 9090 }, 'app:9090'],
        ['localhost out-port (explicit proxy use)', { host: '127.0.0.1', port: 4140 }, 'proxy:4140'],
        ['remote server', { host: '192.0.2.1', port: 7000 }, 'proxy:4140'],
      ]);
      // kubectl port-forward: the container runtime connects to localhost inside the pod namespace as root.
      expectReplies(POD, undefined, [['port-forward', { host: '127.0.0.1', port: 8080 }, 'proxy:4143']]);
      expectReplies(POD, PROXY_UID, [['proxy to the app', { host: '127.0.0.1', port: 8080 }, 'app:8080']]);
    });

    it('ignoreLoopback: nothing on lo is redirected, other traffic still is', () => {
      applyRules({ ...MAIN, ignoreLoopback: true, trackLoopback: true }, '192.0.2.9');
      expectReplies(POD, APP_UID, [
        ['localhost', { host: '127.0.0.1', port: 8080 }, 'app:8080'],
        ['remote server', { host: '192.0.2.1', port: 7000 }, 'proxy:4140'],
      ]);
      expectReplies(POD, undefined, [['port-forward', { host: '127.0.0.1', port: 8080 }, 'app:8080']]);
      expectReplies(HOST, undefined, [
        ['app port', { host: '192.0.2.2', port: 8080, from: '192.0.2.1' }, 'proxy:4143'],
      ]);
    });
  });

  describe('IPv4 node traffic and wildcards', () => {
    it('captureNodeTraffic sends node traffic through the proxy', () => {
      applyRules({ ...MAIN, captureNodeTraffic: true }, '192.0.2.9');
      expectReplies(HOST, undefined, [['node', { host: '192.0.2.2', port: 8080, from: '192.0.2.9' }, 'proxy:4143']]);
    });

    it('without STATUS_HOST_IP node traffic is redirected like any other, with a message', () => {
      applyRules(MAIN, '');
      expect(state.output).toContain('STATUS_HOST_IP is empty');
      expectReplies(HOST, undefined, [['node', { host: '192.0.2.2', port: 8080, from: '192.0.2.9' }, 'proxy:4143']]);
    });

    it("'*' in ignore-src-ips / ignore-dst-ips skips a whole direction", () => {
      applyRules({ ...MAIN, ignoreAllSrc: true, ignoreAllDst: true }, '192.0.2.9');
      expectReplies(HOST, undefined, [['app port', { host: '192.0.2.2', port: 8080, from: '192.0.2.1' }, 'app:8080']]);
      expectReplies(POD, APP_UID, [['remote server', { host: '192.0.2.1', port: 7000 }, 'host:7000']]);
    });
  });

  describe('the script exactly as the function injects it', () => {
    it('comes from a workload annotated redirect: iptables and redirects as its annotations say', () => {
      const out = runFunction(`apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    annotations:
      sidecar.speedscale.com/inject: "true"
      sidecar.speedscale.com/redirect: iptables
      sidecar.speedscale.com/ignore-inbound-ports: "9090"
      sidecar.speedscale.com/ignore-outbound-ports: "7001"
      sidecar.speedscale.com/ignore-dst-ips: 198.51.100.0/24
      sidecar.speedscale.com/prometheus-port: "9102"
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers:
        - name: web
          image: web:1
          ports: [{containerPort: 8080}]
`);
      expect(out.exitCode).toBe(0);
      const deployment = parse(out.stdout).items[0];
      const init = deployment.spec.template.spec.initContainers.find(
        (c: { name: string }) => c.name === 'speedscale-initproxy-iptables',
      );
      expect(init.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
      const result = run('ip', ['netns', 'exec', POD, '/bin/sh', '-c', init.command[2]], {
        PATH,
        STATUS_HOST_IP: '192.0.2.9',
      });
      expect(result.status, result.stderr).toBe(0);
      expectReplies(HOST, undefined, [
        ['app port', { host: '192.0.2.2', port: 8080, from: '192.0.2.1' }, 'proxy:4143'],
        ['ignored inbound port', { host: '192.0.2.2', port: 9090, from: '192.0.2.1' }, 'app:9090'],
        // A Prometheus scrape reaches the proxy's metrics port itself, not the in-port (the app's traffic).
        ["the proxy's metrics port", { host: '192.0.2.2', port: 9102, from: '192.0.2.1' }, 'proxy:9102'],
      ]);
      expectReplies(POD, APP_UID, [
        ['remote server', { host: '192.0.2.1', port: 7000 }, 'proxy:4140'],
        ['ignored outbound port', { host: '192.0.2.1', port: 7001 }, 'host:7001'],
        ['ignored destination CIDR', { host: '198.51.100.1', port: 7000 }, 'host:7000'],
      ]);
      expectReplies(POD, PROXY_UID, [['upstream', { host: '192.0.2.1', port: 7000 }, 'host:7000']]);
    });
  });

  if (machine.skipIpv6) it.skip(`IPv6 part skipped: ${machine.skipIpv6}`, () => undefined);
  describe.skipIf(machine.skipIpv6 !== undefined)('IPv6 (ip6tables)', () => {
    beforeAll(() => applyRules(MAIN, '2001:db8::9'));

    it('installs the IPv6 rules and warns about a name without an IPv6 address', () => {
      expect(state.output).toContain('installed IPv6 rules:');
      expect(state.output).toContain(
        '-A SPEEDSCALE_INBOUND -s 2001:db8:1::/64 -m comment --comment "speedscale/ignore-src-ips" -j RETURN',
      );
      expect(state.output).toContain('warning: could not resolve v4only.test for IPv6');
    });

    it('redirects inbound to the in-port except ignored ports, sources and the node', () => {
      expectReplies(HOST, undefined, [
        ['app port', { host: '2001:db8::2', port: 8080, from: '2001:db8::1' }, 'proxy:4143'],
        ['ignored inbound port', { host: '2001:db8::2', port: 9090, from: '2001:db8::1' }, 'app:9090'],
        ['ignored source CIDR', { host: '2001:db8:1::2', port: 8080, from: '2001:db8:1::1' }, 'app:8080'],
        ['ignored source host', { host: '2001:db8::2', port: 8080, from: '2001:db8::7' }, 'app:8080'],
        ['node (STATUS_HOST_IP)', { host: '2001:db8::2', port: 8080, from: '2001:db8::9' }, 'app:8080'],
      ]);
    });

    it("redirects the app's outbound except ignored ports, CIDRs, hosts, loopback and the proxy's uid", () => {
      expectReplies(POD, APP_UID, [
        ['remote server', { host: '2001:db8::1', port: 7000 }, 'proxy:4140'],
        ['ignored outbound port', { host: '2001:db8::1', port: 7001 }, 'host:7001'],
        ['ignored destination CIDR', { host: '2001:db8:1::1', port: 7000 }, 'host:7000'],
        ['ignored destination host', { host: '2001:db8::8', port: 7000 }, 'host:7000'],
        ['localhost', { host: '::1', port: 8080 }, 'app:8080'],
      ]);
      expectReplies(POD, PROXY_UID, [['upstream', { host: '2001:db8::1', port: 7000 }, 'host:7000']]);
    });

    it('runs a second time without duplicate rules; trackLoopback works for ::1', () => {
      const before = natTable('ip6tables-save');
      applyRules(MAIN, '2001:db8::9');
      expect(natTable('ip6tables-save')).toBe(before);
      expect(before.split('\n').filter((l) => l.endsWith('-j SPEEDSCALE_INBOUND'))).toHaveLength(1);
      applyRules({ ...MAIN, trackLoopback: true }, '2001:db8::9');
      expectReplies(POD, APP_UID, [['localhost', { host: '::1', port: 8080 }, 'proxy:4143']]);
    });
  });
});

if (machine.skip) {
  describe('iptables script in network namespaces', () => {
    it.skip(`skipped: ${machine.skip}`, () => undefined);
  });
}
