package io.chimera.perf.benchmarks;

import io.chimera.perf.breaker.ProviderBreakers;
import io.chimera.perf.cache.CacheCodec;
import io.chimera.perf.cache.RedisTier;
import io.chimera.perf.cache.TieredCache;
import io.chimera.perf.compression.ResponseCompressor;
import io.chimera.perf.core.Health;
import io.chimera.perf.core.Perf008.Api;
import io.chimera.perf.core.SlaTracker;
import io.chimera.perf.pool.ConnectionFactory;
import io.chimera.perf.pool.ConnectionLease;
import io.chimera.perf.pool.ConnectionPool;
import io.chimera.perf.pool.GradientOptimizer;
import io.chimera.perf.pool.GradientOptimizerJob;
import io.chimera.perf.pool.GradientOptimizerMethod;
import io.chimera.perf.pool.WorkerPool;
import io.chimera.perf.testing.ChatCorpus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Simulated Chimera backend traffic through every module, all metered into one registry: API calls
 * with latencies around the PERF-008 SLA thresholds, prompt look-ups through a tiered cache (L2 in
 * Redis when a Redis URI is given), provider calls through breakers over pooled clients (one
 * provider failing now and then), compressed JSON responses, and small optimization jobs on the
 * worker pool.
 */
final class Workload implements AutoCloseable {

  private final SplittableRandom random = new SplittableRandom(8);
  private final SlaTracker sla;
  private final ProviderBreakers breakers;
  private final ResponseCompressor compressor;
  private final RedisTier redis;
  private final TieredCache<String, String> prompts;
  private final ConnectionPool<ProviderClient> clients;
  private final WorkerPool workers;
  private final GradientOptimizer optimizer;
  private long seed;

  /**
   * Builds the modules.
   *
   * @param registry where every meter goes
   * @param redisUri a Redis for the cache's L2, or null for an L1-only cache
   */
  Workload(MeterRegistry registry, String redisUri) {
    sla = SlaTracker.create(registry);
    breakers = ProviderBreakers.builder("providers").meterRegistry(registry).build();
    compressor = ResponseCompressor.builder().meterRegistry(registry).build();
    redis = redisUri == null ? null : RedisTier.builder(redisUri).meterRegistry(registry).build();
    var cache =
        TieredCache.builder("prompts")
            .keyCodec(CacheCodec.utf8())
            .valueCodec(CacheCodec.utf8())
            .l1MaximumEntries(2_000)
            .meterRegistry(registry);
    prompts = (redis == null ? cache : cache.redisTier(redis)).build();
    clients =
        ConnectionPool.builder("provider-clients", new ProviderClients())
            .provider("openai")
            .maxSize(8)
            .minIdle(2)
            .acquireTimeout(Duration.ofMillis(200))
            .meterRegistry(registry)
            .build();
    workers =
        WorkerPool.builder("optimizer")
            .threads(2)
            .queueCapacity(64)
            .meterRegistry(registry)
            .build();
    optimizer = GradientOptimizer.builder("ranker", workers).meterRegistry(registry).build();
  }

  /** The cache's health, for {@code /health}. */
  Health cacheHealth() {
    return prompts.health();
  }

  /** One round of traffic: about a hundred calls across the modules. */
  void round() {
    for (int i = 0; i < 20; i++) {
      sla.record(Api.HEALTH, millis(5, 60), true);
      sla.record(Api.PROVIDERS, millis(20, 150), true);
      sla.record(Api.TRANSFORM, millis(200, 1400), random.nextInt(100) != 0);
      sla.record(Api.GENERATE, millis(1500, 8000), random.nextInt(200) != 0);
      callProviders();
      lookUpPrompt();
    }
    compressor.compress(
        ChatCorpus.body(random.nextInt(1024, 32 * 1024), seed++), "application/json", "br, gzip");
  }

  /** A few optimization jobs on the worker pool; returns when they are done. */
  void optimize() {
    List<CompletableFuture<?>> jobs = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      double centre = random.nextDouble(-5, 5);
      GradientOptimizer.Objective bowl =
          (x, g) -> {
            g[0] = 2 * (x[0] - centre);
            g[1] = 4 * (x[1] + centre);
            return (x[0] - centre) * (x[0] - centre) + 2 * (x[1] + centre) * (x[1] + centre);
          };
      jobs.add(
          optimizer.submit(
              GradientOptimizerJob.builder(bowl, new double[] {0, 0})
                  .method(GradientOptimizerMethod.adam(0.05))
                  .gradientTolerance(1e-6)
                  .maxSteps(2_000)
                  .build()));
    }
    CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).join();
  }

  private void callProviders() {
    breakers.call("openai", this::borrowClient);
    boolean fails = random.nextInt(100) < 3;
    try {
      breakers.call(
          "anthropic",
          () -> {
            if (fails) {
              throw new IllegalStateException("simulated provider error");
            }
            return "ok";
          });
    } catch (RuntimeException e) {
      // counted by the breaker's meters; a real caller would fail over
    }
  }

  /** A provider call over a pooled client; one in five hundred finds its client broken. */
  private String borrowClient() {
    try (ConnectionLease<ProviderClient> lease = clients.acquire()) {
      String id = lease.get().id();
      if (random.nextInt(500) == 0) {
        lease.invalidate();
      }
      return id;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while borrowing a provider client", e);
    }
  }

  /** Stands in for an HTTP client connection to an LLM provider. */
  record ProviderClient(String id) {}

  /** Creates in-memory provider clients; every one validates. */
  private static final class ProviderClients implements ConnectionFactory<ProviderClient> {
    private long created;

    @Override
    public synchronized ProviderClient create() {
      return new ProviderClient("client-" + ++created);
    }

    @Override
    public boolean validate(ProviderClient connection, Duration timeout) {
      return true;
    }

    @Override
    public void close(ProviderClient connection) {
      // nothing to release
    }
  }

  /** Prompt keys drawn from a skewed distribution: a few hot prompts, a long tail. */
  private void lookUpPrompt() {
    int key = (int) Math.floor(Math.pow(random.nextDouble(), 4) * 1_000);
    prompts.get("prompt-" + key, k -> "template for " + k);
  }

  private Duration millis(int low, int high) {
    return Duration.ofMillis(random.nextInt(low, high));
  }

  @Override
  public void close() {
    prompts.close();
    if (redis != null) {
      redis.close();
    }
    workers.close();
    clients.close();
    compressor.close();
    breakers.close();
  }
}
