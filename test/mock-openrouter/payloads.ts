import type { KeyData, SseStep, StreamChunk } from './types.js';

/** OpenRouter's `usage` object (non-stream answers and the last stream chunk). */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost: number;
  is_byok: boolean;
  prompt_tokens_details: { cached_tokens: number; audio_tokens?: number };
  cost_details?: {
    upstream_inference_cost: number | null;
    upstream_inference_prompt_cost: number;
    upstream_inference_completions_cost: number;
  };
  completion_tokens_details: { reasoning_tokens: number; image_tokens?: number };
}

const ID_PREFIX = Math.random().toString(36).slice(2, 8);
let idCounter = 0;

/** A fresh OpenRouter-style generation id, `gen-<unix>-<random>`. */
export function generationId(): string {
  idCounter = (idCounter + 1) % 1e9;
  return `gen-${nowSeconds()}-${ID_PREFIX}${idCounter.toString(36).padStart(8, '0')}Kx`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

const PROVIDERS: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google AI Studio',
  deepseek: 'DeepSeek',
  'meta-llama': 'DeepInfra',
  mistralai: 'Mistral',
  nousresearch: 'Together',
  qwen: 'Together',
  'x-ai': 'xAI',
};

/** The provider name OpenRouter reports for a model id (by its author). */
export function providerFor(model: string): string {
  return PROVIDERS[model.slice(0, model.indexOf('/'))] ?? 'OpenRouter';
}

function fingerprint(model: string): string | null {
  return model.startsWith('openai/') ? 'fp_f9f4fb6dbf' : null;
}

/** A full usage object; missing totals and cost are derived from the token counts. */
export function makeUsage(partial: Partial<Usage> = {}): Usage {
  const prompt = partial.prompt_tokens ?? 12;
  const completion = partial.completion_tokens ?? 9;
  const cost = partial.cost ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: partial.total_tokens ?? prompt + completion,
    cost,
    is_byok: partial.is_byok ?? false,
    prompt_tokens_details: partial.prompt_tokens_details ?? { cached_tokens: 0, audio_tokens: 0 },
    cost_details: partial.cost_details ?? {
      upstream_inference_cost: null,
      upstream_inference_prompt_cost: cost * 0.25,
      upstream_inference_completions_cost: cost * 0.75,
    },
    completion_tokens_details: partial.completion_tokens_details ?? { reasoning_tokens: 0, image_tokens: 0 },
  };
}

/** A non-streaming `chat.completion` answer, as OpenRouter sends it. */
export function chatCompletion(model: string, text: string, usage?: Partial<Usage>, finishReason = 'stop') {
  return {
    id: generationId(),
    provider: providerFor(model),
    model,
    object: 'chat.completion',
    created: nowSeconds(),
    choices: [
      {
        logprobs: null,
        finish_reason: finishReason,
        native_finish_reason: finishReason,
        index: 0,
        message: { role: 'assistant', content: text, refusal: null, reasoning: null },
      },
    ],
    system_fingerprint: fingerprint(model),
    usage: makeUsage(usage),
  };
}

/** A tool call as it appears in a non-streaming assistant message. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A fresh tool-call id, `call_<random>`. */
export function toolCallId(): string {
  return `call_${Math.random().toString(36).slice(2, 14)}`;
}

/** A non-streaming answer whose message carries tool calls (finish_reason `tool_calls`). */
export function toolCallCompletion(model: string, calls: ToolCall[], usage?: Partial<Usage>) {
  const body = chatCompletion(model, '', usage, 'tool_calls');
  const message = body.choices[0].message as Record<string, unknown>;
  message.content = '';
  message.tool_calls = calls;
  return body;
}

/** Options of {@link chatChunks}. */
export interface ChatChunksOptions {
  /** Append the usage-only chunk (`choices: []`). */
  includeUsage?: boolean;
  /** Stream a tool call whose `arguments` are the given texts, instead of content. */
  toolCall?: boolean;
  /** Name of the streamed tool call (default `get_weather`). */
  toolName?: string;
  usage?: Partial<Usage>;
  finishReason?: string;
}

/** The SSE steps of a streamed chat answer, in OpenRouter's shape, ending with `[DONE]`. */
export function chatChunks(model: string, texts: string[], opts: ChatChunksOptions = {}): SseStep[] {
  const id = generationId();
  const created = nowSeconds();
  const fp = fingerprint(model);
  const chunk = (delta: object, finish: string | null, extra?: object): StreamChunk => ({
    id,
    provider: providerFor(model),
    model,
    object: 'chat.completion.chunk',
    created,
    choices: [{ index: 0, delta, finish_reason: finish, native_finish_reason: finish, logprobs: null }],
    ...(fp ? { system_fingerprint: fp } : {}),
    ...extra,
  });
  const steps: SseStep[] = [{ comment: 'OPENROUTER PROCESSING' }];
  if (opts.toolCall) {
    const callId = toolCallId();
    const name = opts.toolName ?? 'get_weather';
    steps.push({
      data: chunk(
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }],
        },
        null,
      ),
    });
    for (const piece of texts) {
      const call = { index: 0, function: { arguments: piece } };
      steps.push({ data: chunk({ role: 'assistant', content: null, tool_calls: [call] }, null) });
    }
  } else {
    for (const text of texts) steps.push({ data: chunk({ role: 'assistant', content: text }, null) });
  }
  const finish = opts.finishReason ?? (opts.toolCall ? 'tool_calls' : 'stop');
  steps.push({ data: chunk({ role: 'assistant', content: '' }, finish) });
  if (opts.includeUsage) {
    const usage = makeUsage({ completion_tokens: texts.length, ...opts.usage });
    const last: StreamChunk = { ...chunk({}, null), choices: [], usage };
    steps.push({ data: last });
  }
  steps.push({ done: true });
  return steps;
}

/** OpenRouter's mid-stream error chunk: top-level `error` and a choice with finish_reason `error`. */
export function midStreamError(model: string, message: string, code = 502): StreamChunk {
  return {
    id: generationId(),
    provider: providerFor(model),
    model,
    object: 'chat.completion.chunk',
    created: nowSeconds(),
    error: { code, message },
    choices: [
      {
        index: 0,
        delta: { role: 'assistant', content: '' },
        finish_reason: 'error',
        native_finish_reason: 'error',
        logprobs: null,
      },
    ],
  };
}

/** A legacy `text_completion` answer (POST /completions). */
export function textCompletion(model: string, text: string, usage?: Partial<Usage>, finishReason = 'stop') {
  return {
    id: generationId(),
    provider: providerFor(model),
    model,
    object: 'text_completion',
    created: nowSeconds(),
    choices: [
      { text, index: 0, finish_reason: finishReason, native_finish_reason: finishReason, logprobs: null },
    ],
    usage: makeUsage(usage),
  };
}

/** The SSE steps of a streamed legacy completion. */
export function textCompletionChunks(model: string, texts: string[], includeUsage = false): SseStep[] {
  const id = generationId();
  const created = nowSeconds();
  const chunk = (text: string, finish: string | null): StreamChunk => ({
    id,
    provider: providerFor(model),
    model,
    object: 'text_completion',
    created,
    choices: [{ text, index: 0, finish_reason: finish, native_finish_reason: finish, logprobs: null }],
  });
  const steps: SseStep[] = [{ comment: 'OPENROUTER PROCESSING' }];
  for (const text of texts) steps.push({ data: chunk(text, null) });
  steps.push({ data: chunk('', 'stop') });
  if (includeUsage) {
    steps.push({
      data: { ...chunk('', null), choices: [], usage: makeUsage({ completion_tokens: texts.length }) },
    });
  }
  steps.push({ done: true });
  return steps;
}

const EMBEDDING_DIMENSIONS: Record<string, number> = {
  'openai/text-embedding-3-small': 1536,
  'openai/text-embedding-3-large': 3072,
};

/** A deterministic unit vector for one input. */
export function embeddingVector(seed: number, dims: number): number[] {
  const v = new Array<number>(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const x = Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453;
    v[i] = x - Math.floor(x) - 0.5;
    norm += v[i] * v[i];
  }
  const scale = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dims; i++) v[i] = Math.round(v[i] * scale * 1e6) / 1e6;
  return v;
}

/** Little-endian float32 base64, what `encoding_format: "base64"` returns. */
export function toBase64Floats(v: number[]): string {
  return Buffer.from(new Float32Array(v).buffer).toString('base64');
}

/** An embeddings answer with `n` vectors (dimensions default to the model's real size, else 768). */
export function embedding(
  model: string,
  n: number,
  dims?: number,
  opts: { base64?: boolean; promptTokens?: number } = {},
) {
  const size = dims ?? EMBEDDING_DIMENSIONS[model] ?? 768;
  const data = [];
  for (let i = 0; i < n; i++) {
    const vector = embeddingVector(i + 1, size);
    data.push({ object: 'embedding', index: i, embedding: opts.base64 ? toBase64Floats(vector) : vector });
  }
  const tokens = opts.promptTokens ?? 5 * n;
  return {
    id: generationId(),
    object: 'list',
    data,
    model,
    provider: providerFor(model),
    usage: { prompt_tokens: tokens, total_tokens: tokens, cost: tokens * 2e-8 },
  };
}

const ERROR_MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'User not found.',
  402: 'Insufficient credits. Add more using https://openrouter.ai/settings/credits',
  403: 'Input was flagged by moderation',
  404: 'Not Found',
  408: 'Request timed out',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Rate limit exceeded: limit_rpm/openai/gpt-4o. High demand for this model, please retry shortly.',
  500: 'Internal Server Error',
  502: 'Provider returned error',
  503: 'No endpoints found that can handle the requested parameters.',
  524: 'Request timed out at the edge',
  529: 'Provider is overloaded',
};

/** The data-policy 404: it depends on the account's privacy settings, so another account's key may pass. */
export const DATA_POLICY_MESSAGE =
  'No endpoints found matching your data policy (Free model publication). Configure: https://openrouter.ai/settings/privacy';
/** A key over its own credit limit (OpenRouter answers it 403). */
export const KEY_LIMIT_MESSAGE = 'Key limit exceeded. Manage it using https://openrouter.ai/settings/keys';
/** A key whose guardrail does not allow the model. */
export const GUARDRAIL_MESSAGE = 'The model openai/gpt-4o-mini is not allowed by your guardrail';
/** Moderation's 403 (its metadata carries `reasons` and `flagged_input`). */
export const MODERATION_MESSAGE =
  'openai/gpt-4o-mini requires moderation on OpenAI. Your input was flagged for "violence". No credits were charged.';
/** The account's daily quota of free-model requests is spent. */
export const FREE_DAILY_MESSAGE =
  'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day';
/** A management (provisioning) key used for inference. */
export const MANAGEMENT_KEY_MESSAGE = 'Management keys cannot be used for inference';

/** The 402 for one request the key's remaining limit cannot afford: a smaller one would pass. */
export function unaffordableMessage(requested: number, affordable: number): string {
  return `This request requires more credits, or fewer max_tokens. You requested up to ${requested} tokens, but can only afford ${affordable}. To increase, visit https://openrouter.ai/settings/keys and create a key with a higher total limit`;
}

/** OpenRouter's usual message for an HTTP error status. */
export function errorMessageFor(status: number): string {
  return ERROR_MESSAGES[status] ?? `HTTP ${status}`;
}

/** An OpenRouter error body `{error: {code, message, metadata?}}`. */
export function orError(status: number, message = errorMessageFor(status), metadata?: object) {
  return { error: metadata ? { code: status, message, metadata } : { code: status, message } };
}

/** A healthy paid key's `GET /key` data, with overrides; `limit_remaining` follows `limit - usage`. */
export function keyData(key: string, overrides: Partial<KeyData> = {}): KeyData {
  const freeTier = overrides.is_free_tier ?? false;
  const dailyLimit = freeTier ? 50 : 1000;
  const base: KeyData = {
    label: key.length > 15 ? `${key.slice(0, 12)}...${key.slice(-3)}` : key,
    limit: null,
    limit_remaining: null,
    limit_reset: null,
    usage: 0,
    usage_daily: 0,
    usage_weekly: 0,
    usage_monthly: 0,
    byok_usage: 0,
    byok_usage_daily: 0,
    byok_usage_weekly: 0,
    byok_usage_monthly: 0,
    include_byok_in_limit: false,
    is_free_tier: freeTier,
    is_management_key: false,
    is_provisioning_key: false,
    expires_at: null,
    creator_user_id: 'user_2mockCreatorId000000000000',
    rate_limit: { requests: -1, interval: '10s', note: 'This field is deprecated and safe to ignore.' },
    allowed_data_regions: ['global'],
    free_model_daily_requests: { limit: dailyLimit, remaining: dailyLimit, used: 0 },
    organization_id: 'org_2mockOrganization00000000000',
    workspace_id: 'ws_2mockWorkspace000000000000000',
  };
  const data = { ...base, ...overrides };
  if (overrides.limit != null && overrides.limit_remaining === undefined) {
    data.limit_remaining = Math.max(0, overrides.limit - data.usage);
  }
  return data;
}
