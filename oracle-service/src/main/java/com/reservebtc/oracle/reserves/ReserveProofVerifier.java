package com.reservebtc.oracle.reserves;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proof-of-reserves hash encoding ("rbtc-por-v1") and an offline checker that needs nothing but
 * a JDK. The service hashes leaves and nodes with these methods, so the checker and the service
 * cannot drift apart.
 *
 * <p>Encoding (all hashes SHA-256, shown as lower-case hex):
 *
 * <ul>
 *   <li>leaf = SHA256(0x00 || eth address (20 bytes) || length of scriptPubKey (1 byte) ||
 *       scriptPubKey || confirmed sats (8 bytes, big-endian) || Bitcoin height (8 bytes,
 *       big-endian))
 *   <li>node = SHA256(0x01 || left (32 bytes) || right (32 bytes))
 *   <li>Leaves are ordered by eth address, then scriptPubKey hex (both lower case, ascending).
 *       Level 0 is the leaf hashes in that order; each next level hashes neighbours (0,1), (2,3),
 *       …; an odd last node is carried up unchanged (never paired with itself). The root is the one
 *       node left; a single leaf is its own root.
 *   <li>A proof is the list of siblings from the leaf up, each marked L (the sibling is on the
 *       left: node = H(0x01 || sibling || current)) or R (node = H(0x01 || current || sibling)).
 *       Levels where the node was carried up contribute no step.
 * </ul>
 *
 * <p>Usage: {@code java ReserveProofVerifier.java <root> <ethAddress> <scriptPubKeyHex>
 * <confirmedSats> <btcHeight> [L:<hex>|R:<hex> ...]} checks one inclusion proof; {@code java
 * ReserveProofVerifier.java --export <export.jsonl> <root>} recomputes every leaf and the root of a
 * whole snapshot export. Exit status 0 = verified, 1 = mismatch, 2 = bad input.
 */
public final class ReserveProofVerifier {

  /** Name of this encoding, reported with every snapshot. */
  public static final String ENCODING = "rbtc-por-v1";

  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern ETH = Pattern.compile("0x[0-9a-f]{40}");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private ReserveProofVerifier() {}

  /** The leaf hash of one bound address's balance. */
  public static byte[] leafHash(
      String ethAddress, byte[] scriptPubKey, long confirmedSats, long btcHeight) {
    String eth = ethAddress.toLowerCase(Locale.ROOT);
    if (!ETH.matcher(eth).matches()) {
      throw new IllegalArgumentException("eth address must be 0x + 40 hex digits: " + ethAddress);
    }
    if (scriptPubKey.length == 0 || scriptPubKey.length > 255) {
      throw new IllegalArgumentException("scriptPubKey must be 1..255 bytes");
    }
    if (confirmedSats < 0 || btcHeight < 0) {
      throw new IllegalArgumentException("sats and height must not be negative");
    }
    MessageDigest sha = sha256();
    sha.update((byte) 0x00);
    sha.update(HEX.parseHex(eth.substring(2)));
    sha.update((byte) scriptPubKey.length);
    sha.update(scriptPubKey);
    sha.update(bigEndian(confirmedSats));
    sha.update(bigEndian(btcHeight));
    return sha.digest();
  }

  /** The parent of two nodes. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x01);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** Folds a proof path ({@code L:<hex>} / {@code R:<hex>} steps) into the root it implies. */
  public static byte[] fold(byte[] leafHash, List<String> path) {
    byte[] current = leafHash;
    for (String step : path) {
      if (step.length() != 66
          || step.charAt(1) != ':'
          || !HASH.matcher(step.substring(2)).matches()) {
        throw new IllegalArgumentException("a path step is L:<64 hex> or R:<64 hex>, got " + step);
      }
      byte[] sibling = HEX.parseHex(step.substring(2));
      current =
          switch (step.charAt(0)) {
            case 'L' -> nodeHash(sibling, current);
            case 'R' -> nodeHash(current, sibling);
            default ->
                throw new IllegalArgumentException("a path step starts with L or R: " + step);
          };
    }
    return current;
  }

  /** The root over leaf hashes in leaf order (the rule in the class comment). */
  public static byte[] root(List<byte[]> leafHashes) {
    if (leafHashes.isEmpty()) {
      throw new IllegalArgumentException("a snapshot has at least one leaf");
    }
    List<byte[]> level = leafHashes;
    while (level.size() > 1) {
      List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        next.add(i + 1 < level.size() ? nodeHash(level.get(i), level.get(i + 1)) : level.get(i));
      }
      level = next;
    }
    return level.get(0);
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command line without exiting: 0 = verified, 1 = mismatch, 2 = bad input. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      boolean export = args.length >= 1 && args[0].equals("--export");
      return (export ? checkExport(args, out) : checkProof(args, out)) ? 0 : 1;
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      err.println(
          "usage: ReserveProofVerifier <root> <ethAddress> <scriptPubKeyHex> <confirmedSats>"
              + " <btcHeight> [L:<hex>|R:<hex> ...]");
      err.println("       ReserveProofVerifier --export <export.jsonl> <root>");
      return 2;
    }
  }

  private static boolean checkProof(String[] args, PrintStream out) {
    if (args.length < 5) {
      throw new IllegalArgumentException("expected at least 5 arguments");
    }
    String root = requireHash(args[0]);
    byte[] leaf =
        leafHash(
            args[1],
            HEX.parseHex(args[2].toLowerCase(Locale.ROOT)),
            parseLong(args[3]),
            parseLong(args[4]));
    out.println("leaf hash     " + HEX.formatHex(leaf));
    String computed = HEX.formatHex(fold(leaf, List.of(args).subList(5, args.length)));
    return report(computed, root, out);
  }

  private static boolean checkExport(String[] args, PrintStream out) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("expected --export <file> <root>");
    }
    String root = requireHash(args[2]);
    List<byte[]> leaves = new ArrayList<>();
    BigInteger total = BigInteger.ZERO;
    int lineNumber = 0;
    for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      long sats = parseLong(field(line, "confirmedSats", lineNumber));
      byte[] leaf =
          leafHash(
              field(line, "ethAddress", lineNumber),
              HEX.parseHex(field(line, "scriptPubKey", lineNumber)),
              sats,
              parseLong(field(line, "btcHeight", lineNumber)));
      String stated = field(line, "leafHash", lineNumber);
      if (!HEX.formatHex(leaf).equals(stated)) {
        out.println("line " + lineNumber + ": leaf hash " + stated + " does not match its fields");
        out.println("MISMATCH");
        return false;
      }
      leaves.add(leaf);
      total = total.add(BigInteger.valueOf(sats));
    }
    out.println("leaves        " + leaves.size());
    out.println("total sats    " + total);
    return report(HEX.formatHex(root(leaves)), root, out);
  }

  private static boolean report(String computed, String expected, PrintStream out) {
    out.println("computed root " + computed);
    out.println("expected root " + expected);
    boolean ok = computed.equals(expected);
    out.println(ok ? "VERIFIED" : "MISMATCH");
    return ok;
  }

  /** A string or number field of one flat JSONL object, as written by the export. */
  private static String field(String line, String name, int lineNumber) {
    Matcher m =
        Pattern.compile("\"" + name + "\"\\s*:\\s*(?:\"([^\"]*)\"|(-?[0-9]+))").matcher(line);
    if (!m.find()) {
      throw new IllegalArgumentException("line " + lineNumber + " has no field " + name);
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  private static String requireHash(String text) {
    String hash = text.toLowerCase(Locale.ROOT);
    if (!HASH.matcher(hash).matches()) {
      throw new IllegalArgumentException("a root is 64 hex digits: " + text);
    }
    return hash;
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number: " + text);
    }
  }

  private static byte[] bigEndian(long value) {
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
