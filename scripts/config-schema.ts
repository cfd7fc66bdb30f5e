import * as fs from 'fs';
import * as path from 'path';
import { kitConfigJsonSchema } from '../bin/config/json-schema';

// Writes docs/config/schema.json from the zod schema (`npm run config-schema`).
const target = path.join(__dirname, '..', 'docs', 'config', 'schema.json');
fs.writeFileSync(target, kitConfigJsonSchema());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
