import { LATTICE_SERVICE_NAME_MAX, latticeServiceName } from '../../../../patterns/layered-defense/private/lattice-names';

/** The rule McpLatticeService applies to service names. */
const LATTICE_SERVICE_NAME = /^(?!svc-)[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;

describe('latticeServiceName', () => {
  test('joins the project, the pattern and the server when that fits', () => {
    expect(latticeServiceName('mcp-kit', 'notes')).toBe('mcp-kit-ld-notes');
  });

  test('shortens a long name to 40 characters with a hash of the whole, keeping it valid and distinct', () => {
    const project = 'a-twenty-char-projct';
    const first = latticeServiceName(project, 'a-server-name-of-24-char');
    const second = latticeServiceName(project, 'a-server-name-of-24-chaz');
    expect(first).toHaveLength(LATTICE_SERVICE_NAME_MAX);
    expect(first).toMatch(LATTICE_SERVICE_NAME);
    expect(second).toMatch(LATTICE_SERVICE_NAME);
    expect(first).not.toEqual(second);
    expect(first.slice(0, 31)).toEqual(second.slice(0, 31));
  });

  test('is deterministic', () => {
    expect(latticeServiceName('a-twenty-char-projct', 'a-server-name-of-24-char')).toBe(latticeServiceName('a-twenty-char-projct', 'a-server-name-of-24-char'));
  });
});
