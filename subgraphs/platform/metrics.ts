import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds; from a 2 ms cache hit to the 15 s request deadline. */
const DURATION_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/**
 * Operation names become a label; clients choose them, so only the first
 * MAX_OPERATION_LABELS distinct names get a series of their own and the rest
 * share "other": a client that sends a new name per request cannot grow the
 * series without bound.
 */
export const MAX_OPERATION_LABELS = 200;

/**
 * One service's Prometheus metrics (prom-client), served at GET /metrics. A
 * registry per service rather than prom-client's global one, so that tests
 * can run several services in one process; every series carries the label
 * `service`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly graphqlRequests: Counter<string>;
  readonly requestDuration: Histogram<'operation' | 'outcome'>;
  private readonly metrics = new Map<string, Counter<string> | Gauge<string> | Histogram<string>>();
  private readonly operations = new Set<string>();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.graphqlRequests = this.counter('c360_graphql_requests_total', 'GraphQL HTTP requests received', []);
    this.requestDuration = this.histogram(
      'c360_graphql_request_duration_seconds',
      'GraphQL operations from request to response, by operation name and outcome (ok, error: the answer carries errors)',
      ['operation', 'outcome'],
    );
  }

  /** The counter of this name, made on first use. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return this.once(name, () => new Counter({ name, help, labelNames, registers: [this.registry] })) as Counter<L>;
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets = DURATION_BUCKETS): Histogram<L> {
    return this.once(name, () => new Histogram({ name, help, labelNames, buckets, registers: [this.registry] })) as Histogram<L>;
  }

  /** A gauge read at scrape time by `collect` (sync or async, e.g. a pool's size or a SQL count). */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect?: (gauge: Gauge<L>) => void | Promise<void>): Gauge<L> {
    return this.once(
      name,
      () =>
        new Gauge<L>({
          name,
          help,
          labelNames,
          registers: [this.registry],
          ...(collect
            ? {
                collect: async function (this: Gauge<L>) {
                  // A figure that cannot be read now (database down) keeps its last value: /metrics still answers.
                  await Promise.resolve()
                    .then(() => collect(this))
                    .catch(() => undefined);
                },
              }
            : {}),
        }),
    ) as Gauge<L>;
  }

  /** The label for an operation name: itself while there are fewer than MAX_OPERATION_LABELS, else "other". */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return 'other';
    this.operations.add(name);
    return name;
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  private once(name: string, make: () => Counter<string> | Gauge<string> | Histogram<string>) {
    let metric = this.metrics.get(name);
    if (!metric) {
      metric = make();
      this.metrics.set(name, metric);
    }
    return metric;
  }
}

/** Times every GraphQL operation into `c360_graphql_request_duration_seconds`. */
export function metricsPlugin<C extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const stop = metrics.requestDuration.startTimer();
      return {
        async willSendResponse({ request, operationName, response }) {
          const failed = response.body.kind === 'single' ? (response.body.singleResult.errors?.length ?? 0) > 0 : false;
          stop({ operation: metrics.operationLabel(operationName ?? request.operationName), outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}
