package dev.agentexecutor.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF policy on resolved addresses, without any network: literals only, no DNS. */
class HttpToolPolicyTest {
  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal.contains(":") ? "[" + literal + "]" : literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static void check(HttpToolPolicy policy, String host, String... addresses) {
    policy.checkHost(host);
    policy.checkAddresses(
        host, java.util.Arrays.stream(addresses).map(HttpToolPolicyTest::ip).toList());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.255.0.9",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "100.127.255.254",
        "169.254.169.254",
        "0.0.0.0",
        "0.1.2.3",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "192.0.0.8",
        "192.0.2.1",
        "198.18.0.1",
        "198.19.255.1",
        "198.51.100.7",
        "203.0.113.9",
        "192.88.99.1",
        "::1",
        "::",
        "::127.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "64:ff9b::7f00:1",
        "64:ff9b::a00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::1",
        "2002:7f00:1::1",
        "2002:c0a8:101::1",
        "2001:db8::1",
        "2001::1",
        "100::1",
        "3fff::1",
        "5f00::1",
        "4000::1"
      })
  void everyNonPublicAddressIsRefusedByDefault(String address) {
    assertThatThrownBy(() -> check(HttpToolPolicy.DEFAULT, "service.example", address))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("HTTP_TOOL_ALLOWED_HOSTS");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "100.128.0.1",
        "172.32.0.1",
        "192.169.0.1",
        "2606:4700:4700::1111",
        "64:ff9b::808:808",
        "2002:808:808::1",
        "::ffff:8.8.8.8"
      })
  void publicAddressesAreAllowedByDefault(String address) {
    assertThatCode(() -> check(HttpToolPolicy.DEFAULT, "service.example", address))
        .doesNotThrowAnyException();
  }

  @Test
  void theRefusalNamesTheHostTheAddressAndItsKind() {
    assertThatThrownBy(() -> check(HttpToolPolicy.DEFAULT, "localhost", "127.0.0.1"))
        .hasMessage(
            "host localhost resolves to 127.0.0.1, a loopback address; HTTP tools may reach it only when "
                + "HTTP_TOOL_ALLOWED_HOSTS lists the host or a block containing it");
    assertThatThrownBy(() -> check(HttpToolPolicy.DEFAULT, "169.254.169.254", "169.254.169.254"))
        .hasMessage(
            "169.254.169.254 is a link-local address; HTTP tools may reach it only when "
                + "HTTP_TOOL_ALLOWED_HOSTS lists a block containing it");
    assertThatThrownBy(() -> check(HttpToolPolicy.DEFAULT, "nat64.example", "64:ff9b::a00:1"))
        .hasMessageContaining("NAT64 form of 10.0.0.1, private (RFC 1918)");
  }

  @Test
  void aListedHostMayResolveToInternalAddressesButNotToLinkLocalOrReservedOnes() {
    HttpToolPolicy policy = new HttpToolPolicy(List.of("orders.internal", ".corp.example"));
    assertThatCode(() -> check(policy, "orders.internal", "10.1.2.3")).doesNotThrowAnyException();
    assertThatCode(() -> check(policy, "db.corp.example", "fd00::5", "192.168.0.4"))
        .doesNotThrowAnyException();
    assertThatCode(() -> check(policy, "corp.example", "127.0.0.1")).doesNotThrowAnyException();
    assertThatThrownBy(() -> check(policy, "orders.internal", "169.254.169.254"))
        .hasMessageContaining("link-local");
    assertThatThrownBy(() -> check(policy, "orders.internal", "224.0.0.1"))
        .hasMessageContaining("multicast");
    assertThatThrownBy(() -> check(policy, "evilcorp.example", "93.184.216.34"))
        .hasMessage("host evilcorp.example is not in HTTP_TOOL_ALLOWED_HOSTS");
  }

  @Test
  void everyAddressOfAHostMustPassNotJustTheFirst() {
    assertThatThrownBy(
            () -> check(HttpToolPolicy.DEFAULT, "mixed.example", "93.184.216.34", "127.0.0.1"))
        .hasMessageContaining("127.0.0.1, a loopback address");
  }

  @Test
  void aBlockOptsInEveryAddressItContainsWhateverTheHostName() {
    HttpToolPolicy policy =
        new HttpToolPolicy(List.of("10.0.0.0/8", "127.0.0.1", "[::1]", "169.254.169.254/32"));
    assertThatCode(() -> check(policy, "anything.example", "10.20.30.40"))
        .doesNotThrowAnyException();
    assertThatCode(() -> check(policy, "localhost", "127.0.0.1", "::1")).doesNotThrowAnyException();
    assertThatCode(() -> check(policy, "2130706433", "127.0.0.1")).doesNotThrowAnyException();
    assertThatCode(() -> check(policy, "metadata", "169.254.169.254")).doesNotThrowAnyException();
    assertThatThrownBy(() -> check(policy, "localhost", "127.0.0.2"))
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> check(policy, "public.example", "93.184.216.34"))
        .hasMessage(
            "host public.example resolves to 93.184.216.34, which HTTP_TOOL_ALLOWED_HOSTS does not list");
    assertThatThrownBy(() -> check(policy, "93.184.216.34", "93.184.216.34"))
        .hasMessage("93.184.216.34 is not in HTTP_TOOL_ALLOWED_HOSTS");
  }

  @Test
  void aStarAllowsAnyPublicHostButNoInternalOne() {
    HttpToolPolicy policy = new HttpToolPolicy(List.of("*", "10.1.0.0/16"));
    assertThatCode(() -> check(policy, "api.example", "93.184.216.34")).doesNotThrowAnyException();
    assertThatCode(() -> check(policy, "db", "10.1.0.9")).doesNotThrowAnyException();
    assertThatThrownBy(() -> check(policy, "db", "10.2.0.9")).hasMessageContaining("private");
  }

  @Test
  void anAllowListLimitsHostsAndDotEntriesAllowSubdomains() {
    HttpToolPolicy policy = new HttpToolPolicy(List.of("localhost", ".internal.example"));
    assertThatCode(() -> check(policy, "localhost", "127.0.0.1")).doesNotThrowAnyException();
    assertThatCode(() -> check(policy, "a.internal.example", "93.184.216.34"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> policy.checkHost("127.0.0.1"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("HTTP_TOOL_ALLOWED_HOSTS");
    assertThatThrownBy(() -> policy.checkHost("evil.example")).isInstanceOf(ToolException.class);
  }

  @Test
  void invalidEntriesAreNamed() {
    assertThat(HttpToolPolicy.problem("10.0.0.0/33")).contains("invalid prefix length");
    assertThat(HttpToolPolicy.problem("2130706433")).contains("is not an IPv4 or IPv6 address");
    assertThat(HttpToolPolicy.problem("fd00::/7x")).isNotNull();
    assertThat(HttpToolPolicy.problem("http://x")).isNotNull();
    assertThat(HttpToolPolicy.problem("bad host!")).contains("neither a host name");
    assertThat(HttpToolPolicy.problem(".example.com")).isNull();
    assertThat(HttpToolPolicy.problem("fc00::/7")).isNull();
    assertThatThrownBy(() -> new HttpToolPolicy(List.of("10.0.0.0/99")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
