import type { ClientExchange } from '../deps';
import { type AppError, type ErrorFormat, errorAnswer } from '../errors';
import { proxyAnswerHeaders } from './cors';
import { sendableHeaders } from './headers';

/** How {@link finishError} answers. */
export interface FinishErrorOptions {
  /** Upstream attempts the request took: `x-cloudrouter-attempts` (0 when refused before any). */
  attempts: number;
  /** More of CloudRouter's headers (e.g. `x-cloudrouter-model`). */
  headers?: Record<string, string>;
  /** The body's shape for this route's API family; OpenAI's by default. */
  format?: ErrorFormat;
}

/**
 * The one place that finishes an error answer of the proxy: status,
 * `x-cloudrouter-attempts`, CORS for browsers, `Retry-After` (from the
 * error's `retryAfterS`), and the body in the route's shape. Domain code
 * builds an {@link AppError} and stamps no header.
 */
export function finishError(ex: ClientExchange, error: AppError, options: FinishErrorOptions): Response {
  const ours = proxyAnswerHeaders(ex.header('origin'), options.attempts);
  const answer = errorAnswer(error, sendableHeaders({ ...options.headers, ...ours }), options.format);
  return ex.send(answer.status, answer.headers, answer.body);
}
