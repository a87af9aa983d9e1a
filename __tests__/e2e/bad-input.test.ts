/** Bad input, end to end: every input with its malformed values fails with an error naming it, exit 1, and no API call. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud } from '../../__fixtures__/cloud.js';
import { runAction } from '../../__fixtures__/action.js';

let cloud: FakeCloud;
beforeAll(async () => {
  cloud = await FakeCloud.start();
});
afterAll(async () => {
  await cloud.close();
});

const valid = () => ({
  'change-order-id': 'co-1',
  'region-id': 'cn-hangzhou',
  endpoint: cloud.url,
  'access-key-id': 'LTAI-test-key',
  'access-key-secret': 'test-secret-value',
});

const durations = ['abc', '-5m', '0', '0s', '1.5h', '10 minutes', '99999999999999h'];
const TABLE: [string, string[]][] = [
  ['product', ['ecs', 'SAE2', ' x ']],
  ['change-order-id', ['has space', 'a?b', 'a&b=c', 'x'.repeat(200), '../etc']],
  ['app-id', ['my app', 'a=b']],
  ['change-order-type', ['Co;Deploy', '1Co']],
  ['region-id', ['cn/hangzhou', 'CN-HANGZHOU', 'hangzhou', 'cn-hangzhou/../x']],
  [
    'endpoint',
    [
      'http://sae.cn-hangzhou.aliyuncs.com',
      'http://10.0.0.1',
      'http://192.168.1.1:80',
      'ftp://x',
      'https://x.com/path',
      'not a url',
      'https://user:pw@x.com',
    ],
  ],
  ['timeout', durations],
  ['poll-interval', [...durations, '500ms', '2h']],
  ['request-timeout', ['abc', '0s', '10m']],
  ['max-api-errors', ['0', '-1', '2.5', 'ten', '99999999999999999999']],
  ['on-failure', ['rollback', 'yes', 'abort-rollback']],
  ['on-timeout', ['explode']],
  ['on-cancel', ['kill']],
  ['on-manual-batch', ['approve', 'true']],
  ['on-approval', ['confirm']],
  ['bake-time', ['abc', '-1s']],
  // verify-time takes the forms and the range of bake-time.
  ['verify-time', ['abc', '-1s', '1.5h', '99999999999999h', '200h']],
  ['verify', ['maybe', '1', 'yes']],
  ['health-check-url', ['not a url', 'ftp://x/y', 'javascript:alert(1)']],
  ['health-check-failures', ['0', '-3', 'many']],
  ['deployment-id', ['abc', '0', '-5']],
  ['environment-url', ['javascript:alert(1)', 'shop.example.com']],
  ['summary', ['maybe', '1']],
];
const cases = TABLE.flatMap(([name, values]) => values.map((v) => [name, v] as const));

describe('bad input', () => {
  it.each(cases)('%s=%j fails before any API call, naming the input', async (name, value) => {
    const before = cloud.calls.length;
    const run = await runAction({ inputs: { ...valid(), [name]: value } });
    expect(run.code).toBe(1);
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
    expect(error).toMatch(new RegExp(`Input "${name}"|input "${name}"`));
    expect(run.outputs.result).toBe('error');
    expect(cloud.calls.length).toBe(before);
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at .+:\d+/m);
  });

  it.each([
    ['access-key-id', { 'access-key-id': '' }],
    ['access-key-secret', { 'access-key-secret': '   ' }],
    ['access-key-id', { 'access-key-id': '', 'access-key-secret': '', 'security-token': 'tok' }],
  ])('missing credentials name %s', async (name, over) => {
    const run = await runAction({ inputs: { ...valid(), ...over } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::.*"${name}"`));
  });

  it('empty or whitespace-only required values are treated as missing', async () => {
    const run = await runAction({ inputs: { ...valid(), 'change-order-id': '   ', 'region-id': '' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::(No change order to gate|Input "region-id" is required)/);
  });
});
