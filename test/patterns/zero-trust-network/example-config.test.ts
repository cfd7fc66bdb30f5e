import * as path from 'path';
import { loadConfigFile } from '../../../bin/config/load';

const EXAMPLE = path.join(__dirname, '../../../docs/config/examples/zero-trust-network.yaml');

// The app's own tests synthesize every example through the config mapping of bin/.
test('the example configuration is valid and enables only this pattern, servers without egress', () => {
  const config = loadConfigFile(EXAMPLE);
  expect(Object.keys(config.patterns)).toEqual(['zeroTrustNetwork']);
  expect(config.patterns.zeroTrustNetwork).toMatchObject({ enabled: true, egress: 'none', allowedDomains: [], verifiedAccess: false });
  expect(config.identity).toMatchObject({ accessTokenMinutes: 15, refreshTokenHours: 8 });
  expect(config.gateway.upstreamTokenSeconds).toBeLessThanOrEqual(15 * 60);
});
