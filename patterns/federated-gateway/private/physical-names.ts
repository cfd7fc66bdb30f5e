import { createHash } from 'crypto';

/** VPC Lattice service names: 3 to 40 lowercase letters, digits or '-', never starting with `svc-`. */
const LATTICE_SERVICE_NAME_MAX = 40;

/**
 * `<projectName>-fg-<serverName>`, or, when longer than a Lattice service name may be, its first
 * characters and a hash of the whole: two long names stay distinct and a server's name never
 * changes between syntheses. `fg` keeps it apart from the same server deployed by another
 * pattern in the account (service names, and the access-log group named after them, are
 * unique per account and region).
 */
export function latticeServiceName(projectName: string, serverName: string): string {
  const full = `${projectName}-fg-${serverName}`;
  if (full.length <= LATTICE_SERVICE_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, LATTICE_SERVICE_NAME_MAX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** Name of the hub's service network. */
export function serviceNetworkName(projectName: string): string {
  return `${projectName}-federated-mcp`;
}

/** `notes-search` → `NotesSearch`: output keys allow letters and digits only. */
export function pascalCase(name: string): string {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
