package io.chimera.perf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

  @Test
  void rejectsAnOutOfRangeUpstreamPort() {
    assertThatThrownBy(() -> FaultProxy.start("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 65535, was 0");
    assertThatThrownBy(() -> FaultProxy.start("127.0.0.1", 65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 65536");
  }

  @Test
  void rejectsNegativeLatency() {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", 9)) {
      assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("latency must be >= 0");
    }
  }

  @Test
  void unreachableUpstreamResetsTheClient() throws IOException {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", deadPort);
        Socket client = new Socket(proxy.host(), proxy.port())) {
      client.setSoTimeout(5000);
      assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class);
      assertThat(proxy.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void closeReleasesThePortAndIsIdempotent() throws IOException {
    FaultProxy proxy = FaultProxy.start("127.0.0.1", 9);
    int port = proxy.port();
    proxy.close();
    proxy.close();
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }
}
