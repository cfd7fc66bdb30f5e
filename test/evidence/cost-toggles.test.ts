import { DEFAULT_CONFIG } from '../../bin/config/default-config';
import { validateConfig } from '../../bin/config/load';
import { COST_TOGGLES } from '../../scripts/evidence/cost-toggles';

type Json = Record<string, unknown>;

/** The concrete paths of a toggle field: `<pattern>` expanded to the default config's patterns, `[]` to each server. */
function expand(field: string): string[][] {
  let paths: string[][] = [[]];
  for (const segment of field.split('.')) {
    if (segment === '<pattern>') {
      paths = paths.flatMap((p) => Object.keys(DEFAULT_CONFIG.patterns).map((name) => [...p, name]));
    } else if (segment.endsWith('[]')) {
      paths = paths.flatMap((p) => DEFAULT_CONFIG.mcpServers.map((_, i) => [...p, segment.slice(0, -2), String(i)]));
    } else {
      paths = paths.map((p) => [...p, segment]);
    }
  }
  return paths;
}

function read(document: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((value, key) => (value as Json | undefined)?.[key], document);
}

function withValue(keys: readonly string[], value: unknown, base: unknown = DEFAULT_CONFIG): unknown {
  const copy = structuredClone(base) as Json;
  const parent = keys.slice(0, -1).reduce<Json>((node, key) => {
    node[key] ??= {};
    return node[key] as Json;
  }, copy);
  parent[keys[keys.length - 1]] = value;
  return copy;
}

/** The default config with an external OIDC issuer, which the layered defense must state enforces MFA. */
function withExternalIssuer(): unknown {
  const config = withValue(['identity'], { type: 'oidc', issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/.well-known/jwks.json' });
  return withValue(['patterns', 'layeredDefense', 'externalIssuerEnforcesMfa'], true, config);
}

describe('COST_TOGGLES', () => {
  test.each(COST_TOGGLES.map((t) => [t.field, t]))('%s takes its cheaper value in the configuration schema', (_, toggle) => {
    for (const keys of expand(toggle.field)) {
      const value = toggle.field === 'identity.type' ? undefined : toggle.cheaper;
      const config = toggle.field === 'identity.type' ? withExternalIssuer() : withValue(keys, value);
      expect(read(validateConfig(config), keys)).toEqual(toggle.cheaper);
    }
  });

  test.each(COST_TOGGLES.filter((t) => t.isDefault).map((t) => [t.field, t]))('%s is cheapest by default', (_, toggle) => {
    const defaults = validateConfig(DEFAULT_CONFIG);
    for (const keys of expand(toggle.field)) {
      expect(read(defaults, keys)).toEqual(toggle.cheaper);
    }
  });
});
