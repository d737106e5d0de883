package io.chimera.perf.testing.internal;

/** One way of running a server (external address, container, local process). */
public interface Backend extends AutoCloseable {
  /** Loopback host or the external host. */
  String host();

  /** The port clients connect to; stable across stop and start. */
  int port();

  /** Whether stop, kill and start are supported (false for an external server). */
  boolean controllable();

  /** Graceful shutdown; returns when the server has exited. */
  void stop();

  /** SIGKILL; returns when the server has exited. */
  void kill();

  /** Starts a stopped or killed server on the same port; returns when it accepts clients. */
  void start();

  /** Whether the server process is running. */
  boolean isRunning();

  /** Stops the server and removes its files. Idempotent. */
  @Override
  void close();

  /** Where the server comes from, for messages. */
  String describe();
}
