import { describe, expect, it } from 'vitest';
import { validator } from '../../test/mock-openrouter/specs';
import { toOpenAiModelList } from './models-list';
import { catalogueModels } from './test-fixtures';

const checkList = validator('openai ListModelsResponse');

function expectValid(body: unknown): void {
  expect(() => checkList(body)).not.toThrow();
}

const catalogue = catalogueModels();
const aliases = {
  'deepseek-coder': 'deepseek/deepseek-coder',
  'gpt-4o*': 'openai/gpt-4o*',
  'my-coder': 'deepseek/deepseek-coder',
};

describe('toOpenAiModelList', () => {
  it("matches OpenAI's ListModelsResponse schema", () => {
    expectValid(toOpenAiModelList(catalogue, aliases));
    expectValid(toOpenAiModelList([], {}));
    expectValid(toOpenAiModelList([{ id: 'openrouter/auto' }], { fast: 'nowhere/model' }));
  });

  it('the schema rejects a model missing owned_by (the check has teeth)', () => {
    expect(() => checkList({ object: 'list', data: [{ id: 'x', object: 'model', created: 1 }] })).toThrow(
      /owned_by/,
    );
  });

  it('lists every catalogue model with OpenAI fields and keeps OpenRouter fields', () => {
    const list = toOpenAiModelList(catalogue, {});
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m.id)).toEqual(catalogue.map((m) => m.id));
    const gpt = list.data.find((m) => m.id === 'openai/gpt-4o');
    expect(gpt).toEqual({ ...catalogue[0], object: 'model', owned_by: 'openai' });
    expect(gpt?.pricing).toEqual(catalogue[0].pricing);
    expect(gpt?.supported_parameters).toEqual(['max_tokens', 'temperature', 'tools']);
    const free = list.data.find((m) => m.id === 'deepseek/deepseek-chat:free');
    expect(free?.owned_by).toBe('deepseek');
    expect(list.data.find((m) => m.id === 'meta-llama/llama-3.1-8b-instruct')?.owned_by).toBe('meta-llama');
  });

  it('lists exact aliases first, with the target fields and alias_for', () => {
    const list = toOpenAiModelList(catalogue, aliases);
    expect(list.data.slice(0, 2).map((m) => m.id)).toEqual(['deepseek-coder', 'my-coder']);
    const target = catalogue.find((m) => m.id === 'deepseek/deepseek-coder');
    expect(list.data[1]).toEqual({
      ...target,
      id: 'my-coder',
      object: 'model',
      owned_by: 'deepseek',
      alias_for: 'deepseek/deepseek-coder',
    });
    expect(list.data).toHaveLength(catalogue.length + 2);
  });

  it('does not list pattern aliases', () => {
    const list = toOpenAiModelList(catalogue, aliases);
    expect(list.data.some((m) => m.id.includes('*'))).toBe(false);
    expect(list.data.filter((m) => m.id.startsWith('openai/gpt-4o')).map((m) => m.id)).toEqual([
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
      'openai/gpt-4o-2024-08-06',
    ]);
  });

  it('lists an alias whose target is not in the catalogue with minimal fields', () => {
    const list = toOpenAiModelList(catalogue, { fast: 'groq/llama-3-70b', local: 'auto' });
    expect(list.data[0]).toEqual({
      id: 'fast',
      object: 'model',
      created: 0,
      owned_by: 'groq',
      alias_for: 'groq/llama-3-70b',
    });
    expect(list.data[1]).toEqual({
      id: 'local',
      object: 'model',
      created: 0,
      owned_by: 'openrouter',
      alias_for: 'auto',
    });
  });

  it('lists a catalogue id that is also an alias name once, as the alias', () => {
    const list = toOpenAiModelList(catalogue, { 'openai/gpt-4o': 'openai/gpt-4o-mini' });
    const entries = list.data.filter((m) => m.id === 'openai/gpt-4o');
    expect(entries).toHaveLength(1);
    expect(entries[0].alias_for).toBe('openai/gpt-4o-mini');
    expect(entries[0].name).toBe('Model openai/gpt-4o-mini');
    expect(list.data).toHaveLength(catalogue.length);
  });

  it('makes created a whole non-negative number and lists duplicate ids once', () => {
    const list = toOpenAiModelList(
      [
        { id: 'a/one', created: 1700000000.7 },
        { id: 'a/two', created: Number.NaN },
        { id: 'a/three' },
        { id: 'a/one', created: 5 },
      ],
      {},
    );
    expect(list.data.map((m) => [m.id, m.created])).toEqual([
      ['a/one', 1700000000],
      ['a/two', 0],
      ['a/three', 0],
    ]);
    expectValid(list);
  });

  it('does not change the catalogue it was given', () => {
    const copy = structuredClone(catalogue);
    toOpenAiModelList(catalogue, aliases);
    expect(catalogue).toEqual(copy);
  });
});
