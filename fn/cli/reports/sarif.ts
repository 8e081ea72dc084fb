/** `--report sarif`: the findings as one SARIF 2.1.0 log (code scanning, any SARIF viewer). */
import type { FileEntry } from './entries';
import { COORDINATES } from '../../index';
import { findingsOf } from './findings';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * A path as a SARIF artifact URI: relative paths stay relative (to the directory the CLI ran in). Each
 * segment is encoded whole: encodeURI leaves `#` and `?`, which end a URI's path (`a#b.yaml` would name `a`),
 * and `:`, which in a relative path's first segment reads as a scheme.
 */
function artifactUri(path: string): string {
  const encoded = path.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');
  return encoded.startsWith('/') ? `file://${encoded}` : encoded;
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
            // The project's home once released (scripts/coordinates.mjs); SARIF makes it optional.
            ...(COORDINATES.home && { informationUri: COORDINATES.home }),
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

export const sarif = (entries: readonly FileEntry[], _quiet: boolean, version: string): string =>
  `${JSON.stringify(sarifLog(entries, version), null, 2)}\n`;
