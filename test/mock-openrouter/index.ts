/**
 * A mock OpenRouter for tests: a node:http server on 127.0.0.1 that answers like
 * `https://openrouter.ai/api/v1`, scriptable per key from JS or over HTTP.
 *
 * Default answers (nothing scripted): POST `/chat/completions` (plain, streamed, tool calls),
 * `/completions` (legacy), `/embeddings` (floats or base64), GET `/models` (20-model catalogue),
 * GET `/key` (a healthy paid key). Inference needs a Bearer key (else 401), a catalogue model id
 * (else 400; `:nitro`-style suffixes and `openrouter/auto` accepted), honours `max_tokens`
 * (finish_reason `length`) and `stream_options.include_usage`. `keyInfo(k, {status: 401})` kills
 * the key for inference too; `keyInfo(k, {limit_remaining: 0})` gives 402 on paid models.
 *
 * Scripted replies (`script`, `always`) apply to the inference routes unless they name a `path`
 * (`/key`, `/models`, ...). Order: the key's queue, the `'*'` queue, the key's `always`, `'*'`'s
 * `always`, then the default. A reply with no body/error/sse and status < 400 keeps the default
 * payload (so `{delayMs: 500}` or `{dropAfter: 3}` alter the normal answer).
 *
 * HTTP control API (not recorded): POST `/__mock/script` `{key, replies}`, `/__mock/always`
 * `{key, reply}` (null clears), `/__mock/key-info` `{key, info}`, `/__mock/models` `{models}`,
 * `/__mock/reset`; GET `/__mock/requests` -> `{requests}`.
 *
 * Standalone: `node --import tsx test/mock-openrouter/cli.ts --port 0 [--no-record]` prints
 * `MOCK_URL=http://127.0.0.1:PORT/api/v1`.
 */

export type { CatalogueModel } from './catalogue.js';
export { defaultModels } from './catalogue.js';
export type { ChatChunksOptions, ToolCall, Usage } from './payloads.js';
export {
  chatChunks,
  chatCompletion,
  DATA_POLICY_MESSAGE,
  embedding,
  errorMessageFor,
  FREE_DAILY_MESSAGE,
  GUARDRAIL_MESSAGE,
  generationId,
  KEY_LIMIT_MESSAGE,
  keyData,
  MANAGEMENT_KEY_MESSAGE,
  MODERATION_MESSAGE,
  makeUsage,
  midStreamError,
  orError,
  providerFor,
  textCompletion,
  textCompletionChunks,
  toolCallCompletion,
  unaffordableMessage,
} from './payloads.js';
export type { MockOptions } from './server.js';
export { startMockOpenRouter } from './server.js';
export type {
  KeyData,
  KeyInfoSetting,
  MockOpenRouter,
  MockReply,
  RecordedRequest,
  ReplySource,
  SseStep,
  StreamChunk,
} from './types.js';
export { sseText } from './writer.js';
