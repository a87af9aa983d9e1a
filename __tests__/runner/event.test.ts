import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvent } from '../../src/runner/event.js';

const dir = mkdtempSync(join(tmpdir(), 'event-'));
let files = 0;
/** Writes an event file (JSON, or the raw text given) and returns its path. */
const file = (content: unknown): string => {
  files += 1;
  const path = join(dir, `event-${files}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const deploymentEvent = (content: unknown) =>
  readEvent({ GITHUB_EVENT_NAME: 'deployment', GITHUB_EVENT_PATH: file(content) });

describe('readEvent', () => {
  it('reads a deployment event, with an object or a JSON-string payload', () => {
    expect(deploymentEvent({ deployment: { id: 7, payload: { appId: 'x' } } })).toEqual({
      name: 'deployment',
      deployment: { id: 7, payload: { appId: 'x' } },
    });
    expect(deploymentEvent({ deployment: { id: 7, payload: '{"changeOrderId":"co"}' } }).deployment?.payload).toEqual({
      changeOrderId: 'co',
    });
  });

  it('ignores other events and unreadable files', () => {
    expect(readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: file({ deployment: { id: 7 } }) })).toEqual({
      name: 'push',
    });
    expect(deploymentEvent('not json')).toEqual({ name: 'deployment' });
  });

  it.each([
    ['no event name', {}, ''],
    ['no event file', { GITHUB_EVENT_NAME: 'deployment' }, 'deployment'],
    [
      'an event file that is not there',
      { GITHUB_EVENT_NAME: 'deployment', GITHUB_EVENT_PATH: join(dir, 'missing.json') },
      'deployment',
    ],
  ])('names the event and nothing more with %s', (_, env, name) => {
    expect(readEvent(env)).toEqual({ name });
  });

  it.each<[string, unknown]>([
    ['no deployment', { action: 'created' }],
    ['a null deployment', { deployment: null }],
    ['a deployment ID that is a string', { deployment: { id: '7', payload: { appId: 'x' } } }],
    ['a deployment without an ID', { deployment: { payload: { appId: 'x' } } }],
    ['an event that is not an object', 42],
  ])('has no deployment with %s', (_, content) => {
    expect(deploymentEvent(content)).toEqual({ name: 'deployment' });
  });

  it.each<[string, unknown]>([
    ['no payload', undefined],
    ['a null payload', null],
    ['an array payload', ['changeOrderId', 'co']],
    ['a number payload', 5],
    ['a string payload that is not JSON', 'changeOrderId=co'],
    ['a JSON-string payload holding an array', '["co"]'],
    ['a JSON-string payload holding null', 'null'],
  ])('reads %s as an empty payload, keeping the deployment', (_, payload) => {
    expect(deploymentEvent({ deployment: { id: 9, payload } })).toEqual({
      name: 'deployment',
      deployment: { id: 9, payload: {} },
    });
  });
});
