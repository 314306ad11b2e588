package dev.agentexecutor.agent.tools;

import static dev.agentexecutor.agent.tools.ToolTestSupport.call;
import static dev.agentexecutor.agent.tools.ToolTestSupport.withFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.agentexecutor.agent.definition.HttpToolRuntime;
import dev.agentexecutor.agent.definition.ToolDefinition;
import dev.agentexecutor.agent.tools.net.HostResolver;
import dev.agentexecutor.agent.tools.net.PinnedSocketFactory;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP tools against a real server on loopback: every spelling of a loopback address is refused by
 * default and the server never sees a request; an explicit opt-in reaches it; and the connection
 * goes to the address that was vetted, not to a second DNS answer.
 */
class HttpToolSsrfTest {
  private static HttpServer server;
  private static final List<String> hostHeaders = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    server = recordingServer(new InetSocketAddress("127.0.0.1", 0), "inside", hostHeaders);
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void clear() {
    hostHeaders.clear();
  }

  private static HttpServer recordingServer(
      InetSocketAddress address, String answer, List<String> hosts) throws IOException {
    HttpServer http = HttpServer.create(address, 0);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext(
        "/",
        exchange -> {
          hosts.add(exchange.getRequestHeaders().getFirst("Host"));
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    http.start();
    return http;
  }

  private static int port() {
    return server.getAddress().getPort();
  }

  private static HttpTool tool(String url, HttpToolPolicy policy, HostResolver resolver) {
    ToolDefinition definition =
        new ToolDefinition(
            "fetch", "", Json.object(), new HttpToolRuntime(URI.create(url), "GET", Map.of()));
    return new HttpTool(definition, new HttpToolClient(policy, resolver, Duration.ofSeconds(5)));
  }

  /**
   * Reads IPv4 the way C's inet_aton (and so curl and many resolvers) does: one to four parts, each
   * decimal, 0x-hex or 0-octal. Any other name goes to the system resolver.
   */
  static final HostResolver INET_ATON =
      host -> {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4
            || !host.matches("(0[xX][0-9a-fA-F]+|[0-9]+)(\\.(0[xX][0-9a-fA-F]+|[0-9]+))*")) {
          return HostResolver.SYSTEM.resolve(host);
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
          String p = parts[i].toLowerCase(java.util.Locale.ROOT);
          values[i] =
              p.startsWith("0x")
                  ? Long.parseLong(p.substring(2), 16)
                  : p.length() > 1 && p.startsWith("0")
                      ? Long.parseLong(p.substring(1), 8)
                      : Long.parseLong(p);
        }
        long address = values[parts.length - 1];
        for (int i = 0; i < parts.length - 1; i++) address |= values[i] << (8 * (3 - i));
        byte[] bytes = {
          (byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address
        };
        return List.of(InetAddress.getByAddress(host, bytes));
      };

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "localhost",
        "[::1]",
        "2130706433",
        "[::ffff:127.0.0.1]",
        "0x7f000001",
        "0x7f.0.0.1",
        "0177.0.0.1",
        "017700000001",
        "127.0.1",
        "[::ffff:7f00:1]"
      })
  void everySpellingOfLoopbackIsRefusedByDefaultAndNothingIsSent(String host) {
    HttpTool fetch =
        tool("http://" + host + ":" + port() + "/secret", HttpToolPolicy.DEFAULT, INET_ATON);

    assertThatThrownBy(() -> call(fetch, "{}", withFiles()))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("loopback")
        .hasMessageContaining("HTTP_TOOL_ALLOWED_HOSTS");
    assertThat(hostHeaders).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "2130706433", "[::ffff:127.0.0.1]", "0x7f000001"})
  void aBlockInTheAllowListOptsInAndTheHostHeaderKeepsTheName(String host) {
    HttpTool fetch =
        tool(
            "http://" + host + ":" + port() + "/x",
            new HttpToolPolicy(List.of("127.0.0.0/8")),
            INET_ATON);

    assertThat(call(fetch, "{}", withFiles()).output()).isEqualTo("inside");
    String expectedHost =
        host.equals("[::ffff:127.0.0.1]")
            ? "127.0.0.1"
            : host; // OkHttp writes the mapped form as IPv4
    assertThat(hostHeaders).containsExactly(expectedHost + ":" + port());
  }

  @Test
  void aListedHostNameMayResolveToLoopback() {
    HttpTool fetch =
        tool(
            "http://localhost:" + port() + "/x",
            new HttpToolPolicy(List.of("localhost")),
            HostResolver.SYSTEM);

    assertThat(call(fetch, "{}", withFiles()).output()).isEqualTo("inside");
    assertThat(hostHeaders).containsExactly("localhost:" + port());
  }

  @Test
  void aHostOutsideTheListIsRefusedBeforeAnyLookup() {
    AtomicInteger lookups = new AtomicInteger();
    HttpTool fetch =
        tool(
            "http://elsewhere.example:" + port() + "/x",
            new HttpToolPolicy(List.of("localhost")),
            host -> {
              lookups.incrementAndGet();
              return List.of(InetAddress.getLoopbackAddress());
            });

    assertThatThrownBy(() -> call(fetch, "{}", withFiles()))
        .hasMessage("host elsewhere.example is not in HTTP_TOOL_ALLOWED_HOSTS");
    assertThat(lookups).hasValue(0);
  }

  @Test
  void anUnresolvableHostIsAToolError() {
    HttpTool fetch =
        tool(
            "http://no-such-host.invalid/x",
            HttpToolPolicy.DEFAULT,
            host -> {
              throw new UnknownHostException(host);
            });

    assertThatThrownBy(() -> call(fetch, "{}", withFiles()))
        .hasMessage("host no-such-host.invalid cannot be resolved");
  }

  @Test
  void theConnectionGoesToTheVettedAddressNotToASecondDnsAnswer() throws IOException {
    List<String> evilHosts = new CopyOnWriteArrayList<>();
    HttpServer evil = recordingServer(new InetSocketAddress("127.0.0.2", 0), "rebound", evilHosts);
    int port = evil.getAddress().getPort();
    List<String> goodHosts = new CopyOnWriteArrayList<>();
    HttpServer good =
        recordingServer(new InetSocketAddress("127.0.0.1", port), "vetted", goodHosts);
    try {
      // A rebinding DNS server: the first answer passes the policy, every later one points
      // elsewhere.
      AtomicInteger lookups = new AtomicInteger();
      HostResolver rebinding =
          host ->
              List.of(
                  InetAddress.getByAddress(
                      host,
                      new byte[] {127, 0, 0, (byte) (lookups.getAndIncrement() == 0 ? 1 : 2)}));
      HttpTool fetch =
          tool(
              "http://rebind.example:" + port + "/x",
              new HttpToolPolicy(List.of("127.0.0.1/32")),
              rebinding);

      assertThat(call(fetch, "{}", withFiles()).output()).isEqualTo("vetted");
      assertThat(lookups).hasValue(1);
      assertThat(goodHosts).containsExactly("rebind.example:" + port);

      assertThatThrownBy(() -> call(fetch, "{}", withFiles()))
          .hasMessageContaining("127.0.0.2, a loopback address");
      assertThat(evilHosts).isEmpty();
    } finally {
      good.stop(0);
      evil.stop(0);
    }
  }

  @Test
  void pinnedSocketsConnectOnlyToTheVettedAddresses() throws IOException {
    PinnedSocketFactory factory =
        new PinnedSocketFactory(List.of(InetAddress.getByName("127.0.0.1")));

    try (Socket socket = factory.createSocket()) {
      assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.2", port())))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("not the vetted address");
    }
    try (Socket socket = factory.createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port()));
      assertThat(socket.isConnected()).isTrue();
    }
  }
}
