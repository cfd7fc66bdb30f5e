import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { accountPerimeterStatement, ecrImageLayerStatement } from './private/endpoint-policies';

/**
 * The interface endpoints every deployment gets, by construct id: what an ECS task needs to
 * pull its image (ECR API and registry), ship logs, read secrets and parameters, use KMS
 * keys and assume roles, without a route to the internet.
 */
export const BASELINE_INTERFACE_ENDPOINTS: Readonly<Record<string, ec2.InterfaceVpcEndpointAwsService>> = {
  EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  CloudWatchLogs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
};

/**
 * Who may connect to the interface endpoints: every address of the client subnets
 * (`'subnets'`), or only the security groups admitted with `allowFrom` (`'security-groups'`),
 * which keeps a compromised task of one service from using the endpoints another needs.
 */
export type EndpointClients = 'subnets' | 'security-groups';

/** Construct ids used by the endpoints that are not interface endpoints. */
const RESERVED_IDS = ['S3', 'DynamoDb', 'SecurityGroup'];

/** Properties of DataPerimeterEndpoints. */
export interface DataPerimeterEndpointsProps {
  /** The VPC that gets the endpoints. */
  readonly vpc: ec2.IVpc;
  /**
   * The workload subnets: interface endpoints are placed in them (one per availability
   * zone), gateway endpoints are routed from them, and their tasks are the clients.
   */
  readonly subnets: ec2.SubnetSelection;
  /**
   * More subnets whose tasks use the endpoints, e.g. workload subnets without any route out:
   * gateway endpoints are routed from them too and, with `clients: 'subnets'`, they may
   * connect to the interface endpoints.
   * @default - only `subnets`
   */
  readonly clientSubnets?: ec2.SubnetSelection[];
  /**
   * Who may connect to the interface endpoints.
   * @default 'subnets'
   */
  readonly clients?: EndpointClients;
  /**
   * More interface endpoints, keyed by construct id (as `ec2.Vpc` does for
   * `gatewayEndpoints`), e.g. `{ Sqs: ec2.InterfaceVpcEndpointAwsService.SQS }`. They get
   * the same security group and the same account perimeter policy.
   * @default - only the baseline endpoints
   */
  readonly extraInterfaceEndpoints?: Record<string, ec2.InterfaceVpcEndpointAwsService>;
}

/**
 * Problems with `extraInterfaceEndpoints`, one sentence each; empty when valid. Exposed so a
 * construct that creates DataPerimeterEndpoints can report them with its own.
 */
export function extraInterfaceEndpointProblems(extra: Record<string, ec2.InterfaceVpcEndpointAwsService>): string[] {
  const problems: string[] = [];
  const taken = new Map(Object.entries(BASELINE_INTERFACE_ENDPOINTS).map(([id, service]) => [service.shortName, id]));
  for (const [id, service] of Object.entries(extra)) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(id)) {
      problems.push(`extraInterfaceEndpoints: key '${id}' must be a PascalCase construct id such as 'Sqs'`);
    } else if (id in BASELINE_INTERFACE_ENDPOINTS || RESERVED_IDS.includes(id)) {
      problems.push(`extraInterfaceEndpoints: key '${id}' is already used by a baseline endpoint; choose another id`);
    }
    // Two endpoints for one service with private DNS fail at deploy time (conflicting DNS names).
    const existing = taken.get(service.shortName);
    if (existing !== undefined) {
      problems.push(`extraInterfaceEndpoints: '${id}' repeats the service '${service.shortName}', already provided by '${existing}'`);
    } else {
      taken.set(service.shortName, id);
    }
  }
  return problems;
}

/**
 * VPC endpoints for the AWS APIs the workloads use, each with an endpoint policy that keeps
 * traffic inside the deploying account (data perimeter): S3 and DynamoDB gateway endpoints,
 * and interface endpoints with private DNS for ECR, CloudWatch Logs, KMS, Secrets Manager,
 * SSM and STS. Interface endpoints accept HTTPS only, and only from the client subnets or,
 * with `clients: 'security-groups'`, only from the security groups admitted by `allowFrom`.
 */
export class DataPerimeterEndpoints extends Construct {
  /** Security group of every interface endpoint: TCP 443 from the clients only. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Who may connect to the interface endpoints. */
  public readonly clients: EndpointClients;
  /** The S3 gateway endpoint. */
  public readonly s3: ec2.GatewayVpcEndpoint;
  /** The DynamoDB gateway endpoint. */
  public readonly dynamoDb: ec2.GatewayVpcEndpoint;
  /** Every interface endpoint, baseline and extra, by construct id. */
  public readonly interfaceEndpoints: Readonly<Record<string, ec2.InterfaceVpcEndpoint>>;
  private admitted = 0;

  constructor(scope: Construct, id: string, props: DataPerimeterEndpointsProps) {
    super(scope, id);
    const extra = props.extraInterfaceEndpoints ?? {};
    const clients = props.clients ?? 'subnets';
    const routedSubnets = [props.subnets, ...(props.clientSubnets ?? [])];
    const problems = extraInterfaceEndpointProblems(extra);
    if (!['subnets', 'security-groups'].includes(clients)) {
      problems.push(`clients: '${clients}' is not a kind of endpoint client; allowed are 'subnets' and 'security-groups'`);
    }
    if (problems.length > 0) {
      throw new Error(`DataPerimeterEndpoints ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }
    const stack = Stack.of(this);
    this.clients = clients;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: clients === 'subnets'
        ? 'VPC interface endpoints: HTTPS from the workload subnets only'
        : 'VPC interface endpoints: HTTPS from named security groups only',
      // Endpoint network interfaces only answer; they never open connections.
      allowAllOutbound: false,
    });
    if (clients === 'subnets') {
      for (const subnet of routedSubnets.flatMap((selection) => props.vpc.selectSubnets(selection).subnets)) {
        this.securityGroup.addIngressRule(
          ec2.Peer.ipv4(subnet.ipv4CidrBlock),
          ec2.Port.tcp(443),
          `HTTPS from workload subnet in ${subnet.availabilityZone}`,
        );
      }
    } else {
      // Endpoints nobody may reach would fail every image pull at deploy time, far from the cause.
      this.node.addValidation({
        validate: () => (this.admitted === 0
          ? ['DataPerimeterEndpoints with clients \'security-groups\' admits no client: call allowFrom for each service that uses AWS APIs']
          : []),
      });
    }

    this.s3 = new ec2.GatewayVpcEndpoint(this, 'S3', {
      vpc: props.vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: routedSubnets,
    });
    this.s3.addToPolicy(accountPerimeterStatement(stack));
    this.s3.addToPolicy(ecrImageLayerStatement(stack));

    this.dynamoDb = new ec2.GatewayVpcEndpoint(this, 'DynamoDb', {
      vpc: props.vpc,
      service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: routedSubnets,
    });
    this.dynamoDb.addToPolicy(accountPerimeterStatement(stack));

    const interfaceEndpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};
    for (const [endpointId, service] of Object.entries({ ...BASELINE_INTERFACE_ENDPOINTS, ...extra })) {
      const endpoint = new ec2.InterfaceVpcEndpoint(this, endpointId, {
        vpc: props.vpc,
        service,
        subnets: props.subnets,
        securityGroups: [this.securityGroup],
        privateDnsEnabled: true,
        // `open: true` would add a rule from the whole VPC CIDR; the rules above are narrower.
        open: false,
      });
      // The same perimeter for every service, as AWS's data perimeter examples do for
      // ECR, STS and SSM. A service that does not put aws:ResourceAccount in its request
      // context would see its calls denied: that fails closed, at the first call.
      endpoint.addToPolicy(accountPerimeterStatement(stack));
      interfaceEndpoints[endpointId] = endpoint;
    }
    this.interfaceEndpoints = interfaceEndpoints;

    declarePrinciples(this, 'isolation/network', 'isolation/data', 'zero-trust/least-privilege', 'secure-by-default/fail-secure');
  }

  /**
   * Admit `client` (a service's security group) to the interface endpoints on HTTPS. With
   * `clients: 'subnets'` the subnets are admitted already; this adds a rule all the same.
   */
  public allowFrom(client: ec2.IConnectable): void {
    this.securityGroup.connections.allowFrom(client, ec2.Port.tcp(443), 'HTTPS to the AWS API endpoints');
    this.admitted += 1;
  }
}
