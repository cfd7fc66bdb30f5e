import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPosture, ConfigError, enforcePosture, loadConfig, parseConfig, PostureError } from '../../src/config';

const MINIMAL = {
  server: { publicUrl: 'https://mcp.example.com', tls: { mode: 'load-balancer' } },
  auth: { issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' },
  tokens: { signer: { kind: 'kms', keyId: 'alias/mcp-gateway-signing' } },
  sessions: { key: { source: 'secrets-manager', secretId: 'mcp/session-key' } },
  upstreams: [{ name: 'notes', url: 'https://notes.internal/mcp' }],
};

describe('gateway configuration', () => {
  test('applies secure defaults', () => {
    const config = parseConfig(MINIMAL);
    expect(config.mode).toBe('production');
    expect(config.security).toEqual({ verifyAudience: true, validateOrigin: true, tokenPassthrough: false });
    expect(config.auth.algorithms).toEqual(['ES256', 'RS256']);
    expect(config.server.limits).toEqual({ maxBodyBytes: 1048576, maxHeaderBytes: 16384, maxBatchSize: 10, requestTimeoutMs: 120000 });
    expect(config.enforcement.audit.failureMode).toBe('closed');
    expect(checkPosture(config)).toEqual({ violations: [], warnings: [] });
  });

  test('fails naming every bad field, including none and HS256 algorithms', () => {
    let error: unknown;
    try {
      parseConfig({ ...MINIMAL, auth: { ...MINIMAL.auth, algorithms: ['none', 'HS256'] }, upstreams: [{ name: 'Bad_Name', url: 'ftp://x' }], extra: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('auth.algorithms.0: expected one of ES256');
    expect(message).toContain('auth.algorithms.1: expected one of ES256');
    expect(message).toContain('upstreams.0.name: expected 1-31 lower-case letters');
    expect(message).toContain('upstreams.0.url: expected an http(s) URL');
    expect(message).toContain('(root): Unrecognized key: "extra"');
  });

  test('fails when both or neither of jwksUri and jwks are set', () => {
    expect(() => parseConfig({ ...MINIMAL, auth: { issuer: 'x' } })).toThrow('auth.jwksUri: set exactly one of jwksUri or jwks');
  });

  test('fails on duplicate upstream names and on an enforcement field', () => {
    expect(() => parseConfig({ ...MINIMAL, upstreams: [MINIMAL.upstreams[0], MINIMAL.upstreams[0]] })).toThrow('upstreams: upstream names must be unique');
    expect(() => parseConfig({ ...MINIMAL, enforcement: { audit: { failureMode: 'sometimes' } } })).toThrow(/enforcement\.audit\.failureMode/);
  });

  test('quarantine requests are off by default; on, they need a bus ARN, and upstreams name their ECS service by ARN', () => {
    expect(parseConfig(MINIMAL).incidents).toEqual({ quarantineRequests: { enabled: false, triggers: ['tool-drift', 'tool-renamed'], minIntervalSeconds: 900 } });
    const on = parseConfig({
      ...MINIMAL,
      upstreams: [{ ...MINIMAL.upstreams[0], ecsServiceArn: 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes' }],
      incidents: { quarantineRequests: { enabled: true, eventBusArn: 'arn:aws:events:us-east-1:111111111111:event-bus/default', triggers: ['injection-in-result'] } },
    });
    expect(on.incidents.quarantineRequests).toMatchObject({ enabled: true, triggers: ['injection-in-result'] });
    expect(() => parseConfig({ ...MINIMAL, incidents: { quarantineRequests: { enabled: true } } }))
      .toThrow('incidents.quarantineRequests.eventBusArn: required when quarantine requests are enabled');
    expect(() => parseConfig({ ...MINIMAL, incidents: { quarantineRequests: { eventBusArn: 'default', triggers: ['tool-new'], minIntervalSeconds: 1 } } }))
      .toThrow(/eventBusArn: expected an EventBridge event bus ARN[\s\S]*triggers\.0: Invalid option[\s\S]*minIntervalSeconds: Too small/);
    expect(() => parseConfig({ ...MINIMAL, upstreams: [{ ...MINIMAL.upstreams[0], ecsServiceArn: 'arn:aws:ecs:us-east-1:111111111111:service/notes' }] }))
      .toThrow('upstreams.0.ecsServiceArn: expected an ECS service ARN of the form arn:aws:ecs:<region>:<account>:service/<cluster>/<service>');
  });

  test('loads YAML from a file and applies environment overrides, naming the source of a bad value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-config-'));
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, [
      'server:', '  publicUrl: https://mcp.example.com', '  tls: { mode: load-balancer }',
      'auth:', '  issuer: https://issuer.example.com', '  jwksUri: https://issuer.example.com/jwks',
      'tokens: { signer: { kind: local } }',
      'upstreams:', '  - name: notes', '    url: https://notes.internal/mcp',
    ].join('\n'));
    const config = loadConfig({ file, env: { MCP_GATEWAY_PORT: '9443', MCP_GATEWAY_SIGNING_KEY_ID: 'alias/k', MCP_GATEWAY_SESSION_KEY: Buffer.alloc(32).toString('base64') } });
    expect(config.server.port).toBe(9443);
    expect(config.tokens.signer).toEqual({ kind: 'kms', keyId: 'alias/k' });
    expect(config.sessions.key.source).toBe('inline');
    expect(() => loadConfig({ file, env: { MCP_GATEWAY_PORT: 'eighty' } })).toThrow('server.port: Invalid input: expected number, received string [from MCP_GATEWAY_PORT]');
  });

  test('reads the whole document from MCP_GATEWAY_CONFIG and fails without any source', () => {
    expect(loadConfig({ env: { MCP_GATEWAY_CONFIG: JSON.stringify(MINIMAL) } }).upstreams[0].name).toBe('notes');
    expect(() => loadConfig({ env: {} })).toThrow('no configuration: set MCP_GATEWAY_CONFIG_FILE');
    expect(() => loadConfig({ env: { MCP_GATEWAY_CONFIG: '{' } })).toThrow('MCP_GATEWAY_CONFIG: not valid JSON');
  });
});

// proves: secure-by-default/fail-secure
describe('startup posture', () => {
  test.each([
    ['security.verifyAudience is false', { security: { verifyAudience: false } }],
    ['security.validateOrigin is false', { security: { validateOrigin: false } }],
    ['security.tokenPassthrough is true', { security: { tokenPassthrough: true } }],
    ['server.tls is not set', { server: { publicUrl: 'https://mcp.example.com' } }],
    ['is not https', { server: { publicUrl: 'http://mcp.example.com', tls: { mode: 'load-balancer' } } }],
    ['tokens.signer.kind is local', { tokens: { signer: { kind: 'local' } } }],
  ])('fails to start in production when %s', (text, override) => {
    const config = parseConfig({ ...MINIMAL, ...override });
    expect(() => enforcePosture(config, () => undefined)).toThrow(PostureError);
    expect(() => enforcePosture(config, () => undefined)).toThrow(text);
  });

  test('development mode starts with the same weakening but warns loudly every time', () => {
    const config = parseConfig({ ...MINIMAL, mode: 'development', security: { verifyAudience: false } });
    const warnings: string[] = [];
    enforcePosture(config, (m) => warnings.push(m));
    expect(warnings[0]).toContain('!!! DEVELOPMENT MODE: NOT FOR PRODUCTION');
    expect(warnings).toContain('!!! security.verifyAudience is false: tokens issued for other resources would be accepted (MCP authorization, RFC 8707)');
  });

  test('token passthrough is refused even in development mode', () => {
    const config = parseConfig({ ...MINIMAL, mode: 'development', security: { tokenPassthrough: true } });
    expect(() => enforcePosture(config, () => undefined)).toThrow('token passthrough is forbidden by the MCP specification');
  });
});
