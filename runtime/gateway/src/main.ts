import { ConfigError, loadConfig, PostureError } from './config';
import { createLogger } from './observability/log';
import { Gateway } from './server';

/**
 * Container entry point: configuration from `MCP_GATEWAY_CONFIG_FILE` / `MCP_GATEWAY_CONFIG`
 * and `MCP_GATEWAY_*` overrides, startup posture check, then serve until SIGTERM, draining
 * open requests before exit (ECS sends SIGTERM and waits `stopTimeout`).
 */
async function main(): Promise<void> {
  const bootLog = createLogger('info');
  let gateway: Gateway;
  try {
    const config = loadConfig();
    gateway = await Gateway.create({ config, log: createLogger(config.logging.level) });
    await gateway.listen();
  } catch (error) {
    const refused = error instanceof ConfigError || error instanceof PostureError;
    bootLog.error(refused ? error.message : 'gateway failed to start', { error });
    process.exitCode = refused ? 78 : 1;
    return;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.log.info('shutting down', { signal });
    // ECS waits stopTimeout (30 s by default) after SIGTERM; finish what is in flight within it.
    gateway.close(20_000).then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
