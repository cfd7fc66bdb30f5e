import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { asList, flatten, isIntrinsic, isMap, renderedProperties, TemplateValue, valueAt } from './private/template';

/** Variable names whose last word names a secret: `DB_PASSWORD`, `githubToken`, `CLIENT_SECRET`. */
const SECRET_NAME = /(^|_)(SECRET|CLIENT_SECRET|PASSWORD|PASSWD|PASSPHRASE|PWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|SIGNING_?KEY|CREDENTIALS?|BEARER)$/;

/** Values that are secrets whatever the variable is called. */
const SECRET_VALUE = [
  /\{\{resolve:(secretsmanager|ssm-secure):/, // CloudFormation writes the resolved secret into the configuration
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}/, // GitHub tokens
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack tokens
  /\bsk-[A-Za-z0-9_-]{20,}/, // OpenAI-style API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, // JWT
];

/**
 * Secrets must not be passed as plain environment variables of ECS containers, Lambda
 * functions or Bedrock AgentCore runtimes. A variable is reported when its value has a
 * known secret format or is a CloudFormation secret dynamic reference, or when its name says
 * it is a secret and its value is a literal (not an ARN, not a reference). One finding per
 * variable: `<container>::<VARIABLE>` for ECS, `<VARIABLE>` otherwise. Values never appear in
 * findings.
 */
export const NoPlaintextSecrets: McpRule = {
  id: 'NoPlaintextSecrets',
  info: 'An environment variable holds what looks like a secret in plain text.',
  explanation:
    'Environment variables are readable by anyone who can describe the task definition or function, and end ' +
    'up in templates, diffs and logs. MCP servers hold upstream API keys and OAuth client secrets whose leak ' +
    'hands an attacker every tool they guard (OWASP MCP01). Pass secrets as ECS `secrets` from Secrets ' +
    'Manager or SSM SecureString, or read them at run time; `{{resolve:secretsmanager:…}}` in a variable ' +
    'writes the plain value into the configuration.',
  level: NagMessageLevel.ERROR,
  principles: ['secure-by-default/encryption', 'defense-in-depth/data'],
  nist80053: ['IA-5(7)', 'SC-12', 'SC-28'],
  evaluate: (node: CfnResource): NagRuleResult => {
    const variables = environmentVariables(node);
    if (variables === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = variables.filter(({ name, value }) => looksSecret(name, value)).map(({ finding }) => finding);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};

interface Variable {
  readonly name: string;
  readonly value: TemplateValue;
  readonly finding: string;
}

function environmentVariables(node: CfnResource): Variable[] | undefined {
  switch (node.cfnResourceType) {
    case 'AWS::ECS::TaskDefinition':
      return asList(renderedProperties(node).ContainerDefinitions).flatMap((container, index) => {
        const containerName = flatten(valueAt(container, 'Name')) || `container${index}`;
        return asList(valueAt(container, 'Environment')).map((variable) => {
          const name = flatten(valueAt(variable, 'Name'));
          return { name, value: valueAt(variable, 'Value'), finding: `${containerName}::${name}` };
        });
      });
    case 'AWS::Lambda::Function':
      return fromMap(valueAt(renderedProperties(node), 'Environment', 'Variables'));
    case 'AWS::BedrockAgentCore::Runtime':
      return fromMap(renderedProperties(node).EnvironmentVariables);
    default:
      return undefined;
  }
}

function fromMap(variables: TemplateValue): Variable[] {
  if (!isMap(variables) || isIntrinsic(variables)) {
    return [];
  }
  return Object.entries(variables).map(([name, value]) => ({ name, value, finding: name }));
}

function looksSecret(name: string, value: TemplateValue): boolean {
  const text = flatten(value);
  if (SECRET_VALUE.some((pattern) => pattern.test(text))) {
    return true;
  }
  // camelCase to SNAKE_CASE, so `githubToken` and `GITHUB_TOKEN` read the same.
  const normalizedName = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.]/g, '_').toUpperCase();
  const isLiteral = typeof value === 'string' || typeof value === 'number';
  return SECRET_NAME.test(normalizedName) && isLiteral && text.trim() !== '' && !text.startsWith('arn:');
}
