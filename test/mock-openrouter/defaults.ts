import {
  type ApiUsage,
  anthropicError,
  type MockToolCall,
  messagesEvents,
  messagesResult,
  responsesEvents,
  responsesResult,
} from './api-payloads.js';
import {
  chatChunks,
  chatCompletion,
  embedding,
  FREE_DAILY_MESSAGE,
  keyData,
  MANAGEMENT_KEY_MESSAGE,
  makeUsage,
  orError,
  textCompletion,
  textCompletionChunks,
  toolCallCompletion,
  toolCallId,
  unaffordableMessage,
} from './payloads.js';
import type { MockState, ModelPrice } from './state.js';
import type { KeyData, MockReply, RecordedRequest } from './types.js';

type Json = Record<string, unknown>;

const NO_AUTH: MockReply = { status: 401, body: orError(401, 'No auth credentials found') };
const NOT_FOUND: MockReply = { status: 404, body: orError(404, 'Not Found') };
const REPLY_PIECES = ['Hello', '!', ' How', ' can', ' I', ' help', ' you', ' today', '?'];
const COMPLETION_PIECES = [' This', ' is', ' a', ' mock', ' completion', '.'];
const VARIANTS = /:(nitro|floor|online|exacto|thinking|extended)$/;

/** The default (unscripted) answer of the mock for one request. */
export function defaultReply(req: RecordedRequest, route: string, state: MockState): MockReply {
  if (req.method === 'GET' && route === '/models') return { body: state.modelsBody() };
  if (req.method === 'GET' && route === '/key') return keyReply(req, state);
  if (req.method === 'GET' && route === '/generation') return generationReply(req, state);
  if (req.method === 'GET' && /^\/models\/[^/]+\/[^/]+\/endpoints$/.test(route))
    return endpointsReply(route, state);
  if (req.method !== 'POST') return NOT_FOUND;
  let reply: MockReply;
  if (route === '/chat/completions') reply = inference(req, state, chatReply);
  else if (route === '/completions') reply = inference(req, state, completionReply);
  else if (route === '/embeddings') reply = inference(req, state, embeddingsReply);
  else if (route === '/responses') reply = inference(req, state, responsesReply);
  else if (route === '/messages') reply = anthropicShaped(inference(req, state, messagesReply));
  else return NOT_FOUND;
  return withGenerationId(reply, req, state);
}

/** Answers carry `X-Generation-Id`, as OpenRouter's do; the mock remembers which key made it. */
export function withGenerationId(reply: MockReply, req: RecordedRequest, state: MockState): MockReply {
  if ((reply.status ?? 200) >= 400 || req.key === null) return reply;
  const body = reply.body as Json | undefined;
  // The first step that carries the id: a stream may open with a comment (`: OPENROUTER PROCESSING`).
  const first = reply.sse
    ?.map((step) => ((step as Json).data ?? step) as Json)
    .find((step) => typeof step?.id === 'string' || typeof step?.raw === 'string');
  const id =
    typeof body?.id === 'string'
      ? body.id
      : typeof first?.raw === 'string'
        ? /"id":"(gen-[^"]+)"/.exec(first.raw)?.[1]
        : first?.id;
  if (typeof id !== 'string') return reply;
  state.generations.set(id, req.key);
  return { ...reply, headers: { ...reply.headers, 'x-generation-id': id } };
}

/** `/messages` answers errors in Anthropic's shape, as OpenRouter does. */
function anthropicShaped(reply: MockReply): MockReply {
  const status = reply.status ?? 200;
  const inner = (reply.body as { error?: { message?: string } } | undefined)?.error;
  if (status < 400 || !inner) return reply;
  return { ...reply, body: anthropicError(anthropicType(status), inner.message ?? 'error') };
}

function anthropicType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    402: 'billing_error',
    403: 'permission_error',
    404: 'not_found_error',
    429: 'rate_limit_error',
    529: 'overloaded_error',
  };
  return types[status] ?? 'api_error';
}

function generationReply(req: RecordedRequest, state: MockState): MockReply {
  if (req.key === null) return NO_AUTH;
  const id = new URLSearchParams(req.search).get('id') ?? '';
  if (state.generations.get(id) !== req.key)
    return { status: 404, body: orError(404, `Generation ${id} not found`) };
  return { body: { data: generationData(id) } };
}

function generationData(id: string): Json {
  const nulls = [
    'upstream_id',
    'cache_discount',
    'upstream_inference_cost',
    'app_id',
    'cancelled',
    'moderation_latency',
    'service_tier',
    'native_tokens_completion_images',
    'native_tokens_reasoning',
    'native_tokens_cached',
    'num_media_prompt',
    'num_input_audio_prompt',
    'num_media_completion',
    'num_search_results',
    'num_fetches',
    'web_search_engine',
    'native_finish_reason',
    'external_user',
    'preset_id',
    'router',
    'provider_responses',
    'user_agent',
    'http_referer',
    'workspace_id',
  ];
  const data: Json = Object.fromEntries(nulls.map((n) => [n, null]));
  return {
    ...data,
    id,
    total_cost: 0.0001,
    created_at: new Date().toISOString(),
    model: 'openai/gpt-4o-mini',
    streamed: false,
    provider_name: 'OpenAI',
    latency: 120,
    generation_time: 100,
    finish_reason: 'stop',
    tokens_prompt: 10,
    tokens_completion: 9,
    native_tokens_prompt: 10,
    native_tokens_completion: 9,
    origin: '',
    usage: 0.0001,
    is_byok: false,
    api_type: 'completions',
    data_region: 'global',
  };
}

function endpointsReply(route: string, state: MockState): MockReply {
  const id = route.slice('/models/'.length, -'/endpoints'.length);
  if (!state.price(id)) return { status: 404, body: orError(404, `Model ${id} not found`) };
  return {
    body: {
      data: {
        id,
        name: id,
        created: 1_700_000_000,
        description: `The mock's ${id}`,
        architecture: {
          tokenizer: 'Other',
          instruct_type: null,
          modality: 'text->text',
          input_modalities: ['text'],
          output_modalities: ['text'],
        },
        endpoints: [],
      },
    },
  };
}

function keyReply(req: RecordedRequest, state: MockState): MockReply {
  if (req.key === null) return NO_AUTH;
  const info = state.getKeyInfo(req.key);
  if (info && 'status' in info && typeof info.status === 'number') return errorSetting(info);
  return { body: { data: keyData(req.key, info as Parameters<typeof keyData>[1]) } };
}

function errorSetting(info: { status: number; body?: unknown }): MockReply {
  return { status: info.status, body: info.body ?? orError(info.status) };
}

type Handler = (body: Json, model: string, price: ModelPrice) => MockReply;

function inference(req: RecordedRequest, state: MockState, handler: Handler): MockReply {
  if (req.key === null) return NO_AUTH;
  const info = state.getKeyInfo(req.key);
  if (info && 'status' in info && typeof info.status === 'number') return errorSetting(info);
  const body = req.body as Json | null;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { status: 400, body: orError(400, 'Invalid JSON body') };
  }
  const picked = pickModel(body, state);
  if (typeof picked === 'object') return picked;
  const price = state.price(picked.replace(VARIANTS, '')) ?? { prompt: 0, completion: 0 };
  const refusal = accountRefusal(info as Partial<KeyData> | undefined, body, picked, price);
  if (refusal) return refusal;
  return handler(body, picked, price);
}

/**
 * What OpenRouter answers from the key's own account before any provider is
 * asked: a management key (401), no credit (402), one request the remaining
 * limit cannot afford (402, "fewer max_tokens"), the daily free-model quota
 * spent (429 with `X-RateLimit-*`, also in `metadata.headers`, reset at
 * midnight UTC). Undefined when none applies.
 */
function accountRefusal(
  data: Partial<KeyData> | undefined,
  body: Json,
  model: string,
  price: ModelPrice,
): MockReply | undefined {
  if (!data) return undefined;
  if (data.is_management_key || data.is_provisioning_key)
    return { status: 401, body: orError(401, MANAGEMENT_KEY_MESSAGE) };
  const free = model.endsWith(':free');
  if (free) {
    const daily = data.free_model_daily_requests;
    if (daily && daily.remaining <= 0) {
      const now = new Date();
      const reset = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      const headers = {
        'X-RateLimit-Limit': String(daily.limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(reset),
      };
      return {
        status: 429,
        headers,
        body: orError(429, FREE_DAILY_MESSAGE, { headers, provider_name: null }),
      };
    }
    return undefined;
  }
  const left = data.limit_remaining;
  if (typeof left !== 'number') return undefined;
  if (left <= 0) return { status: 402, body: orError(402) };
  const max = maxTokens(body);
  if (max !== undefined && price.completion > 0) {
    const affordable = Math.floor(left / price.completion);
    if (max > affordable) return { status: 402, body: orError(402, unaffordableMessage(max, affordable)) };
  }
  return undefined;
}

// The model that answers: `model`, else the first valid entry of `models` (fallbacks).
function pickModel(body: Json, state: MockState): string | MockReply {
  const candidates = [body.model, ...(Array.isArray(body.models) ? body.models : [])].filter(
    (m): m is string => typeof m === 'string' && m.length > 0,
  );
  if (candidates.length === 0) return { status: 400, body: orError(400, 'No models provided') };
  for (const id of candidates) {
    if (id === 'openrouter/auto') return 'openai/gpt-4o-mini';
    if (state.price(id.replace(VARIANTS, ''))) return id;
  }
  return { status: 400, body: orError(400, `${candidates[0]} is not a valid model ID`) };
}

function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let n = 0;
    for (const part of value) n += typeof part === 'string' ? part.length : textLength((part as Json)?.text);
    return n;
  }
  return 0;
}

function promptTokens(body: Json): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let chars = textLength(body.prompt);
  for (const m of messages) chars += textLength((m as Json)?.content);
  return Math.ceil(chars / 4) + 3 * messages.length + 1;
}

function usageFor(prompt: number, completion: number, price: ModelPrice) {
  const promptCost = prompt * price.prompt;
  const completionCost = completion * price.completion;
  return makeUsage({
    prompt_tokens: prompt,
    completion_tokens: completion,
    cost: promptCost + completionCost,
    cost_details: {
      upstream_inference_cost: null,
      upstream_inference_prompt_cost: promptCost,
      upstream_inference_completions_cost: completionCost,
    },
  });
}

function maxTokens(body: Json): number | undefined {
  const max = body.max_tokens ?? body.max_completion_tokens;
  return typeof max === 'number' && max > 0 ? max : undefined;
}

function wantsUsage(body: Json): boolean {
  return (body.stream_options as Json | undefined)?.include_usage === true;
}

function chatReply(body: Json, model: string, price: ModelPrice): MockReply {
  const tool = chosenTool(body);
  if (tool) return toolReply(body, model, price, tool);
  const max = maxTokens(body);
  const pieces = max !== undefined && max < REPLY_PIECES.length ? REPLY_PIECES.slice(0, max) : REPLY_PIECES;
  const finish = pieces === REPLY_PIECES ? 'stop' : 'length';
  const usage = usageFor(promptTokens(body), pieces.length, price);
  if (body.stream === true) {
    return {
      sse: chatChunks(model, pieces, { includeUsage: wantsUsage(body), usage, finishReason: finish }),
    };
  }
  return { body: chatCompletion(model, pieces.join(''), usage, finish) };
}

interface ToolDef {
  name: string;
  parameters?: { properties?: Record<string, { type?: string }> };
}

function chosenTool(body: Json): ToolDef | undefined {
  if (!Array.isArray(body.tools) || body.tools.length === 0 || body.tool_choice === 'none') return undefined;
  const tools = body.tools as { function?: ToolDef }[];
  const forced = (body.tool_choice as { function?: { name?: string } } | undefined)?.function?.name;
  const tool = tools.find((t) => t.function?.name === forced) ?? tools[0];
  return tool.function?.name ? tool.function : undefined;
}

const SAMPLE_VALUES: Record<string, unknown> = {
  string: 'Paris',
  number: 1,
  integer: 1,
  boolean: true,
  array: [],
  object: {},
};

function toolReply(body: Json, model: string, price: ModelPrice, tool: ToolDef): MockReply {
  const args: Json = {};
  for (const [name, schema] of Object.entries(tool.parameters?.properties ?? {})) {
    args[name] = SAMPLE_VALUES[schema?.type ?? 'string'] ?? null;
  }
  const json = JSON.stringify(args);
  const usage = usageFor(promptTokens(body), Math.ceil(json.length / 4) + 5, price);
  if (body.stream === true) {
    const third = Math.ceil(json.length / 3);
    const pieces = [json.slice(0, third), json.slice(third, 2 * third), json.slice(2 * third)].filter(
      Boolean,
    );
    const opts = { includeUsage: wantsUsage(body), usage, toolCall: true, toolName: tool.name };
    return { sse: chatChunks(model, pieces, opts) };
  }
  const call = {
    id: toolCallId(),
    type: 'function' as const,
    function: { name: tool.name, arguments: json },
  };
  return { body: toolCallCompletion(model, [call], usage) };
}

function apiUsage(body: Json, output: number, price: ModelPrice, extraChars = 0): ApiUsage {
  const input = promptTokens(body) + Math.ceil(extraChars / 4);
  return { input, output, cost: input * price.prompt + output * price.completion };
}

/** The tool the model calls, when the request offers one: Anthropic's or the Responses shape. */
function offeredTool(body: Json): MockToolCall | undefined {
  if (!Array.isArray(body.tools) || body.tools.length === 0) return undefined;
  // The tool's result is back: the model answers in text, as an agent's loop expects.
  if (answersToolResult(body)) return undefined;
  const choice = body.tool_choice as string | { type?: string; name?: string } | undefined;
  if (choice === 'none' || (typeof choice === 'object' && choice?.type === 'none')) return undefined;
  const tools = body.tools as {
    name?: string;
    input_schema?: ToolDef['parameters'];
    parameters?: ToolDef['parameters'];
  }[];
  const forced = typeof choice === 'object' ? choice?.name : undefined;
  const tool = tools.find((t) => t.name === forced) ?? tools[0];
  if (!tool?.name) return undefined;
  const args: Json = {};
  for (const [name, schema] of Object.entries((tool.input_schema ?? tool.parameters)?.properties ?? {}))
    args[name] = SAMPLE_VALUES[schema?.type ?? 'string'] ?? null;
  return { name: tool.name, args: JSON.stringify(args) };
}

/** Whether the request's last turn hands back a tool's result (Anthropic's or the Responses shape). */
function answersToolResult(body: Json): boolean {
  const last = Array.isArray(body.messages)
    ? (body.messages.at(-1) as Json | undefined)
    : Array.isArray(body.input)
      ? (body.input.at(-1) as Json | undefined)
      : undefined;
  if (!last) return false;
  if (last.type === 'function_call_output') return true;
  return Array.isArray(last.content) && last.content.some((part: Json) => part?.type === 'tool_result');
}

function thirds(text: string): string[] {
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)].filter(Boolean);
}

function messagesReply(body: Json, model: string, price: ModelPrice): MockReply {
  if (!Array.isArray(body.messages)) return { status: 400, body: orError(400, 'messages: Field required') };
  const system = textLength(body.system);
  const tool = offeredTool(body);
  const max = maxTokens(body);
  const pieces = tool
    ? thirds(tool.args)
    : max !== undefined && max < REPLY_PIECES.length
      ? REPLY_PIECES.slice(0, max)
      : REPLY_PIECES;
  const stop = tool ? 'tool_use' : pieces === REPLY_PIECES ? 'end_turn' : 'max_tokens';
  const usage = apiUsage(body, tool ? Math.ceil(tool.args.length / 4) + 5 : pieces.length, price, system);
  if (body.stream === true) return { sse: messagesEvents(model, pieces, usage, { tool, stop }) };
  return { body: messagesResult(model, pieces.join(''), usage, { tool, stop }) };
}

function responsesText(input: unknown): number {
  if (typeof input === 'string') return input.length;
  if (!Array.isArray(input)) return 0;
  let n = 0;
  for (const item of input as Json[]) n += textLength(item?.content) + textLength(item?.output);
  return n;
}

function responsesReply(body: Json, model: string, price: ModelPrice): MockReply {
  if (body.input === undefined) return { status: 400, body: orError(400, 'Input required: specify "input"') };
  if (body.store === true || typeof body.previous_response_id === 'string')
    return {
      status: 400,
      body: orError(
        400,
        'OpenRouter Responses are stateless: store and previous_response_id are not supported',
      ),
    };
  const tool = offeredTool(body);
  const chars = responsesText(body.input) + textLength(body.instructions);
  const max = typeof body.max_output_tokens === 'number' ? body.max_output_tokens : undefined;
  const pieces = tool
    ? thirds(tool.args)
    : max !== undefined && max < REPLY_PIECES.length
      ? REPLY_PIECES.slice(0, max)
      : REPLY_PIECES;
  const usage = apiUsage({}, tool ? Math.ceil(tool.args.length / 4) + 5 : pieces.length, price, chars);
  if (body.stream === true) return { sse: responsesEvents(model, body, pieces, usage, tool) };
  return { body: responsesResult(model, body, pieces.join(''), usage, tool) };
}

function completionReply(body: Json, model: string, price: ModelPrice): MockReply {
  if (body.prompt === undefined)
    return { status: 400, body: orError(400, 'Input required: specify "prompt"') };
  const max = maxTokens(body);
  const pieces =
    max !== undefined && max < COMPLETION_PIECES.length ? COMPLETION_PIECES.slice(0, max) : COMPLETION_PIECES;
  if (body.stream === true) return { sse: textCompletionChunks(model, pieces, wantsUsage(body)) };
  const finish = pieces === COMPLETION_PIECES ? 'stop' : 'length';
  return {
    body: textCompletion(model, pieces.join(''), usageFor(promptTokens(body), pieces.length, price), finish),
  };
}

function embeddingsReply(body: Json, model: string, price: ModelPrice): MockReply {
  const input = body.input;
  if (input === undefined || input === null || input === '') {
    return { status: 400, body: orError(400, 'Input required: specify "input"') };
  }
  const inputs = Array.isArray(input) && typeof input[0] !== 'number' ? input : [input];
  const dims = typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : undefined;
  const tokens = Math.ceil(textLength(inputs) / 4) || inputs.length;
  const answer = embedding(model, inputs.length, dims, {
    base64: body.encoding_format === 'base64',
    promptTokens: tokens,
  });
  answer.usage.cost = tokens * price.prompt;
  return { body: answer };
}
