// A cursor-paginated list as the screens show it: the items so far, the
// cursor of the next page, and how the last load went.
type Page<T> = { items: T[]; next_cursor?: string | null };
type Fetch<T> = (cursor?: string) => Promise<{ data?: Page<T>; response: Response }>;

export class Pager<T> {
  items = $state<T[]>([]);
  next = $state<string | null>(null);
  loaded = $state(false);
  /** The status of a load that failed (403 when the person may not see it), else null. */
  failure = $state<number | null>(null);

  constructor(private readonly fetchPage: Fetch<T>) {}

  /** The first page, or with `cursor` the page after the ones shown. */
  async load(cursor?: string) {
    const { data, response } = await this.fetchPage(cursor);
    this.loaded = true;
    if (!data) {
      this.failure = response.status;
      return;
    }
    this.failure = null;
    this.items = cursor ? [...this.items, ...data.items] : data.items;
    this.next = data.next_cursor ?? null;
  }

  /** Failed for a reason other than not being allowed. */
  get failed(): boolean {
    return this.failure !== null && this.failure !== 403;
  }
}
