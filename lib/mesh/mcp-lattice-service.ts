import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { latticeAccessLogs } from './private/access-logs';

/**
 * Where VPC Lattice health checks and requests come from inside the target VPC: the
 * link-local range AWS documents for the Lattice data plane. Targets admit it on their port.
 */
export const LATTICE_DATA_PLANE_CIDR = '169.254.171.0/24';

/** Properties of an McpLatticeService. */
export interface McpLatticeServiceProps {
  /** Service name (lowercase letters, digits, '-'; 3 to 40 characters). */
  readonly name: string;
  /** The VPC of the targets. */
  readonly vpc: ec2.IVpc;
  /** Container port of the MCP server. */
  readonly port: number;
  /**
   * URL path of the MCP endpoint; the auth policy allows only this path.
   * @default '/mcp'
   */
  readonly mcpPath?: string;
  /**
   * Health-check path on the target.
   * @default '/healthz'
   */
  readonly healthCheckPath?: string;
  /**
   * The only principals allowed to invoke the service (e.g. the gateway's task role). More can
   * be added with `allowInvokeFrom`; synthesis fails if there are none.
   * @default - none yet; call `allowInvokeFrom`
   */
  readonly allowedPrincipals?: iam.IRole[];
  /** Key for the access-log group (e.g. `KeyRing.logs`). */
  readonly logKey: kms.IKey;
  /**
   * Service network identifier or ARN to associate the service with.
   * @default - not associated (associate it in the account that owns the network)
   */
  readonly serviceNetworkIdentifier?: string;
}

/**
 * One MCP server published as a VPC Lattice service: HTTPS listener, `AWS_IAM` auth type, an
 * auth policy that names only the allowed principals (the gateway) and only the MCP methods
 * and path, access logs, and ECS tasks registered as targets.
 */
export class McpLatticeService extends Construct {
  /** The L1 service. */
  public readonly service: vpclattice.CfnService;
  /** The target group the ECS service registers into. */
  public readonly targetGroup: vpclattice.CfnTargetGroup;
  /** `https://<lattice dns name><mcpPath>`: the URL the gateway calls. */
  public readonly url: string;
  /** ARN of the service (the resource in SigV4-signed invocations). */
  public readonly serviceArn: string;
  /** Region in which callers sign requests with SigV4 (the service's region). */
  public readonly sigV4Region: string;
  private readonly port: number;
  private readonly mcpPath: string;
  private readonly allowed: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: McpLatticeServiceProps) {
    super(scope, id);
    const mcpPath = props.mcpPath ?? '/mcp';
    const problems: string[] = [];
    if (!Token.isUnresolved(props.name) && !/^(?!svc-)[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/.test(props.name)) {
      problems.push(`name must be 3-40 lowercase letters, digits or '-', got '${props.name}'`);
    }
    if (!Token.isUnresolved(props.port) && (props.port < 1 || props.port > 65535 || !Number.isInteger(props.port))) {
      problems.push(`port must be an integer from 1 to 65535, got ${props.port}`);
    }
    if (!/^\/[\w/-]*$/.test(mcpPath)) problems.push(`mcpPath must be an absolute path such as '/mcp', got '${mcpPath}'`);
    if (problems.length > 0) throw new Error(`McpLatticeService ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    this.port = props.port;
    this.mcpPath = mcpPath;
    this.allowed.push(...(props.allowedPrincipals ?? []));
    this.node.addValidation({
      validate: () => (this.allowed.length === 0
        ? ['McpLatticeService has no allowed principal: pass allowedPrincipals or call allowInvokeFrom (the auth policy never allows everyone)']
        : []),
    });

    this.service = new vpclattice.CfnService(this, 'Resource', { name: props.name, authType: 'AWS_IAM' });
    this.serviceArn = this.service.attrArn;
    this.sigV4Region = Stack.of(this).region;
    this.url = `https://${this.service.attrDnsEntryDomainName}${mcpPath}`;

    this.targetGroup = new vpclattice.CfnTargetGroup(this, 'Targets', {
      type: 'IP',
      config: {
        port: props.port,
        protocol: 'HTTP',
        protocolVersion: 'HTTP1',
        ipAddressType: 'IPV4',
        vpcIdentifier: props.vpc.vpcId,
        healthCheck: { enabled: true, path: props.healthCheckPath ?? '/healthz', protocol: 'HTTP', port: props.port },
      },
    });
    new vpclattice.CfnListener(this, 'Https', {
      serviceIdentifier: this.service.attrId,
      protocol: 'HTTPS',
      port: 443,
      defaultAction: { forward: { targetGroups: [{ targetGroupIdentifier: this.targetGroup.attrId, weight: 100 }] } },
    });
    new vpclattice.CfnAuthPolicy(this, 'AuthPolicy', {
      resourceIdentifier: this.service.attrId,
      policy: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'OnlyNamedPrincipalsOnTheMcpEndpoint',
          Effect: 'Allow',
          // Lazy: the gateway is usually created after its upstreams, whose URLs it needs.
          Principal: { AWS: Lazy.list({ produce: () => this.allowed.map((role) => role.roleArn) }) },
          Action: 'vpc-lattice-svcs:Invoke',
          // The exact endpoint path: MCP's Streamable HTTP transport uses one URL for everything.
          Resource: `${this.serviceArn}${mcpPath}`,
          Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': ['POST', 'GET', 'DELETE'] } },
        }],
      },
    });
    latticeAccessLogs(this, this.service.attrId, props.logKey, props.name);
    if (props.serviceNetworkIdentifier) {
      new vpclattice.CfnServiceNetworkServiceAssociation(this, 'Association', {
        serviceIdentifier: this.service.attrId,
        serviceNetworkIdentifier: props.serviceNetworkIdentifier,
      });
    }
    declarePrinciples(this, 'zero-trust/continuous-verification', 'zero-trust/least-privilege', 'secure-by-default/encryption', 'observability');
  }

  /**
   * Name `role` in the auth policy and let it invoke the MCP endpoint: both the resource policy
   * and the role's identity policy must allow a request.
   */
  public allowInvokeFrom(role: iam.IRole): void {
    this.allowed.push(role);
    this.grantInvoke(role);
  }

  /** Allow `grantee` to invoke the MCP endpoint (SigV4-signed requests). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['vpc-lattice-svcs:Invoke'], resourceArns: [`${this.serviceArn}${this.mcpPath}`] });
  }

  /**
   * Register the tasks of an ECS service as targets (ECS-managed VPC Lattice integration).
   * `portName` is the name of the container port mapping. The ECS infrastructure role is
   * limited to this target group.
   */
  public registerEcsService(service: ecs.FargateService, portName: string): void {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'EcsInfrastructureRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Lets ECS register this MCP server\'s tasks in its VPC Lattice target group',
    });
    // A customer managed policy: the NIST, HIPAA and PCI packs refuse inline policies.
    new iam.ManagedPolicy(this, 'EcsInfrastructurePolicy', {
      description: 'Register and deregister this MCP server\'s tasks in its VPC Lattice target group only',
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: ['vpc-lattice:RegisterTargets', 'vpc-lattice:DeregisterTargets', 'vpc-lattice:ListTargets', 'vpc-lattice:GetTargetGroup'],
        resources: [this.targetGroup.attrArn],
      })],
    });
    const cfnService = service.node.defaultChild as ecs.CfnService;
    cfnService.addPropertyOverride('VpcLatticeConfigurations', [{
      RoleArn: role.roleArn,
      TargetGroupArn: this.targetGroup.attrArn,
      PortName: portName,
    }]);
    service.node.addDependency(role);
  }

  /** The port targets listen on; peers must admit LATTICE_DATA_PLANE_CIDR on it. */
  public get targetPort(): ec2.Port {
    return ec2.Port.tcp(this.port);
  }
}
