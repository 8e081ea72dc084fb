/**
 * The YAML that once made the function write output that meant something else, or no longer parsed, while
 * it exited 0: each reproducer, in the KRM function and on the command line, must now be injected
 * correctly (it means the input plus exactly the recorded additions), be stable on a second run, and come
 * back byte for byte when the annotation turns "false". And the guard that makes the class impossible
 * must catch a deliberately misplaced edit.
 */
import { describe, expect, it } from 'vitest';
import { cli, type Io } from '../../fn/cli/cli';
import { place, type Addition } from '../../fn/inject/additions';
import { checkInjection, checkRemoval } from '../../fn/inject/guard';
import { parseResource, type Resource } from '../../fn/resource';
import { run } from '../../fn/krm/run';
import {
  notAnAddition,
  parseList,
  RECORD,
  removePath,
  uncreated,
  unfilled,
  type Data,
  type Path,
} from '../support/differential-oracle';

const ON = 'sidecar.speedscale.com/inject: "true"';
const OFF = 'sidecar.speedscale.com/inject: "false"';
const HEADER = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';

/** "D" of the issue: Deployment `a`, annotated, block labels on the workload and the template, one container. */
function d(parts: { labels?: string; templateMeta?: string; spec?: string } = {}): string {
  const labels = parts.labels ?? '    labels:\n      app: a\n';
  const templateMeta = parts.templateMeta ?? '        labels:\n          app: a\n';
  const spec = parts.spec ?? '        containers:\n        - name: app\n          image: example.com/app:1\n';
  return (
    `- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: a\n    annotations:\n      ${ON}\n${labels}` +
    `  spec:\n    template:\n      metadata:\n${templateMeta}      spec:\n${spec}`
  );
}
const CONFIG_MAP =
  '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n  data:\n    hex: 0x1F\n    n: 1_000\n';
const list = (items: string, header = HEADER + 'items:\n') => header + items;

/** ResourceLists that must be injected as they are: [name, input]. */
const INJECTABLE: [string, string][] = [
  [
    '1: an empty last template label followed by a comment',
    list(d({ templateMeta: '        labels:\n          app: a\n          tier:\n        # TODO\n' })),
  ],
  [
    '2: metadata.labels ending in a nested explicit key with no value',
    list(d({ labels: '    labels:\n      app: a\n      x:\n        ? z\n' })),
  ],
  [
    '2: template labels ending in a !!set',
    list(d({ templateMeta: '        labels:\n          app: a\n          s: !!set\n            ? b\n' })),
  ],
  [
    '3: the pod spec written with an explicit key (? containers)',
    list(d({ spec: '        ? containers\n        :\n        - name: app\n          image: x\n' })),
  ],
  [
    '3: template metadata written with an explicit key (? labels)',
    list(d({ templateMeta: '        ? labels\n        : app: a\n' })),
  ],
  ['3: a tagged first key (!!str labels)', list(d({ templateMeta: '        !!str labels:\n          app: a\n' }))],
  ['3: an anchored first key (&k labels)', list(d({ templateMeta: '        &k labels:\n          app: a\n' }))],
  [
    '5: names a YAML 1.2 reader takes for numbers',
    list(
      d({ spec: "        containers:\n        - name: '0o17'\n          image: x\n" }).replace(
        'name: a\n',
        "name: '1e3'\n",
      ),
    ),
  ],
  ['6: items: # a comment', list(CONFIG_MAP + d(), HEADER + 'items: # a comment\n')],
  ['6: items :', list(CONFIG_MAP + d(), HEADER + 'items :\n')],
  [
    '7: a comment after the last value of the pod spec',
    list(
      d({ spec: '        containers:\n        - name: app\n          image: x\n        hostname:\n        # TODO\n' }),
    ),
  ],
  [
    '7: a !!str block label then a less-indented comment',
    list(
      d({
        templateMeta:
          '        labels:\n          app: a\n          note: !!str |\n            text\n      # less indented\n',
      }),
    ),
  ],
  ['8: no final newline', list(d()).replace(/\n$/, '')],
  ['9: CRLF line endings', list(CONFIG_MAP + d()).replace(/\n/g, '\r\n')],
  ['9: a byte-order mark', `\uFEFF${list(CONFIG_MAP + d())}`],
  ['9: a column-0 comment before the next item', list(`${d()}# about the ConfigMap\n${CONFIG_MAP}`)],
  [
    'a StatefulSet whose last container ends in a commented-out block, then volumeClaimTemplates',
    list(
      '- apiVersion: apps/v1\n  kind: StatefulSet\n  metadata:\n    name: db\n    annotations:\n      ' +
        `${ON}\n  spec:\n    template:\n      spec:\n        containers:\n        - name: db\n          image: x\n` +
        '          # resources:\n          #   limits:\n          #     cpu: 1\n    volumeClaimTemplates:\n' +
        '    - metadata:\n        name: data\n',
    ),
  ],
  // Empty values followed by comment lines, read by the fast parser since it copies where `yaml` ends them.
  [
    'an empty annotation followed by a commented-out one, then the labels',
    list(d({ labels: '      note:\n      # sidecar.speedscale.com/tls-out: "true"\n    labels:\n      app: a\n' })),
  ],
  [
    'an empty last template label with a deeper comment under it',
    list(d({ templateMeta: '        labels:\n          app: a\n          tier:\n            # frontend\n' })),
  ],
  [
    'a last container ending in an empty list item and a comment',
    list(
      d({
        spec: '        containers:\n        - name: app\n          image: x\n          args:\n          -\n          # none yet\n',
      }),
    ),
  ],
  ['11: --- before the list and ... after it', `---\n${list(CONFIG_MAP + d())}...\n`],
  ['11: a quoted "items" key', list(CONFIG_MAP + d(), HEADER + '"items":\n')],
  ['11: a top-level key with a space after the items', `${list(CONFIG_MAP + d())}x y: 1\n`],
  ['12: the key with an escaped slash', list(d().replace(ON, '"sidecar.speedscale.com\\/inject": "true"'))],
  ['12: the key with \\u002F', list(d().replace(ON, '"sidecar.speedscale.com\\u002Finject": "true"'))],
  ['12: the key with an escaped dot (\\u002E)', list(d().replace(ON, '"sidecar\\u002Espeedscale.com/inject": "true"'))],
  [
    '12: the key split by an escaped line break',
    list(d().replace(ON, '? "sidecar.speedscale\\\n        .com/inject"\n      : "true"')),
  ],
  // Keys Kubernetes reads as absent, filled in place (issue 21): the record says what each held.
  [
    'workload annotations that hold only a commented-out opt-in',
    list(
      d({ templateMeta: `        annotations:\n          ${ON}\n` }).replace(
        `    annotations:\n      ${ON}\n`,
        '    annotations:\n      # sidecar.speedscale.com/tls-out: "true"\n',
      ),
    ),
  ],
  ['template labels: ~ with a comment', list(d({ templateMeta: '        labels: ~ # none yet\n' }))],
  [
    'initContainers: null, volumes: Null and an env: with nothing, with tls-out',
    list(
      d({
        spec:
          '        initContainers: null\n        containers:\n        - name: app\n          image: x\n          env:\n' +
          '          volumeMounts: NULL # none\n        volumes: Null\n',
      }).replace(ON, `${ON}\n      sidecar.speedscale.com/tls-out: "true"`),
    ),
  ],
];

const itemsOf = (text: string): Data[] => parseList(text).items;
const flip = (text: string) => unescaped(text).split(ON).join(OFF);
const unescaped = (text: string) =>
  text
    .replace(/"sidecar\.speedscale\.com\\(?:\/|u002F)inject": "true"/g, ON)
    .replace(/"sidecar\\u002Espeedscale\.com\/inject": "true"/g, ON)
    .replace(/\? "sidecar\.speedscale\\\n *\.com\/inject"\n *: "true"/g, ON);
/** The output without its results (up to a closing `...`, which stays), where the items end. */
const itemsRegion = (text: string) => text.replace(/^results:\r?\n[\s\S]*?(?=^\.\.\.\r?$|(?![\s\S]))/m, '');

/** The item's data with every recorded addition undone; each must be one the function may make. */
function undone(item: Data, input: Data): Data {
  const record = (item as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations?.[RECORD];
  expect(record, 'the injected item carries its record').toBeTypeOf('string');
  let rest = item;
  const { added, created, filled } = JSON.parse(record!) as {
    added: Path[];
    created?: Path[];
    filled?: { path: Path }[];
  };
  for (const path of added) {
    const removed = removePath(rest, path);
    expect(removed, `recorded path ${JSON.stringify(path)} is in the output`).toBeDefined();
    expect(notAnAddition(path, removed!.removed, input)).toBeUndefined();
    rest = removed!.rest;
  }
  return unfilled(uncreated(rest, created), filled);
}

describe('reproducers: injected correctly, stable, and restored by "false" (KRM function)', () => {
  it.each(INJECTABLE)('%s', (_name, input) => {
    const out = run(input);
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    const parsed = parseList(out.stdout);
    expect(parsed.errors).toEqual([]);
    expect(parsed.results.map((r) => r.tags?.reason)).toEqual(['injected']);
    // Means the input plus exactly the additions: untouched items equal, injected ones once undone.
    const before = itemsOf(unescaped(input));
    parsed.items.forEach((item, i) => {
      const annotated = JSON.stringify(item).includes(RECORD);
      expect(annotated ? undone(item, before[i]) : item).toEqual(before[i]);
    });
    // Line endings and the byte-order mark as the input had them.
    expect(out.stdout.startsWith('\uFEFF')).toBe(input.startsWith('\uFEFF'));
    if (input.includes('\r\n')) expect(itemsRegion(out.stdout)).not.toMatch(/(?<!\r)\n/);
    // A second run changes nothing, and says so.
    const again = run(itemsRegion(out.stdout));
    expect(itemsRegion(again.stdout)).toBe(itemsRegion(out.stdout));
    expect(parseList(again.stdout).results).toEqual([]);
    // "false" gives back the input's bytes (a ResourceList that gets results ends its last line).
    const off = run(flip(out.stdout));
    expect(off.exitCode).toBe(0);
    expect(itemsRegion(off.stdout)).toBe(itemsRegion(flip(input)).replace(/([^\n])$/, '$1\n'));
  });
});

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

const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n' +
  '      containers:\n      - name: app\n        image: x\n';

describe('reproducers on the command line: inject, inject again, remove', () => {
  it.each([
    [
      'a last document that is empty (a trailing ---)',
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\n${DEPLOYMENT}---\n`,
    ],
    ['no final newline', DEPLOYMENT.replace(/\n$/, '')],
    ['CRLF line endings', DEPLOYMENT.replace(/\n/g, '\r\n')],
    ['a byte-order mark', `\uFEFF${DEPLOYMENT}`],
    [
      'null annotations and labels, as Helm renders an empty range',
      DEPLOYMENT.replace('  name: a\n', '  name: a\n  annotations:\n  labels: ~\n'),
    ],
    [
      'JSON numbers a double cannot hold',
      JSON.stringify({ ...JSON.parse(toJson(DEPLOYMENT)), extra: 0 }).replace(
        '"extra":0',
        '"big":9007199254740993,"huge":123456789012345678901,"inf":1e400',
      ),
    ],
  ])('%s', (_name, text) => {
    const injected = runCli(['inject'], text);
    expect(injected.code, injected.stderr).toBe(0);
    expect(injected.stderr).toMatch(/: injected\n/);
    for (const n of ['9007199254740993', '123456789012345678901', '1e400'])
      if (text.includes(n)) expect(injected.stdout).toContain(n);
    const again = runCli(['inject'], injected.stdout);
    expect(again.stdout).toBe(injected.stdout);
    expect(again.stderr).not.toMatch(/: (injected|updated)\n/);
    const removed = runCli(['remove'], injected.stdout);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(text);
  });
});

function toJson(yamlText: string): string {
  const data = itemsOf(list(`- ${yamlText.replace(/\n(?=.)/g, '\n  ')}`))[0];
  return JSON.stringify(data);
}

describe('what cannot be honoured is an error naming why, and the item is left as it was', () => {
  it.each([
    ['the trigger merged in (<<)', d().replace(ON, `<<: {${ON}}`)],
    [
      'the trigger key written as an alias',
      d({ labels: '' }).replace(
        `    annotations:\n      ${ON}\n`,
        '    labels:\n      &k sidecar.speedscale.com/inject: x\n    annotations:\n      *k : "true"\n',
      ),
    ],
  ])('%s', (_name, item) => {
    const input = list(item);
    const out = run(input);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/written as an alias or through a merge key/);
    expect(itemsRegion(out.stdout)).toBe(input);
  });

  // A key given through `<<` and written out beside it would replace what the merge gives, not add to it.
  it.each([
    [
      'init containers merged into the pod spec',
      d({
        spec: '        <<: {initContainers: [{name: mig, image: m}]}\n        containers:\n        - {name: app, image: x}\n',
      }),
      'spec.template.spec.initContainers',
    ],
    [
      'the containers merged in',
      d({ spec: '        <<: {containers: [{name: app, image: x}]}\n' }),
      'spec.template.spec.containers',
    ],
    [
      'template labels merged in',
      d({ templateMeta: '        <<: {labels: {app: a}}\n' }),
      'spec.template.metadata.labels',
    ],
    ['the workload labels merged in', d({ labels: '    <<: {labels: {app: a}}\n' }), 'metadata.labels'],
    [
      'a label merged into the labels the injection adds to',
      d({ templateMeta: '        labels:\n          <<: {sidecar.speedscale.com/injected: "no"}\n          app: a\n' }),
      'spec.template.metadata.labels["sidecar.speedscale.com/injected"]',
    ],
  ])('merge key: %s', (_name, item, where) => {
    const input = list(item);
    const out = run(input);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain(`${where} is given through a merge key (<<)`);
    expect(itemsRegion(out.stdout)).toBe(input);
  });

  // Kubernetes (go-yaml v2) lets a `<<` override the keys written before it; kustomize, kpt and `yaml` keep them.
  it.each([
    [
      'the containers written before a merge that gives its own',
      d({
        spec:
          '        containers:\n        - name: app\n          image: x\n' +
          '        <<: {dnsPolicy: ClusterFirst, containers: [{name: base, image: b}]}\n',
      }),
      'spec.template.spec.containers',
    ],
    [
      "an app's ports written before a merge that gives the proxy's port",
      d({
        spec:
          '        containers:\n        - name: app\n          image: x\n          ports: [{containerPort: 8080}]\n' +
          '          <<: {ports: [{containerPort: 4143}]}\n',
      }),
      'spec.template.spec.containers[0].ports',
    ],
    [
      'the annotations written before a merge that gives its own',
      d().replace(`      ${ON}\n`, `      sidecar.speedscale.com/inject: "false"\n    <<: {annotations: {${ON}}}\n`),
      'metadata.annotations',
    ],
    [
      'the trigger written before a merge that turns it off',
      d().replace(`      ${ON}\n`, `      ${ON}\n      <<: {sidecar.speedscale.com/inject: "false"}\n`),
      'metadata.annotations["sidecar.speedscale.com/inject"]',
    ],
  ])('merge order: %s', (_name, item, where) => {
    const input = list(item);
    const out = run(input);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain(`${where} is written before a merge key (<<) that also gives it`);
    expect(itemsRegion(out.stdout)).toBe(input);
  });

  it('merge order: a key written after the merge, or one the merge does not give, is read alike by all: injected', () => {
    for (const spec of [
      '        <<: {dnsPolicy: ClusterFirst, containers: [{name: base, image: b}]}\n' +
        '        containers:\n        - name: app\n          image: x\n',
      '        containers:\n        - name: app\n          image: x\n        <<: {dnsPolicy: ClusterFirst}\n',
    ]) {
      const out = run(list(d({ spec })));
      expect(out.exitCode, out.stderr).toBe(0);
      expect(out.stdout).toContain('name: speedscale-goproxy');
    }
  });

  it.each([
    [
      '10: a key longer than 1,024 characters in an annotated item',
      list(d({ labels: `    labels:\n      ${'k'.repeat(1100)}: v\n` })),
      /at most 1024 chars/,
    ],
    ['10: an invalid escape in an item nobody parses', list(`${CONFIG_MAP}    e: "\\."\n`), /Invalid escape/],
    ['10: a comment glued to a closing quote', list(`${CONFIG_MAP}    e: "v"# c\n`), /Comments must be separated/],
    ['10: two commas in a flow sequence', list(`${CONFIG_MAP}    e: [ a, b, c,, ]\n`), /Unexpected , in flow/],
    [
      '11: a tab at column 0 flags its item, the list is read',
      list(`${CONFIG_MAP}\tt: 1\n${d()}`),
      /item 0 .*malformed YAML/,
    ],
  ])('%s', (_name, input, message) => {
    const out = run(input);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(message);
    expect(
      out.stderr
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('sidecar-injector: ')),
    ).toBe(true);
    // The broken item goes out as it came; a Deployment beside it is still injected.
    const items = parseList(out.stdout).results.map((r) => r.tags?.reason);
    if (input.includes('kind: Deployment') && !input.includes('k'.repeat(1100))) expect(items).toContain('injected');
  });

  it("13: nothing but our own lines on stderr (yaml's collection-key warning included)", () => {
    const out = run(list(d({ labels: '    labels:\n      app: a\n      ? [x]\n      : y\n' })));
    expect(out.stderr.split('\n').filter((l) => l && !l.startsWith('sidecar-injector: '))).toEqual([]);
  });
});

describe('the guard', () => {
  const resource = (text: string): Resource => {
    const r = parseResource(text);
    if ('error' in r) throw new Error(r.error);
    return r;
  };
  const base = resource(
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  labels:\n    app: a\nspec:\n  template:\n' +
      '    metadata:\n      labels:\n        app: a\n    spec:\n      containers:\n      - name: app\n        image: x\n',
  );
  const additions: Addition[] = [
    { path: ['metadata', 'labels'], key: 'sidecar.speedscale.com/injected', value: 'true' },
    {
      path: ['spec', 'template', 'metadata'],
      key: 'annotations',
      value: { 'kubectl.kubernetes.io/default-container': 'app' },
    },
  ];
  const placed = place(base, additions);
  if ('blocked' in placed) throw new Error(`cannot place: ${placed.what}`);
  const placement = placed;
  const right = base.text
    .replace('    app: a\nspec:', '    app: a\n    sidecar.speedscale.com/injected: "true"\nspec:')
    .replace(
      '        app: a\n    spec:',
      '        app: a\n      annotations:\n        kubectl.kubernetes.io/default-container: app\n    spec:',
    );

  it('passes the right edit', () => {
    expect(checkInjection(base, placement, right)).toBeUndefined();
  });

  it.each([
    // What case 1 did: the annotations written one level too deep, under the pod spec.
    [
      'a misplaced map',
      right.replace(
        '      annotations:\n        kubectl.kubernetes.io/default-container: app\n    spec:\n',
        '    spec:\n      annotations:\n        kubectl.kubernetes.io/default-container: app\n',
      ),
      /spec\.template\.(metadata|spec)\.annotations/,
    ],
    // What case 2 did: the label written into the next map.
    [
      'a label in the wrong map',
      right.replace(
        '    sidecar.speedscale.com/injected: "true"\nspec:',
        'spec:\n  sidecar.speedscale.com/injected: "true"',
      ),
      /metadata\.labels|spec/,
    ],
    [
      'text that no longer parses',
      right.replace('    sidecar.speedscale.com/injected: "true"', '   sidecar.speedscale.com/injected: "true"'),
      /does not parse/,
    ],
    [
      'a value that reads as another type',
      right.replace('default-container: app', 'default-container: 0o17'),
      /default-container/,
    ],
    ['a byte lost elsewhere', right.replace('image: x', 'image: y'), /image/],
  ])('catches %s', (_name, wrong, where) => {
    const unsafe = checkInjection(base, placement, wrong);
    expect(unsafe?.message).toMatch(where);
  });

  it('catches a removal that takes more, or less, than was recorded', () => {
    const injected = resource(right);
    const recorded: Path[] = [
      ['metadata', 'labels', 'sidecar.speedscale.com/injected'],
      ['spec', 'template', 'metadata', 'annotations'],
    ];
    expect(checkRemoval(injected, recorded, base.text)).toBeUndefined();
    expect(checkRemoval(injected, recorded.slice(0, 1), base.text)?.message).toMatch(/annotations/);
    expect(checkRemoval(injected, recorded, base.text.replace('    app: a\nspec', 'spec'))?.message).toMatch(/labels/);
  });
});
