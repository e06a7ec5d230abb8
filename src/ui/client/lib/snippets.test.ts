import { describe, expect, it } from 'vitest';
import { sampleModel, snippets } from './snippets';

describe('snippets', () => {
  const s = snippets('https://router.example/v1', 'cr-secret', 'openai/gpt-4o-mini');

  it('point the openai SDK and curl at the proxy with the key', () => {
    expect(s.js).toContain('baseURL: "https://router.example/v1",\n  apiKey: "cr-secret",');
    expect(s.python).toContain('base_url="https://router.example/v1",\n    api_key="cr-secret",');
    expect(s.curl).toContain('curl https://router.example/v1/chat/completions');
    expect(s.curl).toContain('Authorization: Bearer cr-secret');
    expect(s.curl).toContain('"model":"openai/gpt-4o-mini"');
  });
});

describe('sampleModel', () => {
  it('uses a model the key may use', () => {
    expect(sampleModel(['anthropic/*', 'deepseek/deepseek-chat'])).toBe('deepseek/deepseek-chat');
    expect(sampleModel(['anthropic/*'])).toBe('openai/gpt-4o-mini');
    expect(sampleModel(null)).toBe('openai/gpt-4o-mini');
  });
});
