/**
 * An injected manifest edited by hand between runs, as it lives in a GitOps repository: what the record names
 * must still be told apart from what the author added since.
 */
import { describe, expect, it } from 'vitest';
import { asItem, itemsOf, resourceList, resultsOf, run } from '../support/helpers';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    sidecar.speedscale.com/inject: "true"
    sidecar.speedscale.com/tls-out: "true"
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: web:1
          env:
            - name: A
              value: "1"
`;

const list = (item: string, functionConfig = '') =>
  `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item}${functionConfig}`;
const UNINSTALL =
  'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {uninstall: "true"}\n';

describe('an injected manifest edited by hand', () => {
  const injected = itemsOf(run(resourceList([DEPLOYMENT])).stdout)[0];

  it("an env var of the injection's name added beside it: neither is removed, and the run says why", () => {
    expect(injected).toMatch(/- name: SSL_CERT_FILE\n *value: \/etc\/ssl\/speedscale\/tls\.crt\n/);
    // Added above the injection's, where removal by name would find the author's first.
    const edited = injected.replace(/^( *)- name: A\n/m, '$1- name: SSL_CERT_FILE\n$1  value: /etc/mine/ca.crt\n$&');
    expect(edited).toContain('value: /etc/mine/ca.crt');
    for (const input of [edited, edited.replace('inject: "true"', 'inject: "false"')]) {
      for (const config of ['', UNINSTALL]) {
        const out = run(list(input, config));
        expect(out.exitCode).toBe(1);
        expect(itemsOf(out.stdout)[0]).toBe(input);
        const [result] = resultsOf(out.stdout);
        expect(result).toMatchObject({ severity: 'error', tags: { reason: 'bad-record' } });
        expect(result.message).toMatch(/env\[name=SSL_CERT_FILE\] stands twice/);
      }
    }
    // The one added by hand taken out again: removal is exact.
    const off = injected.replace('inject: "true"', 'inject: "false"');
    expect(itemsOf(run(list(off)).stdout)[0]).toBe(asItem(DEPLOYMENT).replace('inject: "true"', 'inject: "false"'));
  });

  it('the record deleted by hand: asked to remove, the sidecar left is said, never "not injected"', () => {
    const stripped = injected.replace(/^ *sidecar\.speedscale\.com\/injection: .*\n/m, '');
    expect(stripped).not.toContain('sidecar.speedscale.com/injection');
    for (const [input, config] of [
      [stripped, UNINSTALL],
      [stripped.replace('inject: "true"', 'inject: "false"'), ''],
    ]) {
      const out = run(list(input, config));
      expect(out.exitCode).toBe(1);
      expect(itemsOf(out.stdout)[0]).toBe(input);
      const [result] = resultsOf(out.stdout);
      expect(result).toMatchObject({ severity: 'error', tags: { reason: 'unrecorded-sidecar' } });
      expect(result.message).toMatch(
        /^not removed: container speedscale-goproxy is in the pod, but no injection record/,
      );
    }
  });

  it("what the author added after the injection's list items stays after them, run after run", () => {
    // An env var that reads one of the injection's (`$(VAR)` reads only earlier ones), and an init container
    // that must run after the capture's, both written below the injection's own.
    const env = /^( *)- name: SPEEDSCALE_JAVA_OPTS\n(?:\1 .*\n)*/m.exec(injected)!;
    const init = /^( *)- name: speedscale-initproxy-smartdns\n(?:\1 .*\n)*/m.exec(injected)!;
    expect(env.index).toBeLessThan(init.index);
    const own = (pad: string, text: string) => text.replace(/^/gm, pad).replace(/ +$/, '');
    const edited =
      injected.slice(0, env.index + env[0].length) +
      own(env[1], '- name: CURL_CA_BUNDLE\n  value: $(SSL_CERT_FILE)\n') +
      injected.slice(env.index + env[0].length, init.index + init[0].length) +
      own(init[1], '- name: warm-cache\n  image: busybox:1\n') +
      injected.slice(init.index + init[0].length);
    const order = (text: string) => [...text.matchAll(/- name: (\S+)/g)].map((m) => m[1]).join(' ');
    const kept = order(edited);
    expect(kept).toMatch(
      / SPEEDSCALE_JAVA_OPTS CURL_CA_BUNDLE .* speedscale-initproxy-smartdns( [A-Z_]+)* warm-cache /,
    );

    // Run again as it is: nothing to do.
    const again = run(list(edited));
    expect(itemsOf(again.stdout)[0]).toBe(edited);
    expect(resultsOf(again.stdout)).toEqual([]);

    // A setting changed: the injection is made anew, each of its items where it stood.
    const limited = edited.replace(
      /^( *)sidecar\.speedscale\.com\/tls-out: "true"\n/m,
      '$&$1sidecar.speedscale.com/cpu-limit: 500m\n',
    );
    const updated = run(list(limited));
    expect(resultsOf(updated.stdout)[0]).toMatchObject({ tags: { reason: 'updated' } });
    const [out] = itemsOf(updated.stdout);
    expect(out).toMatch(/^ *limits:\n *cpu: 500m\n/m);
    expect(order(out)).toBe(kept);

    // Removed: exactly what the author wrote, their additions where they put them.
    const off = run(list(out.replace('inject: "true"', 'inject: "false"')));
    const removed = itemsOf(off.stdout)[0];
    expect(order(removed)).toBe('app A CURL_CA_BUNDLE warm-cache');
    expect(removed).not.toMatch(/speedscale-|- name: SSL_CERT_FILE|operator\.speedscale/);
  });

  it('a workload never injected: uninstall has nothing to say', () => {
    const out = run(list(asItem(DEPLOYMENT), UNINSTALL));
    expect(out.exitCode).toBe(0);
    expect(resultsOf(out.stdout)).toEqual([]);
  });
});
