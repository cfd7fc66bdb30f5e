import { latticeServiceName } from '../../../../patterns/federated-gateway/private/physical-names';

describe('latticeServiceName', () => {
  test('is <project>-fg-<server> when that fits', () => {
    expect(latticeServiceName('acme', 'notes')).toBe('acme-fg-notes');
  });

  test('shortens long names to 40 characters with a hash that keeps them distinct and stable', () => {
    const a = latticeServiceName('a-twenty-char-projct', 'a-twenty-four-char-serv1');
    const b = latticeServiceName('a-twenty-char-projct', 'a-twenty-four-char-serv2');
    expect(a).toHaveLength(40);
    expect(a).toMatch(/^(?!svc-)[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/);
    expect(a).not.toEqual(b);
    expect(latticeServiceName('a-twenty-char-projct', 'a-twenty-four-char-serv1')).toEqual(a);
  });
});
