/**
 * The checks `close(code, reason)` makes, with workerd's texts (DO-API §8.1,
 * checked against workerd 2026-07-30). Codes 1000–4999 are allowed, except
 * the ones that may never be sent in a Close frame (1004, 1005, 1006, 1015).
 */
const RESERVED = new Set([1004, 1005, 1006, 1015]);
const MAX_REASON_BYTES = 123;

function domException(message: string, name: string): Error {
  return new DOMException(message, name);
}

export function checkCloseArguments(code: number | undefined, reason: string | undefined, reasonLimited: boolean): void {
  if (code !== undefined) {
    const n = Number(code);
    if (!Number.isInteger(n) || n < 1000 || n > 4999 || RESERVED.has(n)) {
      throw domException(`Invalid WebSocket close code: ${code}.`, 'InvalidAccessError');
    }
  } else if (reason !== undefined) {
    throw domException('If you specify a WebSocket close reason, you must also specify a code.', 'InvalidAccessError');
  }
  if (reasonLimited && reason !== undefined && new TextEncoder().encode(String(reason)).length > MAX_REASON_BYTES) {
    throw domException('WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.', 'SyntaxError');
  }
}
