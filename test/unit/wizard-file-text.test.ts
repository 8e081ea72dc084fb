/** Files dropped on the page or chosen are read as `inject` reads a file: strict UTF-8, the byte-order mark kept. */
import { describe, expect, it } from 'vitest';
import { fileText } from '../../web/file-text';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('a dropped file', () => {
  it('that is not UTF-8 is not loaded, and says why and where, never with U+FFFD in it', () => {
    expect(fileText('k8s/cm.yaml', bytes('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n'))).toEqual({
      notRead: 'k8s/cm.yaml: not read: not valid UTF-8: byte 0xe9 at line 4, column 12',
    });
  });

  it('keeps its byte-order mark, which the injected file then keeps too', () => {
    const text = '\uFEFFapiVersion: v1\nkind: ConfigMap\n';
    expect(fileText('a.yaml', new Uint8Array(Buffer.from(text, 'utf8')))).toEqual({ path: 'a.yaml', text });
  });
});
