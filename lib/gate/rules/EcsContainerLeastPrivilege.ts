import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { asList, flatten, isTrue, literalOf, renderedProperties, TemplateValue, valueAt } from './private/template';

/**
 * Every container of an ECS task definition runs with a read-only root filesystem, not
 * privileged, as a non-root user, and without added Linux capabilities. Each problem is a
 * separate finding per container: `<container>::ReadonlyRootFilesystem`,
 * `<container>::Privileged`, `<container>::User`, `<container>::Capability::<name>`.
 */
export const EcsContainerLeastPrivilege: McpRule = {
  id: 'EcsContainerLeastPrivilege',
  info: 'A container has a writable root filesystem, runs privileged or as root, or adds Linux capabilities.',
  explanation:
    'An MCP server executes tool calls chosen by a model from untrusted input; command injection (OWASP MCP05) ' +
    'is a matter of time. A read-only root filesystem, a non-root user and no extra capabilities keep a ' +
    'compromised server from persisting, installing tools or escaping to the host. Set ' +
    '`readonlyRootFilesystem: true`, `user: "<uid>:<gid>"` (not 0/root) and mount a volume for scratch space.',
  level: NagMessageLevel.ERROR,
  principles: ['isolation/process', 'zero-trust/least-privilege'],
  nist80053: ['AC-6', 'CM-7', 'SC-39'],
  evaluate: (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::ECS::TaskDefinition') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const properties = renderedProperties(node);
    // Windows containers support neither a read-only root filesystem nor `user`.
    const osFamily = literalOf(valueAt(properties, 'RuntimePlatform', 'OperatingSystemFamily'), 'OperatingSystemFamily');
    if (typeof osFamily === 'string' && osFamily.startsWith('WINDOWS')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = asList(properties.ContainerDefinitions).flatMap(containerFindings);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};

function containerFindings(container: TemplateValue, index: number): string[] {
  const name = flatten(valueAt(container, 'Name')) || `container${index}`;
  const findings: string[] = [];
  if (!isTrue(valueAt(container, 'ReadonlyRootFilesystem'), 'ReadonlyRootFilesystem')) {
    findings.push(`${name}::ReadonlyRootFilesystem`);
  }
  if (isTrue(valueAt(container, 'Privileged'), 'Privileged')) {
    findings.push(`${name}::Privileged`);
  }
  if (runsAsRoot(literalOf(valueAt(container, 'User'), 'User'))) {
    findings.push(`${name}::User`);
  }
  for (const capability of asList(valueAt(container, 'LinuxParameters', 'Capabilities', 'Add'))) {
    findings.push(`${name}::Capability::${flatten(capability)}`);
  }
  return findings;
}

/** No user (the image default, usually root), `root` or uid 0, with or without a group. */
function runsAsRoot(user: string | number | boolean | undefined): boolean {
  if (user === undefined) {
    return true;
  }
  const account = String(user).split(':')[0].trim();
  return account === '' || account === 'root' || account === '0';
}
