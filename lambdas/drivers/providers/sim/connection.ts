import * as z from '../../../shared/schema';

/** Connection keys of the sim drivers: nothing is required; `location` only labels machines. */
export const simConnectionSchema = z.looseObject({ location: z.optional(z.string()) });
