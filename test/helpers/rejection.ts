// The GphotosError a promise rejects with (the test fails if it resolves, or rejects with anything else).
import { expect } from 'vitest';
import { GphotosError } from '../../src/errors.js';

export async function rejection(p: Promise<unknown>): Promise<GphotosError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GphotosError);
    return e as GphotosError;
  }
  throw new Error('expected a rejection');
}
