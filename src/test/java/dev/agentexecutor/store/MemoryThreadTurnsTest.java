package dev.agentexecutor.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

class MemoryThreadTurnsTest extends ThreadTurnsContract {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final MemoryThreadTurns turns =
      new MemoryThreadTurns(
          new Clock() {
            @Override
            public java.time.ZoneId getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          });

  @Override
  protected ThreadTurns turns() {
    return turns;
  }

  @Override
  protected void elapse(Duration by) {
    now = now.plus(by);
  }
}
