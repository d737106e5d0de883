package io.chimera.perf.cache;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One write waiting for the instances' confirmations of its invalidation: its own echo (the writer
 * was among the receivers) plus one confirmation from each other receiver, counted by instance id
 * so that a confirmation delivered twice counts once.
 */
final class Confirmation {
  final long id;
  private final Set<ByteBuffer> others = new HashSet<>(); // guarded by this
  private boolean echoed; // guarded by this
  private boolean cancelled; // guarded by this

  Confirmation(long id) {
    this.id = id;
  }

  /** The writer's own message came back through its subscription. */
  synchronized void echoed() {
    echoed = true;
    notifyAll();
  }

  /** Instance {@code from[offset..offset+16)} confirmed. */
  synchronized void confirmed(byte[] from, int offset) {
    if (others.add(ByteBuffer.wrap(Arrays.copyOfRange(from, offset, offset + 16)))) {
      notifyAll();
    }
  }

  /** The cache is closing: the writer stops waiting, unconfirmed. */
  synchronized void cancel() {
    cancelled = true;
    notifyAll();
  }

  /**
   * Waits until the writer's own echo and {@code receivers - 1} other confirmations are in; false
   * if the time runs out first, at once if there were no receivers (the writer itself was not
   * subscribed: it cannot vouch that it heard every other instance's subscription).
   */
  synchronized boolean await(long receivers, long timeoutNanos) {
    if (receivers <= 0) {
      return false;
    }
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      while (!echoed || others.size() < receivers - 1) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || cancelled) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** How many confirmations came in, the writer's own echo included. */
  synchronized int count() {
    return others.size() + (echoed ? 1 : 0);
  }
}
