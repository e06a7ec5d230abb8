/** Ready-to-run code that uses a client key with the proxy at `baseUrl` (`https://host/v1`). */
export function snippets(
  baseUrl: string,
  key: string,
  model: string,
): { curl: string; js: string; python: string } {
  const q = JSON.stringify;
  return {
    curl: [
      `curl ${baseUrl}/chat/completions \\`,
      `  -H "Authorization: Bearer ${key}" \\`,
      '  -H "Content-Type: application/json" \\',
      `  -d '${JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello!' }] })}'`,
    ].join('\n'),
    js: [
      "import OpenAI from 'openai';",
      '',
      'const client = new OpenAI({',
      `  baseURL: ${q(baseUrl)},`,
      `  apiKey: ${q(key)},`,
      '});',
      'const answer = await client.chat.completions.create({',
      `  model: ${q(model)},`,
      "  messages: [{ role: 'user', content: 'Hello!' }],",
      '});',
      'console.log(answer.choices[0].message.content);',
    ].join('\n'),
    python: [
      'from openai import OpenAI',
      '',
      'client = OpenAI(',
      `    base_url=${q(baseUrl)},`,
      `    api_key=${q(key)},`,
      ')',
      'answer = client.chat.completions.create(',
      `    model=${q(model)},`,
      '    messages=[{"role": "user", "content": "Hello!"}],',
      ')',
      'print(answer.choices[0].message.content)',
    ].join('\n'),
  };
}

/** A model for the snippets: the first the key may use by exact name, else a common one. */
export function sampleModel(models: readonly string[] | null): string {
  return models?.find((m) => !m.includes('*')) ?? 'openai/gpt-4o-mini';
}
