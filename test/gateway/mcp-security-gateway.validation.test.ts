import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { endpoint, gatewayFixture, mcpGateway, PIN, PUBLIC_URL } from './fixture';
import { McpSecurityGatewayProps } from '../../lib/gateway';
import { McpIdentity } from '../../lib/identity';

const OUT_OF_RANGE_TTLS: Array<[Duration, string]> = [
  [Duration.seconds(30), '30 seconds'],
  [Duration.hours(2), '7200 seconds'],
  [Duration.millis(90_500), '90.5 seconds'],
];
const ISSUER = { issuer: 'https://issuer.example.com', toolGroups: [{ name: 'read', description: 'Read-only tools' }] };

/** The error message of building a gateway with `overrides`, or '' if it builds. */
function buildError(overrides: Partial<McpSecurityGatewayProps>): string {
  try {
    mcpGateway(gatewayFixture(), overrides);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('McpSecurityGateway validation', () => {
  // proves: secure-by-default/encryption
  test('fails with an http publicUrl', () => {
    expect(buildError({ publicUrl: 'http://mcp.example.com/mcp' }))
      .toMatch(/publicUrl must use https \(clients send bearer tokens to it\), got 'http:\/\/mcp.example.com\/mcp'/);
  });

  test('fails with a publicUrl that is not a URL or has a query', () => {
    expect(buildError({ publicUrl: 'mcp.example.com' })).toMatch(/publicUrl must be an absolute https URL, got 'mcp.example.com'/);
    expect(buildError({ publicUrl: `${PUBLIC_URL}?x=1` })).toMatch(/publicUrl is a canonical resource URI and must have no query or fragment/);
  });

  test('fails when publicUrl is not the resource the authorization server binds tokens to', () => {
    expect(buildError({ publicUrl: 'https://other.example.com/mcp' }))
      .toMatch(/publicUrl 'https:\/\/other.example.com\/mcp' differs from the resource 'https:\/\/mcp.example.com\/mcp' the authorization server binds tokens to/);
  });

  test('fails when the authorization server has no JWKS URL', () => {
    const authorizationServer = McpIdentity.fromOidcIssuer({ ...ISSUER, resource: PUBLIC_URL });
    expect(buildError({ authorizationServer })).toMatch(/authorizationServer has no jwksUri/);
  });

  test('fails when the load balancer health-checks another path than /healthz', () => {
    const fixture = gatewayFixture();
    const loadBalancer = endpoint(fixture, { webAcl: {} });
    expect(() => mcpGateway(fixture, { loadBalancer }))
      .toThrow(/loadBalancer answers health checks on '\/health'; the gateway serves '\/healthz', so create the SecureLoadBalancer with webAcl.healthPath '\/healthz'/);
  });

  test('fails when the load balancer does not admit /mcp', () => {
    const fixture = gatewayFixture();
    const loadBalancer = endpoint(fixture, { webAcl: { healthPath: '/healthz', mcpPaths: ['/api/mcp'] } });
    expect(() => mcpGateway(fixture, { loadBalancer })).toThrow(/loadBalancer admits the MCP paths \["\/api\/mcp"\]; the gateway serves '\/mcp'/);
  });

  test('fails with no upstreams', () => {
    expect(buildError({ upstreams: [] })).toMatch(/upstreams must list at least one upstream MCP server/);
  });

  test('fails with duplicate upstream names', () => {
    const url = 'https://a.example.com/mcp';
    expect(buildError({ upstreams: [{ name: 'github', url }, { name: 'notes', url }, { name: 'github', url }] }))
      .toMatch(/upstreams\[2\].name 'github' is used by an earlier upstream; names must be unique/);
  });

  test('fails with a malformed upstream name, a plain-HTTP url, an empty audience or an out-of-range timeout', () => {
    const message = buildError({
      upstreams: [
        { name: 'GitHub_MCP', url: 'https://a.example.com/mcp' },
        { name: 'notes', url: 'http://notes.internal/mcp', audience: ' ', timeout: Duration.minutes(11) },
      ],
    });
    expect(message).toMatch(/upstreams\[0\].name must be 1 to 31 lowercase letters, digits or '-', starting with a letter, got 'GitHub_MCP'/);
    expect(message).toMatch(/upstreams\[1\].url must be an https URL \(the gateway sends upstreams bearer tokens\), got 'http:\/\/notes.internal\/mcp'; an http URL is accepted only for a Service Connect TLS server/);
    expect(message).toMatch(/upstreams\[1\].audience must not be empty/);
    expect(message).toMatch(/upstreams\[1\].timeout must be from 100 milliseconds to 10 minutes, got 11 minutes/);
  });

  // proves: secure-by-default/encryption
  test('accepts an http Service Connect endpoint only with transport service-connect-tls', () => {
    expect(buildError({ upstreams: [{ name: 'notes', url: 'http://notes:8080/mcp', transport: 'service-connect-tls' }] })).toBe('');
    expect(buildError({ upstreams: [{ name: 'notes', url: 'http://notes:8080/mcp' }] }))
      .toMatch(/upstreams\[0\].url must be an https URL/);
  });

  test.each([
    'http://notes.internal:8080/mcp',
    'http://notes/mcp',
    'https://notes:8080/mcp',
    'http://user:pw@notes:8080/mcp',
  ])('fails with transport service-connect-tls and the URL %s', (url) => {
    expect(buildError({ upstreams: [{ name: 'notes', url, transport: 'service-connect-tls' }] }))
      .toMatch(/upstreams\[0\].url must be a Service Connect endpoint 'http:\/\/<alias>:<port><path>' \(one DNS label, explicit port\) with transport 'service-connect-tls'/);
  });

  test.each([
    [{ stepUp: 100, endSession: 100 }],
    [{ stepUp: 80, endSession: 50 }],
    [{ stepUp: -1, endSession: 50 }],
    [{ stepUp: 10, endSession: Number.POSITIVE_INFINITY }],
  ])('fails with risk thresholds %j', (riskThresholds) => {
    expect(buildError({ riskThresholds }))
      .toMatch(new RegExp(`riskThresholds must be positive with stepUp below endSession, got stepUp ${riskThresholds.stepUp} and endSession ${riskThresholds.endSession}`));
  });

  // proves: zero-trust/just-in-time
  test.each(OUT_OF_RANGE_TTLS)('fails with a token TTL of %s', (tokenTtl, shown) => {
    expect(buildError({ tokenTtl })).toMatch(new RegExp(`tokenTtl must be whole seconds from 60 to 3600, got ${shown}`));
  });

  test('accepts the TTL bounds', () => {
    expect(buildError({ tokenTtl: Duration.minutes(1) })).toBe('');
    expect(buildError({ tokenTtl: Duration.hours(1) })).toBe('');
  });

  test('fails with a malformed pin or pins of an unknown upstream', () => {
    expect(buildError({ toolPins: { github: { search: 'sha256:ABC' } } }))
      .toMatch(/toolPins.github.search must be one or more 'sha256:' followed by 64 lowercase hex digits/);
    expect(buildError({ toolPins: { github: { search: [] } } })).toMatch(/toolPins.github.search must be one or more/);
    expect(buildError({ toolPins: { gitlab: { search: PIN } } })).toMatch(/toolPins names the upstream 'gitlab', which is not in upstreams/);
  });

  test('fails with a gateway name that is not a plain identifier', () => {
    expect(buildError({ gatewayName: 'prod gateway' })).toMatch(/gatewayName must be 1 to 64 letters, digits, '.', '_' or '-', got 'prod gateway'/);
  });

  test('fails with a quarantine request bus but no upstream naming its ECS service', () => {
    const bus = events.EventBus.fromEventBusArn(new Stack(new App(), 'Incidents'), 'Bus', 'arn:aws:events:us-east-1:111111111111:event-bus/default');
    expect(buildError({ quarantineRequestBus: bus })).toMatch(/quarantineRequestBus is set but no upstream has an ecsService; a quarantine request names the upstream's ECS service/);
  });

  test('fails with a denial alarm threshold below one', () => {
    expect(buildError({ denialAlarmThreshold: 0 })).toMatch(/denialAlarmThreshold must be a whole number of at least 1, got 0/);
  });

  test('fails once, listing every problem and naming the construct', () => {
    expect(buildError({
      publicUrl: 'http://mcp.example.com/mcp',
      upstreams: [{ name: 'a', url: 'https://a.example.com' }, { name: 'a', url: 'https://a.example.com' }],
      riskThresholds: { stepUp: 5, endSession: 1 },
      tokenTtl: Duration.seconds(10),
    })).toMatch(new RegExp([
      'McpSecurityGateway Test/Subject/Gateway: invalid properties:',
      '  - publicUrl must use https[^\\n]*',
      '  - publicUrl \'http://mcp.example.com/mcp\' differs from the resource[^\\n]*',
      '  - upstreams\\[1\\].name \'a\' is used by an earlier upstream[^\\n]*',
      '  - tokenTtl must be[^\\n]*',
      '  - riskThresholds must be[^\\n]*$',
    ].join('\\n')));
  });
});
