import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Physical name of the hub gateway's task role. Spokes name this role in their VPC Lattice
 * auth policies; a fixed name lets them build its ARN from the hub's account alone, so no
 * CloudFormation value has to cross from the hub to a spoke (tokens cannot cross accounts,
 * and in one account the reference would close a cycle: the hub needs the spokes' URLs).
 */
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
