import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/*
 * What a spoke knows of the hub without a CloudFormation reference: names fixed by the project
 * name, turned into ARNs with the hub's account. Tokens cannot cross accounts, and in one
 * account a reference from hub to spoke would close a cycle (the hub needs the spokes' URLs).
 */

/** Physical name of the hub gateway's task role, the only principal the spokes' Lattice auth policies name. */
export function federatedGatewayRoleName(projectName: string): string {
  return `${projectName}-federated-gateway`;
}

/** ARN of the hub gateway's task role in `hubAccount`, as a spoke's template states it. */
export function federatedGatewayRoleArn(scope: Construct, hubAccount: string, projectName: string): string {
  return Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    account: hubAccount,
    resource: 'role',
    resourceName: federatedGatewayRoleName(projectName),
  });
}

/** Alias of the hub's token-signing key (McpPlatform's KeyRing is prefixed with the project name). */
export function hubSigningKeyAlias(projectName: string): string {
  return `alias/${projectName}/signing`;
}

/** Alias ARN of the hub's token-signing key: spokes read its public key with it, across accounts too. */
export function hubSigningKeyAliasArn(scope: Construct, hubAccount: string, projectName: string): string {
  return Stack.of(scope).formatArn({
    service: 'kms',
    account: hubAccount,
    resource: hubSigningKeyAlias(projectName),
  });
}

/**
 * Give the gateway's task role its fixed name. McpSecurityGateway creates the role without one;
 * the name is set on the role's CloudFormation resource, the documented escape hatch.
 */
export function nameGatewayRole(role: iam.IRole, projectName: string): void {
  const resource = role.node.defaultChild;
  if (!(resource instanceof iam.CfnRole)) {
    throw new Error(`${role.node.path}: the gateway's task role is not a role created in this app; it cannot be given a fixed name`);
  }
  resource.roleName = federatedGatewayRoleName(projectName);
}

/** Fail when the platform's signing key is not aliased as spokes expect. */
export function checkSigningKeyAlias(key: kms.Key, projectName: string): void {
  const aliases = key.node.children
    .filter((child): child is kms.Alias => child instanceof kms.Alias)
    .map((alias) => (alias.node.defaultChild as kms.CfnAlias).aliasName);
  if (!aliases.includes(hubSigningKeyAlias(projectName))) {
    throw new Error(`${key.node.path}: spokes read the gateway's signing key as '${hubSigningKeyAlias(projectName)}', `
      + `but its aliases are ${aliases.map((a) => `'${a}'`).join(', ') || 'none'}`);
  }
}
