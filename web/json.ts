/**
 * A JSON file is edited as the function edits it (cli/formats.ts editJson): as the block YAML of its data,
 * and written back as JSON like the file's own (kubectl's indentation, its numbers as written). The page
 * lists, annotates and reviews a JSON file's workloads, a List's items too, through that YAML.
 */
import { isJson, jsonLike } from '../fn/cli/formats';
import { dataToYaml, readData, readJson } from '../fn/yaml/documents';
import { PARSE_OPTIONS } from '../fn/yaml/fast-scalars';

export { isJson };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The block YAML of a JSON object, or undefined for anything else (the core reports that file). */
export function jsonAsYaml(text: string): string | undefined {
  const parsed = readJson(text);
  return 'error' in parsed || !isObject(parsed.value) ? undefined : dataToYaml(parsed.value);
}

/** `text` (JSON) with `edit` made to its YAML, written back as JSON; the very text when nothing changed. */
export function throughYaml(text: string, edit: (yaml: string) => string): string {
  const parsed = readJson(text);
  if ('error' in parsed || !isObject(parsed.value)) return text;
  const yaml = dataToYaml(parsed.value);
  const edited = edit(yaml);
  if (edited === yaml) return text;
  // The edit was read back already (annotate.ts): as for the function's own JSON edits, a failure here is a bug.
  const read = readData(edited, PARSE_OPTIONS);
  if ('error' in read) throw new Error(`the annotated JSON does not read back: ${read.error}`);
  return jsonLike(text, read.value, parsed.value);
}
