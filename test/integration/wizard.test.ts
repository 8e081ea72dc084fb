/**
 * The wizard page in a real browser (Debian's chromium through playwright-core), opened from disk as a user
 * would: paste, choose, configure, review, wire it in; the URL restores every choice; the page requests
 * nothing; no axe-core violation on any step, light or dark. The kustomize files it offers are built by
 * the real `kubectl kustomize --enable-alpha-plugins` with the function image and must give exactly the
 * manifests the page showed.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { compute } from '../../web/pipeline';
import { decodeState } from '../../web/state';
import { functionImage, wiringFor } from '../../web/wiring';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { allSettings, axeViolations, PAGE, paste, step, stepButton } from './_wizard';
import { buildFunctionImage } from './_images';
import { missing, must, repoRoot, run, tempDir } from './_tools';

const HELLO = readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8');
/** The hello Deployment without its opt-in: the user chooses it in the page. */
const PLAIN = HELLO.replace(/ {2}annotations:\n {4}# Opt in[^\n]*\n {4}sidecar\.speedscale\.com\/inject: "true"\n/, '');
const CHOICE = 'Deployment demo/hello';
const SERVICE = readFileSync(join(repoRoot, 'examples/hello/service.yaml'), 'utf8');
/** A kind: List as `kubectl get -o yaml` writes one: a Deployment, a Service, a StatefulSet with an init container. */
const LIST = [
  'apiVersion: v1',
  'kind: List',
  'items:',
  ...[
    ['apps/v1', 'Deployment', 'api', ''],
    ['v1', 'Service', 'api', ''],
    ['apps/v1', 'StatefulSet', 'db', 'migrate'],
  ].flatMap(([apiVersion, kind, name, init]) => [
    `- apiVersion: ${apiVersion}`,
    `  kind: ${kind}`,
    '  metadata:',
    `    name: ${name}`,
    '    namespace: shop',
    ...(kind === 'Service'
      ? ['  spec:', '    ports: [{port: 80}]']
      : [
          '  spec:',
          `    selector: {matchLabels: {app: ${name}}}`,
          '    template:',
          '      metadata:',
          `        labels: {app: ${name}}`,
          '      spec:',
          ...(init ? ['        initContainers:', `        - name: ${init}`, `          image: ${name}:1`] : []),
          '        containers:',
          `        - name: ${name}`,
          `          image: ${name}:1`,
        ]),
  ]),
  '',
].join('\n');

const inCi = process.env.CI === 'true';
/** The steps' ids, in order (test/unit/wizard-logic.test.ts holds web/steps/index.ts to them). */
const STEP_IDS = ['environment', 'manifests', 'choose', 'configure', 'review', 'wire', 'verify'];
const noBrowser = chromiumMissing() ? '/usr/bin/chromium is not installed' : '';
if (noBrowser) console.warn(`[skipped] the wizard page: ${noBrowser}`);
const noKustomize = missing('the wizard page through kubectl kustomize', ['kubectl', 'podman', 'runc', 'flock']);

const output = (page: Page, path = 'manifests.yaml') => page.locator(`pre[data-output="${path}"]`).textContent();
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);

/** Pastes the plain Deployment, ticks it, turns tls-out on. */
async function chooseAndConfigure(page: Page) {
  await page.goto(PAGE);
  await step(page, 'Manifests'); // a fresh page opens on Environment
  await paste(page, PLAIN);
  await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
  await step(page, '2. Choose');
  await page.getByLabel(CHOICE).check();
  await step(page, '3. Configure');
  await page.getByLabel(/ tlsOut$/).selectOption('true');
}

describe.skipIf(noBrowser && !inCi)('the wizard page in chromium', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await launch();
    page = await session.newPage();
    // Tall enough that CodeMirror renders every line of one workload (it renders only what is visible).
    await page.setViewportSize({ width: 1400, height: 6000 });
  }, 60_000);
  afterAll(async () => session?.close());

  it('paste, choose, tls-out: the sidecar in the diff and 2/2', async () => {
    await chooseAndConfigure(page);
    await step(page, '4. Review');
    await expect.poll(() => page.getByTestId('ready').textContent()).toBe('1/1 -> 2/2');
    const right = (await page.locator('.cm-merge-b .cm-content').textContent()) ?? '';
    expect(right).toContain('name: speedscale-goproxy');
    expect(right).toContain('speedscale-tls-out');
    // Only the new lines are marked: the left side (as pasted) has no changed text at all.
    expect(await page.locator('.cm-merge-a .cm-changedText').count()).toBe(0);
    expect(await page.locator('.cm-merge-b .cm-changedLine').count()).toBeGreaterThan(10);
    expect(await page.getByText('speedscale-initproxy-iptables', { exact: false }).first().textContent()).toContain(
      'migrate -> speedscale-initproxy-iptables',
    );
  });

  it('a port of 70000 shows the function message inline and changes no output', async () => {
    await chooseAndConfigure(page);
    await step(page, '5. Wire it in');
    const before = await output(page);
    expect(before).toContain('speedscale-goproxy');
    await step(page, '3. Configure');
    await allSettings(page);
    const port = page.getByLabel(/ proxyInPort$/);
    await port.fill('70000');
    const error = page.locator('.setting', { has: port }).locator('.inline-error');
    await expect
      .poll(() => error.textContent())
      .toBe('spec.proxyInPort: expected a port number from 1 to 65535, got 70000');
    expect(await port.getAttribute('aria-describedby')).toContain((await error.getAttribute('id')) ?? 'none');
    await step(page, '5. Wire it in');
    expect(await output(page)).toBe(before);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Fix the config first');
  });

  it('a value typed and at once left for another step is in that step', async () => {
    await chooseAndConfigure(page);
    await allSettings(page);
    await page.getByLabel(/ proxyOutPort$/).fill('4999');
    await step(page, '5. Wire it in'); // well within the pause the page waits for before following typing
    expect(await output(page)).toMatch(/- name: PROXY_OUT_PORT\n +value: "4999"/);
  });

  it('a share link opened in a fresh page restores every choice', async () => {
    await chooseAndConfigure(page);
    await allSettings(page);
    await page.getByLabel(/ proxyOutPort$/).fill('4999');
    await step(page, '5. Wire it in');
    await page.getByLabel('Your tool').selectOption('flux');
    // The button writes the state into the URL at once (typing writes it once the user pauses) and copies it.
    await page.getByRole('button', { name: 'Copy share link' }).click();
    await expect.poll(() => page.locator('#share-status').textContent()).toContain('Link copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(page.url());
    const shown = await output(page);
    const fresh = await launch();
    try {
      const other = await fresh.newPage();
      await other.goto(link);
      expect(await stepButton(other, '5. Wire it in').getAttribute('aria-current')).toBe('step');
      expect(await other.getByLabel('Your tool').inputValue()).toBe('flux');
      expect(await output(other)).toBe(shown);
      await step(other, '2. Choose');
      expect(await other.getByLabel(CHOICE).isChecked()).toBe(true);
      await step(other, '3. Configure');
      expect(await other.getByLabel(/ tlsOut$/).inputValue()).toBe('true');
      expect(await other.getByLabel(/ proxyOutPort$/).inputValue()).toBe('4999');
      await step(other, '1. Manifests');
      expect(await other.locator('.cm-content').textContent()).toContain('name: hello');
    } finally {
      await fresh.close();
    }
  });

  it('names the step in the URL by id, and opens a link that holds its index (made before the ids) there', async () => {
    const before = {
      step: 4, // Wire it in
      sources: [{ path: 'manifests.yaml', text: PLAIN }],
      current: 0,
      choices: { 'Deployment/demo/hello': true },
      annotateOn: 'workload',
      config: {},
      annotations: {},
    };
    const other = await session.newPage(); // a fresh document: a new fragment on the same page would not load it
    try {
      await other.goto(`${PAGE}#s=${compressToEncodedURIComponent(JSON.stringify(before))}`);
      expect(await stepButton(other, '5. Wire it in').getAttribute('aria-current')).toBe('step');
      expect(await output(other)).toContain('name: speedscale-goproxy');
      await step(other, '2. Choose');
      const stepInUrl = () => {
        const json = decompressFromEncodedURIComponent(new URL(other.url()).hash.replace(/^#s=/, ''));
        return json && (JSON.parse(json) as { step: unknown }).step;
      };
      await expect.poll(stepInUrl).toBe('choose');
    } finally {
      await other.close();
    }
  });

  it('is usable by keyboard alone: the step bar, a checkbox, a select', async () => {
    await page.goto(PAGE);
    await step(page, 'Manifests'); // a fresh page opens on Environment
    await page.getByLabel('Example').focus();
    await page.keyboard.press('Tab'); // Load example
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await stepButton(page, '2. Choose').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('step-title');
    await page.getByLabel(CHOICE).focus();
    await page.keyboard.press('Space');
    expect(await page.getByLabel(CHOICE).isChecked()).toBe(false);
    await page.keyboard.press('Space');
    expect(await page.getByLabel(CHOICE).isChecked()).toBe(true);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe-core violation on any step (${scheme})`, async () => {
      const themed = await launch({ colorScheme: scheme });
      try {
        const p = await themed.newPage();
        await p.goto(PAGE);
        await step(p, 'Manifests'); // a fresh page opens on Environment
        await p.getByRole('button', { name: 'Load example' }).click();
        const found: string[] = [];
        for (const name of [
          'Environment',
          '1. Manifests',
          '2. Choose',
          '3. Configure',
          '4. Review',
          '5. Wire it in',
          '6. Verify',
        ]) {
          await step(p, name);
          found.push(...(await axeViolations(p)).map((v) => `${name}: ${v}`));
        }
        expect(found, found.join('\n')).toEqual([]);
      } finally {
        await themed.close();
      }
    });
  }

  it('the pod template, a per-workload setting and the layer that wins, a result with its fix, copy, removal', async () => {
    await page.goto(PAGE);
    await step(page, 'Manifests'); // a fresh page opens on Environment
    const agent = PLAIN.replace('kind: Deployment', 'kind: DaemonSet')
      .replace(/name: hello$/m, 'name: node-agent')
      .replace(/( +)containers:/, '$1hostNetwork: true\n$1containers:');
    await paste(page, `${PLAIN}---\n${agent}`);
    await page.getByRole('cell', { name: 'demo/node-agent' }).waitFor();
    await step(page, '2. Choose');
    await page.getByLabel('the pod template').check();
    await page.getByLabel(CHOICE).check();
    await page.getByLabel('DaemonSet demo/node-agent').check();
    await step(page, '3. Configure');
    await allSettings(page);
    await page.getByLabel(/ proxyOutPort$/).fill('4999');
    await page.getByText(/^Per-workload annotations \(Deployment demo\/hello\)/).click();
    await page.getByLabel(/ proxy-out-port$/).fill('5000');
    // Key, default, functionConfig, pod template (where the page writes, as chosen), workload, and the winner.
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /^proxyOutPort/ })
          .getByRole('cell')
          .allTextContents(),
      )
      .toEqual(['4140', '', '4999', '5000', '', 'pod template: 5000']);
    await step(page, '4. Review');
    await page.getByLabel('Workload', { exact: true }).selectOption('DaemonSet/demo/node-agent');
    await expect
      .poll(() => page.locator('main li.warning:not(.summary li)').first().textContent())
      .toBe(
        'warning: not injected: the pod uses hostNetwork: true, where iptables redirection would capture the whole ' +
          'node; use proxy-type reverse, forward or dual instead (spec.template.spec.hostNetwork)',
      );
    await step(page, '5. Wire it in');
    await page.getByLabel('Your tool').selectOption('kubectl');
    await page.getByRole('button', { name: 'Copy deploy.sh' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      await page.locator('pre[data-path="deploy.sh"]').textContent(),
    );
    const injected = (await output(page)) ?? '';
    const [hello, daemon] = docs(injected) as { spec: { template: { metadata: { annotations?: object } } } }[];
    expect(hello.spec.template.metadata.annotations).toMatchObject({
      'sidecar.speedscale.com/inject': 'true',
      'sidecar.speedscale.com/proxy-out-port': '5000',
    });
    expect(injected.match(/name: speedscale-goproxy/g)).toHaveLength(1); // not the hostNetwork one
    expect(daemon.spec.template.metadata.annotations).toEqual({ 'sidecar.speedscale.com/inject': 'true' });

    // The injected manifests back in, the Deployment unticked: its sidecar goes, exactly.
    await step(page, '1. Manifests');
    await paste(page, injected);
    await step(page, '2. Choose');
    await page.getByLabel(CHOICE).uncheck();
    await expect.poll(() => page.getByRole('row', { name: /demo\/hello/ }).textContent()).toContain('removed');
    await step(page, '5. Wire it in');
    const removed = (await output(page)) ?? '';
    expect(removed).not.toContain('speedscale-goproxy');
    expect(docs(removed)[0]).toMatchObject({
      spec: { template: { metadata: { annotations: { 'sidecar.speedscale.com/inject': 'false' } } } },
    });
  });

  it('drop files on the editor: each file listed, the tool detected from their names, Verify filled in', async () => {
    await page.goto(PAGE);
    await step(page, 'Manifests'); // a fresh page opens on Environment
    const kptfile = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: hello\n';
    const files = {
      Kptfile: kptfile,
      'deployment.yaml': HELLO,
      'notes.txt': 'not a manifest',
      'service.yaml': SERVICE,
    };
    const dataTransfer = await page.evaluateHandle((files) => {
      const data = new DataTransfer();
      for (const [name, text] of Object.entries(files)) data.items.add(new File([text], name));
      return data;
    }, files);
    await page.locator('.editor').dispatchEvent('dragover', { dataTransfer });
    await page.locator('.editor').dispatchEvent('drop', { dataTransfer });
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    // The text file is not a manifest: three files, in the order dropped.
    expect(await page.getByLabel('File').locator('option').allTextContents()).toEqual([
      'Kptfile',
      'deployment.yaml',
      'service.yaml',
    ]);
    await step(page, '5. Wire it in');
    const tool = page.getByLabel('Your tool');
    expect(await tool.inputValue()).toBe('kpt');
    expect(await tool.locator('option:checked').textContent()).toBe('kpt (what the manifests show)');
    // No file names an image before the registry is answered; then the step goes into the Kptfile dropped.
    expect(await page.locator('pre[data-path="Kptfile"]').count()).toBe(0);
    await page.getByLabel('Your registry').fill('localhost/wizard-test');
    await page.getByLabel('Your registry').press('Tab');
    const shown = (await page.locator('pre[data-path="Kptfile"]').textContent()) ?? '';
    expect(shown.startsWith(kptfile)).toBe(true);
    expect(shown).toContain('mutators:');
    await step(page, '6. Verify');
    const verify = (await page.locator('pre[data-path="verify.sh"]').textContent()) ?? '';
    expect(verify).toContain('kubectl get pods -n demo -l app=hello -o name');
  });

  it('pick files with the file input: the same as a drop', async () => {
    await page.goto(PAGE);
    await step(page, 'Manifests'); // a fresh page opens on Environment
    await page.getByLabel('Choose files', { exact: true }).setInputFiles([
      { name: 'deployment.yaml', mimeType: 'text/yaml', buffer: Buffer.from(HELLO) },
      { name: 'service.yaml', mimeType: 'text/yaml', buffer: Buffer.from(SERVICE) },
    ]);
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    expect(await page.getByLabel('File').locator('option').allTextContents()).toEqual([
      'deployment.yaml',
      'service.yaml',
    ]);
  });

  it('pick a folder: its manifests by path, the tool detected from a kustomization inside', async () => {
    const dir = tempDir('wizard-folder');
    try {
      mkdirSync(join(dir, 'base'));
      writeFileSync(join(dir, 'base/deployment.yaml'), HELLO);
      writeFileSync(join(dir, 'base/kustomization.yaml'), 'resources:\n- deployment.yaml\n');
      writeFileSync(join(dir, 'README.md'), '# not a manifest\n');
      await page.goto(PAGE);
      await step(page, 'Manifests'); // a fresh page opens on Environment
      await page.getByLabel('Choose a folder', { exact: true }).setInputFiles(dir);
      await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
      const name = basename(dir);
      expect((await page.getByLabel('File').locator('option').allTextContents()).sort()).toEqual([
        `${name}/base/deployment.yaml`,
        `${name}/base/kustomization.yaml`,
      ]);
      await step(page, '5. Wire it in');
      expect(await page.getByLabel('Your tool').inputValue()).toBe('kustomize');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows a YAML error at its line in the file', async () => {
    await page.goto(PAGE);
    await step(page, 'Manifests'); // a fresh page opens on Environment
    const text = `${PLAIN}---\nkind: Service\nmetadata: {name: x\n`;
    await paste(page, text);
    // Where `yaml` itself puts the error, reading the whole file.
    const [{ line, col }] = parseAllDocuments(text).flatMap((d) => d.errors)[0].linePos!;
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(new RegExp(`^manifests\\.yaml:${line}:${col}: malformed YAML: `));
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
  });

  it('ticks and reviews the items of a kind: List (what kubectl get -o yaml writes)', async () => {
    await page.goto(PAGE);
    await step(page, 'Manifests'); // a fresh page opens on Environment
    await paste(page, LIST);
    await page.getByRole('cell', { name: 'shop/db' }).waitFor();
    await step(page, '2. Choose');
    await page.getByLabel('StatefulSet shop/db').check();
    await expect.poll(() => page.getByRole('row', { name: /shop\/db/ }).textContent()).toContain('injected');
    await step(page, '4. Review');
    expect(await page.getByLabel('Workload', { exact: true }).inputValue()).toBe('StatefulSet/shop/db');
    await expect.poll(() => page.getByTestId('ready').textContent()).toBe('1/1 -> 2/2');
    expect(await page.getByText('Init containers, in order:').textContent()).toContain(
      'migrate -> speedscale-initproxy-iptables',
    );
    await step(page, '5. Wire it in');
    const out = docs((await output(page)) ?? '')[0] as {
      items: { metadata: { name: string; annotations?: object } }[];
    };
    expect(out.items.map((i) => [i.metadata.name, i.metadata.annotations !== undefined])).toEqual([
      ['api', false],
      ['api', false], // the Service
      ['db', true],
    ]);
  });

  it('a large package: a hundred rows, then Show all, the keyboard on the first row it revealed', async () => {
    await page.goto(PAGE);
    await step(page, 'Manifests'); // a fresh page opens on Environment
    const many = Array.from({ length: 150 }, (_, i) => PLAIN.replace(/name: hello$/m, `name: hello-${i}`)).join(
      '---\n',
    );
    await paste(page, many);
    await page.getByText('150 workload(s) found').waitFor();
    await step(page, '2. Choose');
    const boxes = page.getByRole('checkbox');
    expect(await boxes.count()).toBe(100);
    await page.getByRole('button', { name: 'Show all 150' }).press('Enter');
    expect(await boxes.count()).toBe(150);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.textContent)).toBe(
      'Deployment demo/hello-100',
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('leaves a workload whose annotations: holds a scalar as it was, and says why', async () => {
    await page.goto(PAGE);
    await step(page, 'Manifests'); // a fresh page opens on Environment
    const scalar = PLAIN.replace('  labels:\n', '  annotations: none\n  labels:\n');
    await paste(page, scalar);
    await step(page, '2. Choose');
    await page.getByLabel(CHOICE).check();
    await expect
      .poll(() => page.getByRole('row', { name: /demo\/hello/ }).textContent())
      .toContain('not annotated: metadata.annotations is not a map: write {} there, or remove the key');
    await step(page, '5. Wire it in');
    expect(await output(page)).toBe(scalar);
  });

  it('offers the last session again from local storage, and forgets it when asked', async () => {
    const own = await launch(); // its own storage
    try {
      const first = await own.newPage();
      await first.goto(PAGE);
      await step(first, 'Manifests'); // a fresh page opens on Environment
      await paste(first, PLAIN);
      await step(first, '2. Choose');
      await first.getByLabel(CHOICE).check();
      await expect.poll(() => first.url()).toMatch(/#s=/); // written once the user pauses
      await first.close();
      // Opening the page and leaving it be does not overwrite what was saved, however long it stays open.
      const idle = await own.newPage();
      await idle.goto(PAGE);
      await idle.getByRole('button', { name: 'Resume it' }).waitFor();
      expect(await axeViolations(idle)).toEqual([]);
      await idle.waitForTimeout(1500);
      await idle.close();
      const again = await own.newPage();
      await again.goto(PAGE);
      await again.getByRole('button', { name: 'Resume it' }).click();
      expect(await again.evaluate(() => document.activeElement?.id)).toBe('main');
      expect(await stepButton(again, '2. Choose').getAttribute('aria-current')).toBe('step');
      expect(await again.getByLabel(CHOICE).isChecked()).toBe(true);
      // Starting on something else takes the offer away (storage then holds the new work).
      await again.goto(PAGE);
      await again.getByRole('button', { name: 'Resume it' }).waitFor();
      await step(again, 'Manifests'); // a fresh page opens on Environment; going on is starting something else
      await again.getByRole('button', { name: 'Load example' }).click();
      expect(await again.getByRole('button', { name: 'Resume it' }).count()).toBe(0);
      await expect.poll(() => again.url()).toMatch(/#s=/);
      await again.goto(PAGE);
      await again.getByRole('button', { name: 'Forget it' }).click();
      await again.goto(PAGE);
      await again.locator('#step-title').waitFor();
      expect(await again.getByRole('button', { name: 'Resume it' }).count()).toBe(0);
    } finally {
      await own.close();
    }
  });

  it('shows for every tool exactly the files wiringFor gives (what wiring-snippets.test.ts runs)', async () => {
    await chooseAndConfigure(page);
    await step(page, '5. Wire it in');
    for (const tool of ['kpt', 'kustomize', 'helm', 'kubectl', 'argocd', 'flux']) {
      await page.getByLabel('Your tool').selectOption(tool);
      const registry = page.getByLabel('Your registry');
      if (await registry.count()) {
        await registry.fill('localhost/wizard-test');
        await registry.press('Tab');
      }
      await page.getByRole('button', { name: 'Copy share link' }).click();
      const state = decodeState(new URL(page.url()).hash, STEP_IDS)!;
      const files = wiringFor(state, compute(state).spec).files;
      expect(files.length, tool).toBeGreaterThan(0);
      const paths = await page
        .locator('pre[data-path]')
        .evaluateAll((pres) => pres.map((p) => p.getAttribute('data-path')));
      expect(
        paths.filter((p) => p !== 'verify.sh'),
        tool,
      ).toEqual(files.map((f) => f.path));
      for (const f of files)
        expect(await page.locator(`pre[data-path="${f.path}"]`).textContent(), f.path).toBe(f.text);
    }
  });

  it('made no network request: only the page itself', () => {
    const other = session.requests.filter((url) => !url.startsWith(PAGE) && !/^(data|blob):/.test(url));
    expect(session.requests.length).toBeGreaterThan(0);
    expect(other).toEqual([]);
  });

  describe.skipIf(noKustomize && !inCi)('the kustomize files it offers', () => {
    let work = '';
    afterAll(() => void (work && run('rm', ['-rf', work])));

    it('build with kubectl kustomize --enable-alpha-plugins into exactly the manifests the page showed', async () => {
      // The registry answered is local: the image built here, tagged with the name the page gives it.
      const registry = 'localhost/wizard-test';
      must('podman', ['tag', await buildFunctionImage(), functionImage(registry)!]);
      await chooseAndConfigure(page);
      await step(page, '5. Wire it in');
      await page.getByLabel('Your tool').selectOption('kustomize');
      await page.getByLabel('Your registry').fill(registry);
      await page.getByLabel('Your registry').press('Tab');
      await page.locator('pre[data-path="kustomization.yaml"]').waitFor();
      const shown = (await output(page)) ?? '';
      work = tempDir('wizard-kustomize');
      for (const path of ['kustomization.yaml', 'sidecar-injector.yaml']) {
        const text = (await page.locator(`pre[data-path="${path}"]`).textContent()) ?? '';
        writeFileSync(join(work, path), text);
      }
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('button[data-download="manifests.yaml"]').click(),
      ]);
      expect(download.suggestedFilename()).toBe('manifests.yaml');
      await download.saveAs(join(work, 'manifests.yaml'));
      expect(readFileSync(join(work, 'manifests.yaml'), 'utf8')).toContain('sidecar.speedscale.com/inject: "true"');
      const shim = `${join(repoRoot, 'scripts/docker-shim')}:${process.env.PATH ?? ''}`;
      const built = must('kubectl', ['kustomize', '--enable-alpha-plugins', work], {
        env: { ...process.env, PATH: shim },
      });
      expect(docs(built.stdout)).toEqual(docs(shown));
      expect(built.stdout).toContain('speedscale-goproxy');
    }, 900_000);
  });
});
