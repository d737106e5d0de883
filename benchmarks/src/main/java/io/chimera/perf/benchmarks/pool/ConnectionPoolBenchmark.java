package io.chimera.perf.benchmarks.pool;

import io.chimera.perf.pool.ConnectionFactory;
import io.chimera.perf.pool.ConnectionLease;
import io.chimera.perf.pool.ConnectionPool;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import stormpot.Allocator;
import stormpot.BasePoolable;
import stormpot.Pool;
import stormpot.Slot;
import stormpot.Timeout;

/**
 * Acquire + release of an idle object at 2 threads, pool size 8: {@link ConnectionPool} (meters on
 * a Prometheus registry) against commons-pool2's {@link GenericObjectPool} and Stormpot. Targets:
 * at least 10x commons-pool2, at least 0.5x Stormpot.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConnectionPoolBenchmark {
  private static final int SIZE = 8;

  /** The pooled thing: a plain object. */
  public static final class Thing {
    int uses;
  }

  /** Stormpot's pooled thing. */
  public static final class StormThing extends BasePoolable {
    int uses;

    StormThing(Slot slot) {
      super(slot);
    }
  }

  private PrometheusMeterRegistry registry;
  private ConnectionPool<Thing> chimera;
  private ConnectionPool<Thing> chimeraNoMeters;
  private GenericObjectPool<Thing> commons;
  private Pool<StormThing> stormpot;
  private final Timeout stormTimeout = new Timeout(1, TimeUnit.SECONDS);

  private static ConnectionFactory<Thing> things() {
    return new ConnectionFactory<Thing>() {
      @Override
      public Thing create() {
        return new Thing();
      }

      @Override
      public boolean validate(Thing t, Duration timeout) {
        return true;
      }

      @Override
      public void close(Thing t) {
        // nothing to close
      }
    };
  }

  @Setup
  public void setUp() throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    chimeraNoMeters =
        ConnectionPool.builder("bench-no-meters", things()).maxSize(SIZE).minIdle(SIZE).build();
    chimera =
        ConnectionPool.builder(
                "bench",
                new ConnectionFactory<Thing>() {
                  @Override
                  public Thing create() {
                    return new Thing();
                  }

                  @Override
                  public boolean validate(Thing t, Duration timeout) {
                    return true;
                  }

                  @Override
                  public void close(Thing t) {
                    // nothing to close
                  }
                })
            .maxSize(SIZE)
            .minIdle(SIZE)
            .meterRegistry(registry)
            .build();
    GenericObjectPoolConfig<Thing> cfg = new GenericObjectPoolConfig<>();
    cfg.setMaxTotal(SIZE);
    cfg.setMaxIdle(SIZE);
    cfg.setMinIdle(SIZE);
    commons =
        new GenericObjectPool<>(
            new BasePooledObjectFactory<Thing>() {
              @Override
              public Thing create() {
                return new Thing();
              }

              @Override
              public PooledObject<Thing> wrap(Thing t) {
                return new DefaultPooledObject<>(t);
              }
            },
            cfg);
    commons.preparePool();
    stormpot =
        Pool.from(
                new Allocator<StormThing>() {
                  @Override
                  public StormThing allocate(Slot slot) {
                    return new StormThing(slot);
                  }

                  @Override
                  public void deallocate(StormThing t) {
                    // nothing to close
                  }
                })
            .setSize(SIZE)
            .build();
    // let every pool fill
    for (int i = 0; i < 100 && chimera.idleConnections() < SIZE; i++) {
      Thread.sleep(10);
    }
    stormpot.claim(stormTimeout).release();
  }

  @TearDown
  public void tearDown() throws Exception {
    chimera.close();
    chimeraNoMeters.close();
    commons.close();
    stormpot.shutdown().await(stormTimeout);
    registry.close();
  }

  @Benchmark
  public int chimeraConnectionPool() throws InterruptedException {
    try (ConnectionLease<Thing> lease = chimera.acquire()) {
      return ++lease.get().uses;
    }
  }

  /** The same pool without a registry: what the acquire timer costs. */
  @Benchmark
  public int chimeraWithoutMeters() throws InterruptedException {
    try (ConnectionLease<Thing> lease = chimeraNoMeters.acquire()) {
      return ++lease.get().uses;
    }
  }

  @Benchmark
  public int commonsPool2() throws Exception {
    Thing t = commons.borrowObject();
    try {
      return ++t.uses;
    } finally {
      commons.returnObject(t);
    }
  }

  @Benchmark
  public int stormpot() throws InterruptedException {
    StormThing t = stormpot.claim(stormTimeout);
    try {
      return ++t.uses;
    } finally {
      t.release();
    }
  }
}
