/** CodeMirror 6: the manifests editor and the side-by-side diff, with the YAML language, light or dark. */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { MergeView } from '@codemirror/merge';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
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

/** `hintId`: the element that tells how to leave the editor (Tab indents in it), read with its label. */
export function manifestEditor(
  parent: HTMLElement,
  text: string,
  label: string,
  onChange: (text: string) => void,
  hintId?: string,
): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        ...base(label),
        // Long lines wrap: the editor never scrolls sideways nor widens a narrow page.
        EditorView.lineWrapping,
        ...(hintId ? [EditorView.contentAttributes.of({ 'aria-describedby': hintId })] : []),
        history(),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's own escape hatch), so the keyboard is never trapped.
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
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
