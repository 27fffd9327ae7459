/**
 * The search terms of a postmortem as the knowledge base keeps them: its DocumentTerms
 * serialized with v8, decoded only where the search index is made (see index.ts `KeptTerms`).
 */
import { deserialize, serialize } from 'node:v8';
import type { DocumentTerms } from '../search/terms.ts';

/** Plain bytes (not a Buffer), as they are once posted between threads, so that every copy compares equal. */
const plain = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const packSearchTerms = (terms: DocumentTerms): Uint8Array => plain(serialize(terms));

export const unpackSearchTerms = (bytes: Uint8Array): DocumentTerms => deserialize(bytes) as DocumentTerms;

/**
 * Bytes of their own: a byte array that `v8.deserialize` gives back is a view into the whole
 * buffer it was decoded from (a frame of the data pack, 256 postmortems), which it would keep
 * alive, and copy whole into every message it is posted in.
 */
export const ownBytes = (bytes: Uint8Array): Uint8Array => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? plain(bytes) : new Uint8Array(bytes));
