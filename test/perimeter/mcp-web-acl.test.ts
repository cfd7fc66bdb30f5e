import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { declaredPrinciples } from '../../lib/core/controls';
import { KeyRing } from '../../lib/encryption';
import { McpWebAcl, McpWebAclOptions } from '../../lib/perimeter';
import { expectGateClean } from '../support/gate';
import { CfnProperties } from '../support/template-reading';

interface Fixture {
  readonly stack: Stack;
  readonly keys: KeyRing;
  readonly alb: elbv2.IApplicationLoadBalancer;
}

function fixture(): Fixture {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  const alb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Alb', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/mcp/0123456789abcdef',
    securityGroupId: 'sg-0123456789abcdef0',
  });
  return { stack, keys, alb };
}

/** Synthesize a web ACL with `options` and return its template. */
function synth(options: McpWebAclOptions = {}): { template: Template; acl: McpWebAcl } {
  const { stack, keys, alb } = fixture();
  const acl = new McpWebAcl(stack, 'WebAcl', { ...options, protect: [alb], logEncryptionKey: keys.logs });
  return { template: Template.fromStack(stack), acl };
}

interface RenderedRule {
  readonly Name: string;
  readonly Priority: number;
  readonly Action?: Record<string, unknown>;
  readonly OverrideAction?: Record<string, unknown>;
  readonly Statement: Record<string, unknown>;
  readonly VisibilityConfig: Record<string, unknown>;
}

function rulesOf(template: Template): RenderedRule[] {
  const acls = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  expect(acls).toHaveLength(1);
  return [...(acls[0].Properties.Rules as RenderedRule[])].sort((a, b) => a.Priority - b.Priority);
}

function rule(template: Template, name: string): RenderedRule {
  const found = rulesOf(template).find((r) => r.Name === name);
  if (!found) throw new Error(`no rule named ${name}`);
  return found;
}

const RAW = [{ Priority: 0, Type: 'NONE' }];
const method = (m: string) => ({ ByteMatchStatement: { FieldToMatch: { Method: {} }, PositionalConstraint: 'EXACTLY', SearchString: m, TextTransformations: RAW } });
const path = (p: string, constraint = 'EXACTLY') => ({
  ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: constraint, SearchString: p, TextTransformations: RAW },
});
const contentLength = (regex: string) => ({
  RegexMatchStatement: { FieldToMatch: { SingleHeader: { Name: 'content-length' } }, RegexString: regex, TextTransformations: RAW },
});
const block = (code: number) => ({ Block: { CustomResponse: { ResponseCode: code } } });

describe('McpWebAcl', () => {
  test('is a REGIONAL web ACL whose default action is reached only through the allow-list', () => {
    // WHEN
    const { template } = synth();
    // THEN
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'Test-WebAcl-2A1C879E' },
    });
    expect(rulesOf(template)[0]).toMatchObject({ Name: 'McpAllowList', Priority: 0, Action: block(403) });
  });

  test('evaluates the allow-list first, then size rules, rate limits and the managed groups', () => {
    const { template } = synth();
    expect(rulesOf(template).map((r) => `${r.Priority}:${r.Name}`)).toEqual([
      '0:McpAllowList',
      '1:McpContentLengthRequired',
      '2:McpBodyTooLarge',
      '3:McpNoBodyOnGetOrDelete',
      '4:McpRatePerAuthorization',
      '5:McpRatePerIp',
      '6:AWS-AWSManagedRulesAmazonIpReputationList',
      '7:AWS-AWSManagedRulesKnownBadInputsRuleSet',
      '8:AWS-AWSManagedRulesCommonRuleSet',
    ]);
  });

  test('has no ALLOW rule that would let traffic skip the managed groups', () => {
    const { template } = synth({ blockAnonymousIps: true });
    for (const r of rulesOf(template)) {
      expect(r.Action?.Allow).toBeUndefined();
      expect(Object.keys(r.Action ?? r.OverrideAction ?? {})).toEqual([r.Action ? 'Block' : 'None']);
    }
  });

  test('enables CloudWatch metrics and sampled requests on every rule, named after it', () => {
    const { template } = synth({ blockAnonymousIps: true });
    for (const r of rulesOf(template)) {
      expect(r.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: r.Name });
    }
  });

  // proves: defense-in-depth/application
  test('allow-list admits the MCP methods on the MCP path and GET on metadata and health, raw paths only', () => {
    const { template } = synth();
    expect(rule(template, 'McpAllowList').Statement).toEqual({
      NotStatement: {
        Statement: {
          OrStatement: {
            Statements: [
              { AndStatement: { Statements: [path('/mcp'), { OrStatement: { Statements: [method('POST'), method('GET'), method('DELETE')] } }] } },
              {
                AndStatement: {
                  Statements: [method('GET'), {
                    OrStatement: {
                      Statements: [
                        path('/.well-known/oauth-protected-resource'),
                        path('/.well-known/oauth-protected-resource/', 'STARTS_WITH'),
                        path('/health'),
                      ],
                    },
                  }],
                },
              },
            ],
          },
        },
      },
    });
  });

  test('allow-list admits every configured MCP path and the configured health path', () => {
    const { template } = synth({ mcpPaths: ['/mcp', '/v2/mcp'], healthPath: '/healthz' });
    const statement = JSON.stringify(rule(template, 'McpAllowList').Statement);
    expect(statement).toContain(JSON.stringify({ OrStatement: { Statements: [path('/mcp'), path('/v2/mcp')] } }));
    expect(statement).toContain(JSON.stringify(path('/healthz')));
    expect(statement).not.toContain('"/health"');
  });

  test('requires a canonical Content-Length on POST, answering 411', () => {
    const { template } = synth();
    expect(rule(template, 'McpContentLengthRequired')).toMatchObject({
      Action: block(411),
      Statement: { AndStatement: { Statements: [method('POST'), { NotStatement: { Statement: contentLength('^0$|^[1-9][0-9]*$') } }] } },
    });
  });

  /** The `Content-Length` bound of the McpBodyTooLarge rule, as a JavaScript RegExp. */
  function bodyLimit(template: Template): RegExp {
    const [, , notAtMost] = (rule(template, 'McpBodyTooLarge').Statement.AndStatement as { Statements: CfnProperties[] }).Statements;
    return new RegExp(notAtMost.NotStatement.Statement.RegexMatchStatement.RegexString);
  }

  test('bounds the declared Content-Length of POST to 1 MiB by default, answering 413', () => {
    const { template } = synth();
    const tooLarge = rule(template, 'McpBodyTooLarge');
    expect(tooLarge.Action).toEqual(block(413));
    expect(tooLarge.Statement).toEqual({
      AndStatement: {
        Statements: [method('POST'), contentLength('^0$|^[1-9][0-9]*$'), { NotStatement: { Statement: contentLength(expect.any(String)) } }],
      },
    });
    expect(['0', '1048576', '1048577', '99999999'].map((v) => bodyLimit(template).test(v))).toEqual([true, true, false, false]);
  });

  test('takes the body limit from maxBodyBytes', () => {
    const { template, acl } = synth({ maxBodyBytes: 65_536 });
    expect(['65536', '65537'].map((v) => bodyLimit(template).test(v))).toEqual([true, false]);
    expect(acl.maxBodyBytes).toBe(65_536);
  });

  test('drops the Content-Length requirement only when requireContentLength is false, keeping the size bound', () => {
    const { template } = synth({ requireContentLength: false });
    expect(rulesOf(template).map((r) => r.Name)).not.toContain('McpContentLengthRequired');
    expect(rule(template, 'McpBodyTooLarge').Priority).toBe(1);
  });

  test('refuses any body on GET and DELETE, oversize bodies included', () => {
    const { template } = synth();
    expect(rule(template, 'McpNoBodyOnGetOrDelete')).toMatchObject({
      Action: block(400),
      Statement: {
        AndStatement: {
          Statements: [
            { OrStatement: { Statements: [method('GET'), method('DELETE')] } },
            { SizeConstraintStatement: { FieldToMatch: { Body: { OversizeHandling: 'MATCH' } }, ComparisonOperator: 'GT', Size: 0, TextTransformations: RAW } },
          ],
        },
      },
    });
  });

  // proves: defense-in-depth/network, defense-in-depth/application
  test('rate-limits per Authorization header value and per IP, answering 429', () => {
    const { template } = synth();
    expect(rule(template, 'McpRatePerAuthorization')).toMatchObject({
      Action: block(429),
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'CUSTOM_KEYS',
          CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: RAW } }],
          Limit: 1000,
          EvaluationWindowSec: 300,
        },
      },
    });
    expect(rule(template, 'McpRatePerIp')).toMatchObject({
      Action: block(429),
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 2000, EvaluationWindowSec: 300 } },
    });
  });

  test('takes rate limits and window from props', () => {
    const { template } = synth({ ratePerIp: 500, ratePerAuthorization: 100, rateWindow: Duration.minutes(1) });
    expect(rule(template, 'McpRatePerIp').Statement).toEqual({ RateBasedStatement: { AggregateKeyType: 'IP', Limit: 500, EvaluationWindowSec: 60 } });
    expect(rule(template, 'McpRatePerAuthorization').Statement).toMatchObject({ RateBasedStatement: { Limit: 100, EvaluationWindowSec: 60 } });
  });

  test('runs the core rule set with only its 8 KB body rule overridden to count', () => {
    const { template } = synth();
    expect(rule(template, 'AWS-AWSManagedRulesCommonRuleSet')).toMatchObject({
      OverrideAction: { None: {} },
      Statement: {
        ManagedRuleGroupStatement: {
          VendorName: 'AWS',
          Name: 'AWSManagedRulesCommonRuleSet',
          RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
        },
      },
    });
  });

  test.each(['AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'])('runs %s unmodified', (group) => {
    const { template } = synth();
    expect(rule(template, `AWS-${group}`)).toMatchObject({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: group } } });
    expect(rule(template, `AWS-${group}`).Statement.ManagedRuleGroupStatement).not.toHaveProperty('RuleActionOverrides');
  });

  test('adds the anonymous IP list only with blockAnonymousIps, counting hosting providers', () => {
    expect(JSON.stringify(rulesOf(synth().template))).not.toContain('AWSManagedRulesAnonymousIpList');
    const { template } = synth({ blockAnonymousIps: true });
    expect(rule(template, 'AWS-AWSManagedRulesAnonymousIpList')).toMatchObject({
      Priority: 7,
      OverrideAction: { None: {} },
      Statement: { ManagedRuleGroupStatement: { Name: 'AWSManagedRulesAnonymousIpList', RuleActionOverrides: [{ Name: 'HostingProviderIPList', ActionToUse: { Count: {} } }] } },
    });
  });

  test('keeps credentials out of logs and sampled requests, hashing the MCP session id', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      DataProtectionConfig: {
        DataProtections: [
          { Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['authorization', 'cookie'] }, Action: 'SUBSTITUTION' },
          { Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['mcp-session-id'] }, Action: 'HASH' },
        ],
      },
    });
  });

  // proves: secure-by-default/logging, defense-in-depth/data
  test('logs every request to an encrypted aws-waf-logs-* log group, authorization and cookie redacted', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'aws-waf-logs-Test-WebAcl-2A1C879E',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysLogs'), 'Arn'] },
      RetentionInDays: 365,
    });
    template.hasResource('AWS::WAFv2::LoggingConfiguration', {
      Properties: {
        ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
        // The ARN WAF accepts: no ':*' suffix.
        LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111111111111:log-group:aws-waf-logs-Test-WebAcl-2A1C879E']] }],
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
        LoggingFilter: Match.absent(),
      },
      DependsOn: [Match.stringLikeRegexp('^WebAclLogs')],
    });
  });

  test('associates the web ACL with every load balancer it protects', () => {
    // GIVEN
    const { stack, keys, alb } = fixture();
    const other = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Other', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/other/fedcba9876543210',
      securityGroupId: 'sg-0fedcba9876543210',
    });
    // WHEN
    new McpWebAcl(stack, 'WebAcl', { protect: [alb, other], logEncryptionKey: keys.logs });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 2);
    for (const arn of [alb.loadBalancerArn, other.loadBalancerArn]) {
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: arn,
        WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
      });
    }
  });

  test('declares the principles it implements', () => {
    const { acl } = synth();
    expect(declaredPrinciples(acl)).toEqual(expect.arrayContaining(['defense-in-depth/application', 'secure-by-default/logging', 'secure-by-default/fail-secure']));
  });

  test('passes the gate', () => {
    // GIVEN a real load balancer in the stack, so the association is checked against it
    const { stack, keys } = fixture();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'], privateSubnetIds: ['subnet-a', 'subnet-b'],
    });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Real', { vpc });
    // WHEN
    const acl = new McpWebAcl(stack, 'WebAcl', { protect: [alb], logEncryptionKey: keys.logs, blockAnonymousIps: true });
    // THEN the web ACL and everything it creates are clean
    expectGateClean(acl);
  });

  describe('fails', () => {
    const attempt = (options: McpWebAclOptions, protect?: elbv2.IApplicationLoadBalancer[]) => () => {
      const { stack, keys, alb } = fixture();
      new McpWebAcl(stack, 'WebAcl', { ...options, protect: protect ?? [alb], logEncryptionKey: keys.logs });
    };

    test('fails without a load balancer to protect', () => {
      expect(attempt({}, [])).toThrow(/McpWebAcl Test\/WebAcl has invalid props:\n {2}- protect must list at least one load balancer/);
    });

    test('fails when protect lists a load balancer twice', () => {
      const { stack, keys, alb } = fixture();
      expect(() => new McpWebAcl(stack, 'WebAcl', { protect: [alb, alb], logEncryptionKey: keys.logs })).toThrow(/protect lists the same load balancer more than once/);
    });

    test.each([
      [{ mcpPaths: [] }, /mcpPaths must list 1 to 10 paths such as '\/mcp', got \[\]/],
      [{ mcpPaths: Array.from({ length: 11 }, (_, i) => `/mcp${i}`) }, /mcpPaths must list 1 to 10 paths/],
      [{ mcpPaths: ['/mcp', '/mcp'] }, /mcpPaths must not repeat a path, got \[\/mcp, \/mcp\]/],
      [{ mcpPaths: ['mcp'] }, /mcpPaths must be canonical absolute paths .* got 'mcp'/],
      [{ mcpPaths: ['/mcp/'] }, /got '\/mcp\/'/],
      [{ mcpPaths: ['/a/../mcp'] }, /got '\/a\/\.\.\/mcp'/],
      [{ mcpPaths: ['/mcp*'] }, /got '\/mcp\*'/],
      [{ mcpPaths: ['/.well-known/oauth-protected-resource/mcp'] }, /mcpPaths must not be under \/\.well-known\/oauth-protected-resource/],
      [{ healthPath: 'health' }, /healthPath must be canonical absolute paths .* got 'health'/],
      [{ healthPath: '/mcp' }, /healthPath must differ from the mcpPaths, got '\/mcp'/],
      [{ maxBodyBytes: 1023 }, /maxBodyBytes must be an integer between 1024 and 104857600, got 1023/],
      [{ maxBodyBytes: 104_857_601 }, /maxBodyBytes must be an integer between 1024 and 104857600, got 104857601/],
      [{ maxBodyBytes: 2048.5 }, /maxBodyBytes must be an integer .* got 2048.5/],
      [{ ratePerIp: 9 }, /ratePerIp must be an integer between 10 and 2000000000, got 9/],
      [{ ratePerAuthorization: 2_000_000_001 }, /ratePerAuthorization must be an integer between 10 and 2000000000, got 2000000001/],
    ] as Array<[McpWebAclOptions, RegExp]>)('fails for %j', (options, message) => {
      expect(attempt(options)).toThrow(message);
    });

    test('fails for a rate window WAF does not support', () => {
      expect(attempt({ rateWindow: Duration.minutes(3) })).toThrow(/rateWindow must be 1, 2, 5 or 10 minutes, got 180 seconds/);
    });

    test('fails listing every problem at once', () => {
      expect(attempt({ maxBodyBytes: 1, ratePerIp: 1, healthPath: 'x' }, [])).toThrow(
        /protect must list[\s\S]*healthPath must be canonical[\s\S]*maxBodyBytes must be[\s\S]*ratePerIp must be/,
      );
    });
  });
});
