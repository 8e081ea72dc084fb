/** The wizard page's pure parts (web/): the steps, URL state, annotations, the pipeline, layers, form and wiring. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { editText } from '../../fn/package/stream';
import { processResource } from '../../fn/inject/process';
import { PROPERTIES, SETTING_KEYS } from '../../fn/config/schema';
import { profileLayer, profileTies, type Environment } from '../../fn/config/environments';
import { resolveSettings } from '../../fn/config/settings';
import { DEFAULTS } from '../../fn/index';
import { setAnnotations, type Annotated } from '../../fn/package/annotate';
import { COMMON_FIELDS, FIELDS, GROUPS, helpPieces, specOf } from '../../web/fields';
import { answersLayer, changesOf, effectiveLayer, mirroredImage, PLATFORMS } from '../../web/environment';
import { layerWinners } from '../../web/layers';
import { where } from '../../web/wording';
import { compute, documentProblems, findWorkloads, isChosen, outcomeOf } from '../../web/pipeline';
import {
  decodeState,
  encodeState,
  INDEXED_STEPS,
  initialState,
  MAX_LINK_CHARS,
  MAX_RATIO,
  readState,
  stateBudget,
  type WizardState,
} from '../../web/state';
import { decompressBounded, TooLong } from '../../web/lz-bounded';
import { numbered, STEP_IDS, stepIndex, STEPS } from '../../web/steps';
import { CONFIG_FILE, detectTool, functionImage, WIRING, wiringFor } from '../../web/wiring';

const registry = 'registry.test/team';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
import { ROOT } from '../support/helpers';

// The bundled examples are YAML files the page's build loads as text; the list of steps needs none of them.
vi.mock('../../web/examples', () => ({ EXAMPLES: {} }));

const HELLO = readFileSync(join(ROOT, 'examples/hello/deployment.yaml'), 'utf8');
/** The hello Deployment without its opt-in: what a user pastes before choosing it. */
const PLAIN = HELLO.replace(/ {2}annotations:\n {4}# Opt in[^\n]*\n {4}sidecar\.speedscale\.com\/inject: "true"\n/, '');

const stateWith = (changes: Partial<WizardState>): WizardState => ({
  ...initialState(),
  sources: [{ path: 'deployment.yaml', text: PLAIN }],
  ...changes,
});
const ID = 'Deployment/demo/hello';
const textOf = (annotated: Annotated): string => {
  if ('problem' in annotated) throw new Error(annotated.problem);
  return annotated.text;
};

describe('the steps', () => {
  it('are one list: the ids, the titles, and the numbers from their places', () => {
    expect(STEPS.map((s) => [s.id, s.title])).toEqual([
      ['environment', 'Environment'],
      ['manifests', 'Manifests'],
      ['choose', 'Choose'],
      ['configure', 'Configure'],
      ['review', 'Review'],
      ['wire', 'Wire it in'],
      ['verify', 'Verify'],
    ]);
    expect(STEPS.map((_, i) => numbered(i))).toEqual([
      '1. Environment',
      '2. Manifests',
      '3. Choose',
      '4. Configure',
      '5. Review',
      '6. Wire it in',
      '7. Verify',
    ]);
    expect(STEP_IDS).toEqual(STEPS.map((s) => s.id));
    expect(stepIndex('wire')).toBe(5);
    expect(stepIndex('nope')).toBe(-1);
    expect(new Set(STEP_IDS).size).toBe(STEPS.length);
    // A fresh page opens on the first step.
    expect(initialState().step).toBe(STEPS[0].id);
  });
});

/** A fragment as the page wrote it, whatever the step holds (an old link held the index). */
const fragmentWith = (step: unknown) =>
  `#s=${compressToEncodedURIComponent(JSON.stringify({ ...stateWith({}), step }))}`;

describe('URL state', () => {
  it('round-trips every choice through the fragment', () => {
    const state = stateWith({
      step: 'review',
      choices: { [ID]: true },
      annotateOn: 'pod',
      config: { tlsOut: 'true', proxyInPort: '70000' },
      annotations: { [ID]: { proxyType: 'reverse' } },
      tool: 'kustomize',
      focus: ID,
    });
    const fragment = encodeState(state);
    expect(fragment).toMatch(/^s=[A-Za-z0-9+\-$]+$/);
    expect(decodeState(`#${fragment}`, STEP_IDS)).toEqual(state);
  });

  it('names the step by id, and opens a link that holds its index at the step it named then', () => {
    expect(decodeState(fragmentWith('wire'), STEP_IDS)?.step).toBe('wire');
    // Links held an index before the steps had ids, when there were six and Manifests came first: the index
    // goes through that list (INDEXED_STEPS), not today's, where Environment came first and moved every index.
    expect(INDEXED_STEPS).toEqual(['manifests', 'choose', 'configure', 'review', 'wire', 'verify']);
    const then = ['Manifests', 'Choose', 'Configure', 'Review', 'Wire it in', 'Verify'];
    for (const [index, title] of then.entries()) {
      const step = decodeState(fragmentWith(index), STEP_IDS)?.step;
      expect(STEPS.find((s) => s.id === step)?.title, `index ${index}`).toBe(title);
    }
    expect(decodeState(fragmentWith(4), STEP_IDS)?.step).toBe('wire');
    expect(decodeState(fragmentWith(6), STEP_IDS)).toBeUndefined();
  });

  it('ignores a fragment that does not decode or does not hold a state', () => {
    expect(decodeState('', STEP_IDS)).toBeUndefined();
    expect(decodeState('#s=not-lz', STEP_IDS)).toBeUndefined();
    expect(decodeState(encodeState({ ...initialState(), step: 'nope' }), STEP_IDS)).toBeUndefined();
    for (const step of [99, 6, -1, 1.5, '4', null, {}])
      expect(decodeState(fragmentWith(step), STEP_IDS)).toBeUndefined();
  });

  it("unpacks as lz-string does: the page's links, any text, and what is no lz-string output", () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabets = ['ab', 'abcdefgh \n', 'kind: Deployment\n  name: "x"é€😀\u0000', ALPHABET];
    for (let i = 0; i < 120; i++) {
      const letters = [...alphabets[i % alphabets.length]];
      const text = Array.from({ length: random(3000) }, () => letters[random(letters.length)]).join('');
      const encoded = compressToEncodedURIComponent(text);
      expect(decompressBounded(encoded, Infinity)).toBe(text);
      // Not lz-string output at all: whatever lz-string makes of it, but for what it throws on.
      const garbage = Array.from({ length: 1 + random(60) }, () => ALPHABET[random(ALPHABET.length)]).join('');
      let expected: string | null | undefined;
      try {
        expected = decompressFromEncodedURIComponent(garbage);
      } catch {
        continue;
      }
      const got = decompressBounded(garbage, Infinity);
      if (expected) expect(got).toBe(expected);
      else expect([null, '']).toContain(got);
    }
    const state = stateWith({ step: 'wire', config: { tlsOut: 'true' } });
    expect(decompressBounded(encodeState(state).slice(2), Infinity)).toBe(JSON.stringify(state));
  });

  it('refuses a link that unpacks to far more than any link the page makes, and stops unpacking it', () => {
    // A quarter of a megabyte of one letter packs into a kilobyte: such a link of 30 KB unpacked to 100 MB
    // and crashed the tab; one of 9 KB froze it for 24 s.
    const bomb = encodeState(stateWith({ sources: [{ path: 'm.yaml', text: 'a'.repeat(1 << 18) }] }));
    expect(bomb.length).toBeLessThan(2000);
    const read = readState(`#${bomb}`, STEP_IDS);
    expect(read).toEqual({ refused: expect.stringMatching(/unpack to more than \d+ characters/) as string });
    expect(decodeState(`#${bomb}`, STEP_IDS)).toBeUndefined();
    // It stops at the budget: what it unpacked was bounded, not a megabyte built and then measured.
    const budget = stateBudget(bomb.length - 2);
    expect(budget).toBeLessThan(1 << 18);
    expect(() => decompressBounded(bomb.slice(2), budget)).toThrow(TooLong);
    // A fragment longer than any URL is not read at all.
    expect(readState(`#s=${'A'.repeat(MAX_LINK_CHARS + 1)}`, STEP_IDS)).toEqual({
      refused: expect.stringMatching(/more than the page reads/) as string,
    });
  });

  it('opens a large package of many alike workloads: real links stay far under the budget', () => {
    const text = Array.from({ length: 300 }, (_, i) => PLAIN.replaceAll('hello', `hello-${i}`)).join('---\n');
    const state = stateWith({ sources: [{ path: 'many.yaml', text }] });
    const fragment = encodeState(state);
    expect(decodeState(`#${fragment}`, STEP_IDS)).toEqual(state);
    // A tenth of the ratio allowed (a thousand of them, or ten thousand copies of one: 9 and 27 times).
    expect(JSON.stringify(state).length / fragment.length).toBeLessThan(MAX_RATIO / 10);
  });

  it('leaves out the settings no control of the page shows, and says which', () => {
    // Configure offers no control for the Run group (the page decides it) nor for keys no setting has; per
    // workload, only the settings an annotation sets (the server refuses others). A link set them unseen,
    // yet they went into sidecar-injector.yaml and changed what the function did.
    const state = stateWith({
      config: { uninstall: 'true', failOn: 'never', inject: 'true', tlsOut: 'true', nope: 'x' },
      annotations: { [ID]: { proxyType: 'reverse', image: 'evil.example/goproxy', 'x\nkey': 'v' } },
    });
    const read = readState(`#${encodeState(state)}`, STEP_IDS);
    expect(read && 'state' in read).toBe(true);
    const { state: opened, dropped } = read as Extract<typeof read, { dropped: string[] }>;
    expect(opened.config).toEqual({ tlsOut: 'true' });
    expect(opened.annotations).toEqual({ [ID]: { proxyType: 'reverse' } });
    expect(dropped).toEqual([
      'package settings: uninstall, failOn, inject, nope',
      `per-workload settings of ${ID}: image, x\\nkey`,
    ]);
    expect(compute(opened).spec).toEqual({ tlsOut: true });
    // A link the page made loses nothing, and says nothing.
    const made = stateWith({ config: { tlsOut: 'true' }, annotations: { [ID]: { proxyType: 'reverse' } } });
    expect(readState(`#${encodeState(made)}`, STEP_IDS)).toEqual({ state: made, dropped: [] });
  });
});

describe('annotations, byte for byte', () => {
  it('adds, changes and removes only what it names', () => {
    const added = textOf(setAnnotations(PLAIN, ['metadata'], { 'sidecar.speedscale.com/inject': 'true' }));
    expect(added).toBe(
      PLAIN.replace(
        '  labels:\n    app: hello\n',
        '  labels:\n    app: hello\n  annotations:\n    sidecar.speedscale.com/inject: "true"\n',
      ),
    );
    const changed = textOf(setAnnotations(HELLO, ['metadata'], { 'sidecar.speedscale.com/inject': 'false' }));
    expect(changed).toBe(HELLO.replace('inject: "true"', 'inject: "false"'));
    // The last annotation out takes its key with it; the comment above it was the user's and stays.
    const removed = textOf(setAnnotations(added, ['metadata'], { 'sidecar.speedscale.com/inject': null }));
    expect(removed).toBe(PLAIN);
  });

  it('writes per-workload settings on a chosen workload only: unticked, it is left as loaded', () => {
    const annotations = { [ID]: { proxyType: 'dual' } };
    const ticked = compute(stateWith({ choices: { [ID]: true }, annotations })).files[0].source;
    expect(ticked).toContain('sidecar.speedscale.com/proxy-type: dual');
    // Configure showed no setting for it (no workload chosen), yet the committed file carried proxy-type: dual.
    expect(compute(stateWith({ choices: { [ID]: false }, annotations })).files[0].source).toBe(PLAIN);
    expect(compute(stateWith({ annotations })).files[0].source).toBe(PLAIN);
  });

  it('keeps a workload inject injected without the opt-in: ticked, and annotated so', async () => {
    const { processPackage } = await import('../../fn/index');
    // What `inject` (every workload: inject true as the default) writes of PLAIN: the sidecar, no opt-in.
    const [injected] = processPackage([{ path: 'd.yaml', text: PLAIN }], { config: { inject: true } });
    expect(injected.output).toContain('speedscale-goproxy');
    const state = stateWith({ sources: [{ path: 'd.yaml', text: injected.output }] });
    const [w] = compute(state).workloads;
    expect(isChosen(state, w)).toBe(true);
    // Ticked, yet the function (annotated workloads only) took the sidecar out.
    const c = compute(state);
    expect(outcomeOf(c, c.workloads[0])?.status).not.toBe('removed');
    expect(c.files[0].source).toContain('sidecar.speedscale.com/inject: "true"');
    // Unticked, it is removed.
    const unticked = compute({ ...state, choices: { [ID]: false } });
    expect(outcomeOf(unticked, unticked.workloads[0])?.status).toBe('removed');
  });

  it('puts the opt-in on the pod template when asked', () => {
    const out = textOf(
      setAnnotations(PLAIN, ['spec', 'template', 'metadata'], { 'sidecar.speedscale.com/inject': 'true' }),
    );
    const doc = parseAllDocuments(out)[0].toJS() as { spec: { template: { metadata: { annotations: unknown } } } };
    expect(doc.spec.template.metadata.annotations).toEqual({
      'sidecar.speedscale.com/inject': 'true',
    });
  });
});

describe('the pipeline: the core on the page state', () => {
  it('lists workloads with their containers', () => {
    expect(findWorkloads(PLAIN)).toMatchObject([
      {
        id: ID,
        kind: 'Deployment',
        containers: ['app'],
        initContainers: ['migrate'],
        injected: false,
        annotated: false,
      },
    ]);
  });

  it('names a Helm or Argo CD hook as the function words it (Choose leaves it out of Select all)', () => {
    const hook = (key: string, value: string) =>
      PLAIN.replace('metadata:\n', `metadata:\n  annotations: {"${key}": ${value}}\n`);
    const [helm, argo] = [hook('helm.sh/hook', 'test'), hook('argocd.argoproj.io/hook', 'PreSync')].map(
      (text) => findWorkloads(text)[0],
    );
    expect([helm.hook, argo.hook]).toEqual(['a helm.sh/hook: test hook', 'a argocd.argoproj.io/hook: PreSync hook']);
    expect(findWorkloads(PLAIN)[0].hook).toBeUndefined();
  });

  it('reports a YAML error with its line, as the function does, and leaves the document as it came', () => {
    const broken = `${PLAIN}---\nkind: Service\nmetadata: {name: x\n`;
    const c = compute(stateWith({ sources: [{ path: 'all.yaml', text: broken }] }));
    const error = c.files[0].outcomes.find((o) => o.status === 'error');
    expect(error).toMatchObject({ reason: 'malformed-yaml' });
    // The position is data, never part of the message.
    expect(error?.detail).toMatch(/^malformed YAML: /);
    expect(error?.detail).not.toMatch(/line/);
    expect(c.files[0].output).toBe(broken);
    // The page shows one editor for the file: the position is the file's, where `yaml` puts the error in the document.
    const documentStart = broken.split('\n').indexOf('---') + 1; // the document's line 1, in the file
    const [{ line, col }] = parseAllDocuments(broken.slice(broken.indexOf('---\nkind: Service')))[0].errors[0].linePos!;
    expect(documentStart).toBeGreaterThan(10);
    expect(documentProblems(c.files[0], (o) => o.detail ?? '')).toEqual([
      `all.yaml:${documentStart + line - 1}:${col}: ${error!.detail}`,
    ]);
  });

  it('reports a document nested too deeply to read, as the function does, at its place', () => {
    // The command line says `deep.yaml:N:M: document 2: error: input is nested too deeply to read` (exit 1).
    const deep = `${PLAIN}---\nkind: ConfigMap\ndata:\n  x: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    const c = compute(stateWith({ sources: [{ path: 'deep.yaml', text: deep }] }));
    expect(c.files[0].outcomes[1]).toMatchObject({ status: 'error', reason: 'too-deep' });
    const line = deep.split('\n').findIndex((l) => l.startsWith('  x: ')) + 1;
    expect(documentProblems(c.files[0], (o) => o.detail ?? '')).toEqual([
      expect.stringMatching(new RegExp(`^deep\\.yaml:${line}:\\d+: input is nested too deeply to read$`)),
    ]);
  });

  it('changes nothing until the user chooses', () => {
    const c = compute(stateWith({}));
    expect(c.files[0].output).toBe(PLAIN);
    expect(c.files[0].outcomes[0]).toMatchObject({ status: 'skipped', reason: 'not-annotated' });
  });

  it('writes what `inject --annotated` writes on the annotated manifests, byte for byte', () => {
    const c = compute(stateWith({ choices: { [ID]: true }, config: { tlsOut: 'true' } }));
    const { source, output } = c.files[0];
    expect(source).toContain('sidecar.speedscale.com/inject: "true"');
    const cli = editText(source, (r) => processResource(r, { config: { tlsOut: true } }));
    expect(output).toBe(cli.text);
    expect(output).toContain('speedscale-goproxy');
    expect(output).toContain('speedscale-tls-out');
    expect(c.files[0].outcomes[0].status).toBe('injected');
  });

  it('unticking an injected workload removes its sidecar exactly, the opt-in turned to "false"', () => {
    const injected = compute(stateWith({ choices: { [ID]: true } })).files[0].output;
    const back = compute({ ...stateWith({ choices: { [ID]: false } }), sources: [{ path: 'd.yaml', text: injected }] });
    expect(back.files[0].outcomes[0].status).toBe('removed');
    expect(back.files[0].output).toBe(
      textOf(setAnnotations(PLAIN, ['metadata'], { 'sidecar.speedscale.com/inject': 'false' })),
    );
  });

  it('shows a bad value with the function message and leaves the output as it was', () => {
    const good = compute(stateWith({ choices: { [ID]: true } }));
    const bad = compute(stateWith({ choices: { [ID]: true }, config: { proxyInPort: '70000' } }));
    expect(bad.configProblems).toEqual([
      { field: 'spec.proxyInPort', message: 'spec.proxyInPort: expected a port number from 1 to 65535, got 70000' },
    ]);
    expect(bad.files[0].output).toBe(good.files[0].output);
  });

  it('per-workload settings are annotations, and they win over the package default', () => {
    const c = compute(
      stateWith({
        choices: { [ID]: true },
        config: { proxyInPort: '5000' },
        annotations: { [ID]: { proxyInPort: '6000' } },
      }),
    );
    expect(c.files[0].source).toMatch(/sidecar\.speedscale\.com\/proxy-in-port: "6000"\n/);
    expect(c.files[0].output).toContain('containerPort: 6000');
    expect(c.files[0].output).not.toContain('5000');
  });
});

describe('which layer wins', () => {
  it('follows default < environment < functionConfig < pod template < workload', () => {
    const winners = layerWinners(['proxyInPort', 'logLevel', 'tlsOut'], {
      default: { proxyInPort: '4143', logLevel: 'info' },
      environment: { logLevel: 'debug' },
      functionConfig: { proxyInPort: '5000' },
      'pod template': { proxyInPort: '6000', tlsOut: 'true' },
      workload: { proxyInPort: '7000' },
    });
    expect(winners.map((w) => [w.key, w.layer, w.value])).toEqual([
      ['proxyInPort', 'workload', '7000'],
      ['logLevel', 'environment', 'debug'],
      ['tlsOut', 'pod template', 'true'],
    ]);
    expect(winners[0].said.map((s) => s.layer)).toEqual(['default', 'functionConfig', 'pod template', 'workload']);
  });
});

describe('the Configure form, from the schema', () => {
  it('has every setting but those the wizard decides, each once, with its description', () => {
    expect(FIELDS.map((f) => f.key).sort()).toEqual(
      SETTING_KEYS.filter(
        (k) => !['inject', 'uninstall', 'mode', 'targets', 'environment', 'capture', 'failOn'].includes(k),
      ).sort(),
    );
    // The schema's groups, in its order, but for Run, which the page decides itself.
    expect(GROUPS).toEqual(['Proxy and ports', 'TLS', 'Ignore lists', 'Resources', 'Advanced']);
    expect(FIELDS.filter((f) => f.group === 'Ignore lists').map((f) => f.key)).toEqual([
      'ignoreSrcIps',
      'ignoreDstIps',
      'ignoreSrcHosts',
      'ignoreDstHosts',
      'ignoreInboundPorts',
      'ignoreOutboundPorts',
      'ignoreLoopback',
      'trackLoopback',
      'captureNodeTraffic',
    ]);
    expect(FIELDS.every((f) => f.description.length > 0)).toBe(true);
    expect(FIELDS.find((f) => f.key === 'proxyInPort')).toMatchObject({
      group: 'Proxy and ports',
      default: '4143',
      annotation: 'sidecar.speedscale.com/proxy-in-port',
    });
  });

  it('labels every setting in words, and marks the few most users change for the short form', () => {
    for (const key of SETTING_KEYS) expect(PROPERTIES[key].title, key).toMatch(/^[A-Z][^`]*[^.]$/);
    expect(new Set(SETTING_KEYS.map((key) => PROPERTIES[key].title)).size).toBe(SETTING_KEYS.length);
    expect(COMMON_FIELDS.map((f) => f.key)).toEqual([
      'image',
      'forwarderAddr',
      'logLevel',
      'proxyType',
      'tlsOut',
      'ignoreDstHosts',
      'cpuRequest',
      'memoryRequest',
      'memoryLimit',
    ]);
    expect(FIELDS.find((f) => f.key === 'tlsOut')).toMatchObject({ title: 'Unwrap outbound TLS', common: true });
  });

  it('gives a key written one item per line a text area, every other list a line', () => {
    expect(FIELDS.filter((f) => f.control === 'textarea').map((f) => f.key)).toEqual(['extraContainerEnvVars']);
    expect(FIELDS.find((f) => f.key === 'ignoreDstHosts')?.control).toBe('text');
  });

  it('splits a help text into text and code, dropping the backticks', () => {
    expect(helpPieces('`transparent` redirects; `reverse` and `dual` do not. A stray ` stays.')).toEqual([
      { code: true, text: 'transparent' },
      { code: false, text: ' redirects; ' },
      { code: true, text: 'reverse' },
      { code: false, text: ' and ' },
      { code: true, text: 'dual' },
      { code: false, text: ' do not. A stray ` stays.' },
    ]);
  });

  it('types what was typed, leaving non-digits for the validator to name', () => {
    expect(specOf({ proxyInPort: '5000', tlsOut: 'true', image: 'x', logLevel: '', proxyPort: '8o' })).toEqual({
      proxyInPort: 5000,
      tlsOut: true,
      image: 'x',
      proxyPort: '8o',
    });
  });
});

describe('how the page names a workload', () => {
  it('namespace/name, or the name alone: a manifest without a namespace is never said to be in default', () => {
    const [plain, placed] = findWorkloads(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: crlf\nspec: {containers: [{name: a, image: x}]}\n---\n' +
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec: {containers: [{name: a, image: x}]}\n',
    );
    expect([where(plain), where(placed)]).toEqual(['crlf', 'shop/web']);
  });
});

describe('the Environment answers', () => {
  it('set the profile, the operator key and the proxy image, as a layer under Configure', () => {
    const answers = { platform: 'gke-autopilot', operator: false, images: 'mine' } as const;
    expect(answersLayer(answers, 'registry.test/team/')).toEqual({
      environment: 'gke-autopilot',
      operatorIgnore: 'false',
      image: mirroredImage('registry.test/team'),
    });
    expect(mirroredImage('registry.test/team/')).toMatch(/^registry\.test\/team\/goproxy:v[\d.]+$/);
    // The profile spelled out: what Configure shows as the fallback; the app's port is each workload's own.
    expect(effectiveLayer(answers, undefined)).toMatchObject({ proxyType: 'dual', cpuRequest: '500m' });
    expect(effectiveLayer(answers, undefined).proxyPort).toBeUndefined();
    const said = changesOf(answers, undefined);
    expect(said.map((c) => c.question)).toEqual([
      'Where it runs',
      "Speedscale's operator",
      'Where the images come from',
    ]);
    expect(said[0].changes).toContainEqual({ key: 'proxyPort', value: "the app's only TCP port", perWorkload: true });
    // No registry named yet: no image set, and the step says so.
    expect(said[2]).toMatchObject({ changes: [], note: 'name your registry to set the proxy image.' });
    expect(answersLayer({ platform: 'istio-cni' }, undefined)).toEqual({ istioCni: 'true' });
    expect(answersLayer({ platform: 'kubernetes', images: 'public' }, 'registry.test')).toEqual({});
  });

  it('drop a profile value tied to a key the user gives, as the core decides (no tcp:http without dual)', () => {
    for (const platform of ['gke-autopilot', 'openshift', 'restricted'] as const) {
      const environment = PLATFORMS[platform].config.environment as Environment;
      const profile = profileLayer(environment);
      for (const given of [[], ...Object.keys(profile).map((key) => [key])]) {
        const layer = effectiveLayer({ platform }, undefined, new Set(given));
        const config = { environment, ...Object.fromEntries(given.map((key) => [key, DEFAULTS[key]])) };
        const { decided } = resolveSettings(config, [], profile, profileTies(environment));
        // What the page shows under the user's keys is what the core decided, and nothing else of the profile.
        const shown = Object.keys(profile).filter((key) => key in layer && !given.includes(key));
        expect(shown.sort(), `${platform}, the user giving ${given.join() || 'nothing'}`).toEqual(
          Object.keys(decided).sort(),
        );
      }
    }
    const autopilot = effectiveLayer({ platform: 'gke-autopilot' }, undefined, new Set(['proxyType']));
    expect(autopilot.proxyProtocol).toBeUndefined();
    expect(effectiveLayer({ platform: 'gke-autopilot' }, undefined).proxyProtocol).toBe('tcp:http');
  });

  it('reach the output, and a value typed in Configure wins over them', () => {
    const answered = compute(stateWith({ choices: { [ID]: true }, answers: { platform: 'gke-autopilot' } }));
    expect(answered.spec).toMatchObject({ environment: 'gke-autopilot' });
    expect(answered.files[0].output).toContain('- name: HTTP_PROXY');
    const mine = compute(
      stateWith({ choices: { [ID]: true }, answers: { operator: false }, config: { operatorIgnore: 'true' } }),
    );
    expect(mine.spec).toMatchObject({ operatorIgnore: true });
  });

  it('in a link are checked like the rest of the state', () => {
    const link = (answers: unknown) =>
      `#s=${compressToEncodedURIComponent(JSON.stringify({ ...stateWith({}), answers }))}`;
    expect(decodeState(link({ platform: 'openshift', operator: true }), STEP_IDS)?.answers).toEqual({
      platform: 'openshift',
      operator: true,
    });
    for (const bad of [{ platform: 'mars' }, { operator: 'yes' }, { images: 'theirs' }, null])
      expect(decodeState(link(bad), STEP_IDS)).toBeUndefined();
  });
});

describe('Wire it in', () => {
  it('detects the tool from the file names', () => {
    expect(detectTool(['Kptfile', 'app.yaml'])).toBe('kpt');
    expect(detectTool(['base/kustomization.yaml'])).toBe('kustomize');
    expect(detectTool(['chart/Chart.yaml'])).toBe('helm');
    expect(detectTool(['manifests.yaml'])).toBe('kubectl');
  });

  it('offers a kustomization listing the transformer and the SidecarInjector with the function image', () => {
    const files = WIRING.kustomize({ spec: { tlsOut: true }, paths: ['manifests.yaml'], registry }).slice(1);
    expect(files.map((f) => f.path)).toEqual(['kustomization.yaml', CONFIG_FILE, 'build.sh']);
    expect(files[0].text).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n' +
        'resources:\n- manifests.yaml\ntransformers:\n- sidecar-injector.yaml\n',
    );
    const config = parseAllDocuments(files[1].text)[0].toJSON();
    expect(config).toMatchObject({ kind: 'SidecarInjector', spec: { tlsOut: true } });
    expect(config.metadata.annotations['config.kubernetes.io/function']).toBe(
      `container:\n  image: ${functionImage(registry)}\n`,
    );
  });

  it("changes the user's own kustomization instead of replacing it", () => {
    const mine = 'resources:\n- app.yaml\n';
    const kustomize = WIRING.kustomize({
      spec: {},
      paths: ['kustomization.yaml', 'app.yaml'],
      kustomization: { name: 'kustomization.yaml', text: mine },
      registry,
    });
    expect(kustomize.find((f) => f.path === 'kustomization.yaml')!.text).toBe(
      `${mine}transformers:\n- ${CONFIG_FILE}\n`,
    );
    const withTransformers = 'resources:\n- app.yaml\ntransformers:\n- other.yaml\n';
    const flux = WIRING.flux({
      spec: {},
      paths: [],
      kustomization: { name: 'kustomization.yaml', text: withTransformers },
      registry,
    });
    expect(flux.find((f) => f.path === 'kustomization.yaml')!.text).toBe(
      `resources:\n- app.yaml\ntransformers:\n- ${CONFIG_FILE}\n- other.yaml\n`,
    );
  });

  // kustomize refuses a directory with two kustomization files: the page changes the one the user has.
  it.each(['kustomization.yml', 'Kustomization', 'base/Kustomization'])(
    'changes a kustomization named %s under its own name, and offers no kustomization.yaml',
    (path) => {
      const mine = 'resources:\n- app.yaml\n';
      const name = path.slice(path.lastIndexOf('/') + 1);
      const state = {
        ...initialState(),
        sources: [
          { path, text: mine },
          { path: 'app.yaml', text: 'kind: Service\n' },
        ],
      };
      for (const tool of ['kustomize', 'flux'] as const) {
        const { files, detected } = wiringFor({ ...state, tool, registry }, {});
        expect(detected).toBe('kustomize');
        expect(files.map((f) => f.path)).not.toContain('kustomization.yaml');
        expect(files.find((f) => f.path === name)!.text).toBe(`${mine}transformers:\n- ${CONFIG_FILE}\n`);
      }
    },
  );

  it('gives every tool its files, the config marked local for kpt', () => {
    const files = Object.fromEntries(
      Object.entries(WIRING).map(([tool, make]) => [
        tool,
        make({ spec: {}, paths: ['a.yaml'], registry }).map((f) => f.path),
      ]),
    );
    expect(files).toEqual({
      kpt: ['install.sh', 'Kptfile', CONFIG_FILE, '.github/workflows/sidecar-check.yaml'],
      kustomize: ['install.sh', 'kustomization.yaml', CONFIG_FILE, 'build.sh'],
      helm: ['install.sh', 'sidecar-injector-post-render.sh', CONFIG_FILE, 'helm.sh'],
      kubectl: ['install.sh', CONFIG_FILE, 'deploy.sh', '.github/workflows/sidecar-check.yaml'],
      argocd: [
        'install.sh',
        CONFIG_FILE,
        'Dockerfile.argocd-cmp',
        'argocd-repo-server-patch.yaml',
        'application-plugin.yaml',
      ],
      flux: [
        'install.sh',
        'kustomization.yaml',
        CONFIG_FILE,
        '.github/workflows/render.yaml',
        'flux-kustomization.yaml',
      ],
    });
    const kpt = WIRING.kpt({ spec: { image: 'x' }, paths: ['Kptfile'], registry });
    expect(kpt[1].text).toContain(`configPath: ${CONFIG_FILE}`);
    expect(kpt[2].text).toContain('config.kubernetes.io/local-config: "true"');
  });

  it('shows no file naming an image before the registry is given (no release to pull)', () => {
    for (const tool of ['kpt', 'kustomize', 'flux', 'argocd'] as const)
      expect(WIRING[tool]({ spec: {}, paths: ['a.yaml'] }), tool).toEqual([]);
    expect(WIRING.kubectl({ spec: {}, paths: ['a.yaml'] }).map((f) => f.path)).toContain('deploy.sh');
  });

  it("adds the step to the user's Kptfile: to its mutators, its pipeline, or the end", () => {
    const kptfile = (mine: string) => WIRING.kpt({ spec: {}, paths: ['Kptfile'], kptfile: mine, registry })[1].text;
    const step = (indent: string) =>
      `${indent}- name: inject-speedscale-sidecar\n${indent}  image: ${functionImage(registry)}\n${indent}  configPath: ${CONFIG_FILE}\n`;
    const head = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: shop\n';
    expect(kptfile(head)).toBe(`${head}pipeline:\n  mutators:\n${step('    ')}`);
    expect(kptfile(`${head}pipeline:\n  validators: []\n`)).toBe(
      `${head}pipeline:\n  mutators:\n${step('    ')}  validators: []\n`,
    );
    const other = '  - name: other\n    image: x\n';
    expect(kptfile(`${head}pipeline:\n  mutators:\n${other}`)).toBe(
      `${head}pipeline:\n  mutators:\n${step('  ')}${other}`,
    );
  });
});
