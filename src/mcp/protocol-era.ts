import { isLegacyRequest, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';

/**
 * Whether a POST to /mcp, its body parsed, is a 2025-era (legacy) request. A single message that
 * claims a protocol revision in its `_meta` envelope always goes to the modern handler, which
 * serves it or answers its error (the SDK's rule; see isLegacyRequest), so that common case skips
 * one of the SDK's two classifications of the body; everything else is classified by the SDK.
 */
export async function isLegacyBody(request: Request, body: unknown): Promise<boolean> {
  return claimsRevision(body) ? false : isLegacyRequest(request, body);
}

/** A request or notification (not a posted response, not `initialize`) with the envelope claim. */
export function claimsRevision(body: unknown): boolean {
  if (!isObject(body) || typeof body['method'] !== 'string' || body['method'] === 'initialize' || 'result' in body || 'error' in body) return false;
  const params = body['params'];
  const meta = isObject(params) ? params['_meta'] : undefined;
  return isObject(meta) && PROTOCOL_VERSION_META_KEY in meta;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
