/** `causes.yml`: the cause taxonomy, a map from cause id to its description. */
import { z } from 'zod';
import { id, text } from './common.ts';

export const causeSchema = z
  .strictObject({
    title: text(120).describe('Short name of the cause, shown in links and charts.'),
    category: id('category').describe('Group of related causes, such as `change-management`; cause indexes group by it.'),
    description: text(2000).optional().describe('What the cause is, in a few sentences, so authors pick it consistently.'),
  })
  .describe('One cause of the taxonomy.');

export const causesSchema = z.record(id('cause'), causeSchema).describe('The cause taxonomy (causes.yml): cause id → cause.');

export type Cause = z.infer<typeof causeSchema>;
