import * as path from 'path';
import { loadConfigFile } from '../../../bin/config/load';

const EXAMPLE = path.join(__dirname, '..', '..', '..', 'docs', 'config', 'examples', 'layered-defense.yaml');

describe('docs/config/examples/layered-defense.yaml', () => {
  test('is a valid configuration enabling only the layered-defense pattern, without Shield Advanced', () => {
    const config = loadConfigFile(EXAMPLE);
    expect(Object.entries(config.patterns).filter(([, pattern]) => pattern?.enabled).map(([name]) => name)).toEqual(['layeredDefense']);
    expect(config.patterns.layeredDefense).toMatchObject({ shieldAdvanced: false, internetFacing: true });
    expect(config.identity.type).toBe('cognito');
  });
});
