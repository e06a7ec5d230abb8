import type { Upstream } from '../deps';
import { isRecord } from '../errors';
import type { Usage } from './usage';

/** Options of {@link usageOfGeneration}. */
export interface GenerationUsageOptions {
  upstream: Upstream;
  /** OpenRouter's base URL. */
  baseUrl: string;
  /** The `Authorization` of the key that served the generation (only its account can read it). */
  authorization: string;
  /** Waits before each try: OpenRouter lists a generation a moment after it ends. */
  delaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_DELAYS = [1000, 3000, 10_000];
const GENERATION_ID = /"id"\s*:\s*"(gen-[A-Za-z0-9_-]{1,100})"/;

/** The generation id of an OpenRouter chat stream, read from any of its chunks (each carries it). */
export function generationIdIn(sseText: string): string | null {
  return GENERATION_ID.exec(sseText)?.[1] ?? null;
}

/**
 * The usage of a finished generation from OpenRouter's `GET /generation?id=`
 * (it costs no tokens): how a stream whose client hung up before the usage
 * chunk is still charged. Tries a few times (the generation appears a moment
 * after it ends), then gives up with null.
 */
export async function usageOfGeneration(id: string, options: GenerationUsageOptions): Promise<Usage | null> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (const delay of options.delaysMs ?? DEFAULT_DELAYS) {
    await sleep(delay);
    try {
      const reply = await options.upstream.send({
        url: `${options.baseUrl}/generation?id=${encodeURIComponent(id)}`,
        method: 'GET',
        headers: { authorization: options.authorization, accept: 'application/json' },
        headersTimeoutMs: 10_000,
      });
      if (reply.status !== 200) {
        reply.cancel();
        if (reply.status === 404) continue;
        return null;
      }
      const json: unknown = JSON.parse(new TextDecoder().decode(await reply.bytes()));
      const data = isRecord(json) && isRecord(json.data) ? json.data : null;
      if (!data) return null;
      const promptTokens = numberOr0(data.tokens_prompt);
      const completionTokens = numberOr0(data.tokens_completion);
      return {
        promptTokens,
        completionTokens,
        totalTokens: promptTokens + completionTokens,
        cost: numberOr0(data.total_cost),
      };
    } catch {
      // A network failure: the next try, if any.
    }
  }
  return null;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
