// Cheap checks of the function's stdout: is it a ResourceList, how many items does it hold, how many
// workloads got the sidecar. Line scans only (outputs reach tens of MB); js-yaml is used for small outputs
// as a cross-check and for shapes the line scan does not understand (JSON, flow `items: [...]`).
import yaml from 'js-yaml';

/** Items in the top-level `items:` block sequence, or null when the text is not in that shape. */
function scanItems(text) {
  let kind = null;
  let inItems = false;
  let sawItems = false;
  let indent = null;
  let count = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const c = text.charCodeAt(start);
    if (end > start && c !== 0x20 && c !== 0x23 /* # */) {
      // Column 0 and not a comment: a top-level key, a document marker, or (inside items:) a compact entry.
      const entry = c === 0x2d && (end - start === 1 || text.charCodeAt(start + 1) === 0x20); // `- ...` or `-`
      if (inItems && entry && (indent === null || indent === 0)) {
        indent = 0;
        count++;
      } else if (entry) {
        if (inItems) return null; // mixed indentation: let js-yaml decide
        // an entry of another top-level sequence (results:)
      } else {
        const line = text.slice(start, end);
        if (line === '---' || line === '...' || line.startsWith('--- ')) {
          if (sawItems) return null; // a second document
          inItems = false;
        } else {
          const key = /^([A-Za-z0-9_"']+)\s*:(.*)$/.exec(line);
          if (!key) return null;
          const name = key[1].replace(/["']/g, '');
          const rest = key[2].replace(/\s+#.*$/, '').trim();
          inItems = name === 'items';
          if (inItems) {
            if (sawItems) return null; // duplicate key
            sawItems = true;
            if (rest === '[]') inItems = false;
            else if (rest !== '') return null; // flow sequence or something else: let js-yaml decide
          }
          if (name === 'kind') kind = rest.replace(/["']/g, '');
        }
      }
    } else if (inItems && c === 0x20) {
      if (indent === null) {
        const m = /^( +)-( |$)/.exec(text.slice(start, Math.min(end, start + 200)));
        if (m) indent = m[1].length;
      }
      if (indent !== null && indent > 0) {
        // An indented block sequence: entries are `-` at exactly `indent`.
        let i = start;
        while (i < end && text.charCodeAt(i) === 0x20) i++;
        if (i - start === indent && text.charCodeAt(i) === 0x2d && (i + 1 === end || text.charCodeAt(i + 1) === 0x20))
          count++;
      }
    }
    start = end + 1;
  }
  if (!sawItems) return null;
  return { kind, items: count };
}

const SIDECAR_LINE = /^[ -]*name: ["']?speedscale-goproxy["']?[ \t]*$/gm;

/**
 * @param {string} text the function's stdout
 * @param {{ crossCheck?: boolean }} options crossCheck: also parse with js-yaml and compare
 * @returns {{ kind: string | null, items: number, sidecars: number, method: string }}
 */
export function inspectOutput(text, { crossCheck = false } = {}) {
  const sidecars = (text.match(SIDECAR_LINE) ?? []).length;
  const scanned = scanItems(text);
  if (scanned && !crossCheck) return { ...scanned, sidecars, method: 'line scan' };
  let doc;
  try {
    doc = yaml.load(text);
  } catch (err) {
    throw new Error(`output is not YAML: ${String(err.message).split('\n')[0]}`, { cause: err });
  }
  const parsed = {
    kind: doc?.kind ?? null,
    items: Array.isArray(doc?.items) ? doc.items.length : -1,
  };
  if (scanned && (scanned.items !== parsed.items || scanned.kind !== parsed.kind)) {
    throw new Error(`line scan (${scanned.items} items) and js-yaml (${parsed.items} items) disagree`);
  }
  return { ...parsed, sidecars, method: scanned ? 'line scan + js-yaml' : 'js-yaml' };
}
