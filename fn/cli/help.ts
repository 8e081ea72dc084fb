/**
 * Help texts. MAIN_HELP is also the usage block of docs/cli.md (test/system/cli-help.test.ts keeps them identical);
 * a command's help lists every config flag, generated from the schema so it never falls behind.
 */
import { COORDINATES } from '../index';
import { COMMANDS, type CommandName } from './commands';
import { CONFIG_FLAGS, NOT_FLAGS } from './config-flags';

export const MAIN_HELP = `Usage: sidecar-injector <command> [options] [-f FILE|DIR|-]... [FILE|DIR]...
       sidecar-injector < resource-list.yaml       (no arguments: the KRM function)

Adds the Speedscale capture sidecar (speedscale-goproxy) to Kubernetes workloads, or takes
it out again exactly, in plain manifests: multi-document YAML, a v1 List, or JSON, from
files, directories or stdin. The output has the input's format; every byte the command
does not change, comments included, comes out as it went in.

Commands:
  inject       add the sidecar to every workload given (unless annotated inject: "false");
               --annotated: only workloads annotated inject: "true", as the KRM function
  remove       take the sidecar out of every workload given (unless annotated inject: "true")
  uninstall    take the sidecar out of every workload given, whatever its annotations say
  wizard [DIR] serve the "Add service" page on 127.0.0.1 with DIR's manifests, and write
               the changes chosen there back into them (--no-open: only print the URL)

Options:
  -f, --filename PATH   a file, a directory (*.yaml, *.yml, *.json below it, sorted; only
                        regular files inside it), or - for stdin; repeatable; default: stdin
  -i, --in-place        rewrite the changed files (temporary file, then rename) instead of
                        printing them; owner, group and mode are kept
      --force           with --in-place: also rewrite a read-only file, or a file with other
                        hard links (they keep the old content)
      --follow-symlinks below a directory, also read symlinks to files outside it (never a
                        device, a FIFO or a directory)
      --max-file-size SIZE
                        refuse a file larger than SIZE, before reading it (default: 64M;
                        a number of bytes, or with K, M or G)
      --max-run-size SIZE
                        refuse to read more than SIZE in all (default: 256M)
  -o, --output FORMAT   manifests (default: in the input's format) or patch (per changed
                        workload one JSON line {apiVersion, kind, name, namespace, file,
                        patch}: an RFC 6902 patch for kubectl patch --type json)
      --check           change nothing; exit 1 and report every workload whose injected
                        parts differ from what the command would write
      --config FILE     a SidecarInjector or ConfigMap, as the KRM function's functionConfig
      --<config-key>    every config key in kebab case, over --config: --image REF,
                        --proxy-type reverse, --privileged / --no-privileged, ...
                        (all of them: sidecar-injector inject --help)
  -q, --quiet           report only errors and drift
      --report FORMAT   the report on stderr: text (default), json, or for CI github
                        (workflow commands) or sarif (SARIF 2.1.0)
  -h, --help            this help; sidecar-injector <command> --help for a command's
      --version         print the version

Exit codes:
  0  done; with --check: nothing would change
  1  an error on a resource or a file (those are left as they were), or drift with --check;
     with --fail-on never, 0: the errors are reported all the same
  2  usage: unknown command or flag, bad option or config value; nothing was read or written
${COORDINATES.home ? `\nHome: ${COORDINATES.home}\n` : ''}`;

const DETAILS: Readonly<Record<CommandName, string>> = {
  inject: `Every workload given gets the sidecar, as if annotated sidecar.speedscale.com/inject: "true";
one annotated "false" is left out (and loses a sidecar an earlier run recorded). Annotations
on a workload still override the config (sidecar.speedscale.com/proxy-in-port and the rest).
An injected workload whose settings changed is updated in place; a second run changes nothing.

  --annotated   only workloads annotated inject: "true" get the sidecar, and it is removed
                from workloads no longer annotated: exactly what the KRM function does
`,
  remove: `Removes what an earlier injection recorded (the sidecar.speedscale.com/injection annotation),
so the workload comes back byte for byte as it was written. A workload annotated inject: "true"
is kept as it is: the annotation asks for the sidecar (the next build, or Speedscale's operator,
would put it back); use uninstall to remove it anyway.
`,
  uninstall: `Removes the sidecar from every workload given, whatever its annotations say (uninstall: true
in the KRM function's config). The annotations themselves stay.
`,
};

export function commandHelp(name: CommandName): string {
  const flags = CONFIG_FLAGS.map(({ flag, boolean, description, default: value }) => {
    const usage = boolean ? `--${flag}, --no-${flag}` : `--${flag} VALUE`;
    const fallback = value === undefined || value === '' ? '' : ` (default: ${String(value)})`;
    return `  ${usage}\n      ${description}${fallback}\n`;
  }).join('');
  const decided = Object.entries(NOT_FLAGS)
    .map(([key, by]) => `  ${key}: ${by}\n`)
    .join('');
  return `Usage: sidecar-injector ${name} [options] [-f FILE|DIR|-]... [FILE|DIR]...

${COMMANDS[name].summary}.

${DETAILS[name]}
Options: -f, -i/--in-place, -o/--output, --check, --config, -q/--quiet, --report, --force,
--follow-symlinks, --max-file-size, --max-run-size (sidecar-injector --help).

Config flags (they override --config; values are written as in a ConfigMap):
${flags}
Config keys that are not flags:
${decided}`;
}
