import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { DEFAULT_CONFIG } from '../../../bin/config/default-config';
import { toolDefinitionHash } from '../../gateway/src/enforcement/pinning/tool-hash';
import { NoteStore } from '../src/notes';
import { createNotesServer } from '../src/server';

// The embedded default deploys this server behind the gateway, which quarantines any tool whose
// definition hash is not pinned. If a tool definition changes, this test names the new pin.
test('the default configuration pins exactly the sample server\'s tool definitions', async () => {
  const server = createNotesServer(new NoteStore());
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'pin-check', version: '1.0.0' });
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  await client.close();

  const actual = Object.fromEntries(tools.map((tool) => [tool.name, toolDefinitionHash(tool)]));
  const sample = DEFAULT_CONFIG.mcpServers.find((s) => s.name === 'sample')!;
  const pinned = Object.fromEntries((sample.tools ?? []).map((tool) => [tool.name, tool.pin]));
  expect(pinned).toEqual(actual);
});
