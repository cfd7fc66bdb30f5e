import { Duration } from 'aws-cdk-lib';

/** How an ECS service joins a `ServiceConnectMesh` as a server. */
export interface MeshServerOptions {
  /**
   * The host name clients call, a DNS label such as `notes`: clients reach the server at
   * `http://<alias>:<clientPort>`. Also the Cloud Map discovery name, the name of an unnamed
   * port mapping, and the log stream prefix. Unique in the mesh.
   */
  readonly alias: string;
  /** Container port the server listens on (`McpServerService` `port`). */
  readonly port: number;
  /**
   * Port clients call. Clients connect to their own proxy, so this port needs no security
   * group rule; the server's security group must admit clients on `port`.
   * @default - `port`
   */
  readonly clientPort?: number;
  /**
   * How long a connection may stay idle before the proxies close it.
   * @default Duration.minutes(5)
   */
  readonly idleTimeout?: Duration;
  /**
   * How long a response may take from request to last byte, `Duration.seconds(0)` for no limit.
   * No limit by default: MCP's Streamable HTTP answers a tool call with a Server-Sent Events
   * stream that lasts as long as the tool runs, and a `GET` stream stays open for server
   * notifications; a deadline would cut them. `idleTimeout` still closes silent streams.
   * Refused for a port mapping named without an application protocol, which Service Connect
   * treats as plain TCP.
   * @default - Duration.seconds(0) on HTTP ports; none on plain TCP ports
   */
  readonly perRequestTimeout?: Duration;
}

/** How an ECS service joins a `ServiceConnectMesh` as a client only. */
export interface MeshClientOptions {
  /** Name of the client in the mesh's logs (its log stream prefix), a DNS label unique in the mesh. */
  readonly name: string;
}

/** Where clients of the mesh reach one server. */
export interface ServiceConnectEndpoint {
  /** Host name clients call. */
  readonly alias: string;
  /** Port clients call. */
  readonly port: number;
  /**
   * `http://<alias>:<port>`. The scheme is `http` because the client sends plain HTTP to its own
   * Service Connect proxy inside the task; the proxies encrypt the hop between tasks with TLS 1.3.
   */
  readonly url: string;
}
