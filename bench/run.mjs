// Benchmark of the built function. `npm run bench` builds, then runs this file.
//
// For each generated input it runs three whole node processes, interleaved round by round so that
// machine noise hits all three alike: the function (`node dist/sidecar-injector.js < input`), a js-yaml 4
// load + dump of the same input (bench/js-yaml-roundtrip.cjs), and `node -e 0` (process start). Each is
// preloaded with bench/rss-probe.cjs, which records the child's own peak RSS (getrusage) on exit.
// It prints a table and writes bench/RESULTS.md with the machine, the figures, the per-workload cost and the
// targets; the wizard's target is measured by bench/wizard.mjs (in a browser), run from here at the end.
//
// Environment:
//   BENCH_QUICK=1      only the small packages and 100 / 1,000 workloads, no wizard (bench/out/RESULTS.quick.md)
//   BENCH_RUNS=n       rounds per case (default: 31 for the small packages, 11 for 100, 7 for 1,000, 5 for 10,000)
//   BENCH_WIZARD=0     skip the wizard (it needs Debian's chromium and a built dist/web/index.html)
//   BENCH_FN=path      the function to measure (default dist/sidecar-injector.js)
//   BENCH_RESULTS=path where to write the markdown (default bench/RESULTS.md)
//   BENCH_TIMEOUT=s    kill a child after s seconds (default 300); counts as a failure
//   BENCH_KEEP_ENV=1   keep NODE_EXTRA_CA_CERTS in the children's environment (by default it is removed:
//                      node reads that file at every start, which can double the time of `node -e 0`,
//                      and a KRM function makes no TLS connections)
//
// Exit code: 0 when the function ran cleanly everywhere (targets met or not: they are reported, not
// enforced), 1 when it exited non-zero, was killed, lost or added items, or printed no ResourceList.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { ensureInput, isAnnotated, packageCounts, GENERATOR_VERSION, PACKAGES, VARIANTS } from './generate.mjs';
import { inspectOutput } from './check-output.mjs';

const require = createRequire(import.meta.url);
const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const OUT = join(BENCH, 'out');
const PROBE = join(BENCH, 'rss-probe.cjs');
const BASELINE = join(BENCH, 'js-yaml-roundtrip.cjs');

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = process.env.BENCH_RUNS ? Number.parseInt(process.env.BENCH_RUNS, 10) : null;
const FN = resolve(process.env.BENCH_FN ?? join(ROOT, 'dist/sidecar-injector.js'));
const RESULTS = resolve(
  process.env.BENCH_RESULTS ?? (QUICK ? join(OUT, 'RESULTS.quick.md') : join(BENCH, 'RESULTS.md')),
);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT ?? 300) * 1000;
// A case whose first round is slow gets fewer rounds, to keep the whole bench within a few minutes.
const CASE_BUDGET_MS = 100_000;
const MB = 1e6;
const CHILD_ENV = { ...process.env };
const DROPPED_ENV = [];
if (process.env.BENCH_KEEP_ENV !== '1') {
  for (const name of ['NODE_EXTRA_CA_CERTS']) {
    if (name in CHILD_ENV) {
      delete CHILD_ENV[name];
      DROPPED_ENV.push(name);
    }
  }
}

if (RUNS !== null && !(RUNS >= 1)) fail(`BENCH_RUNS must be a positive integer, got ${process.env.BENCH_RUNS}`);
if (!existsSync(FN)) fail(`${rel(FN)} does not exist: run \`npm run bench\` (it builds first) or set BENCH_FN`);

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}
function rel(p) {
  const r = relative(ROOT, p);
  return r.startsWith('..') ? p : r;
}
const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------------------------------------------------
// Cases

const SIZES = QUICK ? [100, 1000] : [100, 1000, 10_000];
// More rounds where a round is cheap: a burst of load on a shared machine moves a median of few runs.
const DEFAULT_RUNS = { 1: 31, 100: 11, 1000: 7, 10_000: 5 };
const WIZARD = !QUICK && process.env.BENCH_WIZARD !== '0';
const cases = Object.entries(PACKAGES).map(([id, label]) => ({
  id,
  variant: id,
  ...packageCounts(id),
  label,
  small: true,
}));
for (const count of SIZES) {
  for (const variant of Object.keys(VARIANTS)) {
    cases.push({
      id: `${variant}-${count}`,
      variant,
      count,
      label: `${count.toLocaleString('en-US')} Deployments, ${VARIANTS[variant]}`,
    });
  }
}

const COMMANDS = {
  fn: { title: 'function', args: [FN] },
  js: { title: 'js-yaml round trip', args: [BASELINE] },
  node: { title: 'node -e 0', args: ['-e', '0'] },
};

// ---------------------------------------------------------------------------------------------------------
// One child process

/** Runs `node --require rss-probe <args> < input > output`; resolves with wall time, exit status, peak RSS. */
function runOnce(args, input, output) {
  const rssFile = join(OUT, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  const inFd = openSync(input, 'r');
  const outFd = openSync(output, 'w');
  return new Promise((resolvePromise) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', PROBE, ...args], {
      stdio: [inFd, outFd, 'pipe'],
      env: { ...CHILD_ENV, BENCH_RSS_FILE: rssFile },
    });
    closeSync(inFd);
    closeSync(outFd);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      if (stderr.length < 20_000) stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    let ms = 0;
    child.on('exit', () => {
      ms = Number(process.hrtime.bigint() - t0) / 1e6;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolvePromise({ ms: 0, code: null, signal: null, stderr: String(err), rssKiB: null, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let rssKiB = null;
      try {
        rssKiB = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        // no figure: the child died before its exit handlers ran
      }
      resolvePromise({ ms, code, signal, stderr, rssKiB, timedOut });
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---------------------------------------------------------------------------------------------------------
// Measuring

const errors = [];
const warnings = [];

function checkFunctionRun(c, run, outFile, crossCheck) {
  const problems = [];
  if (run.timedOut) problems.push(`killed after ${TIMEOUT_MS / 1000} s (BENCH_TIMEOUT)`);
  else if (run.code !== 0) problems.push(`exit code ${run.code}${run.signal ? ` (signal ${run.signal})` : ''}`);
  let info = null;
  try {
    const text = readFileSync(outFile, 'utf8');
    if (!text.trim()) throw new Error('empty');
    info = inspectOutput(text, { crossCheck });
    if (info.kind !== 'ResourceList') problems.push(`stdout kind is ${info.kind}, not ResourceList`);
    if (info.items !== c.count) problems.push(`stdout has ${info.items} items, input has ${c.count}`);
  } catch (err) {
    problems.push(`stdout: ${err.message}`);
  }
  if (problems.length && run.stderr.trim()) {
    problems.push(`stderr: ${run.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
  }
  return { problems, info };
}

async function measure(c) {
  const { file: input, generated } = ensureInput(OUT, c.variant, c.count);
  const bytes = statSync(input).size;
  const annotated =
    c.annotated ?? Array.from({ length: c.count }, (_, i) => isAnnotated(c.variant, i)).filter(Boolean).length;
  let runs = RUNS ?? DEFAULT_RUNS[c.small ? 1 : c.count];
  /** @type {{ fn: number[], js: number[], node: number[] }} */
  const times = { fn: [], js: [], node: [] };
  const rss = { fn: [], js: [], node: [] };
  const outFiles = {
    fn: join(OUT, `output-${c.id}.yaml`),
    js: join(OUT, `output-${c.id}.js-yaml.yaml`),
    node: join(OUT, 'output-node.txt'),
  };
  const result = {
    ...c,
    input: rel(input),
    generated,
    bytes,
    annotated,
    runs: 0,
    reducedRuns: false,
    times,
    rss,
    sidecars: null,
    error: null,
  };
  const order = ['fn', 'js', 'node'];
  for (let round = 0; round < runs; round++) {
    // Rotate who goes first each round: no command always runs right after another one.
    const rotated = order.map((_, k) => order[(k + round) % order.length]);
    for (const key of rotated) {
      const run = await runOnce(COMMANDS[key].args, input, outFiles[key]);
      if (key === 'fn') {
        const { problems, info } = checkFunctionRun(c, run, outFiles.fn, round === 0 && c.count <= 100);
        if (problems.length) {
          result.error = problems.join('; ');
          return result;
        }
        result.sidecars = info.sidecars;
      } else if (run.code !== 0) {
        const what = key === 'js' ? 'js-yaml round trip' : 'node -e 0';
        result.error = `${what} failed (exit ${run.code}${run.signal ? `, ${run.signal}` : ''}): ${run.stderr.trim().split('\n')[0]}`;
        return result;
      }
      times[key].push(run.ms);
      if (run.rssKiB) rss[key].push(run.rssKiB * 1024);
    }
    result.runs = round + 1;
    if (round === 0 && RUNS === null) {
      const roundMs = times.fn[0] + times.js[0] + times.node[0];
      const affordable = Math.max(1, Math.floor(CASE_BUDGET_MS / roundMs));
      if (affordable < runs) {
        runs = affordable;
        result.reducedRuns = true;
      }
    }
  }
  return result;
}

function summarize(r) {
  if (r.error || r.runs === 0) return r;
  const med = (k) => median(r.times[k]);
  const peak = (k) => (r.rss[k].length ? Math.max(...r.rss[k]) : null);
  return {
    ...r,
    fnMs: med('fn'),
    jsMs: med('js'),
    nodeMs: med('node'),
    fnRss: peak('fn'),
    jsRss: peak('js'),
    nodeRss: peak('node'),
    vsJs: med('fn') / med('js'),
    vsNode: med('fn') / med('node'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Machine facts

function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux
  }
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(join(dirname(require.resolve(`${name}/package.json`)), 'package.json'), 'utf8'))
        .version;
    } catch {
      return 'not installed';
    }
  };
  let git = 'no commit';
  try {
    git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    // The results file itself does not count: the previous run rewrote it.
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '.', `:(exclude)${relative(ROOT, RESULTS)}`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    if (dirty) git += ' (with uncommitted changes)';
  } catch {
    // no git or no commit yet
  }
  // The loader and, beside it, the code with its V8 cache (scripts/build.mjs).
  const bin = FN.replace(/\.js$/, '.bin');
  const fnBytes = Buffer.concat([readFileSync(FN), ...(bin !== FN && existsSync(bin) ? [readFileSync(bin)] : [])]);
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu,
    cores: availableParallelism(),
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${process.platform === 'linux' ? 'Linux' : process.platform} ${release()}`,
    node: process.version,
    yaml: version('yaml'),
    jsYaml: version('js-yaml'),
    fn: rel(FN),
    fnSize: fnBytes.length,
    fnSha: createHash('sha256').update(fnBytes).digest('hex').slice(0, 12),
    git,
    load: loadavg()[0].toFixed(2),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Targets

function targets(results, wizard) {
  const byId = Object.fromEntries(results.map((r) => [r.id, r]));
  const ok = (r) => r && !r.error && (r.runs > 0 || r.paste);
  const x = (v) => `${v.toFixed(2)}x`;
  const list = [];
  const add = (name, r, measured, checks) =>
    list.push({ name, measured: ok(r) ? measured(r) : null, checks: ok(r) ? checks(r) : null, error: r?.error });

  const vsJs = (name, r, limit) =>
    add(
      name,
      r,
      (r) => `${x(r.vsJs)} (${sec(r.fnMs)} vs ${sec(r.jsMs)})`,
      (r) => [{ threshold: `<= ${limit.toFixed(1)}x`, pass: r.vsJs <= limit }],
    );
  const vsNode = (name, r, limit) =>
    add(
      name,
      r,
      (r) => `${x(r.vsNode)} (${sec(r.fnMs)} vs ${sec(r.nodeMs)})`,
      (r) => [{ threshold: `<= ${limit.toFixed(1)}x`, pass: r.vsNode <= limit }],
    );
  vsJs('10,000 workloads, half "true" and half "false": time vs js-yaml round trip', byId['half-10000'], 0.6);
  vsJs('10,000 workloads, all "true": time vs js-yaml round trip', byId['all-10000'], 0.8);
  vsJs('10,000 workloads, none annotated: time vs js-yaml round trip', byId['none-10000'], 0.2);
  vsNode('100 workloads, all "true": time vs `node -e 0`', byId['all-100'], 2.0);
  vsNode('a ResourceList of two Deployments (one "true", one "false"): time vs `node -e 0`', byId.pair, 1.2);
  for (const v of ['half', 'all', 'none']) {
    const r = byId[`${v}-10000`];
    add(
      `Peak RSS, 10,000 workloads (${VARIANTS[v]})`,
      r,
      (r) => (r.fnRss ? `${mb(r.fnRss)} (input ${mb(r.bytes)})` : 'no figure'),
      (r) => [
        {
          threshold: `<= 4 x input + 100 MB = ${mb(4 * r.bytes + 100 * MB)}`,
          pass: r.fnRss !== null && r.fnRss <= 4 * r.bytes + 100 * MB,
        },
      ],
    );
  }
  if (wizard)
    add(
      `the wizard: ${wizard.count.toLocaleString('en-US')} workloads with flow labels pasted, injected and shown`,
      wizard,
      (w) => `${sec(w.paste.median)} (slowest ${sec(w.paste.max)}, ${w.runs} rounds)`,
      (w) => [{ threshold: '<= 1 s', pass: w.paste.median <= 1000 }],
    );
  return list;
}

// ---------------------------------------------------------------------------------------------------------
// Formatting

const sec = (ms) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
const mb = (b) => (b === null || b === undefined ? 'n/a' : `${(b / MB).toFixed(b >= 100 * MB ? 0 : 1)} MB`);
const size = (b) => (b >= MB ? `${(b / MB).toFixed(2)} MB` : `${(b / 1000).toFixed(1)} kB`);

const workloads = (r) => `${r.count.toLocaleString('en-US')} (${r.annotated.toLocaleString('en-US')})`;

function rows(results) {
  return results.map((r) => {
    if (r.error || r.runs === 0) {
      const cells = [r.id, size(r.bytes), workloads(r), String(r.runs), `ERROR: ${r.error}`];
      return [...cells, ...Array(HEADER.length - cells.length).fill('')];
    }
    const injected = r.sidecars === r.annotated ? String(r.sidecars) : `${r.sidecars} of ${r.annotated} (!)`;
    return [
      r.id,
      size(r.bytes),
      workloads(r),
      `${r.runs}${r.reducedRuns ? '*' : ''}`,
      sec(r.fnMs),
      mb(r.fnRss),
      sec(r.jsMs),
      mb(r.jsRss),
      sec(r.nodeMs),
      `${r.vsJs.toFixed(2)}x`,
      `${r.vsNode.toFixed(2)}x`,
      injected,
    ];
  });
}

const HEADER = [
  'case',
  'input',
  'workloads (annotated)',
  'runs',
  'function',
  'function RSS',
  'js-yaml',
  'js-yaml RSS',
  'node -e 0',
  'vs js-yaml',
  'vs node -e 0',
  'sidecars out',
];

function textTable(header, body) {
  // Error messages overflow their column instead of widening it.
  const width = (cell) => (cell?.startsWith('ERROR') ? 0 : (cell ?? '').length);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => width(row[i]))));
  const line = (row) =>
    row
      .map((cell, i) => (cell ?? '').padEnd(i === row.length - 1 ? 0 : widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function mdTable(header, body) {
  const esc = (s) => String(s ?? '').replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...body.map((row) => `| ${row.map(esc).join(' | ')} |`),
  ].join('\n');
}

function targetRows(list) {
  const out = [];
  for (const t of list) {
    if (!t.checks) {
      out.push([t.name, t.error ? `ERROR: ${t.error}` : 'not measured', '', t.error ? 'FAIL' : 'n/a']);
      continue;
    }
    for (const [k, c] of t.checks.entries())
      out.push([k === 0 ? t.name : '', k === 0 ? t.measured : '', c.threshold, c.pass ? 'PASS' : 'FAIL']);
  }
  return out;
}

/**
 * The cost of one more workload, per variant: the time between the two largest sizes over the workloads
 * between them (start-up and fixed costs cancel out), for the function and for the js-yaml round trip.
 */
function perWorkload(results) {
  const byId = Object.fromEntries(results.map((r) => [r.id, r]));
  const [small, big] = SIZES.slice(-2);
  const us = (ms) => `${((ms * 1000) / (big - small)).toFixed(0)} µs`;
  return Object.entries(VARIANTS).flatMap(([v, label]) => {
    const [a, b] = [byId[`${v}-${small}`], byId[`${v}-${big}`]];
    if (!a || !b || a.error || b.error || !a.runs || !b.runs) return [];
    const fn = b.fnMs - a.fnMs;
    const js = b.jsMs - a.jsMs;
    return [[label, us(fn), us(js), `${(fn / js).toFixed(2)}x`]];
  });
}
const PER_WORKLOAD_HEADER = ['variant', 'function', 'js-yaml round trip', 'ratio'];

const INPUTS =
  'kpt-style ResourceLists of Deployments with flow labels and resources, an init container, env, ports and ' +
  "comments; `block` with block labels; `storefront` is fixtures/storefront's release as a ResourceList";

function markdown(m, results, list, totalMs) {
  const sizes = SIZES.slice(-2)
    .map((n) => n.toLocaleString('en-US'))
    .join(' to ');
  const tRows = targetRows(list);
  const passed = tRows.filter((r) => r[3] === 'PASS').length;
  const judged = tRows.filter((r) => r[3] !== 'n/a').length;
  const reduced = results.some((r) => r.reducedRuns);
  const odd = results.filter((r) => !r.error && r.runs > 0 && r.sidecars !== r.annotated);
  const method = RUNS
    ? `${RUNS} whole-process run${RUNS === 1 ? '' : 's'} (BENCH_RUNS)`
    : 'whole-process runs (31 for the small packages, 11 for 100 workloads, 7 for 1,000, 5 for 10,000)';
  const dropped = DROPPED_ENV.length ? `; run without ${DROPPED_ENV.join(', ')} (set here; see bench/README.md)` : '';
  const reducedNote = reduced
    ? '\n\\* fewer rounds than the default: the first round was slow, so the case was cut to stay within its time budget.\n'
    : '';
  const oddNote = odd.length
    ? `\nNote: the function's stdout does not hold one sidecar per annotated workload in ${odd.map((r) => r.id).join(', ')}.\n`
    : '';
  return `# Benchmark results

Written by \`npm run bench\` (bench/run.mjs${QUICK ? ', BENCH_QUICK=1' : ''}) on ${m.date}; how to run and read it:
[bench/README.md](${relative(dirname(RESULTS), join(BENCH, 'README.md')) || 'README.md'}). Absolute times vary between runs on shared
machines; the ratios come from processes run side by side, interleaved round by round.

## Machine

| | |
|---|---|
| CPU | ${m.cpu}, ${m.cores} cores available |
| Memory | ${m.memory} |
| OS | ${m.os} |
| Node | ${m.node} |
| yaml / js-yaml | ${m.yaml} / ${m.jsYaml} |
| Function | \`${m.fn}\` and its \`.bin\`, ${size(m.fnSize)} together, sha256 ${m.fnSha}…; source ${m.git} |
| Inputs | generator v${GENERATOR_VERSION} (bench/generate.mjs): ${INPUTS} |
| Method | median wall time of ${method}, interleaved with the two baselines; peak RSS is the highest \`maxRSS\` over the runs |
| Children | \`node --require bench/rss-probe.cjs …\`, stdin and stdout redirected to files${dropped} |
| Whole run | ${sec(totalMs)} |
| Load average | ${m.load} (1 min, at the start and the end; above the core count, processes wait for a core) |

## Results

Times are medians; "vs js-yaml" and "vs node -e 0" are the function's median over theirs (lower is better).
"sidecars out" counts \`name: speedscale-goproxy\` lines in the function's stdout.
${reducedNote}
${mdTable(HEADER, rows(results))}
${oddNote}
## Per-workload cost

What one more workload costs: the median time from ${sizes} workloads, over the workloads added (start-up
cancels out).

${mdTable(PER_WORKLOAD_HEADER, perWorkload(results))}
${wizardNote(m.wizard)}
## Targets

The performance goals (docs/performance.md), evaluated from the figures above. ${passed} of ${judged} checks pass.

${mdTable(['target', 'measured', 'threshold', 'result'], tRows)}
`;
}

/** The wizard's figures, when it ran, or why not. */
function wizardNote(w) {
  if (!w) return '';
  if (w.error) return `\nThe wizard (bench/wizard.mjs) was not measured: ${w.error}\n`;
  const ms = (name) => `${sec(w[name].median)} (slowest ${sec(w[name].max)})`;
  return `
## The wizard page

bench/wizard.mjs in Debian's chromium, ${w.count.toLocaleString('en-US')} workloads (${size(w.bytes)}, flow labels, half "true"),
${w.runs} rounds, medians: paste, inject and show ${ms('paste')}; then a keystroke ${ms('keystroke')}; a share link
opened to Review ${ms('link')}; then Wire it in ${ms('wire')}.
`;
}

/** bench/wizard.mjs as a child, when there is a browser to run it in. */
async function measureWizard() {
  if (!existsSync('/usr/bin/chromium')) return { error: 'no /usr/bin/chromium' };
  if (!existsSync(join(ROOT, 'dist/web/index.html'))) return { error: 'no dist/web/index.html (npm run build)' };
  const json = join(OUT, 'wizard.json');
  rmSync(json, { force: true });
  const child = spawn(process.execPath, [join(BENCH, 'wizard.mjs')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...CHILD_ENV, BENCH_JSON: json },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((done) => child.on('close', done));
  if (code !== 0 || !existsSync(json)) return { error: `exit ${code}: ${stderr.trim().split('\n')[0]}` };
  return JSON.parse(readFileSync(json, 'utf8'));
}

// ---------------------------------------------------------------------------------------------------------
// Main

const started = Date.now();
mkdirSync(OUT, { recursive: true });
const m = machine();
log(`bench: ${rel(FN)} on ${m.cpu} (${m.cores} cores), node ${m.node}${QUICK ? ', quick' : ''}`);

// Warm-up, untimed: page cache for node, the bundle and js-yaml; and a first proof that the function runs.
{
  const { file } = ensureInput(OUT, 'pair', 2);
  const warm = { id: 'pair', count: 2 };
  for (const key of ['node', 'js', 'fn']) {
    const run = await runOnce(COMMANDS[key].args, file, join(OUT, `warmup-${key}.txt`));
    if (key === 'fn') {
      const { problems } = checkFunctionRun(warm, run, join(OUT, `warmup-${key}.txt`), true);
      if (problems.length) fail(`the function fails on two Deployments: ${problems.join('; ')}`);
    } else if (run.code !== 0) fail(`${COMMANDS[key].title} fails: ${run.stderr.trim().split('\n')[0]}`);
  }
}

const results = [];
for (const c of cases) {
  const t0 = Date.now();
  const r = summarize(await measure(c));
  results.push(r);
  if (r.error) {
    errors.push(`${r.id}: ${r.error}`);
    log(`  ${r.id.padEnd(12)} ERROR ${r.error}`);
  } else {
    log(
      `  ${r.id.padEnd(12)} ${r.generated ? 'generated, ' : ''}${r.runs} rounds in ${sec(Date.now() - t0)}: ` +
        `function ${sec(r.fnMs)}, js-yaml ${sec(r.jsMs)}, node -e 0 ${sec(r.nodeMs)}`,
    );
    if (r.sidecars !== r.annotated)
      warnings.push(
        `${r.id}: ${r.sidecars} speedscale-goproxy containers in the output for ${r.annotated} annotated workloads`,
      );
  }
}
rmSync(join(OUT, `rss-${process.pid}.txt`), { force: true });
if (WIZARD) {
  const t0 = Date.now();
  m.wizard = await measureWizard();
  if (m.wizard.error) log(`  wizard       not measured: ${m.wizard.error}`);
  else log(`  wizard       ${m.wizard.runs} rounds in ${sec(Date.now() - t0)}: paste ${sec(m.wizard.paste.median)}`);
}

const list = targets(results, m.wizard?.error ? undefined : m.wizard);
m.load = `${m.load} / ${loadavg()[0].toFixed(2)}`;
const totalMs = Date.now() - started;
console.log('');
console.log(textTable(HEADER, rows(results)));
console.log('');
console.log(textTable(PER_WORKLOAD_HEADER, perWorkload(results)));
console.log('');
console.log(textTable(['target', 'measured', 'threshold', 'result'], targetRows(list)));
for (const w of warnings) console.log(`warning: ${w}`);

mkdirSync(dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, markdown(m, results, list, totalMs));
writeFileSync(
  join(OUT, QUICK ? 'results.quick.json' : 'results.json'),
  JSON.stringify({ machine: m, results, targets: list }, null, 2),
);
console.log(`\nwrote ${rel(RESULTS)} (${sec(totalMs)} in all)`);

if (errors.length) {
  for (const e of errors) process.stderr.write(`bench: function failed: ${e}\n`);
  process.exit(1);
}
