package com.reservebtc.chainconsumer;

import org.apache.avro.specific.SpecificRecord;

/**
 * One decoded record as consumed (or replayed from a dead-letter topic, with its original place).
 *
 * @param topic the catalogue topic it was published on
 * @param partition its partition
 * @param offset its offset there: a publication's identity
 * @param key its key
 * @param value its decoded value
 * @param timestamp the record's timestamp, epoch milliseconds
 */
public record Consumed(
    String topic, int partition, long offset, String key, SpecificRecord value, long timestamp) {}
