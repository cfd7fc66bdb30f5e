import { KMSClient } from '@aws-sdk/client-kms';
import { gatewayTokenVerifier } from './auth';
import { createSampleHttpServer } from './http';
import { NoteStore } from './notes';

/**
 * Container entry point. Configuration comes from the task definition's environment:
 * PORT, MCP_PATH, GATEWAY_ISSUER, SERVER_AUDIENCE, and GATEWAY_SIGNING_KEY_ARN (the gateway's
 * KMS key) or GATEWAY_JWKS_URL. The server refuses to start without the gateway settings, unless
 * it only listens on loopback for development.
 */
function main(): void {
  const env = process.env;
  const host = env.HOST ?? '0.0.0.0';
  const port = Number(env.PORT ?? '8080');
  const path = env.MCP_PATH ?? '/mcp';
  const loopback = host === '127.0.0.1' || host === '::1';
  const missing = ['GATEWAY_ISSUER', 'SERVER_AUDIENCE'].filter((name) => !env[name]);
  if (!env.GATEWAY_SIGNING_KEY_ARN && !env.GATEWAY_JWKS_URL) missing.push('GATEWAY_SIGNING_KEY_ARN or GATEWAY_JWKS_URL');
  if (missing.length > 0 && !(loopback && env.SAMPLE_ALLOW_UNAUTHENTICATED === 'true')) {
    console.error(JSON.stringify({ level: 'fatal', msg: `missing ${missing.join(', ')}: refusing to serve MCP without verifying gateway tokens` }));
    process.exit(1);
  }
  const verify = missing.length === 0
    ? gatewayTokenVerifier({
      key: env.GATEWAY_SIGNING_KEY_ARN
        ? { kmsKeyId: env.GATEWAY_SIGNING_KEY_ARN, kms: new KMSClient({}) }
        : { jwksUrl: new URL(env.GATEWAY_JWKS_URL!) },
      issuer: env.GATEWAY_ISSUER!,
      audience: env.SERVER_AUDIENCE!,
    })
    : undefined;
  if (!verify) console.warn(JSON.stringify({ level: 'warn', msg: 'DEVELOPMENT: accepting unauthenticated requests on loopback' }));
  const store = new NoteStore([{ title: 'Welcome', body: 'This note comes from the MCP Security Kit sample server.' }]);
  createSampleHttpServer(store, { path, verify }).listen(port, host, () => {
    console.log(JSON.stringify({ level: 'info', msg: 'sample MCP server listening', host, port, path }));
  });
}

main();
