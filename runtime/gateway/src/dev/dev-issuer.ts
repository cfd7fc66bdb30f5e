import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** Claims of a development token. */
export interface DevTokenRequest {
  readonly subject: string;
  readonly scopes?: readonly string[];
  /** Audience; the gateway's canonical URI. */
  readonly audience: string;
  /** Lifetime in seconds. @default 3600 */
  readonly expiresInSeconds?: number;
  readonly clientId?: string;
}

/**
 * A local authorization-server stand-in for development and tests: an ES256 key pair, its JWKS,
 * and a function that issues access tokens. It has no authorize or token endpoint; a developer
 * gets a token printed at start (`npm run gateway`), tests call {@link DevIssuer.issue}.
 */
export class DevIssuer {
  /** Creates an issuer with a fresh key. */
  static async create(issuer: string, kid = 'dev-1'): Promise<DevIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    return new DevIssuer(issuer, privateKey, jwk);
  }

  private server: http.Server | undefined;

  private constructor(readonly issuer: string, private readonly privateKey: PrivateKey, readonly publicJwk: JWK) {}

  /** The JWKS to configure inline (`auth.jwks`). */
  get jwks(): { keys: Array<Record<string, unknown>> } {
    return { keys: [{ ...this.publicJwk }] };
  }

  /** Issues a signed access token. */
  async issue(request: DevTokenRequest): Promise<string> {
    const jwt = new SignJWT({ scope: (request.scopes ?? []).join(' '), ...(request.clientId !== undefined ? { client_id: request.clientId } : {}) })
      .setProtectedHeader({ alg: 'ES256', kid: this.publicJwk.kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setSubject(request.subject)
      .setAudience(request.audience)
      .setIssuedAt()
      .setExpirationTime(`${request.expiresInSeconds ?? 3600}s`);
    return jwt.sign(this.privateKey);
  }

  /** Serves the JWKS over HTTP on loopback (remote JWKS, rotation tests); returns its URL. */
  async serveJwks(keys: () => { keys: Array<Record<string, unknown>> } = () => this.jwks): Promise<string> {
    this.server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys()));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  /** Stops the JWKS server, if started. */
  async close(): Promise<void> {
    if (this.server === undefined) return;
    await new Promise<void>((resolve) => {
      this.server!.close(() => resolve());
      this.server!.closeAllConnections();
    });
  }
}
