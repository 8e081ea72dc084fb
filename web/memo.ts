/**
 * What the page keeps from one compute to the next, by a document's exact text: its parse, the workloads
 * it holds, and the core's outcome for it. A tick or a keystroke changes one document; the other 999 of a
 * large package are answered from here. The core edits text and never writes to the nodes it parsed, so a
 * parse is safe to hand out twice (test/unit/wizard-pipeline.test.ts holds a memoized compute to a fresh one).
 * An outcome also depends on the package's config and Namespaces: a change of either empties that part.
 * Each compute keeps only what it used, so the memo holds one package at most.
 */
import type { Outcome } from '../fn/outcome';
import { parseResource, type Resource } from '../fn/resource';
import { jsonAsYaml } from './json';
import { workloadsIn, type WorkloadFacts } from './workloads';

interface Entry {
  read: Resource | string;
  workloads?: WorkloadFacts[];
}

export class Memo {
  private docs = new Map<string, Entry>();
  private used = new Map<string, Entry>();
  private outcomes = new Map<string, Outcome>();
  private answered = new Map<string, Outcome>();
  private outcomesKey = '';
  private options: unknown;

  /**
   * Starts a compute. `key` names what an outcome depends on besides its text (the config, the Namespaces);
   * the options made for it are kept while it stays the same, since the core's caches go by their identity.
   */
  begin<T>(key: string, make: () => T): T {
    this.used = new Map();
    this.answered = new Map();
    if (key !== this.outcomesKey || this.options === undefined) {
      this.outcomes = new Map();
      this.options = make();
    }
    this.outcomesKey = key;
    return this.options as T;
  }

  /** Ends it: what this compute did not use is let go. */
  end(): void {
    this.docs = this.used;
    this.outcomes = this.answered;
  }

  /** A stream's document, parsed (a parse error as its message). */
  read(text: string): Resource | string {
    return this.entry(text).read;
  }

  /** `json`: the text is a whole JSON file, read as the YAML the function edits it as (json.ts). */
  workloads(text: string, json = false): WorkloadFacts[] {
    const entry = json ? this.entry(JSON_KEY + text, () => readJsonFile(text)) : this.entry(text);
    if (typeof entry.read === 'string') return [];
    return (entry.workloads ??= workloadsIn(entry.read));
  }

  /** The core's answer for `text`, computed once for this key. */
  outcome(text: string, process: () => Outcome): Outcome {
    const done = this.answered.get(text) ?? this.outcomes.get(text) ?? process();
    this.answered.set(text, done);
    return done;
  }

  private entry(key: string, read = () => parseResource(key, { item: false })): Entry {
    const entry = this.used.get(key) ?? this.docs.get(key) ?? { read: read() };
    this.used.set(key, entry);
    return entry;
  }
}

/** A JSON file's entries apart from a stream document that reads the same. */
const JSON_KEY = '\u0000json\u0000';

function readJsonFile(text: string): Resource | string {
  const yaml = jsonAsYaml(text);
  return yaml === undefined ? 'not a JSON object' : parseResource(yaml, { item: false });
}
