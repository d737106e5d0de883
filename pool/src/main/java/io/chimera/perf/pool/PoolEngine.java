package io.chimera.perf.pool;

import io.chimera.perf.core.Ticker;
import io.chimera.perf.core.internal.CoarseClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic pool's engine, in the spirit of HikariCP's ConcurrentBag: a thread-local hint of the
 * entry this thread returned last, a scan of a copy-on-write array claiming entries by CAS, and a
 * FIFO line of waiters that releasers hand entries to directly. Acquire and release take no lock
 * and allocate nothing unless the caller has to wait. {@link #total} counts entries plus creations
 * in flight and is only ever raised by CAS below the maximum.
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
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

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
  private final ScheduledThreadPoolExecutor executor;
  private final ThreadLocal<Hint> hint = ThreadLocal.withInitial(Hint::new);
  private final ConcurrentLinkedDeque<PoolWaiter> waiters = new ConcurrentLinkedDeque<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger creating = new AtomicInteger();
  private final LongAdder leaks = new LongAdder();
  private final Object structure = new Object();
  private final Duration validationTimeout;
  private final ScheduledFuture<?> housekeeping;

  @SuppressWarnings({"unchecked", "rawtypes"}) // an empty array of a generic type
  private volatile PoolEntry<C>[] entries = new PoolEntry[0];

  private volatile Throwable lastCreationFailure;
  private volatile long nextCreationAt;
  private volatile long backoffNanos;
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
    AtomicInteger threadNo = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            cfg.creationThreads,
            r -> {
              Thread t = new Thread(r, "chimera-pool-" + name + "-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    housekeeping =
        executor.scheduleWithFixedDelay(
            this::housekeepQuietly,
            cfg.housekeepingNanos,
            cfg.housekeepingNanos,
            TimeUnit.NANOSECONDS);
    fillMinIdle();
  }

  String name() {
    return name;
  }

  PoolMeters meters() {
    return meters;
  }

  long leaksDetected() {
    return leaks.sum();
  }

  int totalConnections() {
    return total.get();
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
      retireClaimed(e, RetireReason.MAX_LIFETIME);
      return false;
    }
    if (cfg.validateAfterIdleNanos == 0 || now - e.lastCheckedAt > cfg.validateAfterIdleNanos) {
      if (!validate(e)) {
        retireClaimed(e, RetireReason.VALIDATION_FAILED);
        return false;
      }
      e.lastCheckedAt = clock.read();
    }
    return true;
  }

  private boolean validate(PoolEntry<C> e) {
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
          fillForWaiters();
        }
        long now = ticker.read();
        if (now - deadline >= 0) {
          if (giveUp(w)) {
            meters.timedOut(now - start);
            throw new ConnectionPoolTimeoutException(
                name, now - start, activeConnections(), cfg.maxSize, lastCreationFailure);
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
        retireClaimed(e, RetireReason.SHUTDOWN);
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
        retireClaimed(e, RetireReason.SHUTDOWN);
      }
      return;
    }
    long now = clock.read();
    if (cfg.maxLifetimeNanos > 0 && now - e.expiresAt >= 0) {
      if (e.claim(PoolEntry.IN_USE, PoolEntry.RESERVED)) {
        retireClaimed(e, RetireReason.MAX_LIFETIME);
        fillForWaiters();
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
    retireClaimed(e, reason);
    fillForWaiters();
  }

  /**
   * For an entry the caller owns: hands it to the first waiter still waiting (RESERVED until the
   * waiter lends it), or makes it idle.
   */
  private void handOffOrIdle(PoolEntry<C> e) {
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

  // ---- creation and retirement -----------------------------------------------------------

  private void fillForWaiters() {
    int need = waiting.get() - creating.get();
    for (int i = 0; i < need && startCreation(); i++) {
      // one creation per waiter not yet covered
    }
  }

  private void fillMinIdle() {
    while (idleConnections() + creating.get() < cfg.minIdle && startCreation()) {
      // up to min idle
    }
  }

  /** Reserves a slot below the maximum and opens a connection in the background. */
  private boolean startCreation() {
    if (closed) {
      return false;
    }
    if (lastCreationFailure != null && (creating.get() > 0 || ticker.read() - nextCreationAt < 0)) {
      return false; // failing: one attempt at a time, after the back-off
    }
    int t;
    do {
      t = total.get();
      if (t >= cfg.maxSize) {
        return false;
      }
    } while (!total.compareAndSet(t, t + 1));
    creating.incrementAndGet();
    try {
      executor.execute(this::create);
    } catch (RejectedExecutionException e) {
      creating.decrementAndGet();
      total.decrementAndGet();
      return false;
    }
    return true;
  }

  private void create() {
    C connection = null;
    Throwable failure = null;
    try {
      connection = factory.create();
      if (connection == null) {
        failure = new NullPointerException("the connection factory returned null");
      }
    } catch (Exception | LinkageError e) {
      failure = e;
    }
    long now = ticker.read();
    if (failure != null) {
      long backoff =
          Math.min(backoffNanos == 0 ? FIRST_BACKOFF_NANOS : backoffNanos * 2, cfg.maxBackoffNanos);
      backoffNanos = backoff;
      nextCreationAt = now + backoff;
      lastCreationFailure = failure;
      meters.creationFailed();
      total.decrementAndGet();
      creating.decrementAndGet();
      LOG.debug("pool '{}': connection attempt failed, next in {} ms", name, backoff / 1_000_000);
      return;
    }
    meters.created();
    lastCreationFailure = null;
    backoffNanos = 0;
    long expiresAt = Long.MAX_VALUE;
    if (cfg.maxLifetimeNanos > 0) {
      long jitter =
          cfg.lifetimeJitterNanos == 0
              ? 0
              : ThreadLocalRandom.current().nextLong(cfg.lifetimeJitterNanos + 1);
      expiresAt = now + cfg.maxLifetimeNanos - jitter;
    }
    PoolEntry<C> e = new PoolEntry<>(connection, now, expiresAt, this);
    synchronized (structure) {
      PoolEntry<C>[] es = Arrays.copyOf(entries, entries.length + 1);
      es[es.length - 1] = e;
      entries = es;
    }
    if (closed) {
      retireClaimed(e, RetireReason.SHUTDOWN);
    } else {
      handOffOrIdle(e);
    }
    creating.decrementAndGet(); // after the hand-off, so a waiter never orders a second one
  }

  /** Retires an entry the caller owns (in use or reserved). */
  private void retireClaimed(PoolEntry<C> e, RetireReason reason) {
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
    total.decrementAndGet();
    meters.retired(reason);
    LOG.debug("pool '{}': retired a connection ({})", name, reason.tag());
    C c = e.connection;
    if (closed) {
      closeQuietly(c);
    } else {
      try {
        executor.execute(() -> closeQuietly(c));
      } catch (RejectedExecutionException ex) {
        closeQuietly(c);
      }
    }
  }

  private void closeQuietly(C c) {
    try {
      factory.close(c);
    } catch (Exception e) {
      LOG.debug("pool '{}': closing a connection failed", name, e);
    }
  }

  // ---- housekeeping ----------------------------------------------------------------------

  private void housekeepQuietly() {
    try {
      housekeep();
    } catch (RuntimeException e) {
      LOG.warn("pool '{}': housekeeping failed", name, e);
    }
  }

  /** Retires expired and long-idle connections, validates idle ones, reports leaks, fills. */
  void housekeep() {
    if (closed) {
      return;
    }
    long now = ticker.read();
    int idle = idleConnections();
    for (PoolEntry<C> e : entries) {
      if (e.state == PoolEntry.IDLE) {
        if (cfg.maxLifetimeNanos > 0 && now - e.expiresAt >= 0) {
          if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
            retireClaimed(e, RetireReason.MAX_LIFETIME);
            idle--;
          }
        } else if (cfg.idleTimeoutNanos > 0
            && now - e.lastUsedAt >= cfg.idleTimeoutNanos
            && idle > cfg.minIdle) {
          if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
            retireClaimed(e, RetireReason.IDLE_TIMEOUT);
            idle--;
          }
        } else if (cfg.keepaliveNanos > 0 && now - e.lastCheckedAt >= cfg.keepaliveNanos) {
          if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
            if (validate(e)) {
              e.lastCheckedAt = ticker.read();
              handOffOrIdle(e);
            } else {
              retireClaimed(e, RetireReason.VALIDATION_FAILED);
              idle--;
            }
          }
        }
      } else if (cfg.leakThresholdNanos > 0 && e.state == PoolEntry.IN_USE && !e.leakReported) {
        long borrowedAt = e.borrowedAt; // NOT_BORROWED until the borrower's write shows
        if (borrowedAt != PoolEntry.NOT_BORROWED && now - borrowedAt > cfg.leakThresholdNanos) {
          e.leakReported = true;
          leaks.increment();
          LOG.warn(
              "pool '{}': a connection has been leased for {} ms, longer than the leak-detection"
                  + " threshold of {} ms; was its lease closed?",
              name,
              (now - borrowedAt) / 1_000_000,
              cfg.leakThresholdNanos / 1_000_000);
        }
      }
    }
    fillMinIdle();
    fillForWaiters();
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
    for (PoolEntry<C> e : entries) {
      if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
        retireClaimed(e, RetireReason.SHUTDOWN);
      }
    }
    long deadline = System.nanoTime() + cfg.closeTimeoutNanos;
    while (total.get() > 0 && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
      for (PoolEntry<C> e : entries) {
        if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
          retireClaimed(e, RetireReason.SHUTDOWN);
        }
      }
    }
    int left = total.get();
    if (left > 0) {
      LOG.warn(
          "pool '{}': closed with {} connections still leased; each is closed when returned",
          name,
          left);
    }
    housekeeping.cancel(false);
    executor.shutdown();
    meters.remove();
    if (clockHeld.compareAndSet(true, false)) {
      CoarseClock.release();
    }
  }
}
