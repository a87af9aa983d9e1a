/**
 * Default endpoints, from the official SDK clients' endpoint maps (__fixtures__/api-models/alicloud-api.json,
 * `endpoints`): a region in a product's map goes to the host the map names, any other region to the product's
 * regional rule `<product>.<region>.aliyuncs.com`. SAE's map sends every region it lists to that rule; EDAS sends
 * several regions to a central or to the Tokyo host. __tests__/products/endpoints.test.ts holds these to the model.
 */

/** EDAS regions whose endpoint is not edas.<region>.aliyuncs.com, by host. */
const EDAS_HOSTS: Readonly<Record<string, readonly string[]>> = {
  'edas.ap-northeast-1.aliyuncs.com': [
    'ap-northeast-2-pop',
    'ap-south-1',
    'ap-southeast-3',
    'ap-southeast-5',
    'eu-west-1',
    'eu-west-1-oxs',
    'me-east-1',
    'rus-west-1-pop',
    'us-west-1',
  ],
  'edas.aliyuncs.com': [
    'cn-beijing-finance-1',
    'cn-beijing-finance-pop',
    'cn-beijing-gov-1',
    'cn-beijing-nu16-b01',
    'cn-chengdu',
    'cn-edge-1',
    'cn-fujian',
    'cn-haidian-cm12-c01',
    'cn-hangzhou-bj-b01',
    'cn-hangzhou-finance',
    'cn-hangzhou-internal-prod-1',
    'cn-hangzhou-internal-test-1',
    'cn-hangzhou-internal-test-2',
    'cn-hangzhou-internal-test-3',
    'cn-hangzhou-test-306',
    'cn-hongkong-finance-pop',
    'cn-huhehaote',
    'cn-qingdao-nebula',
    'cn-shanghai-et15-b01',
    'cn-shanghai-et2-b01',
    'cn-shanghai-finance-1',
    'cn-shanghai-inner',
    'cn-shanghai-internal-test-1',
    'cn-shenzhen-finance-1',
    'cn-shenzhen-inner',
    'cn-shenzhen-st4-d01',
    'cn-shenzhen-su18-b01',
    'cn-wuhan',
    'cn-yushanfang',
    'cn-zhangbei-na61-b01',
    'cn-zhangjiakou-na62-a01',
    'cn-zhengzhou-nebula-1',
  ],
};

const EDAS_MAP: ReadonlyMap<string, string> = new Map(
  Object.entries(EDAS_HOSTS).flatMap(([host, regions]) => regions.map((region) => [region, host] as const)),
);

/** The SDK's host for a product in a region. */
export function endpointHost(product: 'sae' | 'edas', regionId: string): string {
  if (product === 'edas') return EDAS_MAP.get(regionId) ?? `edas.${regionId}.aliyuncs.com`;
  return `sae.${regionId}.aliyuncs.com`;
}
