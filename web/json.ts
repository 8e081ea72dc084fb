/**
 * A JSON file is edited as the function edits it (cli/formats.ts editJson): as the block YAML of its data,
 * and written back as JSON like the file's own (kubectl's indentation, its numbers as written). The page
 * lists, annotates and reviews a JSON file's workloads, a List's items too, through that YAML.
 */
import { isJsonFile, jsonLike } from '../fn/cli/formats';
import { dataToYaml, readData, readJson } from '../fn/yaml/documents';
import { PARSE_OPTIONS } from '../fn/yaml/fast-scalars';

const BOM = '\uFEFF';

/** Whether a file is JSON, decided for the whole file as the function decides it. */
export { isJsonFile };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The block YAML of a JSON file's object, or undefined for anything else (the core reports that file). */
export function jsonAsYaml(text: string): string | undefined {
  const parsed = readJson(text.startsWith(BOM) ? text.slice(1) : text);
  return 'error' in parsed || !isObject(parsed.value) ? undefined : dataToYaml(parsed.value);
}

/**
 * `text` (a JSON file) with `edit` made to its YAML, written back as JSON (its byte-order mark kept); the
 * very text when nothing changed, or why it could not be written back.
 */
export function throughYaml(text: string, edit: (yaml: string) => string): { text: string } | { problem: string } {
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = text.slice(bom.length);
  const parsed = readJson(body);
  if ('error' in parsed || !isObject(parsed.value)) return { text };
  const yaml = dataToYaml(parsed.value);
  const edited = edit(yaml);
  if (edited === yaml) return { text };
  // Each edit was read back already (annotate.ts); a failure here would be a bug, said rather than thrown.
  const read = readData(edited, PARSE_OPTIONS);
  if ('error' in read) return { problem: `the annotated JSON does not read back (${read.error}): add it by hand` };
  return { text: bom + jsonLike(body, read.value, parsed.value) };
}
