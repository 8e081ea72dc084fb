/**
 * Debian's chromium driven by playwright-core (no browser download: `npx playwright install` cannot reach
 * its host). A fresh profile per launch; every request the page makes is recorded, so a test can assert
 * there is none. Not a test file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type FileChooser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = (): boolean => !existsSync(CHROMIUM);

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Session {
  context: BrowserContext;
  /** Every URL a page of the context requested, in order (file:// and data: ones included). */
  requests: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A persistent context on a fresh user-data dir (removed on close): nothing from an earlier run. */
export async function launch(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'sidecar-injector-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
    acceptDownloads: true,
  });
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  return {
    context,
    requests,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser, FileChooser, Page };
