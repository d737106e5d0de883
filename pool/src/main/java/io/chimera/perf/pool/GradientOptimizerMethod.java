package io.chimera.perf.pool;

/**
 * An update rule for {@link GradientOptimizer}: plain gradient descent, heavy-ball momentum or
 * Adam. Immutable.
 *
 * <pre>{@code
 * GradientOptimizerMethod gd = GradientOptimizerMethod.gradientDescent(0.1);
 * GradientOptimizerMethod mom = GradientOptimizerMethod.momentum(0.01, 0.9);
 * GradientOptimizerMethod adam = GradientOptimizerMethod.adam(0.05);
 * }</pre>
 */
public final class GradientOptimizerMethod {

  /** Adam's default first-moment decay. */
  public static final double ADAM_BETA1 = 0.9;

  /** Adam's default second-moment decay. */
  public static final double ADAM_BETA2 = 0.999;

  /** Adam's default denominator guard. */
  public static final double ADAM_EPSILON = 1e-8;

  private enum Kind {
    GRADIENT_DESCENT,
    MOMENTUM,
    ADAM
  }

  private final Kind kind;
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;

  private GradientOptimizerMethod(
      Kind kind, double learningRate, double beta1, double beta2, double epsilon) {
    this.kind = kind;
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  /**
   * Plain gradient descent: {@code x -= rate * g}.
   *
   * @param learningRate positive and finite
   * @return the method
   * @throws IllegalArgumentException if the rate is out of range
   */
  public static GradientOptimizerMethod gradientDescent(double learningRate) {
    return new GradientOptimizerMethod(Kind.GRADIENT_DESCENT, rate(learningRate), 0, 0, 0);
  }

  /**
   * Heavy-ball momentum: {@code v = beta * v + g; x -= rate * v}.
   *
   * @param learningRate positive and finite
   * @param beta momentum, in [0, 1)
   * @return the method
   * @throws IllegalArgumentException if a value is out of range
   */
  public static GradientOptimizerMethod momentum(double learningRate, double beta) {
    return new GradientOptimizerMethod(
        Kind.MOMENTUM, rate(learningRate), decay("beta", beta), 0, 0);
  }

  /**
   * Adam with the default decays {@link #ADAM_BETA1}, {@link #ADAM_BETA2} and {@link
   * #ADAM_EPSILON}.
   *
   * @param learningRate positive and finite
   * @return the method
   * @throws IllegalArgumentException if the rate is out of range
   */
  public static GradientOptimizerMethod adam(double learningRate) {
    return adam(learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
  }

  /**
   * Adam (Kingma and Ba, 2015) with bias-corrected moments.
   *
   * @param learningRate positive and finite
   * @param beta1 first-moment decay, in [0, 1)
   * @param beta2 second-moment decay, in [0, 1)
   * @param epsilon denominator guard, positive and finite
   * @return the method
   * @throws IllegalArgumentException if a value is out of range
   */
  public static GradientOptimizerMethod adam(
      double learningRate, double beta1, double beta2, double epsilon) {
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be positive and finite, got " + epsilon);
    }
    return new GradientOptimizerMethod(
        Kind.ADAM, rate(learningRate), decay("beta1", beta1), decay("beta2", beta2), epsilon);
  }

  private static double rate(double learningRate) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learningRate must be positive and finite, got " + learningRate);
    }
    return learningRate;
  }

  private static double decay(String what, double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), got " + beta);
    }
    return beta;
  }

  /**
   * Moves {@code x} one step against gradient {@code g}, using and updating the method's state
   * vectors {@code s1} and {@code s2} (zero at the start), and returns the Euclidean length of the
   * move.
   *
   * @param step the 1-based step number (Adam's bias correction)
   */
  double step(double[] x, double[] g, double[] s1, double[] s2, long step) {
    double moved = 0;
    switch (kind) {
      case GRADIENT_DESCENT -> {
        for (int i = 0; i < x.length; i++) {
          double dx = learningRate * g[i];
          x[i] -= dx;
          moved += dx * dx;
        }
      }
      case MOMENTUM -> {
        for (int i = 0; i < x.length; i++) {
          s1[i] = beta1 * s1[i] + g[i];
          double dx = learningRate * s1[i];
          x[i] -= dx;
          moved += dx * dx;
        }
      }
      case ADAM -> {
        double c1 = 1 - Math.pow(beta1, (double) step);
        double c2 = 1 - Math.pow(beta2, (double) step);
        for (int i = 0; i < x.length; i++) {
          s1[i] = beta1 * s1[i] + (1 - beta1) * g[i];
          s2[i] = beta2 * s2[i] + (1 - beta2) * g[i] * g[i];
          double dx = learningRate * (s1[i] / c1) / (Math.sqrt(s2[i] / c2) + epsilon);
          x[i] -= dx;
          moved += dx * dx;
        }
      }
    }
    return Math.sqrt(moved);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case MOMENTUM -> "momentum(rate=" + learningRate + ", beta=" + beta1 + ")";
      case ADAM -> "adam(rate=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ")";
      case GRADIENT_DESCENT -> "gradientDescent(rate=" + learningRate + ")";
    };
  }
}
