import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** A group of tools; each group is one OAuth scope of the gateway's resource server. */
export interface McpToolGroupSpec {
  /** Scope suffix, e.g. `notes-read`. */
  readonly name: string;
  /** Shown on the consent screen. */
  readonly description: string;
}

/** One tool an MCP server offers and the group whose scope it requires. */
export interface McpToolSpec {
  /** Tool name as the server reports it. */
  readonly name: string;
  /** Tool group (scope) required to call it. */
  readonly group: string;
  /** Destructive tools are flagged whatever their (untrusted) annotations claim. */
  readonly destructive: boolean;
  /**
   * Approved definition hash (`sha256:<hex>`); an unpinned tool stays quarantined by the gateway.
   * @default - not pinned
   */
  readonly pin?: string;
}

/** One MCP server a pattern deploys behind the security gateway. */
export interface McpServerSpec {
  /** DNS-label name; prefixes its tools in the gateway's aggregated endpoint. */
  readonly name: string;
  /** The server's container image. */
  readonly image: ecs.ContainerImage;
  /** Container port (>= 1024: the container runs as a non-root user). */
  readonly port: number;
  /** URL path of its Streamable HTTP endpoint. */
  readonly path: string;
  /** Tool groups (scopes). */
  readonly toolGroups: readonly McpToolGroupSpec[];
  /** Tools and the groups they need. */
  readonly tools: readonly McpToolSpec[];
  /** The only AWS permissions its task role gets (explicit actions and resources). */
  readonly awsAccess: readonly iam.PolicyStatement[];
  /** Plain environment (never secrets). */
  readonly environment: Readonly<Record<string, string>>;
  /** Secrets from Secrets Manager, injected at task start. */
  readonly secrets: Readonly<Record<string, secretsmanager.ISecret>>;
  /** Fargate CPU units. */
  readonly cpu: number;
  /** Fargate memory in MiB. */
  readonly memoryMiB: number;
  /** Tasks running normally (>= 2, spread over AZs). */
  readonly desiredCount: number;
  /** Upper bound for autoscaling. */
  readonly maxCount: number;
  /** Federated pattern: the spoke hosting the server. */
  readonly spoke?: string;
}
