/**
 * The command line: arguments -> config -> each input through the engine -> output, report, exit code.
 * Only this module touches the process (through Io), so tests can drive it in-process too.
 */
import { readFileSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { parseArgs } from 'node:util';
import { COMMANDS, isCommand } from './commands';
import { CONFIG_FLAG_OPTIONS, settingsFromFlags } from './config-flags';
import { CHANGES, processPackage, type PackageOptions } from '../index';
import { commandHelp, MAIN_HELP } from './help';
import { loadConfig } from './load-config';
import { patchLine } from './patch';
import { FAILING, report, REPORT_FORMATS, type FileEntry, type ReportFormat } from './reports/index';
import { locatedEntries } from './reports/locate';
import { describeError, expandSources, readSource, STDIN } from './sources';
import { wizardCommand } from './wizard-server';
import { writeFileAtomic } from './write-file';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

export interface Io {
  readStdin(): Buffer;
  stdinIsTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = {
  readStdin: () => readFileSync(0),
  stdinIsTTY: isatty(0),
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
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
}

export function cli(argv: readonly string[], io: Io = processIo): number {
  // Not an editing command: its own flags, and a server instead of one pass over the inputs.
  if (argv[0] === 'wizard') return wizardCommand(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...paths] = positionals;
  if (values.version) return printed(io, `${VERSION}\n`);
  if (values.help && (command === undefined || isCommand(command)))
    return printed(io, command ? commandHelp(command) : MAIN_HELP);
  if (command === undefined)
    return usage(
      io,
      'missing command: inject, remove or uninstall (with no arguments at all, a ResourceList on stdin runs the KRM function)',
    );
  if (!isCommand(command)) return usage(io, `unknown command "${command}": expected inject, remove or uninstall`);

  const output = (values.output ?? 'manifests') as Output;
  const reportFormat = (values.report ?? 'text') as ReportFormat;
  if (!OUTPUTS.includes(output)) return usage(io, `--output: expected ${OUTPUTS.join(' or ')}, got "${values.output}"`);
  if (!REPORTS.includes(reportFormat))
    return usage(io, `--report: expected one of ${REPORTS.join(', ')}, got "${values.report}"`);
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
  };
  const conflict = CONFLICTS.find(([when]) => when(options));
  if (conflict) return usage(io, conflict[1]);

  // Settings: schema defaults < --config < flags < what the command itself decides.
  const file = loadConfig(values.config);
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
  const { sources, problems } = expandSources(options.inputs);
  const entries: FileEntry[] = problems.map(({ path, why }) => fileError(path, why));
  const inputs: { path: string; text: string }[] = [];
  for (const { path } of sources) {
    try {
      inputs.push({ path, text: readSource({ path }, () => io.readStdin()) });
    } catch (error) {
      entries.push(fileError(path, `cannot read: ${describeError(error)}`));
    }
  }
  const outputs: string[] = [];
  for (const { path, text, output, outcomes } of processPackage(inputs, core)) {
    let fileEntries: FileEntry[] = locatedEntries(outcomes, text).map((entry, index) => ({
      ...entry,
      file: path,
      index,
    }));
    if (options.inPlace && output !== text) {
      try {
        writeFileAtomic(path, output);
      } catch (error) {
        // Nothing in the file changed after all: say so for each resource, then why.
        fileEntries = fileEntries.map((e) =>
          CHANGES.has(e.status) ? { ...e, status: 'error', why: `not ${e.status}: the file could not be written` } : e,
        );
        fileEntries.push(fileError(path, `cannot write: ${describeError(error)}; the file is unchanged`));
      }
    }
    entries.push(...fileEntries);
    outputs.push(output);
  }
  const write = OUTPUT_WRITERS[options.check || options.inPlace ? 'none' : options.output];
  io.stdout(write(outputs, entries));
  io.stderr(report(entries, options.report, options.quiet, VERSION));
  // --fail-on never: every error is reported all the same, and the exit code is 0.
  return entries.some((e) => FAILING.has(e.status)) && core.config.failOn !== 'never' ? 1 : 0;
}

const OUTPUT_WRITERS: Record<Output | 'none', (outputs: string[], entries: FileEntry[]) => string> = {
  manifests: (outputs) => joinStream(outputs),
  patch: (_outputs, entries) => entries.map(patchLine).filter(Boolean).join(''),
  none: () => '',
};

/** Several inputs on stdout make one YAML stream (JSON documents are YAML documents too). */
function joinStream(texts: readonly string[]): string {
  return texts
    .filter((t) => t.trim() !== '')
    .reduce(
      (out, text) =>
        out ? `${out}${out.endsWith('\n') ? '' : '\n'}${/^---(?:\s|$)/.test(text) ? '' : '---\n'}${text}` : text,
      '',
    );
}

/** A problem with a whole file: reported like a resource, at index -1. */
const fileError = (file: string, why: string): FileEntry => ({
  file,
  index: -1,
  meta: { apiVersion: '', kind: '', name: '' },
  status: 'error',
  why,
  results: [],
});

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
    // The reader went away (`| head`): what is left has no one to read it.
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
}
