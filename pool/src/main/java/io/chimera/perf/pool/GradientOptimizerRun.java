package io.chimera.perf.pool;

import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** One execution of a {@link GradientOptimizerJob}: the step loop, run as a pool task. */
final class GradientOptimizerRun implements Callable<GradientOptimizerResult> {

  private final GradientOptimizerJob job;
  private final WorkerPool pool;
  private final Ticker ticker;
  private final Timer gradientTimer;
  private final long submittedAt;
  private final double[] x;
  private final double[] g;
  private long evaluations;

  // batch state, reused across steps
  private final int parts;
  private final int[] bounds;
  private final double[][] partGradients;
  private final double[] partValues;
  private final Part[] partTasks;
  private final @Nullable WorkerTask<?>[] queued;

  GradientOptimizerRun(
      GradientOptimizerJob job, WorkerPool pool, Ticker ticker, Timer gradientTimer, long now) {
    this.job = job;
    this.pool = pool;
    this.ticker = ticker;
    this.gradientTimer = gradientTimer;
    this.submittedAt = now;
    this.x = job.start.clone();
    this.g = new double[x.length];
    this.parts = job.batch == null ? 1 : Math.max(1, Math.min(job.parts, job.batch.size()));
    this.bounds = new int[parts + 1];
    this.partGradients = new double[parts][];
    this.partValues = new double[parts];
    this.partTasks = new Part[parts];
    this.queued = new WorkerTask<?>[parts];
    if (job.batch != null) {
      int n = job.batch.size();
      if (n < 1) {
        throw new IllegalArgumentException(
            "batch objective must have at least 1 example, got " + n);
      }
      for (int i = 0; i <= parts; i++) {
        bounds[i] = (int) ((long) n * i / parts);
      }
      for (int i = 0; i < parts; i++) {
        partGradients[i] = new double[x.length];
        partTasks[i] = new Part(i);
      }
    }
  }

  @Override
  public GradientOptimizerResult call() throws Exception {
    double[] s1 = new double[x.length];
    double[] s2 = new double[x.length];
    long steps = 0;
    GradientOptimizerResult.StopReason reason;
    for (; ; ) {
      if (Thread.interrupted()) {
        throw new InterruptedException("optimizer job interrupted at step " + steps);
      }
      double value = timedEvaluation(steps);
      double gradNorm = norm(g);
      if (gradNorm <= job.gradientTolerance) {
        return result(
            value, gradNorm, steps, GradientOptimizerResult.StopReason.GRADIENT_TOLERANCE);
      }
      if (steps >= job.maxSteps) {
        return result(value, gradNorm, steps, GradientOptimizerResult.StopReason.MAX_STEPS);
      }
      if (job.deadlineNanos > 0 && ticker.read() - submittedAt >= job.deadlineNanos) {
        return result(value, gradNorm, steps, GradientOptimizerResult.StopReason.DEADLINE);
      }
      steps++;
      double moved = job.method.step(x, g, s1, s2, steps);
      if (moved <= job.stepTolerance) {
        reason = GradientOptimizerResult.StopReason.STEP_TOLERANCE;
        break;
      }
    }
    double value = timedEvaluation(steps);
    return result(value, norm(g), steps, reason);
  }

  private GradientOptimizerResult result(
      double value, double gradNorm, long steps, GradientOptimizerResult.StopReason reason) {
    return new GradientOptimizerResult(x, value, gradNorm, steps, evaluations, reason);
  }

  private double timedEvaluation(long step) throws Exception {
    long start = ticker.read();
    double value;
    try {
      value = job.batch == null ? whole() : split();
    } finally {
      gradientTimer.record(ticker.read() - start, TimeUnit.NANOSECONDS);
      evaluations++;
    }
    if (!Double.isFinite(value)) {
      throw new ArithmeticException("objective value is " + value + " at step " + step);
    }
    for (int i = 0; i < g.length; i++) {
      if (!Double.isFinite(g[i])) {
        throw new ArithmeticException(
            "gradient[" + i + "] is " + g[i] + " at step " + step + ": diverged?");
      }
    }
    return value;
  }

  private double whole() throws Exception {
    GradientOptimizer.Objective objective = job.objective;
    if (objective == null) {
      throw new IllegalStateException("no objective");
    }
    Arrays.fill(g, 0);
    return objective.evaluate(x, g);
  }

  private double split() throws Exception {
    for (int i = 1; i < parts; i++) {
      queued[i] = pool.offerInternal(partTasks[i]);
    }
    try {
      partTasks[0].call();
      for (int i = 1; i < parts; i++) {
        WorkerTask<?> t = queued[i];
        if (t == null) {
          partTasks[i].call(); // the queue was full: do it here
        } else if (!t.runIfUnclaimed()) {
          t.get(); // a worker has it; it waits on nothing, so this wait ends
        } else if (t.isCompletedExceptionally()) {
          t.get();
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception ex ? ex : e;
    } finally {
      for (int i = 1; i < parts; i++) {
        WorkerTask<?> t = queued[i];
        if (t != null && !t.isDone()) {
          t.cancel(true);
        }
        queued[i] = null;
      }
    }
    double value = 0;
    Arrays.fill(g, 0);
    for (int p = 0; p < parts; p++) {
      value += partValues[p];
      double[] pg = partGradients[p];
      for (int i = 0; i < g.length; i++) {
        g[i] += pg[i];
      }
    }
    return value;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** One range of a batch objective; reused every step. */
  private final class Part implements Callable<Void> {
    private final int index;

    Part(int index) {
      this.index = index;
    }

    @Override
    public @Nullable Void call() throws Exception {
      GradientOptimizer.BatchObjective batch = job.batch;
      if (batch == null) {
        throw new IllegalStateException("no batch objective");
      }
      double[] pg = partGradients[index];
      Arrays.fill(pg, 0);
      partValues[index] = batch.evaluate(x, bounds[index], bounds[index + 1], pg);
      return null;
    }

    @Override
    public String toString() {
      return "gradient part " + index + " [" + bounds[index] + ", " + bounds[index + 1] + ")";
    }
  }
}
