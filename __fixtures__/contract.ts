/**
 * The official API models as a contract: checks that a request names only fields the operation knows, with the
 * documented types and values, and that a response body has only the model's fields, of the model's types, with
 * documented values wherever the model enumerates them. The fake cloud checks every request with it; the contract
 * tests walk every answer of the fake with it. The model is the in-repo copy `api-models/alicloud-api.json`
 * (docs/api-notes.md says where it comes from and how to read it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type FieldType = 'string' | 'number' | 'boolean' | 'any' | 'object' | 'array' | 'map';

export interface FieldModel {
  readonly type: FieldType;
  readonly in?: 'query' | 'body' | 'header';
  readonly required?: boolean;
  /** Documented value -> meaning. Keys like "2xx" stand for a range of codes. */
  readonly enum?: Readonly<Record<string, string>>;
  readonly fields?: Readonly<Record<string, FieldModel>>;
  readonly items?: FieldModel;
  readonly values?: FieldModel;
  /** On a request field sent as one string: the style its structured value is written in ('json'), and its schema. */
  readonly serialization?: string;
  readonly schema?: FieldModel;
}

export interface OperationModel {
  readonly product: string;
  readonly action: string;
  readonly method: string;
  readonly pathname: string;
  readonly style: string;
  readonly authType?: string;
  readonly request: Readonly<Record<string, FieldModel>>;
  readonly response: Readonly<Record<string, FieldModel>>;
}

export interface EndpointModel {
  readonly fallback: string;
  readonly endpointMap: Readonly<Record<string, string>>;
}

export interface ApiModel {
  readonly endpoints: Readonly<Record<string, EndpointModel>>;
  readonly operations: readonly OperationModel[];
}

export const MODEL_PATH = join(import.meta.dirname, 'api-models', 'alicloud-api.json');

let cached: ApiModel | undefined;
/** The in-repo model (parsed once; treat it as read-only, and use `copyModel` to change a fact). */
export function loadModel(): ApiModel {
  cached ??= JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as ApiModel;
  return cached;
}

/** A deep copy of the model, to perturb in tests. */
export function copyModel(model: ApiModel = loadModel()): ApiModel {
  return structuredClone<ApiModel>(model);
}

export function operation(model: ApiModel, product: string, action: string): OperationModel {
  const op = model.operations.find((o) => o.product === product && o.action === action);
  if (!op) throw new Error(`the model has no operation ${product}:${action}`);
  return op;
}

/** The operation a request is for, by method and path (SAE and EDAS paths do not overlap). */
export function operationFor(model: ApiModel, method: string, path: string): OperationModel | undefined {
  return model.operations.find((o) => o.method === method && o.pathname === path);
}

// ─────────────── values ───────────────

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, type: FieldType): boolean {
  switch (type) {
    case 'any':
      return v !== undefined;
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
    case 'map':
      return typeOf(v) === 'object';
  }
}

/** True when `value` (as text) is one of the enumerated values; "2xx" stands for 200..299. */
export function isDocumentedValue(value: string, documented: Readonly<Record<string, string>>): boolean {
  return Object.keys(documented).some((k) => {
    if (/^\dxx$/i.test(k)) return new RegExp(`^${k[0]}\\d\\d$`).test(value);
    // "0~100": a documented range of numbers (MinReadyInstanceRatio).
    const range = /^(-?\d+)~(-?\d+)$/.exec(k);
    if (range)
      return /^-?\d+(\.\d+)?$/.test(value) && Number(value) >= Number(range[1]) && Number(value) <= Number(range[2]);
    return k === value;
  });
}

function documentedList(documented: Readonly<Record<string, string>>): string {
  return Object.keys(documented).join(', ');
}

// ─────────────── responses ───────────────

/**
 * Walks a response body against an operation's `response` tree. Returns one line per violation, each naming the
 * field by its path, e.g. `Data.Pipelines[0].Status: 7 is not a documented value (0, 1, 2, ...)`.
 */
export function checkResponse(op: OperationModel, body: unknown): string[] {
  const out: string[] = [];
  if (typeOf(body) !== 'object') return [`the body is ${typeOf(body)}, not an object`];
  walkFields(op.response, body as Record<string, unknown>, '', out);
  return out;
}

function walkFields(
  fields: Readonly<Record<string, FieldModel>>,
  obj: Record<string, unknown>,
  prefix: string,
  out: string[],
): void {
  for (const [name, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const model = fields[name];
    if (!model) {
      out.push(`${path}: the model has no such field`);
      continue;
    }
    walkValue(model, value, path, out);
  }
}

function walkValue(model: FieldModel, value: unknown, path: string, out: string[]): void {
  if (!hasType(value, model.type)) {
    out.push(`${path}: ${typeOf(value)} ${JSON.stringify(value)?.slice(0, 40)} where the model says ${model.type}`);
    return;
  }
  if (model.enum && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
    if (!isDocumentedValue(String(value), model.enum))
      out.push(`${path}: ${JSON.stringify(value)} is not a documented value (${documentedList(model.enum)})`);
  }
  if (model.type === 'object' && model.fields) walkFields(model.fields, value as Record<string, unknown>, path, out);
  if (model.type === 'array' && model.items)
    (value as unknown[]).forEach((item, i) => walkValue(model.items!, item, `${path}[${i}]`, out));
  if (model.type === 'map' && model.values)
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      walkValue(model.values, v, `${path}.${k}`, out);
}

// ─────────────── requests ───────────────

export interface RequestShape {
  readonly method: string;
  readonly path: string;
  /** Decoded query. */
  readonly query: Readonly<Record<string, string>>;
  /** Decoded form body, when there is one. */
  readonly body?: Readonly<Record<string, string>>;
}

/** Text that parses as the documented type (query strings and form bodies carry every value as text). */
function textHasType(text: string, type: FieldType): boolean {
  switch (type) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text);
    case 'boolean':
      return text === 'true' || text === 'false';
    case 'object':
    case 'array':
    case 'map':
      try {
        const v: unknown = JSON.parse(text);
        return hasType(v, type);
      } catch {
        return false;
      }
    default:
      return true;
  }
}

/**
 * Checks a request against the operation its method and path name: every query and body field is one the model
 * has (in that place), every required field is present and not empty, and every value has the documented type and,
 * where the model enumerates values, one of them. Returns one line per violation, each naming the field.
 */
export function checkRequest(model: ApiModel, req: RequestShape): { op?: OperationModel; violations: string[] } {
  const op = operationFor(model, req.method, req.path);
  if (!op) {
    const samePath = model.operations.find((o) => o.pathname === req.path);
    return {
      violations: [
        samePath
          ? `${req.method} ${req.path}: ${samePath.action} is ${samePath.method}, not ${req.method}`
          : `${req.method} ${req.path}: no operation in the model has this path`,
      ],
    };
  }
  const out: string[] = [];
  const where: [Readonly<Record<string, string>>, 'query' | 'body'][] = [[req.query, 'query']];
  if (req.body) where.push([req.body, 'body']);
  for (const [values, place] of where) {
    for (const [name, text] of Object.entries(values)) {
      const field = op.request[name];
      if (!field) {
        out.push(`${op.action} ${place} field ${name}: the model has no such field`);
        continue;
      }
      if ((field.in ?? 'query') !== place) {
        out.push(`${op.action} ${place} field ${name}: the model puts it in the ${field.in}`);
        continue;
      }
      if (!textHasType(text, field.type))
        out.push(`${op.action} ${place} field ${name}: ${JSON.stringify(text)} is not a ${field.type}`);
      else if (field.serialization === 'json' && field.schema && !textHasType(text, field.schema.type))
        out.push(
          `${op.action} ${place} field ${name}: its text is not the JSON ${field.schema.type} the model serialises`,
        );
      else if (field.enum && !isDocumentedValue(text, field.enum))
        out.push(
          `${op.action} ${place} field ${name}: ${JSON.stringify(text)} is not a documented value (${documentedList(field.enum)})`,
        );
    }
  }
  for (const [name, field] of Object.entries(op.request)) {
    if (!field.required) continue;
    const source = field.in === 'body' ? req.body : req.query;
    if (source?.[name] === undefined || source[name] === '')
      out.push(`${op.action} ${field.in ?? 'query'} field ${name}: required, but missing`);
  }
  return { op, violations: out };
}
