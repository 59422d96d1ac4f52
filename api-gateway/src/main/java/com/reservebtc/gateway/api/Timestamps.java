package com.reservebtc.gateway.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The two timestamp spellings of the frontend contract: row times as UTC without a zone suffix
 * ({@code 2025-09-23T05:47:51.933}, as the original database printed them) and response times as
 * UTC with {@code Z} ({@code 2025-09-23T09:28:16.343Z}). Both always carry milliseconds.
 */
public final class Timestamps {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ZULU =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** UTC without a zone suffix; null stays null. */
  public static String local(Instant instant) {
    return instant == null ? null : LOCAL.format(instant);
  }

  /** UTC with a {@code Z} suffix; null stays null. */
  public static String zulu(Instant instant) {
    return instant == null ? null : ZULU.format(instant);
  }
}
