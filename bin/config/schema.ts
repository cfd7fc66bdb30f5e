import { z } from 'zod';
import { checkConfig } from './config-checks';
import { account, httpsUrl, redirectUri, region, secretArn, slug } from './fields';
import { patternsSchema } from './pattern-schemas';

/**
 * The kit's configuration, defined once. `bin/` is the only code that parses it; patterns
 * receive typed props. Insecure choices are not representable: each refusal says why.
 */

const PATTERN_NAMES = ['federatedGateway', 'zeroTrustNetwork', 'layeredDefense', 'serviceMesh'] as const;

/** CloudWatch Logs retention values of at least one year (the kit's floor). */
export const ALLOWED_RETENTION_DAYS = [365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const awsAction = z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, "an explicit IAM action such as 's3:GetObject'; wildcards ('*', 's3:*', 's3:Get*') are refused because an MCP server gets least privilege");
const awsResource = z.string()
  .refine((arn) => arn !== '*' && !/^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(arn),
    { message: "an ARN naming a resource; '*' is refused because an MCP server gets least privilege", abort: true })
  .regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/, 'an ARN such as arn:aws:s3:::my-bucket/prefix/*');

const toolGroup = z.strictObject({
  name: slug('a tool group name', 32),
  description: z.string().min(1).max(256),
});

const tool = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "a tool name: letters, digits, '_', '.', '-', at most 64 characters"),
  group: slug('a tool group name', 32).describe('The tool group whose scope is required to call this tool'),
  destructive: z.boolean().default(false).describe('Flag the tool as destructive whatever its (untrusted) annotations claim'),
  pin: z.string().regex(/^sha256:[a-f0-9]{64}$/, "a tool-definition hash 'sha256:<64 hex>' (print them with the gateway's pins command)").optional()
    .describe('Approved definition hash; the gateway quarantines a tool whose definition does not match, or that has no pin'),
});

const secretLooking = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

const mcpServer = z.strictObject({
  name: slug('a server name', 24),
  image: z.union([
    z.string().regex(/^[\w.-]+(:\d+)?(\/[\w.-]+)+(@sha256:[a-f0-9]{64}|:[\w][\w.-]{0,127})$/, 'a container image reference with an explicit tag or digest')
      .refine((ref) => !ref.endsWith(':latest'), "an image pinned to a version or digest; ':latest' is refused because it defeats supply-chain review"),
    z.strictObject({ directory: z.string().regex(/^(?!\/)(?!.*\.\.)[\w./-]+$/, 'a directory relative to the config file, without ..') }),
  ]).describe('Registry image (tag or digest) or a directory with a Dockerfile built at deploy time'),
  port: z.number().int().min(1024, 'a port >= 1024: the container runs as a non-root user').max(65535).default(8080),
  path: z.string().regex(/^\/[\w/-]*$/, "an absolute URL path such as '/mcp'").default('/mcp'),
  toolGroups: z.array(toolGroup).min(1, 'at least one tool group (each becomes an OAuth scope)'),
  tools: z.array(tool).default([]),
  awsAccess: z.array(z.strictObject({ actions: z.array(awsAction).min(1), resources: z.array(awsResource).min(1) })).default([])
    .describe('The only AWS permissions the server task role gets'),
  environment: z.record(z.string(), z.string()).default({}).refine(
    (env) => Object.keys(env).every((k) => !secretLooking.test(k)),
    'no secret-looking variable names (SECRET, PASSWORD, TOKEN, API_KEY, PRIVATE_KEY, CREDENTIAL): pass secrets with `secrets` from Secrets Manager',
  ),
  secrets: z.record(z.string(), secretArn).default({}),
  cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]).default(256),
  memoryMiB: z.number().int().min(512).max(30720).default(512),
  desiredCount: z.number().int().min(2, 'at least 2 tasks, spread over availability zones').max(100).default(2),
  maxCount: z.number().int().min(2).max(100).default(4),
  spoke: slug('a spoke name', 24).optional().describe('federatedGateway only: the spoke that hosts this server'),
  public: z.literal(false, { error: 'MCP servers are never public: clients reach them only through the security gateway' }).optional(),
}).refine((s) => s.maxCount >= s.desiredCount, { message: 'maxCount must be >= desiredCount', path: ['maxCount'] })
  .refine((s) => s.tools.every((t) => s.toolGroups.some((g) => g.name === t.group)), {
    message: 'every tool must name one of this server\'s toolGroups', path: ['tools'],
  });

const identity = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('cognito'),
    domainPrefix: slug('a Cognito domain prefix', 40),
    clients: z.array(z.strictObject({
      name: slug('a client name', 32),
      callbackUrls: z.array(redirectUri).min(1),
    })).min(1, 'at least one pre-registered MCP client (Cognito has no dynamic client registration)'),
    accessTokenMinutes: z.number().int().min(5).max(60, 'at most 60 minutes: short-lived tokens limit replay').default(15),
    refreshTokenHours: z.number().int().min(1).max(12, 'at most 12 hours').default(8),
  }),
  z.strictObject({
    type: z.literal('oidc'),
    issuer: httpsUrl,
    // Required: synthesis fetches nothing, so the issuer's discovery document is not read.
    jwksUri: z.url({ protocol: /^https$/, error: "the issuer's jwks_uri, an https:// URL: the gateway verifies access tokens with its keys" }),
  }),
]);

/** Every field of a configuration, each checked on its own and within its section. */
const configFields = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1, { error: 'the only supported config version is 1' }),
  projectName: slug('a project name', 20).default('mcp-kit'),
  endpoint: z.strictObject({
    domainName: z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, 'a fully qualified domain name'),
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, 'an ACM certificate ARN').optional()
      .describe('Existing certificate; default: a DNS-validated certificate for domainName is requested'),
  }),
  identity,
  logging: z.strictObject({
    retentionDays: z.number().refine((d) => (ALLOWED_RETENTION_DAYS as readonly number[]).includes(d),
      `one of ${ALLOWED_RETENTION_DAYS.join(', ')}: CloudWatch Logs values of at least 365 days (the kit's floor)`).default(365),
    archiveObjectLockDays: z.number().int().min(365, 'at least 365 days').max(3653).default(365),
    archiveObjectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'),
  }).prefault({}),
  gateway: z.strictObject({
    upstreamTokenSeconds: z.number().int().min(30).max(900, 'at most 900 seconds: minted upstream tokens are short-lived').default(300),
    riskStepUpScore: z.number().min(1).max(100).default(50),
    riskEndSessionScore: z.number().min(1).max(100).default(80),
    desiredCount: z.number().int().min(2, 'at least 2 gateway tasks').max(100).default(2),
    auditFailClosed: z.literal(true, { error: 'the gateway always denies calls when it cannot write the audit record (fail closed)' }).default(true),
  }).prefault({}).refine((g) => g.riskEndSessionScore > g.riskStepUpScore, {
    message: 'riskEndSessionScore must be greater than riskStepUpScore', path: ['riskEndSessionScore'],
  }),
  baselines: z.array(z.strictObject({
    account: account.optional().describe('The account of the baseline; omit for the environment-agnostic one'),
    region,
    existingGuardDutyDetectorId: z.string().regex(/^[0-9a-f]{32}$/, 'a GuardDuty detector id: 32 lowercase hexadecimal characters').optional()
      .describe('The detector already on in this account and region (e.g. managed by the organization); no detector is created'),
    enableSecurityHub: z.boolean().default(true)
      .describe('false when Security Hub is already on in this account and region (e.g. managed by the organization)'),
  })).default([]).refine(
    (entries) => new Set(entries.map((b) => `${b.account ?? ''}/${b.region}`)).size === entries.length,
    'one entry per account and region',
  ).describe('Settings of the account baseline the app creates in each account and region that has stacks'),
  mcpServers: z.array(mcpServer).min(1, 'at least one MCP server')
    .refine((servers) => new Set(servers.map((s) => s.name)).size === servers.length, 'server names must be unique'),
  patterns: patternsSchema.refine((p) => PATTERN_NAMES.some((name) => p[name]?.enabled), 'enable at least one pattern'),
});

/** A validated configuration, defaults applied. */
export type KitConfig = z.output<typeof configFields>;
/** What a user may write, before defaults. */
export type KitConfigInput = z.input<typeof configFields>;

/**
 * Schema of a user configuration file (YAML or JSON): its fields, then the checks across
 * sections (servers and spokes, identity and patterns), which run once the fields are valid.
 */
export const KitConfigSchema = configFields.superRefine(checkConfig);
/** The name of one pattern in the config. */
export type PatternName = (typeof PATTERN_NAMES)[number];
export { PATTERN_NAMES };
