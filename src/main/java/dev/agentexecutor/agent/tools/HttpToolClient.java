package dev.agentexecutor.agent.tools;

import dev.agentexecutor.agent.tools.net.HostResolver;
import dev.agentexecutor.agent.tools.net.PinnedSocketFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends HTTP tool requests safely: resolves the host once, has the {@link HttpToolPolicy} vet every
 * address, then connects only to those addresses (OkHttp keeps the host name for the Host header,
 * SNI and certificate checks), all within one deadline, reading at most {@link #MAX_RESPONSE_CHARS}
 * characters of the answer. Redirects are never followed.
 */
public final class HttpToolClient {
  static final int MAX_RESPONSE_CHARS = 100_000;

  /** Platform threads: a JDK host lookup blocks in native code and cannot be interrupted. */
  private static final ExecutorService LOOKUPS =
      Executors.newCachedThreadPool(
          Thread.ofPlatform().daemon().name("http-tool-dns-", 0).factory());

  /**
   * Built on first use: OkHttp's TLS set-up would otherwise lengthen every start-up, tools or not.
   */
  private volatile OkHttpClient base;

  private final HttpToolPolicy policy;
  private final HostResolver resolver;
  private final Duration timeout;

  /** What came back: the status and at most {@link #MAX_RESPONSE_CHARS} characters of the body. */
  record Reply(int status, String body) {}

  public HttpToolClient(HttpToolPolicy policy, HostResolver resolver, Duration timeout) {
    this.policy = policy;
    this.resolver = resolver;
    this.timeout = timeout;
  }

  private OkHttpClient base() {
    OkHttpClient client = base;
    if (client != null) return client;
    synchronized (this) {
      if (base == null) {
        base =
            new OkHttpClient.Builder()
                .proxy(Proxy.NO_PROXY) // a proxy would resolve the host itself, past the policy
                .followRedirects(false)
                .followSslRedirects(false) // a redirect must not bypass the policy
                .retryOnConnectionFailure(false)
                .protocols(List.of(Protocol.HTTP_1_1))
                .build();
      }
      return base;
    }
  }

  public static HttpToolClient create(HttpToolPolicy policy, Duration timeout) {
    return new HttpToolClient(policy, HostResolver.SYSTEM, timeout);
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * Throws {@link ToolException} when the policy refuses the host, {@link InterruptedIOException}
   * when the deadline passes, another {@link IOException} when the exchange fails.
   */
  Reply send(Request request) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String host = request.url().host();
    policy.checkHost(host);
    List<InetAddress> addresses = resolve(host, deadline);
    policy.checkAddresses(host, addresses);
    Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    OkHttpClient pinned =
        base()
            .newBuilder()
            .dns(name -> pinnedLookup(name, host, addresses))
            .socketFactory(new PinnedSocketFactory(addresses))
            .callTimeout(left)
            .connectTimeout(left)
            .readTimeout(left)
            .writeTimeout(left)
            .build();
    // Each call has its own pinned client, so its connection is never pooled for another call.
    try (Response response =
        pinned.newCall(request.newBuilder().header("Connection", "close").build()).execute()) {
      return new Reply(response.code(), bounded(response.body()));
    }
  }

  private List<InetAddress> resolve(String host, long deadline)
      throws IOException, InterruptedException {
    CompletableFuture<List<InetAddress>> lookup =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return resolver.resolve(host);
              } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            },
            LOOKUPS);
    try {
      return List.copyOf(
          lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      throw new InterruptedIOException("the lookup of " + host + " timed out");
    } catch (ExecutionException e) {
      throw new ToolException("host " + host + " cannot be resolved");
    } finally {
      lookup.cancel(true);
    }
  }

  private static List<InetAddress> pinnedLookup(
      String name, String host, List<InetAddress> addresses) throws UnknownHostException {
    if (name.equals(host)) return addresses;
    throw new UnknownHostException(name + " is not the vetted host " + host);
  }

  private static String bounded(ResponseBody body) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    try (Reader reader = body.charStream()) {
      int read;
      while ((read =
              reader.read(
                  buffer, 0, Math.min(buffer.length, MAX_RESPONSE_CHARS + 1 - text.length())))
          > 0) {
        text.append(buffer, 0, read);
        if (text.length() > MAX_RESPONSE_CHARS) {
          return text.substring(0, MAX_RESPONSE_CHARS)
              + "\n[truncated: the response is longer than "
              + MAX_RESPONSE_CHARS
              + " characters]";
        }
      }
    }
    return text.toString();
  }
}
