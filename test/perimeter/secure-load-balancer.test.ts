import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { declaredPrinciples } from '../../lib/core/controls';
import { KeyRing } from '../../lib/encryption';
import { LogArchive } from '../../lib/logging';
import { SecureLoadBalancer, SecureLoadBalancerProps } from '../../lib/perimeter';
import { expectControlTowerClean } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

interface Fixture {
  readonly stack: Stack;
  readonly vpc: ec2.IVpc;
  readonly base: SecureLoadBalancerProps;
}

/** A stack with an imported VPC and access-log bucket, so the template holds only what is tested. */
function fixture(): Fixture {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetIds: ['subnet-public-a', 'subnet-public-b'],
    privateSubnetIds: ['subnet-private-a', 'subnet-private-b'],
  });
  const base: SecureLoadBalancerProps = {
    vpc,
    clientPeers: [ec2.Peer.ipv4('10.0.0.0/16')],
    certificates: [acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN)],
    accessLogBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'mcp-kit-access-logs'),
    logEncryptionKey: keys.logs,
  };
  return { stack, vpc, base };
}

function synth(props: Partial<SecureLoadBalancerProps> = {}): { template: Template; endpoint: SecureLoadBalancer; stack: Stack } {
  const { stack, base } = fixture();
  const endpoint = new SecureLoadBalancer(stack, 'Endpoint', { ...base, ...props });
  return { template: Template.fromStack(stack), endpoint, stack };
}

const internetFacing: Partial<SecureLoadBalancerProps> = { internetFacing: true, clientPeers: undefined };

describe('SecureLoadBalancer', () => {
  test('is internal by default, in the private subnets', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'application',
      Scheme: 'internal',
      Subnets: ['subnet-private-a', 'subnet-private-b'],
    });
  });

  test('is internet-facing in the public subnets when asked', () => {
    const { template } = synth(internetFacing);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Subnets: ['subnet-public-a', 'subnet-public-b'],
    });
  });

  /** The load balancer's attributes as a key/value map. */
  function attributesOf(template: Template): Record<string, string> {
    const balancers = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    expect(balancers).toHaveLength(1);
    const attributes = balancers[0].Properties.LoadBalancerAttributes as Array<{ Key: string; Value: string }>;
    return Object.fromEntries(attributes.map(({ Key, Value }) => [Key, Value]));
  }

  // proves: secure-by-default/fail-secure, defense-in-depth/network
  test('drops invalid headers, mitigates desync strictly, keeps access logs and deletion protection, never fails open', () => {
    const { template } = synth();
    expect(attributesOf(template)).toEqual({
      'deletion_protection.enabled': 'true',
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'routing.http.desync_mitigation_mode': 'strictest',
      'waf.fail_open.enabled': 'false',
      'idle_timeout.timeout_seconds': '60',
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.bucket': 'mcp-kit-access-logs',
      'access_logs.s3.prefix': 'mcp-endpoint',
    });
  });

  test('takes the access-log prefix and idle timeout from props', () => {
    const { template } = synth({ accessLogPrefix: 'edge', idleTimeout: Duration.minutes(5) });
    expect(attributesOf(template)).toMatchObject({ 'idle_timeout.timeout_seconds': '300', 'access_logs.s3.prefix': 'edge' });
  });

  // proves: secure-by-default/encryption, defense-in-depth/network
  test('listens on 443 only, with HTTPS, the certificate and a TLS 1.3/1.2 policy, answering 404 by default', () => {
    const { template, endpoint } = synth();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'application/json', MessageBody: '{"error":"not_found"}' } }],
    });
    expect(endpoint.listener.port).toBe(443);
  });

  test('accepts another TLS 1.2+ policy', () => {
    const { template } = synth({ sslPolicy: elbv2.SslPolicy.TLS13_13 });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' });
  });

  test('has its own security group: 443 from the given peers, no egress until targets are added', () => {
    const { template, endpoint } = synth({ clientPeers: [ec2.Peer.ipv4('10.1.0.0/16'), ec2.Peer.ipv4('10.2.0.0/16')] });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        { CidrIp: '10.1.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'MCP clients over HTTPS' },
        { CidrIp: '10.2.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'MCP clients over HTTPS' },
      ],
      // CDK's placeholder that matches no traffic: nothing may leave.
      SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointSecurityGroup'), 'GroupId'] }],
    });
    expect(endpoint.loadBalancer.connections.securityGroups).toEqual([endpoint.securityGroup]);
  });

  test('accepts HTTPS from any IPv4 address when internet-facing', () => {
    const { template } = synth(internetFacing);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'MCP clients over HTTPS' }],
    });
  });

  test('opens port 80 only to redirect to HTTPS, and only with httpRedirect', () => {
    const { template } = synth({ ...internetFacing, httpRedirect: true });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Redirect to HTTPS only' }]),
    });
  });

  test.each([false, true])('always attaches its MCP web ACL (internet-facing: %p)', (isInternetFacing) => {
    const { template, endpoint } = synth(isInternetFacing ? internetFacing : {});
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('^Endpoint') },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointWebAcl'), 'Arn'] },
    });
    expect(endpoint.webAcl.mcpPaths).toEqual(['/mcp']);
  });

  test('passes the web ACL options through', () => {
    const { template, endpoint } = synth({ webAcl: { mcpPaths: ['/tools/mcp'], ratePerIp: 300 } });
    expect(endpoint.webAcl.mcpPaths).toEqual(['/tools/mcp']);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Name: 'McpRatePerIp', Statement: { RateBasedStatement: Match.objectLike({ Limit: 300 }) } })]),
    });
  });

  test('declares the principles it implements', () => {
    const { endpoint } = synth();
    expect(declaredPrinciples(endpoint)).toEqual(expect.arrayContaining(['secure-by-default/encryption', 'isolation/network']));
  });

  describe('addMcpTarget', () => {
    function withIpTarget(options: Partial<Parameters<SecureLoadBalancer['addMcpTarget']>[1]> = {}) {
      const { stack, base } = fixture();
      const endpoint = new SecureLoadBalancer(stack, 'Endpoint', base);
      const group = endpoint.addMcpTarget('Gateway', {
        targets: [new targets.IpTarget('10.0.1.10')],
        port: 8443,
        ipTargetPeer: ec2.Peer.ipv4('10.0.1.0/24'),
        ...options,
      });
      return { template: Template.fromStack(stack), endpoint, group };
    }

    test('creates an HTTPS target group with HTTPS health checks on the health path', () => {
      const { template } = withIpTarget();
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 8443,
        Protocol: 'HTTPS',
        TargetType: 'ip',
        Targets: [{ Id: '10.0.1.10' }],
        HealthCheckProtocol: 'HTTPS',
        HealthCheckPath: '/health',
        Matcher: { HttpCode: '200' },
      });
    });

    test('uses HTTP and another health path only when asked', () => {
      const { template } = withIpTarget({ protocol: elbv2.ApplicationProtocol.HTTP, healthCheckPath: '/ready' });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Protocol: 'HTTP', HealthCheckProtocol: 'HTTP', HealthCheckPath: '/ready' });
    });

    test('forwards only the MCP routes the web ACL admits', () => {
      const { template } = withIpTarget();
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 2);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 1,
        Conditions: [
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/mcp'] } },
          { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST', 'GET', 'DELETE'] } },
        ],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^EndpointGateway') } }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 2,
        Conditions: [
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/*', '/health'] } },
          { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
        ],
      });
    });

    test('lets the load balancer reach IP targets only on their port', () => {
      const { template } = withIpTarget();
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupEgress: [{ CidrIp: '10.0.1.0/24', IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, Description: 'MCP gateway targets' }],
      });
    });

    test('opens the path to a Fargate service through its security group', () => {
      // GIVEN
      const { stack, base } = fixture();
      const endpoint = new SecureLoadBalancer(stack, 'Endpoint', base);
      const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
      taskDefinition.addContainer('gateway', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22'), portMappings: [{ containerPort: 8443 }] });
      const service = new ecs.FargateService(stack, 'Service', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc: base.vpc }), taskDefinition });
      // WHEN
      endpoint.addMcpTarget('Gateway', { targets: [service.loadBalancerTarget({ containerName: 'gateway', containerPort: 8443 })], port: 8443 });
      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointSecurityGroup'), 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceSecurityGroup'), 'GroupId'] },
        FromPort: 8443,
        ToPort: 8443,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointSecurityGroup'), 'GroupId'] },
        FromPort: 8443,
      });
    });

    test('fails when a second target group is added', () => {
      const { endpoint } = withIpTarget();
      expect(() => endpoint.addMcpTarget('Other', { targets: [], port: 8443 })).toThrow(
        /SecureLoadBalancer Test\/Endpoint already forwards to 'Gateway'; an MCP endpoint has one target group/,
      );
    });
  });

  describe('fails', () => {
    const attempt = (props: Partial<SecureLoadBalancerProps>) => () => synth(props);

    test('fails for an internal load balancer without client peers', () => {
      expect(attempt({ clientPeers: undefined })).toThrow(
        /SecureLoadBalancer Test\/Endpoint has invalid props:\n {2}- clientPeers is required for an internal load balancer/,
      );
    });

    test('fails for an empty list of client peers on an internet-facing load balancer', () => {
      expect(attempt({ internetFacing: true, clientPeers: [] })).toThrow(/clientPeers must not be empty; omit it to accept HTTPS from any IPv4 address/);
    });

    test('fails without a certificate', () => {
      expect(attempt({ certificates: [] })).toThrow(/certificates must list at least one server certificate/);
    });

    test.each([elbv2.SslPolicy.RECOMMENDED, elbv2.SslPolicy.TLS13_10, elbv2.SslPolicy.TLS13_11, elbv2.SslPolicy.LEGACY])('fails for the TLS policy %s', (sslPolicy) => {
      expect(attempt({ sslPolicy })).toThrow(new RegExp(`sslPolicy must allow TLS 1.2/1.3 only .* got '${sslPolicy}'`));
    });

    test('fails for a KMS-encrypted access-log bucket', () => {
      const { stack, base } = fixture();
      const bucket = s3.Bucket.fromBucketAttributes(stack, 'Encrypted', {
        bucketName: 'kms-logs',
        encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555'),
      });
      expect(() => new SecureLoadBalancer(stack, 'Endpoint', { ...base, accessLogBucket: bucket })).toThrow(/accessLogBucket must use SSE-S3 encryption/);
    });

    test('fails for invalid web ACL options', () => {
      expect(attempt({ webAcl: { maxBodyBytes: 10 } })).toThrow(/McpWebAcl Test\/Endpoint\/WebAcl has invalid props:\n {2}- maxBodyBytes must be an integer/);
    });

    test('fails listing every problem at once', () => {
      expect(attempt({ clientPeers: undefined, certificates: [], sslPolicy: elbv2.SslPolicy.RECOMMENDED })).toThrow(
        /certificates must[\s\S]*clientPeers is required[\s\S]*sslPolicy must/,
      );
    });
  });

  describe('passes the gate', () => {
    const gateClean = (props: Partial<SecureLoadBalancerProps>) => {
      const { stack, base } = fixture();
      const endpoint = new SecureLoadBalancer(stack, 'Endpoint', { ...base, ...props });
      endpoint.addMcpTarget('Gateway', { targets: [new targets.IpTarget('10.0.1.10')], port: 8443, ipTargetPeer: ec2.Peer.ipv4('10.0.1.0/24') });
      expectGateClean(stack);
    };

    test('passes the gate when internal', () => gateClean({}));
    test('passes the gate when internal with a security group as client peer', () => {
      const { stack, base } = fixture();
      const clients = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Clients', 'sg-0123456789abcdef0');
      new SecureLoadBalancer(stack, 'Endpoint', { ...base, clientPeers: [clients] });
      expectGateClean(stack);
    });
    test('passes the gate when internal with the HTTP redirect', () => gateClean({ httpRedirect: true }));
    test('passes the gate when internet-facing', () => gateClean(internetFacing));
    test('passes the gate writing to the log archive access-log bucket, which lets ELB deliver', () => {
      // GIVEN the kit's log archive in the same stack
      const { stack, base } = fixture();
      const archive = new LogArchive(stack, 'Archive', { encryptionKey: base.logEncryptionKey });
      // WHEN
      new SecureLoadBalancer(stack, 'Endpoint', { ...base, ...internetFacing, accessLogBucket: archive.accessLogsBucket });
      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^ArchiveAccessLogs') },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ArchiveAccessLogs'), 'Arn'] }, '/mcp-endpoint/AWSLogs/111111111111/*']] },
          })]),
        },
      });
      expectGateClean(stack);
    });
    test('passes the gate when internet-facing with the HTTP redirect', () => gateClean({ ...internetFacing, httpRedirect: true }));
  });

  describe('Control Tower proactive controls', () => {
    const loggingCheck = 'cdk-validator-cfnguard::elbv2_logging_enabled_check';
    const acknowledgedIds = (endpoint: SecureLoadBalancer) => endpoint.loadBalancer.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as object));

    test('pass with a bucket of the same template, without acknowledging the logging check', () => {
      // GIVEN the kit's log archive in the same stack
      const { stack, base } = fixture();
      const archive = new LogArchive(stack, 'Archive', { encryptionKey: base.logEncryptionKey });
      // WHEN
      const endpoint = new SecureLoadBalancer(stack, 'Endpoint', { ...base, ...internetFacing, accessLogBucket: archive.accessLogsBucket });
      // THEN
      expect(acknowledgedIds(endpoint)).not.toContain(loggingCheck);
      expectControlTowerClean(stack);
    });

    test('pass with a bucket of another stack, acknowledging only the import the check cannot follow', () => {
      // GIVEN the access-log bucket in a baseline stack of the same app
      const { stack, base } = fixture();
      const baseline = new Stack(stack.node.scope as App, 'Baseline', { env: stack.environment === undefined ? undefined : { account: '111111111111', region: 'us-east-1' } });
      const archive = new LogArchive(baseline, 'Archive', { encryptionKey: new KeyRing(baseline, 'Keys').logs });
      // WHEN
      const endpoint = new SecureLoadBalancer(stack, 'Endpoint', { ...base, accessLogBucket: archive.accessLogsBucket });
      // THEN the logging attributes are set, the bucket name is imported, and the check is acknowledged with the bucket named
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { 'Fn::ImportValue': Match.stringLikeRegexp('^Baseline:') } },
        ]),
      });
      expect(acknowledgedIds(endpoint)).toContain(loggingCheck);
      expect(JSON.stringify(endpoint.loadBalancer.node.metadata)).toContain('Baseline/Archive/AccessLogs');
      expectControlTowerClean(stack);
    });
  });
});
