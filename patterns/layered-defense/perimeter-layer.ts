import { Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as shield from 'aws-cdk-lib/aws-shield';
import { Construct } from 'constructs';
import { declarePrinciples } from '../../lib/core/controls';
import { SegmentedVpc } from '../../lib/network';
import { McpWebAcl, SecureLoadBalancer } from '../../lib/perimeter';

/** Properties of the PerimeterLayer. */
export interface PerimeterLayerProps {
  /** The HTTPS front door of the pattern, with its web ACL. */
  readonly frontDoor: SecureLoadBalancer;
  /** The segmented VPC behind it. */
  readonly network: SegmentedVpc;
  /**
   * Protect the load balancer with AWS Shield Advanced. The account must already be subscribed
   * (US$3,000 a month with a one-year commitment, per organization); without a subscription the
   * deployment fails.
   * @default false - Shield Standard, the web ACL's rate limits and the ALB's own defenses
   */
  readonly shieldAdvanced?: boolean;
}

/**
 * Layer 1 of the seed's layered defense: what stands between the internet and the MCP gateway.
 * The HTTPS-only load balancer with the MCP web ACL (method and path allow-list, body size,
 * rate limits per token and per IP, AWS managed rules), the tiered VPC with its network ACLs,
 * and, when asked for, a Shield Advanced protection of the load balancer.
 *
 * It owns only the Shield protection; the load balancer, web ACL and VPC belong to the
 * platform and are named here.
 */
export class PerimeterLayer extends Construct {
  /** The MCP endpoint's load balancer. */
  public readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The web ACL attached to it. */
  public readonly webAcl: McpWebAcl;
  /** The segmented VPC (ingress, workload and data tiers). */
  public readonly network: SegmentedVpc;
  /** The Shield Advanced protection of the load balancer, when `shieldAdvanced` is set. */
  public readonly shieldProtection?: shield.CfnProtection;

  constructor(scope: Construct, id: string, props: PerimeterLayerProps) {
    super(scope, id);
    const shieldAdvanced = props.shieldAdvanced ?? false;
    this.loadBalancer = props.frontDoor.loadBalancer;
    this.webAcl = props.frontDoor.webAcl;
    this.network = props.network;

    if (shieldAdvanced) {
      // No automatic application-layer mitigation: since March 2026 AWS offers that legacy
      // feature to new subscribers only through AWS Support and recommends the Anti-DDoS managed
      // rule group of AWS WAF instead. The web ACL's rate limits already answer request floods.
      this.shieldProtection = new shield.CfnProtection(this, 'ShieldProtection', {
        // Renaming a protection replaces it; the stack name is stable and allowed in protection names.
        name: `${Stack.of(this).stackName}-mcp-endpoint`,
        resourceArn: props.frontDoor.loadBalancer.loadBalancerArn,
      });
    }

    declarePrinciples(this, 'defense-in-depth/network');
  }
}
