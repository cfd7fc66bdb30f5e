import { z } from 'zod';

/*
 * Field types the configuration uses in several places. Each message says what is allowed,
 * because it ends up after "expected" in the line a user reads.
 */

/**
 * Report a problem found by a check across fields, at the field it concerns (`path`, relative
 * to the refined object); `message` says what is allowed.
 */
export function problem(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** Lowercase letters, digits and '-', starting with a letter, at most `max` characters. */
export const slug = (what: string, max: number) =>
  z.string().regex(new RegExp(`^[a-z][a-z0-9-]{0,${max - 1}}$`), `${what}: lowercase letters, digits and '-', starting with a letter, at most ${max} characters`);

/** An AWS account id. */
export const account = z.string().regex(/^\d{12}$/, 'an AWS account id: exactly 12 digits');
/** An AWS region name. */
export const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'an AWS region such as us-east-1');

/** An absolute https:// URL. */
export const httpsUrl = z.url({ protocol: /^https$/, error: 'an https:// URL' });

/**
 * An https:// URL of an OpenID Connect provider's endpoint: no credentials, query or fragment,
 * which the provider would not expect and a log would keep.
 */
export const oidcEndpointUrl = httpsUrl.refine((value) => {
  const url = new URL(value);
  return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
}, 'an https:// URL without credentials, query or fragment');

/** A redirect URI: https, or loopback http for native clients (RFC 8252 section 7.3). */
export const redirectUri = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}, 'an https:// URL, or http://127.0.0.1, http://localhost or http://[::1] for native clients (RFC 8252)');

/** A VPC CIDR block the kit can split into its tiers. */
export const cidr = z.string().refine((value) => {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  return octets.every((o) => o <= 255) && prefix >= 16 && prefix <= 22;
}, 'an IPv4 CIDR block with a prefix between /16 and /22, e.g. 10.20.0.0/16');

/** The ARN of a Secrets Manager secret: a reference, resolved at deployment, never the value. */
export const secretArn = z.string()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'a Secrets Manager secret ARN');

/** Availability zones: explicit, so that synthesis needs no lookup. */
export const availabilityZones = z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'an availability zone name such as us-east-1a'))
  .min(2, 'at least 2 availability zones')
  .refine((azs) => new Set(azs).size === azs.length, 'availability zones must be distinct');

/** Where a stack is deployed. */
export const environment = z.strictObject({
  account: account.optional().describe('Target account; omit for an environment-agnostic stack'),
  region: region,
  availabilityZones: availabilityZones.optional().describe('Explicit AZs (no lookups at synth). Default: <region>a and <region>b'),
}).refine((env) => (env.availabilityZones ?? []).every((az) => az.startsWith(env.region)), {
  message: 'every availability zone must belong to the region',
  path: ['availabilityZones'],
});
