package dev.agentexecutor.agent.tools.mcp;

import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.agent.tools.net.HostResolver;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The only way out for one MCP session: a proxy on a loopback port that the session's HTTP client
 * must use, and that connects only to the addresses the {@link HttpToolPolicy} vetted for the
 * server's host when the session opened. The MCP SDK's transports are built on the JDK HTTP client,
 * which resolves host names itself and cannot be pinned to addresses; through this tunnel it never
 * connects anywhere on its own. {@code https} goes through {@code CONNECT} (TLS end to end, SNI and
 * certificate checked against the host name by the client); plain {@code http} requests are
 * forwarded in origin form with {@code Connection: close}. Any other host or port is refused, so a
 * redirect or an SSE endpoint event pointing elsewhere goes nowhere.
 */
final class VettedTunnel implements Closeable {
  private static final int MAX_HEAD_BYTES = 16 * 1024;
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "upgrade");

  private final String host;
  private final int port;
  private final boolean tls;
  private final List<InetAddress> addresses;
  private final Duration connectTimeout;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private VettedTunnel(URI target, List<InetAddress> addresses, Duration connectTimeout)
      throws IOException {
    this.host = target.getHost().toLowerCase(Locale.ROOT);
    this.tls = "https".equals(target.getScheme());
    this.port = target.getPort() >= 0 ? target.getPort() : tls ? 443 : 80;
    this.addresses = List.copyOf(addresses);
    this.connectTimeout = connectTimeout;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("mcp-tunnel-" + host).start(this::acceptLoop);
  }

  /**
   * Resolves the server's host once, has the policy vet every address (throws the policy's {@code
   * ToolException} naming the refused address), and opens the tunnel to them.
   */
  static VettedTunnel open(
      URI target, HttpToolPolicy policy, HostResolver resolver, Duration timeout)
      throws IOException {
    String host = target.getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    policy.checkHost(bare);
    List<InetAddress> addresses = resolver.resolve(bare);
    policy.checkAddresses(bare, addresses);
    return new VettedTunnel(target, addresses, timeout);
  }

  /** What the session's HTTP client uses for every request: this tunnel, never a direct route. */
  ProxySelector proxySelector() {
    InetSocketAddress local = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return List.of(new Proxy(Proxy.Type.HTTP, local));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // the tunnel reports its own refusals as HTTP answers
      }
    };
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread.ofVirtual().name("mcp-tunnel-conn").start(() -> serve(client));
      } catch (IOException e) {
        if (!closed) closeQuietly(this);
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout((int) Math.max(1, connectTimeout.toMillis()));
      InputStream in = client.getInputStream();
      Head head = readHead(in);
      client.setSoTimeout(0); // an SSE stream may be quiet for long; the session bounds each call
      if (head == null) return;
      if (head.method().equals("CONNECT")) connect(client, head);
      else forward(client, head);
    } catch (IOException e) {
      // the client or the server went away: nothing to report, the MCP call fails on its own
    } finally {
      open.remove(client);
    }
  }

  private void connect(Socket client, Head head) throws IOException {
    if (!tls || !sameAuthority(head.target())) {
      refuse(client, head.target());
      return;
    }
    try (Socket upstream = upstream()) {
      client
          .getOutputStream()
          .write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
      pump(client, upstream, head.rest(), false);
    }
  }

  private void forward(Socket client, Head head) throws IOException {
    URI uri;
    try {
      uri = URI.create(head.target());
    } catch (IllegalArgumentException e) {
      refuse(client, head.target());
      return;
    }
    if (tls
        || !"http".equals(uri.getScheme())
        || uri.getHost() == null
        || !sameAuthority(uri.getHost() + ":" + (uri.getPort() < 0 ? 80 : uri.getPort()))) {
      refuse(client, head.target());
      return;
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    StringBuilder request = new StringBuilder();
    request.append(head.method()).append(' ').append(path).append(' ').append(head.version());
    request.append("\r\n");
    for (String header : head.headers()) {
      String name = header.substring(0, Math.max(0, header.indexOf(':'))).strip();
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)))
        request.append(header).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    try (Socket upstream = upstream()) {
      upstream.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      pump(client, upstream, head.rest(), true);
    }
  }

  /**
   * The response's head with {@code Connection: close}, so that the client never sends a second
   * request on this connection (each forwarded connection carries exactly one exchange; a server
   * answering an SSE stream with keep-alive would otherwise invite one).
   */
  private static void forwardResponseHead(InputStream fromServer, OutputStream toClient)
      throws IOException {
    Head response = readHead(fromServer);
    if (response == null) return;
    StringBuilder head = new StringBuilder();
    head.append(response.method())
        .append(' ')
        .append(response.target())
        .append(' ')
        .append(response.version())
        .append("\r\n");
    for (String header : response.headers()) {
      String name = header.substring(0, Math.max(0, header.indexOf(':'))).strip();
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) head.append(header).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    toClient.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    toClient.write(response.rest());
    toClient.flush();
  }

  /** A connection to one of the vetted addresses, in the order the host resolved to them. */
  private Socket upstream() throws IOException {
    IOException last = null;
    for (InetAddress address : addresses) {
      Socket socket = new Socket();
      try {
        socket.connect(
            new InetSocketAddress(address, port), (int) Math.max(1, connectTimeout.toMillis()));
        open.add(socket);
        return socket;
      } catch (IOException e) {
        socket.close();
        last = e;
      }
    }
    throw last != null ? last : new IOException("no address to connect to");
  }

  /** Copies both ways until either side closes; bytes read past the head go upstream first. */
  private void pump(Socket client, Socket upstream, byte[] pending, boolean closeAfterResponse)
      throws IOException {
    try {
      OutputStream toServer = upstream.getOutputStream();
      if (pending.length > 0) toServer.write(pending);
      toServer.flush();
      Thread up =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      client.getInputStream().transferTo(toServer);
                      upstream.shutdownOutput();
                    } catch (IOException e) {
                      closeQuietly(upstream);
                    }
                  });
      try {
        if (closeAfterResponse)
          forwardResponseHead(upstream.getInputStream(), client.getOutputStream());
        upstream.getInputStream().transferTo(client.getOutputStream());
      } finally {
        closeQuietly(client);
        closeQuietly(upstream);
        up.interrupt();
      }
    } finally {
      open.remove(upstream);
    }
  }

  private boolean sameAuthority(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon < 0) return false;
    String requestedHost = authority.substring(0, colon).toLowerCase(Locale.ROOT);
    return requestedHost.equals(host)
        && authority.substring(colon + 1).equals(String.valueOf(port));
  }

  private static void refuse(Socket client, String target) throws IOException {
    String body = "the MCP tunnel of this session reaches only its own server, not " + target;
    String answer =
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n"
            + "Content-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + body;
    client.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
    client.getOutputStream().flush();
  }

  private record Head(
      String method, String target, String version, List<String> headers, byte[] rest) {}

  /** The request line and headers, or null when the client closed or sent something else. */
  private static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int end = -1;
    while (end < 0) {
      int read = in.read(buffer);
      if (read < 0) return null;
      bytes.write(buffer, 0, read);
      if (bytes.size() > MAX_HEAD_BYTES) return null;
      end = headEnd(bytes.toByteArray());
    }
    byte[] all = bytes.toByteArray();
    String text = new String(all, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    String[] parts = lines[0].split(" ", 3);
    if (parts.length < 2) return null;
    String[] requestLine = {parts[0], parts[1], parts.length == 3 ? parts[2] : ""};
    List<String> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) if (!lines[i].isEmpty()) headers.add(lines[i]);
    byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    return new Head(requestLine[0], requestLine[1], requestLine[2], headers, rest);
  }

  private static int headEnd(byte[] bytes) {
    for (int i = 0; i + 3 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
        return i;
    }
    return -1;
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /** Stops accepting and cuts every connection of the session. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(VettedTunnel::closeQuietly);
    open.clear();
  }
}
