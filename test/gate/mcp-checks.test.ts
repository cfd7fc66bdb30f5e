import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SECURITY_PRINCIPLES } from '../../lib/core/security-principles';
import * as gate from '../../lib/gate';
import { acknowledge, McpChecks, MCP_RULES } from '../../lib/gate';

const RULES_DIR = path.join(__dirname, '..', '..', 'lib', 'gate', 'rules');
const RULE_TESTS_DIR = path.join(__dirname, 'rules');

describe('MCP_RULES', () => {
  const ids = MCP_RULES.map((rule) => rule.id);

  test('holds at least 12 rules with unique ids', () => {
    expect(ids.length).toBeGreaterThanOrEqual(12);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('holds exactly the rule files of lib/gate/rules, each exported under its id and tested', () => {
    const ruleFiles = fs.readdirSync(RULES_DIR).filter((file) => file.endsWith('.ts') && file !== 'index.ts').map((file) => file.replace(/\.ts$/, ''));
    expect([...ids].sort()).toEqual(ruleFiles.sort());
    const exported = gate as unknown as Record<string, gate.McpRule>;
    for (const id of ids) {
      expect(exported[id]?.id).toBe(id);
      expect(fs.existsSync(path.join(RULE_TESTS_DIR, `${id}.test.ts`))).toBe(true);
    }
  });

  test.each(MCP_RULES.map((rule) => [rule.id, rule]))('%s declares principles, NIST controls, info and explanation', (_id, rule) => {
    expect(rule.principles.length).toBeGreaterThan(0);
    rule.principles.forEach((principle) => expect(Object.keys(SECURITY_PRINCIPLES)).toContain(principle));
    expect(rule.nist80053.length).toBeGreaterThan(0);
    rule.nist80053.forEach((control) => expect(control).toMatch(/^[A-Z]{2}-\d+(\(\d+\))?$/));
    expect(rule.info).toMatch(/\.$/);
    expect(rule.explanation.length).toBeGreaterThan(80);
  });

  test('only the wildcard-permission rule is refused on a whole stack', () => {
    const stack = new Stack(new App(), 'S');
    const reason = 'a reason that is long enough for the gate';
    for (const id of ids) {
      const acknowledgeOnStack = () => acknowledge(stack, { id: `Mcp::Mcp-${id}`, reason });
      if (id === 'IamNoWildcardPermissions') {
        expect(acknowledgeOnStack).toThrow(/wildcard-permission finding/);
      } else {
        expect(acknowledgeOnStack).not.toThrow();
      }
    }
  });
});

describe('McpChecks', () => {
  test('runs every rule by default and names findings Mcp-<rule id>', () => {
    // GIVEN a stack that breaks two rules of different resources
    const stack = new Stack(new App(), 'S');
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_DAY });
    new ecs.CfnService(stack, 'Service', { enableExecuteCommand: true });
    // WHEN
    const report = new McpChecks().validateScope(stack);
    // THEN
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName).sort()).toEqual(['Mcp-EcsExecDisabled', 'Mcp-LogGroupKmsEncrypted', 'Mcp-LogGroupRetention']);
  });

  test('a stack without applicable resources passes', () => {
    const stack = new Stack(new App(), 'S');
    new ecs.CfnCluster(stack, 'Cluster');
    expect(new McpChecks().validateScope(stack)).toEqual({ success: true, violations: [] });
  });
});
