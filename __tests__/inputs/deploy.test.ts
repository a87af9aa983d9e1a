/** Deploy inputs: what to deploy, the package type, the description, and deploy-parameters checked against the model. */
import { describe, expect, it } from '@jest/globals';
import { defaultDescription, parseDeployParameters, readDeploy } from '../../src/inputs/deploy.js';
import { InputError } from '../../src/inputs/parse.js';
import { readInputs } from '../../src/inputs/read.js';
import { SAE_DEPLOY_FIELDS } from '../../src/products/sae-deploy.js';

const IMAGE = 'registry.cn-hangzhou.aliyuncs.com/acme/shop:1.4.2';
const base: Record<string, string> = {
  'app-id': 'app-1',
  'region-id': 'cn-hangzhou',
  'access-key-id': 'AKID',
  'access-key-secret': 'SECRET',
};
const read = (over: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  readInputs((n) => ({ ...base, ...over })[n] ?? '', env).settings;
const errorOf = (over: Record<string, string>): string => {
  try {
    read(over);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('readDeploy', () => {
  it('is off without any deploy input: the gate-only settings are unchanged', () => {
    expect(read({ 'change-order-id': 'co-1' }).deploy).toBeUndefined();
    expect(readDeploy(() => '', {}, { product: 'sae', changeOrderId: '', appId: 'a' })).toBeUndefined();
  });

  it('deploys an image as PackageType Image, with the default description', () => {
    const env = {
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'abcdef0123456789',
      GITHUB_ACTOR: 'octocat',
      GITHUB_RUN_ID: '77',
    };
    const { deploy } = read({ 'image-url': IMAGE }, env);
    expect(deploy).toEqual({
      what: `image ${IMAGE}`,
      packageType: 'Image',
      fields: { PackageType: 'Image', ImageUrl: IMAGE, ChangeOrderDesc: 'acme/shop@abcdef0 by octocat (run 77)' },
      parameterNames: [],
      description: 'acme/shop@abcdef0 by octocat (run 77)',
      secrets: [],
    });
    expect(Object.isFrozen(deploy)).toBe(true);
  });

  it.each([
    ['https://b.oss-cn-hangzhou.aliyuncs.com/shop-1.0.jar', '', 'FatJar'],
    ['https://b.oss-cn-hangzhou.aliyuncs.com/shop-1.0.JAR?Expires=1&Signature=a.b', '', 'FatJar'],
    ['https://b.oss-cn-hangzhou.aliyuncs.com/shop.war', '', 'War'],
    ['https://b.oss-cn-hangzhou.aliyuncs.com/site.zip', 'phpzip', 'PhpZip'],
    ['https://b.oss-cn-hangzhou.aliyuncs.com/app.zip', 'PythonZip', 'PythonZip'],
    ['https://b.oss-cn-hangzhou.aliyuncs.com/app.jar', 'War', 'War'],
  ])('package %s with package-type %j is %s', (url, type, expected) => {
    const { deploy } = read({ 'package-url': url, 'package-version': '1.0', 'package-type': type });
    expect(deploy?.fields).toMatchObject({ PackageType: expected, PackageUrl: url, PackageVersion: '1.0' });
    // The log shows the package without its (possibly signed) query string.
    expect(deploy?.what).not.toContain('Signature');
  });

  it.each([
    [{ 'image-url': IMAGE, 'change-order-id': 'co-1' }, '"change-order-id" cannot be combined with "image-url"'],
    [{ 'image-url': IMAGE, product: 'edas' }, 'deploying to EDAS is out of scope'],
    [{ 'deploy-parameters': '{}', product: 'edas' }, 'out of scope'],
    [{ 'image-url': IMAGE, 'app-id': '' }, 'Input "app-id" is required'],
    [{ 'change-order-description': 'x' }, 'need something to deploy'],
    [{ 'package-version': '1' }, 'need something to deploy'],
    [{ 'image-url': IMAGE, 'package-url': 'https://x.example.com/a.jar' }, 'cannot both be set'],
    [{ 'image-url': 'https://registry.example.com/a:1' }, 'is not an image reference'],
    [{ 'image-url': 'acme/shop 1' }, 'is not an image reference'],
    [{ 'image-url': IMAGE, 'package-version': '1' }, '"package-version" goes with "package-url"'],
    [{ 'image-url': IMAGE, 'package-type': 'FatJar' }, 'is a package type, not an image type'],
    [{ 'image-url': IMAGE, 'package-type': 'Docker' }, 'is not one of FatJar, War, Image'],
    [{ 'package-url': 'https://x.example.com/a.jar' }, '"package-version" is required'],
    [{ 'package-url': 'https://x.example.com/a.jar', 'package-version': 'v 1' }, 'is not a version'],
    [{ 'package-url': 'ftp://x.example.com/a.jar', 'package-version': '1' }, 'is not an http(s) URL'],
    [{ 'package-url': 'https://x.example.com/a.tgz', 'package-version': '1' }, '"package-type" is required'],
    [{ 'package-url': 'https://x.example.com/dl', 'package-version': '1' }, 'no extension'],
    [
      { 'package-url': 'https://x.example.com/a.jar', 'package-version': '1', 'package-type': 'Image' },
      'is an image type',
    ],
    [{ 'image-url': IMAGE, 'change-order-description': 'a\nb' }, 'must be one line'],
    [{ 'image-url': IMAGE, 'change-order-description': 'x'.repeat(257) }, 'at most 256 characters'],
  ])('refuses %j', (over, message) => {
    expect(errorOf(over)).toContain(message);
  });

  it('makes a description of what the runner knows, and of something when it knows nothing', () => {
    expect(defaultDescription({ GITHUB_REPOSITORY: 'a/b', GITHUB_SHA: '1234567890', GITHUB_RUN_ID: '9' })).toBe(
      'a/b@1234567 (run 9)',
    );
    expect(defaultDescription({})).toBe('GitHub Actions');
    expect(defaultDescription({ GITHUB_REPOSITORY: 'a/b\r\n::x', GITHUB_ACTOR: 'me' })).toBe('a/b::x by me');
  });
});

describe('deploy-parameters', () => {
  const parse = (raw: string) => parseDeployParameters(raw, SAE_DEPLOY_FIELDS);
  const refusal = (raw: string): string => {
    try {
      parse(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as Error).message;
    }
    throw new Error('no error');
  };

  it('keeps each value as the model types it: numbers, booleans, strings; JSON text stays the text given', () => {
    const envs = '[ {"name": "A",  "value": "1"} ]';
    const { values } = parse(
      JSON.stringify({
        Replicas: 3,
        EnableCpuBurst: false,
        Jdk: 'Dragonwell 17',
        Envs: envs,
        MinReadyInstanceRatio: 50,
      }),
    );
    expect(values).toEqual({
      Replicas: 3,
      EnableCpuBurst: false,
      Jdk: 'Dragonwell 17',
      Envs: envs,
      MinReadyInstanceRatio: 50,
    });
  });

  it('takes the JSON itself for a field that holds JSON text, and sends its text', () => {
    const { values } = parse(
      JSON.stringify({
        Envs: [{ name: 'A', value: 'b' }],
        Labels: { team: 'shop' },
        UpdateStrategy: { type: 'BatchUpdate', batchUpdate: { batch: 2 } },
        SidecarContainersConfig: [],
      }),
    );
    expect(values).toEqual({
      Envs: '[{"name":"A","value":"b"}]',
      Labels: '{"team":"shop"}',
      UpdateStrategy: '{"type":"BatchUpdate","batchUpdate":{"batch":2}}',
      SidecarContainersConfig: '[]',
    });
  });

  it.each([
    ['not JSON', '{Replicas: 2}', 'it is not valid JSON'],
    ['an array', '[1]', 'not a JSON object'],
    ['null', 'null', 'not a JSON object'],
    ['an unknown field', '{"Foo": 1}', '"Foo" is not a DeployApplication field'],
    ['a field in the wrong case', '{"envs": "[]"}', 'did you mean Envs?'],
    ['AppId', '{"AppId": "other"}', 'field AppId has its own input: use "app-id"'],
    ['ChangeOrderDesc', '{"ChangeOrderDesc": "x"}', 'use "change-order-description"'],
    ['PackageType', '{"PackageType": "War"}', 'use "package-type"'],
    ['a number as text', '{"Replicas": "2"}', 'field Replicas is a string, not a number'],
    ['a number as null', '{"Replicas": null}', 'field Replicas is null, not a number'],
    ['a boolean as text', '{"AssociateEip": "true"}', 'field AssociateEip is a string, not true or false'],
    ['a string as a number', '{"Jdk": 8}', 'field Jdk is a number, not a string: write it in quotes, e.g. "Jdk": "8"'],
    ['a string as an object', '{"Jdk": {}}', 'field Jdk is an object, not a string'],
    ['a string field documented as "true"/"false" given a boolean', '{"Deploy": true}', 'write it in quotes'],
    ['a number below its range', '{"TerminationGracePeriodSeconds": 0}', 'out of range: use 1 to 300'],
    ['a map of non-strings', '{"Labels": {"a": 1}}', 'field Labels must hold a JSON object of strings'],
    ['an array where the schema wants an object', '{"RaspConfig": "[]"}', 'field RaspConfig must hold a JSON object'],
    ['JSON text that does not parse', '{"InitContainersConfig": "[{"}', 'field InitContainersConfig must hold JSON'],
  ])('refuses %s', (_what, raw, message) => {
    expect(refusal(raw)).toContain(message);
  });

  it('never quotes a value in an error: they may be secrets', () => {
    const secret = 'sup3r-s3cret-value';
    for (const raw of [
      `{"Replicas": "${secret}"}`,
      `{"Labels": "${secret}"}`,
      `{"AppId": "${secret}"}`,
      `{${secret}`,
      `{"OssAkSecret": "${secret}", "Foo": 1}`,
    ])
      expect(refusal(raw)).not.toContain(secret);
  });

  it('collects every value and every string inside JSON ones for masking, but no flags or numbers', () => {
    const envs = JSON.stringify([{ name: 'DB_PASSWORD', value: 'hunter2-long' }]);
    const { secrets } = parse(
      JSON.stringify({
        Envs: envs,
        OssAkSecret: 'oss-secret',
        Replicas: 2,
        Deploy: 'true',
        MicroRegistration: '1',
        Labels: { k: 'label-value' },
      }),
    );
    expect(secrets).toEqual(
      expect.arrayContaining([envs, 'DB_PASSWORD', 'hunter2-long', 'oss-secret', '{"k":"label-value"}', 'label-value']),
    );
    expect(secrets).not.toContain('true');
    expect(secrets).not.toContain('1');
    expect(secrets).not.toContain('2');
  });

  it('masks a multi-line value line by line too', () => {
    const { secrets } = parse(JSON.stringify({ PhpConfig: 'memory_limit=256M\npassword=hunter2-long\nx=1' }));
    expect(secrets).toEqual(
      expect.arrayContaining([
        'memory_limit=256M\npassword=hunter2-long\nx=1',
        'memory_limit=256M',
        'password=hunter2-long',
      ]),
    );
    expect(secrets).not.toContain('x=1');
  });

  it('puts the names of the fields sent in the settings, in order, and their values in the fields', () => {
    const { deploy } = read({ 'image-url': IMAGE, 'deploy-parameters': '{"Replicas": 2, "OssAkId": "LTAI-x"}' });
    expect(deploy?.parameterNames).toEqual(['Replicas', 'OssAkId']);
    expect(deploy?.fields).toMatchObject({ Replicas: 2, OssAkId: 'LTAI-x', ImageUrl: IMAGE });
  });
});
