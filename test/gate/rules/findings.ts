import { App, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { McpChecks, McpRule } from '../../../lib/gate';

/** A stack in a fresh app, with the environment every test in the kit uses. */
export function testStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

/**
 * Runs one MCP rule over `scope` through `McpChecks.validateScope`, as the gate does, and
 * returns every finding as `<finding id> at <construct path>`.
 */
export function mcpFindings(scope: IConstruct, rule: McpRule): string[] {
  const report = new McpChecks(undefined, { rules: [rule] }).validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

/** The description of the first finding: tells a rule failure from a rule that threw. */
export function firstDescription(scope: IConstruct, rule: McpRule): string | undefined {
  return new McpChecks(undefined, { rules: [rule] }).validateScope(scope).violations[0]?.description;
}
