import * as fs from 'fs';
import * as path from 'path';
import { kitConfigJsonSchema } from '../../bin/config/json-schema';

test('docs/config/schema.json is generated from the current zod schema (npm run config-schema)', () => {
  const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'config', 'schema.json'), 'utf8');
  expect(committed).toEqual(kitConfigJsonSchema());
});

test('the JSON Schema refuses what zod refuses, e.g. unknown fields and a public server', () => {
  const schema = JSON.parse(kitConfigJsonSchema());
  expect(schema.additionalProperties).toBe(false);
  const server = schema.properties.mcpServers.items;
  expect(server.additionalProperties).toBe(false);
  expect(server.properties.public).toMatchObject({ const: false });
});
