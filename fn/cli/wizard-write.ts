/**
 * A write request of the page, answered: the server writes only what it computed itself. The request names
 * the files, the hash of each as the page was served it, the hash of what the page shows as its result, and
 * the user's choices and config. Each file must still hold what was served (409 with what it holds now,
 * otherwise: a lost update refused); the server then runs the core over the files as served, with those
 * choices, exactly as the page does (fn/package/choices.ts), and writes its own result, only where it is the
 * result the page showed (422 otherwise: the page's text was edited, or came from elsewhere) and it parses.
 * The files are written all or none (write-file.ts). Only manifests the server served are ever written:
 * never a tool file (Chart.yaml, Kptfile), never a path it did not serve.
 */
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import {
  annotatePackage,
  ANNOTATION_KEYS,
  CONFIG_API_VERSION,
  CONFIG_KIND,
  documentsOf,
  isJsonFile,
  isObject,
  processPackage,
  readFunctionConfig,
  readYaml,
  utf8Text,
  type Choices,
} from '../index';
import { Refused, type Policy } from './file-policy';
import { describeError } from './file-errors';
import type { Served } from './wizard-files';
import { openDir, PartlyWritten, readNoFollow, replaceFiles, type Dir, type Replacement } from './write-file';

export interface WriteRequest {
  files: { path: string; served: string; output: string }[];
  choices: Choices;
  /** The SidecarInjector spec the page computed with (its form, typed). */
  spec: Record<string, unknown>;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const isStringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((s) => typeof s === 'string');
const HEX = /^[0-9a-f]{64}$/;

/** A request body's JSON value, or why there is none (both requests start so). */
export function jsonBody(body: string): { value: unknown } | string {
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return 'the body is not JSON';
  }
}

/** The request, or what is wrong with it. */
export function parseWriteRequest(body: string): WriteRequest | string {
  const read = jsonBody(body);
  if (typeof read === 'string') return read;
  const { value } = read;
  const shape = 'expected {"files": [{"path", "served", "output"}], "choices": {...}, "spec": {...}}';
  if (!isObject(value) || !Array.isArray(value.files) || !isObject(value.choices) || !isObject(value.spec))
    return shape;
  const files = value.files as unknown[];
  if (
    !files.every(
      (f) => isObject(f) && typeof f.path === 'string' && HEX.test(String(f.served)) && HEX.test(String(f.output)),
    )
  )
    return shape;
  const { choices, annotateOn, annotations } = value.choices;
  if (
    !isObject(choices) ||
    !Object.values(choices).every((v) => typeof v === 'boolean') ||
    (annotateOn !== 'workload' && annotateOn !== 'pod') ||
    !isObject(annotations) ||
    !Object.values(annotations).every(isStringMap)
  )
    return 'choices: expected {"choices": {id: boolean}, "annotateOn": "workload" | "pod", "annotations": {id: {key: value}}}';
  // Each key becomes an annotation written into the manifests: only a setting's, never any text sent.
  for (const [id, settings] of Object.entries(annotations as Choices['annotations'])) {
    const key = Object.keys(settings).find((k) => !ANNOTATION_KEYS.has(k));
    if (key !== undefined)
      return (
        `choices.annotations: ${JSON.stringify(id)}: ${JSON.stringify(key)} is not a per-workload setting ` +
        '(the keys are the settings marked x-annotation in schemas/sidecar-injector.v1alpha1.json)'
      );
  }
  const paths = files.map((f) => (f as { path: string }).path);
  if (new Set(paths).size !== paths.length) return 'a file is named twice';
  return {
    files: files as WriteRequest['files'],
    choices: { choices: choices as Choices['choices'], annotateOn, annotations: annotations as Choices['annotations'] },
    spec: value.spec,
  };
}

/** Answers the request, writing its files when every check passes; `served` is updated with what was written. */
export function answerWrite(request: WriteRequest, dir: string, served: Served[], policy: Policy): Answer {
  const byPath = new Map(served.map((f) => [f.path, f]));
  for (const { path } of request.files) {
    const file = byPath.get(path);
    if (!file) return refuse(403, `${path}: not one of the files served`);
    if (!file.writable) return refuse(403, `${path}: shown, never written (${file.readOnly})`);
  }
  const dirs = new Map<string, Dir>();
  try {
    // 1. Each file still holds what was served: read through the directory's handle, without following a symlink.
    const current: { file: Served; read: Replacement['read']; handle: Dir }[] = [];
    const conflicts: { path: string; now?: string; why: string }[] = [];
    for (const request_ of request.files) {
      const file = byPath.get(request_.path)!;
      const parent = dirname(file.real);
      const handle = dirs.get(parent) ?? openDir(parent, dir);
      dirs.set(parent, handle);
      const now = readCurrent(handle, basename(file.real), policy.maxFileBytes);
      if ('why' in now) conflicts.push({ path: file.path, why: now.why });
      else if (now.text !== file.text || request_.served !== sha256(file.text))
        conflicts.push({ path: file.path, now: now.text, why: 'changed on disk since the page loaded it' });
      else current.push({ file, read: now.stats, handle });
    }
    if (conflicts.length)
      return {
        status: 409,
        body: {
          error: `not written: ${conflicts.map((c) => `${c.path} ${c.why}`).join('; ')}; reload, and choose again`,
          conflicts,
        },
      };

    // 2. The server's own result, from the files as served and the choices sent, as the page computes it.
    const { config } = readFunctionConfig({ apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND, spec: request.spec });
    const annotated = annotatePackage(served, request.choices);
    const outputs = new Map(processPackage(annotated, { config }).map((f) => [f.path, f.output]));
    const writes: Replacement[] = [];
    for (const { file, read, handle } of current) {
      const output = outputs.get(file.path)!;
      const sent = request.files.find((f) => f.path === file.path)!;
      if (sha256(output) !== sent.output)
        return refuse(
          422,
          `${file.path}: not what the function gives for the file as served and the choices sent (was it edited ` +
            "in the page?); nothing was written: reload, or download the page's result instead",
        );
      const broken = parseProblem(output, file.text);
      if (broken) return refuse(422, `${file.path}: the result does not parse (${broken}); nothing was written`);
      if (output !== file.text) writes.push({ dir: handle, name: basename(file.real), text: output, read });
    }

    // 3. All or none.
    replaceFiles(writes, policy.force);
    for (const { file } of current) file.text = outputs.get(file.path)!;
    return { status: 200, body: { written: request.files.map((f) => f.path) } };
  } catch (error) {
    if (error instanceof Refused) return refuse(error.changed ? 409 : 403, error.message);
    if (error instanceof PartlyWritten) return refuse(500, `written in part: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const status = ['ENOSPC', 'EDQUOT'].includes(code) ? 507 : 500;
    return refuse(status, `not written: ${describeError(error)}; no file was changed`);
  } finally {
    for (const handle of dirs.values()) handle.close();
  }
}

const refuse = (status: number, error: string): Answer => ({ status, body: { error } });

/** The file as it is now, or why it is not a file that can be compared (a symlink now, gone, too large). */
function readCurrent(
  handle: Dir,
  name: string,
  limit: number,
): { text: string; stats: Replacement['read'] } | { why: string } {
  try {
    const { bytes, stats } = readNoFollow(handle, name, limit);
    if (!bytes) return { why: 'is larger than the file size limit now' };
    return { text: utf8Text(bytes), stats };
  } catch (error) {
    if (error instanceof Refused) return { why: error.message.replace(/^not written: /, 'is now ') };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { why: 'is a symlink now' };
    if (code === 'ENOENT') return { why: 'was removed' };
    if (error instanceof TypeError) return { why: 'is not valid UTF-8 now' };
    throw error;
  }
}

/**
 * Why a text does not parse as the manifests it is, or undefined. A document exactly as it is in `served`
 * does not count: the core copies a broken document through as it came, and `inject --in-place` writes the
 * file all the same (reporting that document); only a document the write itself made must parse.
 */
export function parseProblem(text: string, served = ''): string | undefined {
  const asServed = new Set(documentsOf(served));
  for (const doc of documentsOf(text)) {
    if (asServed.has(doc)) continue;
    if (isJsonFile(text)) {
      try {
        JSON.parse(doc.replace(/^\uFEFF/, ''));
      } catch (error) {
        return (error as Error).message;
      }
      continue;
    }
    const read = readYaml(doc);
    if ('error' in read) return read.error;
  }
  return undefined;
}
