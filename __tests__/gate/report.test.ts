import { describe, expect, it } from '@jest/globals';
import { errorReport } from '../../src/gate/report.js';
import { outputsFor } from '../../src/publish/outputs.js';

describe('errorReport', () => {
  const run = { product: 'SAE', changeOrderId: 'co-1', regionId: 'cn-hangzhou', startedAt: 1_000, endedAt: 4_600 };

  it('fails the step with the reason as both the reason and the error message', () => {
    const report = errorReport(run, 'DescribeChangeOrder failed: Forbidden.RAM (grant sae:DescribeChangeOrder)');
    expect(report).toEqual({
      product: 'SAE',
      changeOrderId: 'co-1',
      regionId: 'cn-hangzhou',
      consoleUrl: '',
      result: 'error',
      passes: false,
      reason: 'DescribeChangeOrder failed: Forbidden.RAM (grant sae:DescribeChangeOrder)',
      errorMessage: 'DescribeChangeOrder failed: Forbidden.RAM (grant sae:DescribeChangeOrder)',
      startedAt: 1_000,
      endedAt: 4_600,
      notes: [],
    });
  });

  it('claims nothing about a change order it never read', () => {
    const report = errorReport({ ...run, changeOrderId: undefined }, 'no order');
    expect(report.order).toBeUndefined();
    expect(report.remedy).toBeUndefined();
    const outputs = outputsFor(report);
    expect(outputs).toMatchObject({ 'change-order-id': '', result: 'error', status: '', remedy: 'none' });
    expect(outputs['duration-seconds']).toBe('4');
  });
});
