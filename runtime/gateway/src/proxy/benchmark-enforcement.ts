import { Enforcement, PinResult, ToolDefinition } from '../enforcement/types';

/**
 * Allows everything and records nothing. Used only in `mode: benchmark` (which the posture check
 * announces loudly on every start) to measure what the security layers cost.
 */
export const benchmarkEnforcement: Enforcement = {
  authorize: async () => ({ allow: true, reasons: ['benchmark mode'], policyIds: [] }),
  filterList: async (_ctx, _upstream, _kind, items) => items,
  pinTools: <T extends ToolDefinition>(_upstream: string, tools: T[]): PinResult<T> => ({ tools, pins: [], findings: [], approvalSnippet: {} }),
  inspectResult: async (_ctx, _target, result) => ({ result, findings: [], blocked: false }),
  record: async () => undefined,
  close: async () => undefined,
};
