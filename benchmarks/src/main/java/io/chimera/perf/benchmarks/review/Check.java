package io.chimera.perf.benchmarks.review;

import io.chimera.perf.core.Perf008;
import io.chimera.perf.core.Perf008.Direction;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.Unit;
import io.chimera.perf.core.Probe;

/**
 * One measurable thing a checklist item looks at: a PERF-008 key metric, or one of the few extra
 * signals the checklist asks about that the key-metrics table has no row for.
 *
 * <p>The extra signals' thresholds are ours, not the guide's, and say so in {@link #basis()}: the
 * guide asks "any unexpected trips?" but gives no number for health, thrashing or anomalies.
 *
 * @param name what is shown
 * @param unit unit of the value
 * @param direction whether larger is better
 * @param target value to beat for OK
 * @param alert value past which the check is ALERT
 * @param promQl the query a Prometheus server answers, one sample per subject
 * @param probe how a single {@code /metrics} scrape answers it, or null when only Prometheus's
 *     history can (trends, the past week, alerts)
 * @param basis where the thresholds come from
 */
record Check(
    String name,
    Unit unit,
    Direction direction,
    double target,
    double alert,
    String promQl,
    Probe probe,
    String basis) {

  static Check of(KeyMetric m) {
    return new Check(
        m.metric(),
        m.unit(),
        m.direction(),
        m.target(),
        m.alert(),
        m.promQl(),
        m.probe(),
        "PERF-008");
  }

  Perf008.Status status(double value) {
    return Perf008.classify(direction, target, alert, value);
  }
}
