import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../../src/inputs/read.js';

const base: Record<string, string> = {
  'change-order-id': 'co-123',
  'region-id': 'cn-hangzhou',
  'access-key-id': 'AKID',
  'access-key-secret': 'SECRET',
};
const read = (over: Record<string, string> = {}) => readInputs((n) => ({ ...base, ...over })[n] ?? '', {});

describe('verify and verify-time', () => {
  it('verifies by default, with no bake', () => {
    expect(read().settings).toMatchObject({ verify: true, verifyTimeMs: 0 });
  });

  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['0s', 0],
    ['30', 30_000],
  ])('reads verify-time %s like bake-time', (value, ms) => {
    expect(read({ 'verify-time': value }).settings.verifyTimeMs).toBe(ms);
    expect(read({ 'bake-time': value }).settings.bakeTimeMs).toBe(ms);
  });

  // Days are a duration since issue 19 (timeout: 7d); 1w is not one, and 8d is beyond the 7-day bound.
  it.each(['soon', '-5s', '1w', '8d', '200h'])('refuses verify-time %s naming the input and the form', (value) => {
    expect(() => read({ 'verify-time': value })).toThrow(
      /^Invalid input "verify-time": .* (is not a duration|out of range)/,
    );
  });

  it('accepts and refuses exactly what bake-time does, with the same range', () => {
    const outcome = (name: string, value: string) => {
      try {
        const { settings } = read({ [name]: value });
        return name === 'bake-time' ? settings.bakeTimeMs : settings.verifyTimeMs;
      } catch (e) {
        return (e as Error).message.replace(`"${name}"`, '"…"');
      }
    };
    const values = ['0', '0s', '1', '59s', '1m30s', '2h', '168h', '168h1s', '7d', '1.5m', 'PT5M', ' 5m ', '5M', ''];
    for (const v of values) expect([v, outcome('verify-time', v)]).toEqual([v, outcome('bake-time', v)]);
  });

  it('refuses verify: false with a verify-time, and accepts it with 0s', () => {
    expect(() => read({ verify: 'false', 'verify-time': '2m' })).toThrow(
      'Invalid input "verify-time": "2m" needs verify: true',
    );
    expect(read({ verify: 'false', 'verify-time': '0s' }).settings).toMatchObject({ verify: false, verifyTimeMs: 0 });
    expect(() => read({ verify: 'maybe' })).toThrow('Invalid input "verify": "maybe" is not true or false');
  });

  it('warns when the bake cannot fit in the timeout, which also covers the release', () => {
    expect(read({ timeout: '30m', 'verify-time': '30m' }).warnings).toEqual([
      'verify-time (30m) is not shorter than timeout (30m), which also covers the release: the bake after the last batch cannot finish in time, so the result would be timed-out; raise timeout',
    ]);
    expect(read({ timeout: '30m', 'verify-time': '29m' }).warnings).toEqual([]);
  });

  it('no longer warns that health checks need confirm mode when verify-time probes them', () => {
    const url = { 'health-check-url': 'https://shop.example.com/healthz' };
    expect(read(url).warnings.join()).toMatch(/only used with on-manual-batch: confirm/);
    expect(read({ ...url, 'verify-time': '1m' }).warnings).toEqual([]);
  });
});
