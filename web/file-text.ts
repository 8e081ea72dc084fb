/**
 * A file dropped on the page or chosen, as text: strict UTF-8, as `inject` reads a file. The browser's
 * File.text() puts U+FFFD in place of bytes that are not UTF-8 (a Latin-1 `café`), which would go into the
 * injected manifests unsaid, and drops a byte-order mark, which the output would then lack.
 */
import { NotUtf8, printableName, utf8Text } from '../fn/index';
import type { Source } from './state';

/** The file's text, or the line that says why it was not loaded (the command line's words). */
export function fileText(path: string, bytes: Uint8Array): Source | { notRead: string } {
  try {
    return { path, text: utf8Text(bytes) };
  } catch (error) {
    if (!(error instanceof NotUtf8)) throw error;
    return { notRead: `${printableName(path)}: not read: ${error.message}` };
  }
}
