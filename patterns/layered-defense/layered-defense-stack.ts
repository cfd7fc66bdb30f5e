import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { ApplicationLayer } from './application-layer';
import { AuthorizationLayer } from './authorization-layer';
import { DataLayer } from './data-layer';
import { IdentityLayer } from './identity-layer';
import { LatticeServerFleet } from './lattice-server-fleet';
import { ILayeredDefenseBaseline } from './layered-defense-baseline';
import { MonitoringLayer } from './monitoring-layer';
import { PerimeterLayer } from './perimeter-layer';
import { layeredDefenseProblems } from './private/layered-defense-problems';
import { LATTICE_DATA_PLANE_CIDR } from '../../lib/mesh';
import { McpPatternProps } from '../shared/mcp-pattern-props';
import { McpPatternStack } from '../shared/mcp-pattern-stack';
import { McpPlatform } from '../shared/mcp-platform';

/** Properties of the LayeredDefenseStack. */
export interface LayeredDefenseStackProps extends McpPatternProps {
  /** The account baseline, with its log archive and threat detection. */
  readonly baseline: ILayeredDefenseBaseline;
  /**
   * Protect the MCP endpoint's load balancer with AWS Shield Advanced. The account must be
   * subscribed first: US$3,000 a month per organization, with a one-year commitment. Needs an
   * internet-facing endpoint.
   * @default false - Shield Standard and the web ACL's rate limits
   */
  readonly shieldAdvanced?: boolean;
  /**
   * With an external OIDC issuer (`identity.kind: 'oidc'`), the operator's statement that the
   * issuer requires multi-factor authentication: the kit cannot switch it on there, and the
   * identity layer is refused without it. Recorded in the template's metadata.
   * @default false
   */
  readonly externalIssuerEnforcesMfa?: boolean;
  /**
   * Lowest GuardDuty severity (1.0 to 10.0) at which a task of the cluster is quarantined.
   * @default 7 - High and Critical findings
   */
  readonly quarantineSeverityThreshold?: number;
}

/**
 * The layered-defense pattern: the seed's six layers of controls between an MCP client and a
 * tool, each a construct of the stack, in order, so that the construct tree, the controls
 * matrix and the diagrams read as the layers.
 *
 * `Platform` builds what every pattern runs (keys, segmented VPC, cluster, authorization
 * server, WAF-fronted load balancer, gateway); `Servers` runs the MCP servers behind VPC
 * Lattice, reachable only with the gateway's IAM role. The layers own what they add (Shield
 * protection, incident response) and name the platform's parts they consist of:
 *
 * 1. `Layer1Perimeter`: web ACL, HTTPS load balancer, tiered VPC, optional Shield Advanced;
 * 2. `Layer2Identity`: MFA-required user pool, short-lived audience-bound tokens;
 * 3. `Layer3Authorization`: Cedar policies (Verified Permissions store, STRICT) enforced by the
 *    gateway, and IAM auth policies on each server's Lattice service;
 * 4. `Layer4Application`: the gateway's guardrails (message validation, injection and poisoning
 *    detection, tool pinning, result sanitization, rate limits);
 * 5. `Layer5Data`: rotating KMS keys for every log, topic, queue and secret, the Object Lock
 *    log archive;
 * 6. `Layer6Monitoring`: GuardDuty and Security Hub from the baseline, the gateway's alarms, and
 *    automatic quarantine of compromised tasks.
 */
export class LayeredDefenseStack extends McpPatternStack {
  /** Keys, VPC, cluster, identity, front door and gateway. */
  public readonly platform: McpPlatform;
  /** The MCP servers behind VPC Lattice. */
  public readonly servers: LatticeServerFleet;
  /** Layer 1: WAF, load balancer, segmented VPC, optional Shield Advanced. */
  public readonly perimeter: PerimeterLayer;
  /** Layer 2: MFA and short-lived tokens. */
  public readonly identity: IdentityLayer;
  /** Layer 3: Cedar in Verified Permissions, enforced by the gateway; IAM auth at each server. */
  public readonly authorization: AuthorizationLayer;
  /** Layer 4: the gateway's guardrails. */
  public readonly application: ApplicationLayer;
  /** Layer 5: KMS everywhere and the Object Lock archive. */
  public readonly data: DataLayer;
  /** Layer 6: threat detection, alarms and incident response. */
  public readonly monitoring: MonitoringLayer;

  constructor(scope: Construct, id: string, props: LayeredDefenseStackProps) {
    super(scope, id, props);
    const shieldAdvanced = props.shieldAdvanced ?? false;
    const externalIssuerEnforcesMfa = props.externalIssuerEnforcesMfa ?? false;
    const quarantineSeverityThreshold = props.quarantineSeverityThreshold ?? 7;

    const problems = layeredDefenseProblems({
      endpoint: props.endpoint,
      identity: props.identity,
      servers: props.servers,
      shieldAdvanced,
      externalIssuerEnforcesMfa,
      quarantineSeverityThreshold,
    });
    if (problems.length > 0) {
      throw new Error(`LayeredDefenseStack ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    // The workload tier's network ACLs must admit the Lattice data plane, which forwards the
    // gateway's requests to the servers from outside the VPC's own range.
    this.platform = new McpPlatform(this, 'Platform', { ...props, workloadClientCidrs: [LATTICE_DATA_PLANE_CIDR] });
    this.servers = new LatticeServerFleet(this, 'Servers', {
      projectName: props.projectName,
      network: this.platform.network,
      cluster: this.platform.cluster.cluster,
      servers: props.servers,
      gatewaySigningKey: this.platform.keys.signing,
      gatewayIssuer: this.platform.resource,
      logKey: this.platform.keys.logs,
    });
    // The gateway asks Layer 6's TaskQuarantine, on the account's default bus, to isolate the
    // tasks of an upstream whose approved tool definitions drift (a rug pull in progress).
    const incidentBus = events.EventBus.fromEventBusName(this, 'IncidentBus', 'default');
    const gateway = this.platform.addGateway(this.servers.upstreams, incidentBus);
    this.servers.admitClient(gateway);

    this.perimeter = new PerimeterLayer(this, 'Layer1Perimeter', {
      frontDoor: this.platform.frontDoor,
      network: this.platform.network,
      shieldAdvanced,
    });
    this.identity = new IdentityLayer(this, 'Layer2Identity', {
      authorizationServer: this.platform.authorizationServer,
      externalIssuerEnforcesMfa,
    });
    this.authorization = new AuthorizationLayer(this, 'Layer3Authorization', {
      gateway,
      upstreamServices: this.servers.servers.map((server) => server.lattice),
    });
    this.application = new ApplicationLayer(this, 'Layer4Application', { gateway });
    this.data = new DataLayer(this, 'Layer5Data', {
      keys: this.platform.keys,
      archive: props.baseline.archive,
      auditLog: gateway.auditLogGroup,
    });
    this.monitoring = new MonitoringLayer(this, 'Layer6Monitoring', {
      cluster: this.platform.cluster.cluster,
      encryptionKey: this.platform.keys.logs,
      accountMonitoring: props.baseline.monitoring,
      findingsTopic: props.baseline.findingsTopic,
      gateway,
      quarantineSeverityThreshold,
      incidentBus,
    });
  }
}
