import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { EventStore, StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CompleteRequestSchema, CreateMessageResultSchema, ElicitRequestFormParams, ElicitResultSchema, JSONRPCMessage, ListToolsRequestSchema, ServerNotification, ServerRequest, SetLevelRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/**
 * An upstream MCP server (built with the SDK) that answers the server scenarios of
 * `@modelcontextprotocol/conformance`: the tool, resource and prompt names and contents the
 * scenarios check for. Written for this kit; stateful, with an in-memory event store so SSE
 * polling scenarios can resume.
 */

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
const SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: { address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
};

function memoryEventStore(): EventStore {
  const events: Array<{ id: string; stream: string; message: JSONRPCMessage }> = [];
  return {
    storeEvent: async (stream, message) => {
      const id = `${stream}::${String(events.length).padStart(8, '0')}`;
      events.push({ id, stream, message });
      return id;
    },
    replayEventsAfter: async (lastEventId, { send }) => {
      const stream = lastEventId.split('::')[0];
      for (const e of events) if (e.stream === stream && e.id > lastEventId && Object.keys(e.message).length > 0) await send(e.id, e.message);
      return stream;
    },
  };
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

function text(t: string) {
  return { content: [{ type: 'text' as const, text: t }] };
}

function createConformanceServer(transports: Map<string, StreamableHTTPServerTransport>): McpServer {
  const server = new McpServer({ name: 'gateway-conformance-upstream', version: '1.0.0' }, {
    capabilities: {
      tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, prompts: { listChanged: true }, logging: {}, completions: {},
    },
  });
  const log = (data: string) => server.server.notification({ method: 'notifications/message', params: { level: 'info', logger: 'conformance-upstream', data } }).catch(() => undefined);
  // Server-initiated requests go out related to the tool call (extra.sendRequest), on its stream.
  const elicit = async (extra: Extra, message: string, requestedSchema: ElicitRequestFormParams['requestedSchema']) => {
    const result = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message, requestedSchema } }, ElicitResultSchema);
    return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
  };

  server.registerTool('test_simple_text', { description: 'Simple text content' }, async () => text('This is a simple text response for testing.'));
  server.registerTool('test_image_content', { description: 'Image content' }, async () => ({ content: [{ type: 'image' as const, data: PNG, mimeType: 'image/png' }] }));
  server.registerTool('test_audio_content', { description: 'Audio content' }, async () => ({ content: [{ type: 'audio' as const, data: WAV, mimeType: 'audio/wav' }] }));
  server.registerTool('test_embedded_resource', { description: 'Embedded resource content' }, async () => ({
    content: [{ type: 'resource' as const, resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }],
  }));
  server.registerTool('test_multiple_content_types', { description: 'Text, image and resource content' }, async () => ({
    content: [
      { type: 'text' as const, text: 'Multiple content types test:' },
      { type: 'image' as const, data: PNG, mimeType: 'image/png' },
      { type: 'resource' as const, resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: '{"test":"data","value":123}' } },
    ],
  }));
  server.registerTool('test_tool_with_logging', { description: 'Logs while running', inputSchema: {} }, async (_args, extra) => {
    for (const step of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
      await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: step } });
      await new Promise((r) => setTimeout(r, 20));
    }
    return text('Tool with logging executed successfully');
  });
  server.registerTool('test_tool_with_progress', { description: 'Reports progress', inputSchema: {} }, async (_args, extra) => {
    const progressToken = extra._meta?.progressToken ?? 0;
    for (const progress of [0, 50, 100]) {
      await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` } });
      await new Promise((r) => setTimeout(r, 20));
    }
    return text(String(progressToken));
  });
  server.registerTool('test_error_handling', { description: 'Always fails' }, async () => {
    throw new Error('This tool intentionally returns an error for testing');
  });
  server.registerTool('test_reconnection', { description: 'Closes its SSE stream mid-call', inputSchema: {} }, async (_args, extra) => {
    const transport = extra.sessionId !== undefined ? transports.get(extra.sessionId) : undefined;
    if (transport !== undefined) transport.closeSSEStream(extra.requestId);
    await new Promise((r) => setTimeout(r, 100));
    return text('Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.');
  });
  server.registerTool('test_sampling', { description: 'Asks the client model', inputSchema: { prompt: z.string() } }, async ({ prompt }, extra) => {
    const result = await extra.sendRequest({ method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 } }, CreateMessageResultSchema);
    return text(`LLM response: ${result.content.type === 'text' ? result.content.text : 'No response'}`);
  });
  server.registerTool('test_elicitation', { description: 'Asks the user', inputSchema: { message: z.string() } }, async ({ message }, extra) => {
    const result = await extra.sendRequest({
      method: 'elicitation/create',
      params: {
        mode: 'form', message, requestedSchema: { type: 'object', properties: { response: { type: 'string', description: 'User\'s response' } }, required: ['response'] },
      },
    }, ElicitResultSchema);
    return text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
  });
  server.registerTool('test_elicitation_sep1034_defaults', { description: 'Elicitation with defaults', inputSchema: {} }, async (_args, extra) => elicit(extra, 'Please review and update the form fields with defaults', {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'User name', default: 'John Doe' },
      age: { type: 'integer', description: 'User age', default: 30 },
      score: { type: 'number', description: 'User score', default: 95.5 },
      status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
      verified: { type: 'boolean', description: 'Verification status', default: true },
    },
    required: [],
  }));
  server.registerTool('test_elicitation_sep1330_enums', { description: 'Elicitation with enums', inputSchema: {} }, async (_args, extra) => elicit(extra, 'Please select options from the enum fields', {
    type: 'object',
    properties: {
      untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
      titledSingle: { type: 'string', description: 'Select one option with titles', oneOf: [{ const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }] },
      legacyEnum: { type: 'string', description: 'Select one option (legacy)', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
      untitledMulti: { type: 'array', description: 'Select multiple options', minItems: 1, maxItems: 3, items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
      titledMulti: { type: 'array', description: 'Select multiple options with titles', minItems: 1, maxItems: 3, items: { anyOf: [{ const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] } },
    },
    required: [],
  }));
  server.registerTool('json_schema_2020_12_tool', { description: 'JSON Schema 2020-12 input', inputSchema: { name: z.string().optional(), address: z.object({ street: z.string().optional(), city: z.string().optional() }).optional() } },
    async (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`));

  server.registerResource('static-text', 'test://static-text', { title: 'Static Text Resource', mimeType: 'text/plain' },
    async () => ({ contents: [{ uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] }));
  server.registerResource('static-binary', 'test://static-binary', { title: 'Static Binary Resource', mimeType: 'image/png' },
    async () => ({ contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: PNG }] }));
  server.registerResource('template', new ResourceTemplate('test://template/{id}/data', { list: undefined }), { title: 'Resource Template', mimeType: 'application/json' },
    async (uri, { id }) => ({ contents: [{ uri: uri.toString(), mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }) }] }));
  server.registerResource('watched-resource', 'test://watched-resource', { title: 'Watched Resource', mimeType: 'text/plain' },
    async () => ({ contents: [{ uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content' }] }));

  server.registerPrompt('test_simple_prompt', { title: 'Simple Test Prompt', description: 'A prompt without arguments' }, async () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }));
  server.registerPrompt('test_prompt_with_arguments', { title: 'Prompt With Arguments', description: 'A prompt with two arguments', argsSchema: { arg1: z.string(), arg2: z.string() } },
    async ({ arg1, arg2 }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }] }));
  server.registerPrompt('test_prompt_with_embedded_resource', { title: 'Prompt With Embedded Resource', description: 'A prompt embedding a resource', argsSchema: { resourceUri: z.string() } }, async ({ resourceUri }) => ({
    messages: [
      { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  }));
  server.registerPrompt('test_prompt_with_image', { title: 'Prompt With Image', description: 'A prompt with an image' }, async () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }));

  server.server.setRequestHandler(SubscribeRequestSchema, async (req) => { void log(`Subscribed to resource: ${req.params.uri}`); return {}; });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => { void log(`Unsubscribed from resource: ${req.params.uri}`); return {}; });
  server.server.setRequestHandler(SetLevelRequestSchema, async (req) => { void log(`Log level set to: ${req.params.level}`); return {}; });
  server.server.setRequestHandler(CompleteRequestSchema, async () => ({ completion: { values: [], total: 0, hasMore: false } }));

  // Lists the 2020-12 schema verbatim: the SDK's zod conversion would drop $schema and $defs.
  const listTools = (server.server as unknown as { _requestHandlers: Map<string, (req: unknown, extra: unknown) => Promise<{ tools: Array<{ name: string; inputSchema: unknown }> }>> })._requestHandlers.get('tools/list')!;
  server.server.setRequestHandler(ListToolsRequestSchema, async (req, extra) => {
    const listed = await listTools(req, extra);
    return { tools: listed.tools.map((t) => (t.name === 'json_schema_2020_12_tool' ? { ...t, inputSchema: SCHEMA_2020_12 } : t)) } as never;
  });
  return server;
}

/** Starts the conformance upstream on loopback; resolves with its MCP URL. */
export async function startConformanceUpstream(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const sid = req.headers['mcp-session-id'];
      let transport = typeof sid === 'string' ? transports.get(sid) : undefined;
      if (transport === undefined) {
        if (typeof sid === 'string') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}');
          return;
        }
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          eventStore: memoryEventStore(),
          retryInterval: 1000,
          onsessioninitialized: (id) => { transports.set(id, created); },
          onsessionclosed: (id) => { transports.delete(id); },
        });
        await createConformanceServer(transports).connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

if (require.main === module) {
  void startConformanceUpstream(Number(process.env.PORT ?? 0)).then(({ url }) => process.stdout.write(`${url}\n`));
}
