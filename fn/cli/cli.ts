/**
 * The command line: arguments -> config -> each input through the engine -> output, report, exit code.
 * Only this module touches the process (through Io), so tests can drive it in-process too.
 */
import { fstatSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { isatty } from 'node:tty';
import { parseArgs } from 'node:util';
import { argsError } from './args-error';
import { COMMANDS, isCommand } from './commands';
import { CONFIG_FLAG_OPTIONS, settingsFromFlags } from './config-flags';
import { CHANGES, COORDINATES, processPackage, WriteError, type PackageOptions } from '../index';
import { commandHelp, MAIN_HELP } from './help';
import { loadConfig } from './load-config';
import { patchLine } from './patch';
import { FAILING, report, REPORT_FORMATS, type FileEntry, type ReportFormat } from './reports/index';
import { locatedEntries } from './reports/locate';
import { POLICY_FLAG_OPTIONS, policyFromFlags, Refused, REFUSALS, type Policy } from './file-policy';
import { Budget, readBounded, readSource, STDIN, type Source } from './read-file';
import { describeError } from './file-errors';
import { expandSources } from './sources';
import { wizardCommand } from './wizard-server';
import { removeLeftovers, replaceFile } from './write-file';

/** The commands in words: the ones in COMMANDS, and wizard, which has its own parser (wizard-server.ts). */
const COMMAND_WORDS = `${Object.keys(COMMANDS).join(', ')} or wizard`;

const VERSION = COORDINATES.version;

export interface Io {
  /** stdin, or undefined past `limit` bytes. */
  readStdin(limit: number): Buffer | undefined;
  stdinIsTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  /** What stdin and stdout are (fstat), when that can be told: an input that is stdout is refused. */
  stdinStats?(): Stats | undefined;
  stdoutStats?(): Stats | undefined;
}

const fstatOf = (fd: number): Stats | undefined => {
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
};

const processIo: Io = {
  readStdin: (limit) => readBounded(0, limit, false),
  stdinIsTTY: isatty(0),
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
  stdinStats: () => fstatOf(0),
  stdoutStats: () => fstatOf(1),
};

const OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  'in-place': { type: 'boolean', short: 'i' },
  output: { type: 'string', short: 'o' },
  check: { type: 'boolean' },
  config: { type: 'string' },
  annotated: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  ...POLICY_FLAG_OPTIONS,
  ...CONFIG_FLAG_OPTIONS,
} as const;

type Output = 'manifests' | 'patch';
const OUTPUTS: readonly Output[] = ['manifests', 'patch'];
const REPORTS: readonly string[] = REPORT_FORMATS;

/** Combinations that make no sense, as data: [when, message]. */
const CONFLICTS: readonly [(o: Options) => boolean, string][] = [
  [(o) => o.inPlace && o.check, '--in-place and --check: --check never writes'],
  [(o) => o.inPlace && o.output === 'patch', '--in-place and --output patch: patches go to stdout'],
  [(o) => o.check && o.output === 'patch', '--check and --output patch: --check prints no output'],
  [(o) => o.inPlace && o.inputs.includes(STDIN), '--in-place needs files: stdin (-) cannot be rewritten'],
  [(o) => o.inputs.filter((i) => i === STDIN).length > 1, 'stdin (-) can be read only once'],
  [(o) => o.annotated && o.command !== 'inject', '--annotated is an option of inject'],
  [(o) => o.policy.force && !o.inPlace, '--force is an option of --in-place'],
];

interface Options {
  command: string;
  inputs: string[];
  inPlace: boolean;
  check: boolean;
  annotated: boolean;
  output: Output;
  report: ReportFormat;
  quiet: boolean;
  policy: Policy;
}

export function cli(argv: readonly string[], io: Io = processIo): number {
  // Not an editing command: its own flags, and a server instead of one pass over the inputs.
  if (argv[0] === 'wizard') return wizardCommand(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(io, argsError(error));
  }
  const { values, positionals } = parsed;
  const [command, ...paths] = positionals;
  if (values.version) return printed(io, `${VERSION}\n`);
  if (values.help && (command === undefined || isCommand(command)))
    return printed(io, command ? commandHelp(command) : MAIN_HELP);
  if (command === undefined)
    return usage(
      io,
      `missing command: ${COMMAND_WORDS} (with no arguments at all, a ResourceList on stdin runs the KRM function)`,
    );
  if (!isCommand(command)) return usage(io, `unknown command "${command}": expected ${COMMAND_WORDS}`);

  const output = (values.output ?? 'manifests') as Output;
  const reportFormat = (values.report ?? 'text') as ReportFormat;
  if (!OUTPUTS.includes(output)) return usage(io, `--output: expected ${OUTPUTS.join(' or ')}, got "${values.output}"`);
  if (!REPORTS.includes(reportFormat))
    return usage(io, `--report: expected one of ${REPORTS.join(', ')}, got "${values.report}"`);
  const policy = policyFromFlags(values);
  if (typeof policy === 'string') return usage(io, policy);
  const inputs = [...(values.filename ?? []), ...paths];
  if (!inputs.length) {
    if (io.stdinIsTTY) return usage(io, 'no input: give -f FILE or DIR, or pipe manifests to stdin');
    inputs.push(STDIN);
  }
  const options: Options = {
    command,
    inputs,
    inPlace: Boolean(values['in-place']),
    check: Boolean(values.check),
    annotated: Boolean(values.annotated),
    output,
    report: reportFormat,
    quiet: Boolean(values.quiet),
    policy,
  };
  const conflict = CONFLICTS.find(([when]) => when(options));
  if (conflict) return usage(io, conflict[1]);

  // Settings: schema defaults < --config < flags < what the command itself decides.
  const file = loadConfig(values.config, policy);
  const flags = settingsFromFlags(values);
  const problems = [...file.problems, ...flags.problems];
  if (problems.length) return usage(io, problems.join('\nsidecar-injector: '));
  const spec = COMMANDS[command];
  const mode = options.check ? 'check' : 'inject';
  const core: PackageOptions = {
    config: { ...file.config, ...flags.values, ...spec.settings(options), mode },
    allow: spec.allow,
  };
  return execute(options, core, io);
}

function execute(options: Options, core: PackageOptions, io: Io): number {
  const { sources, problems, passed } = expandSources(options.inputs, options.policy);
  const entries: FileEntry[] = [
    ...problems.map(({ path, why }) => fileEntry(path, 'error', why)),
    ...passed.map(({ path, why }) => fileEntry(path, 'skipped', why)),
  ];
  // Every read by the file policy: within the caps, a walked file only if it is a regular file.
  const budget = new Budget(options.policy);
  const read: { source: Source; stats?: Stats }[] = [];
  const inputs: { path: string; text: string }[] = [];
  // `inject web.yaml > web.yaml`: the output would be the file itself, which the shell has already emptied
  // (or, with >>, which the output would be appended to). Said, as cat says it, never an empty success; with
  // --check too, which would otherwise pass the emptied file.
  const output = options.inPlace ? undefined : io.stdoutStats?.();
  const isStdout = (stats: Stats | undefined) =>
    !!output?.isFile() && !!stats?.isFile() && stats.dev === output.dev && stats.ino === output.ino;
  for (const source of sources) {
    try {
      const { text, stats } = readSource(source, budget, (limit) => io.readStdin(limit));
      if (isStdout(source.path === STDIN ? io.stdinStats?.() : stats)) {
        entries.push(fileError(source.path, REFUSALS.isStdout(options.check)));
        continue;
      }
      read.push({ source, ...(stats && { stats }) });
      inputs.push({ path: source.path, text });
    } catch (error) {
      entries.push(
        fileError(source.path, error instanceof Refused ? error.message : `cannot read: ${describeError(error)}`),
      );
    }
  }
  // What a killed run left beside the files (write-file.ts names it so), removed before this one writes.
  if (options.inPlace) for (const { source } of read) if (source.real) removeLeftovers(dirname(source.real));
  const outputs: string[] = [];
  const written = new Set<string>();
  for (const [i, { path, text, output, outcomes }] of processPackage(inputs, core).entries()) {
    let fileEntries: FileEntry[] = locatedEntries(outcomes, text).map((entry, index) => ({
      ...entry,
      file: path,
      index,
    }));
    if (options.inPlace && output !== text) {
      const why = writeInPlace(read[i], output, options.policy.force, written);
      if (why) {
        // Nothing in the file changed after all: say so for each resource, then why.
        fileEntries = fileEntries.map((e) =>
          CHANGES.has(e.status) ? { ...e, status: 'error', why: `not ${e.status}: the file could not be written` } : e,
        );
        fileEntries.push(fileError(path, `${why}; the file is unchanged`));
      }
    }
    for (const entry of fileEntries) entries.push(entry);
    outputs.push(output);
  }
  const write = OUTPUT_WRITERS[options.check || options.inPlace ? 'none' : options.output];
  for (const piece of write(outputs, entries)) io.stdout(piece);
  io.stderr(report(entries, options.report, options.quiet, VERSION));
  // --fail-on never: every error is reported all the same, and the exit code is 0.
  return entries.some((e) => FAILING.has(e.status)) && core.config.failOn !== 'never' ? 1 : 0;
}

/**
 * `--in-place` for one file read: why it was not written, or '' when it was. A file reached twice (by its
 * name and through a symlink beside it) came out the same both times, and is written once.
 */
function writeInPlace(file: { source: Source; stats?: Stats }, text: string, force: boolean, written: Set<string>) {
  const { real } = file.source;
  if (!real || !file.stats?.isFile()) return REFUSALS.notAFile();
  if (written.has(real)) return '';
  try {
    replaceFile(real, text, file.stats, force);
    written.add(real);
    return '';
  } catch (error) {
    return error instanceof Refused ? error.message : `cannot write: ${describeError(error)}`;
  }
}

const OUTPUT_WRITERS: Record<Output | 'none', (outputs: string[], entries: FileEntry[]) => string[]> = {
  manifests: (outputs) => joinStream(outputs),
  patch: (_outputs, entries) => [entries.map(patchLine).filter(Boolean).join('')],
  none: () => [],
};

/**
 * Several inputs on stdout make one YAML stream (JSON documents are YAML documents too), in pieces: written
 * one by one, the output is never one string longer than its largest file.
 */
function joinStream(texts: readonly string[]): string[] {
  const pieces: string[] = [];
  let last = '';
  for (const text of texts) {
    if (text.trim() === '') continue;
    if (last) pieces.push(`${last.endsWith('\n') ? '' : '\n'}${separator(last, text)}`);
    pieces.push(text);
    last = text;
  }
  return pieces;
}

/** A file that opens with directives (`%YAML 1.1`, `%TAG`), after any BOM, blank lines and comments. */
const DIRECTIVE_FIRST = /^\uFEFF?(?:[ \t]*(?:#.*)?\r?\n)*%/;
/** A text whose last document is closed with `...` already. */
const ENDED = /(?:^|\n)\.\.\.\s*$/;

/** The line between two files' texts: none when the next one opens its own document. */
function separator(previous: string, next: string): string {
  // A directive is read only outside a document: `---` would put it inside one, as plain text. A second `...`
  // would be an empty document.
  if (DIRECTIVE_FIRST.test(next)) return ENDED.test(previous) ? '' : '...\n';
  return /^---(?:\s|$)/.test(next) ? '' : '---\n';
}

/** A whole file refused (an error) or passed over: reported like a resource, at index -1. */
const fileEntry = (file: string, status: 'error' | 'skipped', why: string): FileEntry => ({
  file,
  index: -1,
  meta: { apiVersion: '', kind: '', name: '' },
  status,
  why,
  results: [],
});
const fileError = (file: string, why: string): FileEntry => fileEntry(file, 'error', why);

function usage(io: Io, message: string): number {
  io.stderr(`sidecar-injector: ${message}\nRun sidecar-injector --help for usage.\n`);
  return 2;
}

/** Prints `text` on stdout: the command's whole answer (help, version), exit 0. */
function printed(io: Io, text: string): number {
  io.stdout(text);
  return 0;
}

function writeAll(fd: number, text: string) {
  const bytes = Buffer.from(text);
  try {
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
  } catch (error) {
    const cause = error as NodeJS.ErrnoException;
    // The reader went away (`| head`): what is left has no one to read it.
    if (cause.code === 'EPIPE') return;
    // A full disk is the environment, not a bug: main reports it as the KRM function does.
    throw fd === 1 ? new WriteError(cause) : error;
  }
}
