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
  ];

  test.each(badConfigs)('fails for %s, naming the field and what is allowed', (_name, change, field, allowed) => {
    const problems = problemsOf(configWith(change));
    const problem = problems.find((p) => p.startsWith(`${field}:`));
    expect({ problems, found: problem !== undefined }).toEqual({ problems, found: true });
    expect(problem).toMatch(allowed);
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

describe('loadConfigFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-kit-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads YAML', () => {
    const file = path.join(dir, 'ok.yaml');
    fs.writeFileSync(file, 'version: 1\nendpoint: { domainName: mcp.example.org }\nidentity: { type: oidc, issuer: \'https://idp.example.org\' }\n' +
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
