import { parseEnforcementConfig } from '../../../src/enforcement/config';
import { SessionRisk } from '../../../src/enforcement/risk/session-risk';

const T0 = 1_800_000_000_000;
const risk = (overrides: object = {}) => new SessionRisk(parseEnforcementConfig({ risk: overrides }).risk);

describe('SessionRisk', () => {
  test('denials, findings and rate-limit hits add their configured weights', () => {
    const r = risk();
    r.observe('alice:s1', { kind: 'denial' }, T0);
    r.observe('alice:s1', { kind: 'finding', severity: 'high' }, T0);
    r.observe('alice:s1', { kind: 'finding', severity: 'medium' }, T0);
    r.observe('alice:s1', { kind: 'finding', severity: 'low' }, T0);
    r.observe('alice:s1', { kind: 'rate-limited' }, T0);
    expect(r.score('alice:s1', T0)).toBeCloseTo(10 + 25 + 5 + 2 + 5);
    expect(r.score('bob:s1', T0)).toBe(0);
  });

  test('decays with the configured half-life', () => {
    const r = risk({ halfLifeSeconds: 60 });
    r.observe('k', { kind: 'denial' }, T0);
    expect(r.score('k', T0 + 60_000)).toBeCloseTo(5);
    expect(r.score('k', T0 + 120_000)).toBeCloseTo(2.5);
  });

  test('at the step-up threshold a token without the step-up scope must step up', () => {
    const r = risk({ stepUpThreshold: 20, endSessionThreshold: 100 });
    r.observe('k', { kind: 'denial' }, T0);
    expect(r.assess('k', [], T0)).toEqual({ score: 10, stepUp: false, endSession: false });
    r.observe('k', { kind: 'denial' }, T0);
    expect(r.assess('k', ['mcp:tools'], T0)).toEqual({ score: 20, stepUp: true, endSession: false });
    expect(r.assess('k', ['mcp:step-up'], T0).stepUp).toBe(false);
    expect(r.assess('k', [], T0 + 300_000).stepUp).toBe(false);
  });

  // proves: isolation/temporal, zero-trust/continuous-verification
  test('at the end threshold the session ends, and stays ended after the score decays', () => {
    const r = risk({ stepUpThreshold: 20, endSessionThreshold: 30 });
    for (let i = 0; i < 3; i++) r.observe('k', { kind: 'denial' }, T0);
    expect(r.assess('k', ['mcp:step-up'], T0)).toEqual({ score: 30, stepUp: false, endSession: true });
    expect(r.assess('k', [], T0 + 3_600_000).endSession).toBe(true);
    expect(r.assess('other', [], T0).endSession).toBe(false);
  });

  test('request rate alone: a steady agent stays low, a flood crosses the threshold', () => {
    const r = risk();
    for (let i = 0; i < 600; i++) r.observe('steady', { kind: 'request' }, T0 + i * 1000);
    expect(r.assess('steady', [], T0 + 600_000).stepUp).toBe(false);
    for (let i = 0; i < 6000; i++) r.observe('flood', { kind: 'request' }, T0 + i * 10);
    expect(r.score('flood', T0 + 60_000)).toBeGreaterThan(50);
    expect(r.assess('flood', [], T0 + 60_000).stepUp).toBe(true);
  });

  test('fails when the step-up threshold is not below the end threshold', () => {
    expect(() => risk({ stepUpThreshold: 100, endSessionThreshold: 50 })).toThrow(/enforcement\.risk\.stepUpThreshold: stepUpThreshold must be below endSessionThreshold/);
  });
});
