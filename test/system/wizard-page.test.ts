/** The built page (npm run build writes dist/web/index.html): one file, inside its budget, no node builtin. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WEB_BUDGET } from '../../scripts/build-web.mjs';
import { ROOT } from '../support/helpers';

const page = readFileSync(join(ROOT, 'dist/web/index.html'), 'utf8');

describe('dist/web/index.html', () => {
  it('is at most 350 kB gzipped, the core included', () => {
    // The budget the build enforces is the one the README and docs/wizard.md state.
    for (const doc of ['README.md', 'docs/wizard.md'])
      expect(readFileSync(join(ROOT, doc), 'utf8').replace(/\s+/g, ' '), doc).toMatch(
        new RegExp(`\\b${WEB_BUDGET / 1024} kB\\b`),
      );
    const size = gzipSync(page, { level: 9 }).length;
    expect(size).toBeLessThanOrEqual(WEB_BUDGET);
    // And the size they state ("about 250 kB") is the page's, within a tenth.
    for (const doc of ['README.md', 'docs/wizard.md']) {
      const stated = /about (\d+) kB (?:gzipped|now)/.exec(readFileSync(join(ROOT, doc), 'utf8'));
      expect(stated, doc).not.toBeNull();
      expect(Math.abs(Number(stated![1]) * 1024 - size), doc).toBeLessThanOrEqual(size / 10);
    }
    // The core is in it: the container it injects and the schema's descriptions.
    expect(page).toContain('speedscale-goproxy');
    expect(page).toContain("The sidecar's inbound listener.");
  });

  it('opens from disk: one inline classic script, no module import, no external resource', () => {
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/<script[^>]*\b(src|type="module")/);
    expect(page).not.toMatch(/<link[^>]*\bhref=/);
    expect(page).not.toMatch(/require\("node:|from"node:/);
    expect(page).toContain("default-src 'none'");
  });

  it("allows its one script by its hash, never by 'unsafe-inline' (issue 23)", () => {
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(page)![1];
    const script = /script-src ([^;]*)/.exec(policy)![1];
    const inline = /<script>([\s\S]*?)<\/script>/.exec(page)![1];
    expect(script).toBe(`'sha256-${createHash('sha256').update(inline).digest('base64')}'`);
    expect(policy).toContain("base-uri 'none'");
  });
});
