/**
 * An exception as one line, for every front end: a bug, or an input beyond the parser's limits (its
 * recursion), never a stack trace. Each caller catches per item, document or file, so the rest still run.
 */

/** Input refused before a parser's recursion could run out of stack on it (yaml/nesting.ts). */
export class TooDeepError extends Error {}

/** The recursion of a parser (or of a walk over what it read) ran out of stack: the input is too deep. */
export const isStackOverflow = (error: unknown): boolean =>
  error instanceof TooDeepError || (error instanceof RangeError && /call stack/i.test(error.message));

/** A parser's own error that is its recursion running out (`yaml` reports it rather than throwing). */
export const isTooDeepMessage = (message: string): boolean => /call stack/i.test(message);

export const TOO_DEEP = 'input is nested too deeply to read';

/** What a caught exception says, in one line. */
export function failure(error: unknown): string {
  if (isStackOverflow(error)) return TOO_DEEP;
  if (error instanceof RangeError && /string length|array length|allocation/i.test(error.message))
    return 'input is too large to process in memory';
  const message = (error as Error | undefined)?.message ?? String(error);
  return `internal error: ${message.split('\n')[0]}`;
}

/** The reason a caught exception is reported with. */
export const failureReason = (error: unknown): 'too-deep' | 'internal-error' =>
  isStackOverflow(error) ? 'too-deep' : 'internal-error';
