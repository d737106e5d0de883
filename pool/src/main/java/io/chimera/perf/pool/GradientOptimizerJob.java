package io.chimera.perf.pool;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One optimization job for {@link GradientOptimizer}: an objective, a start point, an update method
 * and stopping rules. Immutable; a job may be submitted any number of times.
 *
 * <p>The job stops at the first rule met: the gradient norm at most {@link
 * Builder#gradientTolerance}, a step no longer than {@link Builder#stepTolerance}, {@link
 * Builder#maxSteps} updates, or the {@link Builder#deadline} (counted from submission with the
 * optimizer's ticker). Set at least one tolerance or accept running to the step limit.
 *
 * <pre>{@code
 * GradientOptimizerJob job = GradientOptimizerJob.builder(bowl, new double[] {5, -3})
 *     .method(GradientOptimizerMethod.adam(0.05))
 *     .maxSteps(10_000)
 *     .gradientTolerance(1e-8)
 *     .deadline(Duration.ofSeconds(2))
 *     .build();
 * }</pre>
 */
public final class GradientOptimizerJob {

  /** The default {@link Builder#maxSteps(long)}. */
  public static final long DEFAULT_MAX_STEPS = 10_000;

  /** The largest {@link Builder#parts(int)}. */
  public static final int MAX_PARTS = 1024;

  final GradientOptimizer.@Nullable Objective objective;
  final GradientOptimizer.@Nullable BatchObjective batch;
  final double[] start;
  final GradientOptimizerMethod method;
  final long maxSteps;
  final double gradientTolerance;
  final double stepTolerance;
  final long deadlineNanos;
  final int parts;

  private GradientOptimizerJob(Builder b) {
    this.objective = b.objective;
    this.batch = b.batch;
    this.start = b.start.clone();
    this.method = b.method;
    this.maxSteps = b.maxSteps;
    this.gradientTolerance = b.gradientTolerance;
    this.stepTolerance = b.stepTolerance;
    this.deadlineNanos = b.deadline == null ? 0 : b.deadline.toNanos();
    this.parts = b.parts;
  }

  /**
   * Starts a job on an objective evaluated whole.
   *
   * @param objective value and gradient at a point
   * @param start the start point: at least one coordinate, all finite
   * @return a builder
   * @throws IllegalArgumentException if the start point is empty or not finite
   */
  public static Builder builder(GradientOptimizer.Objective objective, double[] start) {
    return new Builder(Objects.requireNonNull(objective, "objective"), null, start);
  }

  /**
   * Starts a job on a sum over examples whose gradient can be split: each evaluation cuts the
   * examples into {@link Builder#parts(int)} ranges, evaluates them on the pool's workers and sums
   * the parts.
   *
   * @param objective value and gradient over a range of examples
   * @param start the start point: at least one coordinate, all finite
   * @return a builder
   * @throws IllegalArgumentException if the start point is empty or not finite
   */
  public static Builder builder(GradientOptimizer.BatchObjective objective, double[] start) {
    return new Builder(null, Objects.requireNonNull(objective, "objective"), start);
  }

  /**
   * Configures a {@link GradientOptimizerJob}; each setting may be set once, and bad values fail at
   * once with the allowed range.
   */
  public static final class Builder {
    private final GradientOptimizer.@Nullable Objective objective;
    private final GradientOptimizer.@Nullable BatchObjective batch;
    private final double[] start;
    private GradientOptimizerMethod method = GradientOptimizerMethod.gradientDescent(0.01);
    private long maxSteps = DEFAULT_MAX_STEPS;
    private double gradientTolerance;
    private double stepTolerance;
    private @Nullable Duration deadline;
    private int parts = 1;
    private int set; // bit per setting, for the set-once check

    private Builder(
        GradientOptimizer.@Nullable Objective objective,
        GradientOptimizer.@Nullable BatchObjective batch,
        double[] start) {
      Objects.requireNonNull(start, "start");
      if (start.length == 0) {
        throw new IllegalArgumentException("start point must have at least one coordinate");
      }
      for (int i = 0; i < start.length; i++) {
        if (!Double.isFinite(start[i])) {
          throw new IllegalArgumentException(
              "start point must be finite, got " + start[i] + " at index " + i);
        }
      }
      this.objective = objective;
      this.batch = batch;
      this.start = start.clone();
    }

    /**
     * Sets the update rule; default plain gradient descent with rate 0.01.
     *
     * @param method the method
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder method(GradientOptimizerMethod method) {
      once(1, "method");
      this.method = Objects.requireNonNull(method, "method");
      set |= 1;
      return this;
    }

    /**
     * Sets the most updates; default {@link #DEFAULT_MAX_STEPS}.
     *
     * @param maxSteps 1 to {@link Long#MAX_VALUE}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException if already set
     */
    public Builder maxSteps(long maxSteps) {
      once(2, "maxSteps");
      if (maxSteps < 1) {
        throw new IllegalArgumentException("maxSteps must be at least 1, got " + maxSteps);
      }
      this.maxSteps = maxSteps;
      set |= 2;
      return this;
    }

    /**
     * Stops when the gradient norm is at most {@code tolerance}; default 0 (off).
     *
     * @param tolerance zero or more, finite
     * @return this builder
     * @throws IllegalArgumentException if negative or not finite
     * @throws IllegalStateException if already set
     */
    public Builder gradientTolerance(double tolerance) {
      once(4, "gradientTolerance");
      this.gradientTolerance = tolerance("gradientTolerance", tolerance);
      set |= 4;
      return this;
    }

    /**
     * Stops when one step moves the point no further than {@code tolerance}; default 0 (off).
     *
     * @param tolerance zero or more, finite
     * @return this builder
     * @throws IllegalArgumentException if negative or not finite
     * @throws IllegalStateException if already set
     */
    public Builder stepTolerance(double tolerance) {
      once(8, "stepTolerance");
      this.stepTolerance = tolerance("stepTolerance", tolerance);
      set |= 8;
      return this;
    }

    /**
     * Stops, returning the point reached, once {@code deadline} has passed since submission. A job
     * still queued in the pool at its deadline never starts and fails with a {@link
     * java.util.concurrent.TimeoutException}.
     *
     * @param deadline positive, at most {@link WorkerPool#MAX_DEADLINE}
     * @return this builder
     * @throws IllegalArgumentException if zero, negative or above {@link WorkerPool#MAX_DEADLINE}
     * @throws IllegalStateException if already set
     */
    public Builder deadline(Duration deadline) {
      once(16, "deadline");
      WorkerPoolBuilder.deadlineNanos(
          deadline); // the pool's range, checked before toNanos() can overflow
      this.deadline = deadline;
      set |= 16;
      return this;
    }

    /**
     * Splits each gradient of a batch objective into this many ranges evaluated in parallel;
     * default 1. Fewer are used when there are fewer examples.
     *
     * @param parts 1 to {@link #MAX_PARTS}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder parts(int parts) {
      once(32, "parts");
      if (parts < 1 || parts > MAX_PARTS) {
        throw new IllegalArgumentException("parts must be 1 to " + MAX_PARTS + ", got " + parts);
      }
      this.parts = parts;
      set |= 32;
      return this;
    }

    /**
     * Builds the job.
     *
     * @return the job
     * @throws IllegalStateException if parts are set on a whole (non-batch) objective
     */
    public GradientOptimizerJob build() {
      if (parts > 1 && batch == null) {
        throw new IllegalStateException(
            "parts(" + parts + ") needs a BatchObjective; this job's objective is evaluated whole");
      }
      return new GradientOptimizerJob(this);
    }

    private void once(int bit, String what) {
      WorkerPoolBuilder.requireUnset((set & bit) != 0, what);
    }

    private static double tolerance(String what, double tolerance) {
      if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
        throw new IllegalArgumentException(
            what + " must be zero or more and finite, got " + tolerance);
      }
      return tolerance;
    }
  }
}
