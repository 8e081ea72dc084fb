/**
 * Written settings to resolved ones, once: every default filled in, and every list setting (`x-list` in the
 * schema) parsed into its entries, so renderers and checks never split a string again. `*` in an address
 * list means every address (`all`); the text as written stays beside the entries for the init containers.
 */
import type { EnvEntry, ListSetting } from './list-setting';
import { DEFAULTS, keysMarked, PROPERTIES, type ListKind } from './schema';
import type { Settings, WrittenSettings } from './settings.generated';

/** Comma-separated entries, trimmed, empty ones dropped. */
const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** `KEY=VALUE` lines (the schema has checked the shape); a later line wins, as a later `env` entry would. */
function envLines(text: string): EnvEntry[] {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const eq = trimmed.indexOf('=');
    if (eq > 0) vars.set(trimmed.slice(0, eq), trimmed.slice(eq + 1));
  }
  return [...vars].map(([name, value]) => ({ name, value }));
}

/** How each kind of list is read, as one table. */
const PARSERS: Record<ListKind, (text: string) => ListSetting<unknown>> = {
  addresses: (text) => {
    const entries = commaList(text);
    return { text, entries: entries.filter((e) => e !== '*'), all: entries.includes('*') };
  },
  hosts: (text) => ({ text, entries: commaList(text), all: false }),
  ports: (text) => ({ text, entries: commaList(text).map(Number), all: false }),
  env: (text) => ({ text, entries: envLines(text), all: false }),
};

const LISTS = keysMarked('x-list');

/** `written`: validated values (validate.ts), lowest layer first, later layers winning key by key. */
export function normalize(...written: WrittenSettings[]): Settings {
  const merged: Record<string, unknown> = { ...DEFAULTS };
  for (const layer of written) Object.assign(merged, layer);
  // A list's value is the string the schema validated (or its default): never anything else.
  for (const key of LISTS) merged[key] = PARSERS[PROPERTIES[key]['x-list']!]((merged[key] as string | undefined) ?? '');
  return merged as unknown as Settings;
}
