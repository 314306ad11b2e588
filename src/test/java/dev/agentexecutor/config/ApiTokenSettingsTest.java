package dev.agentexecutor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** API_TOKENS: `token` or `token=tenant`, validated with messages that never repeat a token. */
class ApiTokenSettingsTest {
  private static Settings.ClientApi load(String tokens) {
    return Settings.from(Map.of("API_TOKENS", tokens)).clientApi();
  }

  @Test
  void entriesAreTokensWithOptionalTenants() {
    Settings.ClientApi api =
        load(" acme-token-0123456789=acme ,plain-token-0123456789,  ,padded-token-0123456789== ");

    assertThat(api.apiTokens())
        .containsExactly(
            new Settings.ApiToken("acme-token-0123456789", "acme"),
            new Settings.ApiToken("plain-token-0123456789", "default"),
            new Settings.ApiToken("padded-token-0123456789==", "default"));
    assertThat(api.toString())
        .doesNotContain("token-0123456789")
        .contains("acme")
        .contains("apiTokens=3");
    assertThat(load("").apiTokens()).isEmpty();
    assertThat(Settings.from(Map.of()).clientApi().maxStreamFollowers()).isEqualTo(1000);
    assertThat(Settings.from(Map.of()).clientApi().streamHeartbeat()).hasSeconds(5);
  }

  @Test
  void badEntriesAreNamedByPositionWithoutTheirValue() {
    String secret = "short-secret";
    InvalidSettingsException e =
        catchThrowableOfType(
            InvalidSettingsException.class,
            () ->
                load(
                    "good-token-0123456789,"
                        + secret
                        + ",other-token-0123456789=bad tenant!,good-token-0123456789,bad token with spaces"));

    assertThat(e.getMessage())
        .contains("API_TOKENS: entry #2 is not a token of at least 16 characters")
        .contains("API_TOKENS: entry #3 has an invalid tenant name")
        .contains("API_TOKENS: entry #4 repeats an earlier token")
        .contains("API_TOKENS: entry #5 is not a token")
        .doesNotContain(secret)
        .doesNotContain("good-token")
        .doesNotContain("other-token");
  }
}
