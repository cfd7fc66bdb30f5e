import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { mcpFindings, testStack } from './findings';
import { AlbListenerTls } from '../../../lib/gate';

const CERTIFICATE = elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:111111111111:certificate/mcp');

function loadBalancer() {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  return { stack, vpc, alb };
}

const notFound = elbv2.ListenerAction.fixedResponse(404);

describe('AlbListenerTls', () => {
  test('HTTPS with a TLS 1.2+ policy is compliant; plain TCP on an NLB is not checked', () => {
    const { stack, vpc, alb } = loadBalancer();
    alb.addListener('Https', { port: 443, certificates: [CERTIFICATE], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultAction: notFound });
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    nlb.addListener('Tcp', { port: 443, defaultAction: elbv2.NetworkListenerAction.forward([new elbv2.NetworkTargetGroup(stack, 'Targets', { vpc, port: 443 })]) });
    expect(mcpFindings(stack, AlbListenerTls)).toEqual([]);
  });

  test('reports an HTTP listener, even one that only redirects to HTTPS', () => {
    const { stack, alb } = loadBalancer();
    alb.addRedirect();
    expect(mcpFindings(stack, AlbListenerTls)).toEqual(['Mcp-AlbListenerTls[Protocol::HTTP] at Test/Alb/Redirect80To443/Resource']);
  });

  test('reports an HTTPS listener without an SSL policy or with one that allows TLS 1.1', () => {
    const { stack, alb } = loadBalancer();
    alb.addListener('Default', { port: 443, certificates: [CERTIFICATE], defaultAction: notFound });
    alb.addListener('Legacy', { port: 8443, certificates: [CERTIFICATE], sslPolicy: elbv2.SslPolicy.TLS11, defaultAction: notFound });
    expect(mcpFindings(stack, AlbListenerTls)).toEqual([
      'Mcp-AlbListenerTls[SslPolicy::unset] at Test/Alb/Default/Resource',
      'Mcp-AlbListenerTls[SslPolicy::ELBSecurityPolicy-TLS-1-1-2017-01] at Test/Alb/Legacy/Resource',
    ]);
  });

  test('reports an NLB TLS listener whose policy allows TLS 1.0', () => {
    const { stack, vpc } = loadBalancer();
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    nlb.addListener('Tls', {
      port: 443,
      certificates: [CERTIFICATE],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED,
      defaultAction: elbv2.NetworkListenerAction.forward([new elbv2.NetworkTargetGroup(stack, 'Targets', { vpc, port: 443 })]),
    });
    expect(mcpFindings(stack, AlbListenerTls)).toEqual(['Mcp-AlbListenerTls[SslPolicy::ELBSecurityPolicy-2016-08] at Test/Nlb/Tls/Resource']);
  });
});
