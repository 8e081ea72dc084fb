/**
 * The report for CI: the findings (errors, warnings, drift) of the entries, each with its file, line and
 * column, as GitHub Actions workflow commands (`--report github`: the runner turns each line into an
 * annotation on the file) or as one SARIF 2.1.0 log (`--report sarif`: code scanning, any SARIF viewer).
 */
import { FAILING, type FileEntry } from './report';

interface Finding {
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

function findingsOf(e: FileEntry): Finding[] {
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

// --- GitHub Actions workflow commands ---------------------------------------------------------------

/** What the runner unescapes in a command's message (actions/toolkit's escapeData). */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** And in a property value, where `:` and `,` are separators too. */
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubCommands(entries: readonly FileEntry[]): string {
  return entries
    .flatMap(findingsOf)
    .map((f) => {
      const properties: [string, string | number | undefined][] = [
        ['file', f.file === '-' ? undefined : f.file],
        ['line', f.line],
        ['col', f.column],
        ['title', `sidecar-injector: ${f.subject}`],
      ];
      const props = properties
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(',');
      return `::${f.level} ${props}::${escapeData(f.message)}\n`;
    })
    .join('');
}

// --- SARIF 2.1.0 -----------------------------------------------------------------------------------

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/example-org/sidecar-injector';

/** A path as a SARIF artifact URI: relative paths stay relative (to the directory the CLI ran in). */
function artifactUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  return slashed.startsWith('/') ? `file://${encodeURI(slashed)}` : encodeURI(slashed);
}

export function sarifLog(entries: readonly FileEntry[], version: string) {
  const findings = entries.flatMap(findingsOf);
  const rules = [...new Set(findings.map((f) => f.rule))];
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sidecar-injector',
            version,
            informationUri: INFORMATION_URI,
            rules: rules.map((id) => ({ id, shortDescription: { text: id.replace(/-/g, ' ') } })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: rules.indexOf(f.rule),
          level: f.level,
          message: { text: f.message },
          locations: [
            {
              ...(f.file !== '-' && {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(f.file) },
                  ...(f.line !== undefined && {
                    region: { startLine: f.line, ...(f.column !== undefined && { startColumn: f.column }) },
                  }),
                },
              }),
              logicalLocations: [{ fullyQualifiedName: f.subject, kind: 'resource' }],
            },
          ],
        })),
      },
    ],
  };
}
