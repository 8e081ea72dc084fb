/** fn/config/ip.ts must read addresses exactly as node:net does (it replaces node:net to keep start-up short). */
import * as net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIP, isIPv4, isIPv6, isV4Mapped } from '../../fn/config/ip';

const same = (text: string) => {
  expect(isIPv4(text), text).toBe(net.isIPv4(text));
  expect(isIPv6(text), text).toBe(net.isIPv6(text));
  expect(isIP(text), text).toBe(net.isIP(text));
};

describe('IP syntax as node:net reads it', () => {
  it.each([
    '0.0.0.0',
    '10.0.0.1',
    '255.255.255.255',
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3',
    '1.2.3.4.5',
    ' 1.2.3.4',
    '1.2.3.4\n',
    '::',
    '::1',
    '1::',
    'fe80::1%eth0',
    'fe80::1%',
    '::ffff:10.0.0.1',
    '2001:db8::8a2e:370:7334',
    '2001:db8:0:0:0:0:2:1',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::',
    ':::',
    '1::2::3',
    '12345::',
    'g::1',
    '::1.2.3.4',
    '1:2:3:4:5:6:1.2.3.4',
    '',
    'localhost',
    '10.0.0.0/8',
    '\u0010::',
    '::@',
    'fe80::1%eth0%1',
    'fe80::1%e/0',
    '1:2:3:4:5:6:7:1.2.3.4',
    '1:2:3:4:5::1.2.3.4',
    '1:2:3:4:5:6::1.2.3.4',
    '::1.2.3.4::',
    '1.2.3.4::',
    '::01.2.3.4',
  ])('%j', same);

  it('agrees on generated near-addresses', () => {
    const v4 = fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((p) => p.join('.'));
    const group = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 5 }),
      fc.constantFrom('', '0', 'ffff', 'FFFF', '1.2.3.4'),
    );
    const v6 = fc.array(group, { minLength: 1, maxLength: 10 }).map((g) => g.join(':'));
    const zone = fc.option(fc.constantFrom('%eth0', '%', '%1', '%a.b'), { nil: '' });
    fc.assert(
      fc.property(
        fc.oneof(
          v4,
          fc.tuple(v6, zone).map(([a, z]) => a + z),
          fc.string({ maxLength: 12 }),
          fc.string({ unit: fc.constantFrom(...':::..%0119aAfFgG/- '), maxLength: 20 }),
        ),
        (text) => same(text),
      ),
      { seed: 4143, numRuns: 20_000 },
    );
  });

  it('agrees on every character in a group, an IPv4 address and a zone', () => {
    for (let code = 0; code < 0x3000; code++) {
      const c = String.fromCharCode(code);
      for (const text of [`${c}::`, `::a${c}`, `::1.2.3.${c}`, `::1%${c}`]) {
        expect(isIPv6(text), JSON.stringify(text)).toBe(net.isIPv6(text));
      }
    }
  });
});

describe('isV4Mapped', () => {
  it.each([
    ['::ffff:10.0.0.1', true],
    ['::FFFF:a00:1', true],
    ['0:0:0:0:0:ffff:10.0.0.1', true],
    ['0::ffff:0:0', true],
    ['::ffff:0:0:1', false],
    ['::1', false],
    ['::10.0.0.1', false],
    ['64:ff9b::10.0.0.1', false],
    ['2001:db8::ffff:10.0.0.1', false],
    ['10.0.0.1', false],
    ['ffff::', false],
  ])('%s: %s', (text, mapped) => expect(isV4Mapped(text)).toBe(mapped));
});
