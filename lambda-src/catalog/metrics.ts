/**
 * Per-invocation counters, published once at the end as EMF (one value per metric, not one
 * per record). Counts that need a JobKind dimension are published in their own EMF blob.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { CatalogJobKind } from '../shared/catalog-schema';

export class Tally {
  private readonly counts = new Map<string, number>();
  private readonly byKind = new Map<string, Map<CatalogJobKind, number>>();

  /** @param always metric names published even when zero, so alarms see data points. */
  constructor(private readonly always: readonly string[]) {
    for (const name of always) this.counts.set(name, 0);
  }

  add(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  addByKind(name: string, kind: CatalogJobKind, n = 1): void {
    const kinds = this.byKind.get(name) ?? new Map<CatalogJobKind, number>();
    kinds.set(kind, (kinds.get(kind) ?? 0) + n);
    this.byKind.set(name, kinds);
  }

  publish(metrics: Metrics): void {
    for (const [name, value] of this.counts) {
      if (value > 0 || this.always.includes(name)) metrics.addMetric(name, MetricUnit.Count, value);
    }
    metrics.publishStoredMetrics();
    for (const [name, kinds] of this.byKind) {
      for (const [kind, value] of kinds) {
        metrics.addDimension('JobKind', kind);
        metrics.addMetric(name, MetricUnit.Count, value);
        metrics.publishStoredMetrics();
      }
    }
  }
}
