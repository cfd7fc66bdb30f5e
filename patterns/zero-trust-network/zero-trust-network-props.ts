import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { VerifiedAccessOidcOptions } from '../../lib/access';
import { McpPatternProps } from '../shared/mcp-pattern-props';

/**
 * Internet egress of the MCP servers: `'none'` (isolated subnets, AWS APIs through VPC
 * endpoints only) or `'firewall'` (through AWS Network Firewall to `allowedDomains` only).
 */
export type ZeroTrustServerEgress = 'none' | 'firewall';

/** AWS Verified Access in front of the MCP endpoint, instead of a public load balancer. */
export interface ZeroTrustVerifiedAccessOptions {
  /**
   * The identity provider users sign in with at Verified Access: a confidential OpenID
   * Connect client whose secret is in Secrets Manager.
   */
  readonly oidc: VerifiedAccessOidcOptions;
  /**
   * The Cedar policy Verified Access applies to every request.
   * @default - any user the identity provider authenticated
   */
  readonly policyDocument?: string;
}

/** Properties of a ZeroTrustNetworkStack. */
export interface ZeroTrustNetworkStackProps extends McpPatternProps {
  /**
   * Internet egress of the MCP servers. The gateway reaches the authorization server's host
   * through the firewall in either case: it validates access tokens with the issuer's keys.
   * @default 'none'
   */
  readonly serverEgress?: ZeroTrustServerEgress;
  /**
   * Where MCP servers may connect with `serverEgress: 'firewall'`: `'api.example.com'` for one
   * host, `'.example.com'` for a domain and its subdomains. Refused with `serverEgress: 'none'`.
   * @default - none
   */
  readonly allowedDomains?: string[];
  /**
   * Put AWS Verified Access in front of an internal load balancer; `endpoint.internetFacing`
   * must then be false.
   * @default - no Verified Access: the load balancer faces the internet or not, as `endpoint` says
   */
  readonly verifiedAccess?: ZeroTrustVerifiedAccessOptions;
  /**
   * Who may reach an internal load balancer without Verified Access on 443, e.g. the address
   * range of a corporate network.
   * @default - the VPC's CIDR block
   */
  readonly clientPeers?: ec2.IPeer[];
  /**
   * The longest lifetime allowed for access tokens of the Cognito authorization server and for
   * the tokens the gateway mints for upstreams; longer settings are refused.
   * @default Duration.minutes(15)
   */
  readonly maxTokenLifetime?: Duration;
  /**
   * The longest a sign-in may last: the refresh token validity of the Cognito authorization
   * server; longer settings are refused. An external issuer's sessions are its own to bound.
   * @default Duration.hours(8)
   */
  readonly maxSessionLifetime?: Duration;
}
