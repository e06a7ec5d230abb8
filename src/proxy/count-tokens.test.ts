import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from './count-tokens';

describe('estimateInputTokens', () => {
  it('counts about four characters a token over system, messages and tools', () => {
    const small = estimateInputTokens({ messages: [{ role: 'user', content: 'Hi' }] });
    const big = estimateInputTokens({
      system: 'x'.repeat(4000),
      messages: [{ role: 'user', content: [{ type: 'text', text: 'y'.repeat(400) }] }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    });
    expect(small).toBeGreaterThanOrEqual(1);
    expect(small).toBeLessThan(10);
    expect(big).toBeGreaterThan(1100);
    expect(big).toBeLessThan(1200);
  });

  it('counts tool results and tool calls, and survives odd shapes', () => {
    const withTools = estimateInputTokens({
      messages: [
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't', name: 'f', input: { q: 'z'.repeat(400) } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'w'.repeat(400) }] },
      ],
    });
    expect(withTools).toBeGreaterThan(200);
    expect(estimateInputTokens({ messages: 42, system: null })).toBe(1);
  });
});
