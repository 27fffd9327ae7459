/** Built pages read as a browser would parse them (parse5), for tests that look inside them. */
import type { DefaultTreeAdapterMap } from 'parse5';

export type Element = DefaultTreeAdapterMap['element'];

/** Every element under a node, depth first, template contents included. */
export function* elements(node: DefaultTreeAdapterMap['parentNode']): Generator<Element> {
  for (const child of node.childNodes) {
    if ('tagName' in child) {
      yield child;
      yield* elements('content' in child ? child.content : child);
    }
  }
}
