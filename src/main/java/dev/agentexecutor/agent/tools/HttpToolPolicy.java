package dev.agentexecutor.agent.tools;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where job-defined HTTP tools may send requests. Link-local addresses (cloud metadata services
 * such as 169.254.169.254) are always refused, because a job must not read the node's
 * credentials; with an allow-list (HTTP_TOOL_ALLOWED_HOSTS) only those hosts, or their
 * subdomains for entries starting with ".", are reachable.
 */
public record HttpToolPolicy(List<String> allowedHosts) {
  public static final HttpToolPolicy DEFAULT = new HttpToolPolicy(List.of());

  public HttpToolPolicy {
    allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
  }

  /** Throws a {@link ToolException} the model sees when the URL may not be called. */
  void check(URI url) {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(allowed -> matches(allowed, host))) {
      throw new ToolException("host " + host + " is not in HTTP_TOOL_ALLOWED_HOSTS");
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (address.isLinkLocalAddress() || address.isAnyLocalAddress()) {
          throw new ToolException("host " + host + " resolves to " + address.getHostAddress()
              + ", a link-local or wildcard address that HTTP tools may not call");
        }
      }
    } catch (UnknownHostException e) {
      throw new ToolException("host " + host + " cannot be resolved");
    }
  }

  private static boolean matches(String allowed, String host) {
    return allowed.startsWith(".") ? host.endsWith(allowed) || host.equals(allowed.substring(1)) : host.equals(allowed);
  }
}
