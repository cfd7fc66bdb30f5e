import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { declarePrinciples } from '../../lib/core/controls';
import { GatewayToolPins, McpSecurityGateway } from '../../lib/gateway';

/** Properties of the ApplicationLayer. */
export interface ApplicationLayerProps {
  /** The gateway whose guardrails inspect every MCP message. */
  readonly gateway: McpSecurityGateway;
}

/**
 * Layer 4 of the seed's layered defense: what goes into and comes out of the tools. The
 * gateway's guardrails run in production mode with their defaults, which the kit's
 * configuration cannot turn off: every request body is bounded in size (at the web ACL and
 * again in the gateway) and parsed as JSON-RPC 2.0 with MCP's stricter rules before anything
 * else looks at it; tool descriptions are scanned for injection and poisoning (instruction
 * overrides, hidden instruction tags, secrecy directives, invisible characters, encoded
 * payloads, exfiltration URLs), and a tool whose definition hash is not pinned stays
 * quarantined; tool results are scanned for the same markers and for secrets (AWS keys,
 * private keys, tokens) and blocked or redacted; rate limits apply per subject and per tool.
 * A withheld result counts in the gateway's audit metrics and raises its alarm.
 *
 * It owns no resource: the guardrails are code of the gateway, configured by its document.
 */
export class ApplicationLayer extends Construct {
  /** The gateway running the guardrails. */
  public readonly gateway: McpSecurityGateway;
  /** Approved tool-definition hashes; every other tool is quarantined. */
  public readonly toolPins: GatewayToolPins;
  /** Upstream results a guardrail withheld, per five minutes. */
  public readonly guardrailBlocks: cloudwatch.IMetric;
  /** The published configuration document the guardrails run with. */
  public readonly configParameter: ssm.IStringParameter;

  constructor(scope: Construct, id: string, props: ApplicationLayerProps) {
    super(scope, id);
    this.gateway = props.gateway;
    this.toolPins = props.gateway.configDocument.enforcement.pinning.approved;
    this.guardrailBlocks = props.gateway.auditMetrics.guardrailBlocks;
    this.configParameter = props.gateway.configParameter;
    declarePrinciples(this, 'defense-in-depth/application');
  }
}
