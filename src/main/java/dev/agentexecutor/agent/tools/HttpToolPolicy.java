package dev.agentexecutor.agent.tools;

import dev.agentexecutor.core.net.AddressRanges;
import dev.agentexecutor.core.net.AllowedHostEntry;
import dev.agentexecutor.core.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where job-defined HTTP tools may send requests (HTTP_TOOL_ALLOWED_HOSTS). Without a list, any
 * host whose addresses are all public; with one, only the hosts it names ({@code api.example.com},
 * {@code .example.com} for subdomains, {@code *} for any public host) and the blocks it gives
 * ({@code 10.1.0.0/16}, {@code fd00::/8}, {@code 127.0.0.1}). A named host may resolve to internal
 * addresses (loopback, private, CGNAT, unique local); link-local, multicast and the other reserved
 * blocks are reachable only through a block that contains them.
 */
public final class HttpToolPolicy {
  public static final HttpToolPolicy DEFAULT = new HttpToolPolicy(List.of());
  private static final String SETTING = "HTTP_TOOL_ALLOWED_HOSTS";

  private final List<String> allowedHosts;
  private final List<String> hostNames = new ArrayList<>();
  private final List<Cidr> blocks = new ArrayList<>();
  private final boolean anyPublicHost;

  /** Throws IllegalArgumentException for an entry that is not valid (see {@link #problem}). */
  public HttpToolPolicy(List<String> allowedHosts) {
    this.allowedHosts =
        allowedHosts.stream().map(AllowedHostEntry::normalize).filter(h -> !h.isEmpty()).toList();
    for (String entry : this.allowedHosts) {
      AllowedHostEntry.requireValid(entry);
      if (AllowedHostEntry.isBlock(entry)) blocks.add(Cidr.parse(entry));
      else if (!entry.equals("*")) hostNames.add(entry);
    }
    this.anyPublicHost = this.allowedHosts.contains("*");
  }

  public List<String> allowedHosts() {
    return allowedHosts;
  }

  /** Why {@code entry} is not a valid list entry, or null when it is one. */
  public static String problem(String entry) {
    return AllowedHostEntry.problem(entry);
  }

  /** Refuses before any DNS lookup a host the list cannot allow, whatever it resolves to. */
  public void checkHost(String host) {
    if (allowedHosts.isEmpty() || named(host) || anyPublicHost || !blocks.isEmpty()) return;
    throw new ToolException("host " + host + " is not in " + SETTING);
  }

  /** Refuses the call unless every address {@code host} resolved to may be reached. */
  public void checkAddresses(String host, List<InetAddress> addresses) {
    if (addresses.isEmpty()) throw new ToolException("host " + host + " cannot be resolved");
    addresses.forEach(address -> checkAddress(host, address));
  }

  private void checkAddress(String host, InetAddress address) {
    if (blocks.stream().anyMatch(block -> block.contains(address))) return;
    AddressRanges.Classification verdict = AddressRanges.classify(address);
    boolean named = named(host);
    boolean allowed =
        switch (verdict.kind()) {
          case PUBLIC -> allowedHosts.isEmpty() || named || anyPublicHost;
          case INTERNAL -> named;
          case RESTRICTED -> false;
        };
    if (allowed) return;
    boolean literal = host.equals(address.getHostAddress());
    if (verdict.kind() == AddressRanges.Kind.PUBLIC) {
      throw new ToolException(
          literal
              ? host + " is not in " + SETTING
              : "host "
                  + host
                  + " resolves to "
                  + address.getHostAddress()
                  + ", which "
                  + SETTING
                  + " does not list");
    }
    String what =
        literal ? host + " is" : "host " + host + " resolves to " + address.getHostAddress() + ",";
    throw new ToolException(
        what
            + " a "
            + verdict.label()
            + " address; HTTP tools may reach it only when "
            + SETTING
            + (verdict.kind() == AddressRanges.Kind.INTERNAL
                ? " lists the host or a block containing it"
                : " lists a block containing it"));
  }

  private boolean named(String host) {
    return hostNames.stream()
        .anyMatch(
            entry ->
                entry.startsWith(".")
                    ? host.endsWith(entry) || host.equals(entry.substring(1))
                    : host.equals(entry));
  }
}
