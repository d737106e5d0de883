package io.chimera.perf.pool;

import java.util.Random;

/**
 * Deterministic logistic-regression data (intercept plus three Gaussian features, labels drawn from
 * the true model) and a Newton's method (IRLS) reference fit.
 */
final class LogisticData {

  static final int DIM = 4;
  private static final double[] TRUE_W = {0.4, 1.5, -2.0, 0.75};

  private final double[][] x;
  private final double[] y;

  private LogisticData(double[][] x, double[] y) {
    this.x = x;
    this.y = y;
  }

  static LogisticData generate(int n, long seed) {
    Random random = new Random(seed);
    double[][] x = new double[n][DIM];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = 1;
      for (int j = 1; j < DIM; j++) {
        x[i][j] = random.nextGaussian();
      }
      y[i] = random.nextDouble() < sigmoid(dot(TRUE_W, x[i])) ? 1 : 0;
    }
    return new LogisticData(x, y);
  }

  int size() {
    return y.length;
  }

  /** Mean negative log-likelihood over [from, to), divided by the full size so parts add up. */
  double loss(double[] w, int from, int to, double[] gradient) {
    double n = y.length;
    double value = 0;
    for (int i = from; i < to; i++) {
      double z = dot(w, x[i]);
      value += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
      double r = sigmoid(z) - y[i];
      for (int j = 0; j < DIM; j++) {
        gradient[j] += r * x[i][j] / n;
      }
    }
    return value / n;
  }

  /** Newton's method on the same loss: w -= H^-1 g, to machine precision. */
  double[] newton() {
    double[] w = new double[DIM];
    for (int iter = 0; iter < 100; iter++) {
      double[] g = new double[DIM];
      double[][] h = new double[DIM][DIM];
      for (int i = 0; i < y.length; i++) {
        double p = sigmoid(dot(w, x[i]));
        for (int a = 0; a < DIM; a++) {
          g[a] += (p - y[i]) * x[i][a];
          for (int b = 0; b < DIM; b++) {
            h[a][b] += p * (1 - p) * x[i][a] * x[i][b];
          }
        }
      }
      double[] delta = solve(h, g);
      double moved = 0;
      for (int a = 0; a < DIM; a++) {
        w[a] -= delta[a];
        moved = Math.max(moved, Math.abs(delta[a]));
      }
      if (moved < 1e-14) {
        break;
      }
    }
    return w;
  }

  double accuracy(double[] w) {
    int right = 0;
    for (int i = 0; i < y.length; i++) {
      if ((dot(w, x[i]) > 0 ? 1 : 0) == y[i]) {
        right++;
      }
    }
    return (double) right / y.length;
  }

  /** Gaussian elimination with partial pivoting. */
  private static double[] solve(double[][] m, double[] v) {
    int n = v.length;
    double[][] a = new double[n][];
    double[] b = v.clone();
    for (int i = 0; i < n; i++) {
      a[i] = m[i].clone();
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      double tb = b[col];
      b[col] = b[pivot];
      b[pivot] = tb;
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        for (int c = col; c < n; c++) {
          a[r][c] -= f * a[col][c];
        }
        b[r] -= f * b[col];
      }
    }
    double[] out = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int c = r + 1; c < n; c++) {
        s -= a[r][c] * out[c];
      }
      out[r] = s / a[r][r];
    }
    return out;
  }

  private static double dot(double[] w, double[] xi) {
    double s = 0;
    for (int j = 0; j < DIM; j++) {
      s += w[j] * xi[j];
    }
    return s;
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
