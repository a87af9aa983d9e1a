/** Default endpoints follow the official SDK clients' endpoint maps (__fixtures__/api-models), region by region. */
import { describe, expect, it } from '@jest/globals';
import { loadModel } from '../../__fixtures__/contract.js';
import { readInputs } from '../../src/inputs/read.js';

const model = loadModel();

/** The endpoint readInputs picks for a product and region when no endpoint input is given. */
function endpointFor(product: 'sae' | 'edas', region: string): string {
  const inputs: Record<string, string> = {
    product,
    'region-id': region,
    'change-order-id': 'co-1',
    'access-key-id': 'a',
    'access-key-secret': 'b',
  };
  return readInputs((name) => inputs[name] ?? '', {}).settings.endpoint;
}

describe.each(['sae', 'edas'] as const)('%s endpoints', (product) => {
  const entry = model.endpoints[product];
  if (!entry) throw new Error(`the model has no ${product} endpoints`);
  const { endpointMap, fallback } = entry;
  const regions = Object.keys(endpointMap);

  it('the model maps regions for the product', () => {
    expect(regions.length).toBeGreaterThan(10);
  });

  it.each(regions)('%s: the host the endpoint map names', (region) => {
    expect(endpointFor(product, region)).toBe(`https://${endpointMap[region]}`);
  });

  it.each(['cn-hangzhou', 'cn-nowhere-9', 'ap-southeast-1'].filter((r) => !(r in endpointMap)))(
    '%s (not in the map): the fallback rule',
    (region) => {
      expect(endpointFor(product, region)).toBe(`https://${fallback.replace('{regionId}', region)}`);
    },
  );
});

it('EDAS in me-east-1 goes to the Tokyo host, as the SDK does, not to edas.me-east-1', () => {
  expect(endpointFor('edas', 'me-east-1')).toBe('https://edas.ap-northeast-1.aliyuncs.com');
  expect(endpointFor('edas', 'cn-chengdu')).toBe('https://edas.aliyuncs.com');
});
