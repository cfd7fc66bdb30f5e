import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { isMap, literalOf, logicalIdOf, renderedProperties, TemplateValue } from './private/template';

/**
 * Internet-facing Application Load Balancers must have an AWS WAF web ACL associated in the
 * same stack (an `AWS::WAFv2::WebACLAssociation` whose `ResourceArn` points at the load
 * balancer). Internal load balancers and NLBs (which WAF cannot protect) are not checked.
 */
export const AlbWafAssociated: McpRule = {
  id: 'AlbWafAssociated',
  info: 'The internet-facing Application Load Balancer has no AWS WAF web ACL associated in its stack.',
  explanation:
    'The load balancer is the MCP endpoint agents on the internet reach first. A web ACL rate-limits ' +
    'per client, drops known-bad inputs and oversized bodies before they reach the gateway, and logs what it ' +
    'blocked. Associate a WAFv2 web ACL (`AWS::WAFv2::WebACLAssociation`) in the same stack.',
  level: NagMessageLevel.ERROR,
  principles: ['defense-in-depth/network', 'defense-in-depth/application'],
  nist80053: ['SC-5', 'SC-7', 'SI-10'],
  evaluate: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const properties = renderedProperties(node);
    // CloudFormation defaults: Type application, Scheme internet-facing.
    const type = literalOf(properties.Type, 'Type') ?? 'application';
    const scheme = literalOf(properties.Scheme, 'Scheme') ?? 'internet-facing';
    if (type !== 'application' || scheme !== 'internet-facing') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const loadBalancerId = logicalIdOf(node);
    const associated = Stack.of(node).node.findAll()
      .filter((construct): construct is CfnResource => CfnResource.isCfnResource(construct))
      .filter((resource) => resource.cfnResourceType === 'AWS::WAFv2::WebACLAssociation')
      .some((association) => pointsAt(renderedProperties(association).ResourceArn, loadBalancerId));
    return associated ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

/** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, 'LoadBalancerArn'] }`: the ARN of the load balancer `id`. */
function pointsAt(resourceArn: TemplateValue, logicalId: string): boolean {
  if (!isMap(resourceArn)) {
    return false;
  }
  const getAtt = resourceArn['Fn::GetAtt'];
  return resourceArn.Ref === logicalId
    || (Array.isArray(getAtt) && getAtt[0] === logicalId && getAtt[1] === 'LoadBalancerArn');
}
