import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { asList, literalOf, renderedProperties, TemplateValue, valueAt } from './private/template';

const WORLD = new Set(['0.0.0.0/0', '::/0', '::0/0']);

/**
 * Security groups may be open to the whole internet (`0.0.0.0/0` or `::/0`) on TCP 443 only.
 * Checks rules declared inline on `AWS::EC2::SecurityGroup` and standalone
 * `AWS::EC2::SecurityGroupIngress` resources. Each offending rule is a separate finding,
 * `Ingress::<protocol>/<ports>@<cidr>`, e.g. `Ingress::tcp/80@0.0.0.0/0`, `Ingress::all@::/0`.
 */
export const SecurityGroupWorldIngressHttpsOnly: McpRule = {
  id: 'SecurityGroupWorldIngressHttpsOnly',
  info: 'The security group allows inbound traffic from anywhere on a port or protocol other than TCP 443.',
  explanation:
    'The only thing the internet should reach is the HTTPS listener in front of the MCP gateway. Any other ' +
    'port open to the world (HTTP that carries bearer tokens in clear text, SSH, a container port) bypasses ' +
    'TLS, the WAF and authentication. Allow 0.0.0.0/0 and ::/0 on TCP 443 only; reach everything else from ' +
    'security groups or prefix lists.',
  level: NagMessageLevel.ERROR,
  principles: ['isolation/network', 'zero-trust/micro-segmentation', 'defense-in-depth/network'],
  nist80053: ['AC-4', 'CM-7', 'SC-7'],
  evaluate: (node: CfnResource): NagRuleResult => {
    let rules: TemplateValue[];
    if (node.cfnResourceType === 'AWS::EC2::SecurityGroup') {
      rules = asList(renderedProperties(node).SecurityGroupIngress);
    } else if (node.cfnResourceType === 'AWS::EC2::SecurityGroupIngress') {
      rules = [renderedProperties(node)];
    } else {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = rules.flatMap(worldOpenFinding);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};

function worldOpenFinding(rule: TemplateValue): string[] {
  // A CIDR given by an intrinsic (`Fn::GetAtt Vpc.CidrBlock`) names a network, never the world.
  const cidrs = [valueAt(rule, 'CidrIp'), valueAt(rule, 'CidrIpv6')]
    .filter((cidr): cidr is string => typeof cidr === 'string' && WORLD.has(cidr));
  if (cidrs.length === 0) {
    return [];
  }
  const protocol = String(literalOf(valueAt(rule, 'IpProtocol'), 'IpProtocol')).toLowerCase();
  const from = literalOf(valueAt(rule, 'FromPort'), 'FromPort');
  const to = literalOf(valueAt(rule, 'ToPort'), 'ToPort');
  const isTcp = protocol === 'tcp' || protocol === '6';
  if (isTcp && Number(from) === 443 && Number(to) === 443) {
    return [];
  }
  const ports = protocol === '-1' ? 'all' : `${protocol}/${from === to ? from : `${from}-${to}`}`;
  return cidrs.map((cidr) => `Ingress::${ports}@${cidr}`);
}
