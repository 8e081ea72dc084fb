/** The bodies `wizard DIR` takes (fn/cli/wizard-write.ts, wizard-create.ts): read as JSON first, one way for both. */
import { describe, expect, it } from 'vitest';
import { parseCreateRequest } from '../../fn/cli/wizard-create';
import { parseWriteRequest } from '../../fn/cli/wizard-write';

describe('wizard request bodies', () => {
  it.each([
    ['a write', parseWriteRequest],
    ['a create', parseCreateRequest],
  ])('%s: a body that is not JSON, or not the shape, says so', (_name, parse) => {
    for (const body of ['', '{', 'files: []', '{"files": [}']) expect(parse(body)).toBe('the body is not JSON');
    expect(parse('[]')).toMatch(/^expected \{"files": \[\{"path", /);
    expect(parse('{"files": "a.yaml"}')).toMatch(/^expected \{"files": \[\{"path", /);
  });

  it('a create names each file once', () => {
    const file = { path: 'Kptfile', text: 'x' };
    expect(parseCreateRequest(JSON.stringify({ files: [file] }))).toEqual({ files: [file] });
    expect(parseCreateRequest(JSON.stringify({ files: [file, file] }))).toBe('a file is named twice');
  });
});
