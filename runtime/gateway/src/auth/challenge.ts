import { IncomingHttpHeaders } from 'node:http';

/** RFC 6750 error codes used in `WWW-Authenticate` challenges. */
export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** Parameters of one Bearer challenge. */
export interface BearerChallenge {
  /** URL of the RFC 9728 protected resource metadata. */
  readonly resourceMetadata: string;
  /** Scopes the client should request (space separated in the header). */
  readonly scopes?: readonly string[];
  readonly error?: BearerError;
  readonly description?: string;
}

/** Renders `Bearer resource_metadata="…", scope="…"[, error="…", error_description="…"]`. */
export function bearerChallenge(challenge: BearerChallenge): string {
  const params = [`resource_metadata="${quote(challenge.resourceMetadata)}"`];
  if (challenge.scopes !== undefined && challenge.scopes.length > 0) params.push(`scope="${quote(challenge.scopes.join(' '))}"`);
  if (challenge.error !== undefined) params.push(`error="${challenge.error}"`);
  if (challenge.description !== undefined) params.push(`error_description="${quote(challenge.description)}"`);
  return `Bearer ${params.join(', ')}`;
}

/** Where the bearer token was found, or why it was not accepted before any verification. */
export type BearerExtraction =
  | { readonly token: string }
  | { readonly token?: undefined; readonly status: 400 | 401; readonly error?: BearerError; readonly description: string };

/**
 * Takes the token from the `Authorization: Bearer` header only (MCP authorization: tokens MUST
 * NOT be sent in the URI). A token in the query string is refused even if a header is present,
 * so a client that leaks tokens into URLs and logs fails loudly instead of working.
 */
export function extractBearer(headers: IncomingHttpHeaders, url: URL): BearerExtraction {
  if (url.searchParams.has('access_token')) {
    return { status: 400, error: 'invalid_request', description: 'access tokens are accepted only in the Authorization header' };
  }
  const header = headers.authorization;
  if (header === undefined || header === '') return { status: 401, description: 'authorization required' };
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (match === null) return { status: 400, error: 'invalid_request', description: 'expected an Authorization: Bearer token' };
  return { token: match[1] };
}

function quote(value: string): string {
  return value.replace(/[\\"]/g, '').replace(/[\r\n]/g, ' ');
}
