import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** Where the OpenAPI schema subsets live: `test/specs` (see its README for their source). */
export const SPECS_DIR = new URL('../specs/', import.meta.url);

type FormatsFn = (a: Ajv2020) => void;

let ajv: Ajv2020 | undefined;

function instance(): Ajv2020 {
  if (ajv) return ajv;
  const created = new Ajv2020({ strict: false, allErrors: true });
  const mod = addFormatsModule as unknown as FormatsFn | { default: FormatsFn };
  const addFormats = typeof mod === 'function' ? mod : mod.default;
  addFormats(created);
  for (const f of ['int32', 'int64', 'double', 'float', 'unixtime', 'binary']) created.addFormat(f, true);
  for (const file of ['openai-schemas.json', 'openrouter-schemas.json']) {
    const doc = JSON.parse(readFileSync(new URL(file, SPECS_DIR), 'utf8')) as {
      $id: string;
      components: object;
    };
    created.addSchema({ $id: doc.$id, components: doc.components });
  }
  ajv = created;
  return created;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 10)
    .map((e) => `  ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}

/**
 * A checker for one schema, e.g. `validator('openrouter#/components/schemas/ChatResult')` or the
 * short form `validator('openrouter ChatResult')`. The returned function throws with readable errors.
 */
export function validator(ref: string): (value: unknown) => void {
  const full = ref.includes('#') ? ref : ref.replace(/^(\w+)\s+(\w+)$/, '$1#/components/schemas/$2');
  const validate: ValidateFunction | undefined = instance().getSchema(full);
  if (!validate) throw new Error(`unknown schema ${ref}`);
  return (value: unknown) => {
    if (!validate(value)) {
      const shown = JSON.stringify(value).slice(0, 400);
      throw new Error(`does not match ${full}:\n${describeErrors(validate.errors)}\nvalue: ${shown}`);
    }
  };
}
