import * as iam from 'aws-cdk-lib/aws-iam';
import { IUpstreamAccess } from '../../lib/gateway';

/**
 * Where a spoke publishes one MCP server: the values a spoke stack outputs and the hub needs.
 * In one account and region they are tokens of the spoke stack (`FederatedGatewaySpokeStack.endpoints`);
 * for a spoke in another account they are the strings the spoke deployment printed.
 */
export interface FederatedUpstreamEndpoint {
  /** Name of the MCP server (`McpServerSpec.name`). */
  readonly server: string;
  /** `https://<Lattice DNS name><path>`: the URL the gateway calls. */
  readonly url: string;
  /** ARN of the VPC Lattice service; it must be in the hub's region. */
  readonly serviceArn: string;
}

/**
 * The gateway's side of a VPC Lattice upstream: SigV4 signing of its requests, and the identity
 * policy that lets its role invoke the server's MCP endpoint. Lattice authorizes a request only
 * if the caller's identity policy and the service's auth policy both allow it; the spoke's auth
 * policy names the gateway role.
 */
export class LatticeUpstreamAccess implements IUpstreamAccess {
  /** The gateway signs its requests with SigV4 for VPC Lattice in this region. */
  public readonly sigV4Region: string;

  /**
   * @param serviceArn ARN of the VPC Lattice service
   * @param mcpPath the server's MCP endpoint path, the only path the grant covers
   * @param region region of the service (the hub's: service networks are regional)
   */
  constructor(private readonly serviceArn: string, private readonly mcpPath: string, region: string) {
    this.sigV4Region = region;
  }

  /** Allow `role` to invoke the MCP endpoint of the service, and nothing else. */
  public allowInvokeFrom(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['vpc-lattice-svcs:Invoke'],
      resources: [`${this.serviceArn}${this.mcpPath}`],
    }));
  }
}
