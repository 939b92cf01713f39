/** EXPORT_PAGES_IN_FLIGHT: pages of one export read through the graph at once; default 2. */
export const DEFAULT_PAGES_IN_FLIGHT = 2;

export interface PageReaderOptions<R> {
  /** The first page, already read. */
  first: R;
  /** Where the page after this one starts, or null after the last. */
  next: (page: R) => string | null;
  /** Reads the page that starts after `after`; may reject. */
  read: (after: string) => Promise<R>;
  /**
   * Where the page that starts after `after` ends (its endCursor, null after
   * the last or when unknown): a cheap read of the same connection without
   * its rows. Without it, pages are read one after the other.
   */
  peek?: (after: string) => Promise<string | null>;
  /** Pages being read at once, at least 1; default DEFAULT_PAGES_IN_FLIGHT. */
  inFlight?: number;
  /** False once nobody waits for the pages (the client went away): no page is read ahead then; default always true. */
  active?: () => boolean;
}

interface Pending<R> {
  after: string;
  page: Promise<R>;
  /** The peeked start of the following page: undefined while the peek runs. */
  following?: string | null;
  followed: boolean;
}

/**
 * The pages of a paged export, in order, each exactly the page that starts
 * where the one before it ended, as if read one after the other.
 *
 * A page's rows cost the whole graph (five subgraphs, three fetches in a
 * row), while where it ends costs one cheap read: so while one page is read,
 * the next ones already are, from where a peek says they start, and the
 * processes of the graph work side by side instead of waiting on each
 * other. A guess is checked when its page is due: if the data changed
 * between the peek and the page before it (a customer added or removed),
 * every guess is dropped and reading goes on from where that page really
 * ended, so nothing is missed or written twice.
 *
 * Holds at most `inFlight` pages besides the one being written.
 */
export async function* readPages<R>(options: PageReaderOptions<R>): AsyncGenerator<R, void, undefined> {
  const inFlight = Math.max(1, Math.floor(options.inFlight ?? DEFAULT_PAGES_IN_FLIGHT) || DEFAULT_PAGES_IN_FLIGHT);
  const active = options.active ?? (() => true);
  const queue: Pending<R>[] = [];
  // Bumped whenever the guesses are dropped: a peek that answers later must not start a page.
  let generation = 0;

  const follow = (pending: Pending<R>) => {
    if (pending.followed || !pending.following || queue.length >= inFlight || queue.at(-1) !== pending || !active()) return;
    pending.followed = true;
    start(pending.following);
  };
  const start = (after: string) => {
    const pending: Pending<R> = { after, page: options.read(after), followed: false };
    // Awaited later, or never when the export stops first: a failure is handled where the page is due.
    pending.page.catch(() => undefined);
    queue.push(pending);
    if (!options.peek || inFlight < 2) return;
    const current = generation;
    options.peek(after).then(
      (following) => {
        if (current !== generation) return;
        pending.following = following;
        follow(pending);
      },
      () => {
        pending.following = null;
      },
    );
  };

  try {
    let page = options.first;
    for (;;) {
      yield page;
      const after = options.next(page);
      if (after === null) return;
      if (queue.length > 0 && queue[0]!.after !== after) {
        generation++;
        queue.length = 0;
      }
      if (queue.length === 0) start(after);
      page = await queue[0]!.page;
      queue.shift();
      const last = queue.at(-1);
      if (last) follow(last);
    }
  } finally {
    generation++;
    queue.length = 0;
  }
}
