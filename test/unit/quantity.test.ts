/** Resource quantities compared exactly, as the API server compares them. */
import { describe, expect, it } from 'vitest';
import {
  addAmounts,
  compareQuantities,
  exact,
  formatAmount,
  formatAmounts,
  roundUpMilli,
  ZERO,
} from '../../fn/config/quantity';
import { resolveSettings } from '../../fn/config/settings';

describe('compareQuantities', () => {
  it.each([
    ['700m', '0.7', 0],
    ['9m', '0.009', 0],
    ['4100M', '4.1G', 0],
    ['1Gi', '1024Mi', 0],
    ['1e3', '1k', 0],
    ['.5', '500m', 0],
    ['1', '1000m', 0],
    ['32Mi', '16Mi', 1],
    ['32Mi', '32M', 1],
    ['10m', '0.01', 0],
    ['10m', '11m', -1],
  ])('%s against %s: %i', (a, b, expected) => {
    expect(compareQuantities(a, b)).toBe(expected);
    expect(compareQuantities(b, a)).toBe(-expected || 0);
  });

  it('anything that is not a quantity compares as nothing', () => {
    for (const bad of [undefined, '', 'm', '1x', '1.2.3', 'abc']) expect(compareQuantities(bad, '1')).toBeUndefined();
  });

  // As floating-point numbers, 700m was more than 0.7 (0.7000000000000001): a valid config refused.
  it('a request equal to its limit in other units is not refused', () => {
    const { problems } = resolveSettings(
      { cpuRequest: '700m', cpuLimit: '0.7', memoryRequest: '4100M', memoryLimit: '4.1G' },
      [],
    );
    expect(problems).toEqual([]);
    expect(resolveSettings({ cpuRequest: '700m', cpuLimit: '0.6' }, []).problems.map((p) => p.reason)).toEqual([
      'invalid-setting',
    ]);
  });
});

describe('sums, as pod-level resources add up containers', () => {
  const sum = (...quantities: string[]) => formatAmount(quantities.map((q) => exact(q)!).reduce(addAmounts, ZERO));
  it.each([
    [['100Mi', '32Mi'], '132Mi'],
    [['1Gi', '0.5Gi'], '1536Mi'],
    [['10m', '0.09'], '100m'],
    [['1', '500m', '500m'], '2'],
    [['100M', '1k'], '100001k'],
    [['100M', '28M'], '128M'],
    [['1536Ki', '1Ki'], '1537Ki'],
    [['100M', '32Mi'], '133554432'],
    [['1m', '0.0001'], '0.0011'],
    [[], '0'],
  ])('%j: %s', (quantities, expected) => {
    expect(sum(...quantities)).toBe(expected);
  });
});

describe('rounded up to millis, as the API server stores quantities', () => {
  it.each([
    ['0.0205', '21m'],
    ['0.0001', '1m'],
    ['20m', '20m'],
    ['1Mi', '1Mi'],
    ['0.5', '500m'],
    ['-0.0015', '-1m'],
  ])('%s: %s', (quantity, expected) => {
    expect(formatAmount(roundUpMilli(exact(quantity)!))).toBe(expected);
  });
});

describe('what is not a quantity', () => {
  // Suffixes are looked up as own keys: Object.prototype's names made BigInt throw on a function.
  it.each(['1constructor', '1toString', '1__proto__', '1valueOf', '1hasOwnProperty'])('%s', (quantity) => {
    expect(exact(quantity)).toBeUndefined();
    expect(compareQuantities(quantity, '1')).toBeUndefined();
  });

  it('an exponent with a suffix is none (Kubernetes takes one or the other)', () => {
    for (const quantity of ['1e3m', '2E1Mi', '1e-3k']) expect(exact(quantity)).toBeUndefined();
    expect(compareQuantities('1e3', '1k')).toBe(0);
  });

  it('the micro and nano suffixes are quantities', () => {
    expect(compareQuantities('500u', '0.0005')).toBe(0);
    expect(compareQuantities('1000000n', '1m')).toBe(0);
  });

  it('CPU is never written in mebibytes', () => {
    expect(formatAmount(exact('1048576')!, 'cpu')).toBe('1048576');
    expect(formatAmount(exact('1048576')!, 'memory')).toBe('1Mi');
  });

  // Read side by side, 400M and 390Mi would say the larger is the smaller.
  it.each([
    [
      ['400M', '390Mi'],
      ['390625Ki', '399360Ki'],
    ],
    [
      ['138M', '132Mi'],
      ['138000000', '138412032'],
    ],
    [
      ['128Mi', '132Mi'],
      ['128Mi', '132Mi'],
    ],
    [
      ['100M', '0'],
      ['100M', '0'],
    ],
    [
      ['1', '1500m'],
      ['1', '1500m'],
    ],
  ])('%j side by side: %j', (quantities, expected) => {
    const resource = quantities[0] === '1' ? 'cpu' : 'memory';
    expect(
      formatAmounts(
        quantities.map((q) => exact(q)!),
        resource,
      ),
    ).toEqual(expected);
  });
});
