import { createHash } from 'crypto';

/** VPC Lattice service names: 3 to 40 lowercase letters, digits or '-', never starting with `svc-`. */
export const LATTICE_SERVICE_NAME_MAX = 40;

/**
 * `<projectName>-ld-<serverName>`, or, when that is longer than a Lattice service name may be,
 * its first characters and a hash of the whole, so that two long names stay distinct and the
 * name of a server never changes from one synthesis to the next. `ld` keeps the service apart
 * from the same server deployed by another pattern in the account.
 */
export function latticeServiceName(projectName: string, serverName: string): string {
  const full = `${projectName}-ld-${serverName}`;
  if (full.length <= LATTICE_SERVICE_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, LATTICE_SERVICE_NAME_MAX - hash.length - 1)}-${hash}`;
}
