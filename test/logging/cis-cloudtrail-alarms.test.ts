import { CIS_CLOUDTRAIL_ALARMS } from '../../lib/logging';

/** True when every '(' and '{' closes in order, ignoring quoted strings. */
function balanced(pattern: string): boolean {
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{' };
  let quoted = false;
  for (const char of pattern) {
    if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && (char === '(' || char === '{')) {
      open.push(char);
    } else if (!quoted && (char === ')' || char === '}') && open.pop() !== pairs[char]) {
      return false;
    }
  }
  return open.length === 0 && !quoted;
}

describe('CIS_CLOUDTRAIL_ALARMS', () => {
  test('covers CIS AWS Foundations 4.1 to 4.14 in order, once each', () => {
    expect(CIS_CLOUDTRAIL_ALARMS.map((alarm) => alarm.cis)).toEqual(Array.from({ length: 14 }, (_, i) => `4.${i + 1}`));
  });

  test('maps onto Security Hub CloudWatch.1 to CloudWatch.14, once each', () => {
    const controls = CIS_CLOUDTRAIL_ALARMS.map((alarm) => alarm.securityHubControl).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    expect(controls).toEqual(Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`));
  });

  test('has unique identifiers usable as construct ids and metric names', () => {
    const ids = CIS_CLOUDTRAIL_ALARMS.map((alarm) => alarm.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !/^[A-Z][A-Za-z0-9]+$/.test(id))).toEqual([]);
  });

  test.each(CIS_CLOUDTRAIL_ALARMS.map((alarm) => [alarm.id, alarm.filterPattern]))('%s is a balanced JSON filter pattern', (_, pattern) => {
    expect(pattern).toMatch(/^\{ .* \}$/);
    expect(balanced(pattern)).toBe(true);
  });
});
