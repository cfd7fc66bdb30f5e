import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { literalOf, renderedProperties } from './private/template';

/**
 * Predefined ELB security policies whose minimum protocol is TLS 1.2 or 1.3. The names encode
 * the minimum: `TLS13-1-2` means "TLS 1.3 capable, 1.2 minimum"; `TLS13-1-0`, `TLS-1-1`,
 * `2016-08` and `FS-1-1` allow older protocols.
 */
const TLS12_MINIMUM_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

/**
 * Load balancer listeners must terminate TLS (HTTPS or TLS) with a security policy that
 * refuses protocols older than TLS 1.2. Plain TCP/UDP listeners (TLS passthrough) are not
 * checked.
 */
export const AlbListenerTls: McpRule = {
  id: 'AlbListenerTls',
  info: 'The listener accepts plain HTTP, or its SSL policy is unset or allows TLS older than 1.2.',
  explanation:
    'MCP clients send bearer tokens on every request; over plain HTTP, even a listener that only redirects ' +
    'to HTTPS sees the token in clear text on the first request. Serve HTTPS only, with an explicit ' +
    '`ELBSecurityPolicy-TLS13-1-2-*` policy (or stricter): an unset policy leaves the protocol floor to a ' +
    'service default.',
  level: NagMessageLevel.ERROR,
  principles: ['secure-by-default/encryption', 'defense-in-depth/network'],
  nist80053: ['SC-8', 'SC-8(1)', 'SC-13', 'SC-23'],
  evaluate: (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::Listener') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const properties = renderedProperties(node);
    const protocol = literalOf(properties.Protocol, 'Protocol');
    if (protocol === 'HTTP') {
      return ['Protocol::HTTP'];
    }
    if (protocol !== 'HTTPS' && protocol !== 'TLS') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const sslPolicy = literalOf(properties.SslPolicy, 'SslPolicy');
    if (typeof sslPolicy !== 'string' || !TLS12_MINIMUM_POLICY.test(sslPolicy)) {
      return [`SslPolicy::${sslPolicy ?? 'unset'}`];
    }
    return NagRuleCompliance.COMPLIANT;
  },
};
