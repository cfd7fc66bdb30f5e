import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Header that carries the gateway-minted upstream token when the upstream is reached through
 * VPC Lattice with `AWS_IAM` auth: there the `Authorization` header holds the SigV4 signature
 * that Lattice verifies, so the audience-bound token travels beside it.
 */
export const UPSTREAM_TOKEN_HEADER = 'x-mcp-upstream-authorization';

type HeadersLike = ConstructorParameters<typeof Headers>[0];

/** Signs one upstream HTTP request; returns the headers to send. */
export type RequestSigner = (url: URL, init: { method?: string; headers?: HeadersLike; body?: unknown }) => Promise<Record<string, string>>;

/** Options of {@link latticeRequestSigner}. */
export interface LatticeSignerOptions {
  /** Region of the VPC Lattice service. */
  readonly region: string;
  /** Credentials; the task role through the default provider chain when omitted. */
  readonly credentials?: ReturnType<typeof defaultProvider>;
}

function headerRecord(headers: HeadersLike | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/**
 * SigV4 signer for VPC Lattice (`vpc-lattice-svcs`). String bodies (JSON-RPC) are signed with
 * their hash; other bodies as UNSIGNED-PAYLOAD, which Lattice accepts.
 */
export function latticeRequestSigner(options: LatticeSignerOptions): RequestSigner {
  const signer = new SignatureV4({
    service: 'vpc-lattice-svcs',
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Sha256,
  });
  return async (url, init) => {
    const headers = headerRecord(init.headers);
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body === undefined && init.body !== undefined && init.body !== null) headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const signed = await signer.sign({
      method: (init.method ?? 'GET').toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      body,
    });
    // fetch sets Host from the URL; the signed value is the same.
    const { host: _host, ...toSend } = signed.headers;
    return toSend;
  };
}
