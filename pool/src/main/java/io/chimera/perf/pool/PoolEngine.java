package io.chimera.perf.pool;

import io.chimera.perf.core.Ticker;
import io.chimera.perf.core.internal.CoarseClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic pool's engine, in the spirit of HikariCP's ConcurrentBag: a thread-local hint of the
 * entry this thread returned last, a scan of a copy-on-write array claiming entries by CAS, and a
 * FIFO line of waiters that releasers hand entries to directly. Acquire and release take no lock
 * and allocate nothing unless the caller has to wait. Connections come and go through its {@link
 * PoolMaintainer} (creation, retirement, housekeeping), reached only off the fast path.
 *
 * <p>The fast path (an idle connection at hand, nobody waiting) is one CAS to claim the entry and
 * one CAS to give it back (see {@link PoolEntry}), and reads no precise clock: an acquire served at
 * once did not wait, so it is counted with zero wait, and the time stamps it needs (lent at, last
 * used, last checked, the lifetime check) only need millisecond precision, so they come from the
 * shared {@link CoarseClock} when the ticker is {@link Ticker#system()} (a fake ticker is read
 * directly, so tests see exact time). Waiting, timeouts and creation use the configured ticker.
 */
final class PoolEngine<C> implements PoolMeters.Source {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** The entry this thread gave back last: its first try on the next acquire. */
  private static final class Hint {
    PoolEntry<?> entry;
  }

  private final ConnectionFactory<C> factory;
  private final ConnectionPool.Builder<C> cfg;
  private final String name;
  private final Ticker ticker;

  /** Millisecond-precision time for the fast path: the coarse clock, or a fake ticker itself. */
  private final Ticker clock;

  private final AtomicBoolean clockHeld = new AtomicBoolean();
  private final PoolMeters meters;
  private final ThreadLocal<Hint> hint = ThreadLocal.withInitial(Hint::new);
  private final ConcurrentLinkedDeque<PoolWaiter> waiters = new ConcurrentLinkedDeque<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final Object structure = new Object();
  private final Duration validationTimeout;
  final PoolMaintainer<C> maintainer;

  @SuppressWarnings({"unchecked", "rawtypes"}) // an empty array of a generic type
  private volatile PoolEntry<C>[] entries = new PoolEntry[0];

  private volatile boolean closed;

  PoolEngine(ConnectionPool.Builder<C> cfg, ConnectionFactory<C> factory) {
    this.cfg = cfg;
    this.factory = factory;
    this.name = cfg.name;
    this.ticker = cfg.ticker;
    this.validationTimeout = Duration.ofNanos(cfg.validationTimeoutNanos);
    this.meters =
        new PoolMeters(cfg.registry, name, cfg.provider, cfg.tags, this, cfg.acquireHistogram);
    if (ticker == Ticker.system()) {
      clockHeld.set(true);
      this.clock = CoarseClock.acquire();
    } else {
      this.clock = ticker;
    }
    this.maintainer = new PoolMaintainer<>(this, cfg, factory, meters);
    maintainer.fillMinIdle();
  }

  String name() {
    return name;
  }

  // ---- acquire ---------------------------------------------------------------------------

  ConnectionLease<C> acquire(long timeoutNanos) throws InterruptedException {
    if (closed) {
      meters.failed(0);
      throw closedException();
    }
    if (waiting.get() == 0) {
      long now = clock.read();
      @SuppressWarnings("unchecked") // only this pool's entries are stored in this pool's hint
      PoolEntry<C> e = (PoolEntry<C>) hint.get().entry;
      if (e != null
          && e.state == PoolEntry.IDLE
          && e.claim(PoolEntry.IDLE, PoolEntry.IN_USE)
          && usable(e, now)) {
        return lendAtOnce(e, now);
      }
      e = claimIdle(now);
      if (e != null) {
        return lendAtOnce(e, now);
      }
    }
    return acquireSlow(ticker.read(), timeoutNanos);
  }

  /** Claims a usable idle entry, retiring unusable ones on the way; null if none. */
  private PoolEntry<C> claimIdle(long now) {
    PoolEntry<C>[] es = entries;
    for (PoolEntry<C> e : es) {
      if (e.state == PoolEntry.IDLE
          && e.claim(PoolEntry.IDLE, PoolEntry.IN_USE)
          && usable(e, now)) {
        return e;
      }
    }
    return null;
  }

  /** For an entry the caller claimed: true if it may be lent, else retires it. */
  private boolean usable(PoolEntry<C> e, long now) {
    if (cfg.maxLifetimeNanos > 0 && now - e.expiresAt >= 0) {
      maintainer.retire(e, RetireReason.MAX_LIFETIME);
      return false;
    }
    if (cfg.validateAfterIdleNanos == 0 || now - e.lastCheckedAt > cfg.validateAfterIdleNanos) {
      if (!validate(e)) {
        maintainer.retire(e, RetireReason.VALIDATION_FAILED);
        return false;
      }
      e.lastCheckedAt = clock.read();
    }
    return true;
  }

  boolean validate(PoolEntry<C> e) {
    try {
      return factory.validate(e.connection, validationTimeout);
    } catch (Exception ex) {
      LOG.debug("pool '{}': validation failed", name, ex);
      return false;
    }
  }

  /** Lends an idle entry claimed without waiting: counted with zero wait, no clock read. */
  private ConnectionLease<C> lendAtOnce(PoolEntry<C> e, long now) {
    e.borrowedAt = now;
    if (e.leakReported) {
      e.leakReported = false;
    }
    meters.acquired(0);
    return e.lease;
  }

  /** Lends an entry after waiting (the entry is IN_USE, or RESERVED when handed over). */
  private ConnectionLease<C> lend(PoolEntry<C> e, long start) {
    long now = ticker.read();
    e.borrowedAt = now;
    if (e.leakReported) {
      e.leakReported = false;
    }
    e.setStateRelease(PoolEntry.IN_USE);
    meters.acquired(now - start);
    return e.lease;
  }

  private ConnectionLease<C> acquireSlow(long start, long timeoutNanos)
      throws InterruptedException {
    PoolWaiter w = new PoolWaiter(Thread.currentThread());
    waiters.addLast(w);
    waiting.incrementAndGet();
    long deadline = start + timeoutNanos;
    try {
      while (true) {
        Object handed = w.slot();
        if (handed instanceof PoolEntry) {
          @SuppressWarnings("unchecked") // only this pool's entries are handed to its waiters
          PoolEntry<C> e = (PoolEntry<C>) handed;
          if (usable(e, ticker.read())) {
            return lend(e, start);
          }
          w.reset();
          waiters.addFirst(w);
        } else {
          if (closed) {
            abandon(w);
            meters.failed(ticker.read() - start);
            throw closedException();
          }
          PoolEntry<C> e = claimIdle(ticker.read());
          if (e != null) {
            if (w.cancel()) {
              waiters.remove(w);
              return lend(e, start);
            }
            handOffOrIdle(e); // a releaser served us meanwhile: keep that one, pass this on
            continue;
          }
        }
        if (w.slot() == null) {
          maintainer.fillForWaiters();
        }
        long now = ticker.read();
        if (now - deadline >= 0) {
          if (giveUp(w)) {
            meters.timedOut(now - start);
            throw new ConnectionPoolTimeoutException(
                name,
                now - start,
                activeConnections(),
                cfg.maxSize,
                maintainer.lastCreationFailure());
          }
          continue;
        }
        if (w.slot() != null) {
          continue;
        }
        LockSupport.parkNanos(this, Math.min(deadline - now, MAX_PARK_NANOS));
        if (Thread.interrupted()) {
          abandon(w);
          meters.failed(ticker.read() - start);
          throw new InterruptedException("pool '" + name + "': interrupted while acquiring");
        }
      }
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Leaves the line; false if an entry was handed over first (still in the waiter's slot). */
  private boolean giveUp(PoolWaiter w) {
    if (w.cancel()) {
      waiters.remove(w);
      return true;
    }
    return false;
  }

  /** Leaves the line for good; an entry handed over meanwhile is given back. */
  private void abandon(PoolWaiter w) {
    if (!giveUp(w)) {
      @SuppressWarnings("unchecked") // only this pool's entries are handed to its waiters
      PoolEntry<C> e = (PoolEntry<C>) w.slot();
      if (closed) {
        maintainer.retire(e, RetireReason.SHUTDOWN);
      } else {
        handOffOrIdle(e);
      }
    }
  }

  // ---- release ---------------------------------------------------------------------------

  /**
   * Gives a lent entry back: one CAS (IN_USE to IDLE) that also makes a second close a no-op and
   * orders the look for waiters after it. A waiter counts itself before it scans for idle entries,
   * so either it sees this entry idle or we see it waiting and hand the entry over.
   */
  void release(PoolEntry<C> e) {
    if (e.state != PoolEntry.IN_USE) {
      return; // closed already
    }
    if (closed) {
      if (e.claim(PoolEntry.IN_USE, PoolEntry.RESERVED)) {
        maintainer.retire(e, RetireReason.SHUTDOWN);
      }
      return;
    }
    long now = clock.read();
    if (cfg.maxLifetimeNanos > 0 && now - e.expiresAt >= 0) {
      if (e.claim(PoolEntry.IN_USE, PoolEntry.RESERVED)) {
        maintainer.retire(e, RetireReason.MAX_LIFETIME);
        maintainer.fillForWaiters();
      }
      return;
    }
    e.lastUsedAt = now;
    e.lastCheckedAt = now;
    e.borrowedAt = PoolEntry.NOT_BORROWED;
    Hint h = hint.get();
    if (h.entry != e) {
      h.entry = e;
    }
    if (e.claim(PoolEntry.IN_USE, PoolEntry.IDLE)
        && waiting.get() > 0
        && e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
      handOffOrIdle(e);
    }
  }

  void retireLeased(PoolEntry<C> e, RetireReason reason) {
    maintainer.retire(e, reason);
    maintainer.fillForWaiters();
  }

  /**
   * For an entry the caller owns: hands it to the first waiter still waiting (RESERVED until the
   * waiter lends it), or makes it idle.
   */
  void handOffOrIdle(PoolEntry<C> e) {
    while (true) {
      PoolWaiter w;
      while (waiting.get() > 0 && (w = waiters.pollFirst()) != null) {
        e.setStateRelease(PoolEntry.RESERVED); // before the offer: then the waiter owns it
        if (w.offer(e)) {
          LockSupport.unpark(w.thread);
          return;
        }
      }
      e.state = PoolEntry.IDLE;
      // a waiter that queued after our look scans after queuing, so one of us sees the other
      if (waiters.peekFirst() == null || !e.claim(PoolEntry.IDLE, PoolEntry.IN_USE)) {
        return;
      }
    }
  }

  // ---- entries (changed only by the maintainer) -------------------------------------------

  /** The entries now: a snapshot, never changed in place. */
  PoolEntry<C>[] entries() {
    return entries;
  }

  void addEntry(PoolEntry<C> e) {
    synchronized (structure) {
      PoolEntry<C>[] es = Arrays.copyOf(entries, entries.length + 1);
      es[es.length - 1] = e;
      entries = es;
    }
  }

  /** Marks an entry the caller owns retired and takes it out of the array. */
  void removeEntry(PoolEntry<C> e) {
    e.state = PoolEntry.RETIRED;
    synchronized (structure) {
      PoolEntry<C>[] es = entries;
      for (int i = 0; i < es.length; i++) {
        if (es[i] == e) {
          PoolEntry<C>[] copy = Arrays.copyOf(es, es.length - 1);
          System.arraycopy(es, i + 1, copy, i, es.length - i - 1);
          entries = copy;
          break;
        }
      }
    }
  }

  // ---- gauges ----------------------------------------------------------------------------

  @Override
  public int activeConnections() {
    return count(PoolEntry.IN_USE);
  }

  @Override
  public int idleConnections() {
    return count(PoolEntry.IDLE);
  }

  @Override
  public int pendingAcquires() {
    return waiting.get();
  }

  @Override
  public int maxConnections() {
    return cfg.maxSize;
  }

  @Override
  public int staleConnections() {
    long now = ticker.read();
    int n = 0;
    for (PoolEntry<C> e : entries) {
      if (e.state == PoolEntry.IDLE && now - e.lastUsedAt > cfg.staleAfterNanos) {
        n++;
      }
    }
    return n;
  }

  private int count(int state) {
    int n = 0;
    for (PoolEntry<C> e : entries) {
      if (e.state == state) {
        n++;
      }
    }
    return n;
  }

  // ---- close -----------------------------------------------------------------------------

  private IllegalStateException closedException() {
    return new IllegalStateException("pool '" + name + "' is closed");
  }

  boolean isClosed() {
    return closed;
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (PoolWaiter w : waiters) {
      LockSupport.unpark(w.thread);
    }
    maintainer.shutdown();
    meters.remove();
    if (clockHeld.compareAndSet(true, false)) {
      CoarseClock.release();
    }
  }
}
