// The package's own typings describe only RPCClient (see docs/api-notes.md#transport-and-pop-core), so the parts of
// @alicloud/pop-core 1.8.0 that the action uses are declared here.
declare module '@alicloud/pop-core' {
  export interface PopCredentials {
    accessKeyId?: string;
    accessKeySecret?: string;
    securityToken?: string;
  }
  export interface CredentialsProvider {
    getCredentials(): Promise<PopCredentials>;
  }
  export interface RequestOptions {
    timeout?: number;
    connectTimeout?: number;
    readTimeout?: number;
    method?: string;
    [key: string]: unknown;
  }
  export interface ClientConfig extends PopCredentials {
    endpoint: string;
    apiVersion: string;
    credentialsProvider?: CredentialsProvider;
    codes?: (string | number)[];
    opts?: RequestOptions;
  }
  export class ROAClient {
    constructor(config: ClientConfig);
    request(
      method: string,
      uriPattern: string,
      query?: Record<string, string | number | boolean>,
      body?: string,
      headers?: Record<string, string>,
      opts?: RequestOptions,
    ): Promise<unknown>;
  }
  export class RPCClient {
    constructor(config: ClientConfig);
    request(action: string, params: Record<string, unknown>, options?: RequestOptions): Promise<unknown>;
  }
  const PopCore: { ROAClient: typeof ROAClient; RPCClient: typeof RPCClient };
  export default PopCore;
}
