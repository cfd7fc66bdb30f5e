import { McpRule } from '../mcp-rule';

/**
 * Every rule of the MCP pack, in the order they run. A rule file exports one `McpRule`;
 * adding it here is what activates it.
 */
export const MCP_RULES: readonly McpRule[] = [];
