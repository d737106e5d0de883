package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Runs gradient-based minimisation jobs on a {@link WorkerPool} and times every gradient evaluation
 * into {@link MetricNames#OPTIMIZER_GRADIENT_DURATION} (tag {@code optimizer}; a percentile
 * histogram with SLO buckets at the PERF-008 gradient-duration target and alert).
 *
 * <p>A job ({@link GradientOptimizerJob}) runs as one pool task. A {@link BatchObjective} job
 * splits each gradient into parts: all but the first go to the pool's queue, the job's own thread
 * evaluates the first and then any part no worker has started yet, so a job never waits on a queue
 * that only its own kind of work could drain. Parts are summed in a fixed order, so results do not
 * depend on which thread computed what. Cancelling the returned future interrupts the job; a
 * non-finite value or gradient fails it with an {@link ArithmeticException}; an objective's
 * exception fails it with that exception. A job with a {@link GradientOptimizerJob.Builder#deadline
 * deadline} that is still queued when it passes (by the pool's ticker) never starts: its future
 * fails with a {@link java.util.concurrent.TimeoutException}. Once started, the job stops itself at
 * the deadline (by the optimizer's ticker) and returns the point reached.
 *
 * <pre>{@code
 * GradientOptimizer optimizer = GradientOptimizer.builder("ranker", pool)
 *     .meterRegistry(registry)
 *     .build();
 * GradientOptimizer.Objective bowl = (x, g) -> {
 *   g[0] = 2 * (x[0] - 3);
 *   return (x[0] - 3) * (x[0] - 3);
 * };
 * GradientOptimizerResult r = optimizer.submit(
 *     GradientOptimizerJob.builder(bowl, new double[] {0})
 *         .method(GradientOptimizerMethod.gradientDescent(0.1))
 *         .gradientTolerance(1e-9)
 *         .build()).join();   // r.point()[0] is 3 within 1e-9
 * }</pre>
 *
 * <p>Thread-safe. It owns no threads (the pool does) but owns its timer: {@link #close()} removes
 * it from the registry; closing does not close the pool.
 */
public final class GradientOptimizer implements AutoCloseable {

  /**
   * A differentiable function of a point.
   *
   * <p>Called from one thread at a time per job; it must not keep the arrays.
   */
  @FunctionalInterface
  public interface Objective {
    /**
     * Computes the value at {@code x} and writes the gradient into {@code gradient}.
     *
     * @param x the point; read only
     * @param gradient receives the gradient, same length as {@code x}
     * @return the value at {@code x}
     * @throws Exception to fail the job
     */
    double evaluate(double[] x, double[] gradient) throws Exception;
  }

  /**
   * A function that is a sum over examples, such as a training loss, whose value and gradient can
   * be computed range by range and added up.
   *
   * <p>Called concurrently for disjoint ranges of one point; it must not keep the arrays.
   */
  public interface BatchObjective {
    /**
     * Returns the number of examples.
     *
     * @return at least 1
     */
    int size();

    /**
     * Computes the sum of the value over examples {@code [from, to)} at {@code x} and writes the
     * matching sum of gradients into {@code gradient} (which arrives zeroed).
     *
     * @param x the point; read only, shared between concurrent calls
     * @param from first example, inclusive
     * @param to last example, exclusive
     * @param gradient receives this range's gradient
     * @return this range's value
     * @throws Exception to fail the job
     */
    double evaluate(double[] x, int from, int to, double[] gradient) throws Exception;
  }

  private final String name;
  private final WorkerPool pool;
  private final Ticker ticker;
  private final MeterRegistry registry;
  private final Timer gradientTimer;
  private volatile boolean closed;

  private GradientOptimizer(Builder b) {
    this.name = b.name;
    this.pool = b.pool;
    this.ticker = b.ticker;
    this.registry = b.registry == null ? Metrics.globalRegistry : b.registry;
    this.gradientTimer =
        Timer.builder(MetricNames.OPTIMIZER_GRADIENT_DURATION)
            .description("Time to evaluate one gradient, all parts included")
            .tag(MetricNames.TAG_OPTIMIZER, name)
            .publishPercentileHistogram()
            .serviceLevelObjectives(
                Perf008.seconds(Perf008.KeyMetric.GRADIENT_DURATION.target()),
                Perf008.seconds(Perf008.KeyMetric.GRADIENT_DURATION.alert()))
            .register(registry);
  }

  /**
   * Starts a builder.
   *
   * @param name the optimizer name, the {@code optimizer} tag: 1 to 64 characters of {@code
   *     [A-Za-z0-9._-]}
   * @param pool the pool jobs and their gradient parts run on
   * @return a builder
   * @throws IllegalArgumentException if the name is empty, too long or has other characters
   */
  public static Builder builder(String name, WorkerPool pool) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > 64 || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "optimizer name must be 1 to 64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    return new Builder(name, Objects.requireNonNull(pool, "pool"));
  }

  /**
   * Returns the name, the {@code optimizer} tag.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Submits a job to the pool.
   *
   * @param job the job
   * @return the result; fails with the objective's exception, an {@link ArithmeticException} on a
   *     non-finite value or gradient, a {@link java.util.concurrent.TimeoutException} if it was
   *     still queued at its deadline, or a {@link java.util.concurrent.CancellationException}
   * @throws WorkerPoolRejectedException if the pool refuses the job
   * @throws IllegalStateException if this optimizer is closed
   */
  public CompletableFuture<GradientOptimizerResult> submit(GradientOptimizerJob job) {
    Objects.requireNonNull(job, "job");
    if (closed) {
      throw new IllegalStateException("gradient optimizer '" + name + "' is closed");
    }
    GradientOptimizerRun run =
        new GradientOptimizerRun(job, pool, ticker, gradientTimer, ticker.read());
    return job.deadlineNanos > 0
        ? pool.submitQueueDeadline(run, job.deadlineNanos)
        : pool.submit(run);
  }

  /**
   * Removes the gradient timer from the registry; later submits fail. Jobs already submitted run
   * on. The pool is not closed. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    registry.remove(gradientTimer);
  }

  /** Configures a {@link GradientOptimizer}. Each setting may be set once. */
  public static final class Builder {
    private final String name;
    private final WorkerPool pool;
    private Ticker ticker = Ticker.system();
    private boolean tickerSet;
    private @Nullable MeterRegistry registry;

    private Builder(String name, WorkerPool pool) {
      this.name = name;
      this.pool = pool;
    }

    /**
     * Sets the time source for gradient timing and job deadlines; default {@link Ticker#system()}.
     *
     * @param ticker the ticker
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder ticker(Ticker ticker) {
      WorkerPoolBuilder.requireUnset(tickerSet, "ticker");
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      tickerSet = true;
      return this;
    }

    /**
     * Sets the registry for the gradient timer; default Micrometer's global registry.
     *
     * @param registry the registry
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder meterRegistry(MeterRegistry registry) {
      WorkerPoolBuilder.requireUnset(this.registry != null, "meterRegistry");
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the optimizer and registers its timer.
     *
     * @return the optimizer
     */
    public GradientOptimizer build() {
      return new GradientOptimizer(this);
    }
  }
}
