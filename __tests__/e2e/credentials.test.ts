/**
 * End-to-end: credentials exported by an earlier step (aliyun/configure-aliyun-credentials-action exports three
 * families of names) reach dist/ through the environment alone, and STS keys that may expire before the release ends
 * get a warning that points to role-to-assume.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud } from '../../__fixtures__/cloud.js';
import { readableText, runAction, visibleLog } from '../../__fixtures__/action.js';
import { nextId } from './helpers.js';

const STS_ID = 'STS.exported-by-an-earlier-step';
const STS_SECRET = 'exported-sts-secret-value';
const STS_TOKEN = 'exported-sts-token-value';

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await FakeCloud.start({
    accessKeys: {},
    stsKeys: { [STS_ID]: { secret: STS_SECRET, token: STS_TOKEN, expiresAt: Date.now() + 3600_000 } },
  });
});
afterAll(async () => {
  await cloud.close();
});

describe('credentials from the environment', () => {
  it('signs with the ALICLOUD_* STS keys when no key input is set, and warns that they may expire', async () => {
    const id = nextId('exported');
    cloud.addOrder({ id, appId: 'app-env', batches: [{ name: 'Batch 1' }], timeline: [{ status: 2, batches: [2] }] });
    const run = await runAction({
      inputs: { 'change-order-id': id, endpoint: cloud.url, 'poll-interval': '5s' },
      env: { ALICLOUD_ACCESS_KEY: STS_ID, ALICLOUD_SECRET_KEY: STS_SECRET, ALICLOUD_SECURITY_TOKEN: STS_TOKEN },
    });

    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    const calls = cloud.calls.filter((c) => c.query.ChangeOrderId === id);
    expect(calls.length).toBeGreaterThan(0);
    expect(
      calls.every((c) => c.status === 200 && c.signatureOk && c.headers.authorization?.startsWith(`acs ${STS_ID}:`)),
    ).toBe(true);
    expect(visibleLog(run)).toContain('Credentials: from the ALICLOUD_* environment variables.');
    expect(run.stdout).toContain(
      '::warning::timeout is 30m and the credentials are STS keys from the ALICLOUD_* environment variables: keys exported by an earlier step (aliyun/configure-aliyun-credentials-action lasts 1800 s by default) may expire before the release ends',
    );
    expect(readableText(run)).not.toContain(STS_SECRET);
    expect(readableText(run)).not.toContain(STS_TOKEN);
  });
});
