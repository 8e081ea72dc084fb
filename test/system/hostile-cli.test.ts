/**
 * The command line on hostile and unlucky input, through the built bundle as a process (issue 23, cases 2, 3
 * and 9): nesting 10,000 levels deep, 130,000 documents, a file of 200 MB, devices, FIFOs, an endless stdin,
 * NULs and other control characters in names. Each gives one line naming the file (or the field), never a
 * stack trace; the other files are still processed, reported and written; the exit code says so.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE, ROOT } from '../support/helpers';

const scratch = mkdtempSync(join(tmpdir(), 'hostile-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
`;
const DEEP = `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;

function cli(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}) {
  const rssFile = join(scratch, `rss-${Math.random().toString(36).slice(2)}`);
  const child = spawnSync(process.execPath, ['--require', join(ROOT, 'bench/rss-probe.cjs'), BUNDLE, ...args], {
    input: options.input ?? '',
    env: { ...process.env, BENCH_RSS_FILE: rssFile, ...options.env },
    timeout: 110_000,
    maxBuffer: 1 << 30,
  });
  let rssMiB = NaN;
  try {
    rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    // killed: no figure
  }
  return { stdout: child.stdout.toString(), stderr: child.stderr.toString(), status: child.status, rssMiB };
}

/** No stack trace, no bundle source: only our lines. */
function onlyOurLines(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at |RangeError|sidecar-injector\.bin:|node:internal/);
  for (const line of stderr.trimEnd().split('\n')) expect(line).not.toMatch(/^\s*\^|^\s{20,}/);
}

const dirWith = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(scratch, 'dir-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('deep and long input: one line naming the file, the other files processed', () => {
  it('a file nested 10,000 levels deep', () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'b.yaml': DEEP, 'c.yaml': deployment('c') });
    const run = cli(['inject', '-f', dir]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    // At the bracket one level beyond the limit: `a: ` and 1,000 before it.
    expect(run.stderr).toContain(
      `${join(dir, 'b.yaml')}:1:1004: document 1: error: input is nested too deeply to read`,
    );
    expect(run.stderr).toContain(`${join(dir, 'a.yaml')}: Deployment/a: injected`);
    expect(run.stderr).toContain(`${join(dir, 'c.yaml')}: Deployment/c: injected`);
    expect(run.stdout.split('name: speedscale-goproxy')).toHaveLength(3);
    expect(run.stdout).toContain(DEEP); // copied through as it came
  });

  it('a JSON file nested 10,000 levels deep', () => {
    const dir = dirWith({
      'deep.json': `{"a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}\n`,
      'c.yaml': deployment('c'),
    });
    const run = cli(['inject', '-f', dir]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/deep\.json:1:1: document 1: error: input is nested too deeply to read/);
    expect(run.stderr).toContain('Deployment/c: injected');
  });

  it('flow collections 5,000 deep, wherever a parser meets them first: refused before any parser recurses', () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const dir = dirWith({
      'deep.json': `{"a": ${deep}}\n`,
      'flow.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: ${deep}}\n`,
      'c.yaml': deployment('c'),
    });
    // serviceTargetPort reads every file before the others' pass: a deep one must not end the process there.
    for (const args of [
      ['inject', '-f', dir],
      ['inject', '--service-target-port', 'proxy', '-f', dir],
    ]) {
      const run = cli(args);
      onlyOurLines(run.stderr);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(/deep\.json:1:1: document 1: error: input is nested too deeply to read/);
      expect(run.stderr).toMatch(/flow\.yaml:4:1010: document 1: error: input is nested too deeply to read/);
      expect(run.stderr).toContain('Deployment/c: injected');
    }
  });

  it('a file of 130,000 documents', () => {
    const dir = dirWith({ 'many.yaml': '---\na: 1\n'.repeat(130_000) });
    const run = cli(['inject', '-f', join(dir, 'many.yaml')]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(0);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('sidecar-injector: 130000 resources: 130000 skipped');
  });

  it('--in-place over a.yaml, a deep b.yaml and c.yaml writes a and c, reports all three, exit 1', () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'b.yaml': DEEP, 'c.yaml': deployment('c') });
    const run = cli(['inject', '--in-place', '-f', dir]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(DEEP);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('sidecar-injector: 3 resources: 2 injected, 1 error');
  });
});

describe('too large: refused before it is read whole, with a flag to raise the cap', () => {
  it('a 200 MB file: refused by its size, in one line, without reading it', () => {
    const path = join(scratch, 'huge.yaml');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 200 * 1024 * 1024); // sparse: no disk, and no time to write it
    closeSync(fd);
    const small = dirWith({ 'c.yaml': deployment('c') });
    const run = cli(['inject', '-f', path, '-f', small]);
    rmSync(path);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${path}: error: not read: larger than 64 MiB (--max-file-size raises the limit)`);
    expect(run.stderr).toContain('Deployment/c: injected');
    expect(run.rssMiB).toBeLessThan(150); // the file was never in memory
  });

  it.each(['/dev/zero', '/dev/urandom'])('-f %s: read up to the cap, then refused', (device) => {
    const run = cli(['inject', '--max-file-size', '2M', '-f', device]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${device}: error: not read: larger than 2 MiB (--max-file-size raises the limit)`);
    expect(run.rssMiB).toBeLessThan(150);
  });

  it('an endless stdin is cut at the cap', async () => {
    const child = spawn(process.execPath, [BUNDLE, 'inject', '--max-file-size', '1M'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => undefined); // the reader stops reading: EPIPE is expected
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const feed = () => {
      while (child.stdin.writable && child.stdin.write(chunk));
      if (child.stdin.writable) child.stdin.once('drain', feed);
    };
    feed();
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(status).toBe(1);
    expect(stderr).toContain('<stdin>: error: not read: larger than 1 MiB (--max-file-size raises the limit)');
  });

  it('the run as a whole: --max-run-size', () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'b.yaml': deployment('b'), 'c.yaml': deployment('c') });
    const run = cli(['inject', '--max-run-size', '600', '-f', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Deployment/a: injected');
    expect(run.stderr).toMatch(
      /c\.yaml: error: not read: the run would read more than 600 bytes \(--max-run-size raises the limit\)/,
    );
  });

  it('a size that is not one is a usage error', () => {
    const run = cli(['inject', '--max-file-size', 'lots', '-f', '/dev/null']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--max-file-size: expected a size such as 64M, 1G or 500K, got "lots"');
  });
});

describe('FIFOs and pipes named on the command line', () => {
  it('a FIFO nothing writes to: given up with one line, the rest processed', () => {
    const dir = dirWith({ 'c.yaml': deployment('c') });
    const fifo = join(scratch, 'nobody-writes.yaml');
    spawnSync('mkfifo', [fifo]);
    const run = cli(['inject', '-f', fifo, '-f', dir]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${fifo}: error: not read: a FIFO nothing wrote to within 5 s`);
    expect(run.stderr).toContain('Deployment/c: injected');
  });

  it('a FIFO with a writer, and a process substitution, are read', () => {
    const fifo = join(scratch, 'written.yaml');
    spawnSync('mkfifo', [fifo]);
    const script =
      `(printf '%s' "$DOC" > "${fifo}" &) ; ` +
      `exec "${process.execPath}" "${BUNDLE}" inject -f "${fifo}" -f <(printf '%s' "$DOC2")`;
    const run = spawnSync('bash', ['-c', script], {
      env: { ...process.env, DOC: deployment('fifo'), DOC2: deployment('substituted') },
      timeout: 60_000,
    });
    expect(run.stderr.toString()).toContain('Deployment/fifo: injected');
    expect(run.stderr.toString()).toContain('Deployment/substituted: injected');
    expect(run.status).toBe(0);
  });
});

describe('--config FILE is read as -f reads a path: a usage error naming it, nothing written', () => {
  const input = deployment('c');
  /** The run refused the config: exit 2, this line, no output, no stack trace. */
  function refused(args: string[], line: string) {
    const run = cli(['inject', ...args, '-'], { input });
    onlyOurLines(run.stderr);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`sidecar-injector: ${line}\nRun sidecar-injector --help for usage.\n`);
    expect(run.status).toBe(2);
    return run;
  }

  it('a FIFO nothing writes to is given up after 5 s', () => {
    const fifo = join(scratch, 'config.fifo');
    spawnSync('mkfifo', [fifo]);
    refused(['--config', fifo], `--config ${fifo}: not read: a FIFO nothing wrote to within 5 s`);
  });

  it('/dev/zero is cut at the cap', () => {
    const run = refused(
      ['--max-file-size', '2M', '--config', '/dev/zero'],
      '--config /dev/zero: not read: larger than 2 MiB (--max-file-size raises the limit)',
    );
    expect(run.rssMiB).toBeLessThan(150);
  });

  it('invalid UTF-8 is refused, never written into the pod as U+FFFD', () => {
    const path = join(scratch, 'latin1-config.yaml');
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  image: "caf\xe9:1"\n';
    writeFileSync(path, Buffer.from(config, 'latin1'));
    refused(['--config', path], `--config ${path}: not valid UTF-8: byte 0xe9 at line 5, column 14`);
  });

  it('a directory', () => {
    refused(['--config', scratch], `--config ${scratch}: is a directory`);
  });

  it('-, where stdin was meant: a file of that name, and why stdin is not it', () => {
    refused(
      ['--config', '-'],
      '--config -: no such file or directory (stdin holds the manifests: give the config as a file)',
    );
  });
});

describe('control characters and names Kubernetes refuses (also in the KRM function: hostile.test.ts)', () => {
  it.each([
    ['a raw NUL in the name', 'we\u0000b', /metadata\.name contains the control character U\+0000 \(NUL\)/],
    ['the \\0 escape in the name', '"we\\0b"', /metadata\.name contains the control character U\+0000 \(NUL\)/],
    ['an ESC in the name', '"we\\eb"', /metadata\.name contains the control character U\+001B/],
    ['a name that is no DNS-1123 name', 'Web_1', /metadata\.name "Web_1" is not a valid Kubernetes name/],
  ])("%s: an error at the name's line, nothing injected", (_what, name, message) => {
    const run = cli(['inject', '-f', '-'], { input: deployment(name) });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('speedscale-goproxy');
    const line = run.stderr.split('\n')[0];
    expect(line).toMatch(/^<stdin>:4:3: Deployment\/\S+: error: /);
    expect(line).toMatch(message);
    // The report shows what the name holds, escaped: no control character reaches the terminal.
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('a control character in a setting, from an annotation or a flag', () => {
    const annotated = deployment('web').replace(
      'spec:\n  selector',
      '  annotations:\n    sidecar.speedscale.com/log-level: "info\\u0007"\nspec:\n  selector',
    );
    const fromAnnotation = cli(['inject', '-f', '-'], { input: annotated });
    expect(fromAnnotation.status).toBe(1);
    expect(fromAnnotation.stderr).toMatch(
      /^<stdin>:6:5: Deployment\/web: error: annotation sidecar\.speedscale\.com\/log-level contains the control character U\+0007/,
    );
    const fromFlag = cli(['inject', '--image', 'gcr.io/x\u0001:1', '-f', '-'], { input: deployment('web') });
    expect(fromFlag.status).toBe(1);
    expect(fromFlag.stderr).toContain('Deployment/web: error: setting image contains the control character U+0001');
    expect(fromFlag.stdout).not.toContain('speedscale-goproxy');
  });
});

describe.skipIf(!existsSync('/dev/full'))('a stdout that cannot be written (a full disk: /dev/full)', () => {
  /** The bundle with stdout on /dev/full: its stderr and exit code. */
  function toFull(args: string[], input = '') {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawnSync(process.execPath, [BUNDLE, ...args], {
        input,
        stdio: ['pipe', full, 'pipe'],
        timeout: 60_000,
      });
      return { stderr: child.stderr.toString(), status: child.status };
    } finally {
      closeSync(full);
    }
  }
  const NO_SPACE = 'sidecar-injector: cannot write stdout: ENOSPC: no space left on device, write';

  it.each([
    ['manifests', ['inject', '-f', '-']],
    ['patches', ['inject', '-o', 'patch', '-f', '-']],
    ['with --fail-on never (the output is lost all the same)', ['inject', '--fail-on', 'never', '-f', '-']],
    ['the version', ['--version']],
  ])('%s: one line saying so, exit 1, as the KRM function', (_what, args) => {
    expect(toFull(args, deployment('web'))).toEqual({ stderr: `${NO_SPACE}\n`, status: 1 });
  });

  it('the KRM function says the same', () => {
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n`;
    expect(toFull([], list)).toEqual({ stderr: `${NO_SPACE}\n`, status: 1 });
  });

  it('the wizard, whose address cannot be printed, stops and says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wizard-full-'));
    try {
      writeFileSync(join(dir, 'web.yaml'), deployment('web'));
      expect(toFull(['wizard', dir, '--no-open'])).toEqual({
        stderr: 'sidecar-injector: wizard: cannot write stdout: ENOSPC: no space left on device, write\n',
        status: 1,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
