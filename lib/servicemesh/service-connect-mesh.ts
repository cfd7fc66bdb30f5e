import { Duration } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct, IDependable } from 'constructs';
import { MeshClientOptions, MeshServerOptions, ServiceConnectEndpoint } from './mesh-options';
import { meshProblems, nameProblems, portProblems } from './private/mesh-validation';
import { findServicePort, isTcpOnly, nameServicePort } from './private/service-port';
import { shortLivedRootCa } from './private/short-lived-root-ca';
import { tlsInfrastructureRole } from './private/tls-infrastructure-role';
import { declarePrinciples } from '../core/controls';
import { SecureLogGroup } from '../logging/secure-log-group';

/** Properties of a ServiceConnectMesh. */
export interface ServiceConnectMeshProps {
  /** Name of the Cloud Map namespace, lowercase DNS labels such as `mcp.internal`. */
  readonly namespaceName: string;
  /**
   * Symmetric KMS key with which Service Connect encrypts the TLS private keys it stores in
   * Secrets Manager (e.g. `KeyRing.data`). Service Connect refuses asymmetric keys.
   */
  readonly tlsKey: kms.IKey;
  /** Key of the log group for proxy and access logs (e.g. `KeyRing.logs`). */
  readonly logKey: kms.IKey;
  /**
   * Common name of the mesh's root CA.
   * @default 'MCP Service Connect mesh CA'
   */
  readonly certificateAuthorityName?: string;
  /**
   * Validity of the root CA's own certificate, in years (1 to 10). Task certificates are
   * always short-lived; when the root expires, the mesh must move to a new CA.
   * @default 10
   */
  readonly rootCertificateValidityYears?: number;
}

/**
 * An ECS Service Connect mesh whose traffic between tasks is encrypted with TLS 1.3: a Cloud
 * Map HTTP namespace, a private root CA in short-lived certificate mode, the ECS infrastructure
 * role that issues task certificates from it, and one KMS-encrypted log group for the proxies'
 * own logs and their access logs. ECS issues each server task a certificate valid at most seven
 * days and, by default, rotates it every five. Service Connect metrics (requests, response
 * codes and times, TLS negotiation errors per discovery name) go to CloudWatch without set-up.
 *
 * ```ts
 * const mesh = new ServiceConnectMesh(this, 'Mesh', { namespaceName: 'mcp.internal', tlsKey: keys.data, logKey: keys.logs });
 * const notes = mesh.addServer(notesServer.service, { alias: 'notes', port: 8080 });
 * mesh.addClient(gateway.service.service, { name: 'gateway' });
 * // the gateway calls notes.url, 'http://notes:8080'
 * ```
 *
 * The namespace is an HTTP namespace: Service Connect finds endpoints through the Cloud Map API
 * and gives each client proxy its aliases, so a private DNS namespace would only add a Route 53
 * hosted zone that Service Connect never answers from. (AWS App Mesh, the previous way to do
 * this, reached end of support on 2026-09-30.)
 *
 * What TLS here does and does not do: traffic between the proxies of two tasks is encrypted
 * under server certificates from the mesh CA. Service Connect TLS is not mutual: it does not
 * authenticate clients, and traffic between a container and its own proxy inside the task is
 * plain HTTP. Who may call a server is decided by security groups and by the gateway's tokens,
 * not by the mesh.
 */
export class ServiceConnectMesh extends Construct {
  /** The Cloud Map namespace Service Connect registers servers in. */
  public readonly namespace: servicediscovery.HttpNamespace;
  /** The mesh's root CA (short-lived certificate mode). */
  public readonly certificateAuthority: acmpca.CfnCertificateAuthority;
  /** ARN of the mesh's root CA. */
  public readonly certificateAuthorityArn: string;
  /** The role ECS uses to issue certificates and store their keys; limited to this CA and key. */
  public readonly tlsRole: iam.IRole;
  /** Key that encrypts the task TLS private keys. */
  public readonly tlsKey: kms.IKey;
  /** Log group of the Service Connect proxies and their access logs. */
  public readonly logGroup: SecureLogGroup;
  /** What a service that uses TLS must be created after and deleted before. */
  private readonly tlsDependencies: IDependable[];
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, props: ServiceConnectMeshProps) {
    super(scope, id);
    const certificateAuthorityName = props.certificateAuthorityName ?? 'MCP Service Connect mesh CA';
    const rootCertificateValidityYears = props.rootCertificateValidityYears ?? 10;
    const problems = meshProblems({ namespaceName: props.namespaceName, certificateAuthorityName, rootCertificateValidityYears });
    if (problems.length > 0) {
      throw new Error(`ServiceConnectMesh ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    this.namespace = new servicediscovery.HttpNamespace(this, 'Resource', {
      name: props.namespaceName,
      description: 'ECS Service Connect mesh of MCP services, TLS from a private CA',
    });
    const ca = shortLivedRootCa(this, { commonName: certificateAuthorityName, validityYears: rootCertificateValidityYears });
    this.certificateAuthority = ca.certificateAuthority;
    this.certificateAuthorityArn = ca.certificateAuthority.attrArn;
    this.tlsKey = props.tlsKey;
    const tls = tlsInfrastructureRole(this, { certificateAuthorityArn: this.certificateAuthorityArn, tlsKey: props.tlsKey });
    this.tlsRole = tls.role;
    // The CA must issue before a server starts, and the role, its policy and the CA must outlive
    // the services on deletion, or ECS cannot clean up their certificates and secrets.
    this.tlsDependencies = [ca.activation, tls.policy];
    this.logGroup = new SecureLogGroup(this, 'Logs', { encryptionKey: props.logKey });

    declarePrinciples(this,
      'secure-by-default/encryption',
      'defense-in-depth/network',
      'zero-trust/just-in-time',
      'zero-trust/least-privilege',
      'secure-by-default/logging',
      'observability',
    );
  }

  /**
   * Publish `service` in the mesh as a server reachable at `http://<alias>:<clientPort>`, with
   * TLS from the mesh CA, and JSON access logs (without query strings, which may carry tokens)
   * and proxy logs in the mesh's log group. An unnamed port mapping for `port` is named after
   * the alias (see `MeshServerOptions.alias`).
   */
  public addServer(service: ecs.FargateService, options: MeshServerOptions): ServiceConnectEndpoint {
    const clientPort = options.clientPort ?? options.port;
    const idleTimeout = options.idleTimeout ?? Duration.minutes(5);
    const servicePort = findServicePort(service, options.port);
    // ECS takes a per-request timeout only for HTTP, HTTP/2 and gRPC ports; a plain TCP port has none.
    const tcpOnly = typeof servicePort !== 'string' && isTcpOnly(servicePort);
    const perRequestTimeout = tcpOnly ? undefined : options.perRequestTimeout ?? Duration.seconds(0);
    const problems = [
      ...nameProblems('alias', options.alias, this.names),
      ...portProblems('port', options.port),
      ...portProblems('clientPort', clientPort),
      ...(typeof servicePort === 'string' ? [servicePort] : []),
      ...(tcpOnly && options.perRequestTimeout
        ? [`perRequestTimeout needs a port mapping with an HTTP, HTTP/2 or gRPC appProtocol; mapping '${servicePort.mapping.name}' of port ${options.port} has none`]
        : []),
    ];
    if (problems.length > 0 || typeof servicePort === 'string') {
      throw new Error(`ServiceConnectMesh ${this.node.path}: cannot add server ${service.node.path}:\n  - ${problems.join('\n  - ')}`);
    }
    const portMappingName = nameServicePort(servicePort, options.alias);

    service.enableServiceConnect({
      namespace: this.namespace.namespaceArn,
      services: [{
        portMappingName,
        // Discovery names are unique in a namespace; a shared port-mapping name such as 'mcp' is not.
        discoveryName: options.alias,
        dnsName: options.alias,
        port: clientPort,
        idleTimeout,
        perRequestTimeout,
        tls: { awsPcaAuthorityArn: this.certificateAuthorityArn, kmsKey: this.tlsKey, role: this.tlsRole },
      }],
      ...this.logging(options.alias),
    });
    service.node.addDependency(...this.tlsDependencies);
    this.names.add(options.alias);
    return { alias: options.alias, port: clientPort, url: `http://${options.alias}:${clientPort}` };
  }

  /**
   * Let `service` call the mesh's servers by their aliases, without publishing anything (the
   * MCP gateway). Its proxy sends calls to TLS servers over TLS and logs every call it makes.
   * The server's security group must admit `service` on the server port.
   */
  public addClient(service: ecs.FargateService, options: MeshClientOptions): void {
    const problems = nameProblems('name', options.name, this.names);
    if (problems.length > 0) {
      throw new Error(`ServiceConnectMesh ${this.node.path}: cannot add client ${service.node.path}:\n  - ${problems.join('\n  - ')}`);
    }
    service.enableServiceConnect({ namespace: this.namespace.namespaceArn, ...this.logging(options.name) });
    this.names.add(options.name);
  }

  /** Proxy and access logs of one member, under its own stream prefix. */
  private logging(streamPrefix: string): Pick<ecs.ServiceConnectProps, 'logDriver' | 'accessLogConfiguration'> {
    return {
      // Blocking, like the MCP server's own logs: a proxy that cannot log stalls instead of
      // carrying traffic nobody can audit.
      logDriver: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup.logGroup, streamPrefix, mode: ecs.AwsLogDriverMode.BLOCKING }),
      accessLogConfiguration: { format: ecs.ServiceConnectAccessLogFormat.JSON, includeQueryParameters: false },
    };
  }
}
