import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { MCP_METHODS, PROTECTED_RESOURCE_METADATA_PATH } from './mcp-web-acl-rules';

/** What the listener routes to the MCP target group. */
export interface McpRouteSettings {
  readonly listener: elbv2.IApplicationListener;
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  readonly mcpPaths: readonly string[];
  readonly healthPath: string;
}

/**
 * Listener rules that forward to the MCP target group only what the web ACL admits: the
 * transport methods on each MCP path, and GET on the protected resource metadata and health
 * paths. Everything else falls through to the listener's 404. This repeats the web ACL's
 * allow-list on purpose: the endpoint stays closed even if the web ACL is detached.
 *
 * One rule per MCP path keeps each rule within the ALB limit of five condition values.
 */
export function addMcpRoutes(scope: Construct, settings: McpRouteSettings): void {
  const action = elbv2.ListenerAction.forward([settings.targetGroup]);
  settings.mcpPaths.forEach((path, index) => {
    new elbv2.ApplicationListenerRule(scope, `McpRoute${index}`, {
      listener: settings.listener,
      priority: index + 1,
      conditions: [elbv2.ListenerCondition.pathPatterns([path]), elbv2.ListenerCondition.httpRequestMethods([...MCP_METHODS])],
      action,
    });
  });
  new elbv2.ApplicationListenerRule(scope, 'MetadataAndHealthRoute', {
    listener: settings.listener,
    priority: settings.mcpPaths.length + 1,
    conditions: [
      elbv2.ListenerCondition.pathPatterns([PROTECTED_RESOURCE_METADATA_PATH, `${PROTECTED_RESOURCE_METADATA_PATH}/*`, settings.healthPath]),
      elbv2.ListenerCondition.httpRequestMethods(['GET']),
    ],
    action,
  });
}
