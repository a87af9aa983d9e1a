import type { DeployField } from '../products/deploy.js';
import { PRODUCTS } from '../products/registry.js';
import { InputError, quote } from './parse.js';
import type { DeploySettings, ProductId } from './settings.js';

/** The inputs that ask the action to start the release itself (deploy mode). */
export const DEPLOY_INPUTS = [
  'image-url',
  'package-url',
  'package-version',
  'package-type',
  'deploy-parameters',
  'change-order-description',
] as const;

/** DeployApplication fields that have their own input: deploy-parameters may not set them behind its back. */
const OWN_INPUT: Readonly<Record<string, string>> = {
  AppId: 'app-id',
  ImageUrl: 'image-url',
  PackageUrl: 'package-url',
  PackageVersion: 'package-version',
  PackageType: 'package-type',
  ChangeOrderDesc: 'change-order-description',
};

/** A package's type by its file name, where the name makes it plain (a .zip may be PHP or Python, so it does not). */
const BY_EXTENSION: Readonly<Record<string, string>> = { jar: 'FatJar', war: 'War' };

const IMAGE = /^[A-Za-z0-9][\x21-\x7e]{0,511}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
const MAX_DESCRIPTION = 256;

export interface DeployContext {
  readonly product: ProductId;
  readonly changeOrderId: string;
  readonly appId?: string;
}

/**
 * The deploy inputs, checked against the product's model before any call; undefined when none is set (gate-only
 * mode). Never quotes a deploy-parameters value in an error: they may be secrets. Throws InputError.
 */
export function readDeploy(
  get: (name: string) => string,
  env: NodeJS.ProcessEnv,
  context: DeployContext,
): DeploySettings | undefined {
  const given = DEPLOY_INPUTS.filter((name) => get(name));
  if (!given.length) return undefined;
  const names = given.map((n) => `"${n}"`).join(', ');
  const model = PRODUCTS[context.product].deploy;
  if (!model)
    throw new InputError(
      `Inputs ${names} deploy a release, which the action does for SAE only: deploying to ${PRODUCTS[context.product].label} is out of scope for now; deploy with your own step and gate its change order with "change-order-id"`,
    );
  if (context.changeOrderId)
    throw new InputError(
      `Input "change-order-id" cannot be combined with ${names}: either this step deploys (and gates the change order it starts), or it gates a change order started elsewhere`,
    );
  if (!context.appId)
    throw new InputError(`Input "app-id" is required with ${names}: the ID of the SAE application to deploy`);

  const imageUrl = get('image-url');
  const packageUrl = get('package-url');
  const packageVersion = get('package-version');
  const packageTypeRaw = get('package-type');
  if (imageUrl && packageUrl)
    throw new InputError(
      'Inputs "image-url" and "package-url" cannot both be set: deploy either an image or a package',
    );
  if (!imageUrl && !packageUrl)
    throw new InputError(
      `Inputs ${names} need something to deploy: "image-url" (an image, e.g. registry.cn-hangzhou.aliyuncs.com/acme/shop:1.4.2) or "package-url" with "package-version" (a JAR, WAR or zip)`,
    );
  const packageType = packageTypeRaw ? packageTypeOf(packageTypeRaw, model.packageTypes) : undefined;
  const fields: Record<string, string | number | boolean> = {};
  let what: string;
  if (imageUrl) {
    if (!IMAGE.test(imageUrl) || imageUrl.includes('://'))
      throw new InputError(
        `Invalid input "image-url": ${quote(imageUrl)} is not an image reference such as registry.cn-hangzhou.aliyuncs.com/acme/shop:1.4.2 (no scheme, no spaces)`,
      );
    if (packageVersion)
      throw new InputError(
        'Input "package-version" goes with "package-url": an image is versioned by its tag in "image-url"',
      );
    const type = packageType ?? 'Image';
    if (!isImageType(type))
      throw new InputError(
        `Invalid input "package-type": ${quote(type)} is a package type, not an image type: with "image-url" use Image (the default) or an IMAGE_PHP_* type`,
      );
    Object.assign(fields, { PackageType: type, ImageUrl: imageUrl });
    what = `image ${imageUrl}`;
  } else {
    const url = parsePackageUrl(packageUrl);
    if (!packageVersion)
      throw new InputError(
        'Input "package-version" is required with "package-url": the version SAE records for the package, e.g. 1.4.2 or the commit SHA',
      );
    if (!VERSION.test(packageVersion))
      throw new InputError(
        `Invalid input "package-version": ${quote(packageVersion)} is not a version: use letters, digits, ".", "_", "+" or "-" (at most 64 characters), e.g. 1.4.2`,
      );
    const extension = /\.([A-Za-z0-9]+)$/.exec(url.pathname)?.[1]?.toLowerCase();
    const type = packageType ?? (extension ? BY_EXTENSION[extension] : undefined);
    if (!type)
      throw new InputError(
        `Input "package-type" is required: the type of ${quote(packageUrl)} is not plain from its name (${extension ? `.${extension}` : 'no extension'}); use ${model.packageTypes.filter((t) => !isImageType(t)).join(', ')}`,
      );
    if (isImageType(type))
      throw new InputError(
        `Invalid input "package-type": ${quote(type)} is an image type: use "image-url" to deploy an image, or a package type (FatJar, War, PhpZip, PythonZip) with "package-url"`,
      );
    Object.assign(fields, { PackageType: type, PackageUrl: packageUrl, PackageVersion: packageVersion });
    what = `${type} package ${url.origin}${url.pathname} version ${packageVersion}`;
  }

  const description = get('change-order-description') || defaultDescription(env);
  if (description.length > MAX_DESCRIPTION || /\p{Cc}/u.test(description))
    throw new InputError(
      `Invalid input "change-order-description": ${quote(description)} must be one line of at most ${MAX_DESCRIPTION} characters`,
    );
  fields.ChangeOrderDesc = description;

  const { values, secrets } = parseDeployParameters(get('deploy-parameters'), model.fields);
  Object.assign(fields, values);
  return Object.freeze({
    what,
    packageType: String(fields.PackageType),
    fields: Object.freeze(fields),
    parameterNames: Object.keys(values),
    description,
    secrets,
  });
}

function packageTypeOf(value: string, types: readonly string[]): string {
  const type = types.find((t) => t.toLowerCase() === value.toLowerCase());
  if (!type) throw new InputError(`Invalid input "package-type": ${quote(value)} is not one of ${types.join(', ')}`);
  return type;
}

function isImageType(type: string): boolean {
  return type === 'Image' || type.startsWith('IMAGE_');
}

function parsePackageUrl(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
    throw new InputError(
      `Invalid input "package-url": ${quote(value)} is not an http(s) URL of a package, e.g. https://acme.oss-cn-hangzhou.aliyuncs.com/shop/shop-1.4.2.jar`,
    );
  return url;
}

/** `<repo>@<short sha> by <actor> (run <id>)`: the console then says where the release came from. */
export function defaultDescription(env: NodeJS.ProcessEnv): string {
  const clean = (v: string | undefined) => (v ?? '').replace(/\p{Cc}/gu, '').trim();
  const repo = clean(env.GITHUB_REPOSITORY) || 'GitHub Actions';
  const sha = clean(env.GITHUB_SHA).slice(0, 7);
  const actor = clean(env.GITHUB_ACTOR);
  const run = clean(env.GITHUB_RUN_ID);
  return [`${repo}${sha ? `@${sha}` : ''}`, actor && `by ${actor}`, run && `(run ${run})`]
    .filter(Boolean)
    .join(' ')
    .slice(0, MAX_DESCRIPTION);
}

/**
 * deploy-parameters: a JSON object of further DeployApplication fields. Each name must be one the model knows (and
 * not one with its own input), each value of the model's type: a number, a boolean, or a string. A string the model
 * documents as JSON text is sent as given (it stays a string: never parsed and re-encoded); such a field may also be
 * given as the JSON itself, which is sent as its text. Errors name the field and the type, never the value.
 */
export function parseDeployParameters(
  raw: string,
  model: Readonly<Record<string, DeployField>>,
): { values: Record<string, string | number | boolean>; secrets: string[] } {
  const values: Record<string, string | number | boolean> = {};
  const secrets: string[] = [];
  if (!raw) return { values, secrets };
  const bad = (detail: string) => new InputError(`Invalid input "deploy-parameters": ${detail}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // The parser's message quotes the text, which may hold secrets: say where, not what.
    throw bad('it is not valid JSON: give a JSON object of DeployApplication fields, e.g. {"Replicas": 2}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw bad('it is not a JSON object: give DeployApplication fields by name, e.g. {"Replicas": 2}');
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Object.hasOwn(OWN_INPUT, name)) throw bad(`field ${name} has its own input: use "${OWN_INPUT[name]}" instead`);
    const field = Object.hasOwn(model, name) ? model[name] : undefined;
    if (!field) {
      const near = Object.keys(model).find((k) => k.toLowerCase() === name.toLowerCase());
      throw bad(
        `${quote(name)} is not a DeployApplication field${near ? ` (did you mean ${near}?)` : ''}; the fields are those of the SAE API reference, e.g. Replicas, Envs, Jdk, UpdateStrategy`,
      );
    }
    values[name] = checkValue(name, value, field, bad);
    collectSecrets(value, secrets);
  }
  return { values, secrets };
}

function checkValue(
  name: string,
  value: unknown,
  field: DeployField,
  bad: (detail: string) => InputError,
): string | number | boolean {
  const got =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;
  if (field.type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`field ${name} is ${got}, not a number`);
    if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max))
      throw bad(`field ${name} is out of range: use ${field.min} to ${field.max}`);
    return value;
  }
  if (field.type === 'boolean') {
    if (typeof value !== 'boolean') throw bad(`field ${name} is ${got}, not true or false`);
    return value;
  }
  if (typeof value === 'string') {
    if (field.json && field.json !== 'text') checkJson(name, value, field.json, bad);
    return value;
  }
  if (field.json && value !== null && typeof value === 'object') {
    const text = JSON.stringify(value);
    if (field.json !== 'text') checkJson(name, text, field.json, bad);
    return text;
  }
  throw bad(
    `field ${name} is ${got}, not a string${field.json ? ' (or the JSON it holds)' : ''}${typeof value === 'number' || typeof value === 'boolean' ? `: write it in quotes, e.g. "${name}": "${String(value)}"` : ''}`,
  );
}

/** A field the model serialises from a schema must hold JSON of that schema's shape. */
function checkJson(
  name: string,
  text: string,
  shape: 'array' | 'object' | 'map',
  bad: (detail: string) => InputError,
): void {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad(`field ${name} must hold JSON (a JSON ${shape === 'array' ? 'array' : 'object'}), and it does not parse`);
  }
  const isArray = Array.isArray(v);
  const ok = shape === 'array' ? isArray : !!v && typeof v === 'object' && !isArray;
  if (!ok) throw bad(`field ${name} must hold a JSON ${shape === 'array' ? 'array' : 'object'}`);
  if (shape === 'map' && Object.values(v as Record<string, unknown>).some((x) => typeof x !== 'string'))
    throw bad(`field ${name} must hold a JSON object of strings`);
}

/**
 * Every string a value holds, whole and (for JSON text) leaf by leaf: any of them may be a secret. Words too short or
 * too common to be one (a flag, a number) are left out: masking "true" or "1" would blank them out of every log line.
 */
function collectSecrets(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    const maskable = (v: string) => v.trim().length >= 4 && !/^\s*(true|false|null|-?\d+(\.\d+)?)\s*$/i.test(v);
    if (maskable(value)) out.push(value);
    // A multi-line value is also masked line by line, in case one line is printed on its own.
    if (/[\r\n]/.test(value)) out.push(...value.split(/\r?\n|\r/).filter(maskable));
    if (/^\s*[[{]/.test(value)) {
      try {
        collectSecrets(JSON.parse(value), out);
      } catch {
        // Not JSON after all: the whole string is masked.
      }
    }
  } else if (Array.isArray(value)) for (const v of value) collectSecrets(v, out);
  else if (value && typeof value === 'object') {
    out.push(JSON.stringify(value));
    for (const v of Object.values(value)) collectSecrets(v, out);
  }
}
