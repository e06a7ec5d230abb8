/**
 * Payloads of OpenRouter's `/messages` (Anthropic Messages) and `/responses`
 * (OpenAI Responses), shaped to pass the schemas in test/specs (every member
 * OpenRouter's schema requires is sent, `null` where it may be; see the
 * README's "Known differences").
 */
import { generationId, providerFor } from './payloads.js';
import type { SseStep } from './types.js';

type Json = Record<string, unknown>;

/** Token counts and cost of one answer. */
export interface ApiUsage {
  input: number;
  output: number;
  cost: number;
}

/** A tool call the mock makes: the tool's name and its JSON arguments. */
export interface MockToolCall {
  name: string;
  args: string;
}

let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}${(++counter).toString(36).padStart(6, '0')}`;

// ---------------------------------------------------------------- Anthropic Messages

function anthropicUsage(usage: ApiUsage, withCost: boolean): Json {
  const base: Json = {
    input_tokens: usage.input,
    output_tokens: usage.output,
    output_tokens_details: null,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: null,
    inference_geo: null,
    server_tool_use: null,
    service_tier: 'standard',
  };
  return withCost ? { ...base, cost: usage.cost, is_byok: false } : base;
}

function messageShell(id: string, model: string, content: Json[], usage: Json, stop: string | null): Json {
  return {
    id,
    type: 'message',
    role: 'assistant',
    container: null,
    content,
    model,
    provider: providerFor(model),
    stop_reason: stop,
    stop_details: null,
    stop_sequence: null,
    usage,
  };
}

function toolUseBlock(call: MockToolCall, input: unknown): Json {
  return { type: 'tool_use', id: nextId('toolu'), caller: { type: 'direct' }, name: call.name, input };
}

/** A non-streamed Messages answer: text, or one tool call. */
export function messagesResult(
  model: string,
  text: string,
  usage: ApiUsage,
  opts: { tool?: MockToolCall; stop?: string } = {},
): Json {
  const content = opts.tool
    ? [toolUseBlock(opts.tool, JSON.parse(opts.tool.args))]
    : [{ type: 'text', text, citations: null }];
  const stop = opts.stop ?? (opts.tool ? 'tool_use' : 'end_turn');
  return messageShell(generationId(), model, content, anthropicUsage(usage, true), stop);
}

function event(type: string, data: Json): SseStep {
  return { raw: `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n` };
}

/** A streamed Messages answer, as Anthropic frames it (`event:` and `data:` lines). */
export function messagesEvents(
  model: string,
  pieces: string[],
  usage: ApiUsage,
  opts: { tool?: MockToolCall; stop?: string } = {},
): SseStep[] {
  const start = anthropicUsage({ input: usage.input, output: 1, cost: 0 }, false);
  const steps: SseStep[] = [
    event('message_start', { message: messageShell(generationId(), model, [], start, null) }),
  ];
  if (opts.tool) {
    steps.push(event('content_block_start', { index: 0, content_block: toolUseBlock(opts.tool, {}) }));
    for (const part of pieces)
      steps.push(
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: part } }),
      );
  } else {
    steps.push(
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '', citations: null } }),
    );
    steps.push(event('ping', {}));
    for (const part of pieces)
      steps.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: part } }));
  }
  steps.push(event('content_block_stop', { index: 0 }));
  steps.push(
    event('message_delta', {
      delta: {
        container: null,
        stop_details: null,
        stop_reason: opts.stop ?? (opts.tool ? 'tool_use' : 'end_turn'),
        stop_sequence: null,
      },
      usage: {
        input_tokens: usage.input,
        output_tokens: usage.output,
        output_tokens_details: null,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        server_tool_use: null,
        cost: usage.cost,
      },
    }),
  );
  steps.push(event('message_stop', {}));
  return steps;
}

/** Anthropic's error body, as OpenRouter's `/messages` sends it. */
export function anthropicError(type: string, message: string): Json {
  return { type: 'error', error: { type, message }, request_id: null };
}

/** The mid-stream `event: error` of a Messages stream. */
export function messagesErrorEvent(type: string, message: string): SseStep {
  return event('error', { error: { type, message } });
}

// ---------------------------------------------------------------- OpenAI Responses

function responsesUsage(usage: ApiUsage): Json {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input + usage.output,
    cost: usage.cost,
    is_byok: false,
  };
}

function responseShell(id: string, model: string, body: Json, status: string, output: Json[]): Json {
  const now = Math.floor(Date.now() / 1000);
  return {
    id,
    object: 'response',
    created_at: now,
    completed_at: status === 'completed' ? now : null,
    model,
    status,
    output,
    error: null,
    incomplete_details: null,
    temperature: null,
    top_p: null,
    presence_penalty: null,
    frequency_penalty: null,
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    metadata: null,
    tools: [],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    max_output_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null,
    store: false,
  };
}

function messageItem(id: string, text: string, status: string): Json {
  return {
    type: 'message',
    id,
    role: 'assistant',
    status,
    content: status === 'completed' ? [{ type: 'output_text', text, annotations: [] }] : [],
  };
}

function callItem(id: string, callId: string, call: MockToolCall, status: string): Json {
  return {
    type: 'function_call',
    id,
    call_id: callId,
    name: call.name,
    arguments: status === 'completed' ? call.args : '',
    status,
  };
}

/** A non-streamed Responses answer: text, or one function call. */
export function responsesResult(
  model: string,
  body: Json,
  text: string,
  usage: ApiUsage,
  tool?: MockToolCall,
): Json {
  const item = tool
    ? callItem(nextId('fc'), nextId('call'), tool, 'completed')
    : messageItem(nextId('msg'), text, 'completed');
  return { ...responseShell(generationId(), model, body, 'completed', [item]), usage: responsesUsage(usage) };
}

/** A streamed Responses answer: `event:` names and data with a `sequence_number` each. */
export function responsesEvents(
  model: string,
  body: Json,
  pieces: string[],
  usage: ApiUsage,
  tool?: MockToolCall,
): SseStep[] {
  const id = generationId();
  let seq = 0;
  const steps: SseStep[] = [];
  const push = (type: string, data: Json) =>
    steps.push({
      raw: `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: seq++ })}\n\n`,
    });
  // The schema holds `usage` to an object even before the answer: zeros, as OpenRouter sends.
  const pending = {
    ...responseShell(id, model, body, 'in_progress', []),
    usage: responsesUsage({ input: 0, output: 0, cost: 0 }),
  };
  push('response.created', { response: pending });
  push('response.in_progress', { response: pending });
  let done: Json;
  if (tool) {
    const itemId = nextId('fc');
    const callId = nextId('call');
    push('response.output_item.added', {
      output_index: 0,
      item: callItem(itemId, callId, tool, 'in_progress'),
    });
    for (const part of pieces)
      push('response.function_call_arguments.delta', { item_id: itemId, output_index: 0, delta: part });
    push('response.function_call_arguments.done', {
      item_id: itemId,
      output_index: 0,
      name: tool.name,
      arguments: tool.args,
    });
    done = callItem(itemId, callId, tool, 'completed');
  } else {
    const itemId = nextId('msg');
    const text = pieces.join('');
    const part = { type: 'output_text', text: '', annotations: [] };
    push('response.output_item.added', { output_index: 0, item: messageItem(itemId, '', 'in_progress') });
    push('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part });
    for (const delta of pieces)
      push('response.output_text.delta', {
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      });
    push('response.output_text.done', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      text,
      logprobs: [],
    });
    push('response.content_part.done', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { ...part, text },
    });
    done = messageItem(itemId, text, 'completed');
  }
  push('response.output_item.done', { output_index: 0, item: done });
  push('response.completed', {
    response: { ...responseShell(id, model, body, 'completed', [done]), usage: responsesUsage(usage) },
  });
  return steps;
}

/** The `error` event of a Responses stream. */
export function responsesErrorEvent(code: string, message: string, sequence = 0): SseStep {
  const data = { type: 'error', code, message, param: null, sequence_number: sequence };
  return { raw: `event: error\ndata: ${JSON.stringify(data)}\n\n` };
}
