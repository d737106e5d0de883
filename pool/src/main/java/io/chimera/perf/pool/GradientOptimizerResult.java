package io.chimera.perf.pool;

import java.util.Arrays;
import java.util.Objects;

/** Where a {@link GradientOptimizer} job stopped. Immutable. */
public final class GradientOptimizerResult {

  /** Which stopping rule ended a job. */
  public enum StopReason {
    /** The gradient norm fell to the gradient tolerance: converged. */
    GRADIENT_TOLERANCE,
    /** A step moved the point no more than the step tolerance: converged or stalled. */
    STEP_TOLERANCE,
    /** The step limit was reached. */
    MAX_STEPS,
    /** The job's deadline passed; the point is the last one reached. */
    DEADLINE
  }

  private final double[] point;
  private final double value;
  private final double gradientNorm;
  private final long steps;
  private final long evaluations;
  private final StopReason stopReason;

  GradientOptimizerResult(
      double[] point,
      double value,
      double gradientNorm,
      long steps,
      long evaluations,
      StopReason stopReason) {
    this.point = point.clone();
    this.value = value;
    this.gradientNorm = gradientNorm;
    this.steps = steps;
    this.evaluations = evaluations;
    this.stopReason = Objects.requireNonNull(stopReason, "stopReason");
  }

  /**
   * Returns a copy of the final point.
   *
   * @return the point
   */
  public double[] point() {
    return point.clone();
  }

  /**
   * Returns the objective value at {@link #point()}.
   *
   * @return the value
   */
  public double value() {
    return value;
  }

  /**
   * Returns the Euclidean norm of the gradient at {@link #point()}.
   *
   * @return the gradient norm
   */
  public double gradientNorm() {
    return gradientNorm;
  }

  /**
   * Returns how many updates were taken.
   *
   * @return the step count
   */
  public long steps() {
    return steps;
  }

  /**
   * Returns how many gradient evaluations were made, each one timed.
   *
   * @return the evaluation count
   */
  public long evaluations() {
    return evaluations;
  }

  /**
   * Returns which stopping rule ended the job.
   *
   * @return the reason
   */
  public StopReason stopReason() {
    return stopReason;
  }

  /**
   * Returns whether a tolerance rule, not a limit, ended the job.
   *
   * @return true for GRADIENT_TOLERANCE or STEP_TOLERANCE
   */
  public boolean converged() {
    return stopReason == StopReason.GRADIENT_TOLERANCE || stopReason == StopReason.STEP_TOLERANCE;
  }

  @Override
  public String toString() {
    return "GradientOptimizerResult[point="
        + Arrays.toString(point)
        + ", value="
        + value
        + ", gradientNorm="
        + gradientNorm
        + ", steps="
        + steps
        + ", evaluations="
        + evaluations
        + ", stopReason="
        + stopReason
        + "]";
  }
}
