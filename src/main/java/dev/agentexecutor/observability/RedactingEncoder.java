package dev.agentexecutor.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/** A text log encoder whose every line passes through the {@link Redactor} before it is written. */
final class RedactingEncoder extends EncoderBase<ILoggingEvent> {
  private final ch.qos.logback.core.encoder.Encoder<ILoggingEvent> delegate;
  private final Redactor redactor;

  RedactingEncoder(ch.qos.logback.core.encoder.Encoder<ILoggingEvent> delegate, Redactor redactor) {
    this.delegate = delegate;
    this.redactor = redactor;
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = new String(delegate.encode(event), StandardCharsets.UTF_8);
    return redactor.redact(line).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
