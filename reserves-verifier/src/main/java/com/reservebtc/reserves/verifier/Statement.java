package com.reservebtc.reserves.verifier;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The attestation's signed text: what the operator key signs with EIP-191 {@code personal_sign}.
 * UTF-8, LF line breaks, no trailing line break, exactly these lines in this order:
 *
 * <pre>
 * ReserveBTC proof of reserves
 * Encoding: rbtc-por-v2
 * Sequence: &lt;1, 2, 3, …&gt;
 * Previous: &lt;SHA-256 of the previous statement, 64 hex; 64 zeros for sequence 1&gt;
 * Merkle root: &lt;root hash, 64 hex&gt;
 * Reserves (sats): &lt;root sum&gt;
 * Leaves: &lt;number of leaves&gt;
 * Bitcoin network: &lt;mainnet|testnet|testnet4|signet|regtest&gt;
 * Bitcoin height: &lt;height of the block balances are as of&gt;
 * Bitcoin block: &lt;that block's hash, 64 hex&gt;
 * Confirmations: &lt;depth N: the block is the lowest agreeing tip − N + 1&gt;
 * EVM chain: &lt;chain id&gt;
 * rBTC-SYNTH: &lt;token address, lower case&gt;
 * rBTC-SYNTH total supply (sats): &lt;totalSupply() at the EVM block&gt;
 * EVM block: &lt;block number the supply was read at&gt;
 * Created: &lt;UTC time, yyyy-MM-ddTHH:mm:ssZ&gt;
 * </pre>
 *
 * Numbers are decimal without sign, leading zeros or separators. The statement's hash — SHA-256 of
 * its UTF-8 bytes, lower-case hex — is what the next statement names as {@code Previous}, so the
 * statements form a chain. The backing (reserves − supply) is derived, not signed.
 */
public record Statement(
    long sequence,
    String previousHash,
    String merkleRoot,
    long reservesSats,
    int leafCount,
    String btcNetwork,
    long btcHeight,
    String btcBlockHash,
    int confirmations,
    long evmChainId,
    String synthAddress,
    BigInteger synthTotalSupply,
    long evmBlock,
    Instant created) {

  public static final String TITLE = "ReserveBTC proof of reserves";
  public static final String ENCODING = "rbtc-por-v2";
  public static final String NO_PREVIOUS = "0".repeat(64);

  private static final List<String> NETWORKS =
      List.of("mainnet", "testnet", "testnet4", "signet", "regtest");
  private static final DateTimeFormatter CREATED = DateTimeFormatter.ISO_INSTANT;

  public Statement {
    if (sequence < 1) {
      throw new IllegalArgumentException("the sequence starts at 1");
    }
    Hex.decodeExact(previousHash, 32, "Previous");
    if (sequence == 1 != previousHash.equals(NO_PREVIOUS)) {
      throw new IllegalArgumentException(
          "Previous is 64 zeros exactly for sequence 1, was " + previousHash);
    }
    Hex.decodeExact(merkleRoot, 32, "Merkle root");
    Hex.decodeExact(btcBlockHash, 32, "Bitcoin block");
    if (reservesSats < 0 || leafCount < 1 || btcHeight < 0 || confirmations < 1) {
      throw new IllegalArgumentException(
          "reserves, height are not negative; leaves and confirmations are at least 1");
    }
    if (!NETWORKS.contains(btcNetwork)) {
      throw new IllegalArgumentException("unknown Bitcoin network " + btcNetwork);
    }
    if (evmChainId < 1 || evmBlock < 0) {
      throw new IllegalArgumentException("the EVM chain id is positive, the block not negative");
    }
    if (!synthAddress.matches("0x[0-9a-f]{40}")) {
      throw new IllegalArgumentException("rBTC-SYNTH is a lower-case 0x address");
    }
    if (synthTotalSupply.signum() < 0) {
      throw new IllegalArgumentException("a total supply cannot be negative");
    }
    created = created.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The exact text that is signed. */
  public String text() {
    List<String> lines = new ArrayList<>();
    lines.add(TITLE);
    lines.add("Encoding: " + ENCODING);
    lines.add("Sequence: " + sequence);
    lines.add("Previous: " + previousHash);
    lines.add("Merkle root: " + merkleRoot);
    lines.add("Reserves (sats): " + reservesSats);
    lines.add("Leaves: " + leafCount);
    lines.add("Bitcoin network: " + btcNetwork);
    lines.add("Bitcoin height: " + btcHeight);
    lines.add("Bitcoin block: " + btcBlockHash);
    lines.add("Confirmations: " + confirmations);
    lines.add("EVM chain: " + evmChainId);
    lines.add("rBTC-SYNTH: " + synthAddress);
    lines.add("rBTC-SYNTH total supply (sats): " + synthTotalSupply);
    lines.add("EVM block: " + evmBlock);
    lines.add("Created: " + CREATED.format(created));
    return String.join("\n", lines);
  }

  /** SHA-256 of the text's UTF-8 bytes, lower-case hex: the next statement's {@code Previous}. */
  public String hash() {
    return Hex.encode(SumNode.sha256().digest(text().getBytes(StandardCharsets.UTF_8)));
  }

  /** The root the tree must fold to: the Merkle root with the reserves as its sum. */
  public SumNode root() {
    return SumNode.of(merkleRoot, reservesSats);
  }

  /** Reserves − supply in sats: negative when reserves fall short of the supply. */
  public BigInteger differenceSats() {
    return BigInteger.valueOf(reservesSats).subtract(synthTotalSupply);
  }

  public Backing backing() {
    return Backing.of(differenceSats().signum());
  }

  /**
   * Reserves over supply in percent, two decimals, truncated toward zero (never overstated); "n/a"
   * for a zero supply.
   */
  public String backingPercent() {
    if (synthTotalSupply.signum() == 0) {
      return "n/a";
    }
    return new BigDecimal(reservesSats)
        .multiply(BigDecimal.valueOf(100))
        .divide(new BigDecimal(synthTotalSupply), 2, RoundingMode.DOWN)
        .toPlainString();
  }

  /**
   * Parses a statement, accepting only the exact canonical text {@link #text()} produces.
   *
   * @throws IllegalArgumentException naming the first line that is wrong
   */
  public static Statement parse(String text) {
    String[] lines = text.split("\n", -1);
    String[] labels = {
      null,
      "Encoding",
      "Sequence",
      "Previous",
      "Merkle root",
      "Reserves (sats)",
      "Leaves",
      "Bitcoin network",
      "Bitcoin height",
      "Bitcoin block",
      "Confirmations",
      "EVM chain",
      "rBTC-SYNTH",
      "rBTC-SYNTH total supply (sats)",
      "EVM block",
      "Created"
    };
    if (lines.length != labels.length) {
      throw new IllegalArgumentException(
          "a statement has " + labels.length + " lines, this one " + lines.length);
    }
    if (!lines[0].equals(TITLE)) {
      throw new IllegalArgumentException("a statement starts with the line '" + TITLE + "'");
    }
    String[] values = new String[labels.length];
    for (int i = 1; i < labels.length; i++) {
      String prefix = labels[i] + ": ";
      if (!lines[i].startsWith(prefix)) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + " must start with '" + prefix + "': " + lines[i]);
      }
      values[i] = lines[i].substring(prefix.length());
    }
    if (!values[1].equals(ENCODING)) {
      throw new IllegalArgumentException(
          "this verifier checks encoding " + ENCODING + ", the statement is " + values[1]);
    }
    Statement parsed;
    try {
      parsed =
          new Statement(
              number(values[2]).longValueExact(),
              values[3],
              values[4],
              number(values[5]).longValueExact(),
              number(values[6]).intValueExact(),
              values[7],
              number(values[8]).longValueExact(),
              values[9],
              number(values[10]).intValueExact(),
              number(values[11]).longValueExact(),
              values[12],
              number(values[13]),
              number(values[14]).longValueExact(),
              Instant.parse(values[15]));
    } catch (ArithmeticException | DateTimeParseException e) {
      throw new IllegalArgumentException("a statement value is out of range: " + e.getMessage());
    }
    if (!parsed.text().equals(text)) {
      throw new IllegalArgumentException("the statement is not in its canonical form");
    }
    return parsed;
  }

  private static BigInteger number(String text) {
    if (!text.matches("0|[1-9][0-9]{0,77}")) {
      throw new IllegalArgumentException("not a canonical decimal number: " + text);
    }
    return new BigInteger(text);
  }

  /** How the reserves compare with the rBTC-SYNTH supply. */
  public enum Backing {
    /** Reserves equal the supply, to the sat. */
    MATCHED,
    /** Reserves are below the supply: rBTC exists that the attested bitcoin does not cover. */
    SHORTFALL,
    /** Reserves exceed the supply (for example a deposit not yet synced on-chain). */
    SURPLUS;

    static Backing of(int signum) {
      return signum == 0 ? MATCHED : signum < 0 ? SHORTFALL : SURPLUS;
    }
  }
}
