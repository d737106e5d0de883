package io.chimera.perf.compression;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.RollingCounters;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The compressor's meters, all created up front. Counts live in our own {@link LongAdder}s and
 * {@link RollingCounters}; Micrometer reads them at scrape time. Without a registry the meters go
 * to an empty composite registry, which records nothing.
 *
 * <p>Every meter carries the {@code compressor} tag (the compressor's name) beside {@code
 * algorithm}, so two compressors on one registry keep their own meters; {@link ResponseCompressor}
 * refuses a second live compressor of the same name on one registry.
 *
 * <p>{@code bytes.in}/{@code bytes.out} and the ratio cover bodies sent compressed only; skipped
 * bodies are counted by reason and, when their size is known, still feed the response-size summary
 * and the anomaly detector.
 */
final class CompressionMetrics implements AutoCloseable {

  /** Skip reasons, indexed by the constants below; the {@code reason} tag values. */
  static final String[] CAUSES = {
    "too_small", "content_type", "already_encoded", "not_accepted", "incompressible", "error"
  };

  static final int TOO_SMALL = 0;
  static final int CONTENT_TYPE = 1;
  static final int ALREADY_ENCODED = 2;
  static final int NOT_ACCEPTED = 3;
  static final int INCOMPRESSIBLE = 4;
  static final int ERROR = 5;

  static final Duration RATIO_WINDOW = Duration.ofSeconds(60);

  private static final ContentCoding[] CODINGS = ContentCoding.values();

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final RollingCounters bytes;
  private final Timer[] durations = new Timer[CODINGS.length];
  private final DistributionSummary[] sizes = new DistributionSummary[CODINGS.length];
  private final LongAdder[] anomalies = new LongAdder[CODINGS.length];
  private final LongAdder[] fallbacks = new LongAdder[CODINGS.length];
  private final LongAdder[] skipped = new LongAdder[CAUSES.length];
  private final SizeAnomalyDetector detector = new SizeAnomalyDetector();

  CompressionMetrics(MeterRegistry registry, String name, Ticker ticker) {
    this.registry = registry != null ? registry : new CompositeMeterRegistry();
    this.bytes = RollingCounters.create(2 * CODINGS.length, RATIO_WINDOW, ticker);
    String identity = ContentCoding.IDENTITY.token();
    for (ContentCoding c : CODINGS) {
      int i = c.id;
      String alg = c.token();
      anomalies[i] = new LongAdder();
      fallbacks[i] = new LongAdder();
      sizes[i] =
          add(
              DistributionSummary.builder(MetricNames.COMPRESSION_RESPONSE_SIZE)
                  .description("Response body bytes before compression")
                  .baseUnit("bytes")
                  .tag(MetricNames.TAG_ALGORITHM, alg)
                  .tag(MetricNames.TAG_COMPRESSOR, name)
                  .register(this.registry));
      add(
          FunctionCounter.builder(
                  MetricNames.COMPRESSION_SIZE_ANOMALIES, anomalies[i], LongAdder::doubleValue)
              .description("Responses far outside their usual size")
              .tag(MetricNames.TAG_ALGORITHM, alg)
              .tag(MetricNames.TAG_COMPRESSOR, name)
              .register(this.registry));
      if (c == ContentCoding.IDENTITY) {
        continue;
      }
      // No baseUnit: Prometheus names them chimera_compression_bytes_in_total / _out_total,
      // exactly what Perf008's PromQL reads.
      add(
          FunctionCounter.builder(MetricNames.COMPRESSION_BYTES_IN, bytes, b -> b.total(2 * i))
              .description("Body bytes before compression")
              .tag(MetricNames.TAG_ALGORITHM, alg)
              .tag(MetricNames.TAG_COMPRESSOR, name)
              .register(this.registry));
      add(
          FunctionCounter.builder(MetricNames.COMPRESSION_BYTES_OUT, bytes, b -> b.total(2 * i + 1))
              .description("Body bytes after compression")
              .tag(MetricNames.TAG_ALGORITHM, alg)
              .tag(MetricNames.TAG_COMPRESSOR, name)
              .register(this.registry));
      add(
          Gauge.builder(MetricNames.COMPRESSION_RATIO, this, m -> m.ratio(c))
              .description("Space saved, 1 - out/in, over the last 60 s")
              .tag(MetricNames.TAG_ALGORITHM, alg)
              .tag(MetricNames.TAG_COMPRESSOR, name)
              .register(this.registry));
      durations[i] =
          add(
              Timer.builder(MetricNames.COMPRESSION_DURATION)
                  .description("Time spent compressing or decompressing")
                  .tag(MetricNames.TAG_ALGORITHM, alg)
                  .tag(MetricNames.TAG_COMPRESSOR, name)
                  .tag(MetricNames.TAG_DIRECTION, MetricNames.DIRECTION_COMPRESS)
                  .register(this.registry));
      if (c != ContentCoding.GZIP) {
        add(
            FunctionCounter.builder(
                    MetricNames.COMPRESSION_FALLBACKS, fallbacks[i], LongAdder::doubleValue)
                .description(
                    "Responses whose negotiated coding was this one but were served by another"
                        + " (or identity) because this one's native library could not load")
                .tag(MetricNames.TAG_ALGORITHM, alg)
                .tag(MetricNames.TAG_COMPRESSOR, name)
                .register(this.registry));
      }
    }
    for (int k = 0; k < CAUSES.length; k++) {
      skipped[k] = new LongAdder();
      add(
          FunctionCounter.builder(
                  MetricNames.COMPRESSION_SKIPPED, skipped[k], LongAdder::doubleValue)
              .description("Bodies sent uncompressed, by reason")
              .tag(MetricNames.TAG_ALGORITHM, identity)
              .tag(MetricNames.TAG_COMPRESSOR, name)
              .tag(MetricNames.TAG_REASON, CAUSES[k])
              .register(this.registry));
    }
  }

  /** A body went out compressed. */
  void compressed(ContentCoding c, long in, long out, long nanos) {
    int i = c.id;
    bytes.add(2 * i, in);
    bytes.add(2 * i + 1, out);
    durations[i].record(nanos, TimeUnit.NANOSECONDS);
    response(i, in);
  }

  /** A body went out as it was. */
  void skipped(int cause, long size) {
    skipped[cause].increment();
    response(ContentCoding.IDENTITY.id, size);
  }

  /**
   * A body of unknown length (a chunked response) went out as it was: counted, but kept out of the
   * size summary and the anomaly detector, which a made-up size would skew.
   */
  void skippedUnknownSize(int cause) {
    skipped[cause].increment();
  }

  /** One response: the client's negotiated coding {@code c} was unavailable, another served. */
  void fallback(ContentCoding c) {
    fallbacks[c.id].increment();
  }

  /** 1 - out/in for {@code c} over the last 60 s, NaN without data. */
  double ratio(ContentCoding c) {
    int i = c.id;
    return 1 - bytes.ratio(2 * i + 1, 2 * i);
  }

  long skippedCount(int cause) {
    return skipped[cause].sum();
  }

  long anomalies(ContentCoding c) {
    return anomalies[c.id].sum();
  }

  long fallbacks(ContentCoding c) {
    return fallbacks[c.id].sum();
  }

  @Override
  public void close() {
    for (Meter m : meters) {
      registry.remove(m);
    }
    meters.clear();
  }

  private void response(int i, long size) {
    sizes[i].record((double) size);
    if (detector.observe(size)) {
      anomalies[i].increment();
    }
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }
}
