/**
 * Runtime safety of the shipped bundle: it runs with no network and a read-only filesystem, makes no
 * network call and writes no file (strace), and what it injects asks for the least privilege: the
 * iptables init containers add only NET_ADMIN and NET_RAW and drop ALL, the non-root sidecar adds at most
 * NET_RAW (and drops ALL too with proxySecurityContext: hardened, which costs it NET_RAW: test/integration/runtime).
 * The sandbox cases need root (unshare) or strace; without them they skip and say why. Those tools make this
 * file part of the integration project (vitest.config.mts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { BUNDLE, itemsOf, ROOT, run } from '../support/helpers';
import { unavailable } from './_tools';

const INPUT = join(ROOT, 'fixtures/inject-deployment/input.yaml');
const EXPECTED = readFileSync(join(ROOT, 'fixtures/inject-deployment/expected.yaml'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'runtime-safety-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sh = (script: string) => spawnSync('sh', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
const has = (tool: string) => sh(`command -v ${tool}`).status === 0;
const isRoot = process.getuid?.() === 0;
/** A private mount and network namespace works here (root, and not forbidden by a container runtime). */
const canUnshare = isRoot && has('unshare') && sh('unshare -n -m true').status === 0;
const canStrace = has('strace') && sh('strace -qq -e trace=none true').status === 0;
unavailable('the bundle in a sandbox', [
  !canUnshare && 'needs root and unshare -n -m',
  !canStrace && 'strace is unavailable',
]);

describe('[integration: unshare, strace] the bundle in a sandbox', () => {
  it.skipIf(!canUnshare)(
    `runs with no network and a read-only filesystem${canUnshare ? '' : ' (skipped: needs root and unshare -n -m)'}`,
    () => {
      // A new network namespace (only a downed loopback) and a private mount namespace in which every mount is
      // remounted read-only; the probe write proves the filesystem really is read-only in there.
      const probe = join(scratch, 'probe');
      const result = sh(
        `unshare -n -m sh -c 'awk "{print \\$2}" /proc/mounts | while read m; do mount -o remount,bind,ro "$m" 2>/dev/null; done
       if touch "${probe}" 2>/dev/null; then echo "filesystem still writable" >&2; exit 99; fi
       if getent ahosts example.com >/dev/null 2>&1; then echo "network reachable" >&2; exit 98; fi
       exec "${process.execPath}" "${BUNDLE}" < "${INPUT}"'`,
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(EXPECTED);
      // The namespace was private: the host filesystem is still writable.
      expect(sh(`touch "${probe}"`).status).toBe(0);
    },
  );

  it.skipIf(!canStrace)(
    `makes no network call and writes no file${canStrace ? '' : ' (skipped: strace unavailable)'}`,
    () => {
      const trace = join(scratch, 'trace');
      const calls =
        'socket,connect,bind,sendto,sendmsg,open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,' +
        'unlink,unlinkat,truncate,symlink,symlinkat,link,linkat,chmod,fchmodat';
      const result = sh(`strace -f -qq -e trace=${calls} -o "${trace}" "${process.execPath}" "${BUNDLE}" < "${INPUT}"`);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(EXPECTED);
      const lines = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0); // the trace works: node opens its own files
      const network = lines.filter((l) => /\b(socket|connect|bind|sendto|sendmsg)\(/.test(l));
      const writes = lines.filter(
        (l) =>
          /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|\b(creat|mkdir|mkdirat|rename\w*|unlink\w*|truncate|symlink\w*|link\w*|chmod|fchmodat)\(/.test(
            l,
          ) && !l.includes('= -1 '),
      );
      expect(network).toEqual([]);
      expect(writes).toEqual([]);
    },
  );
});

describe('least privilege in what it injects', () => {
  const configs = [
    ['defaults', ''],
    [
      'native sidecar',
      'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: f}\n  data: {nativeSidecar: "true"}\n',
    ],
    [
      'explicit iptables, smart DNS',
      'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: f}\n  data: {redirect: iptables, hostResolution: smart}\n',
    ],
    [
      'hardened proxy',
      'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: f}\n  data: {proxySecurityContext: hardened}\n',
    ],
  ];

  it.each(configs)('%s: init containers add only NET_ADMIN and NET_RAW, the sidecar at most NET_RAW', (name, fc) => {
    const input = readFileSync(INPUT, 'utf8').replace(/^functionConfig:[\s\S]*?(?=^\S|(?![\s\S]))/m, '') + fc;
    const out = run(input);
    expect(out.exitCode).toBe(0);
    const workloads = itemsOf(out.stdout)
      .map((item) => parseDocument(item).toJS()[0])
      .filter((doc) => doc?.metadata?.labels?.['sidecar.speedscale.com/injected'] === 'true');
    expect(workloads.length).toBeGreaterThan(0);
    for (const doc of workloads) {
      const spec = doc.kind === 'Pod' ? doc.spec : doc.spec.template.spec;
      const all = [...(spec.initContainers ?? []), ...spec.containers];
      const ours = all.filter((c: { name: string }) => c.name.startsWith('speedscale-'));
      const proxy = ours.find((c: { name: string }) => c.name === 'speedscale-goproxy');
      expect(proxy, 'the sidecar is there').toBeDefined();
      for (const c of ours) {
        const sc = c.securityContext ?? {};
        expect(sc.privileged ?? false, `${c.name} is not privileged`).toBe(false);
        // The operator's proxy context keeps escalation (file capabilities) and the default capability set.
        if (c !== proxy || name === 'hardened proxy') {
          expect(sc.capabilities?.drop, `${c.name} drops ALL`).toEqual(['ALL']);
          expect(sc.allowPrivilegeEscalation, `${c.name} cannot escalate`).toBe(false);
        }
        if (c === proxy) {
          for (const cap of sc.capabilities?.add ?? []) expect(['NET_RAW']).toContain(cap);
          expect(sc.runAsNonRoot).toBe(true);
        } else {
          for (const cap of sc.capabilities?.add ?? []) expect(['NET_ADMIN', 'NET_RAW']).toContain(cap);
        }
      }
      const iptables = ours.find((c: { name: string }) => c.name === 'speedscale-initproxy-iptables');
      if (iptables) expect([...iptables.securityContext.capabilities.add].sort()).toEqual(['NET_ADMIN', 'NET_RAW']);
    }
  });
});
