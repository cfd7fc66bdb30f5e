import * as fc from 'fast-check';
import { MAX_BODY_BYTES, MIN_BODY_BYTES } from '../../../lib/perimeter/private/mcp-web-acl-validation';
import { CANONICAL_INTEGER_PATTERN, atMostPattern } from '../../../lib/perimeter/private/numeric-pattern';

/** AWS WAF refuses regex strings longer than this. */
const WAF_REGEX_MAX_LENGTH = 512;

describe('atMostPattern', () => {
  test.each([0, 1, 9, 10, 99, 100, 101, 1024, 8192, 9999, 10000, 65535])('matches exactly 0..%i', (limit) => {
    // GIVEN
    const regex = new RegExp(atMostPattern(limit));
    // THEN every value up to well past the limit is classified correctly
    const misclassified: number[] = [];
    for (let value = 0; value <= limit * 2 + 20; value++) {
      if (regex.test(String(value)) !== value <= limit) misclassified.push(value);
    }
    expect(misclassified).toEqual([]);
  });

  test('matches exactly the values up to the limit for any limit in range', () => {
    fc.assert(fc.property(
      fc.integer({ min: MIN_BODY_BYTES, max: MAX_BODY_BYTES }),
      fc.integer({ min: 0, max: 2 * MAX_BODY_BYTES }),
      (limit, value) => new RegExp(atMostPattern(limit)).test(String(value)) === (value <= limit),
    ));
  });

  test('matches the limit itself and refuses the next value', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 15 }), (limit) => {
      const regex = new RegExp(atMostPattern(limit));
      return regex.test(String(limit)) && !regex.test(String(limit + 1));
    }));
  });

  test.each(['', ' 1', '1 ', '+1', '-1', '01', '007', '1.0', '1e3', '0x10', '1,024', '１'])('refuses the non-canonical value %j', (value) => {
    expect(new RegExp(atMostPattern(1_048_576)).test(value)).toBe(false);
  });

  test('has no groups, which AWS WAF does not support, and stays within its regex length limit', () => {
    fc.assert(fc.property(fc.integer({ min: MIN_BODY_BYTES, max: MAX_BODY_BYTES }), (limit) => {
      const pattern = atMostPattern(limit);
      return !pattern.includes('(') && pattern.length <= WAF_REGEX_MAX_LENGTH;
    }));
    expect(atMostPattern(99_999_999).length).toBeLessThanOrEqual(WAF_REGEX_MAX_LENGTH);
  });

  test('reads as one anchored branch per digit position', () => {
    expect(atMostPattern(1024)).toEqual('^0$|^[1-9][0-9]{0,2}$|^10[0-1][0-9]$|^102[0-4]$');
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 53])('fails for the limit %p', (limit) => {
    expect(() => atMostPattern(limit)).toThrow(/limit must be a non-negative safe integer/);
  });
});

describe('CANONICAL_INTEGER_PATTERN', () => {
  test.each([['0', true], ['7', true], ['1048576', true], ['', false], ['01', false], ['-1', false], ['1 ', false], ['abc', false]])(
    '%j is canonical: %p', (value, canonical) => {
      expect(new RegExp(CANONICAL_INTEGER_PATTERN).test(value as string)).toBe(canonical);
    });
});
