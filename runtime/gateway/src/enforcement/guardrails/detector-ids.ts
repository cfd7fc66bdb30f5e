/** Prompt-injection and tool-poisoning detectors, scanned in tool descriptions and results. */
export const INJECTION_DETECTORS = [
  'instruction-override',
  'hidden-instruction-tag',
  'secrecy-directive',
  'invisible-characters',
  'encoded-instructions',
  'sensitive-path',
  'exfiltration-url',
] as const;

/** Secret detectors, scanned in results (and descriptions). */
export const SECRET_DETECTORS = [
  'aws-access-key',
  'aws-secret-key',
  'private-key',
  'jwt',
  'bearer-token',
  'github-token',
  'slack-token',
  'generic-secret',
] as const;

/** An injection detector id. */
export type InjectionDetectorId = (typeof INJECTION_DETECTORS)[number];
/** A secret detector id. */
export type SecretDetectorId = (typeof SECRET_DETECTORS)[number];
/** Any guardrail detector id. */
export type DetectorId = InjectionDetectorId | SecretDetectorId;

/** Every detector id, for config validation. */
export const DETECTOR_IDS: readonly DetectorId[] = [...INJECTION_DETECTORS, ...SECRET_DETECTORS];
