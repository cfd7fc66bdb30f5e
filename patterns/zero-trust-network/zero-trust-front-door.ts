import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ZeroTrustVerifiedAccessOptions } from './zero-trust-network-props';
import { VerifiedAccessApplication } from '../../lib/access';
import { acknowledge } from '../../lib/gate';
import { GATEWAY_HEALTH_PATH } from '../../lib/gateway';
import { SegmentedVpc } from '../../lib/network';
import { SecureLoadBalancer } from '../../lib/perimeter';
import { McpEndpointSpec, MCP_ENDPOINT_PATH } from '../shared';

/** Properties of a ZeroTrustFrontDoor. */
export interface ZeroTrustFrontDoorProps {
  /** The VPC; the load balancer goes into its ingress tier. */
  readonly network: SegmentedVpc;
  /** The MCP endpoint. */
  readonly endpoint: McpEndpointSpec;
  /** Bucket of the load balancer's access logs (the baseline's, SSE-S3). */
  readonly accessLogBucket: s3.IBucket;
  /** Key of the web ACL and Verified Access log groups (e.g. `KeyRing.logs`). */
  readonly logKey: kms.IKey;
  /** Key Verified Access encrypts its trust provider, group and endpoint with (e.g. `KeyRing.data`). */
  readonly dataKey: kms.IKey;
  /** Retention of the Verified Access logs. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Verified Access in front of the (then internal) load balancer.
   * @default - none
   */
  readonly verifiedAccess?: ZeroTrustVerifiedAccessOptions;
  /**
   * Who may reach an internal load balancer without Verified Access.
   * @default - the VPC's CIDR block
   */
  readonly clientPeers?: ec2.IPeer[];
}

/**
 * The HTTPS front door of the MCP endpoint: a SecureLoadBalancer with the MCP web ACL in the
 * ingress tier, internet-facing or internal, or internal behind AWS Verified Access, in which
 * case the Verified Access endpoint's security group is the load balancer's only client.
 */
export class ZeroTrustFrontDoor extends Construct {
  /** The load balancer and its web ACL. */
  public readonly loadBalancer: SecureLoadBalancer;
  /** The certificate of the endpoint's domain. */
  public readonly certificate: acm.ICertificate;
  /** Verified Access, when enabled. */
  public readonly verifiedAccess?: VerifiedAccessApplication;

  constructor(scope: Construct, id: string, props: ZeroTrustFrontDoorProps) {
    super(scope, id);
    const { network, endpoint } = props;
    this.certificate = endpoint.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', endpoint.certificateArn)
      : new acm.Certificate(this, 'Certificate', { domainName: endpoint.domainName, validation: acm.CertificateValidation.fromDns() });

    // Created first so that the load balancer can name it as its only client.
    const accessSecurityGroup = props.verifiedAccess && new ec2.SecurityGroup(this, 'VerifiedAccessSecurityGroup', {
      vpc: network.vpc,
      description: 'Verified Access endpoint: HTTPS to the MCP load balancer only',
      allowAllOutbound: false,
    });
    const clientPeers = accessSecurityGroup
      ? [accessSecurityGroup]
      : endpoint.internetFacing ? undefined : props.clientPeers ?? [ec2.Peer.ipv4(network.cidr)];

    this.loadBalancer = new SecureLoadBalancer(this, 'LoadBalancer', {
      vpc: network.vpc,
      vpcSubnets: network.ingressSubnets,
      internetFacing: endpoint.internetFacing,
      clientPeers,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(this.certificate)],
      accessLogBucket: props.accessLogBucket,
      logEncryptionKey: props.logKey,
      webAcl: { mcpPaths: [MCP_ENDPOINT_PATH], healthPath: GATEWAY_HEALTH_PATH },
    });

    if (props.verifiedAccess && accessSecurityGroup) {
      this.verifiedAccess = new VerifiedAccessApplication(this, 'VerifiedAccess', {
        vpc: network.vpc,
        loadBalancer: this.loadBalancer.loadBalancer,
        vpcSubnets: network.ingressSubnets,
        securityGroup: accessSecurityGroup,
        applicationDomain: endpoint.domainName,
        domainCertificate: this.certificate,
        oidc: props.verifiedAccess.oidc,
        policyDocument: props.verifiedAccess.policyDocument,
        encryptionKey: props.dataKey,
        logEncryptionKey: props.logKey,
        logRetention: props.logRetention,
      });
    }
  }
}
