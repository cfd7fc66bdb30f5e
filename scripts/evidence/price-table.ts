/** The dated price table the cost model reads (`docs/pricing/<region>.json`). */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';

const price = z.strictObject({
  usd: z.number().nonnegative(),
  unit: z.string().min(1),
  source: z.url({ protocol: /^https$/ }),
  verification: z.enum(['aws-page', 'secondary', 'unverified']),
  checked: z.string().min(1),
});

/** The prices the cost model uses; a table without one of them is refused. */
export const PRICE_KEYS = [
  'fargateVcpuHourX86', 'fargateGbHourX86', 'fargateVcpuHourArm', 'fargateGbHourArm',
  'natGatewayHour', 'publicIpv4Hour', 'interfaceEndpointAzHour', 'albHour', 'nlbHour',
  'wafWebAclMonth', 'wafRuleMonth', 'kmsKeyMonth', 'networkFirewallEndpointHour',
  'verifiedAccessApplicationHour', 'privateCaShortLivedMonth', 'privateCaGeneralPurposeMonth',
  'latticeServiceHour', 'logsIngestGb', 'logsStorageGbMonth', 'alarmMonth', 'secretMonth',
  'cognitoPlusMau', 'cognitoEssentialsMau', 'guardDutyRuntimeVcpuMonth', 'securityHubCheck', 'shieldAdvancedMonth',
] as const;

/** The assumptions the cost model uses. */
export const ASSUMPTION_KEYS = [
  'logIngestGbPerLogGroupMonth', 'logStoredGbPerLogGroup', 'cognitoMonthlyActiveUsers',
  'securityHubChecksPerStandardMonth', 'guardDutyFoundationMonth',
] as const;

/** The name of one price in the table. */
export type PriceKey = (typeof PRICE_KEYS)[number];
/** The name of one assumption in the table. */
export type AssumptionKey = (typeof ASSUMPTION_KEYS)[number];

const PriceTableSchema = z.strictObject({
  region: z.string(),
  currency: z.literal('USD'),
  date: z.iso.date(),
  note: z.string(),
  hoursPerMonth: z.number().positive(),
  prices: z.strictObject(Object.fromEntries(PRICE_KEYS.map((key) => [key, price])) as Record<PriceKey, typeof price>),
  assumptions: z.strictObject(Object.fromEntries(ASSUMPTION_KEYS.map((key) => [key, z.strictObject({
    value: z.number().nonnegative(),
    unit: z.string().min(1),
  })])) as Record<AssumptionKey, z.ZodObject<{ value: z.ZodNumber; unit: z.ZodString }>>),
});

/** A validated price table. */
export type PriceTable = z.output<typeof PriceTableSchema>;

/** Path of the us-east-1 table, from the repository root. */
export const PRICE_TABLE_FILE = 'docs/pricing/us-east-1.json';

/** Read and validate a price table; throws naming every problem. */
export function loadPriceTable(file: string): PriceTable {
  const result = PriceTableSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!result.success) {
    throw new Error(`${path.basename(file)}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}
