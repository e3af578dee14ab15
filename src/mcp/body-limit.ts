/** JSON-RPC messages are small; a bigger body on /mcp is refused with 413 before it is parsed. */
export const MCP_MAX_BODY_BYTES = 1024 * 1024;
