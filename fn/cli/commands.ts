/**
 * The subcommands as data: which settings each one forces and which changes it may make. Annotations on
 * a workload are its own decision and win over a command's default (as they win over a functionConfig);
 * only `uninstall` overrides them, as `uninstall: true` does in the KRM function.
 */
import type { Outcome } from '../inject/process';
import type { Settings } from '../config/settings-type';

export type CommandName = 'inject' | 'remove' | 'uninstall';
export type Change = Outcome['change'];

export interface Command {
  /** Settings the command decides, over --config and the flags (a config's `uninstall: true` never turns inject into removal). */
  settings: (options: { annotated: boolean }) => Partial<Settings>;
  /** Changes the command may write; any other change the core proposes is not made ("kept"). */
  changes: ReadonlySet<Change>;
  /** Why a workload the command would not touch was left as it is (the report's "kept" line). */
  kept: string;
  summary: string;
}

export const COMMANDS: Readonly<Record<CommandName, Command>> = {
  inject: {
    // `--annotated`: the KRM function's default, only workloads annotated inject: "true".
    settings: ({ annotated }) => ({ inject: !annotated, uninstall: false }),
    changes: new Set(['injected', 'updated', 'removed']),
    kept: '',
    summary: 'add the sidecar to every workload given (unless annotated inject: "false")',
  },
  remove: {
    // inject: false as the default, so a workload annotated inject: "true" keeps what it asks for; but
    // `remove` never adds or rewrites a sidecar, so such a workload is kept exactly as it is.
    settings: () => ({ inject: false, uninstall: false }),
    changes: new Set(['removed']),
    kept: 'annotated sidecar.speedscale.com/inject: "true" (use `uninstall` to remove it anyway)',
    summary: 'take the sidecar out of every workload given (unless annotated inject: "true")',
  },
  uninstall: {
    settings: () => ({ uninstall: true }),
    changes: new Set(['removed']),
    kept: '',
    summary: 'take the sidecar out of every workload given, whatever its annotations say',
  },
};

export const isCommand = (name: string | undefined): name is CommandName =>
  name !== undefined && Object.hasOwn(COMMANDS, name);
