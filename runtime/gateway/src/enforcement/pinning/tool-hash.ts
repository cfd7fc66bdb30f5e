import { createHash } from 'crypto';
import type { ToolDefinition } from '../types';
import { canonicalJson } from './canonical-json';

/** The fields of a tool definition a pin covers: everything a model reads or a client validates. */
export const PINNED_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

/**
 * `sha256:<hex>` over the canonical JSON of the pinned fields. `_meta` and icons are left out:
 * they do not change what the model is told or what arguments are accepted.
 */
export function toolDefinitionHash(tool: ToolDefinition): string {
  const pinned: Record<string, unknown> = {};
  for (const field of PINNED_FIELDS) {
    if (tool[field] !== undefined) pinned[field] = tool[field];
  }
  return `sha256:${createHash('sha256').update(canonicalJson(pinned), 'utf8').digest('hex')}`;
}

/**
 * Whether the tool is destructive according to its (now pinned, so human-reviewed) annotations,
 * with MCP's defaults: `destructiveHint` defaults to true and only matters when `readOnlyHint`
 * is false.
 */
export function annotatedDestructive(tool: ToolDefinition): boolean {
  const annotations = (typeof tool.annotations === 'object' && tool.annotations !== null ? tool.annotations : {}) as Record<string, unknown>;
  if (annotations.readOnlyHint === true) return false;
  return annotations.destructiveHint !== false;
}
