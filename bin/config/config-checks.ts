import { z } from 'zod';
import { problem } from './fields';
import type { KitConfig } from './schema';
import { DEFAULT_SPOKE_NAME } from '../../patterns/federated-gateway/create-federated-gateway';

/*
 * Checks across sections of a configuration whose fields are each valid: what a pattern would
 * refuse at synth, said here with the field's path instead.
 */

/** Add an issue for every problem of `config` that spans sections. */
export function checkConfig(config: KitConfig, ctx: z.RefinementCtx): void {
  checkFederation(config, ctx);
  checkLayeredDefenseIdentity(config, ctx);
  checkBaselines(config, ctx);
}

/** Each baseline entry is for an account and region where the configuration has stacks. */
function checkBaselines(config: KitConfig, ctx: z.RefinementCtx): void {
  const key = (env: { account?: string; region: string }) => `${env.account ?? '(any account)'}/${env.region}`;
  const used = new Set<string>();
  for (const pattern of Object.values(config.patterns)) {
    if (pattern?.enabled) used.add(key(pattern.env));
  }
  if (config.patterns.federatedGateway?.enabled) config.patterns.federatedGateway.spokes.forEach((spoke) => used.add(key(spoke.env)));
  config.baselines.forEach((baseline, index) => {
    if (!used.has(key(baseline))) {
      problem(ctx, ['baselines', index], `the account and region of an enabled pattern or spoke (${[...used].join(', ')}), not ${key(baseline)}`);
    }
  });
}

/** Servers name declared spokes, spokes host servers, remote endpoints belong to remote servers. */
function checkFederation(config: KitConfig, ctx: z.RefinementCtx): void {
  const pattern = config.patterns.federatedGateway;
  if (!pattern?.enabled) return;
  const spokeOf = (server: KitConfig['mcpServers'][number]) => server.spoke ?? DEFAULT_SPOKE_NAME;
  const declared = [DEFAULT_SPOKE_NAME, ...pattern.spokes.map((s) => s.name)];
  config.mcpServers.forEach((server, index) => {
    if (server.spoke !== undefined && !declared.includes(server.spoke)) {
      problem(ctx, ['mcpServers', index, 'spoke'], `one of the spokes of patterns.federatedGateway.spokes (${declared.join(', ')})`);
    }
  });
  pattern.spokes.forEach((spoke, index) => {
    if (!config.mcpServers.some((server) => spokeOf(server) === spoke.name)) {
      problem(ctx, ['patterns', 'federatedGateway', 'spokes', index, 'name'],
        `a spoke that hosts a server: give a server spoke: ${spoke.name}, or remove the spoke (it would pay for a VPC that serves nothing)`);
    }
  });

  // A server is remote when its spoke names an account other than the hub's.
  const remoteAccountOf = new Map(config.mcpServers.flatMap((server) => {
    const account = pattern.spokes.find((s) => s.name === spokeOf(server))?.env.account;
    return account !== undefined && account !== pattern.env.account ? [[server.name, account] as const] : [];
  }));
  pattern.remoteEndpoints.forEach((endpoint, index) => {
    const path = ['patterns', 'federatedGateway', 'remoteEndpoints', index];
    const account = remoteAccountOf.get(endpoint.server);
    if (account === undefined) {
      problem(ctx, [...path, 'server'], `a server hosted by a spoke in another account (${[...remoteAccountOf.keys()].join(', ') || 'there is none'}); `
        + 'the hub reaches the servers of its own account without remoteEndpoints');
    } else if (endpoint.serviceArn.split(':')[4] !== account) {
      problem(ctx, [...path, 'serviceArn'], `a VPC Lattice service of account ${account}, where the spoke of server '${endpoint.server}' runs`);
    }
  });
}

/** The layered-defense identity layer requires MFA: the kit's Cognito pool, or an issuer declared to. */
function checkLayeredDefenseIdentity(config: KitConfig, ctx: z.RefinementCtx): void {
  const pattern = config.patterns.layeredDefense;
  if (!pattern?.enabled) return;
  const path = ['patterns', 'layeredDefense', 'externalIssuerEnforcesMfa'];
  if (config.identity.type === 'oidc' && !pattern.externalIssuerEnforcesMfa) {
    problem(ctx, path, `true once the issuer ${config.identity.issuer} requires MFA: the identity layer requires MFA, which the kit can switch on `
      + 'only in its own Cognito user pool (identity type cognito)');
  }
  if (config.identity.type === 'cognito' && pattern.externalIssuerEnforcesMfa) {
    problem(ctx, path, 'false (or nothing) with identity type cognito: the statement is about an external issuer; '
      + 'the kit\'s user pool requires MFA itself');
  }
}
