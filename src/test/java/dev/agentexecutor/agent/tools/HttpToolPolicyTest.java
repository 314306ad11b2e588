package dev.agentexecutor.agent.tools;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpToolPolicyTest {
  @Test
  void cloudMetadataAddressesAreAlwaysRefused() {
    assertThatThrownBy(() -> HttpToolPolicy.DEFAULT.check(URI.create("http://169.254.169.254/latest/meta-data/")))
        .isInstanceOf(ToolException.class).hasMessageContaining("link-local");
  }

  @Test
  void withoutAnAllowListOrdinaryHostsAreAllowed() {
    assertThatCode(() -> HttpToolPolicy.DEFAULT.check(URI.create("http://127.0.0.1:8080/x"))).doesNotThrowAnyException();
  }

  @Test
  void anAllowListLimitsHostsAndDotEntriesAllowSubdomains() {
    HttpToolPolicy policy = new HttpToolPolicy(List.of("localhost", ".internal.example"));
    assertThatCode(() -> policy.check(URI.create("http://localhost/x"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> policy.check(URI.create("http://127.0.0.1/x")))
        .isInstanceOf(ToolException.class).hasMessageContaining("HTTP_TOOL_ALLOWED_HOSTS");
    assertThatThrownBy(() -> policy.check(URI.create("http://evil.example/x"))).isInstanceOf(ToolException.class);
  }

  @Test
  void unresolvableHostsAreAToolError() {
    HttpToolPolicy policy = new HttpToolPolicy(List.of(".invalid"));
    assertThatThrownBy(() -> policy.check(URI.create("http://no-such-host.invalid/x")))
        .isInstanceOf(ToolException.class).hasMessageContaining("cannot be resolved");
  }
}
