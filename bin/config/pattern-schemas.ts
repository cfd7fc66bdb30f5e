import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { z } from 'zod';
import { cidr, environment, oidcEndpointUrl, problem, secretArn, slug } from './fields';

/*
 * The `patterns` section: one schema per pattern. Checks that need only the pattern's own
 * fields live here; those that need the servers or the identity are in config-checks.ts.
 */

const patternBase = {
  enabled: z.boolean().default(true),
  env: environment,
  cidr: cidr.optional().describe('VPC CIDR; default differs per pattern'),
  internetFacing: z.boolean().default(true).describe('Internet-facing ALB with WAF, or internal ALB'),
};

/** A Cedar policy set with at least one static policy, as Verified Access takes it. */
const cedarPolicySet = z.string().superRefine((text, ctx) => {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'failure') {
    ctx.addIssue({ code: 'custom', message: `a Cedar policy set; the parser says: ${parts.errors.map((e) => e.message).join('; ')}` });
  } else if (parts.policy_templates.length > 0 || parts.policies.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'at least one static Cedar policy (no templates): a policy set without a permit denies everyone' });
  }
});

/**
 * The OpenID Connect client Verified Access signs users in with. The client secret is a
 * reference to Secrets Manager that CloudFormation resolves at deployment: the value itself is
 * in neither the config nor the template.
 */
const verifiedAccessOidc = z.strictObject({
  issuer: oidcEndpointUrl,
  authorizationEndpoint: oidcEndpointUrl,
  tokenEndpoint: oidcEndpointUrl,
  userInfoEndpoint: oidcEndpointUrl.describe('Its claims are what the Verified Access policy reads (context.idp)'),
  clientId: z.string().regex(/^\S+$/, 'the OAuth client id registered for Verified Access (no spaces)'),
  clientSecret: z.strictObject({
    secretArn: secretArn.describe('The secret holding the client secret'),
    jsonField: z.string().regex(/^[^:]+$/, "a JSON key without ':'").optional()
      .describe('The key of the client secret when the secret is a JSON object; omit when it is the plain value'),
  }, { error: 'a reference to a Secrets Manager secret, { secretArn, jsonField }: the client secret itself never goes in the config' }),
  scope: z.string().refine((scope) => scope.split(/\s+/).includes('openid'), "space-separated scopes that include 'openid', e.g. 'openid email'")
    .default('openid'),
});

const spoke = z.strictObject({
  name: slug('a spoke name', 24),
  env: environment.describe("The spoke's account and the hub's region (VPC Lattice is regional). Default zones: the hub's"),
  cidr: cidr.optional().describe("The spoke VPC's CIDR. Default: the hub's (Lattice does not route between the VPCs, so ranges may overlap)"),
  egress: z.enum(['none', 'nat']).default('none')
    .describe("'none': no internet gateway, images from the spoke account's ECR; 'nat': servers reach the internet on 443 through NAT gateways"),
});

const remoteEndpoint = z.strictObject({
  server: slug('a server name', 24).describe('An MCP server hosted by a spoke in another account'),
  url: z.string().regex(/^https:\/\/[a-z0-9.-]+\/[\w/-]*$/, "the spoke stack's <Server>Url output: https://<VPC Lattice DNS name><MCP path>"),
  serviceArn: z.string().regex(/^arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:service\/svc-[0-9a-z]{17}$/,
    "the spoke stack's <Server>ServiceArn output: arn:aws:vpc-lattice:<region>:<account>:service/svc-<17 characters>"),
});

const federatedGateway = z.strictObject({
  ...patternBase,
  spokes: z.array(spoke).default([])
    .refine((spokes) => new Set(spokes.map((s) => s.name)).size === spokes.length, 'spoke names must be unique')
    .describe('Accounts hosting MCP servers, reached privately over VPC Lattice. Servers without `spoke` run in `default`, in the hub\'s account'),
  remoteEndpoints: z.array(remoteEndpoint).default([])
    .refine((endpoints) => new Set(endpoints.map((e) => e.server)).size === endpoints.length, 'one endpoint per server')
    .describe('Step 2 of a cross-account deployment: the outputs of the deployed spoke stacks in other accounts, one per server'),
}).superRefine((pattern, ctx) => {
  pattern.spokes.forEach((s, index) => {
    if (s.env.region !== pattern.env.region) {
      problem(ctx, ['spokes', index, 'env', 'region'], `the hub's region, ${pattern.env.region}: VPC Lattice service networks are regional`);
    }
    if (s.env.account !== undefined && pattern.env.account === undefined) {
      problem(ctx, ['env', 'account'], `the hub's account, because spoke '${s.name}' names one: spokes name the hub's gateway role by account`);
    }
  });
  pattern.remoteEndpoints.forEach((endpoint, index) => {
    const arnRegion = endpoint.serviceArn.split(':')[3];
    if (arnRegion !== pattern.env.region) {
      problem(ctx, ['remoteEndpoints', index, 'serviceArn'], `a service in the hub's region, ${pattern.env.region}: VPC Lattice service networks are regional`);
    }
  });
});

const zeroTrustNetwork = z.strictObject({
  ...patternBase,
  internetFacing: z.boolean().optional()
    .describe('Internet-facing ALB with WAF, or internal ALB. Default: true, or false with verifiedAccess, which replaces the public load balancer'),
  egress: z.enum(['none', 'firewall']).default('none').describe('No internet egress, or egress through AWS Network Firewall with a domain allow-list'),
  allowedDomains: z.array(z.string().regex(/^(\.)?([a-z0-9-]+\.)+[a-z]{2,}$/, "a domain such as 'api.example.com' or '.example.com'")).default([]),
  verifiedAccess: z.boolean().default(false)
    .describe('AWS Verified Access in front of an internal load balancer instead of a public one (about US$0.27 an hour); needs verifiedAccessOidc'),
  verifiedAccessOidc: verifiedAccessOidc.optional()
    .describe('The OpenID Connect client Verified Access signs users in with; required with verifiedAccess: true'),
  verifiedAccessPolicy: cedarPolicySet.optional()
    .describe("Cedar policy Verified Access applies to every request, reading the user's claims as context.idp. Default: any user the provider authenticated"),
}).superRefine((pattern, ctx) => {
  if (pattern.egress === 'firewall' ? pattern.allowedDomains.length === 0 : pattern.allowedDomains.length > 0) {
    problem(ctx, ['allowedDomains'], pattern.egress === 'firewall'
      ? "at least one domain with egress: 'firewall', or egress: 'none'"
      : "allowedDomains needs egress: 'firewall'");
  }
  if (pattern.verifiedAccess) {
    if (!pattern.verifiedAccessOidc) {
      problem(ctx, ['verifiedAccessOidc'], 'the OpenID Connect client Verified Access signs users in with, required with verifiedAccess: true');
    }
    if (pattern.internetFacing === true) {
      problem(ctx, ['internetFacing'], 'false, or nothing, with verifiedAccess: true: Verified Access replaces the public load balancer');
    }
  } else {
    for (const field of ['verifiedAccessOidc', 'verifiedAccessPolicy'] as const) {
      if (pattern[field] !== undefined) {
        problem(ctx, [field], `${field} only with verifiedAccess: true`);
      }
    }
  }
});

const layeredDefense = z.strictObject({
  ...patternBase,
  shieldAdvanced: z.boolean().default(false).describe('AWS Shield Advanced (US$3,000/month subscription); needs internetFacing: true'),
  externalIssuerEnforcesMfa: z.boolean().default(false)
    .describe('With identity type oidc: your statement that the issuer requires MFA, which the kit cannot switch on there (recorded in the template)'),
}).refine((pattern) => !pattern.shieldAdvanced || pattern.internetFacing, {
  path: ['shieldAdvanced'],
  message: 'shieldAdvanced only with internetFacing: true: Shield Advanced mitigates attacks from the internet',
});

const serviceMesh = z.strictObject({
  ...patternBase,
});

/** The four patterns; each is optional and may be disabled. */
export const patternsSchema = z.strictObject({
  federatedGateway: federatedGateway.optional(),
  zeroTrustNetwork: zeroTrustNetwork.optional(),
  layeredDefense: layeredDefense.optional(),
  serviceMesh: serviceMesh.optional(),
});
