/**
 * A reverse proxy's in-port and the NetworkPolicies that isolate its pods: read as the API documents them,
 * and said on the workload when they admit the app's port but not the in-port, where callers now go.
 */
import { describe, expect, it } from 'vitest';
import { selectsLabels } from '../../fn/inject/label-selector';
import { allows, readNetworkPolicies, type PolicyPort } from '../../fn/inject/network-policies';
import { processPackage } from '../../fn/package/process-package';
import { asItem, configMap, resourceList, resultsOf, run } from '../support/helpers';

const APIS: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Rollout: 'argoproj.io/v1alpha1',
};

/**
 * A workload named web, annotated for injection (and `annotations`, lines of four-space `key: value`), whose pod
 * template carries `labels` and an app container with port 8080 (http); `spec`: lines at the top of its spec,
 * unindented.
 */
function workload(kind: string, { annotations = '', labels = '{app: web}', spec = '' } = {}): string {
  const indent = (text: string, by: number) => text.replace(/^(?=.)/gm, ' '.repeat(by));
  const finishes = kind === 'Job' || kind === 'CronJob';
  const pod =
    `template:\n  metadata:\n    labels: ${labels}\n  spec:\n${finishes ? '    restartPolicy: Never\n' : ''}` +
    '    containers:\n    - name: app\n      image: example.com/web:1\n' +
    '      ports: [{name: http, containerPort: 8080}]\n';
  const body =
    kind === 'CronJob'
      ? `schedule: "0 * * * *"\njobTemplate:\n  spec:\n${indent(pod, 4)}`
      : `${finishes ? '' : 'selector:\n  matchLabels: {app: web}\n'}${spec}${pod}`;
  return (
    `apiVersion: ${APIS[kind]}\nkind: ${kind}\nmetadata:\n  name: web\n  annotations:\n` +
    `    sidecar.speedscale.com/inject: "true"\n${annotations}spec:\n${indent(body, 2)}`
  );
}

/** A NetworkPolicy of this name selecting pods by `selector` (flow YAML), with `spec`'s lines below it. */
const networkPolicy = (name: string, selector: string, spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n` +
  `  podSelector: ${selector}\n${spec}`;

/** A matchExpressions selector of one requirement: `key operator [values]`. */
const expression = (key: string, operator: string, values?: string[]): string =>
  `{matchExpressions: [{key: ${key}, operator: ${operator}${values ? `, values: [${values.join(', ')}]` : ''}}]}`;

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    [{}, 'yes'],
    [{ matchLabels: { app: 'web' } }, 'yes'],
    [{ matchLabels: { app: 'api' } }, 'no'],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, 'yes'],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, 'no'],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }, 'yes'],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, 'yes'],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, 'yes'],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, 'no'],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, 'no'],
    // What cannot be read selects nothing: no warning is ever built on a guess.
    [{ matchExpressions: [{ key: 'tier', operator: 'Gt', values: ['1'] }] }, 'no'],
    [{ matchExpressions: [{ key: 'tier', operator: '__proto__', values: [] }] }, 'no'],
    [{ matchFields: {} }, 'no'],
  ])('%j selects {app: web, tier: front}: %s', (selector, selected) => {
    expect(selectsLabels(selector, { known: labels, unknown: [] })).toBe(selected);
  });

  // pod-template-hash is set by the controller, not the template: every requirement on it may hold or not.
  const unknown = ['pod-template-hash'];
  const hash = (operator: string, values?: string[]) => ({
    matchExpressions: [{ key: 'pod-template-hash', operator, ...(values && { values }) }],
  });
  it.each([
    [hash('DoesNotExist'), 'maybe'],
    [hash('Exists'), 'maybe'],
    [hash('In', ['abc']), 'maybe'],
    [hash('NotIn', ['abc']), 'maybe'],
    [{ matchLabels: { 'pod-template-hash': 'abc' } }, 'maybe'],
    // The template's own value does not count: the controller writes over it.
    [{ matchLabels: { app: 'web', 'pod-template-hash': 'set' } }, 'maybe'],
    // Another requirement that surely fails, or a selector that cannot be read: no.
    [{ ...hash('Exists'), matchLabels: { app: 'api' } }, 'no'],
    [{ matchExpressions: [...hash('Exists').matchExpressions, { key: 'tier', operator: 'DoesNotExist' }] }, 'no'],
    [hash('Gt', ['1']), 'no'],
    [{ ...hash('Exists'), matchFields: {} }, 'no'],
  ])('%j selects {app: web, tier: front, pod-template-hash: ?}: %s', (selector, selected) => {
    expect(selectsLabels(selector, { known: { ...labels, 'pod-template-hash': 'set' }, unknown })).toBe(selected);
  });
});

describe('ports a rule admits', () => {
  const rule = (...ports: PolicyPort[]) => [ports];
  it.each([
    ['a rule without ports admits every port', [undefined], true],
    ['no rules admit nothing', [], false],
    ['the port itself', rule({ port: 4143 }), true],
    ['another port', rule({ port: 8080 }), false],
    ['a range holding it', rule({ port: 4000, endPort: 4200 }), true],
    ['a range short of it', rule({ port: 4000, endPort: 4100 }), false],
    ['a port without a number: every TCP port', rule({ protocol: 'TCP' }), true],
    ['UDP only', rule({ protocol: 'UDP', port: 4143 }), false],
    ["the sidecar's port name", rule({ port: 'proxy-in' }), true],
    ['another name', rule({ port: 'http' }), false],
  ])('%s', (_, rules, admitted) => {
    expect(allows(rules as never, 4143, ['proxy-in'])).toBe(admitted);
  });
});

describe('reading NetworkPolicies', () => {
  const policy = (spec: string, metadata = '') =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n${metadata}spec:\n${spec}`;

  it('isolates for ingress unless policyTypes leaves Ingress out; rules keep their ports', () => {
    const [none, ingress, egress, typed] = readNetworkPolicies([
      policy('  podSelector: {}\n'),
      policy('  podSelector: {}\n  ingress:\n  - ports: [{port: 80}]\n  - from: [{podSelector: {}}]\n'),
      policy('  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{}]\n'),
      policy('  podSelector: {}\n  policyTypes: [Ingress, Egress]\n', '  namespace: shop\n'),
    ]);
    expect(none).toEqual({ name: 'p', podSelector: {}, ingress: [] });
    expect(ingress.ingress).toEqual([[{ port: 80 }], undefined]);
    expect(egress).not.toHaveProperty('ingress');
    expect(typed).toMatchObject({ namespace: 'shop', ingress: [] });
  });

  it('policyTypes empty or unset: Egress only with egress rules, as the API defaults it', () => {
    const [empty, emptyEgress, rules] = readNetworkPolicies([
      policy('  podSelector: {}\n  policyTypes: []\n'),
      policy('  podSelector: {}\n  egress: []\n'),
      policy('  podSelector: {}\n  policyTypes: []\n  egress: [{ports: [{port: 443}]}]\n'),
    ]);
    expect(empty).toEqual({ name: 'p', podSelector: {}, ingress: [] });
    expect(emptyEgress).toEqual({ name: 'p', podSelector: {}, ingress: [] });
    expect(rules).toMatchObject({ ingress: [], egress: [[{ port: 443 }]] });
  });

  it('walks Lists, and passes over what is not a NetworkPolicy of networking.k8s.io/v1', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${asItem(policy('  podSelector: {}\n'))}`;
    const beta = policy('  podSelector: {}\n').replace('networking.k8s.io/v1', 'extensions/v1beta1');
    expect(readNetworkPolicies([list, beta, 'kind: [NetworkPolicy\n'])).toHaveLength(1);
  });
});

describe('a reverse proxy behind a NetworkPolicy', () => {
  const web = (proxyType: string, namespace = '') =>
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' +
    `${namespace}  annotations:\n    sidecar.speedscale.com/inject: "true"\n` +
    `    sidecar.speedscale.com/proxy-type: ${proxyType}\n    sidecar.speedscale.com/proxy-port: "8080"\n` +
    'spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n' +
    '    spec:\n      containers:\n      - name: app\n        image: example.com/web:1\n' +
    '        ports: [{name: http, containerPort: 8080}]\n';
  const policy = (ports: string, extra = '') =>
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-in\n' +
    `${extra}spec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - ports: ${ports}\n`;
  const warned = (items: string[]) =>
    resultsOf(run(resourceList(items)).stdout)
      .filter((r) => r.tags?.reason === 'network-policy')
      .map((r) => r.message);

  it('admitting the app port only: injected, with a warning that names the policy and both ports', () => {
    expect(warned([web('reverse'), policy('[{port: 8080}]')])).toEqual([
      "NetworkPolicy web-in admits the app's port 8080 but not the proxy's in-port 4143, where callers reach the " +
        'reverse proxy: they would be refused there; add the in-port to its ingress ports',
    ]);
    // The app's port by its name, and dual (a reverse proxy too): the same.
    expect(warned([web('dual'), policy('[{port: http}]')])).toHaveLength(1);
  });

  it.each([
    ['the in-port listed', web('reverse'), policy('[{port: 8080}, {port: 4143}]')],
    ['a range holding it', web('reverse'), policy('[{port: 4000, endPort: 9000}]')],
    ["the sidecar's port by name", web('reverse'), policy('[{port: http}, {port: proxy-in}]')],
    ['every port', web('reverse'), policy('[]')],
    ['transparent: callers keep reaching the app port', web('transparent'), policy('[{port: 8080}]')],
    ['forward: no reverse proxy', web('forward'), policy('[{port: 8080}]')],
    ['the app port refused too', web('reverse'), policy('[{port: 9090}]')],
    ['another namespace', web('reverse'), policy('[{port: 8080}]', '  namespace: other\n')],
    // NetworkPolicy does not govern the node's network.
    [
      'hostNetwork',
      web('reverse').replace('    spec:\n', '    spec:\n      hostNetwork: true\n'),
      policy('[{port: 8080}]'),
    ],
  ])('%s: no warning', (_, workload, networkPolicy) => {
    expect(warned([workload, networkPolicy])).toEqual([]);
  });

  // Labels a workload's controller sets on its pods (pod-template-hash, a StatefulSet's revision, a Job's name)
  // are not in the template: a policy selecting by one may select the pods or not, and is read both ways.
  describe('a policy that selects by a label the controller sets', () => {
    const reverse = '    sidecar.speedscale.com/proxy-type: reverse\n    sidecar.speedscale.com/proxy-port: "8080"\n';
    const admits = (name: string, selector: string, port: number | string) =>
      networkPolicy(name, selector, `  ingress:\n  - ports: [{port: ${port}}]\n`);

    it.each([
      ['Deployment', expression('pod-template-hash', 'DoesNotExist')],
      ['Deployment', expression('pod-template-hash', 'NotIn', ['abc'])],
      ['StatefulSet', expression('controller-revision-hash', 'DoesNotExist')],
      ['StatefulSet', expression('statefulset.kubernetes.io/pod-name', 'NotIn', ['web-0'])],
      ['DaemonSet', expression('controller-revision-hash', 'DoesNotExist')],
      ['Job', expression('job-name', 'DoesNotExist')],
      ['CronJob', expression('batch.kubernetes.io/job-name', 'NotIn', ['web'])],
      ['Rollout', expression('rollouts-pod-template-hash', 'DoesNotExist')],
    ])('a %s, selected by %s or not: no warning', (kind, selector) => {
      const web = workload(kind, { annotations: reverse });
      expect(warned([web, admits('web-in', selector, 8080)])).toEqual([]);
    });

    it('another kind, whose controller sets no such label: the template says it, and the policy isolates', () => {
      const web = workload('StatefulSet', { annotations: reverse });
      expect(warned([web, admits('web-in', expression('pod-template-hash', 'DoesNotExist'), 8080)])).toHaveLength(1);
    });

    it.each([
      ['Exists', expression('pod-template-hash', 'Exists')],
      ['In', expression('pod-template-hash', 'In', ['abc'])],
      ['matchLabels', '{matchLabels: {pod-template-hash: abc}}'],
    ])('one that may admit the in-port (%s): the pods may be reached there, so no warning', (_, selector) => {
      const web = workload('Deployment', { annotations: reverse });
      const both = [web, admits('web-in', '{matchLabels: {app: web}}', 8080), admits('maybe', selector, 4143)];
      expect(warned(both)).toEqual([]);
    });

    it('one that admits only the app port too: the sure policy is still said, alone', () => {
      const web = workload('Deployment', { annotations: reverse });
      const maybe = admits('maybe', expression('pod-template-hash', 'Exists'), 8080);
      expect(warned([web, admits('web-in', '{matchLabels: {app: web}}', 8080), maybe])).toEqual([
        "NetworkPolicy web-in admits the app's port 8080 but not the proxy's in-port 4143, where callers reach the " +
          'reverse proxy: they would be refused there; add the in-port to its ingress ports',
      ]);
    });
  });

  it('the command line and the page (processPackage) say it too, the policy in a List of another file', () => {
    const [, out] = processPackage(
      [
        { path: 'policies.yaml', text: `apiVersion: v1\nkind: List\nitems:\n${asItem(policy('[{port: 8080}]'))}` },
        { path: 'web.yaml', text: web('reverse') },
      ],
      { config: {} },
    );
    expect(out.outcomes[0].results.map((r) => r.tags?.reason)).toContain('network-policy');
  });
});

describe('egress the proxy needs: to the forwarder, by name through DNS', () => {
  const web = (forwarder = '') =>
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' +
    `  annotations:\n    sidecar.speedscale.com/inject: "true"\n` +
    'spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n' +
    '    spec:\n      containers:\n      - name: app\n        image: example.com/web:1\n' +
    (forwarder && `---\n${forwarder}`);
  const policy = (spec: string, name = 'deny') =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n` +
    `  podSelector: {matchLabels: {app: web}}\n${spec}`;
  const warned = (items: string[], functionConfig?: string) =>
    resultsOf(run(resourceList(items, functionConfig)).stdout)
      .filter((r) => r.tags?.reason === 'egress-denied')
      .map((r) => r.message);

  it('two policies that allow none: both named, as policies', () => {
    const two = [policy('  policyTypes: [Egress]\n'), policy('  policyTypes: [Egress]\n', 'lock')];
    expect(warned([web(), ...two])[0]).toMatch(/^NetworkPolicies deny, lock allow the pods no egress at all, /);
  });

  it('a policy that allows no egress: injected, with a warning naming it', () => {
    expect(warned([web(), policy('  policyTypes: [Ingress, Egress]\n')])).toEqual([
      'NetworkPolicy deny allows the pods no egress at all, so the proxy cannot send what it captures to the ' +
        'forwarder; allow it (forwarder-addr)',
    ]);
    // Egress rules without policyTypes isolate for egress too (the API's default); an empty list does not.
    expect(warned([web(), policy('  egress: [{ports: [{port: 443}]}]\n')])).toHaveLength(1);
    expect(warned([web(), policy('  policyTypes: []\n  egress: [{ports: [{port: 443}]}]\n')])).toHaveLength(1);
    expect(warned([web(), policy('  egress: []\n')])).toEqual([]);
  });

  it('egress without DNS, where the forwarder is a host name: said; an address needs none', () => {
    const https = policy('  policyTypes: [Egress]\n  egress:\n  - ports: [{port: 443}, {port: 53, protocol: SCTP}]\n');
    expect(warned([web(), https])).toEqual([
      "NetworkPolicy deny allows the pods no DNS (port 53, nor 5353 as OpenShift's DNS pods listen), so the proxy " +
        'cannot resolve speedscale-forwarder.speedscale.svc to send what it captures there; allow DNS ' +
        '(forwarder-addr)',
    ]);
    expect(warned([web(), https], configMap('  forwarderAddr: 10.0.0.9:80\n'))).toEqual([]);
    expect(warned([web(), https], configMap('  forwarderAddr: "[fd00::9]:80"\n'))).toEqual([]);
    // A name the pod's /etc/hosts gives needs no DNS: the loopback names the kubelet writes, and the hostAliases.
    for (const name of ['localhost', 'ip6-localhost', 'IP6-Loopback.'])
      expect(warned([web(), https], configMap(`  forwarderAddr: ${name}:80\n`))).toEqual([]);
    expect(warned([web(), https], configMap('  forwarderAddr: localhost.localdomain:80\n'))).toHaveLength(1);
    const aliased = web().replace(
      '    spec:\n      containers',
      '    spec:\n      hostAliases:\n      - ip: 10.0.0.9\n        hostnames: [fwd.example]\n      containers',
    );
    expect(warned([aliased, https], configMap('  forwarderAddr: fwd.example:80\n'))).toEqual([]);
    expect(warned([aliased, https], configMap('  forwarderAddr: FWD.example.:80\n'))).toEqual([]);
    expect(warned([web(), https], configMap('  forwarderAddr: fwd.example:80\n'))).toHaveLength(1);
  });

  it('a hostNetwork pod (injected with a non-transparent proxy): no policy governs its egress', () => {
    const host = web().replace('    spec:\n      containers', '    spec:\n      hostNetwork: true\n      containers');
    const forward = configMap('  proxyType: forward\n');
    expect(warned([web(), policy('  policyTypes: [Egress]\n')], forward)).toHaveLength(1);
    expect(warned([host, policy('  policyTypes: [Egress]\n')], forward)).toEqual([]);
  });

  it.each([
    ['ingress only', policy('  policyTypes: [Ingress]\n')],
    ['every port to some peers', policy('  policyTypes: [Egress]\n  egress:\n  - to: [{namespaceSelector: {}}]\n')],
    ['DNS by number', policy('  egress:\n  - ports: [{port: 53, protocol: UDP}]\n')],
    // OpenShift's dns-default Service sends port 53 to its pods' 5353, the port a policy sees.
    ['DNS as OpenShift allows it', policy('  egress:\n  - ports: [{port: 5353, protocol: UDP}]\n')],
    ['DNS over TCP', policy('  egress:\n  - ports: [{port: 53}]\n')],
    ['a range holding 53', policy('  egress:\n  - ports: [{port: 1, endPort: 1024, protocol: UDP}]\n')],
    ["a named port, maybe DNS's", policy('  egress:\n  - ports: [{port: dns, protocol: UDP}]\n')],
    [
      'a second policy that allows it',
      `${policy('  policyTypes: [Egress]\n')}---\n${policy('  egress: [{}]\n', 'allow')}`,
    ],
    ['another workload', policy('  policyTypes: [Egress]\n').replace('{app: web}', '{app: api}')],
  ])('%s: no warning', (_, networkPolicy) => {
    expect(warned([web(), ...networkPolicy.split('---\n')])).toEqual([]);
  });

  describe('a policy that selects by a label the controller sets', () => {
    const denies = (selector: string, name = 'deny') => networkPolicy(name, selector, '  policyTypes: [Egress]\n');
    const sure = '{matchLabels: {app: web}}';

    it('DoesNotExist on pod-template-hash, which every pod of a Deployment carries: no warning', () => {
      expect(warned([web(), denies(expression('pod-template-hash', 'DoesNotExist'))])).toEqual([]);
    });

    it.each([
      ['Deployment', expression('pod-template-hash', 'NotIn', ['abc'])],
      ['StatefulSet', expression('controller-revision-hash', 'DoesNotExist')],
      ['StatefulSet', expression('apps.kubernetes.io/pod-index', 'NotIn', ['0'])],
      ['DaemonSet', expression('pod-template-generation', 'DoesNotExist')],
      ['Job', expression('job-name', 'DoesNotExist')],
      ['Job', expression('batch.kubernetes.io/job-completion-index', 'DoesNotExist')],
      ['CronJob', expression('controller-uid', 'DoesNotExist')],
      ['Rollout', expression('rollouts-pod-template-hash', 'DoesNotExist')],
    ])('a %s, selected by %s or not: no warning', (kind, selector) => {
      expect(warned([workload(kind), denies(selector)])).toEqual([]);
    });

    it.each([
      // Kinds whose controller sets no such label: the template says it, and the policy surely selects.
      ['StatefulSet', expression('pod-template-hash', 'DoesNotExist')],
      ['Deployment', expression('controller-revision-hash', 'DoesNotExist')],
      ['Deployment', expression('job-name', 'DoesNotExist')],
      // A Job's name and uid are set only where its template has none: the template's own value is the pods'.
      ['Job', '{matchLabels: {job-name: batch}}'],
    ])('a %s, selected by %s: warned', (kind, selector) => {
      const labels = kind === 'Job' ? '{app: web, job-name: batch}' : '{app: web}';
      expect(warned([workload(kind, { labels }), denies(selector)])).toHaveLength(1);
    });

    it("a template that sets pod-template-hash itself: the controller writes over it, so it is not the pods'", () => {
      const web = workload('Deployment', { labels: '{app: web, pod-template-hash: abc}' });
      expect(warned([web, denies('{matchLabels: {pod-template-hash: abc}}')])).toEqual([]);
    });

    it("a Rollout's ephemeral labels: its canary pods have them, its stable ones not", () => {
      const canary = 'strategy:\n  canary:\n    canaryMetadata:\n      labels: {role: canary}\n';
      const notCanary = denies(expression('role', 'NotIn', ['canary']));
      expect(warned([workload('Rollout', { spec: canary }), notCanary])).toEqual([]);
      expect(warned([workload('Rollout'), notCanary])).toHaveLength(1);
    });

    it.each([
      ['Exists', expression('pod-template-hash', 'Exists')],
      ['In', expression('pod-template-hash', 'In', ['abc'])],
      ['matchLabels', '{matchLabels: {pod-template-hash: abc}}'],
    ])('one that may allow egress (%s) beside a sure policy that allows none: it may, so no warning', (_, selector) => {
      const allows = networkPolicy('allow', selector, '  egress: [{}]\n');
      expect(warned([web(), denies(sure), allows])).toEqual([]);
    });

    it("one that may allow DNS keeps the sure policy's missing-DNS warning away", () => {
      const https = networkPolicy('https', sure, '  policyTypes: [Egress]\n  egress:\n  - ports: [{port: 443}]\n');
      const dns = networkPolicy(
        'dns',
        expression('pod-template-hash', 'Exists'),
        '  egress:\n  - ports: [{port: 53, protocol: UDP}]\n',
      );
      expect(warned([web(), https])).toHaveLength(1);
      expect(warned([web(), https, dns])).toEqual([]);
    });

    it('a sure policy that allows nothing still warns, naming it alone, where the other allows nothing either', () => {
      const maybe = denies(expression('pod-template-hash', 'DoesNotExist'), 'maybe');
      expect(warned([web(), denies(sure), maybe])).toEqual([
        'NetworkPolicy deny allows the pods no egress at all, so the proxy cannot send what it captures to the ' +
          'forwarder; allow it (forwarder-addr)',
      ]);
      // One that may allow 443 only: egress there may be, DNS surely not.
      const https = networkPolicy(
        'https',
        expression('pod-template-hash', 'Exists'),
        '  egress:\n  - ports: [{port: 443}]\n',
      );
      expect(warned([web(), denies(sure), https])).toEqual([
        expect.stringMatching(/^NetworkPolicy deny allows the pods no DNS \(port 53, /),
      ]);
    });
  });
});
