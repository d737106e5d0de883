package io.chimera.perf.cache;

import io.chimera.perf.compression.ContentCoding;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/** The immutable settings of one {@link TieredCache}, validated by {@link TieredCacheBuilder}. */
record CacheConfig<K, V>(
    String name,
    CacheCodec<K> keyCodec,
    CacheCodec<V> valueCodec,
    @Nullable RedisTier tier,
    boolean l1ByteBound,
    long l1Bound,
    long l1TtlNanos,
    long l2TtlNanos,
    double ttlJitter,
    long negativeTtlNanos,
    long refreshAheadNanos,
    int maxKeyBytes,
    int maxValueBytes,
    int maxPendingInvalidations,
    long ackTimeoutNanos,
    int compressAbove,
    ContentCoding coding,
    MeterRegistry registry,
    Ticker ticker,
    Executor executor,
    Executor l1Executor) {}
