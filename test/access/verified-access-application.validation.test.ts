import { SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { accessFixture, buildAccess, OIDC } from './fixture';

/** The message of the error `build` throws. */
function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

const SECRET_PROBLEM = 'oidc.clientSecret: must be read from Secrets Manager at deployment (SecretValue.secretsManager(...) or ' +
  'secret.secretValueFromJson(...)); a literal or SSM value would be written into the template';

describe('VerifiedAccessApplication validation', () => {
  test('fails on a client secret in plain text, without printing it', () => {
    const message = errorOf(() => buildAccess({ oidc: { ...OIDC, clientSecret: SecretValue.unsafePlainText('s3cr3t-value') } }));
    expect(message).toEqual(`VerifiedAccessApplication Test/Access: invalid properties:\n  - ${SECRET_PROBLEM}`);
    expect(message).not.toContain('s3cr3t-value');
  });

  test('fails on a client secret from SSM Parameter Store', () => {
    expect(() => buildAccess({ oidc: { ...OIDC, clientSecret: SecretValue.ssmSecure('/mcp/client-secret') } })).toThrow(SECRET_PROBLEM);
  });

  test('accepts a client secret read from a secret of the app', () => {
    const fixture = accessFixture();
    const secret = new secretsmanager.Secret(fixture.stack, 'ClientSecret');
    expect(() => buildAccess({ oidc: { ...OIDC, clientSecret: secret.secretValueFromJson('client_secret') } }, fixture)).not.toThrow();
  });

  test.each([
    ['issuer', 'http://login.example.com', "must use HTTPS: the OIDC exchange carries the client secret and the user's tokens"],
    ['tokenEndpoint', 'http://login.example.com/oauth2/token', "must use HTTPS: the OIDC exchange carries the client secret and the user's tokens"],
    ['authorizationEndpoint', 'login.example.com/authorize', 'is not an absolute URL'],
    ['userInfoEndpoint', 'https://login.example.com/userinfo?debug=1', 'must not carry credentials, a query or a fragment'],
    ['issuer', 'https://user:pass@login.example.com', 'must not carry credentials, a query or a fragment'],
  ])('fails on an OIDC %s of %s', (prop, url, problem) => {
    expect(() => buildAccess({ oidc: { ...OIDC, [prop]: url } })).toThrow(`oidc.${prop}: '${url}' ${problem}`);
  });

  test('fails on an empty client id', () => {
    expect(() => buildAccess({ oidc: { ...OIDC, clientId: ' ' } })).toThrow('oidc.clientId: must not be empty');
  });

  test('fails on scopes without openid', () => {
    expect(() => buildAccess({ oidc: { ...OIDC, scope: 'email profile' } }))
      .toThrow("oidc.scope: 'email profile' must include 'openid' (space-separated scopes, e.g. 'openid email')");
  });

  test('fails in front of an internet-facing load balancer', () => {
    const fixture = accessFixture(true);
    expect(() => buildAccess({ vpcSubnets: { subnetGroupName: 'Public' } }, fixture)).toThrow(
      'loadBalancer: Test/LoadBalancer is internet-facing; Verified Access must be the only way in, so put it in front of an internal load balancer');
  });

  test('fails with a security group that allows all outbound traffic', () => {
    const fixture = accessFixture();
    const securityGroup = new ec2.SecurityGroup(fixture.stack, 'Open', { vpc: fixture.vpc });
    expect(() => buildAccess({ securityGroup }, fixture)).toThrow('securityGroup: Test/Open allows all outbound traffic; create it with ' +
      "allowAllOutbound: false, so that the endpoint reaches the load balancer's listener only");
  });

  test.each([0, 65536, 44.3])('fails on the load balancer port %s', (loadBalancerPort) => {
    expect(() => buildAccess({ loadBalancerPort })).toThrow(`loadBalancerPort: ${loadBalancerPort} is not a TCP port (1-65535)`);
  });

  test.each(['MCP.example.com', 'https://mcp.example.com', 'mcp', 'mcp..example.com', '*.example.com'])('fails on the application domain %s', (applicationDomain) => {
    expect(() => buildAccess({ applicationDomain })).toThrow(`applicationDomain: '${applicationDomain}' is not a lower-case host name such as 'mcp.example.com'`);
  });

  test.each(['MCP', 'mcp.tools', '-mcp', ''])('fails on the endpoint domain prefix "%s"', (endpointDomainPrefix) => {
    expect(() => buildAccess({ endpointDomainPrefix })).toThrow(`endpointDomainPrefix: '${endpointDomainPrefix}' is not one lower-case DNS label such as 'mcp'`);
  });

  test.each(['1idp', 'has', 'my-idp'])('fails on the policy reference name %s', (policyReferenceName) => {
    expect(() => buildAccess({ policyReferenceName })).toThrow(`policyReferenceName: '${policyReferenceName}' is not a Cedar identifier`);
  });

  test('fails on a policy that is not Cedar', () => {
    expect(() => buildAccess({ policyDocument: 'allow everyone' })).toThrow('policyDocument: not valid Cedar: ');
  });

  test('fails on an empty policy, which would deny everyone', () => {
    expect(() => buildAccess({ policyDocument: '// nothing yet' })).toThrow('policyDocument: has no policy, which denies everyone; write at least one permit');
  });

  test('fails on a policy template', () => {
    expect(() => buildAccess({ policyDocument: 'permit(principal == ?principal, action, resource);' }))
      .toThrow('policyDocument: templates are not supported by Verified Access; write static policies');
  });

  test('fails listing every problem at once', () => {
    const message = errorOf(() => buildAccess({
      oidc: { ...OIDC, issuer: 'http://login.example.com', clientSecret: SecretValue.unsafePlainText('x') },
      applicationDomain: 'MCP',
    }));
    expect(message.match(/\n {2}- /g)).toHaveLength(3);
    expect(message).toContain("applicationDomain: 'MCP'");
    expect(message).toContain("oidc.issuer: 'http://login.example.com' must use HTTPS");
    expect(message).toContain(SECRET_PROBLEM);
  });
});
