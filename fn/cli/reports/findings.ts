/**
 * What the CI reports show (github.ts, sarif.ts): the findings (errors, warnings, drift) of the entries,
 * each with its file, line and column.
 */
import { FAILING, type FileEntry } from './entries';

export interface Finding {
  level: 'error' | 'warning';
  /** The result's reason code (`tags.reason`); `file-error`, or the status, for a failure with no result of its own. */
  rule: string;
  message: string;
  /** `Kind/name in namespace`, or the file for a problem with the whole file. */
  subject: string;
  file: string;
  line?: number;
  column?: number;
}

export function findingsOf(e: FileEntry): Finding[] {
  const { kind, name, namespace } = e.meta;
  const subject =
    e.index < 0 || !kind ? e.file : `${kind}/${name || '(no name)'}${namespace ? ` in ${namespace}` : ''}`;
  const base = { subject, file: e.file };
  const found: Finding[] = e.results.flatMap((r) =>
    r.severity === 'info'
      ? []
      : [
          {
            ...base,
            level: r.severity,
            rule: r.tags?.reason ?? r.severity,
            message: r.message,
            ...(r.line !== undefined ? { line: r.line, column: r.column } : { line: e.line, column: e.column }),
          },
        ],
  );
  // A failure without an error result of its own (a file that cannot be read, malformed YAML).
  if (FAILING.has(e.status) && !found.some((f) => f.level === 'error'))
    found.push({
      ...base,
      level: 'error',
      rule: e.index < 0 ? 'file-error' : e.status,
      message: e.why || e.status,
      line: e.line,
      column: e.column,
    });
  return found;
}
