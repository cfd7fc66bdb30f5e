import * as path from 'path';
import { loadConfigFile } from '../../../bin/config/load';

describe('docs/config/examples/federated-gateway.yaml', () => {
  const config = loadConfigFile(path.join(__dirname, '..', '..', '..', 'docs', 'config', 'examples', 'federated-gateway.yaml'));
  const pattern = config.patterns.federatedGateway!;

  test('enables only the federated gateway, with a spoke in another account of the hub\'s region', () => {
    expect(Object.entries(config.patterns).filter(([, p]) => p?.enabled).map(([name]) => name)).toEqual(['federatedGateway']);
    expect(pattern.spokes).toEqual([expect.objectContaining({ name: 'payments', env: expect.objectContaining({ region: pattern.env.region }) })]);
    expect(pattern.spokes[0].env.account).not.toEqual(pattern.env.account);
  });

  test('places each server in a declared spoke or the default one', () => {
    const spokes = pattern.spokes.map((spoke) => spoke.name);
    expect(config.mcpServers.map((server) => server.spoke)).toEqual([undefined, 'payments']);
    expect(config.mcpServers.every((server) => server.spoke === undefined || spokes.includes(server.spoke))).toBe(true);
  });
});
