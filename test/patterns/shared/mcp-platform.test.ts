import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { patternTestProps, TEST_ENV } from './fixtures';
import { McpPlatform } from '../../../patterns/shared/mcp-platform';
import { expectGateClean } from '../../support/gate';

function platformStack() {
  const app = new App();
  const props = patternTestProps(app);
  const stack = new Stack(app, 'Pattern', { env: TEST_ENV });
  const platform = new McpPlatform(stack, 'Platform', props);
  platform.addGateway([{ name: 'notes', url: 'https://notes.internal.example.com/mcp' }]);
  return { stack, platform };
}

describe('McpPlatform', () => {
  const { stack, platform } = platformStack();
  const template = Template.fromStack(stack);

  test('derives per-tool scopes, Cedar groups and pins for the gateway from the server specs', () => {
    const document = platform.gateway.configDocument;
    expect(JSON.stringify(document)).toContain('"notes/search"');
    expect(stack.resolve(document)).toMatchObject({
      upstreams: [{ name: 'notes', url: 'https://notes.internal.example.com/mcp' }],
    });
    expect(JSON.stringify(document)).toContain(`sha256:${'a'.repeat(64)}`);
  });

  test('puts the gateway behind an internet-facing ALB with its WAF', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'mcp.example.com', ValidationMethod: 'DNS' });
    template.hasResourceProperties('AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
  });

  test('fails when the gateway is read before addGateway', () => {
    const app = new App();
    const fresh = new McpPlatform(new Stack(app, 'P', { env: TEST_ENV }), 'Platform', patternTestProps(app));
    expect(() => fresh.gateway).toThrow(/addGateway\(\) has not been called/);
  });

  test('is gate clean', () => {
    expectGateClean(stack);
  });
});
