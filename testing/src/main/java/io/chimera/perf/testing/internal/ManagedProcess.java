package io.chimera.perf.testing.internal;

import io.chimera.perf.testing.FixtureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A server process owned by a fixture: output goes to a log file, and a JVM shutdown hook kills
 * every process (and its children) still running when the JVM exits, so no server outlives the test
 * run.
 */
public final class ManagedProcess {
  private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ManagedProcess::killAllLive, "chimera-fixture-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code command}, appending its stdout and stderr to {@code log}.
   *
   * @throws FixtureException if the process cannot be started
   */
  public static ManagedProcess start(String name, List<String> command, Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    try {
      ManagedProcess managed = new ManagedProcess(name, builder.start(), log);
      LIVE.add(managed);
      return managed;
    } catch (IOException e) {
      throw new FixtureException(name + ": cannot start " + String.join(" ", command), e);
    }
  }

  /** Runs {@code command} to completion, failing with its output if it exits non-zero. */
  public static void run(String name, List<String> command, Path log, Duration timeout) {
    ManagedProcess p = start(name, command, log);
    try {
      if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.kill();
        throw new FixtureException(name + ": timed out after " + timeout + "\n" + p.logTail());
      }
      if (p.process.exitValue() != 0) {
        throw new FixtureException(
            name + ": exited with " + p.process.exitValue() + "\n" + p.logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.kill();
      throw new FixtureException(name + ": interrupted", e);
    } finally {
      LIVE.remove(p);
    }
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM, then SIGKILL if it has not exited within {@code grace}. Returns when it has exited.
   */
  public void terminate(Duration grace) {
    process.destroy();
    awaitExitOrKill(grace);
  }

  /** Sends {@code signal} (e.g. {@code INT}) through the shell's builtin kill. */
  public void signal(String signal) {
    try {
      Process k =
          new ProcessBuilder("sh", "-c", "kill -s " + signal + " " + process.pid())
              .redirectErrorStream(true)
              .start();
      if (!k.waitFor(10, TimeUnit.SECONDS)) {
        k.destroyForcibly();
      }
    } catch (IOException e) {
      throw new FixtureException(name + ": cannot send SIG" + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FixtureException(name + ": interrupted while sending SIG" + signal, e);
    }
  }

  /** Waits up to {@code grace} for the process to exit, then kills it. */
  public void awaitExitOrKill(Duration grace) {
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
    LIVE.remove(this);
  }

  /**
   * SIGKILL to the process, as a crash would; its children are given a few seconds to notice and
   * exit on their own, then killed too. Returns when all have exited.
   */
  public void kill() {
    List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (ProcessHandle child : children) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          child.onExit().get(left, TimeUnit.NANOSECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // fall through: stragglers are killed below
    }
    children.forEach(ProcessHandle::destroyForcibly);
    LIVE.remove(this);
  }

  /** The last lines of the process's log, for error messages. */
  public String logTail() {
    return tail(log);
  }

  /** The last 2000 characters of {@code file}, or a note that it cannot be read. */
  public static String tail(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return "--- " + file + " ---\n" + text.substring(Math.max(0, text.length() - 2000));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }

  private static void killAllLive() {
    for (ManagedProcess p : LIVE) {
      p.process.descendants().forEach(ProcessHandle::destroyForcibly);
      p.process.destroyForcibly();
    }
  }
}
