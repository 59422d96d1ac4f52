package com.reservebtc.contracts.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where one deployment of the protocol lives: chain, first block and the six contract addresses
 * (lowercase 0x form, validated).
 *
 * <p>{@link #writeTo(Path)} writes a properties file whose keys are the services' own configuration
 * keys ({@code rbtc.chain.id}, {@code rbtc.contracts.*}), so the file can be imported as Spring
 * configuration as it is. {@code deploymentBlock} is the block of the first contract creation, i.e.
 * the block an indexer starts from.
 */
public record ProtocolDeployment(
    long chainId,
    long deploymentBlock,
    String committee,
    String oracleAggregator,
    String synth,
    String feeVault,
    String feePolicy,
    String wrbtc,
    String yieldPool) {

  static final String CHAIN_ID = "rbtc.chain.id";
  static final String START_BLOCK = "rbtc.contracts.start-block";
  static final String COMMITTEE = "rbtc.contracts.committee";
  static final String ORACLE_AGGREGATOR = "rbtc.contracts.oracle-aggregator";
  static final String SYNTH = "rbtc.contracts.synth";
  static final String FEE_VAULT = "rbtc.contracts.fee-vault";
  static final String FEE_POLICY = "rbtc.contracts.fee-policy";
  static final String WRBTC = "rbtc.contracts.wrbtc";
  static final String YIELD_POOL = "rbtc.contracts.yield-pool";

  public ProtocolDeployment {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, was " + chainId);
    }
    if (deploymentBlock < 0) {
      throw new IllegalArgumentException("deploymentBlock must be >= 0, was " + deploymentBlock);
    }
    committee = Addresses.require("committee", committee);
    oracleAggregator = Addresses.require("oracleAggregator", oracleAggregator);
    synth = Addresses.require("synth", synth);
    feeVault = Addresses.require("feeVault", feeVault);
    feePolicy = Addresses.require("feePolicy", feePolicy);
    wrbtc = Addresses.require("wrbtc", wrbtc);
    yieldPool = Addresses.require("yieldPool", yieldPool);
  }

  /** The deployment as configuration properties, in a stable order. */
  public Map<String, String> toProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(CHAIN_ID, Long.toString(chainId));
    properties.put(START_BLOCK, Long.toString(deploymentBlock));
    properties.put(COMMITTEE, committee);
    properties.put(ORACLE_AGGREGATOR, oracleAggregator);
    properties.put(SYNTH, synth);
    properties.put(FEE_VAULT, feeVault);
    properties.put(FEE_POLICY, feePolicy);
    properties.put(WRBTC, wrbtc);
    properties.put(YIELD_POOL, yieldPool);
    return properties;
  }

  /**
   * Writes the deployment as a properties file, replacing {@code file} atomically where possible.
   */
  public void writeTo(Path file) throws IOException {
    StringBuilder text = new StringBuilder("# ReserveBTC protocol deployment\n");
    toProperties().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp =
        Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(
          temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads a file written by {@link #writeTo(Path)}.
   *
   * @throws IllegalArgumentException naming the file and key if a key is missing or invalid
   */
  public static ProtocolDeployment readFrom(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    try {
      return new ProtocolDeployment(
          Long.parseLong(required(properties, CHAIN_ID)),
          Long.parseLong(required(properties, START_BLOCK)),
          required(properties, COMMITTEE),
          required(properties, ORACLE_AGGREGATOR),
          required(properties, SYNTH),
          required(properties, FEE_VAULT),
          required(properties, FEE_POLICY),
          required(properties, WRBTC),
          required(properties, YIELD_POOL));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid deployment file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value.trim();
  }
}
