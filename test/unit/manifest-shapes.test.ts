/**
 * Manifests as Kubernetes reads them (issue 21): the shapes Helm output and other tools' test inputs have,
 * each case of the issue on the command line and in the KRM function. Item 9 (comments under kpt) needs kpt
 * itself: test/integration/kpt-comments.test.ts; Helm-shaped packages end to end: test/system/helm-shapes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cli, type Io } from '../../fn/cli/cli';
import { run } from '../../fn/krm/run';
import { parseList } from '../support/differential-oracle';
import { configMap, itemsOf, resourceList } from '../support/helpers';

const ON = 'sidecar.speedscale.com/inject: "true"';

/** The command line over one file's text (stdin), in-process. */
function runCli(args: string[], text: string): { stdout: string; stderr: string; code: number } {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    readStdin: () => Buffer.from(text),
    stdinIsTTY: false,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  };
  const code = cli(args, io);
  return { stdout, stderr, code };
}

const reasons = (out: string) => parseList(out).results.map((r) => r.tags?.reason as string);

/** A Deployment; `extra` goes into its pod spec's first container, `spec` replaces its pod spec's other keys. */
function deployment(name: string, parts: { annotations?: string; container?: string; podSpec?: string } = {}) {
  const annotations = parts.annotations ?? `  annotations:\n    ${ON}\n`;
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${annotations}spec:\n  selector:\n` +
    `    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n` +
    `${parts.podSpec ?? ''}      containers:\n        - name: ${name}\n          image: example.com/${name}:1\n` +
    (parts.container ?? '')
  );
}

describe('1: keys Kubernetes reads as absent (empty, ~, null) are filled in place', () => {
  // What Helm renders when a range is empty, in every spelling, where the injection adds (tls-out adds env,
  // mounts and volumes too).
  const helm =
    '---\n# Source: shop/templates/web.yaml\n' +
    deployment('web', {
      annotations: `  annotations:\n    ${ON}\n  labels:\n`,
      container:
        '          env:\n          volumeMounts: ~ # none\n          ports:\n            - containerPort: 80\n',
      podSpec: '      initContainers: null\n      volumes: Null\n',
    }).replace('      labels:\n        app: web\n', '      labels:\n        app: web\n      annotations: NULL\n') +
    '---\n# Source: shop/templates/api.yaml\n' +
    deployment('api', { annotations: '  annotations:\n', container: '          env: # from .Values.env\n' });

  it('inject --tls-out injects every workload; the output parses; uninstall gives the bytes back', () => {
    const injected = runCli(['inject', '--tls-out'], helm);
    expect(injected.stderr).toBe(
      '<stdin>: Deployment/web: injected\n<stdin>: Deployment/api: injected\nsidecar-injector: 2 resources: 2 injected\n',
    );
    expect(injected.code).toBe(0);
    const docs = parseAllDocuments(injected.stdout, { version: '1.1' });
    expect(docs.flatMap((d) => d.errors)).toEqual([]);
    const web = docs[0].toJS();
    expect(web.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).toContain('SSL_CERT_FILE');
    expect(web.spec.template.spec.volumes.map((v: { name: string }) => v.name)).toContain('speedscale-ca');
    // The comment on a filled key stays on its line.
    expect(injected.stdout).toContain('          volumeMounts: # none\n');
    expect(runCli(['inject', '--tls-out'], injected.stdout).stdout).toBe(injected.stdout);
    const removed = runCli(['uninstall'], injected.stdout);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(helm);
  });

  it.each([
    ['an empty key', '  initContainers:', '\n'],
    ['~', '  volumes: ~', '\n'],
    ['null with a comment', '  initContainers: null # none', '\n'],
    ['an empty key, CRLF', '  initContainers:', '\r\n'],
  ])(
    'the last line of a file with no final line break: %s; it ends as it did, removal gives the bytes back',
    (_n, key, eol) => {
      const pod =
        ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', '  annotations:', `    ${ON}`, 'spec:'].join(eol) +
        `${eol}  containers:${eol}  - name: a${eol}    image: x${eol}${key}`;
      const injected = runCli(['inject', '--tls-out'], pod);
      expect(injected.code, injected.stderr).toBe(0);
      expect(injected.stdout.endsWith('\n')).toBe(false);
      expect(parseAllDocuments(injected.stdout, { version: '1.1' })[0].errors).toEqual([]);
      expect(runCli(['inject', '--tls-out'], injected.stdout).stdout).toBe(injected.stdout);
      expect(runCli(['uninstall'], injected.stdout).stdout).toBe(pod);
    },
  );

  it('the KRM function: the same, and "false" writes each null back as it was', () => {
    const input = resourceList(
      [deployment('web', { container: '          env:\n', podSpec: '      volumes: ~\n' })],
      configMap('  tlsOut: "true"\n'),
    );
    const out = run(input);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(reasons(out.stdout)).toEqual(['injected']);
    const off = run(out.stdout.replace(/^results:[^]*$/m, '').replace(ON, 'sidecar.speedscale.com/inject: "false"'));
    expect(off.stdout.replace(/^results:[^]*$/m, '')).toBe(input.replace(ON, 'sidecar.speedscale.com/inject: "false"'));
  });
});

describe('2: failOn: never reports a refused workload and exits 0', () => {
  const refused = deployment('bad', { container: '          ports:\n            - containerPort: 4143\n' });
  const fine = deployment('good');

  it('the KRM function: every error result and stderr line, exit 0; the refused item as it came', () => {
    const input = resourceList([refused, fine], configMap('  failOn: never\n'));
    const out = run(input);
    expect(out.exitCode).toBe(0);
    expect(reasons(out.stdout)).toEqual(['port-conflict', 'injected']);
    expect(out.stderr).toMatch(
      /^sidecar-injector: Deployment\/bad: not injected: container bad already listens on 4143/,
    );
    expect(parseList(out.stdout).items[0]).toEqual(parseList(input).items[0]);
    expect(run(input.replace('failOn: never', 'failOn: error')).exitCode).toBe(1);
  });

  it('the command line: --fail-on never reports the error line, exit 0', () => {
    const text = `${refused}---\n${fine}`;
    const out = runCli(['inject', '--annotated', '--quiet', '--fail-on', 'never'], text);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^<stdin>:\d+:\d+: Deployment\/bad: error: not injected: container bad already listens/);
    expect(out.stdout.startsWith(refused)).toBe(true);
    expect(runCli(['inject', '--annotated', '--quiet'], text).code).toBe(1);
  });

  it('a functionConfig it cannot read still fails the run', () => {
    const out = run(resourceList([fine], configMap('  failOn: never\n  image: "a b"\n')));
    expect(out.exitCode).toBe(1);
  });
});

describe('3: Helm and Argo CD hooks are not injected unless annotated themselves', () => {
  const hook = (name: string, annotation: string, kind = 'Job') =>
    `apiVersion: ${kind === 'Pod' ? 'v1' : 'batch/v1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  annotations:\n    ${annotation}\n` +
    (kind === 'Pod'
      ? 'spec:\n  restartPolicy: Never\n  containers:\n    - name: test\n      image: busybox\n'
      : 'spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: job\n          image: busybox\n');
  const stream = [
    hook('grafana-test', '"helm.sh/hook": test', 'Pod'),
    hook('admission-create', '"helm.sh/hook": pre-install,pre-upgrade'),
    hook('migrate', 'argocd.argoproj.io/hook: PreSync'),
    hook('seed', `"helm.sh/hook": post-install\n    ${ON}`),
  ].join('---\n');

  it('inject: hooks skipped with their reason; an annotated hook injected', () => {
    const out = runCli(['inject'], stream);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(
      '<stdin>: Pod/grafana-test: skipped: not injected: a helm.sh/hook: test hook runs to completion and a sidecar ' +
        'would keep it from finishing',
    );
    expect(out.stderr).toContain(
      '<stdin>: Job/admission-create: skipped: not injected: a helm.sh/hook: pre-install,pre-upgrade hook',
    );
    expect(out.stderr).toContain(
      '<stdin>: Job/migrate: skipped: not injected: a argocd.argoproj.io/hook: PreSync hook',
    );
    expect(out.stderr).toMatch(/<stdin>: Job\/seed: injected/);
    expect(out.stdout.split('---\n').slice(0, 3).join('---\n')).toBe(stream.split('---\n').slice(0, 3).join('---\n'));
  });

  it('the KRM function with inject: true in its config: an info result saying why', () => {
    const out = run(
      resourceList([hook('admission-patch', '"helm.sh/hook": post-upgrade')], configMap('  inject: "true"\n')),
    );
    expect(out.exitCode).toBe(0);
    const [result] = parseList(out.stdout).results;
    expect(result).toMatchObject({ severity: 'info', tags: { reason: 'hook' } });
  });
});

describe('4: null List items and documents: skipped, said once with their place, never malformed YAML', () => {
  const list = `apiVersion: v1\nkind: List\nitems:\n- ${deployment('web').replace(/\n(?=.)/g, '\n  ')}-\n- null\n- ~ # nothing\n`;

  it('the command line: the rest injected, each null item named, exit 0', () => {
    const out = runCli(['inject'], list);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toMatch(/malformed|error/);
    expect(out.stderr).toContain(
      '<stdin>:22:1: List items[1]: skipped: items[1] of the List is empty (null), not a resource',
    );
    expect(out.stderr).toContain('<stdin>:24:1: List items[3]: skipped: items[3] of the List is empty (null)');
  });

  it('the KRM function: one info result per null item, in a List and at the top level', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- ${list.replace(/\n(?=.)/g, '\n  ')}-\n- null\n`;
    for (const config of [
      '',
      'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n  data:\n    inject: "true"\n',
    ]) {
      const out = run(input + config);
      expect(out.exitCode, out.stderr).toBe(0);
      const results = parseList(out.stdout).results.filter((r) => r.tags?.reason === 'null-item');
      expect(results.map((r) => [r.severity, r.message])).toEqual([
        ['info', 'items[1] of the List is empty (null), not a resource; left as it is'],
        ['info', 'items[2] of the List is empty (null), not a resource; left as it is'],
        ['info', 'items[3] of the List is empty (null), not a resource; left as it is'],
        ['info', 'item 1 is empty (null), not a resource; left as it is'],
        ['info', 'item 2 is empty (null), not a resource; left as it is'],
      ]);
    }
  });

  it('a document that writes a null is said once; an empty or comment-only one says nothing', () => {
    const out = runCli(['inject'], `${deployment('web')}---\n~\n---\n# Source: x.yaml\n---\n`);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toBe(
      '<stdin>: Deployment/web: injected\n' +
        '<stdin>:19:1: document 2: skipped: the document is empty (null), not a resource; left as it is\n' +
        'sidecar-injector: 2 resources: 1 injected, 1 skipped\n',
    );
  });
});

describe('4e: an item that is valid YAML but no map is not a resource, whatever it mentions, and never malformed', () => {
  const mentions = `'${ON}'`;
  const configMap = '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n';
  const items = `${configMap}- 1\n- x\n- [1, 2]\n- - a\n- true\n- ${mentions}\n`;

  it('the KRM function: an error per item, with its place and what it is, the list copied through', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}`;
    const out = run(input);
    expect(out.exitCode).toBe(1);
    expect(out.stdout.startsWith(input)).toBe(true);
    const results = parseList(out.stdout).results;
    const tail =
      'not a resource: a ResourceList item must be a map with apiVersion and kind; copied through as it came';
    expect(results.map((r) => [r.severity, r.tags?.reason, r.message])).toEqual(
      [
        'item 1 (line 8, column 3): a scalar (1)',
        'item 2 (line 9, column 3): a scalar ("x")',
        'item 3 (line 10, column 3): a list',
        'item 4 (line 11, column 3): a list',
        'item 5 (line 12, column 3): a scalar (true)',
        `item 6 (line 13, column 3): a scalar (${JSON.stringify(ON)})`,
      ].map((what) => ['error', 'not-a-resource', `${what}, ${tail}`]),
    );
    expect(out.stderr).not.toMatch(/malformed/);
  });

  it('the KRM function: the same in a flow-style ResourceList', () => {
    const out = run(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [1, x, [1, 2], true]\n`);
    expect(out.exitCode).toBe(1);
    expect(reasons(out.stdout)).toEqual(['not-a-resource', 'not-a-resource', 'not-a-resource', 'not-a-resource']);
  });

  it('the command line: a List item that is no map is skipped as a document is, each at its line', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${items}---\nhello\n---\n- a\n- b\n`;
    for (const args of [['inject'], ['inject', '--annotated']]) {
      const out = runCli(args, list);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toBe(list);
      const what = (n: number, place: string, shape: string) =>
        `<stdin>:${place}: List items[${n}]: skipped: ${shape}, not a map, so not a Kubernetes object; left as it is\n`;
      expect(out.stderr).toBe(
        '<stdin>: ConfigMap/c: skipped: not a workload (ConfigMap)\n' +
          what(1, '8:3', 'a scalar (1)') +
          what(2, '9:3', 'a scalar ("x")') +
          what(3, '10:3', 'a list') +
          what(4, '11:3', 'a list') +
          what(5, '12:3', 'a scalar (true)') +
          what(6, '13:3', `a scalar (${JSON.stringify(ON)})`) +
          '<stdin>:15:1: document 2: skipped: a scalar ("hello"), not a map, so not a Kubernetes object; left as it is\n' +
          '<stdin>:17:1: document 3: skipped: a list, not a map, so not a Kubernetes object; left as it is\n' +
          'sidecar-injector: 9 resources: 9 skipped\n',
      );
    }
  });
});

describe('4a: a List item whose "-" line holds a comment, an anchor or a tag is processed like any other', () => {
  const item = (first: string) =>
    `${first}\n${deployment('web').replace(/^(?=.)/gm, '  ')}- apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n`;
  it.each(['- # the web frontend', '- &web', '- !!map'])('%s: injected, and removed to the byte', (first) => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${item(first)}`;
    const injected = runCli(['inject', '--annotated'], list);
    expect(injected.stderr).toBe(
      '<stdin>: Deployment/web: injected\n<stdin>: Service/web: skipped: not a workload (Service)\n' +
        'sidecar-injector: 2 resources: 1 injected, 1 skipped\n',
    );
    expect(injected.stdout).toContain(`${first}\n  apiVersion: apps/v1\n`);
    expect(runCli(['uninstall'], injected.stdout).stdout).toBe(list);
    // The same List as a ResourceList item.
    const out = run(resourceList([list]));
    expect(reasons(out.stdout)).toContain('injected');
  });
});

describe('4a2: a List item used again through an alias (- &web, then - *web)', () => {
  const list = `apiVersion: v1\nkind: List\nitems:\n- &web\n${deployment('web').replace(/^(?=.)/gm, '  ')}- *web\n`;

  it('is refused as shared (a change to it would reach the alias), and the alias is not an item of its own', () => {
    const out = runCli(['inject', '--annotated'], list);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe(list);
    expect(out.stderr).toBe(
      // The refusal names no field: the line points at the item (its `- &web`), as for any error about a whole resource.
      '<stdin>:4:1: Deployment/web: error: not injected: &web (used elsewhere as *web) is shared through a YAML anchor ' +
        'and its alias; adding to it would change every place that uses it; write it out in full here\n' +
        'sidecar-injector: 1 resource: 1 error\n',
    );
  });
});

// A ResourceList or a List is one YAML document: what an item anchors, a later item may use through an alias.
describe('4a3: a node of one item used by another through an alias (containers: &c, then containers: *c)', () => {
  const sharing = deployment('web').replace('      containers:\n', '      containers: &c\n');
  const user = deployment('web2', { annotations: '' }).replace(/ {6}containers:\n[^]*$/, '      containers: *c\n');
  const asList = (items: string[]) =>
    `apiVersion: v1\nkind: List\nitems:\n${items.map((i) => i.replace(/^(?=.)/gm, '  ').replace(/^ /, '-')).join('')}`;

  it('KRM: the annotated item is refused, not injected into both', () => {
    const input = resourceList([sharing, user]);
    const out = run(input);
    expect(out.exitCode).toBe(1);
    expect(out.stdout.slice(0, out.stdout.indexOf('results:'))).toBe(input);
    expect(reasons(out.stdout)).toEqual(['aliased']);
    expect(out.stdout).toContain('not injected: &c (used elsewhere as *c) is shared through a YAML anchor');
  });

  it('a List on the command line: the same, and its file is left as it was', () => {
    const list = asList([sharing, user]);
    const out = runCli(['inject'], list);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe(list);
    expect(out.stderr).toContain('Deployment/web: error: not injected: &c (used elsewhere as *c)');
  });

  it('the item using the anchor, read alone, is said to be so, not malformed YAML', () => {
    const off = sharing.replace('inject: "true"', 'inject: "false"');
    const annotated = user.replace('  name: web2\n', `  name: web2\n  annotations:\n    ${ON}\n`);
    const out = run(resourceList([off, annotated]));
    expect(out.exitCode).toBe(1);
    expect(reasons(out.stdout)).toEqual(['outside-anchor']);
    expect(out.stdout).toMatch(/item 1 \(line \d+, column \d+\): \*c names an anchor set in an earlier item/);
    const cli = runCli(['inject'], asList([off, annotated]));
    expect(cli.stderr).toMatch(/List items\[1\]: error: \*c names an anchor set in an earlier item/);
    expect(cli.stderr).not.toContain('malformed');
  });

  it('an anchor inside the item that the injection does not change: injected, the other item as it was', () => {
    const image = sharing
      .replace('containers: &c\n', 'containers:\n')
      .replace('image: example.com', 'image: &img example.com');
    const other = user.replace('containers: *c', 'containers:\n        - name: web2\n          image: *img');
    const out = run(resourceList([image, other]));
    expect(out.exitCode, out.stderr).toBe(0);
    expect(reasons(out.stdout)).toEqual(['injected']);
    const [, second] = parseList(out.stdout).items as { spec: { template: { spec: { containers: unknown[] } } } }[];
    expect(second.spec.template.spec.containers).toEqual([{ name: 'web2', image: 'example.com/web:1' }]);
  });

  it('a `*name` in a later item that is no alias (text in a script) refuses nothing', () => {
    const script =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  clean.sh: |\n    rm -f /tmp/ *c\n';
    const out = run(resourceList([sharing, script]));
    expect(reasons(out.stdout)).toEqual(['injected']);
    expect(out.exitCode).toBe(0);
  });

  it('an item with an empty value beside its anchors is read (the walk over its nodes meets a null)', () => {
    const item = sharing
      .replace('containers: &c\n', 'containers:\n')
      .replace('  name: web\n', '  name: web\n  ? x-note\n  x-k: &k v\n');
    const other = user.replace('containers: *c', 'containers:\n        - name: web2\n          image: *k');
    const out = run(resourceList([item, other]));
    expect(out.exitCode, out.stdout).toBe(0);
    expect(reasons(out.stdout)).toEqual(['injected']);
  });

  // Kubernetes reads `annotations: *ann` as the ConfigMap's annotations: this Deployment asks, though its
  // own text never says so, and read alone it cannot be read.
  const shared = (annotations: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  annotations: &ann\n    ${annotations}\n`;
  const through = deployment('web2', { annotations: '  annotations: *ann\n' });

  it('KRM: an item whose opt-in comes only through an alias is said to be unreadable, not passed silently', () => {
    const input = resourceList([shared(ON), through]);
    const out = run(input);
    expect(out.exitCode).toBe(1);
    expect(out.stdout.slice(0, out.stdout.indexOf('results:'))).toBe(input);
    expect(reasons(out.stdout)).toEqual(['unsupported-kind', 'outside-anchor']);
    expect(out.stdout).toMatch(/item 1 \(line 14, column 18\): \*ann names an anchor set in an earlier item/);
  });

  it('a List inside a ResourceList: the same', () => {
    const out = run(resourceList([asList([shared(ON), through])]));
    expect(out.exitCode).toBe(1);
    expect(reasons(out.stdout)).toContain('outside-anchor');
  });

  it('an alias to data without our keys leaves the item to pass through as before', () => {
    const input = resourceList([shared('team: shop'), through]);
    const out = run(input);
    expect(out.exitCode, out.stdout).toBe(0);
    expect(out.stdout).toBe(input);
  });

  // The same within one item: Kubernetes reads the pod template's `annotations: *l` as the labels' data, an
  // opt-in; read by its own pairs (none) it said "not annotated", and a setting there was silently not read.
  it.each([
    ['the opt-in', ON],
    ['a setting', 'sidecar.speedscale.com/proxy-type: dual'],
  ])('an annotations map written as an alias within the item, holding %s, is an error, not passed over', (_, key) => {
    const item = deployment('web', { annotations: `  labels: &l\n    ${key}\n` }).replace(
      '      labels:\n        app: web\n',
      `      labels:\n        app: web\n      annotations: *l\n`,
    );
    const out = run(resourceList([`${item.replace('  labels: &l', `  annotations:\n    ${ON}\n  labels: &l`)}`]));
    expect(out.exitCode).toBe(1);
    expect(reasons(out.stdout)).toEqual(['indirect-annotation']);
    const cli = runCli(['inject', '--annotated'], item);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(
      /<stdin>:\d+:\d+: Deployment\/web: error: sidecar\.speedscale\.com\/\S+ is written as an alias/,
    );
  });

  it('an anchored ancestor used within the same item (metadata: &m, then *m) is refused too', () => {
    const item = sharing
      .replace('containers: &c\n', 'containers:\n')
      .replace('    metadata:\n      labels:\n', '    metadata: &m\n      labels:\n')
      .concat('x-template-metadata: *m\n');
    const input = resourceList([item]);
    const out = run(input);
    expect(out.exitCode).toBe(1);
    expect(reasons(out.stdout)).toEqual(['aliased']);
  });
});

describe('4b: directives (%YAML 1.1) belong to the document after them', () => {
  it('injected, the directive kept before its document; removal gives the bytes back', () => {
    const pod = (name: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  annotations:\n    ${ON}\n` +
      'spec:\n  containers:\n  - name: a\n    image: x\n';
    const text = `%YAML 1.1\n# a comment\n---\n${pod('p')}...\n%YAML 1.1\n--- # q\n${pod('q')}`;
    const injected = runCli(['inject'], text);
    expect(injected.stderr).toBe(
      '<stdin>: Pod/p: injected\n<stdin>: Pod/q: injected\nsidecar-injector: 2 resources: 2 injected\n',
    );
    expect(injected.stdout.startsWith('%YAML 1.1\n# a comment\n---\napiVersion: v1\n')).toBe(true);
    expect(parseAllDocuments(injected.stdout).flatMap((d) => d.errors)).toEqual([]);
    expect(runCli(['uninstall'], injected.stdout).stdout).toBe(text);
  });
});

describe('4c: a document written as one YAML flow map is YAML, not malformed JSON', () => {
  it('injected in flow style and restored; text that is neither JSON nor YAML is still malformed JSON', () => {
    const text =
      '{apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {sidecar.speedscale.com/inject: "true"}}, ' +
      'spec: {containers: [{name: a, image: x}]}}\n';
    const injected = runCli(['inject'], text);
    expect(injected.stderr).toBe('<stdin>: Pod/p: injected\nsidecar-injector: 1 resource: 1 injected\n');
    expect(injected.stdout).toMatch(/^\{apiVersion: v1, kind: Pod, /);
    expect(runCli(['uninstall'], injected.stdout).stdout).toBe(text);
    expect(runCli(['inject'], '{"a": \n').stderr).toMatch(/error: malformed JSON/);
  });
});

describe('4d: a ResourceList in YAML flow style is read like JSON, not refused as malformed JSON', () => {
  it('injected; broken JSON is still malformed JSON', () => {
    const pod =
      '{apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {sidecar.speedscale.com/inject: "true"}}, ' +
      'spec: {containers: [{name: a, image: x}]}}';
    const out = run(`{apiVersion: config.kubernetes.io/v1, kind: ResourceList, items: [${pod}]}\n`);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(reasons(out.stdout)).toEqual(['injected']);
    expect(run('{"apiVersion": "config.kubernetes.io/v1", "items": [').stderr).toMatch(/malformed JSON/);
  });
});

describe('5: a known kind under the wrong apiVersion is named as such', () => {
  const pod = (annotated: boolean) =>
    `apiVersion: apps/v1\nkind: Pod\nmetadata:\n  name: vote\n${annotated ? `  annotations:\n    ${ON}\n` : ''}` +
    'spec:\n  containers:\n  - name: vote\n    image: x\n';

  it.each([true, false])('annotated: %s', (annotated) => {
    const out = runCli(['inject', '--annotated'], pod(annotated));
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(
      /Pod\/vote: skipped: (not injected: )?Pod is served in the core API group \(apiVersion: v1\), not by apiVersion apps\/v1/,
    );
    const krm = run(resourceList([pod(annotated)]));
    const results = parseList(krm.stdout).results;
    expect(results.map((r) => r.tags?.reason)).toEqual(annotated ? ['wrong-api-version'] : []);
  });
});

describe('6: a workload without metadata.name is an error', () => {
  it('is not injected with an empty APP_LABEL', () => {
    const text = deployment('web').replace('  name: web\n', '');
    const out = runCli(['inject'], text);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('Deployment/(no name): error: not injected: the workload has no metadata.name');
    expect(out.stdout).toBe(text);
    expect(reasons(run(resourceList([text])).stdout)).toEqual(['no-name']);
  });
});

describe('6b: an Argo Rollout with spec.workloadRef names the workload whose pods it takes', () => {
  const rollout = (template: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\n  annotations:\n    ${ON}\n` +
    `spec:\n  workloadRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n${template}`;

  it('skipped, never an error, on the command line and in the KRM function; a template of its own is injected', () => {
    const out = runCli(['inject'], rollout(''));
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(rollout(''));
    expect(out.stderr).toContain(
      'Rollout/r: skipped: not injected: its pods come from Deployment/web (spec.workloadRef); inject that workload instead',
    );
    expect(reasons(run(resourceList([rollout('')])).stdout)).toEqual(['workload-ref']);
    // Argo reads a template when there is one: then it is the pod template to inject.
    const own = '  template:\n    spec:\n      containers:\n      - name: app\n        image: x\n';
    expect(reasons(run(resourceList([rollout(own)])).stdout)).toEqual(['injected']);
  });
});

describe('7: UDP and SCTP ports give a warning that their traffic is not captured', () => {
  it('injects, and says so', () => {
    const text = deployment('dns', {
      container:
        '          ports:\n            - containerPort: 53\n              protocol: UDP\n            - containerPort: 53\n' +
        '              protocol: TCP\n            - containerPort: 9\n              protocol: SCTP\n',
    });
    const out = runCli(['inject'], text);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(
      /<stdin>:\d+:\d+: Deployment\/dns: injected: container dns declares 53\/UDP, 9\/SCTP: the proxy captures TCP only, so this/,
    );
    expect(reasons(run(resourceList([text])).stdout)).toEqual(['non-tcp-port', 'injected']);
  });
  // Kubernetes decodes a null or empty protocol as "" and its defaulting makes that TCP: no warning.
  it.each(['protocol:', 'protocol: ~', 'protocol: null', 'protocol: ""', "protocol: ''"])(
    'a port with %s is TCP',
    (line) => {
      const text = deployment('web', {
        container: `          ports:\n            - containerPort: 8080\n              ${line}\n`,
      });
      const out = runCli(['inject'], text);
      expect(out.stderr).toBe('<stdin>: Deployment/web: injected\nsidecar-injector: 1 resource: 1 injected\n');
      expect(reasons(run(resourceList([text])).stdout)).toEqual(['injected']);
    },
  );
});

describe('7b: an app running as the proxy uid is injected with a warning that it is not captured', () => {
  it.each([
    ['the pod', deployment('app', { podSpec: '      securityContext:\n        runAsUser: 2102\n' })],
    ['the container', deployment('app', { container: '          securityContext: {runAsUser: 2102}\n' })],
  ])('runAsUser on %s', (_where, text) => {
    const out = runCli(['inject'], text);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(
      /Deployment\/app: injected: container app runs as uid 2102, the proxy's: the iptables rules/,
    );
    expect(reasons(run(resourceList([text])).stdout)).toEqual(['proxy-uid', 'injected']);
    expect(runCli(['inject', '--proxy-uid', '3000'], text).stderr).not.toContain('proxy-uid');
  });
});

describe('7c: forward mode and a JAVA_TOOL_OPTIONS written with no value', () => {
  it('injected, with the flags to add by hand; never an edit touching the colon', () => {
    const text = deployment('app', {
      container: '          env:\n            - name: JAVA_TOOL_OPTIONS\n              value:\n',
    });
    const out = runCli(['inject', '--proxy-type', 'forward'], text);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(
      "injected: container app's JAVA_TOOL_OPTIONS holds no value, so it cannot be appended to here: add -Dhttp.proxyHost",
    );
    expect(out.stdout).toContain('              value:\n');
    expect(runCli(['uninstall'], out.stdout).stdout).toBe(text);
  });
});

describe('7d: forward mode and JAVA_TOOL_OPTIONS set twice (the kubelet passes the last)', () => {
  /** The Deployment with JAVA_TOOL_OPTIONS set to -Xmx1g, then to `last`, injected in forward mode. */
  const twice = (last: string) => {
    const text = deployment('app', {
      container:
        '          env:\n            - name: JAVA_TOOL_OPTIONS\n              value: -Xmx1g\n' +
        `            - name: JAVA_TOOL_OPTIONS\n              value: ${last}\n`,
    });
    const out = runCli(['inject', '--proxy-type', 'forward'], text);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).not.toContain('-Xmx1g -D');
    expect(runCli(['uninstall'], out.stdout).stdout).toBe(text);
    return out;
  };

  it('injected, with the flags to add by hand; neither entry is edited', () => {
    const out = twice('-Xmx2g');
    expect(out.stderr).toContain(
      "injected: container app's JAVA_TOOL_OPTIONS is set 2 times, and Kubernetes uses the last, so it cannot be " +
        'appended to here: add -Dhttp.proxyHost',
    );
    expect(out.stdout).toContain('              value: -Xmx2g\n');
  });

  it('the last naming a proxy already: kept, and said so', () => {
    const out = twice('-Dhttp.proxyHost=squid');
    expect(out.stderr).toContain("container app's JAVA_TOOL_OPTIONS already names a proxy: kept");
    expect(out.stderr).not.toContain('add -Dhttp.proxyHost');
  });
});

describe('8: !!omap (YAML test suite J7PZ) anywhere in an annotated workload: injected or refused, never an internal error', () => {
  const omap = (column: number) =>
    ['!!omap', '- Mark McGwire: 65', '- Sammy Sosa: 63', '- Ken Griffy: 58'].join(`\n${' '.repeat(column)}`);
  const places: [string, string][] = [
    ['labels', deployment('a').replace('  annotations:', `  labels: ${omap(4)}\n  annotations:`)],
    [
      'pod template annotations',
      deployment('a').replace(
        '      labels:\n        app: a\n',
        `      labels:\n        app: a\n      annotations: ${omap(8)}\n`,
      ),
    ],
    ['the pod template', deployment('a').replace(/ {2}template:[^]*$/, `  template: ${omap(4)}\n`)],
    ['a container', deployment('a').replace('      containers:\n', `      containers:\n        - ${omap(10)}\n`)],
    ['env', deployment('a', { container: `          env: ${omap(12)}\n` })],
    ['args', deployment('a', { container: `          args: ${omap(12)}\n` })],
    [
      'the last container, then volumes',
      deployment('a', { container: `          args: ${omap(12)}\n      volumes: []\n` }),
    ],
  ];
  it.each(places)('%s', (_where, text) => {
    for (const args of [['inject'], ['inject', '--tls-out']]) {
      const out = runCli(args, text);
      expect(out.stderr).not.toMatch(/internal error|node without/);
      expect(out.stderr).toMatch(/: (injected|error: not injected: .*(!!omap|pod template|not written out))/);
      const again = runCli(['uninstall'], out.stdout);
      expect(again.stdout).toBe(text);
    }
    const krm = run(resourceList([text]));
    expect(reasons(krm.stdout)).not.toContain('internal-error');
  });
});

describe('9: what is added since to a map or list the injection created stays when the sidecar goes', () => {
  // No workload labels, no template annotations, no init containers: the injection creates all three.
  const bare =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    ' +
    `${ON}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n`;
  const injected = runCli(['inject', '--annotated'], bare).stdout;
  /** The injected text with a label, a template annotation and an init container added by hand. */
  const edited = injected
    .replace(/^( {2}labels:\n)/m, '$1    team: payments\n')
    .replace(/^( {6}annotations:\n)/m, '$1        prometheus.io/scrape: "true"\n')
    .replace(/^( {6}initContainers:\n)/m, '$1      - name: migrate\n        image: migrate:1\n');
  const data = (text: string) => parseAllDocuments(text)[0].toJS();
  const own = (d: any) => ({
    labels: d.metadata.labels,
    annotations: d.spec.template.metadata?.annotations,
    init: d.spec.template.spec.initContainers?.map((c: { name: string }) => c.name),
  });

  it('the injection creates them (the record says so)', () => {
    for (const created of ['["metadata","labels"]', '["spec","template","metadata","annotations"]'])
      expect(injected).toContain(created);
    expect(edited).toContain('team: payments');
    expect(edited).toContain('prometheus.io/scrape');
    expect(edited).toContain('- name: migrate');
  });

  it('a re-run keeps them, beside the sidecar (the command line and the KRM function)', () => {
    const again = runCli(['inject', '--annotated'], edited);
    expect(again.code, again.stderr).toBe(0);
    const keep = own(data(again.stdout));
    expect(keep.labels).toMatchObject({ team: 'payments', 'sidecar.speedscale.com/injected': 'true' });
    expect(keep.annotations).toMatchObject({ 'prometheus.io/scrape': 'true' });
    expect(keep.init).toContain('migrate');
    expect(again.stdout).toContain('- name: speedscale-goproxy');
    const krm = parseList(run(resourceList([edited])).stdout).items[0];
    expect(own(krm)).toEqual(keep);
  });

  it('"false" and uninstall take out only what the injection added', () => {
    const meant = {
      labels: { team: 'payments' },
      annotations: { 'prometheus.io/scrape': 'true' },
      init: ['migrate'],
    };
    const off = runCli(['inject', '--annotated'], edited.replace(ON, 'sidecar.speedscale.com/inject: "false"'));
    const gone = runCli(['uninstall'], edited);
    for (const out of [off, gone]) {
      expect(out.code, out.stderr).toBe(0);
      expect(own(data(out.stdout))).toEqual(meant);
      expect(out.stdout).not.toContain('speedscale-goproxy');
      expect(out.stdout).not.toContain('sidecar.speedscale.com/injection');
    }
    // Nothing added by hand: removal is still the identity.
    expect(runCli(['uninstall'], injected).stdout).toBe(bare);
  });

  it("one kept for such an entry is still the injection's: no drift, and removed once the entry goes", () => {
    // What a kustomize overlay's commonLabels makes of the injected base, every time it builds.
    const overlaid = injected.replace(/^( {2}labels:\n)/m, '$1    team: payments\n');
    const check = runCli(['inject', '--annotated', '--check'], overlaid);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toContain('Deployment/web: unchanged');
    // In place: a re-run leaves it as it is, and the label gone, uninstall gives the author's bytes.
    const again = runCli(['inject', '--annotated'], overlaid).stdout;
    expect(again).toBe(overlaid);
    expect(runCli(['uninstall'], again.replace('    team: payments\n', '')).stdout).toBe(bare);
  });

  it('a record written before version 3: rewritten once, said as such, wherever kpt moved its line', () => {
    // The record an earlier release wrote: each created key whole in `added`, no `created`.
    const line = /^( {4}sidecar\.speedscale\.com\/injection: )'(.*)'$/m;
    const v3 = JSON.parse(line.exec(injected)![2]) as { added: unknown[][]; created: unknown[][] };
    const within = (path: unknown[], key: unknown[]) =>
      JSON.stringify(path.slice(0, key.length)) === JSON.stringify(key);
    const outermost = v3.created.filter((c) => !v3.created.some((o) => o !== c && within(c, o)));
    const v1 = { v: 1, added: [...v3.added.filter((p) => !v3.created.some((c) => within(p, c))), ...outermost] };
    const old = injected.replace(line, (_all, key: string) => `${key}'${JSON.stringify(v1)}'`);
    const moved = old.replace(line, (all) => `${all}\n    internal.config.kubernetes.io/path: 'web.yaml'`);
    for (const text of [old, moved]) {
      const check = runCli(['inject', '--annotated', '--check'], text);
      expect(check.code).toBe(1);
      expect(check.stderr).toContain(
        'drift: the injection record is version 1, which this release writes anew; nothing else would change',
      );
      const done = parseList(run(resourceList([text])).stdout).results.map((r) => r.message);
      expect(done).toEqual(['wrote the injection record anew (it was version 1); nothing else changed']);
    }
    // A record that names a key and keys inside it too (written by hand): one removal, not overlapping edits.
    const nested = { v: 1, added: [...v1.added, ...v3.created] };
    const both = injected.replace(line, (_all, key: string) => `${key}'${JSON.stringify(nested)}'`);
    expect(runCli(['uninstall'], both).stdout).toBe(bare);
  });

  it('a comment written into one is kept too: the key stays, empty, which Kubernetes reads as absent', () => {
    const note = '      # - name: migrate     # enable with release 2\n';
    const commented = injected.replace(/^( {6}initContainers:\n)/m, `$1${note}`);
    expect(commented).toContain(note);
    for (const out of [
      runCli(['uninstall'], commented),
      runCli(['inject', '--annotated', '--proxy-type', 'dual'], commented),
    ]) {
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain(note);
    }
    const removed = runCli(['uninstall'], commented).stdout;
    expect(removed).toBe(`${bare}      initContainers:\n${note}`);
    expect(data(removed).spec.template.spec.initContainers).toBeNull();
  });
});

// kpt and kustomize add annotations of their own while a function runs and take them away when they write the
// file (test/integration/kpt-cli-agree.test.ts runs the real kpt): the injection must not depend on them.
describe('9c: what kpt adds to metadata.annotations while the function runs changes nothing in the record', () => {
  const web = deployment('web', { annotations: '' }).replace(
    '      labels:\n        app: web\n',
    `      labels:\n        app: web\n      annotations:\n        ${ON}\n`,
  );
  const KPT =
    "  annotations:\n    config.kubernetes.io/index: '0'\n    internal.config.kubernetes.io/path: 'web.yaml'\n" +
    "    internal.config.kubernetes.io/seqindent: 'compact'\n    config.k8s.io/id: '1'\n";
  const withKpt = web.replace('  name: web\n', `  name: web\n${KPT}`);
  /** What kpt writes: its own annotations taken away (and the map with them when nothing else is left). */
  const written = (text: string) =>
    text.replace(
      /^ {4}(?:config\.kubernetes\.io|internal\.config\.kubernetes\.io|config\.k8s\.io)\/\S+: '[^']*'\n/gm,
      '',
    );
  const record = (text: string) => /injection: '(.*)'$/m.exec(text)![1];

  it("the record kpt gets is the command line's, up to order, and neither calls the other stale", () => {
    const [item] = itemsOf(run(resourceList([withKpt])).stdout);
    const fromKpt = written(item.replace(/^- /, '  ').replace(/^ {2}/gm, ''));
    const fromCli = runCli(['inject'], web).stdout;
    expect(JSON.parse(record(fromKpt)).created).toContainEqual(['metadata', 'annotations']);
    expect(JSON.parse(record(fromKpt)).created.sort()).toEqual(JSON.parse(record(fromCli)).created.sort());
    expect(runCli(['inject', '--check'], fromKpt).code).toBe(0);
    const inKpt = resourceList([fromCli.replace(/^ {2}annotations:\n/m, KPT)]);
    const again = run(inKpt);
    expect(reasons(again.stdout)).not.toContain('updated');
    expect(again.stdout.startsWith(inKpt)).toBe(true);
    const off = (text: string) => text.replace('inject: "true"', 'inject: "false"');
    expect(runCli(['inject'], off(fromKpt)).stdout).toBe(off(web));
  });
});

describe('9b: a record that names what is no longer there is said, not passed over', () => {
  it('an app container renamed since: the proxy variables under its old name are reported', () => {
    const forward = deployment('web', {
      annotations: `  annotations:\n    ${ON}\n    sidecar.speedscale.com/proxy-type: forward\n`,
    });
    const injected = runCli(['inject', '--annotated'], forward).stdout;
    expect(injected).toContain('HTTP_PROXY');
    const renamed = injected.replace('- name: web\n', '- name: api\n');
    for (const args of [['uninstall'], ['inject', '--annotated']]) {
      const out = runCli(args, renamed);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toContain(
        'the injection record names spec.template.spec.containers[name=web].env[name=HTTP_PROXY] and 5 more, ' +
          'not there any more (renamed or removed since): what the injection added there is left as it is; check it by hand',
      );
    }
    const krm = run(resourceList([renamed.replace(ON, 'sidecar.speedscale.com/inject: "false"')]));
    const gone = parseList(krm.stdout).results.find((r) => r.tags?.reason === 'record-gone');
    expect(gone?.severity).toBe('warning');
    // Nothing renamed: nothing said.
    expect(runCli(['uninstall'], injected).stderr).not.toContain('record names');
  });
});

describe('JSON documents joined with --- (kubectl get -o json, one call per resource)', () => {
  const json = (name: string) => JSON.stringify(parseAllDocuments(deployment(name))[0].toJS(), null, 2);
  const stream = `${json('a')}\n---\n${json('b')}\n`;

  it('are a YAML stream of documents: each injected, the way back byte for byte, as in a ResourceList', () => {
    const injected = runCli(['inject', '--annotated'], stream);
    expect(injected.stderr).toBe(
      '<stdin>: Deployment/a: injected\n<stdin>: Deployment/b: injected\nsidecar-injector: 2 resources: 2 injected\n',
    );
    for (const doc of parseAllDocuments(injected.stdout)) expect(doc.errors).toEqual([]);
    expect(runCli(['uninstall'], injected.stdout).stdout).toBe(stream);
  });
});

describe('Windows pods: the injected Linux containers can neither be admitted nor run there', () => {
  // spec.os.name: windows makes the API server refuse runAsUser, runAsGroup, capabilities, privileged,
  // allowPrivilegeEscalation and seccompProfile ("cannot be set for a windows pod"); a Windows nodeSelector puts
  // the Linux goproxy and iptables images on a Windows node, where they never start.
  const byOs = deployment('iis', { podSpec: '      os:\n        name: windows\n' });
  const bySelector = deployment('iis', { podSpec: '      nodeSelector:\n        kubernetes.io/os: windows\n' });
  const byBeta = deployment('iis', { podSpec: '      nodeSelector:\n        beta.kubernetes.io/os: windows\n' });
  const linux = deployment('web', { podSpec: '      os:\n        name: linux\n' });
  const linuxNodes = deployment('web', { podSpec: '      nodeSelector:\n        kubernetes.io/os: linux\n' });

  it.each([
    ['spec.os.name', byOs, 'spec.template.spec.os.name'],
    ['a kubernetes.io/os nodeSelector', bySelector, 'spec.template.spec.nodeSelector'],
    ['the beta.kubernetes.io/os nodeSelector, still set on nodes', byBeta, 'spec.template.spec.nodeSelector'],
  ])('%s: not injected, said, the item as it came', (_what, text, field) => {
    for (const settings of [[], ['  proxyType: dual\n']]) {
      const config = configMap(settings.join(''));
      const out = run(resourceList([text], config));
      // Only why: not dual's "no iptables init container", which describes an injection not made.
      expect(reasons(out.stdout)).toEqual(['windows']);
      const [result] = parseList(out.stdout).results;
      expect(result.severity).toBe('warning');
      expect(result.message).toMatch(/not injected: the pod runs on Windows/);
      expect(result.field?.path).toBe(field);
      expect(parseList(out.stdout).items[0]).toEqual(parseList(resourceList([text])).items[0]);
    }
  });

  it('a Linux pod is injected as any other, by os.name or by nodeSelector', () => {
    expect(reasons(run(resourceList([linux])).stdout)).toEqual(['injected']);
    expect(reasons(run(resourceList([linuxNodes])).stdout)).toEqual(['injected']);
  });
});

describe('a workload left without a sidecar hears why, not what the sidecar would have come with', () => {
  // A hostNetwork Job: skipped for iptables on the node. "Job pods will not complete: the classic goproxy
  // sidecar keeps running" was said beside it, of a sidecar it never got.
  const job = [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    '  name: migrate',
    '  annotations:',
    '    sidecar.speedscale.com/inject: "true"',
    'spec:',
    '  template:',
    '    spec:',
    '      hostNetwork: true',
    '      restartPolicy: Never',
    '      containers:',
    '      - name: migrate',
    '        image: migrate:1',
    '',
  ].join('\n');

  it('skipped: the reason alone; injected, the same Job hears the warning', () => {
    expect(reasons(run(resourceList([job])).stdout)).toEqual(['host-network']);
    const injected = run(resourceList([job.replace('      hostNetwork: true\n', '')]));
    expect(reasons(injected.stdout)).toEqual(['run-to-completion', 'injected']);
  });

  it("blocked: every finding, the injection's included, so all of it is fixed in one go", () => {
    const onProxyPort = job
      .replace('      hostNetwork: true\n', '')
      .replace(
        '        image: migrate:1\n',
        '        image: migrate:1\n        ports:\n        - containerPort: 4143\n',
      );
    expect(reasons(run(resourceList([onProxyPort])).stdout)).toEqual(['port-conflict', 'run-to-completion']);
  });

  // Blocked where an earlier run injected it, the sidecar stays: no finding may say "not injected" of it, the
  // one that would have skipped it (hostNetwork) no more than the one that blocks.
  it('blocked after an earlier injection: every refusal says the sidecar stays', () => {
    const injected = itemsOf(run(resourceList([job.replace('      hostNetwork: true\n', '')])).stdout)[0]
      .replace(/^- /, '  ')
      .replace(/^ {2}/gm, '');
    const blocked = injected
      .replace('    spec:\n', '    spec:\n      hostNetwork: true\n')
      .replace(
        '        image: migrate:1\n',
        '        image: migrate:1\n        ports:\n        - containerPort: 4143\n',
      );
    expect(blocked).not.toBe(injected);
    const messages = parseList(run(resourceList([blocked])).stdout).results.map((r) => r.message as string);
    const stays = 'not updated (the sidecar an earlier run injected stays as it is): ';
    expect(messages.filter((m) => m.startsWith('not ')).map((m) => m.replace(stays, ''))).toEqual([
      expect.stringMatching(/^the pod uses hostNetwork: true/),
      expect.stringMatching(/^container migrate already listens on 4143/),
    ]);
    // Only skipped, the run takes the sidecar out: --check says so as drift, and nothing of it staying.
    const skipped = injected.replace('    spec:\n', '    spec:\n      hostNetwork: true\n');
    const checked = parseList(run(resourceList([skipped], configMap('  mode: check\n'))).stdout).results;
    expect(checked.map((r) => r.message as string)).toEqual([
      expect.stringMatching(/^not injected: the pod uses hostNetwork: true/),
      'drift: injected, but injection is off; run the function to remove it',
    ]);
  });
});

describe('Kubernetes reads a pod spec further than its own keys', () => {
  it('a required node affinity that allows only Windows nodes: not injected, said at the affinity', () => {
    const term = (values: string, operator = 'In') =>
      `          - matchExpressions:\n              - key: kubernetes.io/os\n                operator: ${operator}\n` +
      `                values: [${values}]\n`;
    const affinity = (...terms: string[]) =>
      deployment('iis', {
        podSpec:
          '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n' +
          `            nodeSelectorTerms:\n${terms.map((t) => t.replace(/^ {10}/gm, '              ')).join('')}`,
      });
    const windows = run(resourceList([affinity(term('windows'), term('windows'))]));
    expect(reasons(windows.stdout)).toEqual(['windows']);
    const [result] = parseList(windows.stdout).results;
    expect(result.message).toMatch(/its required node affinity picks only Windows nodes/);
    expect(result.field?.path).toBe('spec.template.spec.affinity.nodeAffinity');
    // A term that lets the pod onto Linux nodes, or one value among others: it may run on Linux, so injected.
    expect(reasons(run(resourceList([affinity(term('windows'), term('linux'))])).stdout)).toEqual(['injected']);
    expect(reasons(run(resourceList([affinity(term('windows, linux'))])).stdout)).toEqual(['injected']);
    // Every node has an OS label, linux or windows: a term that leaves out linux leaves only Windows.
    expect(reasons(run(resourceList([affinity(term('linux', 'NotIn'))])).stdout)).toEqual(['windows']);
    expect(reasons(run(resourceList([affinity(term('windows'), term('linux, darwin', 'NotIn'))])).stdout)).toEqual([
      'windows',
    ]);
    for (const [values, operator] of [
      ['windows', 'NotIn'],
      ['linux', 'Exists'],
      ['windows', 'Gt'],
    ])
      expect(reasons(run(resourceList([affinity(term(values, operator))])).stdout)).toEqual(['injected']);
    // A term with no expression and no field matches no node (nodeaffinity.isEmptyNodeSelectorTerm): beside
    // a Windows term, the pod still goes only to Windows nodes.
    for (const empty of ['          - {}\n', '          - matchExpressions: []\n'])
      expect(reasons(run(resourceList([affinity(term('windows'), empty)])).stdout)).toEqual(['windows']);
  });

  it("a StatefulSet's volumeClaimTemplate named like a volume of ours: refused, since the claim would replace it", () => {
    // The StatefulSet controller drops a pod volume named like a claim template and mounts the claim instead:
    // tls-out's certificate would silently be an empty disk.
    const set = (claim: string) =>
      deployment('db')
        .replace('kind: Deployment', 'kind: StatefulSet')
        .replace('spec:\n  selector:', 'spec:\n  serviceName: db\n  selector:') +
      `  volumeClaimTemplates:\n    - metadata:\n        name: ${claim}\n      spec:\n        accessModes: [ReadWriteOnce]\n` +
      '        resources:\n          requests:\n            storage: 1Gi\n';
    const config = configMap('  tlsOut: "true"\n');
    const refused = run(resourceList([set('speedscale-tls-out')], config));
    expect(reasons(refused.stdout)).toEqual(['claim-name']);
    expect(parseList(refused.stdout).results[0].message).toBe(
      "not injected: the StatefulSet's volumeClaimTemplate speedscale-tls-out is named like the volume the " +
        'injection adds, and the controller would mount the claim in its place; turn off the setting that adds it ' +
        'for this workload (a claim template is renamed only by recreating the StatefulSet, and its claims with it)',
    );
    expect(parseList(refused.stdout).items[0]).toEqual(parseList(resourceList([set('speedscale-tls-out')])).items[0]);
    expect(reasons(run(resourceList([set('data')], config)).stdout)).toEqual(['injected']);
  });

  it('pod-level resources the injected containers would break: refused, said at the field, the item as it came', () => {
    const web = (memory: string) =>
      deployment('web', {
        podSpec: `      resources:\n        requests:\n          memory: ${memory}\n`,
        container: '          resources:\n            requests:\n              memory: 100Mi\n',
      });
    const refused = run(resourceList([web('128Mi')]));
    expect(reasons(refused.stdout)).toEqual(['pod-resources']);
    const [result] = parseList(refused.stdout).results;
    expect(result.message).toBe(
      "not injected: the pod's spec.resources.requests.memory is 128Mi, and its containers would request 132Mi " +
        "together with the injected ones, which the API server refuses; raise it, or lower the sidecar's " +
        'memory-request',
    );
    expect(result.field?.path).toBe('spec.template.spec.resources.requests.memory');
    expect(parseList(refused.stdout).items[0]).toEqual(parseList(resourceList([web('128Mi')])).items[0]);
    expect(reasons(run(resourceList([web('132Mi')])).stdout)).toEqual(['injected']);
  });

  it('the pod-level value and the sum, compared: said in one unit, never 400M against 390Mi', () => {
    const web = (memory: string, app: string) =>
      deployment('web', {
        podSpec: `      resources:\n        requests:\n          memory: ${memory}\n`,
        container: `          resources:\n            requests:\n              memory: ${app}\n`,
      });
    const said = (memory: string, app: string) =>
      parseList(run(resourceList([web(memory, app)])).stdout).results[0].message as string;
    // 400M is 390625Ki, the sum (358Mi and the sidecar's 32Mi) 399360Ki: a unit both are whole in.
    expect(said('400M', '358Mi')).toMatch(/ is 390625Ki, and its containers would request 399360Ki together /);
    // 138M and 132Mi share none: bytes.
    expect(said('138M', '100Mi')).toMatch(/ is 138000000, and its containers would request 138412032 together /);
  });

  it("a sidecar limit over the pod's: said with the fixes that work, a native sidecar among them", () => {
    const web = deployment('web', { podSpec: '      resources:\n        limits:\n          cpu: "1"\n' });
    const [result] = parseList(run(resourceList([web], configMap('  cpuLimit: 1500m\n'))).stdout).results;
    expect(result.message).toBe(
      "not injected: the pod's spec.resources.limits.cpu is 1, less than the sidecar's limit of 1500m, which the " +
        "API server refuses; raise it, lower the sidecar's cpu-limit, or make it a native sidecar (native-sidecar), " +
        "whose limit the pod's does not bound",
    );
    expect(result.field?.path).toBe('spec.template.spec.resources.limits.cpu');
    const native = run(resourceList([web], configMap('  cpuLimit: 1500m\n  nativeSidecar: "true"\n')));
    expect(reasons(native.stdout)).toEqual(['injected']);
  });

  it('pod-level resources the fixed init containers break: says so, and what does without them', () => {
    // No app request; the sidecar asks 1Mi, the iptables init container (running alone) its fixed 32Mi. The pod
    // value is written in bytes: said in the unit of the sum.
    const web = deployment('web', { podSpec: '      resources:\n        requests:\n          memory: "31457280"\n' });
    const config = configMap('  memoryRequest: 1Mi\n');
    const [result] = parseList(run(resourceList([web], config)).stdout).results;
    expect(result.message).toBe(
      "not injected: the pod's spec.resources.requests.memory is 30Mi, and its containers would request 32Mi " +
        'together with the injected ones, which the API server refuses; raise it, or take a proxy type without ' +
        'the iptables init containers, whose 32Mi is fixed (reverse, forward or dual)',
    );
    const dual = `${config}  proxyType: dual\n`;
    expect(reasons(run(resourceList([web], dual)).stdout)).not.toContain('pod-resources');
  });

  it('pod-level resources neither fix alone mends: both are said', () => {
    // The app's 30Mi and the sidecar's 2Mi go past 31Mi, and so does the init container's fixed 32Mi alone:
    // lowering the sidecar's request is not enough, nor is a proxy type without the init containers.
    const web = deployment('web', {
      podSpec: '      resources:\n        requests:\n          memory: 31Mi\n',
      container: '          resources:\n            requests:\n              memory: 30Mi\n',
    });
    const config = configMap('  memoryRequest: 2Mi\n');
    const [result] = parseList(run(resourceList([web], config)).stdout).results;
    expect(result.message).toBe(
      "not injected: the pod's spec.resources.requests.memory is 31Mi, and its containers would request 32Mi " +
        'together with the injected ones, which the API server refuses; raise it, or take a proxy type without ' +
        "the iptables init containers, whose 32Mi is fixed (reverse, forward or dual), and lower the sidecar's " +
        'memory-request',
    );
  });

  it('a mount path written with a trailing slash or doubled slashes is the one the injection would add', () => {
    const config = configMap('  tlsOut: "true"\n');
    const plain = parseList(run(resourceList([deployment('web')], config)).stdout).items[0] as {
      spec: { template: { spec: { containers: { volumeMounts: { mountPath: string; name: string }[] }[] } } };
    };
    const ours = plain.spec.template.spec.containers[0].volumeMounts[0].mountPath;
    for (const written of [`${ours}/`, ours.replace('/', '//'), `${ours}/./`]) {
      const mine = `          volumeMounts:\n            - name: certs\n              mountPath: ${written}\n`;
      const web = deployment('web', {
        container: mine,
        podSpec: '      volumes:\n        - name: certs\n          emptyDir: {}\n',
      });
      const out = run(resourceList([web], config));
      expect(reasons(out.stdout)).toEqual(['user-value', 'injected']);
      const item = parseList(out.stdout).items[0] as typeof plain;
      const mounts = item.spec.template.spec.containers[0].volumeMounts;
      expect(mounts.map((m) => m.mountPath).filter((p) => p !== written && p.startsWith(ours))).toEqual([]);
    }
  });
});
