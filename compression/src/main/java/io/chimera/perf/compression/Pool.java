package io.chimera.perf.compression;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small lock-free pool of reusable codec state: a fixed array of slots, taken and returned with
 * CAS. No allocation on take or give; when every slot is busy the caller makes a fresh object and,
 * on give, a full pool makes the caller discard it.
 */
final class Pool<T> {

  private final AtomicReferenceArray<T> slots;

  Pool(int size) {
    slots = new AtomicReferenceArray<>(size);
  }

  /** Returns a pooled object, or null when none is free. */
  T take() {
    int n = slots.length();
    int start = probe(n);
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      T t = slots.get(i);
      if (t != null && slots.compareAndSet(i, t, null)) {
        return t;
      }
    }
    return null;
  }

  /** Returns {@code t} to the pool; false when the pool is full and the caller must discard it. */
  boolean give(T t) {
    int n = slots.length();
    int start = probe(n);
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      if (slots.get(i) == null && slots.compareAndSet(i, null, t)) {
        return true;
      }
    }
    return false;
  }

  /** Empties the pool, handing each object to {@code disposer}. */
  void drain(java.util.function.Consumer<T> disposer) {
    for (int i = 0; i < slots.length(); i++) {
      T t = slots.getAndSet(i, null);
      if (t != null) {
        disposer.accept(t);
      }
    }
  }

  private static int probe(int n) {
    return (int) (Thread.currentThread().getId() % n);
  }
}
