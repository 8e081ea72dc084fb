/**
 * The wizard's results summary in chromium (issue 25, items 1 and 5): "N of M chosen workloads injected" and
 * every error and warning with its fix at the top of Review, Wire it in and Verify; downloads held until the
 * output with errors is taken anyway, and named so; a Helm chart template named as one, its commands run
 * as printed; the broken line marked in the editor; kubectl get's server-side fields stripped in one click;
 * an update that removes earlier settings said as such.
 */
import { chmodSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverFields } from '../../fn/index';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { openManifests, paste, step } from './_wizard';
import { repoRoot, run, tempDir } from './_tools';

const HELLO = readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8');
const PLAIN = HELLO.replace(/ {2}annotations:\n {4}# Opt in[^\n]*\n {4}sidecar\.speedscale\.com\/inject: "true"\n/, '');

/**
 * The OpenTelemetry-like case: three workloads the core refuses (each container already listens on the
 * proxy's outbound port, 4140; the demo's refusal, a Helm-rendered empty volumeMounts:, is accepted now),
 * and one plain workload that is injected.
 */
const BROKEN = ['cart', 'checkout', 'currency'].map((name) =>
  PLAIN.replace(/name: hello$/m, `name: ${name}`).replace(
    '              containerPort: 8080\n',
    '              containerPort: 8080\n            - name: otlp\n              containerPort: 4140\n',
  ),
);
const MIXED = [...BROKEN, PLAIN].join('---\n');

const noBrowser = chromiumMissing() ? '/usr/bin/chromium is not installed' : '';
const inCi = process.env.CI === 'true';

const headline = (page: Page) => page.getByTestId('summary-headline').textContent();
const findings = (page: Page) => page.locator('.summary li').allTextContents();

/** Ticks every workload listed in Choose. */
async function chooseAll(page: Page) {
  await step(page, 'Choose');
  for (const box of await page.getByRole('checkbox').all()) await box.check();
}

/** The proxy's outbound port, moved off the one the refused workloads listen on (or back to its default). */
async function outPort(page: Page, value: string) {
  await step(page, 'Configure');
  // Under "All settings", collapsed below the short form.
  const all = page.locator('details[data-panel="all"]');
  if ((await all.getAttribute('open')) === null) await all.locator('> summary').click();
  await page.getByLabel(/ proxyOutPort$/).fill(value);
}

async function tlsOut(page: Page, value: 'true' | '') {
  await step(page, 'Configure');
  await page.getByLabel(/ tlsOut$/).selectOption(value);
}

describe.skipIf(noBrowser && !inCi)('the wizard results summary in chromium', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await launch();
    page = await session.newPage();
    await page.setViewportSize({ width: 1280, height: 3000 });
  }, 60_000);
  afterAll(async () => session?.close());

  it('says in Review, Wire it in and Verify which chosen workloads fail, with the fix and a way to each', async () => {
    await openManifests(page);
    await paste(page, MIXED);
    await page.getByRole('cell', { name: 'demo/currency' }).waitFor();
    await chooseAll(page);
    for (const title of ['Review', 'Wire it in', 'Verify']) {
      await step(page, title);
      expect(await headline(page)).toBe('1 of 4 chosen workloads injected; 3 errors, 0 warnings.');
      const listed = await findings(page);
      expect(listed).toHaveLength(3);
      for (const [i, name] of ['cart', 'checkout', 'currency'].entries()) {
        expect(listed[i]).toContain(`Error: Deployment demo/${name}: not injected: `);
        expect(listed[i]).toContain('already listens on 4140; set proxy-in-port/proxy-out-port to free ports');
      }
      expect(await page.locator('.summary [role="status"]').getAttribute('aria-live')).toBe('polite');
    }
    // Each finding takes the user to its workload: Review, that workload shown, the keyboard on it.
    await page.getByRole('button', { name: 'Review Deployment demo/checkout' }).click();
    expect(await page.getByRole('button', { name: /^\d+\. Review$/ }).getAttribute('aria-current')).toBe('step');
    expect(await page.getByLabel('Workload', { exact: true }).inputValue()).toBe('Deployment/demo/checkout');
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-review-workload'))).toBe(true);
    // The live region stays the same element across renders, so a change is heard: a free port fixes them.
    const region = await page.getByTestId('summary-headline').elementHandle();
    await outPort(page, '4999');
    await step(page, 'Review');
    expect(await headline(page)).toBe('4 of 4 chosen workloads injected; 0 errors, 0 warnings.');
    expect(await region.evaluate((el) => el.isConnected)).toBe(true);
  });

  it('holds the injected downloads until taken anyway, and names the file so', async () => {
    await openManifests(page);
    await paste(page, MIXED);
    await page.getByRole('cell', { name: 'demo/currency' }).waitFor();
    await chooseAll(page);
    await step(page, 'Wire it in');
    // Its label names the file it saves, which says whether errors were taken with it.
    const injected = page.getByRole('button', {
      name: /^Download manifests\.injected[\w-]*\.yaml \(with the sidecar\)$/,
    });
    expect(await injected.isDisabled()).toBe(true);
    const take = page.getByLabel('Take the output anyway, with 3 errors');
    await take.check();
    expect(await injected.isDisabled()).toBe(false);
    const [download] = await Promise.all([page.waitForEvent('download'), injected.click()]);
    expect(download.suggestedFilename()).toBe('manifests.injected-with-errors.yaml');
    // Taken for these errors: a re-render keeps it; other errors ask again.
    await page.getByLabel('Your tool').selectOption('kpt');
    expect(await page.getByLabel('Take the output anyway, with 3 errors').isChecked()).toBe(true);
    await step(page, 'Choose');
    await page.getByLabel('Deployment demo/cart').uncheck();
    await step(page, 'Wire it in');
    expect(await page.getByLabel('Take the output anyway, with 2 errors').isChecked()).toBe(false);
    expect(await injected.isDisabled()).toBe(true);
    // Without errors nothing is held, and the name is the file's.
    await outPort(page, '4999');
    await step(page, 'Wire it in');
    expect(await page.getByText(/Take the output anyway/).count()).toBe(0);
    const [plain] = await Promise.all([page.waitForEvent('download'), injected.click()]);
    expect(plain.suggestedFilename()).toBe('manifests.injected.yaml');
  });

  it('names a Helm chart template, marks its line in the editor, and its two commands run as printed', async () => {
    const template = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ include "shop.fullname" . }}',
      '  labels:',
      '    {{- include "shop.labels" . | nindent 4 }}',
      'spec:',
      '  replicas: {{ .Values.replicaCount }}',
      '',
    ].join('\n');
    await openManifests(page);
    await paste(page, template);
    const problem = page.locator('#manifest-problems li');
    await expect.poll(() => problem.first().textContent()).toContain('this is a Helm chart template');
    const message = (await problem.first().textContent()) ?? '';
    const [, line, column] = /^manifests\.yaml:(\d+):(\d+):/.exec(message)!.map(Number);
    // The line is marked (its number in the gutter beside the mark), the editor says it is invalid.
    const marked = page.locator('.cm-problem-line');
    expect(await marked.count()).toBe(1);
    expect(await marked.textContent()).toBe(template.split('\n')[line - 1]);
    expect(await marked.getAttribute('title')).toContain('Helm chart template');
    expect(await page.locator('.cm-problem-gutter .cm-gutterElement', { hasText: '!' }).count()).toBe(1);
    expect(await page.locator('.cm-content').getAttribute('aria-invalid')).toBe('true');
    expect((await page.locator('.cm-content').getAttribute('aria-describedby'))?.split(' ')).toContain(
      'manifest-problems',
    );
    // The summary names it too, and takes the user to the file.
    await step(page, 'Review');
    // At the same file:line:column as the Manifests step says (it said "manifests.yaml line N").
    expect((await findings(page))[0]).toContain(`Error: manifests.yaml:${line}:${column}: `);
    await page.getByRole('button', { name: `Show manifests.yaml:${line}:${column} in Manifests` }).click();
    expect(await page.getByRole('button', { name: /^\d+\. Manifests$/ }).getAttribute('aria-current')).toBe('step');

    // Both ways forward, exactly as printed: Helm stands in (it renders the hello Deployment annotated).
    const commands = [...message.matchAll(/\((helm [^)]+)\)/g)].map((m) => m[1]);
    expect(commands).toEqual([
      'helm template RELEASE CHART | sidecar-injector inject --annotated',
      'helm install RELEASE CHART --post-renderer ./helm/sidecar-injector/post-render.sh',
    ]);
    const bin = tempDir('helm-hint');
    try {
      writeFileSync(join(bin, 'rendered.yaml'), HELLO);
      writeFileSync(
        join(bin, 'helm'),
        '#!/bin/sh\n# helm stand-in: template prints the rendered chart; install pipes it through --post-renderer\n' +
          `rendered=${join(bin, 'rendered.yaml')}\n` +
          'case "$1" in template) cat "$rendered" ;; install)\n' +
          '  while [ $# -gt 0 ]; do [ "$1" = --post-renderer ] && exec "$2" < "$rendered"; shift; done; exit 2 ;;\n' +
          'esac\n',
      );
      chmodSync(join(bin, 'helm'), 0o755);
      symlinkSync(join(repoRoot, 'dist/sidecar-injector.js'), join(bin, 'sidecar-injector'));
      for (const command of commands) {
        const done = run('bash', ['-euo', 'pipefail', '-c', command], {
          cwd: repoRoot,
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        });
        expect(done.status, done.stderr).toBe(0);
        expect(done.stdout).toContain('name: speedscale-goproxy');
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }

    // Fixed, the mark goes; a template that parses is a warning in the summary.
    await step(page, 'Manifests');
    await paste(page, PLAIN.replace('image: ', 'image: "{{ .Values.image }}"\n        # was: '));
    await expect.poll(() => marked.count()).toBe(0);
    expect(await page.locator('.cm-content').getAttribute('aria-invalid')).toBe(null);
    await step(page, 'Review');
    expect(await findings(page)).toEqual([
      expect.stringMatching(/^Warning: manifests\.yaml: holds Helm's template actions/),
    ]);
  });

  it("points out kubectl get's server-side fields and strips them in one click", async () => {
    const got = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: apps/v1',
      '  kind: Deployment',
      '  metadata:',
      '    annotations:',
      '      kubectl.kubernetes.io/last-applied-configuration: |',
      '        {"kind":"Deployment"}',
      '    creationTimestamp: "2026-12-01T10:00:00Z"',
      '    generation: 2',
      '    name: api # ours',
      '    namespace: shop',
      '    resourceVersion: "4711"',
      '    uid: 6a1c0e2e-0000-4000-8000-000000000001',
      '  spec:',
      '    selector: {matchLabels: {app: api}}',
      '    template:',
      '      metadata:',
      '        labels: {app: api}',
      '      spec:',
      '        containers:',
      '        - name: api',
      '          image: api:1',
      '  status:',
      '    replicas: 1',
      'metadata:',
      '  resourceVersion: ""',
      '',
    ].join('\n');
    await openManifests(page);
    await paste(page, got);
    await page.getByRole('cell', { name: 'shop/api' }).waitFor();
    await chooseAll(page);
    await step(page, 'Review');
    const [warning] = await findings(page);
    expect(warning).toMatch(/^Warning: manifests\.yaml: holds fields the API server writes \(/);
    for (const field of ['status', 'metadata.uid', 'metadata.resourceVersion', 'last-applied-configuration'])
      expect(warning).toContain(field);
    // One Deployment: the List's own resourceVersion is not a second resource.
    expect(warning).toContain(') in 1 resource(s), as kubectl get -o yaml gives them');
    await page.getByRole('button', { name: 'Strip server-side fields from manifests.yaml' }).click();
    expect(await findings(page)).toEqual([]);
    await step(page, 'Manifests');
    const text = await page
      .locator('.cm-content')
      .evaluate((el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));
    expect(text).toBe(serverFields(got).stripped);
    expect(text).toContain('name: api # ours');
  });

  it('says what an update removes: injected manifests reloaded with the default settings lose TLS', async () => {
    await openManifests(page);
    await paste(page, PLAIN);
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await chooseAll(page);
    await tlsOut(page, 'true');
    await step(page, 'Wire it in');
    const injected = (await page.locator('pre[data-output="manifests.yaml"]').textContent()) ?? '';
    expect(injected).toContain('speedscale-tls-out');
    await tlsOut(page, '');
    await step(page, 'Manifests');
    await paste(page, injected);
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await step(page, 'Review');
    expect(await headline(page)).toBe('1 of 1 chosen workloads injected; 0 errors, 1 warning.');
    const [removal] = await findings(page);
    expect(removal).toMatch(/^Warning: Deployment demo\/hello: updated: removes /);
    expect(removal).toContain('volume speedscale-tls-out');
  });
});
