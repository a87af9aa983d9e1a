import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../src/alicloud/api-error.js';
import { parseEdasChangeOrder } from '../../src/products/edas.js';
import { PRODUCTS } from '../../src/products/registry.js';
import { parseSaeChangeOrder } from '../../src/products/sae.js';

describe('SAE DescribeChangeOrder parsing', () => {
  const data = {
    AppId: 'app-1',
    AppName: 'demo',
    ChangeOrderId: 'co-1',
    CoType: 'Deploy Application',
    CoTypeCode: 'CoDeploy',
    Status: 1,
    SubStatus: 1,
    SupportRollback: true,
    ErrorMessage: 'success',
    CurrentPipelineId: 'p2',
    BatchType: 'Manual',
    Pipelines: [
      {
        PipelineId: 'p1',
        PipelineName: 'Batch 1 Change',
        Status: 2,
        StartTime: 1714528800000,
        UpdateTime: 1714528900000,
      },
      { PipelineId: 'p2', PipelineName: 'Batch 2 Change', Status: '1' },
    ],
  };
  it('reads the order and its batches', () => {
    const o = parseSaeChangeOrder(data, 'co-1');
    expect(o).toMatchObject({
      id: 'co-1',
      appId: 'app-1',
      status: 1,
      subStatus: 1,
      supportRollback: true,
      currentBatchId: 'p2',
      errorMessage: undefined,
    });
    expect(o.batches).toEqual([
      { id: 'p1', name: 'Batch 1 Change', status: 2, startTime: 1714528800000, updateTime: 1714528900000 },
      { id: 'p2', name: 'Batch 2 Change', status: 1, startTime: undefined, updateTime: undefined },
    ]);
  });
  it('accepts Pipelines as a single object, or missing', () => {
    expect(parseSaeChangeOrder({ ...data, Pipelines: { PipelineId: 'x', Status: 2 } }, 'co-1').batches).toHaveLength(1);
    expect(parseSaeChangeOrder({ ...data, Pipelines: undefined }, 'co-1').batches).toEqual([]);
  });
  it.each([[undefined], [null], ['text'], [[1, 2]], [{ AppId: 'x' }], [{ Status: 'running' }]])(
    'calls %j malformed, never a status',
    (bad) => {
      expect(() => parseSaeChangeOrder(bad, 'co-1')).toThrow(ApiError);
    },
  );
});

describe('EDAS GetChangeOrderInfo parsing', () => {
  it('reads changeOrderInfo with its XML-style double wrapping', () => {
    const o = parseEdasChangeOrder(
      {
        ChangeOrderId: 'e-1',
        Status: 8,
        BatchType: 'Manual',
        CoType: 'Deploy Application',
        SupportRollback: true,
        PipelineInfoList: {
          PipelineInfo: [
            {
              PipelineId: 'a',
              PipelineName: 'Batch: 1',
              PipelineStatus: 2,
              StartTime: '1583911702158',
              UpdateTime: '1583911743633',
            },
            { PipelineId: 'b', PipelineName: 'Batch: 2', PipelineStatus: 8 },
          ],
        },
      },
      'e-1',
    );
    expect(o.status).toBe(8);
    expect(o.batches.map((b) => [b.name, b.status, b.startTime])).toEqual([
      ['Batch: 1', 2, 1583911702158],
      ['Batch: 2', 8, undefined],
    ]);
  });
  it('rejects a body without changeOrderInfo', () => {
    expect(() => parseEdasChangeOrder(undefined, 'e-1')).toThrow(/no changeOrderInfo/);
  });
});

describe('PRODUCTS', () => {
  it('derives each product endpoint from the region', () => {
    expect(PRODUCTS.sae.endpointFor('cn-beijing')).toBe('https://sae.cn-beijing.aliyuncs.com');
    expect(PRODUCTS.edas.endpointFor('cn-beijing')).toBe('https://edas.cn-beijing.aliyuncs.com');
    expect([PRODUCTS.sae.apiVersion, PRODUCTS.edas.apiVersion]).toEqual(['2019-05-06', '2017-08-01']);
  });
});
