/**
 * The deploy port: the one call that starts a release. One implementation per product that can deploy (SAE only:
 * EDAS deploys are out of scope), created through the product adapter; the gate only ever sees this interface.
 */

/** How a product's model describes one field of its deploy call. */
export interface DeployField {
  /** The wire type. */
  readonly type: 'string' | 'number' | 'boolean';
  /** Where the field goes: the query string (default) or the form body. */
  readonly in?: 'body';
  /**
   * A string whose text is JSON: the schema's type when the model gives one ('array', 'object', 'map'), 'text' when
   * only the docs show JSON. Such a field may be given as the JSON itself; it is sent as its text.
   */
  readonly json?: 'array' | 'object' | 'map' | 'text';
  /** Documented bounds of a number. */
  readonly min?: number;
  readonly max?: number;
}

/** One field's value, as it goes on the wire. */
export type DeployValue = string | number | boolean;

export interface DeployService {
  /** Product name for messages, e.g. "SAE". */
  readonly product: string;
  /**
   * Starts a release of the app with these fields (checked against the model before). Never retried by the caller
   * after an ambiguous failure: a second call could start a second release. Throws ApiError.
   */
  deploy(
    appId: string,
    fields: Readonly<Record<string, DeployValue>>,
  ): Promise<{ readonly changeOrderId: string; readonly needsApproval: boolean }>;
}
