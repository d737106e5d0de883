package io.chimera.perf.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One proxied connection: the accepted client socket, the upstream socket, and one thread per
 * direction copying bytes while applying the proxy's current faults.
 */
public final class ProxyLink {
  /** The faults a link consults for every chunk it forwards. */
  public interface Faults {
    /** Whether forwarded data is dropped (black hole). */
    boolean blackHole();

    /** Delay in nanoseconds before forwarding a chunk towards upstream (true) or the client. */
    long delayNanos(boolean towardsUpstream);

    /** Called once when the link has closed. */
    void closed(ProxyLink link);
  }

  private static final int CONNECT_TIMEOUT_MILLIS = 5000;

  private final Socket client;
  private final Socket upstream = new Socket();
  private final Faults faults;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger halfClosed = new AtomicInteger();
  private final String name;
  private final Object startLock = new Object();
  private volatile Thread down;

  /** Creates a link for an accepted client socket; {@link #open} connects and starts it. */
  public ProxyLink(Socket client, Faults faults, String name) {
    this.client = client;
    this.faults = faults;
    this.name = name;
  }

  /**
   * Connects to upstream in a new thread, then copies in both directions; a failed connect resets
   * the client.
   *
   * @return the thread copying towards upstream
   */
  public Thread open(InetSocketAddress upstreamAddress) {
    Thread t =
        new Thread(
            () -> {
              try {
                upstream.connect(upstreamAddress, CONNECT_TIMEOUT_MILLIS);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
              } catch (IOException e) {
                reset();
                return;
              }
              Thread d = new Thread(() -> pump(upstream, client, false), name + "-down");
              d.setDaemon(true);
              synchronized (startLock) {
                if (closed.get()) {
                  return;
                }
                down = d;
                d.start();
              }
              pump(client, upstream, true);
            },
            name + "-up");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void pump(Socket from, Socket to, boolean towardsUpstream) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          to.shutdownOutput();
          if (halfClosed.incrementAndGet() == 2) {
            close();
          }
          return;
        }
        long delay = faults.delayNanos(towardsUpstream);
        if (delay > 0) {
          TimeUnit.NANOSECONDS.sleep(delay);
        }
        if (!faults.blackHole()) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      if (!closed.get()) {
        reset();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reset();
    }
  }

  /** Closes both sockets with RST (SO_LINGER 0). */
  public void reset() {
    if (closed.compareAndSet(false, true)) {
      rst(client);
      rst(upstream);
      finish();
    }
  }

  /** Closes both sockets gracefully (FIN). */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      quietClose(client);
      quietClose(upstream);
      finish();
    }
  }

  private void finish() {
    synchronized (startLock) {
      Thread d = down;
      if (d != null) {
        d.interrupt();
      }
    }
    faults.closed(this);
  }

  /** Waits up to {@code millis} for the copying threads to end. */
  public void join(long millis) throws InterruptedException {
    Thread d = down;
    if (d != null) {
      d.join(millis);
    }
  }

  /** Whether this link is closed. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Closes {@code socket} with RST. */
  public static void rst(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // not connected: plain close below
    }
    quietClose(socket);
  }

  private static void quietClose(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
