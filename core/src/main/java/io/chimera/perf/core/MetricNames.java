package io.chimera.perf.core;

/**
 * The one place a chimera-perf meter name, tag key or tag value is spelled.
 *
 * <p>Names follow Micrometer's conventions: lowercase, dot-separated nouns in base units. The
 * Prometheus registry renders {@code chimera.cache.requests} as {@code
 * chimera_cache_requests_total} and {@code chimera.pool.acquire} (a timer) as {@code
 * chimera_pool_acquire_seconds_*}. Every meter of one name carries the same tag keys, listed beside
 * each constant. Tags are low-cardinality: never a key, a prompt or a user id.
 *
 * <pre>{@code
 * Counter.builder(MetricNames.CACHE_REQUESTS)
 *     .tag(MetricNames.TAG_CACHE, "prompts")
 *     .tag(MetricNames.TAG_TIER, MetricNames.TIER_L1)
 *     .tag(MetricNames.TAG_RESULT, MetricNames.RESULT_HIT)
 *     .register(registry);
 * }</pre>
 */
public final class MetricNames {

  private MetricNames() {}

  /** Prefix of every meter this library registers. */
  public static final String PREFIX = "chimera.";

  // ---- tag keys ----------------------------------------------------------------------------

  /** Tag key: the cache name. */
  public static final String TAG_CACHE = "cache";

  /** Tag key: cache tier, one of {@link #TIER_L1}, {@link #TIER_L2}, {@link #TIER_COMBINED}. */
  public static final String TAG_TIER = "tier";

  /** Tag key: hit or miss. */
  public static final String TAG_RESULT = "result";

  /** Tag key: why something was evicted, retired, skipped or refused. */
  public static final String TAG_CAUSE = "cause";

  /** Tag key: an operation name (for example a Redis command family). */
  public static final String TAG_OP = "op";

  /** Tag key: how an operation ended. */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag key: the pool name. */
  public static final String TAG_POOL = "pool";

  /** Tag key: the provider a pool or breaker serves. */
  public static final String TAG_PROVIDER = "provider";

  /** Tag key: connection state, one of active, idle, pending. */
  public static final String TAG_STATE = "state";

  /** Tag key: why a pooled connection was retired. */
  public static final String TAG_REASON = "reason";

  /** Tag key: the optimizer name. */
  public static final String TAG_OPTIMIZER = "optimizer";

  /** Tag key: a compression algorithm (gzip, br, zstd, identity). */
  public static final String TAG_ALGORITHM = "algorithm";

  /**
   * Tag key: the name of the compressor (or decompressor) a compression meter belongs to, so two
   * compressors on one registry keep their own meters.
   */
  public static final String TAG_COMPRESSOR = "compressor";

  /** Tag key: compress or decompress. */
  public static final String TAG_DIRECTION = "direction";

  /** Tag key: the breaker name. */
  public static final String TAG_BREAKER = "breaker";

  /** Tag key: the API an SLA timer measures (generate, transform, health, providers). */
  public static final String TAG_API = "api";

  // ---- common tag values -------------------------------------------------------------------

  /** Tier value: the in-process tier. */
  public static final String TIER_L1 = "l1";

  /** Tier value: the Redis tier. */
  public static final String TIER_L2 = "l2";

  /** Tier value: both tiers together. */
  public static final String TIER_COMBINED = "combined";

  /** Result value: found. */
  public static final String RESULT_HIT = "hit";

  /** Result value: not found. */
  public static final String RESULT_MISS = "miss";

  /** Outcome value: completed normally. */
  public static final String OUTCOME_SUCCESS = "success";

  /** Outcome value: failed with an error. */
  public static final String OUTCOME_FAILURE = "failure";

  /** Outcome value: an error other than a timeout (pools). */
  public static final String OUTCOME_ERROR = "error";

  /** Outcome value: gave up waiting. */
  public static final String OUTCOME_TIMEOUT = "timeout";

  /** Outcome value: cancelled by the caller. */
  public static final String OUTCOME_CANCELLED = "cancelled";

  /** Outcome value: finished, but slower than the slow-call threshold (breakers). */
  public static final String OUTCOME_SLOW = "slow";

  /** Outcome value: refused by an open breaker. */
  public static final String OUTCOME_NOT_PERMITTED = "not_permitted";

  /**
   * Outcome value: failed with an exception the breaker is configured to ignore (neither success
   * nor failure to the breaker).
   */
  public static final String OUTCOME_IGNORED = "ignored";

  /** Outcome value: bytes that failed to decode. */
  public static final String OUTCOME_CORRUPT = "corrupt";

  /** State value: a leased connection. */
  public static final String STATE_ACTIVE = "active";

  /** State value: a connection waiting in the pool. */
  public static final String STATE_IDLE = "idle";

  /** State value: a caller waiting for a connection. */
  public static final String STATE_PENDING = "pending";

  /** Direction value: compressing. */
  public static final String DIRECTION_COMPRESS = "compress";

  /** Direction value: decompressing. */
  public static final String DIRECTION_DECOMPRESS = "decompress";

  // ---- cache tag values --------------------------------------------------------------------

  /** Cause value: evicted to keep a cache within its size bound. */
  public static final String CAUSE_SIZE = "size";

  /** Cause value: removed because its time to live passed. */
  public static final String CAUSE_EXPIRED = "expired";

  /** Cause value: removed from L2 because its bytes failed to decode. */
  public static final String CAUSE_CORRUPT = "corrupt";

  /** Cause value: a loaded key or value over the configured size limit, not stored. */
  public static final String CAUSE_OVERSIZE = "oversize";

  /** Result value: a loader found nothing for the key. */
  public static final String RESULT_ABSENT = "absent";

  /** Op value: a Redis GET. */
  public static final String OP_GET = "get";

  /** Op value: a Redis MGET (one per hash slot on Cluster). */
  public static final String OP_MGET = "mget";

  /** Op value: a Redis SET. */
  public static final String OP_SET = "set";

  /** Op value: several Redis SETs written in one pipelined flush. */
  public static final String OP_PIPELINE = "pipeline";

  /** Op value: a Redis DEL. */
  public static final String OP_DEL = "del";

  /** Op value: a Redis PUBLISH. */
  public static final String OP_PUBLISH = "publish";

  /** Op value: a Redis SCAN page with the deletion of what it found. */
  public static final String OP_SCAN = "scan";

  /**
   * Op value: a write's wait for every instance to confirm its invalidation (acknowledged
   * invalidation), from its PUBLISH on; outcome timeout when one (or the writer's own echo) did not
   * come in time or the cache closed meanwhile, failure when the PUBLISH reached no subscriber.
   */
  public static final String OP_CONFIRM = "confirm";

  /** Reason value ({@link #POOL_EVICTIONS}): idle past the idle timeout above min idle. */
  public static final String REASON_IDLE_TIMEOUT = "idle_timeout";

  /** Reason value ({@link #POOL_EVICTIONS}): reached its maximum lifetime. */
  public static final String REASON_MAX_LIFETIME = "max_lifetime";

  /** Reason value ({@link #POOL_EVICTIONS}): a validation said no or failed. */
  public static final String REASON_VALIDATION_FAILED = "validation_failed";

  /** Reason value ({@link #POOL_EVICTIONS}): invalidated, or seen failing with connection loss. */
  public static final String REASON_BROKEN = "broken";

  /** Reason value ({@link #POOL_EVICTIONS}): evicted on request. */
  public static final String REASON_EVICTED = "evicted";

  /** Reason value ({@link #POOL_EVICTIONS}): retired because the pool closed. */
  public static final String REASON_SHUTDOWN = "shutdown";

  // ---- cache -------------------------------------------------------------------------------

  /** Counter; tags cache, tier (l1/l2), result (hit/miss). */
  public static final String CACHE_REQUESTS = "chimera.cache.requests";

  /** Gauge, ratio 0..1 over the last 60 s; tags cache, tier (l1/l2/combined). */
  public static final String CACHE_HIT_RATIO = "chimera.cache.hit.ratio";

  /** Gauge, bytes; tags cache. */
  public static final String CACHE_L1_MEMORY_USED = "chimera.cache.l1.memory.used";

  /** Gauge, bytes; tags cache. */
  public static final String CACHE_L1_MEMORY_MAX = "chimera.cache.l1.memory.max";

  /** Gauge, ratio 0..1; tags cache. */
  public static final String CACHE_L1_MEMORY_UTILIZATION = "chimera.cache.l1.memory.utilization";

  /** Gauge, ratio 0..1: share of L1 misses on keys evicted moments ago; tags cache. */
  public static final String CACHE_L1_THRASH_RATIO = "chimera.cache.l1.thrash.ratio";

  /** Counter; tags cache, tier, cause. */
  public static final String CACHE_EVICTIONS = "chimera.cache.evictions";

  /** Timer; tags cache, result. */
  public static final String CACHE_LOAD = "chimera.cache.load";

  /** Timer; tags cache, op, outcome. */
  public static final String CACHE_L2_OPERATIONS = "chimera.cache.l2.operations";

  /** Gauge: 1 healthy, 0.5 degraded, 0 down; tags cache. */
  public static final String CACHE_HEALTH = "chimera.cache.health";

  // ---- pools -------------------------------------------------------------------------------

  /** Gauge; tags pool, provider, state (active/idle/pending). */
  public static final String POOL_CONNECTIONS = "chimera.pool.connections";

  /** Gauge; tags pool, provider. */
  public static final String POOL_CONNECTIONS_MAX = "chimera.pool.connections.max";

  /** Gauge, ratio 0..1 of active to max; tags pool, provider. */
  public static final String POOL_UTILIZATION = "chimera.pool.utilization";

  /**
   * Function timer (count and total wait, no histogram: a shared histogram cost more per acquire
   * than the acquire itself, and the PERF-008 average wait and failure rate read only {@code
   * _count} and {@code _sum}); a percentile-histogram timer under the same name and tags for pools
   * built with {@code acquireHistogram(true)}, whose P95 the technical dashboard shows. An acquire
   * served at once by an idle connection counts with zero wait; tags pool, provider, outcome
   * (success/timeout/error).
   */
  public static final String POOL_ACQUIRE = "chimera.pool.acquire";

  /** Gauge: connections idle longer than the stale threshold; tags pool, provider. */
  public static final String POOL_CONNECTIONS_STALE = "chimera.pool.connections.stale";

  /** Counter; tags pool, provider, reason. */
  public static final String POOL_EVICTIONS = "chimera.pool.evictions";

  /** Counter of physical connection creation attempts; tags pool, provider, outcome. */
  public static final String POOL_CREATIONS = "chimera.pool.creations";

  // ---- optimizer and workers ---------------------------------------------------------------

  /** Timer with histogram and SLO buckets at 300 ms and 500 ms; tags optimizer. */
  public static final String OPTIMIZER_GRADIENT_DURATION = "chimera.optimizer.gradient.duration";

  /** Gauge: tasks queued and not yet started; tags pool. */
  public static final String WORKER_QUEUE_BACKLOG = "chimera.worker.queue.backlog";

  /**
   * Timer: time a task waited in the queue; tags pool. A function timer (count and total) unless
   * the pool is built with {@code queueWaitHistogram(true)}, which publishes a percentile histogram
   * at about 100 ns per task.
   */
  public static final String WORKER_QUEUE_WAIT = "chimera.worker.queue.wait";

  /** Timer: task run time; tags pool, outcome. */
  public static final String WORKER_TASKS = "chimera.worker.tasks";

  /** Counter: submissions refused by back-pressure; tags pool. */
  public static final String WORKER_REJECTED = "chimera.worker.rejected";

  /** Gauge: tasks running now; tags pool. */
  public static final String WORKER_ACTIVE = "chimera.worker.active";

  // ---- compression -------------------------------------------------------------------------

  /** Counter, bytes before compression; tags algorithm. */
  public static final String COMPRESSION_BYTES_IN = "chimera.compression.bytes.in";

  /** Counter, bytes after compression; tags algorithm. */
  public static final String COMPRESSION_BYTES_OUT = "chimera.compression.bytes.out";

  /** Gauge, space saved 1 - out/in over the last 60 s; tags algorithm. */
  public static final String COMPRESSION_RATIO = "chimera.compression.ratio";

  /** Timer; tags algorithm, direction. */
  public static final String COMPRESSION_DURATION = "chimera.compression.duration";

  /** Counter: bodies sent uncompressed; tags algorithm, cause. */
  public static final String COMPRESSION_SKIPPED = "chimera.compression.skipped";

  /** Distribution summary, bytes of response bodies before compression; tags algorithm. */
  public static final String COMPRESSION_RESPONSE_SIZE = "chimera.compression.response.size";

  /** Counter: responses far outside their usual size; tags algorithm. */
  public static final String COMPRESSION_SIZE_ANOMALIES = "chimera.compression.size.anomalies";

  /**
   * Counter: responses that negotiation would have sent in a codec whose native library could not
   * load, served with the next acceptable coding instead; tags algorithm (the unavailable one).
   */
  public static final String COMPRESSION_FALLBACKS = "chimera.compression.fallbacks";

  // ---- breakers ----------------------------------------------------------------------------

  /** Counter: transitions into OPEN; tags breaker, provider. */
  public static final String BREAKER_TRIPS = "chimera.breaker.trips";

  /** Gauge, 1 for the current state and 0 for the others; tags breaker, provider, state. */
  public static final String BREAKER_STATE = "chimera.breaker.state";

  /** Counter: returns to CLOSED after a trip; tags breaker, provider. */
  public static final String BREAKER_RECOVERIES = "chimera.breaker.recoveries";

  /** Timer: first OPEN to CLOSED; tags breaker, provider. */
  public static final String BREAKER_RECOVERY_DURATION = "chimera.breaker.recovery.duration";

  /** Timer; tags breaker, provider, outcome. */
  public static final String BREAKER_CALLS = "chimera.breaker.calls";

  /** Gauge: trips per second over the last 5 minutes, all providers; tags breaker. */
  public static final String BREAKER_TRIP_RATE = "chimera.breaker.trip.rate";

  // ---- SLA ---------------------------------------------------------------------------------

  /**
   * Timer with histogram and SLO buckets at every PERF-008 latency threshold; tags api, outcome.
   */
  public static final String API_REQUESTS = "chimera.api.requests";

  /** Gauge: requests per second over the last 60 s, all APIs. */
  public static final String API_THROUGHPUT = "chimera.api.throughput";
}
