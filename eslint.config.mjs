// ESLint flat config: type-aware typescript-eslint rules over the sources, tests, scripts and benchmarks.
// Formatting is Prettier's job (eslint-config-prettier turns off every rule that would fight it); the one
// layout rule kept is a line-length ceiling above Prettier's printWidth, for what Prettier does not wrap
// (long strings, regular expressions, comments).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

const ROOT = import.meta.dirname;

/** Plain JavaScript: build scripts and benchmarks. */
const JS = ['scripts/**/*.mjs', 'bench/**/*.mjs', 'bench/**/*.cjs', 'web/**/*.{js,mjs}'];
const TS = ['fn/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'web/**/*.{ts,tsx}'];
/**
 * The JavaScript files that tsconfig.json's program does not reach, typed with its options as a default
 * project. A script a TypeScript file imports (scripts/reference.mjs and bench/generate.mjs, by tests) is
 * in the program already, and typescript-eslint refuses a file that is in both; so the list is worked out:
 * every script, less those reached by relative imports from the TypeScript and, in turn, from what they reach.
 */
const DEFAULT_PROJECT = (() => {
  const files = (dirs, pattern) =>
    dirs.flatMap((dir) =>
      existsSync(join(ROOT, dir))
        ? readdirSync(join(ROOT, dir), { recursive: true })
            .map((name) => join(dir, String(name)).split(sep).join('/'))
            .filter((name) => pattern.test(name) && !name.startsWith('bench/out/'))
        : [],
    );
  const scripts = files(['scripts', 'bench', 'web'], /\.[cm]?js$/);
  const IMPORT = /(?:\bfrom|\bimport\s*\(?)\s*['"](\.{1,2}\/[^'"]+\.[cm]?js)['"]/g;
  const reached = new Set();
  const queue = files(['fn', 'test', 'bench', 'web'], /\.ts$/);
  while (queue.length) {
    const file = queue.pop();
    for (const [, specifier] of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const target = join(dirname(file), specifier).split(sep).join('/');
      if (scripts.includes(target) && !reached.has(target)) (reached.add(target), queue.push(target));
    }
  }
  return scripts.filter((file) => !reached.has(file));
})();

export default defineConfig(
  {
    ignores: [
      'dist/',
      'fixtures/',
      'examples/',
      'node_modules/',
      'fn/config/generated/',
      'coverage/',
      'bench/out/',
      '.scratch/',
    ],
  },
  {
    files: [...TS, ...JS],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: DEFAULT_PROJECT,
          defaultProject: 'tsconfig.json',
          // The limit guards against globbing a whole tree into the slow default project; these are a few scripts.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
        tsconfigRootDir: ROOT,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Tests, benchmarks and build scripts take apart the function's output, parsed YAML and JSON, which is
    // untyped by nature (and the JavaScript is untyped throughout): typing every access there would be a
    // rewrite that buys no safety, since each expectation checks the shape anyway. The function's own code
    // under fn/ keeps these rules.
    files: ['test/**', 'bench/**', 'scripts/**', 'web/**'].map((dir) => `${dir}/*.{ts,tsx,js,mjs,cjs}`),
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: JS,
    languageOptions: { globals: globals.node },
  },
  {
    // CommonJS on purpose (the benchmark preloads and runs them with plain node): require is how they import.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The front ends stand on the public core (fn/index.ts) and on nothing below it; the page never on the
  // command line. A new import of an internal module is a lint error, not a quiet coupling.
  ...[
    ['web/**/*.ts', /^(?:\.\.\/)+fn\/(?!index$)/],
    ['fn/cli/*.ts', /^\.\.\/(?!index$)/],
    ['fn/cli/*/*.ts', /^\.\.\/\.\.\/(?!index$)/],
    ['fn/main.ts', /^\.\/(?!index$|krm\/output$|cli\/cli$)/],
  ].map(([files, internal]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: internal.source,
              message: 'A front end imports the core only through fn/index.ts (see docs/how-it-works.md).',
            },
          ],
        },
      ],
    },
  })),
  prettier,
  {
    // No line of 140 characters or more: Prettier wraps code at 120 but leaves long strings, regular
    // expressions and comments alone.
    files: [...TS, ...JS],
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': ['error', { code: 139, tabWidth: 2 }],
    },
  },
);
