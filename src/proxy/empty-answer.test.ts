import { describe, expect, it } from 'vitest';
import { eventHasContent, isEmptyAnswer } from './empty-answer';

const chat = (message: object, finish = 'stop') => ({
  choices: [{ index: 0, message, finish_reason: finish }],
});

describe('isEmptyAnswer', () => {
  it('calls a chat answer empty without text or tool calls, unless cut by its limit', () => {
    expect(isEmptyAnswer(chat({ role: 'assistant', content: '' }), 'chat')).toBe(true);
    expect(isEmptyAnswer(chat({ role: 'assistant', content: null }), 'chat')).toBe(true);
    expect(isEmptyAnswer(chat({ role: 'assistant', content: 'Hi' }), 'chat')).toBe(false);
    expect(isEmptyAnswer(chat({ content: null, tool_calls: [{ id: 't' }] }), 'chat')).toBe(false);
    expect(isEmptyAnswer(chat({ content: '' }, 'length'), 'chat')).toBe(false);
    expect(isEmptyAnswer({ data: [{ embedding: [] }] }, 'chat')).toBe(false);
  });

  it('reads Anthropic Messages and OpenAI Responses answers', () => {
    expect(isEmptyAnswer({ type: 'message', content: [], stop_reason: 'end_turn' }, 'messages')).toBe(true);
    expect(isEmptyAnswer({ type: 'message', content: [{ type: 'text', text: 'x' }] }, 'messages')).toBe(
      false,
    );
    expect(isEmptyAnswer({ type: 'message', content: [{ type: 'tool_use', id: 't' }] }, 'messages')).toBe(
      false,
    );
    expect(isEmptyAnswer({ output: [] }, 'responses')).toBe(true);
    expect(
      isEmptyAnswer(
        { output: [{ type: 'message', content: [{ type: 'output_text', text: 'x' }] }] },
        'responses',
      ),
    ).toBe(false);
    expect(isEmptyAnswer({ output: [{ type: 'function_call', name: 'f' }] }, 'responses')).toBe(false);
  });
});

describe('eventHasContent', () => {
  it('tells role, finish and usage chunks from content, tool calls and reasoning', () => {
    const delta = (d: object, finish: string | null = null) =>
      JSON.stringify({ choices: [{ index: 0, delta: d, finish_reason: finish }] });
    expect(eventHasContent(null, delta({ role: 'assistant', content: '' }), 'chat')).toBe(false);
    expect(eventHasContent(null, delta({}, 'stop'), 'chat')).toBe(false);
    expect(eventHasContent(null, JSON.stringify({ choices: [], usage: { total_tokens: 3 } }), 'chat')).toBe(
      false,
    );
    expect(eventHasContent(null, delta({ content: 'H' }), 'chat')).toBe(true);
    expect(eventHasContent(null, delta({ tool_calls: [{ index: 0 }] }), 'chat')).toBe(true);
    expect(eventHasContent(null, delta({ reasoning: 'thinking' }), 'chat')).toBe(true);
    expect(eventHasContent('message_start', '{"type":"message_start"}', 'messages')).toBe(false);
    expect(eventHasContent('content_block_delta', '{"type":"content_block_delta"}', 'messages')).toBe(true);
    expect(eventHasContent(null, '{"type":"response.created"}', 'responses')).toBe(false);
    expect(eventHasContent(null, '{"type":"response.output_text.delta","delta":"H"}', 'responses')).toBe(
      true,
    );
  });
});
