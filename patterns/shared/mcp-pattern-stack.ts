import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { McpPatternProps } from './mcp-pattern-props';

/**
 * Base of the four pattern stacks. Its availability zones are the configured ones: with a
 * concrete account and region, `Stack.availabilityZones` would otherwise register a context
 * lookup, and synthesis must never need AWS credentials.
 */
export abstract class McpPatternStack extends Stack {
  private readonly configuredZones: string[];

  constructor(scope: Construct, id: string, props: McpPatternProps) {
    super(scope, id, props);
    this.configuredZones = [...props.network.availabilityZones];
  }

  /** The configured availability zones (no lookup). */
  public get availabilityZones(): string[] {
    return this.configuredZones;
  }
}
