import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { accessFixture, buildAccess, CERTIFICATE_ARN, OIDC, SECRET_ARN } from './fixture';
import { authenticatedUserPolicy } from '../../lib/access';
import { declaredPrinciples } from '../../lib/core/controls';
import { cfnGuardStacks, formatGuardFailures } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';

/** The logical id of `construct`, or of its default child. */
function idOf(construct: IConstruct): string {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

const DEFAULT_POLICY = 'permit(principal, action, resource)\nwhen {\n  context has idp && context.idp has sub\n};\n';

describe('VerifiedAccessApplication trust provider', () => {
  test('authenticates users with the OIDC provider, the client secret resolved from Secrets Manager at deployment', () => {
    // GIVEN / WHEN
    const { template, keys } = buildAccess();
    // THEN
    template().hasResourceProperties('AWS::EC2::VerifiedAccessTrustProvider', {
      TrustProviderType: 'user',
      UserTrustProviderType: 'oidc',
      PolicyReferenceName: 'idp',
      OidcOptions: {
        Issuer: OIDC.issuer,
        AuthorizationEndpoint: OIDC.authorizationEndpoint,
        TokenEndpoint: OIDC.tokenEndpoint,
        UserInfoEndpoint: OIDC.userInfoEndpoint,
        ClientId: 'verified-access',
        ClientSecret: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:client_secret::}}`,
        Scope: 'openid',
      },
      SseSpecification: { CustomerManagedKeyEnabled: true, KmsKeyArn: { 'Fn::GetAtt': [idOf(keys.data), 'Arn'] } },
      DeviceTrustProviderType: Match.absent(),
    });
  });

  test('requests the scopes and uses the reference name given', () => {
    const { template } = buildAccess({ oidc: { ...OIDC, scope: 'openid email groups' }, policyReferenceName: 'corp' });
    template().hasResourceProperties('AWS::EC2::VerifiedAccessTrustProvider', {
      PolicyReferenceName: 'corp',
      OidcOptions: Match.objectLike({ Scope: 'openid email groups' }),
    });
    template().hasResourceProperties('AWS::EC2::VerifiedAccessGroup', {
      PolicyDocument: 'permit(principal, action, resource)\nwhen {\n  context has corp && context.corp has sub\n};\n',
    });
  });
});

describe('VerifiedAccessApplication instance and group', () => {
  test('attaches the trust provider and logs every decision with its trust data to an encrypted log group', () => {
    // GIVEN
    const { template, access, keys } = buildAccess();
    const t = template();
    // THEN
    t.hasResourceProperties('AWS::EC2::VerifiedAccessInstance', {
      VerifiedAccessTrustProviderIds: [{ 'Fn::GetAtt': [idOf(access.trustProvider), 'VerifiedAccessTrustProviderId'] }],
      LoggingConfigurations: {
        CloudWatchLogs: { Enabled: true, LogGroup: { Ref: idOf(access.logGroup) } },
        IncludeTrustContext: true,
        LogVersion: 'ocsf-1.0.0-rc.2',
        S3: Match.absent(),
        KinesisDataFirehose: Match.absent(),
      },
    });
    expect(t.toJSON().Resources[idOf(access.logGroup)]).toMatchObject({
      Properties: { KmsKeyId: { 'Fn::GetAtt': [idOf(keys.logs), 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test('keeps the access logs as long as asked', () => {
    buildAccess({ logRetention: logs.RetentionDays.TWO_YEARS }).template().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
  });

  test('enforces, by default, a policy that admits only users the provider authenticated', () => {
    const { template, access, keys } = buildAccess();
    template().hasResourceProperties('AWS::EC2::VerifiedAccessGroup', {
      VerifiedAccessInstanceId: { 'Fn::GetAtt': [idOf(access.instance), 'VerifiedAccessInstanceId'] },
      PolicyDocument: DEFAULT_POLICY,
      PolicyEnabled: true,
      SseSpecification: { CustomerManagedKeyEnabled: true, KmsKeyArn: { 'Fn::GetAtt': [idOf(keys.data), 'Arn'] } },
    });
  });

  test('the default policy is one static Cedar permit', () => {
    const parts = cedar.policySetTextToParts(authenticatedUserPolicy('idp'));
    expect(parts).toMatchObject({ type: 'success', policy_templates: [] });
    expect(parts.type === 'success' && parts.policies).toHaveLength(1);
    expect(authenticatedUserPolicy('idp')).toEqual(DEFAULT_POLICY);
  });

  test('enforces the policy given', () => {
    const policyDocument = 'permit(principal, action, resource)\nwhen { context.idp.email_verified == true && context.idp.email like "*@example.com" };';
    buildAccess({ policyDocument }).template().hasResourceProperties('AWS::EC2::VerifiedAccessGroup', { PolicyDocument: policyDocument, PolicyEnabled: true });
  });
});

describe('VerifiedAccessApplication endpoint', () => {
  test('fronts the internal load balancer over HTTPS in the chosen subnets, with the domain and its certificate', () => {
    // GIVEN
    const { template, access, keys, vpc, loadBalancer } = buildAccess();
    // THEN
    template().hasResourceProperties('AWS::EC2::VerifiedAccessEndpoint', {
      VerifiedAccessGroupId: { 'Fn::GetAtt': [idOf(access.group), 'VerifiedAccessGroupId'] },
      AttachmentType: 'vpc',
      EndpointType: 'load-balancer',
      ApplicationDomain: 'mcp.example.com',
      DomainCertificateArn: CERTIFICATE_ARN,
      EndpointDomainPrefix: 'mcp',
      SecurityGroupIds: [{ 'Fn::GetAtt': [idOf(access.securityGroup), 'GroupId'] }],
      LoadBalancerOptions: {
        LoadBalancerArn: { Ref: idOf(loadBalancer) },
        Port: 443,
        Protocol: 'https',
        SubnetIds: vpc.selectSubnets({ subnetGroupName: 'Balancer' }).subnets.map((s) => ({ Ref: idOf(s) })),
      },
      SseSpecification: { CustomerManagedKeyEnabled: true, KmsKeyArn: { 'Fn::GetAtt': [idOf(keys.data), 'Arn'] } },
    });
    expect(Stack.of(access).resolve(access.endpointDomain)).toEqual({ 'Fn::GetAtt': [idOf(access.endpoint), 'EndpointDomain'] });
    expect(access.node.defaultChild).toBe(access.endpoint);
  });

  test('lets its security group reach the load balancer\'s listener and nothing else', () => {
    // GIVEN
    const { template, access, loadBalancer } = buildAccess({ loadBalancerPort: 8443 });
    const t = template();
    const group = { 'Fn::GetAtt': [idOf(access.securityGroup), 'GroupId'] };
    const balancerGroup = { 'Fn::GetAtt': [idOf(loadBalancer.connections.securityGroups[0]), 'GroupId'] };
    // THEN no inline rule, no ingress, one egress rule to the load balancer's group on the port
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Verified Access endpoint: HTTPS to the MCP load balancer only',
      SecurityGroupEgress: Match.absent(),
      SecurityGroupIngress: Match.absent(),
    });
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties);
    expect(egress).toEqual([expect.objectContaining({ GroupId: group, DestinationSecurityGroupId: balancerGroup, IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443 })]);
    expect(Object.values(t.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { SourceSecurityGroupId: group } })).map((r) => r.Properties))
      .toEqual([expect.objectContaining({ GroupId: balancerGroup, IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443 })]);
    t.hasResourceProperties('AWS::EC2::VerifiedAccessEndpoint', { LoadBalancerOptions: Match.objectLike({ Port: 8443, Protocol: 'https' }) });
  });

  test('uses, and opens to the listener only, a security group named before it', () => {
    // GIVEN a group the pattern created first, e.g. to name it as the load balancer's client
    const fixture = accessFixture();
    const securityGroup = new ec2.SecurityGroup(fixture.stack, 'EndpointGroup', { vpc: fixture.vpc, allowAllOutbound: false });
    // WHEN
    const { access, template } = buildAccess({ securityGroup }, fixture);
    const t = template();
    // THEN
    expect(access.securityGroup).toBe(securityGroup);
    t.resourceCountIs('AWS::EC2::SecurityGroup', 2); // the load balancer's and the given one: none created
    t.hasResourceProperties('AWS::EC2::VerifiedAccessEndpoint', { SecurityGroupIds: [{ 'Fn::GetAtt': [idOf(securityGroup), 'GroupId'] }] });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [idOf(securityGroup), 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [idOf(fixture.loadBalancer.connections.securityGroups[0]), 'GroupId'] },
      FromPort: 443,
      ToPort: 443,
    });
  });

  test('uses the endpoint domain prefix given', () => {
    buildAccess({ endpointDomainPrefix: 'tools' }).template().hasResourceProperties('AWS::EC2::VerifiedAccessEndpoint', { EndpointDomainPrefix: 'tools' });
  });

  test('declares the principles it implements', () => {
    expect(declaredPrinciples(buildAccess().access)).toEqual([
      'zero-trust/continuous-verification', 'defense-in-depth/identity', 'defense-in-depth/authorization',
      'isolation/network', 'secure-by-default/encryption', 'secure-by-default/logging',
    ]);
  });
});

describe('VerifiedAccessApplication gate', () => {
  test('is gate clean with defaults', () => {
    expectGateClean(buildAccess().access);
  });

  test('is gate clean with a custom policy, port and scopes', () => {
    expectGateClean(buildAccess({
      loadBalancerPort: 8443,
      oidc: { ...OIDC, scope: 'openid email' },
      policyDocument: 'permit(principal, action, resource) when { context.idp.email_verified == true };',
    }).access);
  });

  test('passes the Control Tower controls', () => {
    const { stack } = buildAccess();
    const failures = cfnGuardStacks([stack]).filter((f) => f.constructPath?.startsWith('Test/Access/'));
    expect(formatGuardFailures(failures)).toEqual('');
  });
});
