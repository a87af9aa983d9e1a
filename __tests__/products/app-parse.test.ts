import { describe, expect, it } from '@jest/globals';
import { parseEdasApp } from '../../src/products/edas-app.js';
import { parseSaeAppStatus, parseSaeInstance } from '../../src/products/sae-app.js';

const status = (over: Record<string, unknown> = {}) => ({
  AppId: 'app-1',
  LastChangeOrderId: 'co-1',
  LastChangeOrderStatus: 'SUCCESS',
  LastChangeOrderRunning: false,
  SubStatus: 'NORMAL',
  RunningInstances: 2,
  ...over,
});
const config = { AppId: 'app-1', Replicas: 2 };

describe('SAE app status', () => {
  it('reads a healthy app', () => {
    expect(parseSaeAppStatus(status(), config, 'app-1')).toEqual({
      appId: 'app-1',
      lastChangeOrderId: 'co-1',
      lastChangeOrderPhase: 'succeeded',
      lastChangeOrderStatus: 'SUCCESS',
      lastChangeOrderRunning: false,
      hasError: false,
      wantedInstances: 2,
      runningInstances: 2,
    });
  });

  it.each([
    ['another app', status({ AppId: 'app-2' }), config, /about app app-2, not app-1/],
    ['no app', status({ AppId: undefined }), config, /about app \(none\)/],
    ['a status we do not know', status({ LastChangeOrderStatus: 'DONE' }), config, /LastChangeOrderStatus "DONE"/],
    ['a boolean that is neither', status({ LastChangeOrderRunning: 'no' }), config, /neither true nor false/],
    ['an unknown SubStatus', status({ SubStatus: 'WEIRD' }), config, /SubStatus "WEIRD"/],
    ['no instance count', status({ RunningInstances: 'many' }), config, /RunningInstances/],
    ['a config of another app', status(), { AppId: 'app-9', Replicas: 2 }, /about app app-9/],
    ['no Replicas', status(), { AppId: 'app-1' }, /Replicas/],
    ['no Data', undefined, config, /no Data object/],
  ])('treats %s as malformed, never as a verdict', (_what, s, c, message) => {
    expect(() => parseSaeAppStatus(s, c, 'app-1')).toThrow(message);
    try {
      parseSaeAppStatus(s, c, 'app-1');
    } catch (err) {
      expect(err).toMatchObject({ code: 'MalformedResponse', kind: 'malformed' });
    }
  });

  it('knows both spellings of the error SubStatus', () => {
    expect(parseSaeAppStatus(status({ SubStatus: 'RUNNING_BUT_HAS_ERROR' }), config, 'app-1').hasError).toBe(true);
    expect(parseSaeAppStatus(status({ SubStatus: 'runningButHasError' }), config, 'app-1').hasError).toBe(true);
  });
});

describe('SAE instances', () => {
  it.each([
    [{ InstanceContainerStatus: 'Running', InstanceHealthStatus: 'Healthy' }, true, true],
    [{ InstanceContainerStatus: 'Running', InstanceHealthStatus: 'WithoutHealthCheckConfig' }, true, true],
    [{ InstanceContainerStatus: 'Running', InstanceHealthStatus: 'NotCheckedYet' }, true, false],
    [{ InstanceContainerStatus: 'Running', InstanceHealthStatus: 'ReadinessUnhealthy' }, true, false],
    [{ InstanceContainerStatus: 'CrashLoopBackOff', InstanceHealthStatus: 'Healthy' }, false, false],
    [{ InstanceContainerStatus: 'Running' }, true, true],
  ])('reads %j as running %s, ready %s', (fields, running, ready) => {
    expect(parseSaeInstance({ InstanceId: 'i-1', ...fields })).toMatchObject({ id: 'i-1', running, ready });
  });

  it.each([
    [{ InstanceContainerStatus: 'Running' }, /no InstanceId/],
    [{ InstanceId: 'i-1', InstanceContainerStatus: 'Happy' }, /unknown InstanceContainerStatus "Happy"/],
    [
      { InstanceId: 'i-1', InstanceContainerStatus: 'Running', InstanceHealthStatus: 'Fine' },
      /unknown InstanceHealthStatus/,
    ],
  ])('refuses %j', (item, message) => {
    expect(() => parseSaeInstance(item)).toThrow(message);
  });
});

describe('EDAS app', () => {
  const info = (over: Record<string, unknown> = {}, ecc: unknown[] = [{ EccId: 'e1', AppState: 7, TaskState: 2 }]) => ({
    Application: { ApplicationId: 'app-1', InstanceCount: 1, RunningInstanceCount: 1, ...over },
    EccList: { Ecc: ecc },
  });

  it('reads the instances and the wanted count', () => {
    expect(parseEdasApp(info(), 'app-1')).toEqual({
      status: { appId: 'app-1', hasError: false, wantedInstances: 1, runningInstances: 1 },
      instances: [{ id: 'e1', running: true, ready: true, state: 'RUNNING / task SUCCESS' }],
    });
    expect(parseEdasApp(info({}, [{ EccId: 'e1', AppState: 3 }]), 'app-1').instances[0]).toMatchObject({
      running: true,
      ready: false,
    });
  });

  it.each([
    [info({ ApplicationId: 'app-2' }), /about app app-2/],
    [info({}, [{ EccId: 'e1', AppState: 5 }]), /unknown AppState 5/],
    [info({}, [{ EccId: 'e1', AppState: 7, TaskState: 'x' }]), /unknown TaskState/],
    [info({ InstanceCount: 'two' }), /InstanceCount/],
    [{}, /no AppInfo.Application/],
  ])('refuses a malformed answer (%#)', (body, message) => {
    expect(() => parseEdasApp(body, 'app-1')).toThrow(message);
  });
});
