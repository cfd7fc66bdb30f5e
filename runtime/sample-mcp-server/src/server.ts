import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { NoteStore } from './notes';

/** Build the sample MCP server: four note tools, one resource, one prompt. */
export function createNotesServer(store: NoteStore): McpServer {
  const server = new McpServer({ name: 'mcp-kit-sample-notes', version: '1.0.0' });
  const asText = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] });

  server.registerTool('search_notes', {
    description: 'Search notes by a word in their title or body.',
    inputSchema: { query: z.string().min(1).max(200) },
    annotations: { readOnlyHint: true },
  }, async ({ query }) => asText(store.search(query)));

  server.registerTool('get_note', {
    description: 'Get one note by id.',
    inputSchema: { id: z.string().regex(/^\d{1,9}$/) },
    annotations: { readOnlyHint: true },
  }, async ({ id }) => {
    const note = store.get(id);
    return note ? asText(note) : { isError: true, content: [{ type: 'text' as const, text: `no note ${id}` }] };
  });

  server.registerTool('add_note', {
    description: 'Create a note.',
    inputSchema: { title: z.string().min(1).max(200), body: z.string().max(10_000) },
  }, async ({ title, body }) => asText(store.add(title, body)));

  server.registerTool('delete_note', {
    description: 'Delete a note by id.',
    inputSchema: { id: z.string().regex(/^\d{1,9}$/) },
    annotations: { destructiveHint: true },
  }, async ({ id }) => asText({ deleted: store.delete(id) }));

  server.registerResource('readme', 'notes://readme', { mimeType: 'text/plain', description: 'What this server is' },
    async (uri) => ({ contents: [{ uri: uri.href, text: 'Sample MCP server of the MCP Security Kit.' }] }));

  server.registerPrompt('summarize_notes', {
    description: 'Ask the model to summarize notes matching a query.',
    argsSchema: { query: z.string().min(1).max(200) },
  }, ({ query }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Summarize my notes about: ${query}` } }] }));

  return server;
}
