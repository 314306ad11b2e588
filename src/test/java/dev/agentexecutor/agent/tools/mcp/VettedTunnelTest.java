package dev.agentexecutor.agent.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.agent.tools.ToolException;
import dev.agentexecutor.agent.tools.net.HostResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MCP session's only way out reaches its own server's vetted addresses and nothing else. */
class VettedTunnelTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static String exchange(VettedTunnel tunnel, String request) throws IOException {
    Proxy proxy = tunnel.proxySelector().select(URI.create("http://x/")).get(0);
    try (Socket socket = new Socket()) {
      socket.connect(proxy.address(), 2000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void refusesEveryHostAndPortButTheSessionsOwn() throws IOException {
    try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        VettedTunnel tunnel =
            VettedTunnel.open(
                URI.create("http://127.0.0.1:" + target.getLocalPort() + "/mcp"),
                new HttpToolPolicy(List.of("127.0.0.1")),
                HostResolver.SYSTEM,
                TIMEOUT)) {
      String otherPort =
          exchange(tunnel, "GET http://127.0.0.1:1/x HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n");
      String otherHost =
          exchange(
              tunnel,
              "GET http://169.254.169.254:"
                  + target.getLocalPort()
                  + "/latest HTTP/1.1\r\nHost: x\r\n\r\n");
      String connect =
          exchange(tunnel, "CONNECT 127.0.0.1:" + target.getLocalPort() + " HTTP/1.1\r\n\r\n");

      assertThat(otherPort).startsWith("HTTP/1.1 403");
      assertThat(otherHost).startsWith("HTTP/1.1 403");
      assertThat(connect).as("plain http is never tunnelled").startsWith("HTTP/1.1 403");
    }
  }

  @Test
  void forwardsToTheVettedAddressInOriginFormAndClosesAfterTheResponse() throws Exception {
    try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread serverThread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket s = target.accept()) {
                      byte[] head = new byte[4096];
                      int n = s.getInputStream().read(head);
                      String request = new String(head, 0, n, StandardCharsets.US_ASCII);
                      String body = request.split("\r\n")[0];
                      s.getOutputStream()
                          .write(
                              ("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: "
                                      + body.length()
                                      + "\r\n\r\n"
                                      + body)
                                  .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException ignored) {
                      // the test fails on the answer
                    }
                  });
      // The host name is one no DNS knows: only the vetted address is ever connected to.
      try (VettedTunnel tunnel =
          VettedTunnel.open(
              URI.create("http://mcp.internal.test:" + target.getLocalPort() + "/mcp"),
              new HttpToolPolicy(List.of("mcp.internal.test")),
              host -> List.of(InetAddress.getLoopbackAddress()),
              TIMEOUT)) {
        String answer =
            exchange(
                tunnel,
                "POST http://mcp.internal.test:"
                    + target.getLocalPort()
                    + "/mcp?x=1 HTTP/1.1\r\nHost: mcp.internal.test\r\nProxy-Connection: keep-alive\r\nContent-Length: 0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("Connection: close");
        assertThat(answer).doesNotContain("keep-alive").endsWith("POST /mcp?x=1 HTTP/1.1");
      }
      serverThread.join(5000);
    }
  }

  @Test
  void aPrivateAddressIsRefusedBeforeAnyConnection() {
    assertThatThrownBy(
            () ->
                VettedTunnel.open(
                    URI.create("http://internal.example:8080/mcp"),
                    HttpToolPolicy.DEFAULT,
                    host -> List.of(InetAddress.getByName("10.1.2.3")),
                    TIMEOUT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("10.1.2.3")
        .hasMessageContaining("private");
  }
}
