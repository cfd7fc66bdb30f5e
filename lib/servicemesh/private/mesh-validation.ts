import { Token } from 'aws-cdk-lib';

/** A DNS label: what clients type as a host name, and a valid port-mapping and discovery name. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lowercase DNS labels joined by dots, at most 253 characters. */
function isDnsName(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => DNS_LABEL.test(label));
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** The mesh properties that need checking, with defaults applied. */
export interface MeshSettings {
  readonly namespaceName: string;
  readonly certificateAuthorityName: string;
  readonly rootCertificateValidityYears: number;
}

/** Every problem with the mesh properties, as sentences that name the property and the value. */
export function meshProblems(settings: MeshSettings): string[] {
  const problems: string[] = [];
  if (!Token.isUnresolved(settings.namespaceName) && !isDnsName(settings.namespaceName)) {
    problems.push(`namespaceName must be lowercase DNS labels joined by dots, such as 'mcp.internal', got '${settings.namespaceName}'`);
  }
  const caName = settings.certificateAuthorityName;
  if (!Token.isUnresolved(caName) && (caName.trim().length === 0 || caName.length > 64)) {
    problems.push(`certificateAuthorityName must be 1 to 64 characters (an X.509 common name), got '${caName}'`);
  }
  const years = settings.rootCertificateValidityYears;
  if (!Token.isUnresolved(years) && (!Number.isInteger(years) || years < 1 || years > 10)) {
    problems.push(`rootCertificateValidityYears must be a whole number from 1 to 10, got ${years}`);
  }
  return problems;
}

/** Every problem with a name (alias or client name) in a mesh that already uses `taken`. */
export function nameProblems(property: string, name: string, taken: ReadonlySet<string>): string[] {
  if (Token.isUnresolved(name)) {
    return [`${property} must be a literal: it names the endpoint, the Cloud Map service and the log streams`];
  }
  if (!DNS_LABEL.test(name)) {
    return [`${property} must be a DNS label (1 to 63 lowercase letters, digits or '-', not starting or ending with '-'), got '${name}'`];
  }
  if (taken.has(name)) {
    return [`${property} '${name}' is already used in this mesh; aliases and client names must be unique`];
  }
  return [];
}

/** Every problem with a port property. */
export function portProblems(property: string, port: number): string[] {
  return !Token.isUnresolved(port) && !isPort(port) ? [`${property} must be an integer from 1 to 65535, got ${port}`] : [];
}
