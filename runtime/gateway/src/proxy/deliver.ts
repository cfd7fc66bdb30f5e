import type { JSONRPCRequest, JSONRPCResponse } from '@modelcontextprotocol/sdk/types.js';
import { GatewayErrorCode, RpcError } from './errors';
import { toRpcError } from './listing';
import { auditEvent, AuditDraft, Prepared } from './outcomes';
import { DownstreamSink, relayToClient } from './relay';
import { UpstreamError } from './upstream';
import { SessionView } from './view';
import { isErrorResponse } from '../transport/jsonrpc-message';

/** JSON-RPC code for a request the client cancelled (as in LSP; JSON-RPC defines none). */
const REQUEST_CANCELLED = -32800;

/**
 * Completes a prepared request on the client's response stream: relays what the upstream sends
 * meanwhile, applies the result guardrails, writes the audit record, then sends the response.
 * The record is written before the response: when the audit sink fails, the client gets an
 * error instead of the result (fail closed).
 */
export async function deliver(view: SessionView, request: JSONRPCRequest, prepared: Prepared, sink: DownstreamSink): Promise<void> {
  const send = (response: JSONRPCResponse) => sink.send(response).catch((error: unknown) => {
    view.deps.log.debug('client went away before the response', { error });
  });
  const { enforcement, metrics } = view.deps;
  const outcome = (m: string) => metrics.inc('mcp_gateway_requests_total', { method: metricMethod(request.method), outcome: m });

  if (prepared.kind === 'error') {
    const denied = prepared.error.code === GatewayErrorCode.Forbidden || prepared.audit.decision === undefined;
    await record(view, prepared.audit, { decision: denied ? 'deny' : 'error', rpcErrorCode: prepared.error.code, reasons: denied ? undefined : [prepared.error.message] });
    outcome(denied ? 'denied' : 'error');
    return send(prepared.error.toResponse(request.id));
  }
  if (prepared.kind === 'result') {
    if (!(await record(view, prepared.audit, { decision: 'allow' }))) return send(auditUnavailable(request.id));
    outcome('ok');
    return send({ jsonrpc: '2.0', id: request.id, result: prepared.result } as JSONRPCResponse);
  }

  const { exchange, audit } = prepared;
  exchange.onRelated((message) => relayToClient(view, prepared.upstream, message, (m) => {
    sink.send(m, request.id).catch(() => undefined);
  }));
  let response: JSONRPCResponse;
  try {
    response = await exchange.response;
  } catch (error) {
    const rpc = error instanceof UpstreamError && error.reason === 'aborted' ? new RpcError(REQUEST_CANCELLED, 'Request cancelled') : toRpcError(error);
    await record(view, audit, { decision: 'error', rpcErrorCode: rpc.code, reasons: [rpc.message] });
    outcome('upstream_error');
    return await send(rpc.toResponse(request.id));
  } finally {
    await exchange.close();
  }
  if (isErrorResponse(response)) {
    await record(view, audit, { decision: 'allow', rpcErrorCode: response.error.code });
    outcome('upstream_rpc_error');
    return send(response);
  }
  let result: unknown = response.result;
  if (prepared.inspect && audit.target !== undefined) {
    const inspection = await enforcement.inspectResult(audit.ctx, audit.target, result);
    if (inspection.blocked) {
      view.deps.incidents?.resultBlocked(prepared.upstream, inspection.findings);
      await record(view, audit, { decision: 'deny', rpcErrorCode: GatewayErrorCode.ResultBlocked, findings: inspection.findings, reasons: ['result blocked by a guardrail'] });
      outcome('blocked');
      return send(new RpcError(GatewayErrorCode.ResultBlocked, 'Result blocked by a guardrail').toResponse(request.id));
    }
    result = inspection.result;
    audit.findings = [...(audit.findings ?? []), ...inspection.findings];
  }
  if (!(await record(view, audit, { decision: 'allow', result }))) return send(auditUnavailable(request.id));
  outcome('ok');
  return send({ ...response, result } as JSONRPCResponse);
}

/** Writes one audit record; false when the sink failed (the caller withholds the result). */
async function record(view: SessionView, draft: AuditDraft, outcome: Parameters<typeof auditEvent>[1]): Promise<boolean> {
  try {
    await view.deps.enforcement.record(auditEvent(draft, outcome));
    return true;
  } catch (error) {
    view.deps.metrics.inc('mcp_gateway_audit_failures_total');
    view.deps.log.error('audit record failed; withholding the response', { error, method: draft.ctx.method });
    return false;
  }
}

function auditUnavailable(id: string | number): JSONRPCResponse {
  return new RpcError(GatewayErrorCode.AuditUnavailable, 'Audit unavailable; request not completed').toResponse(id);
}

const KNOWN_METHODS = new Set(['initialize', 'ping', 'tools/list', 'tools/call', 'prompts/list', 'prompts/get', 'resources/list',
  'resources/templates/list', 'resources/read', 'resources/subscribe', 'resources/unsubscribe', 'completion/complete', 'logging/setLevel']);

/** Bounded label values: client-chosen method names must not grow the metrics without limit. */
export function metricMethod(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'other';
}
