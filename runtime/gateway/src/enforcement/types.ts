/**
 * The types the transport layer codes against. Everything here is a contract: extend it
 * compatibly (new optional fields), never change the meaning of an existing field.
 */

/** Who is asking, as established by the transport after the bearer token was validated. */
export interface RequestContext {
  /** Token subject (`sub`). */
  readonly subject: string;
  /** Scopes granted by the token (`scope` split on spaces). */
  readonly scopes: string[];
  /** The MCP session the request belongs to (already bound to `subject` by the transport). */
  readonly sessionId: string;
  /** OAuth client id (`client_id` / `azp`), when the token carries one. */
  readonly clientId?: string;
  /** JSON-RPC id of the request, for the audit record. */
  readonly requestId: string | number;
  /** JSON-RPC method, e.g. `tools/call`, `tools/list`, `resources/read`, `initialize`. */
  readonly method: string;
  /** Upstream the request is routed to, when already known. */
  readonly upstream?: string;
  /**
   * `client` for machine tokens without a user (client credentials); the Cedar principal
   * is then `Client::"<subject>"` instead of `User::"<subject>"`.
   * @default 'user'
   */
  readonly principalType?: 'user' | 'client';
}

/** What an authorization request is about. */
export interface Target {
  /** `method` for protocol methods without a named item (`initialize`, `ping`, `tools/list`…). */
  readonly kind: TargetKind;
  /**
   * Tool or prompt name as the upstream knows it (without the aggregate prefix), resource
   * URI, or the JSON-RPC method name for `kind: 'method'`.
   */
  readonly name: string;
  /** Upstream name from the gateway config (`*` for the aggregate endpoint's own methods). */
  readonly upstream: string;
}

/** The kinds of target an authorization request can name. */
export type TargetKind = 'tool' | 'resource' | 'prompt' | 'method';

/** The kinds of item a list result can hold. */
export type ListKind = 'tool' | 'resource' | 'prompt';

/** The outcome of one authorization request. */
export interface Decision {
  readonly allow: boolean;
  /** Human-readable reasons, safe to log (never token material). */
  readonly reasons: string[];
  /**
   * Ids of the policies that determined the decision: Cedar `@id`s, or a gateway control such
   * as `gateway:quarantine`, `gateway:rate-limit`, `gateway:risk`, `gateway:default-deny`.
   */
  readonly policyIds: string[];
  /**
   * For a step-up: the complete scope set the token needs for this request (the scopes it has
   * plus the missing ones), ready for `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`.
   */
  readonly requiredScopes?: string[];
  /** The scopes the token lacks; a subset of `requiredScopes`. */
  readonly missingScopes?: string[];
  /** True when obtaining `requiredScopes` would turn this deny into an allow. */
  readonly stepUp?: boolean;
  /** True when the session's risk is too high to continue: the transport terminates the session. */
  readonly endSession?: boolean;
  /** Set when a rate limit denied the request: seconds until a retry can succeed. */
  readonly retryAfterSeconds?: number;
  /** Pinned definition hash of the tool, for the audit record (`kind: 'tool'` only). */
  readonly toolHash?: string;
  /** Session risk score after this request (0 … ∞, thresholds in config). */
  readonly riskScore?: number;
}

/** Severity of a finding. */
export type Severity = 'low' | 'medium' | 'high';

/** What a guardrail does with a match. */
export type GuardrailAction = 'flag' | 'redact' | 'block';

/** One thing a guardrail, the pinning check or the rate limiter noticed. */
export interface Finding {
  /** Detector id, e.g. `instruction-override`, `aws-access-key`, `tool-drift`. */
  readonly detector: string;
  readonly category: 'injection' | 'secret' | 'pinning' | 'shadowing' | 'limit';
  readonly severity: Severity;
  /** What was done about it. */
  readonly action: GuardrailAction;
  /** Where it was found: a JSON path into a result (`content[0].text`) or `tool:<name>.description`. */
  readonly location: string;
  /** Short description of the finding; never contains secret material. */
  readonly message: string;
}

/** A tool definition as listed by an upstream (structurally compatible with the SDK's `Tool`). */
export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema?: unknown;
  readonly outputSchema?: unknown;
  readonly annotations?: unknown;
}

/** Why a tool is quarantined (hidden and uncallable). */
export type PinStatus = 'approved' | 'new' | 'drifted' | 'blocked';

/** The pinning state of one tool. */
export interface ToolPin {
  readonly upstream: string;
  readonly name: string;
  /** `sha256:<hex>` over the canonical definition. */
  readonly hash: string;
  readonly status: PinStatus;
  readonly quarantined: boolean;
  /** Reasons for quarantine, empty when approved. */
  readonly reasons: string[];
}

/** What `pinTools` decided for one upstream's tool list. */
export interface PinResult<T extends ToolDefinition = ToolDefinition> {
  /** The tools clients may see: approved, not blocked by a guardrail (descriptions possibly redacted). */
  readonly tools: T[];
  /** Every listed tool with its pin state, including the visible ones. */
  readonly pins: ToolPin[];
  /** Drift, new tools, renames, shadowing, poisoned descriptions. */
  readonly findings: Finding[];
  /** Config snippet that would approve the currently listed definitions (for a human to review). */
  readonly approvalSnippet: Record<string, Record<string, string>>;
}

/** What `inspectResult` returns. */
export interface InspectionResult {
  /** The result to forward: the original object when nothing was redacted, otherwise a redacted copy. */
  readonly result: unknown;
  readonly findings: Finding[];
  /** True when a `block` finding means the result must not be forwarded. */
  readonly blocked: boolean;
}

/** One audited decision, as handed to `record`. */
export interface AuditEvent {
  /** Epoch milliseconds; defaults to the enforcement clock. */
  readonly time?: number;
  readonly subject?: string;
  readonly sessionId?: string;
  readonly clientId?: string;
  readonly requestId?: string | number;
  /** JSON-RPC method, or the HTTP-level event for requests rejected before JSON-RPC (`http:401`). */
  readonly method: string;
  readonly target?: Target;
  readonly decision: 'allow' | 'deny' | 'error';
  readonly reasons?: string[];
  readonly policyIds?: string[];
  readonly toolHash?: string;
  readonly findings?: Finding[];
  readonly latencyMs?: number;
  /** HTTP status sent to the client, when relevant. */
  readonly httpStatus?: number;
  /** JSON-RPC error code sent to the client, when relevant. */
  readonly rpcErrorCode?: number;
  readonly riskScore?: number;
  /** Request arguments; stored only envelope-encrypted, never in clear. */
  readonly arguments?: unknown;
  /** Upstream result; stored only envelope-encrypted, never in clear. */
  readonly result?: unknown;
}

/** The enforcement point the transport calls on every request. */
export interface Enforcement {
  /**
   * Decide one request. Every list/call/read/get goes through here; default deny.
   * Applies (in order) session termination, rate limits, tool quarantine, Cedar, adaptive risk.
   */
  authorize(ctx: RequestContext, target: Target): Promise<Decision>;
  /**
   * Keep only the items the caller may see (`list_*` per item) and, for tools, only pinned and
   * approved ones. Items are matched by `name` (tools, prompts, resource templates) or `uri`.
   */
  filterList<T extends { name?: string; uri?: string }>(
    ctx: RequestContext,
    upstream: string,
    kind: ListKind,
    items: T[],
  ): Promise<T[]>;
  /**
   * Pin an upstream's tool list: call it whenever a `tools/list` result arrives from the
   * upstream (startup, `notifications/tools/list_changed`). Tools never pinned are uncallable.
   */
  pinTools<T extends ToolDefinition>(upstream: string, tools: T[]): PinResult<T>;
  /** Scan and redact a result (tool call, resource read, prompt get) before forwarding it. */
  inspectResult(ctx: RequestContext, target: Target, result: unknown): Promise<InspectionResult>;
  /**
   * Append one audit record. Rejects when the sink fails and `audit.failureMode` is `closed`:
   * the caller must then deny the request.
   */
  record(event: AuditEvent): Promise<void>;
  /** Flush and close the audit sink. */
  close(): Promise<void>;
}
