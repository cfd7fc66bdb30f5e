import { Token } from 'aws-cdk-lib';
import { GUARDDUTY_SEVERITY_RANGE } from '../../../lib/monitoring';
import { reservedEnvironmentProblems } from '../../shared/gateway-upstream-service';
import { McpEndpointSpec, McpIdentitySpec } from '../../shared/mcp-pattern-props';
import { McpServerSpec } from '../../shared/mcp-server-spec';

/** What the layered-defense stack checks before it creates anything, defaults applied. */
export interface LayeredDefenseSettings {
  readonly endpoint: McpEndpointSpec;
  readonly identity: McpIdentitySpec;
  readonly servers: readonly McpServerSpec[];
  readonly shieldAdvanced: boolean;
  readonly externalIssuerEnforcesMfa: boolean;
  readonly quarantineSeverityThreshold: number;
}

/** Every problem with the pattern's own props, one sentence each naming the prop, the value and what is allowed. */
export function layeredDefenseProblems(settings: LayeredDefenseSettings): string[] {
  const problems: string[] = [];
  if (settings.shieldAdvanced && !settings.endpoint.internetFacing) {
    problems.push('shieldAdvanced is true but endpoint.internetFacing is false: Shield Advanced mitigates attacks from the internet, '
      + 'which cannot reach an internal load balancer; make the endpoint internet-facing or leave shieldAdvanced false');
  }
  if (settings.identity.kind === 'oidc' && !settings.externalIssuerEnforcesMfa) {
    problems.push(`identity is the external issuer '${settings.identity.issuer}' and externalIssuerEnforcesMfa is false: the identity layer `
      + 'requires MFA, which the kit can only switch on in its own Cognito user pool; require MFA at the issuer and set '
      + 'externalIssuerEnforcesMfa to true, or use a Cognito identity');
  }
  problems.push(...reservedEnvironmentProblems(settings.servers));
  const threshold = settings.quarantineSeverityThreshold;
  const { min, max } = GUARDDUTY_SEVERITY_RANGE;
  if (!Token.isUnresolved(threshold) && !(threshold >= min && threshold <= max)) {
    problems.push(`quarantineSeverityThreshold must be a GuardDuty severity from ${min} to ${max}, got ${threshold}`);
  }
  return problems;
}
