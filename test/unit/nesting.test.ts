/** The depth guard read before any parser recurses (fn/yaml/nesting.ts). */
import { describe, expect, it } from 'vitest';
import { TooDeepError } from '../../fn/failure';
import { checkNesting, MAX_FLOW_DEPTH } from '../../fn/yaml/nesting';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

describe('checkNesting', () => {
  it('lets a text nest up to the limit, and refuses one level more, in maps and lists alike', () => {
    expect(() => checkNesting(`a: ${nested(MAX_FLOW_DEPTH)}`)).not.toThrow();
    expect(() => checkNesting(`a: ${nested(MAX_FLOW_DEPTH + 1)}`)).toThrow(TooDeepError);
    expect(() => checkNesting(`{"a": ${nested(MAX_FLOW_DEPTH + 1, '{"b":', '}')}}`)).toThrow(TooDeepError);
  });

  it('counts no bracket inside a quoted scalar or a comment', () => {
    const many = '['.repeat(3 * MAX_FLOW_DEPTH);
    for (const text of [
      `a: "${many}"\n`,
      `a: '${many}'\n`,
      `a: 'it''s ${many}'\n`,
      `{"a": "\\"${many}"}`,
      `a: 1 # ${many}\n`,
    ])
      expect(() => checkNesting(text), text.slice(0, 12)).not.toThrow();
    // An apostrophe inside a plain word opens no quote: the brackets after it still count.
    expect(() => checkNesting(`a: it's\nb: ${nested(MAX_FLOW_DEPTH + 1)}`)).toThrow(TooDeepError);
  });

  it('lets closed brackets go: many shallow collections are not deep', () => {
    expect(() => checkNesting(`a: [${'[1], '.repeat(5 * MAX_FLOW_DEPTH)}]`)).not.toThrow();
  });
});
