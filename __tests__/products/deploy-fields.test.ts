/** The DeployApplication table the inputs are checked with is the API model's, field for field. */
import { describe, expect, it } from '@jest/globals';
import { loadModel, operation, type FieldModel } from '../../__fixtures__/contract.js';
import { SAE_DEPLOY_FIELDS, SAE_PACKAGE_TYPES } from '../../src/products/sae-deploy.js';
import { PRODUCTS } from '../../src/products/registry.js';

const op = operation(loadModel(), 'sae', 'DeployApplication');
type ModelField = FieldModel & { jsonFields?: unknown; example?: string; range?: { min: number; max: number } };

describe('SAE_DEPLOY_FIELDS', () => {
  it('has exactly the model request fields', () => {
    expect(Object.keys(SAE_DEPLOY_FIELDS).sort()).toEqual(Object.keys(op.request).sort());
  });

  it.each(Object.entries(op.request))('%s has the model type, place, JSON shape and range', (name, raw) => {
    const field = raw as ModelField;
    const ours = SAE_DEPLOY_FIELDS[name]!;
    expect(ours.type).toBe(field.type);
    expect(ours.in ?? 'query').toBe(field.in);
    // JSON-valued: the schema's type when the model serialises one, else 'text' when the docs show JSON keys or JSON.
    const showsJson = !!field.jsonFields || /^\s*[[{]/.test(field.example ?? '');
    expect(ours.json).toBe(field.serialization === 'json' ? field.schema?.type : showsJson ? 'text' : undefined);
    expect(ours.min).toBe(field.range?.min);
    expect(ours.max).toBe(field.range?.max);
  });

  it('lists the documented package types', () => {
    expect([...SAE_PACKAGE_TYPES]).toEqual(Object.keys(op.request.PackageType!.enum ?? {}));
  });

  it('is the deploy model of SAE only: EDAS has none, so its deploy inputs are refused', () => {
    expect(PRODUCTS.sae.deploy?.fields).toBe(SAE_DEPLOY_FIELDS);
    expect(PRODUCTS.edas.deploy).toBeUndefined();
  });
});
