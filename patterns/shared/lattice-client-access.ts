import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { McpServiceNetwork } from '../../lib/mesh';

/**
 * A VPC's way into a service network of MCP servers: the VPC association, guarded by a
 * security group (`ClientSecurityGroup` in `scope`) that admits nothing until `admit` names a
 * client. With each service's `AWS_IAM` auth policy naming only the gateway's role, nothing in
 * the VPC reaches a server but through the gateway, at the network and at the identity layer.
 */
export class LatticeClientAccess {
  /** Guards the VPC's association with the service network: only admitted clients reach it. */
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, serviceNetwork: McpServiceNetwork, vpc: ec2.IVpc) {
    this.securityGroup = new ec2.SecurityGroup(scope, 'ClientSecurityGroup', {
      vpc,
      description: 'VPC Lattice service network association: HTTPS from admitted clients only',
      allowAllOutbound: false,
    });
    serviceNetwork.associateVpc('VpcAssociation', vpc, this.securityGroup);
  }

  /** Let `client` (the gateway) reach the service network over HTTPS from inside the VPC. */
  public admit(client: ec2.IConnectable): void {
    this.securityGroup.connections.allowFrom(client, ec2.Port.tcp(443), 'MCP requests to the VPC Lattice services');
  }
}
