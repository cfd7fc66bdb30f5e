import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/** The OIDC settings, as checked. */
export interface OidcSettings {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: SecretValue;
  readonly scope: string;
}

/** The VerifiedAccessApplication settings that are checked, defaults applied. */
export interface VerifiedAccessSettings {
  readonly stack: Stack;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly loadBalancerPort: number;
  readonly securityGroup?: ec2.ISecurityGroup;
  readonly applicationDomain: string;
  readonly endpointDomainPrefix: string;
  readonly oidc: OidcSettings;
  readonly policyReferenceName: string;
  readonly policyDocument: string;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CEDAR_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CEDAR_RESERVED = ['true', 'false', 'if', 'then', 'else', 'in', 'like', 'has', 'is'];

/** Every problem with the settings, one sentence each naming the prop; empty when valid. */
export function verifiedAccessProblems(settings: VerifiedAccessSettings): string[] {
  const problems: string[] = [];
  const scheme = (settings.loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer | undefined)?.scheme;
  if (scheme === 'internet-facing') {
    problems.push(`loadBalancer: ${settings.loadBalancer.node.path} is internet-facing; Verified Access must be the only way in, ` +
      'so put it in front of an internal load balancer');
  }
  const port = settings.loadBalancerPort;
  if (!Token.isUnresolved(port) && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    problems.push(`loadBalancerPort: ${port} is not a TCP port (1-65535)`);
  }
  if (settings.securityGroup?.allowAllOutbound) {
    problems.push(`securityGroup: ${settings.securityGroup.node.path} allows all outbound traffic; create it with ` +
      'allowAllOutbound: false, so that the endpoint reaches the load balancer\'s listener only');
  }
  const domain = settings.applicationDomain;
  if (!Token.isUnresolved(domain) && (domain.length > 253 || domain.split('.').length < 2 || !domain.split('.').every((l) => LABEL.test(l)))) {
    problems.push(`applicationDomain: '${domain}' is not a lower-case host name such as 'mcp.example.com'`);
  }
  const prefix = settings.endpointDomainPrefix;
  if (!Token.isUnresolved(prefix) && !LABEL.test(prefix)) {
    problems.push(`endpointDomainPrefix: '${prefix}' is not one lower-case DNS label such as 'mcp'`);
  }
  problems.push(...oidcProblems(settings.stack, settings.oidc));
  const reference = settings.policyReferenceName;
  if (!Token.isUnresolved(reference) && (!CEDAR_IDENTIFIER.test(reference) || CEDAR_RESERVED.includes(reference))) {
    problems.push(`policyReferenceName: '${reference}' is not a Cedar identifier (letters, digits and '_', not starting with a digit, ` +
      'not a Cedar keyword); policies read the user\'s claims as context.<policyReferenceName>');
  }
  problems.push(...cedarProblems(settings.policyDocument));
  return problems;
}

function oidcProblems(stack: Stack, oidc: OidcSettings): string[] {
  const problems: string[] = [];
  const urls = {
    'oidc.issuer': oidc.issuer,
    'oidc.authorizationEndpoint': oidc.authorizationEndpoint,
    'oidc.tokenEndpoint': oidc.tokenEndpoint,
    'oidc.userInfoEndpoint': oidc.userInfoEndpoint,
  };
  for (const [prop, url] of Object.entries(urls).filter(([, u]) => !Token.isUnresolved(u))) {
    const problem = httpsUrlProblem(url);
    if (problem) problems.push(`${prop}: '${url}' ${problem}`);
  }
  if (!Token.isUnresolved(oidc.clientId) && oidc.clientId.trim() === '') {
    problems.push('oidc.clientId: must not be empty');
  }
  // The value is never printed: it may be the secret itself.
  if (!JSON.stringify(stack.resolve(oidc.clientSecret)).includes('{{resolve:secretsmanager:')) {
    problems.push('oidc.clientSecret: must be read from Secrets Manager at deployment (SecretValue.secretsManager(...) or ' +
      'secret.secretValueFromJson(...)); a literal or SSM value would be written into the template');
  }
  if (!Token.isUnresolved(oidc.scope) && !oidc.scope.split(/\s+/).includes('openid')) {
    problems.push(`oidc.scope: '${oidc.scope}' must include 'openid' (space-separated scopes, e.g. 'openid email')`);
  }
  return problems;
}

function httpsUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:') {
    return 'must use HTTPS: the OIDC exchange carries the client secret and the user\'s tokens';
  }
  if (url.hash !== '' || url.search !== '' || url.username !== '' || url.password !== '') {
    return 'must not carry credentials, a query or a fragment';
  }
  return undefined;
}

function cedarProblems(policyDocument: string): string[] {
  if (Token.isUnresolved(policyDocument)) return [];
  const parts = cedar.policySetTextToParts(policyDocument);
  if (parts.type === 'failure') {
    return parts.errors.map((error) => `policyDocument: not valid Cedar: ${error.message}`);
  }
  if (parts.policy_templates.length > 0) {
    return ['policyDocument: templates are not supported by Verified Access; write static policies'];
  }
  if (parts.policies.length === 0) {
    return ['policyDocument: has no policy, which denies everyone; write at least one permit'];
  }
  return [];
}
