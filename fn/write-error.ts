/**
 * stdout could not be written (a full disk, a closed pipe): the environment, not a bug. Both front ends
 * throw it and main says it in one line. Apart from krm/output.ts, which reads node:fs, so that the page,
 * which imports the core's index, never does.
 */
export class WriteError extends Error {
  constructor(readonly cause: NodeJS.ErrnoException) {
    super(cause.code === 'EPIPE' ? 'the reader closed it (EPIPE)' : cause.message);
  }
}

/** What both front ends say of it. */
export const cannotWrite = (error: Error): string => `cannot write stdout: ${error.message}`;
