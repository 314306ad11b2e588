package dev.agentexecutor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void urlsLoseUserInfoAndCredentialParametersButKeepTheirTarget() {
    assertThat(Redactor.url("jdbc:postgresql://db:5432/app?user=svc&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/app?user=svc&password=***&ssl=true");
    assertThat(Redactor.url("postgresql://svc:hunter2@db:5432/app"))
        .isEqualTo("postgresql://***@db:5432/app");
    assertThat(Redactor.url("nats://user:pass@n1:4222,nats://token@n2:4222"))
        .isEqualTo("nats://***@n1:4222,nats://***@n2:4222");
    assertThat(Redactor.url("redis://:p4ss@cache:6379/0")).isEqualTo("redis://***@cache:6379/0");
    assertThat(Redactor.url("https://api.example.com/v1?api_key=abc123&access_token=xyz&q=1"))
        .isEqualTo("https://api.example.com/v1?api_key=***&access_token=***&q=1");
    assertThat(Redactor.url("nats://127.0.0.1:4222")).isEqualTo("nats://127.0.0.1:4222");
  }

  @Test
  void textLosesConfiguredSecretsAndKeyShapedValues() {
    Redactor redactor = new Redactor(List.of("configured-secret-1"));

    assertThat(
            redactor.redact(
                "auth failed for configured-secret-1 with sk-abcdefghijklmnop, Bearer abcdefghijkl"))
        .isEqualTo("auth failed for *** with ***, ***");
    assertThat(redactor.redact("{\"password\": \"pw123\", \"api_key\":\"k\"}"))
        .isEqualTo("{\"password\": \"***\", \"api_key\":\"***\"}");
  }

  @Test
  void settingsNameEverySecretTheyHoldIncludingThoseInsideUrls() {
    Settings settings =
        Settings.from(
            Map.of(
                "OPENAI_API_KEY", "sk-openai-key-123",
                "DATABASE_URL", "postgresql://svc:dbpass123@db:5432/app",
                "REDIS_URL", "redis://:redispass9@cache:6379",
                "NATS_URL", "nats://natsuser:natspass7@nats:4222"));

    assertThat(settings.secretValues())
        .contains("sk-openai-key-123", "dbpass123", "redispass9", "natspass7");
    assertThat(settings.toString())
        .doesNotContain("dbpass123", "redispass9", "natspass7", "sk-openai-key-123");
  }
}
