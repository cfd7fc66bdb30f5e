import { z } from 'zod';
import { KitConfigSchema } from './schema';

/** The JSON Schema of a user configuration, for editor completion (docs/config/schema.json). */
export function kitConfigJsonSchema(): string {
  const schema = z.toJSONSchema(KitConfigSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'MCP Security Kit configuration' }, null, 2)}\n`;
}
