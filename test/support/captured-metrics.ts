import { Metrics } from '@aws-lambda-powertools/metrics';

/** A Metrics instance whose EMF blobs are captured instead of printed. */
export function capturedMetrics(namespace: string, serviceName: string) {
  const metrics = new Metrics({ namespace, serviceName });
  const emitted: Array<Record<string, unknown>> = [];
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    if (metrics.hasStoredMetrics()) emitted.push(metrics.serializeMetrics() as unknown as Record<string, unknown>);
    metrics.clearMetrics();
    metrics.clearDimensions();
    return metrics;
  });
  /** Sum of a metric over every blob (optionally only blobs with these dimension values). */
  const value = (name: string, dims: Record<string, string> = {}) => emitted
    .filter((blob) => name in blob && Object.entries(dims).every(([k, v]) => blob[k] === v))
    .reduce((sum, blob) => sum + Number(blob[name]), 0);
  return { metrics, emitted, value };
}
