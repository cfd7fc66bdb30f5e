import * as fs from 'fs';
import * as path from 'path';
import { GenerateDataKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { mockClient } from 'aws-sdk-client-mock';
import { deployedConfig, deployedString, onlyResource } from './cfn-values';
import { gatewayFixture, mcpGateway, PIN } from './fixture';
import { McpSecurityGatewayProps } from '../../lib/gateway';
import { RESULT_BLOCKED_ERROR_CODE } from '../../lib/gateway/private/audit-alarms';
import { checkPosture, GatewayConfigSchema, loadConfig } from '../../runtime/gateway/src/config';
import { encryptionContext } from '../../runtime/gateway/src/enforcement/audit/audit-record';
import { DataKeyCache } from '../../runtime/gateway/src/enforcement/audit/data-key-cache';
import { BusEvent, quarantineRequesterFromConfig } from '../../runtime/gateway/src/incidents';
import { silentLogger } from '../../runtime/gateway/src/observability/log';
import { Metrics } from '../../runtime/gateway/src/observability/metrics';
import { GatewayErrorCode } from '../../runtime/gateway/src/proxy/errors';
import { KmsSigner } from '../../runtime/gateway/src/tokens/kms-signer';
import { resolveSessionKey } from '../../runtime/gateway/src/transport/session-key';
import { parseQuarantineEvent } from '../../runtime/incident-response/src/quarantine-request';

/** What Secrets Manager generates for the session key: 64 letters and digits. */
const GENERATED_SESSION_KEY = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';

const WITH_EVERY_OPTION: Partial<McpSecurityGatewayProps> = {
  upstreams: [
    { name: 'github', url: 'https://github-mcp.internal.example.com/mcp', audience: 'urn:mcp:github', timeout: Duration.seconds(10) },
    { name: 'notes', url: 'https://notes.internal.example.com/mcp' },
  ],
  gatewayName: 'prod-gateway',
  tokenTtl: Duration.minutes(2),
  riskThresholds: { stepUp: 20, endSession: 80 },
  toolPins: { github: { search_code: PIN, create_issue: [PIN, `sha256:${'c'.repeat(64)}`] } },
  authorizationRules: [
    { kind: 'tool', match: 'github/*', requiredScopes: ['https://mcp.example.com/mcp/read'] },
    { kind: 'tool', match: 'github/create_*', groups: ['writers'], requiredScopes: ['https://mcp.example.com/mcp/write'], destructive: true },
  ],
};

/** The gateways every document test runs on. */
const VARIANTS: Array<[string, Partial<McpSecurityGatewayProps>]> = [['defaults', {}], ['every option', WITH_EVERY_OPTION]];

function synth(overrides: Partial<McpSecurityGatewayProps> = {}) {
  const fixture = gatewayFixture();
  const gateway = mcpGateway(fixture, overrides);
  return { template: Template.fromStack(fixture.stack), gateway };
}

/** Paths of `expected` (a document) whose value is missing or different in `actual` (what the runtime parsed). */
function lostFields(expected: unknown, actual: unknown, at = ''): string[] {
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [at || '(root)'];
    return Object.entries(expected as Record<string, unknown>)
      .flatMap(([key, value]) => lostFields(value, (actual as Record<string, unknown>)[key], at ? `${at}.${key}` : key));
  }
  return expected === actual ? [] : [at];
}

type Conditions = Record<string, Record<string, string | string[]>>;

/** Whether an IAM statement's `StringEquals` and `ForAllValues:StringEquals` conditions allow a request with `context`. */
function conditionsAllow(condition: Conditions, context: Record<string, string | string[]>): boolean {
  const equals = Object.entries(condition.StringEquals ?? {}).every(([key, allowed]) =>
    typeof context[key] === 'string' && [allowed].flat().includes(context[key] as string));
  const forAll = Object.entries(condition['ForAllValues:StringEquals'] ?? {}).every(([key, allowed]) =>
    [context[key] ?? []].flat().every((value) => [allowed].flat().includes(value)));
  return equals && forAll;
}

function taskRoleStatement(template: Template, sid: string): { Action: string; Resource: unknown; Condition?: Conditions } {
  const policy = onlyResource(template, 'AWS::IAM::ManagedPolicy', /TaskRoleGrants/).properties as { PolicyDocument: { Statement: Array<{ Sid: string }> } };
  const statement = policy.PolicyDocument.Statement.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`no statement ${sid}`);
  return statement as unknown as ReturnType<typeof taskRoleStatement>;
}

describe('the configuration document, checked by the gateway runtime', () => {
  // proves: zero-trust/continuous-verification, secure-by-default/fail-secure
  test.each(VARIANTS)('with %s, the runtime loads it with the injected session key and its production posture holds', (_name, overrides) => {
    // GIVEN
    const { template } = synth(overrides);

    // WHEN: the runtime's loader reads the two variables ECS injects
    const config = loadConfig({ env: { MCP_GATEWAY_CONFIG: deployedConfig(template), MCP_GATEWAY_SESSION_KEY: GENERATED_SESSION_KEY } });

    // THEN
    expect(config.mode).toBe('production');
    expect(config.server.tls).toEqual({ mode: 'load-balancer' });
    expect(config.sessions.key).toEqual({ source: 'inline', value: GENERATED_SESSION_KEY });
    expect(checkPosture(config)).toEqual({ violations: [], warnings: [] });
  });

  test.each(VARIANTS)('with %s, the runtime schema keeps every field the construct writes', (_name, overrides) => {
    // GIVEN
    const document = JSON.parse(deployedConfig(synth(overrides).template));

    // WHEN
    const parsed = GatewayConfigSchema.parse(document);

    // THEN: nothing was stripped as unknown or replaced by a default
    expect(lostFields(document, parsed)).toEqual([]);
  });

  // proves: defense-in-depth/authorization, defense-in-depth/application
  test('carries the authorization server, keys, upstreams and enforcement settings', () => {
    // GIVEN / WHEN
    const { template } = synth(WITH_EVERY_OPTION);
    const config = GatewayConfigSchema.parse(JSON.parse(deployedConfig(template)));

    // THEN
    const signingKey = onlyResource(template, 'AWS::KMS::Key', /Signing/).id.toLowerCase();
    const dataKey = onlyResource(template, 'AWS::KMS::Key', /Data/).id.toLowerCase();
    expect(config.server).toMatchObject({ publicUrl: 'https://mcp.example.com/mcp', port: 8080, host: '0.0.0.0' });
    expect(config.auth).toMatchObject({
      issuer: 'https://issuer.example.com',
      jwksUri: 'https://issuer.example.com/.well-known/jwks.json',
      audience: 'https://mcp.example.com/mcp',
      scopesSupported: ['https://mcp.example.com/mcp/read', 'https://mcp.example.com/mcp/write'],
    });
    expect(config.tokens).toEqual({ ttlSeconds: 120, refreshBeforeSeconds: 24, signer: { kind: 'kms', keyId: `arn:aws:kms:us-east-1:111111111111:key/${signingKey}` } });
    expect(config.upstreams).toEqual([
      { name: 'github', url: 'https://github-mcp.internal.example.com/mcp', audience: 'urn:mcp:github', timeoutMs: 10_000 },
      { name: 'notes', url: 'https://notes.internal.example.com/mcp', timeoutMs: 30_000 },
    ]);
    expect(config.enforcement.gatewayName).toBe('prod-gateway');
    expect(config.enforcement.pinning).toMatchObject({ mode: 'enforce', approved: WITH_EVERY_OPTION.toolPins });
    expect(config.enforcement.risk).toMatchObject({ stepUpThreshold: 20, endSessionThreshold: 80 });
    expect(config.enforcement.authorization.rules).toHaveLength(2);
    expect(config.enforcement.audit).toMatchObject({
      sink: { type: 'stdout', format: 'jsonl' },
      failureMode: 'closed',
      encryption: { kmsKeyId: `arn:aws:kms:us-east-1:111111111111:key/${dataKey}` },
    });
  });

  test('the task definition carries the same document as the SSM parameter, and no session key', () => {
    // GIVEN / WHEN
    const { template, gateway } = synth();
    const container = (onlyResource(template, 'AWS::ECS::TaskDefinition').properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }> }>)[0];

    // THEN
    expect(container.Environment.map((variable) => variable.Name)).toEqual(['MCP_GATEWAY_CONFIG']);
    expect(deployedString(template, container.Environment[0].Value)).toEqual(deployedConfig(template));
    expect(JSON.parse(deployedConfig(template)).sessions).toBeUndefined();
    expect(gateway.configDocument.mode).toBe('production');
  });

  test('the generated session key is key material the runtime accepts', async () => {
    // GIVEN: the shape Secrets Manager is asked for
    const { template } = synth();
    expect(onlyResource(template, 'AWS::SecretsManager::Secret').properties.GenerateSecretString)
      .toEqual({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false });

    // WHEN
    const key = await resolveSessionKey({ source: 'inline', value: GENERATED_SESSION_KEY });

    // THEN
    expect(key.length).toBe(48);
  });
});

// proves: zero-trust/least-privilege
describe('the task role matches what the runtime sends to KMS', () => {
  afterEach(() => mockClient(KMSClient).restore());

  test('the signer\'s Sign request meets the signing statement\'s condition, on the configured key', async () => {
    // GIVEN
    const { template } = synth();
    const config = GatewayConfigSchema.parse(JSON.parse(deployedConfig(template)));
    const kms = mockClient(KMSClient);
    kms.on(SignCommand).resolves({ Signature: new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]) });
    kms.on(GetPublicKeyCommand).rejects(new Error('not needed'));
    const keyId = config.tokens.signer.kind === 'kms' ? config.tokens.signer.keyId : '';

    // WHEN
    await new KmsSigner(new KMSClient({ region: 'us-east-1' }), keyId).sign(new TextEncoder().encode('header.payload'));

    // THEN
    const input = kms.commandCalls(SignCommand)[0].args[0].input;
    const statement = taskRoleStatement(template, 'SignUpstreamTokens');
    expect(deployedString(template, statement.Resource)).toBe(input.KeyId);
    expect(conditionsAllow(statement.Condition!, { 'kms:SigningAlgorithm': input.SigningAlgorithm! })).toBe(true);
    expect(conditionsAllow(statement.Condition!, { 'kms:SigningAlgorithm': 'RSASSA_PSS_SHA_256' })).toBe(false);
  });

  test('the audit data-key request meets the audit statement\'s encryption-context conditions', async () => {
    // GIVEN
    const { template } = synth({ gatewayName: 'prod-gateway' });
    const config = GatewayConfigSchema.parse(JSON.parse(deployedConfig(template)));
    const kms = mockClient(KMSClient);
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: new Uint8Array(32), CiphertextBlob: new Uint8Array(8) });
    const { kmsKeyId } = config.enforcement.audit.encryption!;
    const context = encryptionContext(config.enforcement.gatewayName, 'prod-gateway/2026-11-01T00:00:00.000Z/0a1b2c3d');

    // WHEN
    await new DataKeyCache(new KMSClient({ region: 'us-east-1' }), kmsKeyId, context, { maxAgeMs: 1000, maxUses: 1 }, () => 0).acquire();

    // THEN
    const input = kms.commandCalls(GenerateDataKeyCommand)[0].args[0].input;
    const statement = taskRoleStatement(template, 'EncryptAuditPayloads');
    const requestContext = (ctx: Record<string, string>) => ({
      ...Object.fromEntries(Object.entries(ctx).map(([key, value]) => [`kms:EncryptionContext:${key}`, value])),
      'kms:EncryptionContextKeys': Object.keys(ctx),
    });
    expect(deployedString(template, statement.Resource)).toBe(input.KeyId);
    expect(conditionsAllow(statement.Condition!, requestContext(input.EncryptionContext!))).toBe(true);
    expect(conditionsAllow(statement.Condition!, requestContext({ ...input.EncryptionContext!, gateway: 'other-gateway' }))).toBe(false);
    expect(conditionsAllow(statement.Condition!, requestContext({ ...input.EncryptionContext!, purpose: 'mcp-gateway-session-key' }))).toBe(false);
    expect(conditionsAllow(statement.Condition!, requestContext({ ...input.EncryptionContext!, extra: 'x' }))).toBe(false);
  });
});

describe('a quarantine request of the runtime meets the task role and the incident response', () => {
  test('the event the runtime puts on the bus is allowed by the events statement and accepted by the quarantine function', async () => {
    // GIVEN: a gateway whose notes upstream runs as an ECS service of cluster mcp
    const fixture = gatewayFixture();
    const serviceArn = 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes';
    mcpGateway(fixture, {
      quarantineRequestBus: new events.EventBus(fixture.subject, 'Incidents'),
      upstreams: [{ name: 'notes', url: 'https://notes.internal.example.com/mcp', ecsService: ecs.FargateService.fromServiceArnWithCluster(fixture.stack, 'Notes', serviceArn) }],
    });
    const template = Template.fromStack(fixture.stack);
    const config = loadConfig({ env: { MCP_GATEWAY_CONFIG: deployedConfig(template), MCP_GATEWAY_SESSION_KEY: GENERATED_SESSION_KEY } });
    const sent: BusEvent[] = [];

    // WHEN: the runtime sees an approved tool drift
    const requester = quarantineRequesterFromConfig(config, { publish: async (event) => { sent.push(event); } }, silentLogger, new Metrics());
    requester!.toolsPinned('notes', [{ detector: 'tool-drift', category: 'pinning', severity: 'high', action: 'block', location: 'tool:notes/search', message: 'changed' }]);
    await new Promise((resolve) => setImmediate(resolve));

    // THEN
    const [event] = sent;
    const statement = taskRoleStatement(template, 'RequestQuarantineOfUpstreams');
    expect(statement.Action).toBe('events:PutEvents');
    expect(deployedString(template, statement.Resource)).toBe(config.incidents.quarantineRequests.eventBusArn);
    expect(conditionsAllow(statement.Condition!, { 'events:source': event.source, 'events:detail-type': event.detailType })).toBe(true);
    expect(conditionsAllow(statement.Condition!, { 'events:source': 'aws.guardduty', 'events:detail-type': 'GuardDuty Finding' })).toBe(false);
    const envelope = { 'version': '0', 'source': event.source, 'detail-type': event.detailType, 'account': '111111111111', 'region': 'us-east-1', 'detail': event.detail };
    expect(parseQuarantineEvent(envelope, 'arn:aws:ecs:us-east-1:111111111111:cluster/mcp')).toEqual({
      serviceArn, trigger: { kind: 'quarantine-request', reason: 'gateway mcp-gateway: upstream notes: tool-drift: tool:notes/search: changed' },
    });
  });
});

// proves: observability
describe('the metric filters match what the runtime logs', () => {
  test('guardrail blocks are counted by the error code the runtime answers with', () => {
    expect(RESULT_BLOCKED_ERROR_CODE).toBe(GatewayErrorCode.ResultBlocked);
  });

  test('every audit-failure log line of the runtime matches the audit-failure filter', () => {
    // GIVEN: the error lines the runtime writes when an audit record fails
    const sources = ['src/proxy/deliver.ts', 'src/server.ts']
      .map((file) => fs.readFileSync(path.join(__dirname, '..', '..', 'runtime', 'gateway', file), 'utf8'));
    const messages = sources.flatMap((text) => [...text.matchAll(/log\.error\('(audit[^']*)'/g)].map((match) => match[1]));

    // THEN: two call sites, each message starting with the filter's prefix
    expect(messages).toHaveLength(2);
    expect(messages.every((message) => message.startsWith('audit record'))).toBe(true);
  });
});
