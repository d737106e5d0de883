package io.chimera.perf.pool;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A factory of numbered fake connections that counts what the pool did with them. */
final class FakeConnectionFactory implements ConnectionFactory<FakeConnectionFactory.Conn> {

  /** A fake connection. */
  static final class Conn {
    final int id;
    final AtomicBoolean closed = new AtomicBoolean();
    volatile boolean healthy = true;
    final AtomicInteger users = new AtomicInteger();

    Conn(int id) {
      this.id = id;
    }
  }

  final AtomicInteger created = new AtomicInteger();
  final AtomicInteger attempts = new AtomicInteger();
  final AtomicInteger closedCount = new AtomicInteger();
  final AtomicInteger validations = new AtomicInteger();
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger maxOpen = new AtomicInteger();
  volatile boolean failing;
  volatile boolean allUnhealthy;

  @Override
  public Conn create() throws IOException {
    attempts.incrementAndGet();
    if (failing) {
      throw new IOException("connection refused (fake)");
    }
    int now = open.incrementAndGet();
    maxOpen.accumulateAndGet(now, Math::max);
    return new Conn(created.incrementAndGet());
  }

  @Override
  public boolean validate(Conn c, Duration timeout) {
    validations.incrementAndGet();
    return c.healthy && !allUnhealthy && !c.closed.get();
  }

  @Override
  public void close(Conn c) {
    if (c.closed.compareAndSet(false, true)) {
      closedCount.incrementAndGet();
      open.decrementAndGet();
    }
  }
}
