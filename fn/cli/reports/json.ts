/** `--report json`: the same entries, with their KRM results, as one JSON document. */
import type { FileEntry } from './entries';
import { countsOf } from './summary';

export const json = (entries: readonly FileEntry[]): string =>
  `${JSON.stringify({
    resources: entries.map(({ file, index, meta, status, why, results, line, column }) => ({
      file,
      index,
      ...meta,
      ...(line !== undefined && { line, column }),
      status,
      why,
      results,
    })),
    counts: countsOf(entries),
  })}\n`;
