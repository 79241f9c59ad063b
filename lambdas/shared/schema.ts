import { config } from 'zod/mini';
import { en } from 'zod/v4/locales';

// English messages ("Too small: expected string to have >=1 characters"), which zod/mini does not load by itself.
config(en());

/**
 * zod's tree-shakable build, for the schemas every function loads (step
 * inputs, configuration, driver connections): a few kilobytes in a bundle
 * where the full build weighs half a megabyte. Only what is named here is
 * bundled; import it as a namespace (`import * as z from '…/shared/schema'`).
 * The descriptor, plan and API schemas, which only the API and the
 * descriptor loader need, keep the full build.
 */
export {
  _default,
  array,
  boolean,
  cidrv4,
  discriminatedUnion,
  coerce,
  enum,
  extend,
  int,
  literal,
  looseObject,
  maximum,
  maxLength,
  minLength,
  nullable,
  nonnegative,
  object,
  optional,
  pipe,
  positive,
  refine,
  regex,
  safeParse,
  string,
  transform,
  union,
  url,
} from 'zod/mini';
export type { infer, output } from 'zod/mini';
export type { $ZodType as Schema } from 'zod/v4/core';
