import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_CONFIG } from '../../bin/config/default-config';
import { ConfigError, loadConfigFile, validateConfig } from '../../bin/config/load';
import { KitConfigInput } from '../../bin/config/schema';

/**
 * What the bad-config cases mutate. Deliberately untyped: each case writes a value the schema's
 * type forbids (a public server, a string port…), which is exactly what validation must catch.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type UntypedConfig = any;

/** A deep copy of the default config with `change` applied. */
function configWith(change: (config: UntypedConfig) => void): KitConfigInput {
  const config = JSON.parse(JSON.stringify(DEFAULT_CONFIG));
  change(config);
  return config;
}

/** A Verified Access OIDC client as a user writes it: the secret by reference only. */
const VERIFIED_ACCESS_OIDC = {
  issuer: 'https://login.example.com',
  authorizationEndpoint: 'https://login.example.com/oauth2/authorize',
  tokenEndpoint: 'https://login.example.com/oauth2/token',
  userInfoEndpoint: 'https://login.example.com/oauth2/userinfo',
  clientId: 'verified-access',
  clientSecret: { secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mcp/verified-access-AbCdEf', jsonField: 'client_secret' },
};

/** An external issuer as the authorization server. */
const OIDC_IDENTITY = { type: 'oidc', issuer: 'https://login.example.com', jwksUri: 'https://login.example.com/.well-known/jwks.json' };

/** A hub in account 111111111111 and spoke `payments` in 222222222222 hosting a second server, `invoices`. */
function withPaymentsSpoke(c: UntypedConfig): void {
  c.patterns.federatedGateway.env.account = '111111111111';
  c.patterns.federatedGateway.spokes = [{ name: 'payments', env: { account: '222222222222', region: 'us-east-1' } }];
  c.mcpServers.push({ ...c.mcpServers[0], name: 'invoices', spoke: 'payments' });
}

/** The outputs of the deployed payments spoke for `invoices`. */
const INVOICES_ENDPOINT = {
  server: 'invoices',
  url: 'https://invoices-0a1b2c3d4e5f60718.7d67968.vpc-lattice-svcs.us-east-1.on.aws/mcp',
  serviceArn: 'arn:aws:vpc-lattice:us-east-1:222222222222:service/svc-0a1b2c3d4e5f60718',
};

function problemsOf(config: unknown): readonly string[] {
  try {
    validateConfig(config, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('validateConfig', () => {
  test('accepts the embedded default and applies defaults', () => {
    const config = validateConfig(DEFAULT_CONFIG);
    expect(config.logging.retentionDays).toBe(365);
    expect(config.gateway.auditFailClosed).toBe(true);
    expect(config.mcpServers[0].desiredCount).toBe(2);
    expect(config.mcpServers[0].awsAccess).toEqual([]);
  });

  // Each case: the change, the field path the message must name, and words of what is allowed.
  const badConfigs: Array<[string, (c: UntypedConfig) => void, string, RegExp]> = [
    ['a public MCP server', (c) => { c.mcpServers[0].public = true; }, 'mcpServers[0].public', /never public/],
    ['log retention below the floor', (c) => { c.logging = { retentionDays: 30 }; }, 'logging.retentionDays', /got 30; .*at least 365/],
    ['a wildcard action for a server', (c) => { c.mcpServers[0].awsAccess = [{ actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] }]; }, 'mcpServers[0].awsAccess[0].actions[0]', /wildcards .* refused/],
    ['a wildcard resource for a server', (c) => { c.mcpServers[0].awsAccess = [{ actions: ['s3:GetObject'], resources: ['*'] }]; }, 'mcpServers[0].awsAccess[0].resources[0]', /'\*' is refused/],
    ['one availability zone', (c) => { c.patterns.layeredDefense.env.availabilityZones = ['us-east-1a']; }, 'patterns.layeredDefense.env.availabilityZones', /at least 2 availability zones/],
    ['an AZ of another region', (c) => { c.patterns.serviceMesh.env.availabilityZones = ['us-east-1a', 'eu-west-1b']; }, 'patterns.serviceMesh.env.availabilityZones', /belong to the region/],
    ['a bad account id', (c) => { c.patterns.serviceMesh.env.account = '1234'; }, 'patterns.serviceMesh.env.account', /12 digits/],
    ['a bad region', (c) => { c.patterns.serviceMesh.env.region = 'mars-1'; }, 'patterns.serviceMesh.env.region', /AWS region/],
    ['an image tagged latest', (c) => { c.mcpServers[0].image = 'public.ecr.aws/acme/server:latest'; }, 'mcpServers[0].image', /':latest' is refused/],
    ['an image directory escaping the repo', (c) => { c.mcpServers[0].image = { directory: '../elsewhere' }; }, 'mcpServers[0].image.directory', /without \.\./],
    ['a privileged port', (c) => { c.mcpServers[0].port = 80; }, 'mcpServers[0].port', /non-root/],
    ['a single task', (c) => { c.mcpServers[0].desiredCount = 1; }, 'mcpServers[0].desiredCount', /at least 2 tasks/],
    ['a secret in plain environment', (c) => { c.mcpServers[0].environment = { DB_PASSWORD: 'hunter2' }; }, 'mcpServers[0].environment', /Secrets Manager/],
    ['a secret that is not in Secrets Manager', (c) => { c.mcpServers[0].secrets = { DB: 'arn:aws:ssm:us-east-1:111111111111:parameter/db' }; }, 'mcpServers[0].secrets.DB', /Secrets Manager secret ARN/],
    ['a tool in an undeclared group', (c) => { c.mcpServers[0].tools.push({ name: 'x', group: 'admin' }); }, 'mcpServers[0].tools', /toolGroups/],
    ['duplicate server names', (c) => { c.mcpServers.push({ ...c.mcpServers[0] }); }, 'mcpServers', /unique/],
    ['a non-https OIDC issuer', (c) => { c.identity = { type: 'oidc', issuer: 'http://idp.example.com' }; }, 'identity.issuer', /https/],
    ['an http redirect URI that is not loopback', (c) => { c.identity.clients[0].callbackUrls = ['http://evil.example.com/cb']; }, 'identity.clients[0].callbackUrls[0]', /RFC 8252/],
    ['long-lived access tokens', (c) => { c.identity.accessTokenMinutes = 240; }, 'identity.accessTokenMinutes', /at most 60 minutes/],
    ['long-lived upstream tokens', (c) => { c.gateway = { upstreamTokenSeconds: 3600 }; }, 'gateway.upstreamTokenSeconds', /at most 900 seconds/],
    ['audit that fails open', (c) => { c.gateway = { auditFailClosed: false }; }, 'gateway.auditFailClosed', /fail closed/],
    ['risk thresholds inverted', (c) => { c.gateway = { riskStepUpScore: 90, riskEndSessionScore: 50 }; }, 'gateway.riskEndSessionScore', /greater than/],
    ['a CIDR too large', (c) => { c.patterns.zeroTrustNetwork.cidr = '10.0.0.0/8'; }, 'patterns.zeroTrustNetwork.cidr', /between \/16 and \/22/],
    ['allowed domains without a firewall', (c) => { c.patterns.zeroTrustNetwork.allowedDomains = ['api.example.com']; }, 'patterns.zeroTrustNetwork.allowedDomains', /egress: 'firewall'/],
    ['no pattern enabled', (c) => { for (const p of Object.values<UntypedConfig>(c.patterns)) p.enabled = false; }, 'patterns', /at least one pattern/],
    ['an unknown field', (c) => { c.mcpServers[0].assignPublicIp = true; }, 'mcpServers[0]', /unknown field\(s\) 'assignPublicIp'/],
    ['an unsupported version', (c) => { c.version = 2; }, 'version', /only supported config version is 1/],
    ['an unknown identity type', (c) => { c.identity = { type: 'saml' }; }, 'identity.type', /got "saml"/],
    ['a firewall that allows no domain', (c) => { c.patterns.zeroTrustNetwork.egress = 'firewall'; }, 'patterns.zeroTrustNetwork.allowedDomains', /at least one domain/],
    // Zero trust: Verified Access.
    ['Verified Access without its OIDC client', (c) => { c.patterns.zeroTrustNetwork.verifiedAccess = true; }, 'patterns.zeroTrustNetwork.verifiedAccessOidc', /got nothing; .*required with verifiedAccess: true/],
    ['Verified Access in front of an internet-facing load balancer', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: VERIFIED_ACCESS_OIDC, internetFacing: true });
    }, 'patterns.zeroTrustNetwork.internetFacing', /got true; .*replaces the public load balancer/],
    ['Verified Access settings without Verified Access', (c) => { c.patterns.zeroTrustNetwork.verifiedAccessOidc = VERIFIED_ACCESS_OIDC; }, 'patterns.zeroTrustNetwork.verifiedAccessOidc', /only with verifiedAccess: true/],
    ['a Verified Access client secret written in the config', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: { ...VERIFIED_ACCESS_OIDC, clientSecret: 's3cr3t-value' } });
    }, 'patterns.zeroTrustNetwork.verifiedAccessOidc.clientSecret', /got a value \(not shown\); .*never goes in the config/],
    ['a Verified Access client secret outside Secrets Manager', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: { ...VERIFIED_ACCESS_OIDC, clientSecret: { secretArn: 'arn:aws:ssm:us-east-1:111111111111:parameter/va' } } });
    }, 'patterns.zeroTrustNetwork.verifiedAccessOidc.clientSecret.secretArn', /Secrets Manager secret ARN/],
    ['a Verified Access token endpoint with a query', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: { ...VERIFIED_ACCESS_OIDC, tokenEndpoint: 'https://login.example.com/token?tenant=a' } });
    }, 'patterns.zeroTrustNetwork.verifiedAccessOidc.tokenEndpoint', /without credentials, query or fragment/],
    ['a Verified Access issuer over http', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: { ...VERIFIED_ACCESS_OIDC, issuer: 'http://login.example.com' } });
    }, 'patterns.zeroTrustNetwork.verifiedAccessOidc.issuer', /https/],
    ['a Verified Access client id with spaces', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: { ...VERIFIED_ACCESS_OIDC, clientId: 'verified access' } });
    }, 'patterns.zeroTrustNetwork.verifiedAccessOidc.clientId', /client id registered for Verified Access/],
    ['a Verified Access secret JSON key with a colon', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: { ...VERIFIED_ACCESS_OIDC, clientSecret: { ...VERIFIED_ACCESS_OIDC.clientSecret, jsonField: 'a:b' } } });
    }, 'patterns.zeroTrustNetwork.verifiedAccessOidc.clientSecret.jsonField', /without ':'/],
    ['Verified Access scopes without openid', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: { ...VERIFIED_ACCESS_OIDC, scope: 'email profile' } });
    }, 'patterns.zeroTrustNetwork.verifiedAccessOidc.scope', /include 'openid'/],
    ['a Verified Access policy that is not Cedar', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: VERIFIED_ACCESS_OIDC, verifiedAccessPolicy: 'allow everyone' });
    }, 'patterns.zeroTrustNetwork.verifiedAccessPolicy', /a Cedar policy set; the parser says: /],
    ['a Verified Access policy without any policy', (c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: VERIFIED_ACCESS_OIDC, verifiedAccessPolicy: '// nobody' });
    }, 'patterns.zeroTrustNetwork.verifiedAccessPolicy', /denies everyone/],
    // Federated gateway: spokes and remote endpoints.
    ['a spoke in another region', (c) => { withPaymentsSpoke(c); c.patterns.federatedGateway.spokes[0].env.region = 'eu-west-1'; }, 'patterns.federatedGateway.spokes[0].env.region', /got "eu-west-1"; expected the hub's region, us-east-1/],
    ['a spoke account with an environment-agnostic hub', (c) => { withPaymentsSpoke(c); delete c.patterns.federatedGateway.env.account; }, 'patterns.federatedGateway.env.account', /spoke 'payments' names one/],
    ['spoke egress through a firewall', (c) => { withPaymentsSpoke(c); c.patterns.federatedGateway.spokes[0].egress = 'firewall'; }, 'patterns.federatedGateway.spokes[0].egress', /got "firewall"; expected one of "none"\|"nat"$/],
    ['a spoke CIDR too large', (c) => { withPaymentsSpoke(c); c.patterns.federatedGateway.spokes[0].cidr = '10.0.0.0/8'; }, 'patterns.federatedGateway.spokes[0].cidr', /between \/16 and \/22/],
    ['two spokes of one name', (c) => { withPaymentsSpoke(c); c.patterns.federatedGateway.spokes.push(c.patterns.federatedGateway.spokes[0]); }, 'patterns.federatedGateway.spokes', /unique/],
    ['a server in an undeclared spoke', (c) => { c.mcpServers[0].spoke = 'billing'; }, 'mcpServers[0].spoke', /got "billing"; expected one of the spokes .*\(default\)/],
    ['a spoke that hosts no server', (c) => { withPaymentsSpoke(c); c.mcpServers.pop(); }, 'patterns.federatedGateway.spokes[0].name', /hosts a server/],
    ['a remote endpoint of a server in the hub\'s account', (c) => {
      withPaymentsSpoke(c); c.patterns.federatedGateway.remoteEndpoints = [{ ...INVOICES_ENDPOINT, server: 'sample' }];
    }, 'patterns.federatedGateway.remoteEndpoints[0].server', /got "sample"; expected a server hosted by a spoke in another account \(invoices\)/],
    ['a remote endpoint that is no Lattice service', (c) => {
      withPaymentsSpoke(c); c.patterns.federatedGateway.remoteEndpoints = [{ ...INVOICES_ENDPOINT, serviceArn: 'arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/app/x/1' }];
    }, 'patterns.federatedGateway.remoteEndpoints[0].serviceArn', /<Server>ServiceArn output/],
    ['a remote endpoint in another region', (c) => {
      withPaymentsSpoke(c); c.patterns.federatedGateway.remoteEndpoints = [{ ...INVOICES_ENDPOINT, serviceArn: INVOICES_ENDPOINT.serviceArn.replace('us-east-1', 'eu-west-1') }];
    }, 'patterns.federatedGateway.remoteEndpoints[0].serviceArn', /hub's region, us-east-1/],
    ['a remote endpoint of another account than the spoke\'s', (c) => {
      withPaymentsSpoke(c); c.patterns.federatedGateway.remoteEndpoints = [{ ...INVOICES_ENDPOINT, serviceArn: INVOICES_ENDPOINT.serviceArn.replace('222222222222', '333333333333') }];
    }, 'patterns.federatedGateway.remoteEndpoints[0].serviceArn', /of account 222222222222, where the spoke of server 'invoices' runs/],
    ['two remote endpoints for one server', (c) => {
      withPaymentsSpoke(c); c.patterns.federatedGateway.remoteEndpoints = [INVOICES_ENDPOINT, INVOICES_ENDPOINT];
    }, 'patterns.federatedGateway.remoteEndpoints', /one endpoint per server/],
    ['a remote endpoint URL over http', (c) => {
      withPaymentsSpoke(c); c.patterns.federatedGateway.remoteEndpoints = [{ ...INVOICES_ENDPOINT, url: INVOICES_ENDPOINT.url.replace('https', 'http') }];
    }, 'patterns.federatedGateway.remoteEndpoints[0].url', /<Server>Url output/],
    // Layered defense: who enforces MFA.
    ['an external issuer without its JWKS URL', (c) => { c.identity = { ...OIDC_IDENTITY, jwksUri: undefined }; }, 'identity.jwksUri', /missing; expected the issuer's jwks_uri/],
    ['an external issuer not declared to enforce MFA', (c) => { c.identity = OIDC_IDENTITY; }, 'patterns.layeredDefense.externalIssuerEnforcesMfa', /got nothing; expected true once the issuer https:\/\/login.example.com requires MFA/],
    ['an MFA statement about the kit\'s own user pool', (c) => { c.patterns.layeredDefense.externalIssuerEnforcesMfa = true; }, 'patterns.layeredDefense.externalIssuerEnforcesMfa', /got true; expected false .*with identity type cognito/],
    ['Shield Advanced on an internal endpoint', (c) => { Object.assign(c.patterns.layeredDefense, { shieldAdvanced: true, internetFacing: false }); }, 'patterns.layeredDefense.shieldAdvanced', /only with internetFacing: true/],
    // Baselines: settings only for where stacks are, one per account and region.
    ['baseline settings for a region without stacks', (c) => { c.baselines = [{ region: 'eu-west-1', enableSecurityHub: false }]; }, 'baselines[0]', /the account and region of an enabled pattern or spoke \(\(any account\)\/us-east-1\), not \(any account\)\/eu-west-1/],
    ['two baseline entries for one account and region', (c) => { c.baselines = [{ region: 'us-east-1' }, { region: 'us-east-1' }]; }, 'baselines', /one entry per account and region/],
    ['a malformed GuardDuty detector id', (c) => { c.baselines = [{ region: 'us-east-1', existingGuardDutyDetectorId: 'det-123' }]; }, 'baselines[0].existingGuardDutyDetectorId', /32 lowercase hexadecimal/],
  ];

  test.each(badConfigs)('fails for %s, naming the field and what is allowed', (_name, change, field, allowed) => {
    const problems = problemsOf(configWith(change));
    const problem = problems.find((p) => p.startsWith(`${field}:`));
    expect({ problems, found: problem !== undefined }).toEqual({ problems, found: true });
    expect(problem).toMatch(allowed);
  });

  test('never echoes a value that may be a secret', () => {
    const problems = problemsOf(configWith((c) => {
      c.mcpServers[0].environment = { DB_PASSWORD: 'hunter2' };
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: { ...VERIFIED_ACCESS_OIDC, clientSecret: 's3cr3t-value' } });
    }));
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toMatch(/hunter2|s3cr3t-value/);
    expect(problems).toContainEqual(expect.stringMatching(/^mcpServers\[0\]\.environment: got variables DB_PASSWORD \(values not shown\)/));
  });

  test('says which required field is missing', () => {
    expect(problemsOf(configWith((c) => { delete c.endpoint.domainName; }))).toEqual(['endpoint.domainName: missing; expected a string (the field is required)']);
  });

  test('fails with one message per problem', () => {
    const problems = problemsOf(configWith((c) => {
      c.mcpServers[0].port = 80;
      c.mcpServers[0].desiredCount = 1;
      c.logging = { retentionDays: 7 };
    }));
    expect(problems).toHaveLength(3);
  });
});

describe('validateConfig of the pattern options', () => {
  test('accepts Verified Access with an OIDC client whose secret is a reference, internal by default', () => {
    const config = validateConfig(configWith((c) => {
      Object.assign(c.patterns.zeroTrustNetwork, { verifiedAccess: true, verifiedAccessOidc: VERIFIED_ACCESS_OIDC, verifiedAccessPolicy: 'permit(principal, action, resource) when { context.idp.email like "*@example.com" };' });
    }));
    const zeroTrust = config.patterns.zeroTrustNetwork!;
    expect(zeroTrust.internetFacing).toBeUndefined();
    expect(zeroTrust.verifiedAccessOidc).toEqual({ ...VERIFIED_ACCESS_OIDC, scope: 'openid' });
    expect(zeroTrust.verifiedAccessPolicy).toMatch(/^permit/);
  });

  test('accepts spokes with their own CIDR, zones and egress, and remote endpoints of servers in other accounts', () => {
    const config = validateConfig(configWith((c) => {
      withPaymentsSpoke(c);
      Object.assign(c.patterns.federatedGateway.spokes[0], { cidr: '10.60.0.0/20', egress: 'nat' });
      c.patterns.federatedGateway.spokes[0].env.availabilityZones = ['us-east-1c', 'us-east-1d'];
      c.patterns.federatedGateway.remoteEndpoints = [INVOICES_ENDPOINT];
    }));
    const federated = config.patterns.federatedGateway!;
    expect(federated.spokes).toEqual([{
      name: 'payments',
      env: { account: '222222222222', region: 'us-east-1', availabilityZones: ['us-east-1c', 'us-east-1d'] },
      cidr: '10.60.0.0/20',
      egress: 'nat',
    }]);
    expect(federated.remoteEndpoints).toEqual([INVOICES_ENDPOINT]);
  });

  test('defaults spoke egress to none and remote endpoints to none', () => {
    const federated = validateConfig(configWith(withPaymentsSpoke)).patterns.federatedGateway!;
    expect(federated.spokes[0].egress).toBe('none');
    expect(federated.remoteEndpoints).toEqual([]);
  });

  test('accepts the layered-defense pattern with an external issuer declared to enforce MFA', () => {
    const config = validateConfig(configWith((c) => {
      c.identity = OIDC_IDENTITY;
      c.patterns.layeredDefense.externalIssuerEnforcesMfa = true;
    }));
    expect(config.patterns.layeredDefense?.externalIssuerEnforcesMfa).toBe(true);
    expect(validateConfig(DEFAULT_CONFIG).patterns.layeredDefense?.externalIssuerEnforcesMfa).toBe(false);
  });
});

describe('loadConfigFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-kit-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads YAML', () => {
    const file = path.join(dir, 'ok.yaml');
    fs.writeFileSync(file, 'version: 1\nendpoint: { domainName: mcp.example.org }\nidentity: { type: oidc, issuer: \'https://idp.example.org\', jwksUri: \'https://idp.example.org/jwks\' }\n' +
      'mcpServers:\n  - name: s\n    image: public.ecr.aws/acme/s:1.0.0\n    toolGroups: [{ name: read, description: Read }]\n' +
      'patterns:\n  serviceMesh:\n    env: { region: eu-west-1 }\n');
    expect(loadConfigFile(file).patterns.serviceMesh?.env.region).toBe('eu-west-1');
  });

  test('fails on duplicate YAML keys', () => {
    const file = path.join(dir, 'dup.yaml');
    fs.writeFileSync(file, 'version: 1\nversion: 1\n');
    expect(() => loadConfigFile(file)).toThrow(/config: not valid YAML/);
  });

  test('fails on an unsupported extension', () => {
    expect(() => loadConfigFile(path.join(dir, 'config.toml'))).toThrow(/must end in .yaml, .yml or .json, got '.toml'/);
  });

  test('fails on a missing file', () => {
    expect(() => loadConfigFile(path.join(dir, 'missing.json'))).toThrow(/cannot read the file \(ENOENT\)/);
  });
});
