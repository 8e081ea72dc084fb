/**
 * An injected manifest edited by hand between runs, as it lives in a GitOps repository: what the record names
 * must still be told apart from what the author added since.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument, type YAMLSeq } from 'yaml';
import { asItem, fromItem, itemsOf, resourceList, resultsOf, run } from '../support/helpers';

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
    // An env var that reads one of the injection's (`$(VAR)` reads only earlier ones), and a volume, both
    // written below the injection's own.
    const env = /^( *)- name: SPEEDSCALE_JAVA_OPTS\n(?:\1 .*\n)*/m.exec(injected)!;
    const volume = /^( *)- name: speedscale-ca\n(?:\1 .*\n)*/m.exec(injected.slice(injected.indexOf('volumes:')))!;
    const at = injected.indexOf('volumes:') + volume.index + volume[0].length;
    expect(env.index).toBeLessThan(at);
    const own = (pad: string, text: string) => text.replace(/^/gm, pad).replace(/ +$/, '');
    const edited =
      injected.slice(0, env.index + env[0].length) +
      own(env[1], '- name: CURL_CA_BUNDLE\n  value: $(SSL_CERT_FILE)\n') +
      injected.slice(env.index + env[0].length, at) +
      own(volume[1], '- name: cache\n  emptyDir: {}\n') +
      injected.slice(at);
    const order = (text: string) => [...text.matchAll(/- name: (\S+)/g)].map((m) => m[1]).join(' ');
    const kept = order(edited);
    expect(kept).toMatch(/ SPEEDSCALE_JAVA_OPTS CURL_CA_BUNDLE .* speedscale-ca cache$/);

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
    // Each list in its order (a list the injection creates anew may come after one the author now shares).
    const lists = (text: string) => {
      const data = parseDocument(fromItem(text)).toJS() as { spec: { template: { spec: Record<string, any> } } };
      const pod = data.spec.template.spec;
      return [pod.containers[0].env, pod.volumes].map((items: { name: string }[]) => items.map((i) => i.name));
    };
    expect(lists(out)).toEqual(lists(edited));

    // Removed: exactly what the author wrote, their additions where they put them.
    const off = run(list(out.replace('inject: "true"', 'inject: "false"')));
    const removed = itemsOf(off.stdout)[0];
    expect(order(removed)).toBe('app A CURL_CA_BUNDLE cache');
    expect(removed).not.toMatch(/speedscale-|- name: SSL_CERT_FILE|operator\.speedscale/);
  });

  it("a comment the author wrote above their item, after the injection's, stays above it on an update", () => {
    const env = /^( *)- name: SPEEDSCALE_JAVA_OPTS\n(?:\1 .*\n)*/m.exec(injected)!;
    const at = env.index + env[0].length;
    const pad = env[1];
    const mine = `${pad}# reads the injection's CA\n\n${pad}- name: CURL_CA_BUNDLE\n${pad}  value: $(SSL_CERT_FILE)\n`;
    const edited = injected.slice(0, at) + mine + injected.slice(at);
    expect(itemsOf(run(list(edited)).stdout)[0]).toBe(edited);
    const limited = edited.replace(
      /^( *)sidecar\.speedscale\.com\/tls-out: "true"\n/m,
      '$&$1sidecar.speedscale.com/cpu-limit: 500m\n',
    );
    const [out] = itemsOf(run(list(limited)).stdout);
    expect(out).toMatch(/^ *limits:\n *cpu: 500m\n/m);
    // Where it was written: below the injection's env vars, heading the author's own.
    expect(out).toContain(env[0] + mine);
    expect(itemsOf(run(list(out)).stdout)[0]).toBe(out);
  });

  it('a hand-written record naming a mount with its keys the other way round: the mount keeps its place', () => {
    const mount = /^( *)- name: speedscale-ca\n\1 {2}mountPath: \/etc\/ssl\/speedscale\n(?:\1 .*\n)*/m.exec(injected)!;
    const at = mount.index + mount[0].length;
    const edited = (
      injected.slice(0, at) +
      `${mount[1]}- name: cache\n${mount[1]}  mountPath: /cache\n` +
      injected.slice(at)
    ).replace(
      '{"name":"speedscale-ca","mountPath":"/etc/ssl/speedscale"}',
      '{"mountPath":"/etc/ssl/speedscale","name":"speedscale-ca"}',
    );
    expect(edited).toContain('"mountPath":"/etc/ssl/speedscale","name"');
    const limited = edited.replace(
      /^( *)sidecar\.speedscale\.com\/tls-out: "true"\n/m,
      '$&$1sidecar.speedscale.com/cpu-limit: 500m\n',
    );
    const [out] = itemsOf(run(list(limited)).stdout);
    expect(out).toMatch(/^ *limits:\n *cpu: 500m\n/m);
    expect(out).toContain(`${mount[0]}${mount[1]}- name: cache\n`);
  });

  it("an init container written after the capture's moves up: theirs run after the author's, every run", () => {
    const init = /^( *)- name: speedscale-initproxy-smartdns\n(?:\1 .*\n)*/m.exec(injected)!;
    const at = init.index + init[0].length;
    const edited = `${injected.slice(0, at)}${init[1]}- name: warm-cache\n${init[1]}  image: busybox:1\n${injected.slice(at)}`;
    const inits = (text: string) =>
      [...text.slice(text.indexOf('initContainers:')).matchAll(/^ {8,12}- name: (\S+)$/gm)].map((m) => m[1]);
    expect(inits(edited).slice(0, 3)).toEqual([
      'speedscale-initproxy-iptables',
      'speedscale-initproxy-smartdns',
      'warm-cache',
    ]);
    const once = run(list(edited));
    expect(resultsOf(once.stdout)[0]).toMatchObject({ tags: { reason: 'updated' } });
    const [out] = itemsOf(once.stdout);
    expect(inits(out).slice(0, 3)).toEqual([
      'warm-cache',
      'speedscale-initproxy-iptables',
      'speedscale-initproxy-smartdns',
    ]);
    expect(itemsOf(run(list(out)).stdout)[0]).toBe(out);
  });

  describe("an item the author wrote at any place among the injection's, in each list the injection adds to", () => {
    const POD = ['spec', 'template', 'spec'];
    const APP = [...POD, 'containers', 0];
    // A container added is an app container, which tls-out gives env and a mount: that one goes in a plain workload.
    const plain = DEPLOYMENT.replace(/^ *sidecar\.speedscale\.com\/tls-out: "true"\n/m, '');
    const LISTS = [
      { base: plain, path: [...POD, 'containers'], item: ['name: side', 'image: side:1'] },
      { base: plain, path: [...POD, 'initContainers'], item: ['name: user-init', 'image: init:1'] },
      { base: DEPLOYMENT, path: [...APP, 'env'], item: ['name: USER_VAR', 'value: $(SSL_CERT_FILE)'] },
      { base: DEPLOYMENT, path: [...POD, 'initContainers'], item: ['name: user-init', 'image: init:1'] },
      { base: DEPLOYMENT, path: [...POD, 'volumes'], item: ['name: user-vol', 'emptyDir: {}'] },
      { base: DEPLOYMENT, path: [...APP, 'volumeMounts'], item: ['name: user-vol', 'mountPath: /user'] },
    ];
    const out = (input: string) => fromItem(itemsOf(run(list(asItem(input))).stdout)[0]);
    /** `doc` with `item` written before item `index` of the list at `path` (at its end for its length). */
    const withItem = (doc: string, path: (string | number)[], index: number, item: string[]) => {
      const seq = parseDocument(doc).getIn(path, true) as YAMLSeq<{ range: [number, number, number] }>;
      const first = seq.items[0].range[0];
      const pad = ' '.repeat(first - doc.lastIndexOf('\n', first) - 3);
      const last = seq.items[seq.items.length - 1].range[1];
      const at =
        index < seq.items.length
          ? doc.lastIndexOf('\n', seq.items[index].range[0]) + 1
          : doc[last - 1] === '\n'
            ? last
            : doc.indexOf('\n', last) + 1;
      return `${doc.slice(0, at)}${pad}- ${item.join(`\n${pad}  `)}\n${doc.slice(at)}`;
    };
    /** Every list item's name, in the order written (an update may move a list it creates after the others). */
    const names = (text: string) => [...text.matchAll(/- name: (\S+)/g)].map((m) => m[1]);
    /** The names in each list the injection adds to, in their order. */
    const orders = (text: string) => {
      const data = parseDocument(text).toJS() as unknown;
      const at = (path: (string | number)[]) =>
        path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], data);
      return LISTS.map(({ path }) => (at(path) as { name: string }[] | undefined)?.map((item) => item.name));
    };
    /** `all` without one of each of `gone` (names repeat: every init container has a PROXY_IN_PORT). */
    const without = (all: string[], gone: string[]) => {
      const left = [...all];
      for (const name of gone) left.splice(left.indexOf(name), 1);
      return left;
    };
    const cases = LISTS.flatMap(({ base, path, item }) => {
      const injected = out(base);
      const length = (parseDocument(injected).getIn(path, true) as YAMLSeq).items.length;
      const list = `${base === plain ? '' : 'tls-out, '}${String(path[path.length - 1])}`;
      // (A container written first is the pod's default container: kubectl.kubernetes.io/default-container follows.)
      const from = path[path.length - 1] === 'containers' ? 1 : 0;
      return Array.from({ length: length + 1 - from }, (_, i) => ({
        list,
        base,
        injected,
        path,
        item,
        index: i + from,
      }));
    });

    it.each(cases)('$list, before item $index: a run keeps it, an update the order, removal the rest', (c) => {
      const edited = withItem(c.injected, c.path, c.index, c.item);
      expect(names(edited)).toContain(c.item[0].slice('name: '.length));
      // Init containers' place is insert-init-first's: the capture's last, the author's moved up if need be.
      const last = (list: string[] | undefined) =>
        list && [
          ...list.filter((n) => !n.startsWith('speedscale-')),
          ...list.filter((n) => n.startsWith('speedscale-')),
        ];
      const expected = orders(edited).map((list, k) => (LISTS[k].path.at(-1) === 'initContainers' ? last(list) : list));
      const once = out(edited);
      expect(orders(once)).toEqual(expected);
      if (JSON.stringify(expected) === JSON.stringify(orders(edited))) expect(once).toBe(edited);
      const limited = edited.replace(
        /^( *)sidecar\.speedscale\.com\/inject: "true"\n/m,
        '$&$1sidecar.speedscale.com/cpu-limit: 500m\n',
      );
      const updated = out(limited);
      expect(updated).toMatch(/^ *limits:\n *cpu: 500m\n/m);
      expect(orders(updated)).toEqual(expected);
      const removed = out(edited.replace('inject: "true"', 'inject: "false"'));
      expect(names(removed)).toEqual(without(names(edited), without(names(c.injected), names(c.base))));
      expect(removed).not.toMatch(/speedscale-|SSL_CERT_FILE\n|speedscale\.com\/injection/);
    });
  });

  it('a workload never injected: uninstall has nothing to say', () => {
    const out = run(list(asItem(DEPLOYMENT), UNINSTALL));
    expect(out.exitCode).toBe(0);
    expect(resultsOf(out.stdout)).toEqual([]);
  });
});
