/** CodeMirror 6: the manifests editor and the side-by-side diff, with the YAML language, light or dark. */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { MergeView } from '@codemirror/merge';
import { EditorState, RangeSet, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  gutter,
  GutterMarker,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { lineDiff } from './line-diff';

const dark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

/** Readable on the dark background (the default style's colours are for a light one). */
const darkHighlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.definition(tags.propertyName), tags.propertyName], color: '#9ecbff' },
  { tag: [tags.string, tags.special(tags.string)], color: '#a5e3a5' },
  { tag: [tags.number, tags.bool, tags.atom, tags.null], color: '#f8c58c' },
  { tag: tags.comment, color: '#b0b8c4' },
]);

const base = (label: string): Extension[] => [
  lineNumbers(),
  yaml(),
  syntaxHighlighting(dark ? darkHighlight : defaultHighlightStyle),
  EditorView.contentAttributes.of({ 'aria-label': label }),
  EditorView.theme({}, { dark }),
];

/** A line the function cannot read, with its message (lines from 1). */
export interface LineProblem {
  line: number;
  message: string;
}

const setProblems = StateEffect.define<readonly LineProblem[]>();

/** The marked lines: a class and the message as the line's title (what a pointer shows). */
const problemLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const e of tr.effects)
      if (e.is(setProblems)) {
        const lines = e.value.filter((p) => p.line >= 1 && p.line <= tr.state.doc.lines);
        return Decoration.set(
          lines.map((p) =>
            Decoration.line({ class: 'cm-problem-line', attributes: { title: p.message } }).range(
              tr.state.doc.line(p.line).from,
            ),
          ),
          true,
        );
      }
    return marks.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

class ProblemMarker extends GutterMarker {
  constructor(readonly message: string) {
    super();
  }
  toDOM() {
    const mark = document.createElement('span');
    mark.textContent = '!';
    mark.title = this.message;
    return mark;
  }
}

/** A gutter beside the line numbers with a mark on each problem line. */
const problemGutter = gutter({
  class: 'cm-problem-gutter',
  markers: (view) => {
    const marks = view.state.field(problemLines);
    const ranges: ReturnType<GutterMarker['range']>[] = [];
    marks.between(0, view.state.doc.length, (from, _to, deco) => {
      ranges.push(new ProblemMarker(String(deco.spec.attributes?.title ?? '')).range(from));
    });
    return RangeSet.of(ranges, true);
  },
});

/** The id of the element that lists the problems (the Manifests step's list): what the marked editor is described by. */
export const PROBLEMS_ID = 'manifest-problems';

/**
 * The content is described by the hint on leaving it (`hintId`), and while lines are marked it is invalid and
 * also described by the list of problems: one attribute, as CodeMirror keeps only one value of it.
 */
const contentAttributes = (hintId?: string) =>
  EditorView.contentAttributes.compute([problemLines], (state): Record<string, string> => {
    const marked = state.field(problemLines).size > 0;
    const describedBy = [hintId, marked ? PROBLEMS_ID : undefined].filter(Boolean).join(' ');
    return { ...(marked && { 'aria-invalid': 'true' }), ...(describedBy && { 'aria-describedby': describedBy }) };
  });

/** Marks the lines of `problems` in the editor, replacing the marks before (none clears them). */
export function markProblems(view: EditorView, problems: readonly LineProblem[]): void {
  view.dispatch({ effects: setProblems.of(problems) });
}

/**
 * The line ending the editor writes back: CodeMirror reads every kind and writes `\n` unless told, so one
 * keystroke in a CRLF file would change every line of what the user commits. A file of CRLF lines alone keeps
 * them (typed and pasted lines too); a mixed one is left to the default.
 */
export const lineEndingOf = (text: string): string | undefined =>
  text.includes('\r\n') && !/(^|[^\r])\n/.test(text) ? '\r\n' : undefined;

/** `hintId`: the element that tells how to leave the editor (Tab indents in it), read with its label. */
export function manifestEditor(
  parent: HTMLElement,
  text: string,
  label: string,
  onChange: (text: string) => void,
  hintId?: string,
): EditorView {
  const eol = lineEndingOf(text);
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        ...base(label),
        ...(eol ? [EditorState.lineSeparator.of(eol)] : []),
        // Long lines wrap: the editor never scrolls sideways nor widens a narrow page.
        EditorView.lineWrapping,
        problemLines,
        problemGutter,
        contentAttributes(hintId),
        history(),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's own escape hatch), so the keyboard is never trapped.
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.sliceDoc()); // joined by its line separator
        }),
      ],
    }),
  });
}

export function diffView(parent: HTMLElement, before: string, after: string, labels: [string, string]): MergeView {
  const side = (doc: string, label: string) => ({
    doc,
    // Read-only but focusable, so the keyboard can reach, scroll and select it (axe: scrollable-region-focusable).
    extensions: [
      ...base(label),
      EditorState.readOnly.of(true),
      EditorView.contentAttributes.of({ 'aria-readonly': 'true' }),
    ],
  });
  // By lines, then characters within changed lines (line-diff.ts): exact, and fast on an injection's kilobytes.
  const diffConfig = { override: lineDiff };
  const view = new MergeView({
    a: side(before, labels[0]),
    b: side(after, labels[1]),
    parent,
    highlightChanges: true,
    gutter: true,
    diffConfig,
  });
  // Long lines scroll sideways: the scroller itself takes focus, so the keyboard can scroll it.
  for (const side of [view.a, view.b]) side.scrollDOM.tabIndex = 0;
  return view;
}
