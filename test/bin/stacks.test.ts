import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_CONFIG } from '../../bin/config/default-config';
import { loadConfigFile, validateConfig } from '../../bin/config/load';
import { KitConfigInput, PatternName } from '../../bin/config/schema';
import { buildStacks, KitStacks } from '../../bin/stacks';

const ROOT = path.join(__dirname, '..', '..');
const HUB_ACCOUNT = '111111111111';
const SPOKE_ACCOUNT = '222222222222';
const CLIENT_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${HUB_ACCOUNT}:secret:mcp/verified-access-AbCdEf`;
const INVOICES_SERVICE_ARN = `arn:aws:vpc-lattice:us-east-1:${SPOKE_ACCOUNT}:service/svc-0a1b2c3d4e5f60718`;
const INVOICES_URL = 'https://invoices-0a1b2c3d4e5f60718.7d67968.vpc-lattice-svcs.us-east-1.on.aws/mcp';

/**
 * The stacks of the default configuration with only `pattern` enabled and its options
 * replaced by `options`; `change` edits the rest. Without the gate: these tests are about the
 * mapping from configuration to stacks (the pattern tests prove the variants gate clean).
 */
function stacksOf(pattern: PatternName, options: object, change: (config: KitConfigInput) => KitConfigInput = (c) => c): KitStacks {
  const config = change({
    ...DEFAULT_CONFIG,
    patterns: { [pattern]: { ...DEFAULT_CONFIG.patterns[pattern], ...options } },
  });
  return buildStacks(new App(), validateConfig(config), ROOT);
}

const stackNamed = (stacks: Stack[], name: string) => stacks.find((s) => s.stackName === name)!;

describe('buildStacks', () => {
  test('creates one baseline for all patterns of one account and region, and makes the spokes depend on it', () => {
    const stacks = buildStacks(new App(), validateConfig(DEFAULT_CONFIG), ROOT);
    expect(stacks.baselines.map((b) => b.stackName)).toEqual(['mcp-kit-baseline-us-east-1']);
    const [spoke] = stacks.patterns.federatedGateway!.filter((s) => s.stackName.includes('spoke'));
    expect(spoke.dependencies).toContain(stacks.baselines[0]);
  });

  describe('a federated gateway with a spoke in another account', () => {
    // GIVEN the hub in HUB_ACCOUNT with `sample`, and spoke `payments` in SPOKE_ACCOUNT with
    // `invoices`, its own CIDR, zones and NAT egress, whose deployed endpoint is known
    const stacks = stacksOf('federatedGateway', {
      env: { account: HUB_ACCOUNT, region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] },
      spokes: [{
        name: 'payments',
        env: { account: SPOKE_ACCOUNT, region: 'us-east-1', availabilityZones: ['us-east-1c', 'us-east-1d'] },
        cidr: '10.60.0.0/20',
        egress: 'nat',
      }],
      remoteEndpoints: [{ server: 'invoices', url: INVOICES_URL, serviceArn: INVOICES_SERVICE_ARN }],
    }, (config) => ({ ...config, mcpServers: [...config.mcpServers, { ...config.mcpServers[0], name: 'invoices', spoke: 'payments' }] }));
    const federated = stacks.patterns.federatedGateway!;
    const payments = stackNamed(federated, 'mcp-kit-fed-federated-spoke-payments');
    const hub = stackNamed(federated, 'mcp-kit-fed-federated-gateway');

    test('creates a baseline in each account, the spoke\'s before the spoke', () => {
      expect(stacks.baselines.map((b) => [b.stackName, b.account, b.region])).toEqual([
        [`mcp-kit-baseline-${HUB_ACCOUNT}-us-east-1`, HUB_ACCOUNT, 'us-east-1'],
        [`mcp-kit-baseline-${SPOKE_ACCOUNT}-us-east-1`, SPOKE_ACCOUNT, 'us-east-1'],
      ]);
      expect(payments.account).toBe(SPOKE_ACCOUNT);
      expect(payments.dependencies).toEqual([stacks.baselines[1]]);
    });

    test('gives the spoke its CIDR, zones and NAT egress', () => {
      const template = Template.fromStack(payments);
      template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.60.0.0/20' });
      const zones = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.AvailabilityZone as string);
      expect([...new Set(zones)].sort()).toEqual(['us-east-1c', 'us-east-1d']);
      template.resourceCountIs('AWS::EC2::NatGateway', 2);
    });

    test('keeps the default spoke on the hub\'s CIDR and zones, without egress', () => {
      const template = Template.fromStack(stackNamed(federated, 'mcp-kit-fed-federated-spoke-default'));
      template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.10.0.0/16' });
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    });

    test('associates the remote server\'s Lattice service with the hub\'s network and lets the gateway invoke it', () => {
      const template = Template.fromStack(hub);
      template.hasResourceProperties('AWS::VpcLattice::ServiceNetworkServiceAssociation', { ServiceIdentifier: INVOICES_SERVICE_ARN });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'vpc-lattice-svcs:Invoke', Resource: `${INVOICES_SERVICE_ARN}/mcp` })]) },
      });
    });
  });

  test('leaves a remote server out of the hub until its endpoint is configured', () => {
    const stacks = stacksOf('federatedGateway', {
      env: { account: HUB_ACCOUNT, region: 'us-east-1' },
      spokes: [{ name: 'payments', env: { account: SPOKE_ACCOUNT, region: 'us-east-1' } }],
    }, (config) => ({ ...config, mcpServers: [...config.mcpServers, { ...config.mcpServers[0], name: 'invoices', spoke: 'payments' }] }));
    const hub = Template.fromStack(stackNamed(stacks.patterns.federatedGateway!, 'mcp-kit-fed-federated-gateway'));
    hub.resourceCountIs('AWS::VpcLattice::ServiceNetworkServiceAssociation', 1);
  });

  test('builds step 2 of the federated example, its commented remoteEndpoints, with a baseline in the spoke\'s account', () => {
    // The example shows step 2 as a comment: the same file with those lines uncommented.
    const example = fs.readFileSync(path.join(ROOT, 'docs', 'config', 'examples', 'federated-gateway.yaml'), 'utf8');
    const step2 = example.replace(/^ {4}# {3}/gm, '    ');
    expect(step2).not.toEqual(example);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-kit-step2-'));
    try {
      fs.writeFileSync(path.join(dir, 'federated-gateway.yaml'), step2);
      const stacks = buildStacks(new App(), loadConfigFile(path.join(dir, 'federated-gateway.yaml')), dir);
      expect(stacks.baselines.map((b) => b.account)).toEqual(['111122223333', '444455556666']);
      const hub = Template.fromStack(stackNamed(stacks.patterns.federatedGateway!, 'tools-fed-fed-federated-gateway'));
      hub.hasResourceProperties('AWS::VpcLattice::ServiceNetworkServiceAssociation', {
        ServiceIdentifier: 'arn:aws:vpc-lattice:us-east-1:444455556666:service/svc-0123456789abcdef0',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('puts Verified Access in front of an internal load balancer, the client secret resolved from Secrets Manager', () => {
    const policy = 'permit(principal, action, resource) when { context.idp.email like "*@example.com" };';
    const stacks = stacksOf('zeroTrustNetwork', {
      verifiedAccess: true,
      verifiedAccessOidc: {
        issuer: 'https://login.example.com',
        authorizationEndpoint: 'https://login.example.com/oauth2/authorize',
        tokenEndpoint: 'https://login.example.com/oauth2/token',
        userInfoEndpoint: 'https://login.example.com/oauth2/userinfo',
        clientId: 'verified-access',
        clientSecret: { secretArn: CLIENT_SECRET_ARN, jsonField: 'client_secret' },
        scope: 'openid email',
      },
      verifiedAccessPolicy: policy,
    });
    const template = Template.fromStack(stacks.patterns.zeroTrustNetwork![0]);
    template.hasResourceProperties('AWS::EC2::VerifiedAccessTrustProvider', {
      OidcOptions: {
        Issuer: 'https://login.example.com',
        AuthorizationEndpoint: 'https://login.example.com/oauth2/authorize',
        TokenEndpoint: 'https://login.example.com/oauth2/token',
        UserInfoEndpoint: 'https://login.example.com/oauth2/userinfo',
        ClientId: 'verified-access',
        ClientSecret: `{{resolve:secretsmanager:${CLIENT_SECRET_ARN}:SecretString:client_secret::}}`,
        Scope: 'openid email',
      },
    });
    template.hasResourceProperties('AWS::EC2::VerifiedAccessGroup', { PolicyDocument: policy, PolicyEnabled: true });
    template.hasResourceProperties('AWS::EC2::VerifiedAccessEndpoint', { ApplicationDomain: 'mcp.example.com' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  });

  test('builds the Verified Access example config into the trust provider, the secret by reference', () => {
    const file = path.join(ROOT, 'docs', 'config', 'examples', 'zero-trust-network-verified-access.yaml');
    const stacks = buildStacks(new App(), loadConfigFile(file), path.dirname(file));
    const template = Template.fromStack(stacks.patterns.zeroTrustNetwork![0]);
    template.hasResourceProperties('AWS::EC2::VerifiedAccessTrustProvider', {
      OidcOptions: Match.objectLike({
        ClientSecret: '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:111122223333:secret:mcp/verified-access-client-AbCdEf:SecretString:client_secret::}}',
      }),
    });
    template.hasResourceProperties('AWS::EC2::VerifiedAccessGroup', { PolicyDocument: Match.stringLikeRegexp('context.idp.email like "\\*@example.com"') });
  });

  test('gives the baseline the configured archive lock and leaves GuardDuty and Security Hub to the organization when told', () => {
    const stacks = stacksOf('serviceMesh', {}, (config) => ({
      ...config,
      logging: { archiveObjectLockDays: 730, archiveObjectLockMode: 'COMPLIANCE' },
      baselines: [{ region: 'us-east-1', existingGuardDutyDetectorId: 'a'.repeat(32), enableSecurityHub: false }],
    }));
    const template = Template.fromStack(stacks.baselines[0]);
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 730 } } },
    });
    template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    template.resourceCountIs('AWS::SecurityHub::Hub', 0);
  });

  test('records in the layered-defense template that the external issuer enforces MFA', () => {
    const stacks = stacksOf('layeredDefense', { externalIssuerEnforcesMfa: true }, (config) => ({
      ...config,
      identity: { type: 'oidc', issuer: 'https://login.example.com', jwksUri: 'https://login.example.com/.well-known/jwks.json' },
    }));
    expect(Template.fromStack(stacks.patterns.layeredDefense![0]).toJSON().Metadata).toMatchObject({
      'McpKit::IdentityLayer': { mfa: 'enforced by the external issuer https://login.example.com, as declared with externalIssuerEnforcesMfa' },
    });
  });
});
