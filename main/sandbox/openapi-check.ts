/**
 * Checks a logged Graph request against the OpenAPI subset of Microsoft's Graph description
 * for presence (`shared/graph/presence-openapi.json`, kept beside the repository): the path
 * matches a template, the operation exists, `$` query options are declared, and the JSON body
 * fits the schema. Three rules are stricter than the file read literally. The parameters the
 * API reference calls required (listed in `x-required-per-docs`) are required. A body may not
 * carry parameters the action does not declare, because Graph rejects those with 400. A
 * nullable reference accepts the referenced type or null, not any object.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvModule, { type Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS; under Node's ESM loader their default import is the
// module object, and the class and plugin are its `default` property.
const AjvClass = ajvModule.default;
const addFormats = ajvFormatsModule.default;

/** The parts of a request the check reads; a `RequestLogEntry` fits. */
export interface OpenApiCheckEntry {
  method: string;
  /** Path with the version prefix (`/v1.0/...` or `/beta/...`), without the query. */
  path: string;
  query?: Record<string, string>;
  /** Header names in lower case. */
  headers?: Record<string, string>;
  /** The parsed JSON body, or null/undefined for none. */
  body?: unknown;
}

export interface OpenApiCheckResult {
  valid: boolean;
  /** The matched path template, such as `/v1.0/users/{user-id}/presence/setPresence`. */
  template: string | null;
  operationId: string | null;
  /** Mismatches, one sentence each. */
  problems: string[];
}

/** Raised when the OpenAPI file is not where the repository layout puts it. */
export class OpenApiSpecMissingError extends Error {
  constructor(readonly specPath: string) {
    super(
      `The Graph OpenAPI subset was not found at ${specPath}. Clone the shared folder beside the ` +
        'repository (../shared/graph/presence-openapi.json) or pass the file path.',
    );
    this.name = 'OpenApiSpecMissingError';
  }
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

interface LoadedSpec {
  document: OpenApiDocument;
  templates: { template: string; pattern: RegExp }[];
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared/graph/presence-openapi.json` from the repository root. */
export const DEFAULT_OPENAPI_PATH = join(REPO_ROOT, '..', 'shared', 'graph', 'presence-openapi.json');

const SPEC_ID = 'presence-openapi';
const loaded = new Map<string, LoadedSpec>();

/** Returns true when `path` is a Graph path, the only kind the check applies to. */
export function isGraphPath(path: string): boolean {
  return path.startsWith('/v1.0/') || path.startsWith('/beta/');
}

export function validateRequestAgainstOpenApi(entry: OpenApiCheckEntry, specPath: string = DEFAULT_OPENAPI_PATH): OpenApiCheckResult {
  const spec = loadSpec(specPath);
  const problems: string[] = [];
  const result = (template: string | null, operationId: string | null): OpenApiCheckResult => ({
    valid: problems.length === 0,
    template,
    operationId,
    problems,
  });

  if (!isGraphPath(entry.path)) {
    problems.push(`${entry.path} is not a Graph path: it must start with /v1.0/ or /beta/.`);
    return result(null, null);
  }

  // The description uses the short action segment; the `microsoft.graph.` form is the same
  // operation (Microsoft's converter strips that namespace from action paths).
  const path = entry.path.replace(/\/microsoft\.graph\.([A-Za-z]+)$/, '/$1');
  const template = spec.templates.find((candidate) => candidate.pattern.test(path))?.template ?? null;
  if (template === null) {
    problems.push(`No path template in the OpenAPI subset matches ${entry.path}.`);
    return result(null, null);
  }

  const pathItem = spec.document.paths[template] ?? {};
  const method = entry.method.toLowerCase();
  const operation = pathItem[method] as OpenApiOperation | undefined;
  if (operation === undefined) {
    problems.push(`The OpenAPI subset has no ${entry.method.toUpperCase()} operation on ${template}.`);
    return result(template, null);
  }

  checkQuery(entry, operation, problems);
  checkBody(spec, entry, template, method, operation, problems);
  return result(template, operation.operationId ?? null);
}

function checkQuery(entry: OpenApiCheckEntry, operation: OpenApiOperation, problems: string[]): void {
  const declared = new Set((operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
  for (const name of Object.keys(entry.query ?? {})) {
    if (name.startsWith('$') && !declared.has(name)) {
      problems.push(`Query option ${name} is not declared for this operation.`);
    }
  }
}

function checkBody(
  spec: LoadedSpec,
  entry: OpenApiCheckEntry,
  template: string,
  method: string,
  operation: OpenApiOperation,
  problems: string[],
): void {
  const body = entry.body;
  const hasBody = body !== undefined && body !== null && body !== '';
  const requestBody = operation.requestBody;

  if (requestBody === undefined) {
    const emptyObject = typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
    if (hasBody && !emptyObject) {
      problems.push(`${template} takes no request body, but one was sent.`);
    }
    return;
  }

  if (!hasBody) {
    if (requestBody.required === true) {
      problems.push(`${template} requires a JSON request body.`);
    }
    return;
  }

  const contentType = (entry.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (entry.headers !== undefined && contentType !== 'application/json') {
    problems.push(`Content-Type is '${contentType ?? ''}', expected application/json.`);
  }

  const schema = requestBody.content?.['application/json']?.schema;
  if (schema === undefined) {
    return;
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    problems.push('The request body is not a JSON object.');
    return;
  }

  const validate = bodyValidator(spec, template, method);
  if (!validate(body)) {
    for (const error of validate.errors ?? []) {
      problems.push(describeAjvError(error));
    }
  }

  const declared = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  for (const name of Object.keys(body as Record<string, unknown>)) {
    if (!declared.includes(name)) {
      problems.push(`Body parameter '${name}' is not declared for ${operation.operationId ?? template}.`);
    }
  }
}

function bodyValidator(spec: LoadedSpec, template: string, method: string): ValidateFunction {
  const key = `${method} ${template}`;
  const cached = spec.validators.get(key);
  if (cached !== undefined) {
    return cached;
  }

  const pointer = ['paths', template, method, 'requestBody', 'content', 'application/json', 'schema'].map(escapePointer).join('/');
  const validate = spec.ajv.compile({ $ref: `${SPEC_ID}#/${pointer}` });
  spec.validators.set(key, validate);
  return validate;
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'body' : `body${error.instancePath.replaceAll('/', '.')}`;
  return `${where} ${error.message ?? 'is invalid'}${error.keyword === 'enum' ? ` (${JSON.stringify(error.params)})` : ''}.`;
}

function loadSpec(specPath: string): LoadedSpec {
  const cached = loaded.get(specPath);
  if (cached !== undefined) {
    return cached;
  }
  if (!existsSync(specPath)) {
    throw new OpenApiSpecMissingError(specPath);
  }

  const document = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
  requireDocumentedParameters(document);
  narrowNullableReferences(document);

  // strict: false because OpenAPI adds keywords (nullable aside) that JSON Schema lacks.
  const ajv = new AjvClass({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: SPEC_ID });

  const templates = Object.keys(document.paths).map((template) => ({ template, pattern: templatePattern(template) }));
  const spec: LoadedSpec = { document, templates, ajv, validators: new Map() };
  loaded.set(specPath, spec);
  return spec;
}

/** Turns each body schema's `x-required-per-docs` list into a JSON Schema `required` list. */
function requireDocumentedParameters(document: OpenApiDocument): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      const schema = (operation as OpenApiOperation | undefined)?.requestBody?.content?.['application/json']?.schema;
      const documented = schema?.['x-required-per-docs'];
      if (schema !== undefined && Array.isArray(documented)) {
        schema.required = [...documented];
      }
    }
  }
}

/**
 * Microsoft's converter writes "this reference or null" as
 * `anyOf: [{$ref}, {type: 'object', nullable: true}]`. Read literally, the second branch
 * accepts any object and so switches off the check of nested values; it is narrowed to null.
 */
function narrowNullableReferences(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(narrowNullableReferences);
    return;
  }
  if (typeof node !== 'object' || node === null) {
    return;
  }

  const record = node as Record<string, unknown>;
  const anyOf = record.anyOf;
  if (Array.isArray(anyOf) && anyOf.some((branch) => typeof branch === 'object' && branch !== null && '$ref' in branch)) {
    record.anyOf = anyOf.map((branch: unknown) => (isBareNullableObject(branch) ? { type: 'null' } : branch));
  }
  Object.values(record).forEach(narrowNullableReferences);
}

function isBareNullableObject(branch: unknown): boolean {
  if (typeof branch !== 'object' || branch === null) {
    return false;
  }
  const keys = Object.keys(branch).sort();
  const record = branch as Record<string, unknown>;
  return keys.length === 2 && keys[0] === 'nullable' && keys[1] === 'type' && record.type === 'object' && record.nullable === true;
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}
