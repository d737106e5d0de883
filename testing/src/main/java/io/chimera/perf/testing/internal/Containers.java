package io.chimera.perf.testing.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import io.chimera.perf.testing.FixtureException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers backend. Only loaded when {@link Env#useDocker()} found a Docker engine. The
 * container's port is bound to a fixed loopback port chosen up front, so that stop and start (done
 * through the Docker API on the same container) keep the address clients use.
 */
public final class Containers implements Backend {
  private final GenericContainer<?> container;
  private final int hostPort;
  private final String image;
  private final Runnable awaitReady;
  private boolean closed;

  private Containers(GenericContainer<?> container, int hostPort, String image, Runnable ready) {
    this.container = container;
    this.hostPort = hostPort;
    this.image = image;
    this.awaitReady = ready;
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /**
   * Starts {@code image} with {@code command}, binding {@code containerPort} to a free loopback
   * port; {@code readyLog} is a regex seen {@code readyTimes} times when it is ready on first
   * start, {@code awaitReady} the check after a restart.
   */
  public static Containers start(
      String image,
      int containerPort,
      Map<String, String> env,
      List<String> command,
      String readyLog,
      int readyTimes,
      java.util.function.IntConsumer awaitReady) {
    int hostPort = Ports.freePort();
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(image))
            .withEnv(env)
            .withCommand(command.toArray(String[]::new))
            .waitingFor(
                Wait.forLogMessage(readyLog, readyTimes).withStartupTimeout(Duration.ofMinutes(2)))
            .withCreateContainerCmdModifier(
                cmd -> {
                  ExposedPort exposed = ExposedPort.tcp(containerPort);
                  cmd.withExposedPorts(exposed);
                  cmd.getHostConfig()
                      .withPortBindings(
                          new PortBinding(
                              com.github.dockerjava.api.model.Ports.Binding.bindIpAndPort(
                                  "127.0.0.1", hostPort),
                              exposed));
                });
    try {
      container.start();
    } catch (RuntimeException e) {
      container.stop();
      throw new FixtureException("cannot start container " + image, e);
    }
    Containers result =
        new Containers(container, hostPort, image, () -> awaitReady.accept(hostPort));
    result.awaitReady.run();
    return result;
  }

  private DockerClient client() {
    return DockerClientFactory.instance().client();
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return hostPort;
  }

  @Override
  public boolean controllable() {
    return true;
  }

  @Override
  public synchronized void stop() {
    if (isRunning()) {
      client().stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
    }
  }

  @Override
  public synchronized void kill() {
    if (isRunning()) {
      client().killContainerCmd(container.getContainerId()).exec();
    }
  }

  @Override
  public synchronized void start() {
    if (!isRunning()) {
      client().startContainerCmd(container.getContainerId()).exec();
    }
    awaitReady.run();
  }

  @Override
  public boolean isRunning() {
    Boolean running =
        client().inspectContainerCmd(container.getContainerId()).exec().getState().getRunning();
    return Boolean.TRUE.equals(running);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      container.stop();
    }
  }

  @Override
  public String describe() {
    return "container " + image + " on 127.0.0.1:" + hostPort;
  }
}
