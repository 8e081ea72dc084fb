/**
 * The subcommands as data: which settings each one forces and which changes it may make. Annotations on
 * a workload are its own decision and win over a command's default (as they win over a functionConfig);
 * only `uninstall` overrides them, as `uninstall: true` does in the KRM function.
 */
import type { Change, WrittenSettings } from '../index';

export type CommandName = 'inject' | 'remove' | 'uninstall';

export interface Command {
  /** Settings the command decides, over --config and the flags (a config's `uninstall: true` never turns inject into removal). */
  settings: (options: { annotated: boolean }) => WrittenSettings;
  /** Changes the command may write: a workload whose annotations ask for another is "kept" (RunOptions.allow). */
  allow: ReadonlySet<Change>;
  summary: string;
}

export const COMMANDS: Readonly<Record<CommandName, Command>> = {
  inject: {
    // `--annotated`: the KRM function's default, only workloads annotated inject: "true".
    settings: ({ annotated }) => ({ inject: !annotated, uninstall: false }),
    allow: new Set(['injected', 'updated', 'removed']),
    summary: 'add the sidecar to every workload given (unless annotated inject: "false")',
  },
  remove: {
    // inject: false as the default, so a workload annotated inject: "true" keeps what it asks for; but
    // `remove` never adds or rewrites a sidecar, so such a workload is kept exactly as it is.
    settings: () => ({ inject: false, uninstall: false }),
    allow: new Set(['removed']),
    summary: 'take the sidecar out of every workload given (unless annotated inject: "true")',
  },
  uninstall: {
    settings: () => ({ uninstall: true }),
    allow: new Set(['removed']),
    summary: 'take the sidecar out of every workload given, whatever its annotations say',
  },
};

export const isCommand = (name: string | undefined): name is CommandName =>
  name !== undefined && Object.hasOwn(COMMANDS, name);
