/**
 * Browse and search filters, whose state lives in the URL (`?severity=SEV1&cause=global-rollout`).
 * Shared by the pages that draw the filter form and the scripts that apply it.
 */
export const FILTER_KEYS = ['severity', 'trigger', 'cause', 'service', 'year'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** What a filter looks at in an incident. */
export interface Facets {
  severity: string;
  trigger: string;
  causes: readonly string[];
  services: readonly string[];
  /** `YYYY` of the incident's date. */
  year: string;
}

export function readFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

/** Sets `params` to the given filters, removing the ones that are empty. */
export function writeFilters(params: URLSearchParams, filters: Filters): URLSearchParams {
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
    else params.delete(key);
  }
  return params;
}

/** The filters a form's selects hold now. */
export function formFilters(form: HTMLFormElement): Filters {
  return readFilters(new URLSearchParams(new FormData(form) as unknown as Record<string, string>));
}

/** Sets a form's selects to the given filters, skipping values it offers no option for. */
export function fillForm(form: HTMLFormElement, filters: Filters): void {
  for (const [name, value] of Object.entries(filters)) {
    const select = form.elements.namedItem(name) as HTMLSelectElement | null;
    if (select && [...select.options].some((o) => o.value === value)) select.value = value;
  }
}

export function matches(facets: Facets, filters: Filters): boolean {
  return (
    (!filters.severity || facets.severity === filters.severity) &&
    (!filters.trigger || facets.trigger === filters.trigger) &&
    (!filters.cause || facets.causes.includes(filters.cause)) &&
    (!filters.service || facets.services.includes(filters.service)) &&
    (!filters.year || facets.year === filters.year)
  );
}
