/** The demo release, shared by `npm run demo`, the fake-server CLI (used by the CI workflow) and the summary screenshot. */
import type { FakeCloud, TimelineStep } from '../__fixtures__/cloud.js';

export const DEMO = {
  keyId: 'LTAI-demo-key',
  secret: 'demo-secret-do-not-print',
  changeOrderId: '765fa5c0-9ebb-4bb4-b383-1f885447demo',
  appId: '7171a6ca-d1cd-4928-8642-7d5cfe69demo',
  /** The image the deploy scenario deploys. */
  image: 'registry.cn-hangzhou.aliyuncs.com/acme/shop-web:1.4.2',
} as const;

/** What the runner would set, so the deploy scenario's change order gets its default description. */
export const DEMO_GITHUB_ENV = {
  GITHUB_REPOSITORY: 'acme/shop-web',
  GITHUB_SHA: '3f9c2a17e4b0d8c6a5f1e2d3c4b5a6978877f00d',
  GITHUB_ACTOR: 'release-bot',
  GITHUB_RUN_ID: '1207',
} as const;

const SUCCESS: TimelineStep[] = [
  { status: 0, batches: [0, 0, 0], ms: 800 },
  { status: 1, batches: [1, 0, 0], ms: 2500 },
  { status: 9, batches: [2, 0, 0], ms: 1200 },
  { status: 1, batches: [2, 1, 0], ms: 2500 },
  { status: 9, batches: [2, 2, 0], ms: 1200 },
  { status: 1, batches: [2, 2, 1], ms: 2500 },
  { status: 2, batches: [2, 2, 2] },
];

export const SCENARIOS: Record<string, TimelineStep[]> = {
  /** The first, and what `npm run demo` plays: the action deploys the image itself, then gates the release. */
  deploy: SUCCESS,
  success: SUCCESS,
  /** The order succeeds, but one instance keeps crashing: verification fails and the app goes back to 1.4.1. */
  'unhealthy-app': SUCCESS,
  rollback: [
    { status: 1, batches: [1, 0, 0], ms: 2500 },
    { status: 1, batches: [2, 1, 0], ms: 2500 },
    {
      status: 1,
      subStatus: 1,
      batches: [2, 1, 0],
      errorMessage: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    },
  ],
  timeout: [{ status: 1, batches: [1, 0, 0] }],
};

/** What each scenario simulates, in a line (the demo's first screen and its --help). */
export const SCENARIO_STORIES: Record<keyof typeof SCENARIOS, string> = {
  deploy: 'the action deploys an image to an SAE app and gates the three-batch release it started, batch by batch',
  success: 'a three-batch SAE release that succeeds, watched batch by batch',
  'unhealthy-app':
    'a release whose change order succeeds but whose app then has a crashed instance, so the gate rolls the app back',
  rollback: 'a release whose second batch hits an error, stopped and rolled back by the gate',
  timeout: 'a release that never finishes, aborted when the 6s timeout passes',
};

/** The inputs that say what the demo gates: the change order, or (deploy) the app and the image to deploy to it. */
export function demoTarget(scenario: string): Record<string, string> {
  return scenario === 'deploy'
    ? { 'app-id': DEMO.appId, 'image-url': DEMO.image }
    : { 'change-order-id': DEMO.changeOrderId };
}

/** Adds the demo change order, playing `scenario`, to a fake cloud (deploy: the app, whose deploy will start it). */
export function addDemoOrder(cloud: FakeCloud, scenario: string): void {
  const timeline = SCENARIOS[scenario];
  if (!timeline) throw new Error(`Unknown scenario "${scenario}": use one of ${Object.keys(SCENARIOS).join(', ')}`);
  if (scenario === 'deploy') {
    // The release before this one, then the app, whose DeployApplication starts the three-batch release.
    cloud.addOrder({
      id: `${DEMO.changeOrderId.slice(0, -4)}prev`,
      appId: DEMO.appId,
      appName: 'shop-web',
      description: 'acme/shop-web@9b1e0c4 by release-bot (run 1206)',
      batches: [{ name: 'Batch 1 Change' }],
      timeline: [{ status: 2, batches: [2] }],
    });
    cloud.apps.script(DEMO.appId, { replicas: 3, deploy: { timeline, appName: 'shop-web' } });
    return;
  }
  if (scenario === 'unhealthy-app') {
    // The release before this one (its version is where the app goes back to), and the app after this one.
    cloud.addOrder({
      id: `${DEMO.changeOrderId.slice(0, -4)}prev`,
      appId: DEMO.appId,
      appName: 'shop-web',
      description: 'image: registry.cn-hangzhou.aliyuncs.com/acme/shop-web:1.4.1',
      batches: [{ name: 'Batch 1 Change' }],
      timeline: [{ status: 2, batches: [2] }],
    });
    cloud.apps.script(DEMO.appId, {
      replicas: 3,
      instances: [
        {},
        {},
        {
          id: 'shop-web-7d9f-x2k4p',
          container: 'CrashLoopBackOff',
          health: 'Unhealthy',
          unhealthyMessage: 'Back-off restarting failed container',
        },
      ],
    });
  }
  cloud.addOrder({
    id: DEMO.changeOrderId,
    appId: DEMO.appId,
    appName: 'shop-web',
    coType: 'Deploy Application',
    coTypeCode: 'CoDeploy',
    description: 'image: registry.cn-hangzhou.aliyuncs.com/acme/shop-web:1.4.2',
    createUserId: 'release-bot',
    batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }, { name: 'Batch 3 Change' }],
    timeline,
    abortSettleMs: 1500,
  });
}
