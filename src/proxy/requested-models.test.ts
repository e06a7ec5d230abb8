import { describe, expect, it } from 'vitest';
import { requestedModels } from './requested-models';

describe('requestedModels', () => {
  it('answers the model and the fallback array as given', () => {
    expect(requestedModels({ model: 'openai/gpt-4o' })).toEqual({ model: 'openai/gpt-4o', models: null });
    expect(requestedModels({ models: ['a/b', 'c/d:free'] })).toEqual({
      model: null,
      models: ['a/b', 'c/d:free'],
    });
  });

  it('refuses a request naming no model, or a name that is not a string', () => {
    expect(requestedModels({})).toHaveProperty('error');
    expect(requestedModels({ model: null })).toHaveProperty('error');
    expect(requestedModels({ model: 1 })).toEqual({ error: '"model" must be a string naming a model' });
    expect(requestedModels({ model: '' })).toEqual({ error: '"model" must not be empty' });
    expect(requestedModels({ model: 'a/b', models: 'c/d' })).toEqual({
      error: '"models" must be a non-empty array of model names',
    });
  });

  it('bounds the names: length, printable ASCII without spaces, at most 32 fallbacks', () => {
    expect(requestedModels({ model: 'x'.repeat(200) })).toEqual({ model: 'x'.repeat(200), models: null });
    expect(requestedModels({ model: 'x'.repeat(201) })).toHaveProperty('error');
    expect(requestedModels({ model: 'openai/模型' })).toHaveProperty('error');
    expect(requestedModels({ model: 'a b' })).toHaveProperty('error');
    expect(requestedModels({ model: 'a\u007fb' })).toHaveProperty('error');
    expect(requestedModels({ models: Array(33).fill('a/b') })).toHaveProperty('error');
  });
});
