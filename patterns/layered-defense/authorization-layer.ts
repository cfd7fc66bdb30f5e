import { Construct } from 'constructs';
import { McpPolicyStore } from '../../lib/authorization';
import { declarePrinciples } from '../../lib/core/controls';
import { GatewayAuthorizationRule, McpSecurityGateway } from '../../lib/gateway';
import { McpLatticeService } from '../../lib/mesh';

/** Properties of the AuthorizationLayer. */
export interface AuthorizationLayerProps {
  /** The gateway that enforces the Cedar policies. */
  readonly gateway: McpSecurityGateway;
  /** The Lattice services of the MCP servers, each allowing only the gateway's role. */
  readonly upstreamServices: readonly McpLatticeService[];
}

/**
 * Layer 3 of the seed's layered defense: what the caller may do, decided per request. The
 * gateway evaluates its Cedar policies on every MCP call, with the tool's required scope and
 * group, the session's risk and the tool's pin state as context; the same schema and policies
 * are deployed to an Amazon Verified Permissions policy store with STRICT validation, so a
 * policy that does not type-check against the schema is refused at synthesis and at deployment.
 * Behind the gateway, each MCP server's VPC Lattice service authorizes again with IAM: its auth
 * policy names only the gateway's task role, the MCP path and the MCP methods.
 *
 * It owns no resource: the policy store belongs to the gateway and the Lattice services to the
 * servers; both are named here.
 */
export class AuthorizationLayer extends Construct {
  /** The Verified Permissions policy store holding the gateway's Cedar schema and policies. */
  public readonly policyStore: McpPolicyStore;
  /** Per-tool scopes and Cedar groups the gateway enforces (from its configuration document). */
  public readonly rules: readonly GatewayAuthorizationRule[];
  /** The second authorization point: one Lattice service per MCP server. */
  public readonly upstreamServices: readonly McpLatticeService[];

  constructor(scope: Construct, id: string, props: AuthorizationLayerProps) {
    super(scope, id);
    this.policyStore = props.gateway.policyStore;
    this.rules = props.gateway.configDocument.enforcement.authorization.rules;
    this.upstreamServices = props.upstreamServices;
    declarePrinciples(this, 'defense-in-depth/authorization');
  }
}
