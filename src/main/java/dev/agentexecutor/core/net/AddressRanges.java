package dev.agentexecutor.core.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Classifies an address against the IANA special-purpose registries: public (globally reachable
 * unicast), internal (loopback, RFC 1918, CGNAT, RFC 4193 unique local) or restricted (link-local,
 * multicast, unspecified, broadcast, documentation and other reserved blocks). IPv6 forms that
 * embed an IPv4 address (mapped, NAT64, 6to4) are judged by the address they embed.
 */
public final class AddressRanges {
  /**
   * How far an address may be reached: internal ones by a listed host name, restricted ones only by
   * a listed CIDR.
   */
  public enum Kind {
    PUBLIC,
    INTERNAL,
    RESTRICTED
  }

  /** The verdict on one address, with the name of its block for error messages. */
  public record Classification(Kind kind, String label) {}

  private record Block(Cidr cidr, Kind kind, String label) {}

  private static final Classification PUBLIC = new Classification(Kind.PUBLIC, "public");

  private static final List<Block> IPV4 =
      List.of(
          block("127.0.0.0/8", Kind.INTERNAL, "loopback"),
          block("10.0.0.0/8", Kind.INTERNAL, "private (RFC 1918)"),
          block("172.16.0.0/12", Kind.INTERNAL, "private (RFC 1918)"),
          block("192.168.0.0/16", Kind.INTERNAL, "private (RFC 1918)"),
          block("100.64.0.0/10", Kind.INTERNAL, "shared carrier-grade NAT (RFC 6598)"),
          block("0.0.0.0/8", Kind.RESTRICTED, "unspecified (\"this network\")"),
          block("169.254.0.0/16", Kind.RESTRICTED, "link-local"),
          block("192.0.0.0/24", Kind.RESTRICTED, "IETF protocol assignment"),
          block("192.0.2.0/24", Kind.RESTRICTED, "documentation"),
          block("198.51.100.0/24", Kind.RESTRICTED, "documentation"),
          block("203.0.113.0/24", Kind.RESTRICTED, "documentation"),
          block("192.88.99.0/24", Kind.RESTRICTED, "6to4 relay anycast"),
          block("198.18.0.0/15", Kind.RESTRICTED, "benchmarking"),
          block("224.0.0.0/4", Kind.RESTRICTED, "multicast"),
          block("255.255.255.255/32", Kind.RESTRICTED, "broadcast"),
          block("240.0.0.0/4", Kind.RESTRICTED, "reserved"));

  private static final List<Block> IPV6 =
      List.of(
          block("::1/128", Kind.INTERNAL, "loopback"),
          block("fc00::/7", Kind.INTERNAL, "unique local (RFC 4193)"),
          block("::/128", Kind.RESTRICTED, "unspecified"),
          block("::/96", Kind.RESTRICTED, "IPv4-compatible (deprecated)"),
          block("64:ff9b:1::/48", Kind.RESTRICTED, "local-use NAT64"),
          block("100::/64", Kind.RESTRICTED, "discard-only"),
          block("2001::/23", Kind.RESTRICTED, "IETF protocol assignment"),
          block("2001:db8::/32", Kind.RESTRICTED, "documentation"),
          block("3fff::/20", Kind.RESTRICTED, "documentation"),
          block("fe80::/10", Kind.RESTRICTED, "link-local"),
          block("fec0::/10", Kind.RESTRICTED, "site-local (deprecated)"),
          block("ff00::/8", Kind.RESTRICTED, "multicast"));

  private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
  private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");

  private AddressRanges() {}

  public static Classification classify(InetAddress address) {
    return classify(address.getAddress());
  }

  static Classification classify(byte[] address) {
    if (address.length == 4) return lookup(IPV4, address);
    if (MAPPED.contains(address))
      return embedded(Arrays.copyOfRange(address, 12, 16), "IPv4-mapped");
    if (NAT64.contains(address)) return embedded(Arrays.copyOfRange(address, 12, 16), "NAT64");
    if (SIX_TO_FOUR.contains(address)) return embedded(Arrays.copyOfRange(address, 2, 6), "6to4");
    Classification special = lookup(IPV6, address);
    if (special.kind() != Kind.PUBLIC) return special;
    return GLOBAL_UNICAST.contains(address)
        ? PUBLIC
        : new Classification(Kind.RESTRICTED, "reserved (outside 2000::/3)");
  }

  private static Classification embedded(byte[] ipv4, String form) {
    Classification inner = lookup(IPV4, ipv4);
    if (inner.kind() == Kind.PUBLIC) return PUBLIC;
    String embedded =
        String.format(
            "%d.%d.%d.%d", ipv4[0] & 0xff, ipv4[1] & 0xff, ipv4[2] & 0xff, ipv4[3] & 0xff);
    return new Classification(inner.kind(), form + " form of " + embedded + ", " + inner.label());
  }

  private static Classification lookup(List<Block> blocks, byte[] address) {
    for (Block block : blocks) {
      if (block.cidr().contains(address)) return new Classification(block.kind(), block.label());
    }
    return PUBLIC;
  }

  private static Block block(String cidr, Kind kind, String label) {
    return new Block(Cidr.parse(cidr), kind, label);
  }
}
