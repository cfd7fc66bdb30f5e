import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { mcpFindings, testStack } from './findings';
import { AlbWafAssociated } from '../../../lib/gate';

function vpcStack() {
  const stack = testStack();
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] }) };
}

function webAcl(stack: Stack) {
  return new wafv2.CfnWebACL(stack, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'mcp', sampledRequestsEnabled: true },
  });
}

describe('AlbWafAssociated', () => {
  test('an internet-facing ALB with a web ACL association is compliant', () => {
    const { stack, vpc } = vpcStack();
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    new wafv2.CfnWebACLAssociation(stack, 'Association', { resourceArn: alb.loadBalancerArn, webAclArn: webAcl(stack).attrArn });
    expect(mcpFindings(stack, AlbWafAssociated)).toEqual([]);
  });

  test('reports an internet-facing ALB whose web ACL is associated with another load balancer', () => {
    const { stack, vpc } = vpcStack();
    const other = new elbv2.ApplicationLoadBalancer(stack, 'Other', { vpc, internetFacing: true });
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    new wafv2.CfnWebACLAssociation(stack, 'Association', { resourceArn: other.loadBalancerArn, webAclArn: webAcl(stack).attrArn });
    expect(mcpFindings(stack, AlbWafAssociated)).toEqual(['Mcp-AlbWafAssociated at Test/Alb/Resource']);
  });

  test('internal ALBs and NLBs are not checked', () => {
    const { stack, vpc } = vpcStack();
    new elbv2.ApplicationLoadBalancer(stack, 'Internal', { vpc, internetFacing: false });
    new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: true });
    expect(mcpFindings(stack, AlbWafAssociated)).toEqual([]);
  });
});
