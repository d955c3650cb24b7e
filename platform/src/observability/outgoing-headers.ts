import { REQUEST_ID_HEADER, currentRequestId } from './request-context';
import { injectTraceContext } from './tracing';

/** What a call to another process carries of the current request: its id and trace context. */
export function outgoingHeaders(requestId = currentRequestId()): Record<string, string> {
  const headers: Record<string, string> = requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
  return injectTraceContext(headers);
}
