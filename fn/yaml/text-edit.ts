/** Byte-exact editing: changes are spliced into the source text, so every byte we did not touch survives. */

export interface Edit {
  start: number;
  end: number;
  text: string;
  /** The indentation `text` starts with, when the caller knows it (reading a long text's first line flattens it: a copy). */
  depth?: number;
  /**
   * Block lines the emitter wrote (emit.ts emitBlock: whole lines, the first at `column`, the rest deeper):
   * the shape plainInsertions proves a place for, known without reading the text, which would flatten it.
   */
  lines?: { column: number; item: boolean };
  /**
   * An insertion into a flow collection: where the collection stands and the data it must read as with the
   * edit made, so that the edit can be proven on the collection alone (block-edit.ts plainInsertions).
   */
  flow?: { start: number; end: number; meant: unknown };
}

/** Position just after the line holding `pos` (or `pos` itself when it already starts a line). */
export function afterLine(src: string, pos: number): number {
  if (pos > 0 && src[pos - 1] === '\n') return pos;
  const nl = src.indexOf('\n', pos);
  return nl === -1 ? src.length : nl + 1;
}

export function lineStart(src: string, pos: number): number {
  return src.lastIndexOf('\n', pos - 1) + 1;
}

export function columnOf(src: string, pos: number): number {
  return pos - lineStart(src, pos);
}

/**
 * Edits lines as if the text ended its last line, with the inserted lines in the text's own line ending
 * (CRLF or LF), and gives the result back without a final line break when the text had none. Offsets do
 * not move (the line break is only appended), so `edits` works on nodes parsed from `src` as it is.
 */
export function editLines(src: string, edits: (src: string) => readonly Edit[]): string {
  const first = src.indexOf('\n');
  const eol = first > 0 && src[first - 1] === '\r' ? '\r\n' : '\n';
  const ended = src === '' || src.endsWith('\n');
  const text = ended ? src : src + eol;
  const made = edits(text).map((e) => (eol === '\n' ? e : { ...e, text: e.text.replace(/\r?\n/g, eol) }));
  const out = applyEdits(text, made);
  return ended || !out.endsWith(eol) ? out : out.slice(0, -eol.length);
}

/**
 * Applies non-overlapping edits. Insertions at the same position keep the order they were given in,
 * except that deeper-indented text goes first: it continues the inner collection that ends there.
 */
export function applyEdits(src: string, edits: readonly Edit[]): string {
  // A loop that pushes, not map(): see fn/inject/pod-facts.ts `containers`.
  const ordered: { edit: Edit; order: number; depth: number }[] = [];
  for (let order = 0; order < edits.length; order++) {
    const edit = edits[order];
    ordered.push({ edit, order, depth: edit.depth ?? indentOf(edit.text) });
  }
  ordered.sort((a, b) => a.edit.start - b.edit.start || b.depth - a.depth || a.order - b.order);
  let out = '';
  let at = 0;
  for (const { edit } of ordered) {
    if (edit.start < at) throw new Error(`overlapping edits at offset ${edit.start}`);
    out += src.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + src.slice(at);
}

function indentOf(text: string): number {
  let n = 0;
  while (text.charCodeAt(n) === 32) n++;
  return n;
}
