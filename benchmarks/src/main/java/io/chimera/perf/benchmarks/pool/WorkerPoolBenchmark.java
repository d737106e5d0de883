package io.chimera.perf.benchmarks.pool;

import io.chimera.perf.pool.WorkerPool;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Submit-and-complete throughput: one op submits {@link #BATCH} trivial tasks and waits for all of
 * them. {@code workerPool} is {@link WorkerPool} with its meters on a Prometheus registry; {@code
 * rawThreadPoolExecutor} is a {@link ThreadPoolExecutor} with the same number of prestarted threads
 * and the same bounded {@link LinkedBlockingQueue}. Target: workerPool at least 0.9x raw.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WorkerPoolBenchmark {

  static final int BATCH = 256;
  private static final int THREADS = 2;
  private static final int CAPACITY = 1024;

  private final Callable<Integer> task = () -> 1;
  private final Future<?>[] rawFutures = new Future<?>[BATCH];

  private final CompletableFuture<?>[] poolFutures = new CompletableFuture<?>[BATCH];

  private PrometheusMeterRegistry registry;
  private WorkerPool pool;
  private ThreadPoolExecutor raw;

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    pool =
        WorkerPool.builder("bench")
            .threads(THREADS)
            .queueCapacity(CAPACITY)
            .daemon(true)
            .meterRegistry(registry)
            .build();
    raw =
        new ThreadPoolExecutor(
            THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(CAPACITY));
    raw.prestartAllCoreThreads();
  }

  @TearDown
  public void tearDown() {
    pool.shutdown(Duration.ofSeconds(5));
    raw.shutdownNow();
    registry.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int workerPool() {
    for (int i = 0; i < BATCH; i++) {
      poolFutures[i] = pool.submit(task);
    }
    int sum = 0;
    for (int i = 0; i < BATCH; i++) {
      sum += (Integer) poolFutures[i].join();
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int rawThreadPoolExecutor() throws InterruptedException, ExecutionException {
    for (int i = 0; i < BATCH; i++) {
      rawFutures[i] = raw.submit(task);
    }
    int sum = 0;
    for (int i = 0; i < BATCH; i++) {
      sum += (Integer) rawFutures[i].get();
    }
    return sum;
  }
}
