package dev.agentexecutor.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fc00::/7}. Parsing accepts
 * address literals only and never asks DNS, so a malformed setting cannot trigger a lookup.
 */
public record Cidr(byte[] network, int prefix) {
  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  public Cidr {
    network = network.clone();
    if (network.length != 4 && network.length != 16)
      throw new IllegalArgumentException("an address has 4 or 16 bytes");
    if (prefix < 0 || prefix > network.length * 8)
      throw new IllegalArgumentException("prefix " + prefix + " out of range");
  }

  /**
   * {@code address} or {@code address/prefix}; IPv6 may be in brackets. Throws
   * IllegalArgumentException naming the fault.
   */
  public static Cidr parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] address =
        literal(addressText)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "'" + addressText + "' is not an IPv4 or IPv6 address"));
    int prefix = address.length * 8;
    if (slash >= 0) {
      String prefixText = trimmed.substring(slash + 1);
      if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > prefix) {
        throw new IllegalArgumentException(
            "'" + trimmed + "' has an invalid prefix length (0 to " + prefix + ")");
      }
      prefix = Integer.parseInt(prefixText);
    }
    return new Cidr(masked(address, prefix), prefix);
  }

  /**
   * The address bytes of an IP literal (dotted-quad IPv4 or IPv6, brackets allowed); empty for
   * anything else.
   */
  public static Optional<byte[]> literal(String text) {
    String bare =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    // Brackets make the JDK treat an IPv6 candidate as a literal or fail, never as a host name.
    String candidate;
    if (DOTTED_QUAD.matcher(bare).matches()) candidate = bare;
    else if (IPV6.matcher(bare).matches()) candidate = "[" + bare + "]";
    else return Optional.empty();
    try {
      byte[] address = InetAddress.getByName(candidate).getAddress();
      return Optional.of(
          candidate.startsWith("[") && address.length == 4 ? mapped(address) : address);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * The JDK turns IPv4-mapped IPv6 literals into IPv4 addresses; a block written in IPv6 keeps its
   * 16 bytes.
   */
  private static byte[] mapped(byte[] ipv4) {
    byte[] result = new byte[16];
    result[10] = (byte) 0xff;
    result[11] = (byte) 0xff;
    System.arraycopy(ipv4, 0, result, 12, 4);
    return result;
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  public boolean contains(byte[] address) {
    return address.length == network.length && Arrays.equals(masked(address, prefix), network);
  }

  private static byte[] masked(byte[] address, int prefix) {
    byte[] result = address.clone();
    for (int i = 0; i < result.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      result[i] &= (byte) (0xff << (8 - bits));
    }
    return result;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that
        && prefix == that.prefix
        && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      InetAddress address =
          network.length == 16
              ? Inet6Address.getByAddress(null, network, -1)
              : InetAddress.getByAddress(network);
      return address.getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // the length was checked when built
    }
  }
}
