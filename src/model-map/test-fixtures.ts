import type { OpenRouterModel } from './models-list';

/** Ids taken from OpenRouter's real catalogue, for tests. */
export const CATALOGUE_IDS: readonly string[] = [
  'openai/gpt-4o',
  'openai/gpt-4o-mini',
  'openai/gpt-4o-2024-08-06',
  'anthropic/claude-3.5-sonnet',
  'anthropic/claude-3-5-haiku',
  'deepseek/deepseek-coder',
  'deepseek/deepseek-chat',
  'deepseek/deepseek-chat:free',
  'meta-llama/llama-3.1-8b-instruct',
  'meta-llama/llama-3.1-8b-instruct:free',
  'google/gemini-2.0-flash-001',
  'mistralai/mixtral-8x7b-instruct',
  'nousresearch/mixtral-8x7b-instruct',
  'qwen/qwen-2.5-coder-32b-instruct',
  'openai/text-embedding-3-small',
];

/** Catalogue entries shaped like OpenRouter's `GET /models` answer, for tests. */
export function catalogueModels(ids: readonly string[] = CATALOGUE_IDS): OpenRouterModel[] {
  return ids.map((id, i) => ({
    id,
    canonical_slug: id,
    name: `Model ${id}`,
    created: 1_720_000_000 + i,
    description: `Description of ${id}`,
    context_length: 128000,
    architecture: {
      modality: 'text->text',
      input_modalities: ['text'],
      output_modalities: ['text'],
      tokenizer: 'GPT',
    },
    pricing: { prompt: id.endsWith(':free') ? '0' : '0.0000025', completion: '0.00001' },
    top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
    per_request_limits: null,
    supported_parameters: ['max_tokens', 'temperature', 'tools'],
  }));
}
