/** One entry of OpenRouter's `GET /models` catalogue. */
export interface CatalogueModel {
  id: string;
  canonical_slug: string;
  hugging_face_id: string | null;
  name: string;
  created: number;
  description: string;
  context_length: number | null;
  architecture: {
    modality: string | null;
    input_modalities: string[];
    output_modalities: string[];
    tokenizer: string;
    instruct_type: string | null;
  };
  pricing: Record<string, string>;
  top_provider: {
    context_length: number | null;
    max_completion_tokens: number | null;
    is_moderated: boolean;
  };
  per_request_limits: null | { prompt_tokens: number; completion_tokens: number };
  supported_parameters: string[];
  default_parameters: Record<string, number | null> | null;
  supported_voices: string[] | null;
  knowledge_cutoff: string | null;
  expiration_date: string | null;
  links: { details: string };
}

const SAMPLING = [
  'frequency_penalty',
  'max_tokens',
  'presence_penalty',
  'seed',
  'stop',
  'temperature',
  'top_p',
];
const OPENAI_PARAMS = [
  ...SAMPLING,
  'logit_bias',
  'logprobs',
  'response_format',
  'structured_outputs',
  'tool_choice',
  'tools',
  'top_logprobs',
  'web_search_options',
];
const TOOL_PARAMS = [...SAMPLING, 'tool_choice', 'tools', 'top_k', 'response_format'];
const OPEN_PARAMS = [
  ...SAMPLING,
  'min_p',
  'repetition_penalty',
  'top_k',
  'response_format',
  'tools',
  'tool_choice',
];
const FREE_PARAMS = [...SAMPLING, 'min_p', 'repetition_penalty', 'top_k'];

interface Spec {
  id: string;
  name: string;
  created: number;
  context: number;
  prompt: string;
  completion: string;
  maxOut: number | null;
  tokenizer: string;
  params: string[];
  description: string;
  input?: string[];
  output?: string[];
  instruct?: string | null;
  hf?: string | null;
  moderated?: boolean;
  slug?: string;
}

function model(s: Spec): CatalogueModel {
  const input = s.input ?? ['text'];
  const output = s.output ?? ['text'];
  const free = s.prompt === '0' && s.completion === '0';
  const pricing: Record<string, string> = { prompt: s.prompt, completion: s.completion };
  if (!s.output)
    Object.assign(pricing, { request: '0', image: '0', web_search: '0', internal_reasoning: '0' });
  return {
    id: s.id,
    canonical_slug: s.slug ?? s.id.replace(/:free$/, ''),
    hugging_face_id: s.hf ?? null,
    name: free ? `${s.name} (free)` : s.name,
    created: s.created,
    description: s.description,
    context_length: s.context,
    architecture: {
      modality: `${input.join('+')}->${output.join('+')}`,
      input_modalities: input,
      output_modalities: output,
      tokenizer: s.tokenizer,
      instruct_type: s.instruct ?? null,
    },
    pricing,
    top_provider: {
      context_length: s.context,
      max_completion_tokens: s.maxOut,
      is_moderated: s.moderated ?? false,
    },
    per_request_limits: null,
    supported_parameters: s.params,
    default_parameters: s.output ? null : { temperature: null, top_p: null, frequency_penalty: null },
    supported_voices: null,
    knowledge_cutoff: null,
    expiration_date: null,
    links: { details: `/api/v1/models/${s.id}/endpoints` },
  };
}

const SPECS: Spec[] = [
  {
    id: 'openai/gpt-4o',
    name: 'OpenAI: GPT-4o',
    created: 1715367049,
    context: 128000,
    prompt: '0.0000025',
    completion: '0.00001',
    maxOut: 16384,
    tokenizer: 'GPT',
    params: OPENAI_PARAMS,
    input: ['text', 'image', 'file'],
    moderated: true,
    description:
      'GPT-4o ("o" for "omni") is OpenAI\'s multimodal flagship model, taking text and image inputs.',
  },
  {
    id: 'openai/gpt-4o-mini',
    name: 'OpenAI: GPT-4o-mini',
    created: 1721260800,
    context: 128000,
    prompt: '0.00000015',
    completion: '0.0000006',
    maxOut: 16384,
    tokenizer: 'GPT',
    params: OPENAI_PARAMS,
    input: ['text', 'image', 'file'],
    moderated: true,
    description: "GPT-4o mini is OpenAI's small, affordable model, a successor to GPT-3.5 Turbo.",
  },
  {
    id: 'openai/gpt-4o-2024-08-06',
    name: 'OpenAI: GPT-4o (2024-08-06)',
    created: 1722902400,
    context: 128000,
    prompt: '0.0000025',
    completion: '0.00001',
    maxOut: 16384,
    tokenizer: 'GPT',
    params: OPENAI_PARAMS,
    input: ['text', 'image', 'file'],
    moderated: true,
    description: 'The 2024-08-06 version of GPT-4o, with structured outputs support.',
  },
  {
    id: 'anthropic/claude-3.5-sonnet',
    name: 'Anthropic: Claude 3.5 Sonnet',
    created: 1729555200,
    context: 200000,
    prompt: '0.000003',
    completion: '0.000015',
    maxOut: 8192,
    tokenizer: 'Claude',
    params: ['max_tokens', 'stop', 'temperature', 'tool_choice', 'tools', 'top_k', 'top_p'],
    input: ['text', 'image', 'file'],
    moderated: true,
    slug: 'anthropic/claude-3.5-sonnet-20241022',
    description:
      'Claude 3.5 Sonnet delivers better-than-Opus capabilities at Sonnet speeds, strong at coding.',
  },
  {
    id: 'anthropic/claude-3-5-haiku',
    name: 'Anthropic: Claude 3.5 Haiku',
    created: 1730678400,
    context: 200000,
    prompt: '0.0000008',
    completion: '0.000004',
    maxOut: 8192,
    tokenizer: 'Claude',
    params: ['max_tokens', 'stop', 'temperature', 'tool_choice', 'tools', 'top_k', 'top_p'],
    input: ['text', 'image'],
    moderated: true,
    slug: 'anthropic/claude-3-5-haiku-20241022',
    description: "Claude 3.5 Haiku is Anthropic's fastest model, for real-time tasks.",
  },
  {
    id: 'deepseek/deepseek-coder',
    name: 'DeepSeek: DeepSeek-Coder-V2',
    created: 1718323200,
    context: 128000,
    prompt: '0.00000004',
    completion: '0.00000012',
    maxOut: 4096,
    tokenizer: 'Other',
    params: FREE_PARAMS,
    hf: 'deepseek-ai/DeepSeek-Coder-V2-Instruct',
    description: 'DeepSeek-Coder-V2, an open-source Mixture-of-Experts code language model.',
  },
  {
    id: 'deepseek/deepseek-chat',
    name: 'DeepSeek: DeepSeek V3',
    created: 1735241320,
    context: 163840,
    prompt: '0.0000003',
    completion: '0.00000085',
    maxOut: 163840,
    tokenizer: 'DeepSeek',
    params: OPEN_PARAMS,
    hf: 'deepseek-ai/DeepSeek-V3',
    description:
      'DeepSeek-V3 is the latest model from the DeepSeek team, pre-trained on nearly 15 trillion tokens.',
  },
  {
    id: 'deepseek/deepseek-chat:free',
    name: 'DeepSeek: DeepSeek V3',
    created: 1735241320,
    context: 163840,
    prompt: '0',
    completion: '0',
    maxOut: null,
    tokenizer: 'DeepSeek',
    params: FREE_PARAMS,
    hf: 'deepseek-ai/DeepSeek-V3',
    description:
      'DeepSeek-V3 is the latest model from the DeepSeek team, pre-trained on nearly 15 trillion tokens.',
  },
  {
    id: 'meta-llama/llama-3.1-8b-instruct',
    name: 'Meta: Llama 3.1 8B Instruct',
    created: 1721692800,
    context: 131072,
    prompt: '0.00000002',
    completion: '0.00000005',
    maxOut: 8192,
    tokenizer: 'Llama3',
    params: OPEN_PARAMS,
    instruct: 'llama3',
    hf: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
    description:
      "Meta's latest class of model (Llama 3.1), the 8B instruct-tuned version, fast and efficient.",
  },
  {
    id: 'meta-llama/llama-3.1-8b-instruct:free',
    name: 'Meta: Llama 3.1 8B Instruct',
    created: 1721692800,
    context: 131072,
    prompt: '0',
    completion: '0',
    maxOut: 4096,
    tokenizer: 'Llama3',
    params: FREE_PARAMS,
    instruct: 'llama3',
    hf: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
    description:
      "Meta's latest class of model (Llama 3.1), the 8B instruct-tuned version, fast and efficient.",
  },
  {
    id: 'meta-llama/llama-3.3-70b-instruct',
    name: 'Meta: Llama 3.3 70B Instruct',
    created: 1733506137,
    context: 131072,
    prompt: '0.00000013',
    completion: '0.0000004',
    maxOut: 16384,
    tokenizer: 'Llama3',
    params: OPEN_PARAMS,
    instruct: 'llama3',
    hf: 'meta-llama/Llama-3.3-70B-Instruct',
    description:
      'The Meta Llama 3.3 multilingual large language model, a pretrained and instruction tuned 70B model.',
  },
  {
    id: 'google/gemini-2.0-flash-001',
    name: 'Google: Gemini 2.0 Flash',
    created: 1738769413,
    context: 1048576,
    prompt: '0.0000001',
    completion: '0.0000004',
    maxOut: 8192,
    tokenizer: 'Gemini',
    params: TOOL_PARAMS,
    input: ['text', 'image', 'file', 'audio', 'video'],
    description:
      'Gemini Flash 2.0 offers a significantly faster time to first token compared to Gemini Flash 1.5.',
  },
  {
    id: 'google/gemma-2-9b-it:free',
    name: 'Google: Gemma 2 9B',
    created: 1719532800,
    context: 8192,
    prompt: '0',
    completion: '0',
    maxOut: 8192,
    tokenizer: 'Gemini',
    params: FREE_PARAMS,
    instruct: 'gemma',
    hf: 'google/gemma-2-9b-it',
    description: 'Gemma 2 9B by Google is an advanced, open-source language model.',
  },
  {
    id: 'mistralai/mistral-large',
    name: 'Mistral Large',
    created: 1708905600,
    context: 128000,
    prompt: '0.000002',
    completion: '0.000006',
    maxOut: null,
    tokenizer: 'Mistral',
    params: TOOL_PARAMS,
    description:
      "Mistral AI's flagship model, Mistral Large 2, with strong reasoning and multilingual capabilities.",
  },
  {
    id: 'mistralai/mixtral-8x7b-instruct',
    name: 'Mistral: Mixtral 8x7B Instruct',
    created: 1702166400,
    context: 32768,
    prompt: '0.00000008',
    completion: '0.00000024',
    maxOut: 16384,
    tokenizer: 'Mistral',
    params: OPEN_PARAMS,
    instruct: 'mistral',
    hf: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
    description: 'Mixtral 8x7B Instruct is a pretrained generative Sparse Mixture of Experts by Mistral AI.',
  },
  {
    id: 'nousresearch/mixtral-8x7b-instruct',
    name: 'Nous: Mixtral 8x7B Instruct (DPO)',
    created: 1705363200,
    context: 32768,
    prompt: '0.0000006',
    completion: '0.0000006',
    maxOut: 2048,
    tokenizer: 'Mistral',
    params: FREE_PARAMS,
    instruct: 'chatml',
    hf: 'NousResearch/Nous-Hermes-2-Mixtral-8x7B-DPO',
    description: 'Nous Hermes 2 Mixtral 8x7B DPO, a fine-tune of Mixtral 8x7B by Nous Research.',
  },
  {
    id: 'qwen/qwen-2.5-coder-32b-instruct',
    name: 'Qwen2.5 Coder 32B Instruct',
    created: 1731368400,
    context: 32768,
    prompt: '0.00000006',
    completion: '0.00000015',
    maxOut: 16384,
    tokenizer: 'Qwen',
    params: OPEN_PARAMS,
    instruct: 'chatml',
    hf: 'Qwen/Qwen2.5-Coder-32B-Instruct',
    description: 'Qwen2.5-Coder is the latest series of code-specific Qwen large language models.',
  },
  {
    id: 'x-ai/grok-2-1212',
    name: 'xAI: Grok 2 1212',
    created: 1734232814,
    context: 131072,
    prompt: '0.000002',
    completion: '0.00001',
    maxOut: null,
    tokenizer: 'Grok',
    params: TOOL_PARAMS,
    description: 'Grok 2 1212 introduces improved accuracy, instruction adherence and multilingual support.',
  },
  {
    id: 'openai/text-embedding-3-small',
    name: 'OpenAI: Text Embedding 3 Small',
    created: 1705968000,
    context: 8192,
    prompt: '0.00000002',
    completion: '0',
    maxOut: null,
    tokenizer: 'GPT',
    params: [],
    output: ['embeddings'],
    description:
      "text-embedding-3-small is OpenAI's improved, more performant version of the ada embedding model.",
  },
  {
    id: 'openai/text-embedding-3-large',
    name: 'OpenAI: Text Embedding 3 Large',
    created: 1705968000,
    context: 8192,
    prompt: '0.00000013',
    completion: '0',
    maxOut: null,
    tokenizer: 'GPT',
    params: [],
    output: ['embeddings'],
    description:
      "text-embedding-3-large is OpenAI's most capable embedding model, with up to 3072 dimensions.",
  },
];

/** A fresh copy of the default catalogue (20 realistic models, including `:free` variants, an
 * ambiguous pair `mistralai/…` and `nousresearch/mixtral-8x7b-instruct`, and two embedding models). */
export function defaultModels(): CatalogueModel[] {
  return SPECS.map(model);
}
