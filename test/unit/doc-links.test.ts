/**
 * The README, docs/, bench/ and the changelog are mostly links to each other: every relative link must name a
 * file of the repository, and every anchor a heading of its page. The README's two commands must be what
 * package.json and CI run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers';

const pagesIn = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `${dir}/${f}`);

const PAGES = ['README.md', 'CHANGELOG.md', ...pagesIn('docs'), ...pagesIn('bench')];

/** The page without its fenced blocks: a link-like text in a code sample is not a link. */
const prose = (page: string) => readFileSync(join(ROOT, page), 'utf8').replace(/^(`{3,}).*\n[\s\S]*?^\1$/gm, '');

/** GitHub's heading anchors: lower case, punctuation other than - and _ dropped, spaces to -. */
function anchorsOf(page: string): Set<string> {
  return new Set(
    [...prose(page).matchAll(/^#+ (.*)$/gm)].map(([, title]) =>
      title
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe.each(PAGES)('%s', (page) => {
  it('links only to files that exist and headings that exist', () => {
    const links = [...prose(page).matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target);
    for (const target of links.filter((t) => !/^(https?|mailto):/.test(t))) {
      const hash = target.indexOf('#');
      const path = hash < 0 ? target : target.slice(0, hash);
      const file = path ? relative(ROOT, join(ROOT, dirname(page), path)) : page;
      expect(existsSync(join(ROOT, file)), `${page}: ${target}`).toBe(true);
      if (hash >= 0) expect(anchorsOf(file), `${page}: ${target}`).toContain(target.slice(hash + 1));
    }
  });
});

describe('the sources that point into docs/', () => {
  /** Files beside the docs that name a page's heading (`docs/guarantees.md#files`), in comments or in text. */
  const SOURCES = ['action.yml', '.github/workflows/release.yml', 'scripts/coordinates.mjs'];
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(`${dir}/${e.name}`) : /\.(ts|mjs)$/.test(e.name) ? [`${dir}/${e.name}`] : [],
    );

  it('name only headings that exist', () => {
    for (const file of [...SOURCES, ...walk('fn'), ...walk('web')]) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, page, anchor] of text.matchAll(/\b(docs\/[a-z-]+\.md)#([a-z0-9-]+)/g))
        expect(anchorsOf(page), `${file}: ${page}#${anchor}`).toContain(anchor);
    }
  });
});

describe("the README's two commands", () => {
  const block =
    /^```sh doc-test=readme\/dev\n(npm ci[\s\S]*?)```/m.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1] ?? '';
  const commands = block
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);

  it('are `npm ci && npm start` and `npm test`', () => {
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
  });

  it('are what package.json defines and CI runs', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // start builds, then runs the function on the fixture the README describes; test runs every tier.
    expect(scripts.start).toMatch(
      /^npm run build --silent && node dist\/sidecar-injector\.js < fixtures\/inject-deployment\/input\.yaml$/,
    );
    expect(scripts.test).toMatch(/format:check && .*lint && .*typecheck && .*build .*&& vitest run$/);
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(ci.at(-1)).toBe('npm test');
  });
});
