/**
 * The "done when", as the built bundle runs it: `inject --environment gke-autopilot -f FILE` writes pods
 * that GKE Autopilot's published rules admit (test/support/admission.ts) and the Kubernetes schemas accept, whose
 * app containers send their outbound traffic to the proxy with no hand edits; `--capture ebpf` and back give the
 * bytes back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { AUTOPILOT_RULES, violations } from '../support/admission';
import { asItem, runBundle, validateInjected } from '../support/helpers';

/** An app written for Autopilot (requests equal to limits), a JVM among them, and the Service in front of it. */
const PACKAGE = `# The shop's API, ready for GKE Autopilot.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: eclipse-temurin:21-jre   # a JVM: its JAVA_TOOL_OPTIONS gets the proxy flags
        env:
        - name: JAVA_TOOL_OPTIONS
          value: -XX:MaxRAMPercentage=75
        ports:
        - name: http
          containerPort: 8080
        resources:
          requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 1Gi}
          limits: {cpu: 500m, memory: 1Gi, ephemeral-storage: 1Gi}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
      - name: worker
        image: registry.example.com/shop/worker:4
        ports:
        - containerPort: 9000
        resources:
          requests: {cpu: 250m, memory: 512Mi, ephemeral-storage: 1Gi}
          limits: {cpu: 250m, memory: 512Mi, ephemeral-storage: 1Gi}
`;

const dir = mkdtempSync(join(tmpdir(), 'environments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, 'shop.yaml');
writeFileSync(FILE, PACKAGE);

const docs = (text: string): any[] => parseAllDocuments(text, { version: '1.2' } as never).map((d: any) => d.toJS());

describe('inject --environment gke-autopilot -f FILE (the bundle)', () => {
  const out = runBundle('', ['inject', '--environment', 'gke-autopilot', '--service-target-port', 'proxy', '-f', FILE]);

  it('injects every workload and points the Service at the proxy', () => {
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toMatch(/Deployment\/api in shop: injected: environment gke-autopilot decided proxy-type dual/);
    expect(out.stderr).toMatch(/Service\/api in shop: updated: pointed at the Speedscale proxy: port http/);
    expect(out.stderr).toMatch(/3 resources: 2 injected, 1 updated/);
  });

  it("writes pods Autopilot's published rules admit, and the Kubernetes schemas accept", () => {
    const workloads = docs(out.stdout).filter((d) => d.kind === 'Deployment');
    expect(workloads).toHaveLength(2);
    for (const w of workloads) expect(violations(AUTOPILOT_RULES, w.spec.template.spec), w.metadata.name).toEqual([]);
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${out.stdout
      .split(/^---\n/m)
      .map((doc) => asItem(doc.replace(/^#.*\n/gm, '')))
      .join('')}`;
    expect(validateInjected(list)).toBe(2);
  });

  it("sends the app's outbound traffic to the proxy with no hand edits, and its callers through it", () => {
    const [api, service, worker] = docs(out.stdout);
    const env = Object.fromEntries(api.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      HTTP_PROXY: 'http://127.0.0.1:4140',
      HTTPS_PROXY: 'http://127.0.0.1:4140',
      NO_PROXY: 'localhost,127.0.0.1,::1',
      JAVA_TOOL_OPTIONS:
        '-XX:MaxRAMPercentage=75 -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=4140 -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=4140',
    });
    const proxy = api.spec.template.spec.containers[1];
    expect(proxy.env.find((e: any) => e.name === 'REVERSE_PROXY_PORT').value).toBe('8080');
    expect(service.spec.ports[0].targetPort).toBe(4143);
    const workerProxy = worker.spec.template.spec.containers[1];
    expect(workerProxy.env.find((e: any) => e.name === 'REVERSE_PROXY_PORT').value).toBe('9000');
  });

  it('uninstall gives the file back byte for byte', () => {
    const injected = join(dir, 'injected.yaml');
    writeFileSync(injected, out.stdout);
    expect(runBundle('', ['uninstall', '-f', injected]).stdout).toBe(PACKAGE);
  });
});

describe('--capture ebpf and back (the bundle)', () => {
  it('moves every workload to eBPF capture, and back to the sidecar, and uninstall restores the bytes', () => {
    const sidecar = runBundle('', ['inject', '-f', FILE]);
    const first = join(dir, 'sidecar.yaml');
    writeFileSync(first, sidecar.stdout);
    const moved = runBundle('', ['inject', '--capture', 'ebpf', '-f', first]);
    expect(moved.exitCode).toBe(0);
    expect(moved.stdout).not.toMatch(/speedscale-goproxy|operator\.speedscale\.com\/ignore|inject: "true"/);
    expect(
      docs(moved.stdout).filter((d) => d.metadata.annotations?.['capture.speedscale.com/enabled'] === 'true'),
    ).toHaveLength(2);
    const ebpf = join(dir, 'ebpf.yaml');
    writeFileSync(ebpf, moved.stdout);
    expect(runBundle('', ['inject', '-f', ebpf]).stdout).toBe(sidecar.stdout);
    expect(runBundle('', ['uninstall', '-f', ebpf]).stdout).toBe(PACKAGE);
  });
});
