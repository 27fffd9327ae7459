/** `services.yml`: the service catalogue, a map from service id to its description. */
import { z } from 'zod';
import { id, text } from './common.ts';

export const serviceSchema = z
  .strictObject({
    name: text(120).describe('Display name of the service.'),
    owner: text(120).optional().describe('Team or organization that owns the service.'),
    description: text(2000).optional().describe('What the service does, in a sentence or two.'),
  })
  .describe('One service of the catalogue.');

export const servicesSchema = z.record(id('service'), serviceSchema).describe('The service catalogue (services.yml): service id → service.');

export type Service = z.infer<typeof serviceSchema>;
