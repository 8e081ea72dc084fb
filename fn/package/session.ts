/**
 * What an editor keeps from one pass over a package to the next, by a document's exact text: its parse, the
 * workloads it holds, and the core's outcome for it. A tick or a keystroke changes one document; the other
 * 999 of a large package are answered from here. The core edits text and never writes to the nodes it
 * parsed, so a parse is safe to hand out twice (test/unit/wizard-pipeline.test.ts holds a session's answers
 * to fresh ones). An outcome also depends on the options (config, Namespaces): new options empty that part.
 * `sweep()` after each pass keeps only what the pass used, so a session holds one package at most.
 */
import { failure } from '../failure';
import type { Outcome } from '../outcome';
import { parseResource, type Resource } from '../resource';
import type { ReadError } from '../yaml/documents';
import { jsonAsYaml } from './json-file';
import { workloadsIn, type WorkloadFacts } from './workloads';

interface Entry {
  read: Resource | ReadError;
  workloads?: WorkloadFacts[];
}

export class PackageSession {
  private docs = new Map<string, Entry>();
  private used = new Map<string, Entry>();
  private outcomes = new Map<string, Outcome>();
  private answered = new Map<string, Outcome>();
  private optionsKey = '';
  private made: unknown;

  /**
   * The options for `key` (what an outcome depends on besides its text), made once while the key stays the
   * same: the core's caches go by the options' identity. A new key forgets every outcome.
   */
  options<T>(key: string, make: () => T): T {
    if (key !== this.optionsKey || this.made === undefined) {
      this.outcomes = new Map();
      this.answered = new Map();
      this.made = make();
      this.optionsKey = key;
    }
    return this.made as T;
  }

  /** Ends a pass: what it did not use is let go. */
  sweep(): void {
    this.docs = this.used;
    this.used = new Map();
    this.outcomes = this.answered;
    this.answered = new Map();
  }

  /** A stream's document, parsed (or its first error). */
  read(text: string): Resource | ReadError {
    return this.entry(text).read;
  }

  /** `json`: the text is a whole JSON file, read as the YAML the function edits it as (json-file.ts). */
  workloads(text: string, json = false): WorkloadFacts[] {
    const entry = json ? this.entry(JSON_KEY + text, () => readJsonFile(text)) : this.entry(text);
    if ('error' in entry.read) return [];
    const read = entry.read;
    // A document that cannot be read that far is no workload here: the core reports it where it is processed.
    return (entry.workloads ??= readSafely(
      () => workloadsIn(read),
      () => [],
    ));
  }

  /** The core's answer for `text`, computed once for the current options. */
  outcome(text: string, process: () => Outcome): Outcome {
    const done = this.answered.get(text) ?? this.outcomes.get(text) ?? process();
    this.answered.set(text, done);
    return done;
  }

  private entry(key: string, read = () => parseResource(key, { item: false })): Entry {
    const entry = this.used.get(key) ?? this.docs.get(key) ?? { read: readSafely(read) };
    this.used.set(key, entry);
    return entry;
  }
}

/** A read that throws (a document nested beyond the parser's recursion) is that document's error. */
function readSafely<T>(read: () => T, failed: (why: string) => T = (why) => ({ error: why }) as T): T {
  try {
    return read();
  } catch (error) {
    return failed(failure(error));
  }
}

/** A JSON file's entries apart from a stream document that reads the same. */
const JSON_KEY = '\u0000json\u0000';

function readJsonFile(text: string): Resource | ReadError {
  const yaml = jsonAsYaml(text);
  return yaml === undefined ? { error: 'not a JSON object' } : parseResource(yaml, { item: false });
}
