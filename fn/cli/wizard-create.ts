/**
 * The page's request to add the files "Wire it in" offers (the config, the tool's wiring) to DIR. Only a path
 * of that list (OFFERED_FILES, the list the page's files are held to), only as a new file: one that exists
 * already is left as it is, and answered as such when it holds the same text, refused (409, with what it holds)
 * when it does not. A YAML file must parse. The files, and the directories they need (.github/workflows),
 * are made through DIR's handle, never through a symlink out of it, all or none (write-file.ts).
 */
import { lstatSync, mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { isObject, OFFERED_FILES, utf8Text } from '../index';
import { Refused, type Policy } from './file-policy';
import { describeError } from './file-errors';
import type { Answer } from './wizard-write';
import { jsonBody, parseProblem } from './wizard-write';
import { createFiles, openDir, readNoFollow, type Creation, type Dir } from './write-file';

export interface CreateRequest {
  files: { path: string; text: string }[];
}

/** The request, or what is wrong with it. */
export function parseCreateRequest(body: string): CreateRequest | string {
  const read = jsonBody(body);
  if (typeof read === 'string') return read;
  const { value } = read;
  const shape = 'expected {"files": [{"path", "text"}]}';
  if (!isObject(value) || !Array.isArray(value.files) || !value.files.length) return shape;
  const files = value.files as unknown[];
  if (!files.every((f) => isObject(f) && typeof f.path === 'string' && typeof f.text === 'string')) return shape;
  const paths = files.map((f) => (f as { path: string }).path);
  if (new Set(paths).size !== paths.length) return 'a file is named twice';
  return { files: files as CreateRequest['files'] };
}

const refuse = (status: number, error: string): Answer => ({ status, body: { error } });
/** A script the user runs is made executable, as the page's note on it says. */
const modeOf = (path: string) => (path.endsWith('.sh') ? 0o755 : 0o644);

/** Answers the request, creating its files when every check passes. */
export function answerCreate(request: CreateRequest, dir: string, policy: Policy): Answer {
  for (const { path, text } of request.files) {
    if (!OFFERED_FILES.has(path))
      return refuse(403, `${path}: not one of the files the page offers (${[...OFFERED_FILES].join(', ')})`);
    if (Buffer.byteLength(text) > policy.maxFileBytes) return refuse(413, `${path}: larger than the file size limit`);
    const broken = /\.ya?ml$/.test(path) || path === 'Kptfile' ? parseProblem(text) : undefined;
    if (broken) return refuse(422, `${path}: does not parse (${broken}); nothing was written`);
  }
  const opened: Dir[] = [];
  const made: string[] = [];
  try {
    const root = openDir(dir, dir);
    opened.push(root);
    const creations: Creation[] = [];
    const created: string[] = [];
    const unchanged: string[] = [];
    const conflicts: { path: string; now?: string; why: string }[] = [];
    for (const { path, text } of request.files) {
      const parts = path.split('/');
      const name = parts.pop()!;
      let parent = root;
      for (const part of parts) {
        const at = join(parent.base, part);
        const entry = lstatSync(at, { throwIfNoEntry: false });
        if (!entry) {
          mkdirSync(at, 0o755);
          made.push(at);
        } else if (!entry.isDirectory()) throw new Refused(`not written: ${path}: ${part} is not a directory`);
        parent = openDir(at, dir);
        opened.push(parent);
      }
      const now = existing(parent, name, policy.maxFileBytes);
      if (now === undefined) {
        creations.push({ dir: parent, name, text, mode: modeOf(path) });
        created.push(path);
      } else if ('text' in now && now.text === text) unchanged.push(path);
      else conflicts.push({ path, why: now.why, ...('text' in now && { now: now.text }) });
    }
    if (conflicts.length) {
      removeMade(made);
      return {
        status: 409,
        body: {
          error: `not written: ${conflicts.map((c) => `${c.path} ${c.why}`).join('; ')}; the wizard adds only new files`,
          conflicts,
        },
      };
    }
    createFiles(creations);
    return { status: 200, body: { created, unchanged } };
  } catch (error) {
    removeMade(made);
    if (error instanceof Refused) return refuse(403, error.message);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST')
      return refuse(409, 'not written: a file appeared at one of the names meanwhile; no file was added');
    return refuse(
      ['ENOSPC', 'EDQUOT'].includes(code) ? 507 : 500,
      `not written: ${describeError(error)}; no file was added`,
    );
  } finally {
    for (const handle of opened) handle.close();
  }
}

/** What holds the name now: nothing (undefined), a file's text, or why it is no file to compare. */
function existing(dir: Dir, name: string, limit: number): { text: string; why: string } | { why: string } | undefined {
  try {
    const { bytes } = readNoFollow(dir, name, limit);
    if (!bytes) return { why: 'exists, larger than the file size limit' };
    return { text: utf8Text(bytes), why: 'exists with other content' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') return { why: 'exists as a symlink' };
    if (error instanceof Refused) return { why: `exists (${error.message.replace(/^not written: /, '')})` };
    if (error instanceof TypeError) return { why: 'exists, not valid UTF-8' };
    throw error;
  }
}

/** The directories made for a refused request, innermost first, where still empty. */
function removeMade(made: string[]): void {
  for (const path of made.splice(0).reverse())
    try {
      rmdirSync(path);
    } catch {
      // Not empty any more (something else wrote there): it stays.
    }
}
