import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Names that say the variable holds a secret, anywhere in the name. */
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SIGNING_?KEY|CREDENTIAL|BEARER/i;

/** Values that are secrets whatever the variable is called; each with what it looks like. */
const SECRET_VALUES: ReadonlyArray<[RegExp, string]> = [
  [/\{\{resolve:(secretsmanager|ssm-secure):/, 'a CloudFormation secret dynamic reference, resolved into the task definition in plain text'],
  [/\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/(^|[^A-Za-z0-9/+])(?=[A-Za-z0-9/+]*[/+])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])[A-Za-z0-9/+]{40}($|[^A-Za-z0-9/+=])/, 'an AWS secret access key'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, 'a JSON Web Token'],
  [/\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bsk-[A-Za-z0-9_-]{20,}/, 'an API secret key'],
  [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password'],
];

/**
 * Problems with container environment variables, one string each. A variable is refused when
 * its value looks like a secret, or when its name does and its value is not a reference: an
 * ARN literal, or a CloudFormation reference that is not a secret dynamic reference
 * (`DB_SECRET_ARN: secret.secretArn` is accepted; the secret itself goes in `secrets`).
 * Values never appear in messages.
 */
export function environmentProblems(scope: IConstruct, environment: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(environment)) {
    const unresolved = Token.isUnresolved(value);
    const text = unresolved ? JSON.stringify(Stack.of(scope).resolve(value)) : value;
    const match = SECRET_VALUES.find(([pattern]) => pattern.test(text));
    if (match) {
      problems.push(`environment.${name} holds what looks like ${match[1]}; pass it in secrets from Secrets Manager`);
      continue;
    }
    const isReference = unresolved || value.startsWith('arn:');
    if (SECRET_NAME.test(name) && !isReference) {
      problems.push(`environment.${name} is named like a secret; pass it in secrets from Secrets Manager, or pass its ARN`);
    }
  }
  return problems;
}
