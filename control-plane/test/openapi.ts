import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { HttpAnswer } from './test-control-plane';

/**
 * Checks a real response against `control-plane/openapi.yaml`: the status must be
 * documented for the operation, and the body must match the schema of its content type.
 */
export function openApiValidator(): (method: string, path: string, answer: HttpAnswer) => void {
  const spec = parse(readFileSync(resolve(__dirname, '../openapi.yaml'), 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: spec.components });
  const rewrite = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/'));
  return (method, path, answer) => {
    const operation = spec.paths[path]?.[method];
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in openapi.yaml`);
    let response = operation.responses[String(answer.status)];
    if (!response) throw new Error(`${method.toUpperCase()} ${path} answered ${answer.status}, which openapi.yaml does not document`);
    if (response.$ref) response = spec.components.responses[response.$ref.split('/').pop()];
    if (!response.content) return;
    const contentType = String(answer.headers['content-type'] ?? '').split(';')[0]!;
    const media = response.content[contentType];
    if (!media)
      throw new Error(
        `${method.toUpperCase()} ${path} ${answer.status} answered ${contentType}, documented: ${Object.keys(response.content)}`,
      );
    const validate = ajv.compile(rewrite(media.schema) as object);
    if (!validate(answer.json))
      throw new Error(`${method.toUpperCase()} ${path} ${answer.status} does not match openapi.yaml: ${ajv.errorsText(validate.errors)}`);
  };
}
