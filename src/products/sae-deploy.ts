import { ApiError } from '../alicloud/api-error.js';
import type { RoaTransport } from '../alicloud/roa.js';
import type { DeployField, DeployService } from './deploy.js';
import { str } from './fields.js';

/** SAE DeployApplication (2019-05-06, ROA): a POST with most fields in the query and a few in a form body (docs/api-notes.md#sae-deployapplication). */
const PATH = '/pop/v1/sam/app/deployApplication';

/**
 * Every request field of DeployApplication, as the official SDK's model has it (api-models/alicloud-api.json):
 * its wire type, where it goes (query unless `in: 'body'`), and whether its text is JSON (`json`: the schema's type
 * when the model gives one, 'text' when only the docs show JSON). __tests__/products/deploy-fields.test.ts checks
 * this table against the model, so a refreshed model that adds or changes a field fails the tests until it is
 * copied here.
 */
export const SAE_DEPLOY_FIELDS: Readonly<Record<string, DeployField>> = {
  AcrAssumeRoleArn: { type: 'string' },
  AgentVersion: { type: 'string' },
  AlbIngressReadinessGate: { type: 'string' },
  AppId: { type: 'string' },
  AutoEnableApplicationScalingRule: { type: 'boolean' },
  BatchWaitTime: { type: 'number' },
  ChangeOrderDesc: { type: 'string' },
  Command: { type: 'string' },
  CommandArgs: { type: 'string', json: 'text' },
  Cpu: { type: 'number' },
  CustomHostAlias: { type: 'string', json: 'text' },
  CustomImageNetworkType: { type: 'string' },
  Deploy: { type: 'string' },
  Dotnet: { type: 'string' },
  EdasContainerVersion: { type: 'string' },
  EnableAhas: { type: 'string' },
  EnableCpuBurst: { type: 'boolean' },
  EnableGreyTagRoute: { type: 'boolean' },
  EnableNamespaceAgentVersion: { type: 'boolean' },
  EnableNewArms: { type: 'boolean' },
  EnablePrometheus: { type: 'boolean' },
  Envs: { type: 'string', json: 'text' },
  GpuConfig: { type: 'string' },
  Html: { type: 'string' },
  ImagePullSecrets: { type: 'string' },
  ImageUrl: { type: 'string' },
  JarStartArgs: { type: 'string' },
  JarStartOptions: { type: 'string' },
  Jdk: { type: 'string' },
  KafkaConfigs: { type: 'string', json: 'text' },
  Labels: { type: 'string', json: 'map' },
  Liveness: { type: 'string', json: 'text' },
  LokiConfigs: { type: 'string' },
  MaxSurgeInstanceRatio: { type: 'number' },
  MaxSurgeInstances: { type: 'number' },
  Memory: { type: 'number' },
  MicroRegistration: { type: 'string' },
  MicroserviceEngineConfig: { type: 'string', json: 'text' },
  MinReadyInstanceRatio: { type: 'number' },
  MinReadyInstances: { type: 'number' },
  MountDesc: { type: 'string', json: 'text' },
  MountHost: { type: 'string' },
  NasConfigs: { type: 'string', json: 'text' },
  NasId: { type: 'string' },
  NewSaeVersion: { type: 'string' },
  OidcRoleName: { type: 'string' },
  PackageType: { type: 'string' },
  PackageUrl: { type: 'string' },
  PackageVersion: { type: 'string' },
  PhpArmsConfigLocation: { type: 'string' },
  PhpConfigLocation: { type: 'string' },
  PostStart: { type: 'string', json: 'text' },
  PreStop: { type: 'string', json: 'text' },
  PvtzDiscoverySvc: { type: 'string', json: 'text' },
  Python: { type: 'string' },
  PythonModules: { type: 'string' },
  RaspConfig: { type: 'string', json: 'object' },
  Readiness: { type: 'string', json: 'text' },
  Replicas: { type: 'number' },
  SecretMountDesc: { type: 'string', json: 'text' },
  SecurityGroupId: { type: 'string' },
  SlsConfigs: { type: 'string', json: 'text' },
  SlsLogEnvTags: { type: 'string' },
  StartupProbe: { type: 'string', json: 'text' },
  TerminationGracePeriodSeconds: { type: 'number', min: 1, max: 300 },
  Timezone: { type: 'string' },
  TomcatConfig: { type: 'string', json: 'text' },
  UpdateStrategy: { type: 'string', json: 'text' },
  VSwitchId: { type: 'string' },
  WarStartOptions: { type: 'string' },
  WebContainer: { type: 'string' },
  AcrInstanceId: { type: 'string', in: 'body' },
  AssociateEip: { type: 'boolean', in: 'body' },
  ConfigMapMountDesc: { type: 'string', in: 'body', json: 'text' },
  EmptyDirDesc: { type: 'string', in: 'body', json: 'text' },
  EnableSidecarResourceIsolated: { type: 'boolean', in: 'body' },
  InitContainersConfig: { type: 'string', in: 'body', json: 'array' },
  MicroRegistrationConfig: { type: 'string', in: 'body', json: 'text' },
  OssAkId: { type: 'string', in: 'body' },
  OssAkSecret: { type: 'string', in: 'body' },
  OssMountDescs: { type: 'string', in: 'body', json: 'text' },
  Php: { type: 'string', in: 'body' },
  PhpConfig: { type: 'string', in: 'body' },
  ServiceTags: { type: 'string', in: 'body', json: 'text' },
  SidecarContainersConfig: { type: 'string', in: 'body', json: 'array' },
  SwimlanePvtzDiscoverySvc: { type: 'string', in: 'body', json: 'text' },
};

/** The package types DeployApplication documents (PackageType's valid values). */
export const SAE_PACKAGE_TYPES = [
  'FatJar',
  'War',
  'Image',
  'PhpZip',
  'IMAGE_PHP_5_4',
  'IMAGE_PHP_5_4_ALPINE',
  'IMAGE_PHP_5_5',
  'IMAGE_PHP_5_5_ALPINE',
  'IMAGE_PHP_5_6',
  'IMAGE_PHP_5_6_ALPINE',
  'IMAGE_PHP_7_0',
  'IMAGE_PHP_7_0_ALPINE',
  'IMAGE_PHP_7_1',
  'IMAGE_PHP_7_1_ALPINE',
  'IMAGE_PHP_7_2',
  'IMAGE_PHP_7_2_ALPINE',
  'IMAGE_PHP_7_3',
  'IMAGE_PHP_7_3_ALPINE',
  'PythonZip',
] as const;

export function createSaeDeployService(transport: RoaTransport): DeployService {
  return {
    product: 'SAE',
    async deploy(appId, fields) {
      const query: Record<string, string | number | boolean> = { AppId: appId };
      const body: Record<string, string> = {};
      for (const [name, value] of Object.entries(fields)) {
        if (SAE_DEPLOY_FIELDS[name]?.in === 'body') body[name] = String(value);
        else query[name] = value;
      }
      const answer = await transport.call('DeployApplication', 'POST', PATH, query, body);
      const data = answer.Data;
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw malformed('the response has no Data object');
      const d = data as Record<string, unknown>;
      const changeOrderId = str(d.ChangeOrderId);
      if (!changeOrderId || typeof d.ChangeOrderId !== 'string') throw malformed('the response names no ChangeOrderId');
      if (str(d.AppId) !== undefined && str(d.AppId) !== appId)
        throw malformed(`the answer is about app ${str(d.AppId)}, not ${appId}`);
      const approval = d.IsNeedApproval;
      if (approval !== undefined && typeof approval !== 'boolean')
        throw malformed('IsNeedApproval is neither true nor false');
      return { changeOrderId, needsApproval: approval === true };
    },
  };
}

function malformed(detail: string): ApiError {
  return new ApiError('DeployApplication', 'MalformedResponse', detail, 'malformed');
}
