package com.reservebtc.gateway.projection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Inbox ids for records that carry no identity of their own (alerts, participant states): a hash of
 * the record's Avro binary encoding. A record published twice (an at-least-once outbox relay) has
 * the same id both times; two records that differ in any field have different ids.
 */
final class ContentIds {

  private ContentIds() {}

  static String of(String prefix, SpecificRecordBase record) {
    ByteArrayOutputStream encoded = new ByteArrayOutputStream(256);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(encoded, null);
      new SpecificDatumWriter<SpecificRecordBase>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + record.getSchema().getFullName(), e);
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return prefix + ":" + HexFormat.of().formatHex(sha256.digest(encoded.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
