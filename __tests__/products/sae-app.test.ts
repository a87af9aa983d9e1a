/** The SAE app adapter against the fake SAE: the instance group is read per app, once, and a failed read is retried. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, FakeCloud, release } from '../../__fixtures__/cloud.js';
import { staticCredentials } from '../../src/alicloud/credentials.js';
import { RoaTransport } from '../../src/alicloud/roa.js';
import { createSaeAppService } from '../../src/products/sae-app.js';

let cloud: FakeCloud;
let transport: RoaTransport;
beforeAll(async () => {
  cloud = await FakeCloud.start();
  transport = new RoaTransport({
    endpoint: cloud.url,
    apiVersion: '2019-05-06',
    credentials: staticCredentials(
      { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
      'test',
    ),
    requestTimeoutMs: 2000,
  });
  cloud.addOrder(release('co-a', { appId: 'app-a', batchCount: 1, reads: 0 }));
  cloud.addOrder(release('co-b', { appId: 'app-b', batchCount: 1, reads: 0 }));
  cloud.apps.script('app-b', { replicas: 3 });
});
afterAll(async () => {
  await cloud.close();
});

const groupReads = (appId: string) => cloud.callsFor('ListChangeOrders').filter((c) => c.query.AppId === appId);

describe('SAE app instances', () => {
  it("asks for each app's own group, and reads it once per app", async () => {
    const app = createSaeAppService(transport);
    expect(await app.instances('app-a')).toHaveLength(2);
    expect(await app.instances('app-b')).toHaveLength(3);
    expect(await app.instances('app-a')).toHaveLength(2);
    const asked = cloud.callsFor('DescribeApplicationInstances').map((c) => [c.query.AppId, c.query.GroupId]);
    expect(asked).toEqual([
      ['app-a', 'app-a-group'],
      ['app-b', 'app-b-group'],
      ['app-a', 'app-a-group'],
    ]);
    expect([groupReads('app-a').length, groupReads('app-b').length]).toEqual([1, 1]);
    expect(cloud.takeViolations()).toEqual([]);
  });

  it('reads the group again after a failed read, instead of keeping the failure', async () => {
    const app = createSaeAppService(transport);
    cloud.injectFault({ kind: 'http', status: 400, code: 'Forbidden.NoPermission' }, { action: 'ListChangeOrders' });
    const before = groupReads('app-a').length;
    await expect(app.instances('app-a')).rejects.toMatchObject({ code: 'Forbidden.NoPermission' });
    expect(await app.instances('app-a')).toHaveLength(2);
    expect(groupReads('app-a').length - before).toBe(2);
  });
});
