import fc from 'fast-check';
import lunr from 'lunr';
import { describe, expect, it } from 'vitest';
import { lunrIndex } from '../src/search/index-files.ts';
import { queryTerms, search, snippet } from '../src/search/query.ts';
import { aboutTerms, documentTerms, indexTerm, TermTable, words } from '../src/search/terms.ts';
import { catalog } from './helpers/catalog.ts';
import { makePostmortem } from './helpers/postmortems.ts';

const corpus = [
  makePostmortem({ id: 'failover-title', date: '2022-01-01', title: 'Database failover left writes stuck', summary: 'Writes stopped for an hour.' }),
  makePostmortem({
    id: 'passing-mention',
    date: '2022-02-01',
    title: 'Cache stampede after a deploy',
    summary: 'Caches emptied at once.',
    rootCause: 'A deploy flushed every cache; the failover runbook was not needed.',
  }),
  makePostmortem({ id: 'leap', date: '2020-02-29', title: 'Leap day broke certificate dates', summary: 'Certificates valid from a day that does not exist next year.' }),
  makePostmortem({ id: 'second', date: '2017-01-01', title: 'A leap second made time go backwards', summary: 'Durations went negative.' }),
];
const index = lunr.Index.load(JSON.parse(JSON.stringify(lunrIndex(corpus, catalog))));
const refs = (query: string) => search(index, query).map((hit) => corpus[Number(hit.ref)]!.id);

describe('search', () => {
  it('ranks a title match above a passing mention in the body', () => {
    expect(refs('failover')).toEqual(['failover-title', 'passing-mention']);
  });

  it('puts incidents that match every word first', () => {
    expect(refs('leap day')[0]).toBe('leap');
    expect(refs('leap second')[0]).toBe('second');
  });

  it('finds words being typed by their prefix and other forms by their stem', () => {
    expect(refs('certif')).toContain('leap');
    expect(refs('certificates')).toContain('leap');
  });

  it('reads lunr query syntax as plain words', () => {
    expect(queryTerms('title:leap~2 +day^10 "unbalanced -x *')).toEqual(
      ['title', 'leap', '2', 'day', '10', 'unbalanced', 'x'].map((word) => expect.objectContaining({ word })),
    );
    for (const query of ['foo:', '~', '^', '"', '"leap', 'leap:', '*', '+', '-', ':::', 'the', '']) expect(() => search(index, query)).not.toThrow();
    expect(refs('leap:')).toContain('leap');
  });

  it('never throws and only returns indexed incidents, whatever is typed', () => {
    const ids = new Set(corpus.map((_, n) => String(n)));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 60 }), (query) => search(index, query).every((hit) => ids.has(hit.ref))),
      { numRuns: 300 },
    );
  });
});

describe('snippets', () => {
  it('marks the matched words in a window around them', () => {
    const text = `${'Padding words here. '.repeat(30)}Then the certificates of the gateway expired, and a certificate renewal failed. ${'More padding. '.repeat(30)}`;
    const real = snippet(text, search(index, 'certificate').flatMap((h) => h.terms));
    expect(real.filter((p) => p.marked).map((p) => p.text)).toEqual(['certificates', 'certificate']);
    expect(real[0]!.text).toBe('… ');
  });

  it('keeps the text as it is, pieces only split it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.array(fc.constantFrom('leap', 'dai', 'certif', 'x'), { maxLength: 3 }), (text, terms) => {
        const joined = snippet(text, terms)
          .map((p) => p.text)
          .join('');
        return text.includes(joined.replace(/^… /, '').replace(/ …$/, ''));
      }),
    );
  });
});

describe('the terms of a postmortem’s fields', () => {
  /** As the index reads them: `words`, lowercased, through lunr's pipeline, counted in order of first use. */
  const counted = (text: string): [string, number[]] => {
    const counts = new Map<string, number>();
    for (const { word } of words(text)) {
      const term = indexTerm(word);
      if (term !== undefined) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    return [[...counts.keys()].join(' '), [...counts.values()]];
  };
  // Letters of every script and case, digits, marks, emoji, lone surrogates, punctuation and space,
  // and ASCII words that come back with other cases.
  const text = fc
    .array(
      fc.oneof(
        fc.constantFrom('a', 'Z', 'é', 'É', 'İ', 'ß', 'Σ', 'ς', 'ǅ', '٣', '½', '\u0301', '😀', '𝐀', '\ud800', '\udc00', '-', ' ', '\n', '_', '’'),
        fc.constantFrom('Failover ', 'failover ', 'FAILOVER', ' the ', 'x1 ', '42', 'rollouts ', 'Rollout.'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));

  it('are the words `words` finds, through lunr’s pipeline, with their counts, text after text', () => {
    fc.assert(
      fc.property(text, text, text, (title, summary, body) => {
        const p = { data: { title, summary, causes: [], blast_radius: { services: [] }, tags: [] }, sections: [{ title: 'Root cause', text: body }] } as unknown as Parameters<typeof documentTerms>[0];
        const terms = documentTerms(p, { causes: new Map(), services: new Map() });
        expect([terms.title, terms.summary, terms.body]).toEqual([counted(title), counted(summary), counted(body)]);
      }),
      { numRuns: 3000 },
    );
  });

  it('are the same past the growth of the tables that hold the words met', () => {
    // Up to 40,000 distinct words (some with a letter beyond ASCII, some in capitals), in texts of up to 1.3 million characters.
    const wordAt = (n: number) => `w${Math.imul(n, 2654435761) >>> 0}x${n % 7 === 0 ? 'É' : ''}${n % 5 === 0 ? 'ING' : 'ed'}`;
    const bodies = [100, 5_000, 40_000].map((size) => Array.from({ length: size }, (_, n) => `${wordAt(n)} ${wordAt(n >> 1)}.`).join(' '));
    for (const body of bodies) {
      const p = { data: { title: '', summary: '', causes: [], blast_radius: { services: [] }, tags: [] }, sections: [{ title: 'Root cause', text: body }] } as unknown as Parameters<typeof documentTerms>[0];
      expect(documentTerms(p, { causes: new Map(), services: new Map() }).body).toEqual(counted(body));
    }
  });

  it('tell apart words whose characters hash the same', () => {
    // Pairs with the same FNV-1a hash, the second of the same length as its first.
    const body = 'costarring liquid Declinate macallums declinate altarage zinke Liquid';
    const p = { data: { title: '', summary: '', causes: [], blast_radius: { services: [] }, tags: [] }, sections: [{ title: 'Root cause', text: body }] } as unknown as Parameters<typeof documentTerms>[0];
    expect(documentTerms(p, { causes: new Map(), services: new Map() }).body).toEqual(counted(body));
  });
});

describe('the terms of what an incident was about', () => {
  /** As lunr would count them: its tokenizer, its pipeline, then similarity's filter, in a second map. */
  const counted = (text: string): [string, number[]] => {
    const pipeline = new lunr.Pipeline();
    pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
    const counts = new Map<string, number>();
    for (const token of pipeline.run(lunr.tokenizer(text))) {
      const term = token.toString();
      if (term.length > 1 && !/^\d+$/.test(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    return [[...counts.keys()].join(' '), [...counts.values()]];
  };
  const word = fc.constantFrom('the', 'Failover', 'failovers', 'failing', 'a', '7', '42', 'x1', 'DNS', 'dns’', 'rolled', 'rollout', 'Rollouts', 'région', 'and', '-', '--', '“quoted”', 'outage.', '(a)', "it's", 'A/B', 'ROLLOUT', '\\x');
  const text = fc.array(fc.tuple(word, fc.constantFrom(' ', '\n', '-', ' - ', '\t')), { maxLength: 30 }).map((parts) => parts.flat().join(''));

  it('are lunr’s terms with their counts, in order of first use, text after text', () => {
    fc.assert(
      fc.property(text, text, text, (title, summary, rootCause) => {
        const p = { data: { title, summary }, sections: [{ key: 'root cause', text: rootCause }] } as Parameters<typeof aboutTerms>[0];
        expect(aboutTerms(p)).toEqual(counted(`${title}\n${summary}\n${rootCause}`));
      }),
      { numRuns: 2000 },
    );
  });

  it('tell apart words whose characters hash the same', () => {
    const text = 'costarring liquid Declinate macallums declinate altarage zinke Liquid';
    const p = { data: { title: text, summary: 'macallums' }, sections: [{ key: 'root cause', text: 'zinke' }] } as Parameters<typeof aboutTerms>[0];
    expect(aboutTerms(p)).toEqual(counted(`${text}\nmacallums\nzinke`));
  });
});

describe('the table of terms the search index numbers', () => {
  // Terms as lists hold them: no space, not empty; any other character, lone surrogates included.
  const term = fc.oneof(fc.constantFrom('leap', 'dai', 'certif', 'failov', 'é', 'ß', '😀', '\ud800', 'x1'), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).filter((t) => !t.includes(' ')));
  const lists = fc.array(fc.array(term, { minLength: 1, maxLength: 30 }).map((terms) => terms.join(' ')), { maxLength: 40 });

  it('numbers terms in order of first use, as split(" ") and a Map do, list after list, and finds each again', () => {
    fc.assert(
      fc.property(lists, fc.array(term, { maxLength: 5 }), (given, others) => {
        const table = new TermTable();
        const map = new Map<string, number>();
        for (const list of given) {
          const got: number[] = [];
          table.each(list, (id) => got.push(id));
          expect(got).toEqual(list.split(' ').map((t) => map.get(t) ?? map.set(t, map.size).get(t)!));
        }
        expect(table.terms).toEqual([...map.keys()]);
        for (const t of [...map.keys(), ...others]) expect(table.find(t)).toBe(map.get(t));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps its numbers past the growth of its table', () => {
    const table = new TermTable();
    const many = Array.from({ length: 20_000 }, (_, n) => `t${n}`);
    const got: number[] = [];
    table.each(many.join(' '), (id) => got.push(id));
    table.each(many.slice().reverse().join(' '), (id) => got.push(id));
    expect(got).toEqual([...many.keys(), ...[...many.keys()].reverse()]);
    expect(table.find('t19999')).toBe(19_999);
  });
});
