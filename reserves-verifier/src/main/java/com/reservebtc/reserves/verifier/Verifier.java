package com.reservebtc.reserves.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offline verifier: needs only a JDK (17+) and files the user downloaded.
 *
 * <pre>
 * java -jar reserves-verifier.jar proof   --signer 0x… [--address 0x…] [--attestation a.json] proof.json
 * java -jar reserves-verifier.jar export  --signer 0x… --attestation a.json export.jsonl
 * java -jar reserves-verifier.jar history --signer 0x… history.json
 * java -jar reserves-verifier.jar request --key-file key.hex [--timestamp unix-seconds]
 * </pre>
 *
 * <p>{@code --signer} is the operator's published attestation address; nothing in the files is
 * trusted for it. Exit status: 0 verified, 1 rejected (the reason is printed), 2 usage error or an
 * unreadable file. A verified attestation whose reserves fall short of the rBTC-SYNTH supply is
 * still verified (the signature and the tree are sound) and says SHORTFALL.
 */
public final class Verifier {

  private static final String USAGE =
      """
      usage: reserves-verifier proof   --signer 0x<address> [--address 0x<your address>] \
      [--attestation attestation.json] proof.json
             reserves-verifier export  --signer 0x<address> --attestation attestation.json export.jsonl
             reserves-verifier history --signer 0x<address> history.json
             reserves-verifier request --key-file <file with your hex private key> [--timestamp <unix s>]
      exit status: 0 verified, 1 rejected, 2 usage error or unreadable file""";

  /** The text a user signs to be given their leaf and salt (oracle-service README). */
  public static String proofRequest(long timestamp, String ethAddress) {
    return "ReserveBTC Proof of Reserves Request\nTimestamp: "
        + timestamp
        + "\nMegaETH Address: "
        + ethAddress;
  }

  private Verifier() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command line without exiting: 0 verified, 1 rejected, 2 bad usage or input. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (arguments.command.equals("request")) {
      return request(arguments, out, err);
    }
    Object input;
    Object attestation = null;
    try {
      if (arguments.command.equals("export")) {
        input = Files.readString(arguments.file, StandardCharsets.UTF_8);
      } else {
        input = Json.parse(Files.readString(arguments.file, StandardCharsets.UTF_8));
      }
      if (arguments.attestation != null) {
        attestation = Json.parse(Files.readString(arguments.attestation, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      err.println("error: cannot read " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    try {
      switch (arguments.command) {
        case "proof" -> proof(input, attestation, arguments, out);
        case "export" -> export((String) input, attestation, arguments, out);
        default -> history(input, arguments, out);
      }
      out.println("VERIFIED");
      return 0;
    } catch (IllegalArgumentException | ArithmeticException e) {
      out.println("REJECTED: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Signs a proof request with the key in {@code --key-file} (for a key outside a wallet; a wallet
   * signs the same text with personal_sign) and prints the query parameters of {@code GET
   * /api/realtime/proof-of-reserves/proof} on stdout, the signed text on stderr.
   */
  private static int request(Arguments arguments, PrintStream out, PrintStream err) {
    String key;
    try {
      key = Files.readString(arguments.file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      err.println("error: cannot read " + e.getMessage());
      return 2;
    }
    try {
      String address = Eip191.addressOfKey(key);
      long timestamp =
          arguments.timestamp != null
              ? arguments.timestamp
              : java.time.Instant.now().getEpochSecond();
      String message = proofRequest(timestamp, address);
      String signature = Eip191.sign(message, key);
      err.println(message);
      out.println("address=" + address + "&timestamp=" + timestamp + "&signature=" + signature);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }

  /**
   * Checks the attestation's statement and signature: the statement is canonical rbtc-por-v2 text
   * and was signed (EIP-191) by {@code signer}.
   */
  public static Statement checkAttestation(Map<String, Object> attestation, String signer) {
    String text = Json.string(attestation, "statement");
    Statement statement = Statement.parse(text);
    String recovered = Eip191.recoverAddress(text, Json.string(attestation, "signature"));
    if (!recovered.equals(signer)) {
      throw new IllegalArgumentException(
          "attestation #"
              + statement.sequence()
              + " was signed by "
              + recovered
              + ", not by the published signer "
              + signer);
    }
    if (attestation.get("statementHash") instanceof String stated
        && !stated.equals(statement.hash())) {
      throw new IllegalArgumentException(
          "statementHash " + stated + " is not the SHA-256 of the statement " + statement.hash());
    }
    return statement;
  }

  private static void proof(
      Object input, Object separateAttestation, Arguments arguments, PrintStream out) {
    Map<String, Object> proof = Json.object(input, "the proof file");
    Map<String, Object> embedded = attestationIn(proof);
    Statement statement = checkAttestation(embedded, arguments.signer);
    describe(statement, arguments.signer, out);
    if (separateAttestation != null) {
      Map<String, Object> other = attestationIn(separateAttestation);
      Statement expected = checkAttestation(other, arguments.signer);
      if (!expected.text().equals(statement.text())) {
        throw new IllegalArgumentException(
            "the proof is for attestation #"
                + statement.sequence()
                + " ("
                + statement.hash()
                + "), not for the attestation given with --attestation, #"
                + expected.sequence()
                + " ("
                + expected.hash()
                + ")");
      }
      out.println("  the same attestation as " + arguments.attestation.getFileName());
    }

    Map<String, Object> leafJson = Json.object(proof.get("leaf"), "leaf");
    List<LeafAddress> addresses = new ArrayList<>();
    for (Object a : Json.array(leafJson.get("addresses"), "leaf.addresses")) {
      Map<String, Object> address = Json.object(a, "a leaf address");
      addresses.add(
          new LeafAddress(
              address.get("btcAddress") instanceof String s ? s : "",
              Json.string(address, "scriptPubKey"),
              Json.integer(address, "sats")));
    }
    SumLeaf leaf =
        new SumLeaf(
            Json.string(leafJson, "salt"),
            Json.string(leafJson, "ethAddress"),
            addresses,
            Json.integer(leafJson, "sum"));
    if (arguments.address != null && !arguments.address.equals(leaf.ethAddress())) {
      throw new IllegalArgumentException(
          "the leaf is " + leaf.ethAddress() + "'s, not " + arguments.address + "'s");
    }
    SumNode node = leaf.node();
    if (leafJson.get("leafHash") instanceof String stated && !stated.equals(node.hashHex())) {
      throw new IllegalArgumentException(
          "leafHash " + stated + " is not the hash of the leaf's fields " + node.hashHex());
    }
    long index = Json.integer(leafJson, "index");
    if (index < 0 || index >= statement.leafCount()) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is not in 0.." + (statement.leafCount() - 1));
    }
    out.println(
        "leaf #"
            + index
            + " of "
            + leaf.ethAddress()
            + ": "
            + leaf.sum()
            + " sats in "
            + addresses.size()
            + " Bitcoin address(es)");
    for (LeafAddress address : leaf.addresses()) {
      out.println(
          "  "
              + (address.btcAddress().isEmpty() ? "(address not given)" : address.btcAddress())
              + "  script "
              + address.scriptPubKey()
              + "  "
              + address.sats()
              + " sats at Bitcoin height "
              + statement.btcHeight());
    }
    out.println("  leaf hash " + node.hashHex());

    List<ProofStep> path = new ArrayList<>();
    for (Object s : Json.array(proof.get("path"), "path")) {
      Map<String, Object> step = Json.object(s, "a path step");
      path.add(
          new ProofStep(
              ProofStep.Side.of(Json.string(step, "side")),
              SumNode.of(Json.string(step, "hash"), Json.integer(step, "sum"))));
    }
    SumNode root = SumTree.fold(node, (int) index, statement.leafCount(), path);
    out.println(
        "  path of "
            + path.size()
            + " step(s) folds to "
            + root.hashHex()
            + " with sum "
            + root.sum());
    if (!root.equals(statement.root())) {
      throw new IllegalArgumentException(
          "the path folds to root "
              + root
              + ", the signed root is "
              + statement.root()
              + ": this leaf is not in the attested tree as given");
    }
    out.println("  equals the signed Merkle root and reserves total");
  }

  private static void export(
      String lines, Object attestationJson, Arguments arguments, PrintStream out) {
    if (attestationJson == null) {
      throw new IllegalArgumentException("export needs --attestation");
    }
    Statement statement = checkAttestation(attestationIn(attestationJson), arguments.signer);
    describe(statement, arguments.signer, out);
    List<SumNode> leaves = new ArrayList<>();
    int lineNumber = 0;
    for (String line : lines.split("\n")) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      Map<String, Object> row = Json.object(Json.parse(line), "line " + lineNumber);
      if (Json.integer(row, "index") != leaves.size()) {
        throw new IllegalArgumentException(
            "line "
                + lineNumber
                + " has index "
                + row.get("index")
                + ", expected "
                + leaves.size());
      }
      SumNode leaf = SumNode.of(Json.string(row, "leafHash"), Json.integer(row, "sum"));
      if (!leaves.isEmpty() && leaves.get(leaves.size() - 1).compareHash(leaf) >= 0) {
        throw new IllegalArgumentException(
            "line " + lineNumber + ": leaves must be in strictly ascending leaf-hash order");
      }
      leaves.add(leaf);
    }
    if (leaves.size() != statement.leafCount()) {
      throw new IllegalArgumentException(
          "the export has " + leaves.size() + " leaves, the attestation " + statement.leafCount());
    }
    SumNode root = SumTree.rootOf(leaves);
    out.println(
        "export: "
            + leaves.size()
            + " leaves fold to "
            + root.hashHex()
            + " with sum "
            + root.sum());
    if (!root.equals(statement.root())) {
      throw new IllegalArgumentException(
          "the export's root " + root + " is not the signed root " + statement.root());
    }
    out.println("  equals the signed Merkle root and reserves total");
  }

  private static void history(Object input, Arguments arguments, PrintStream out) {
    List<Object> entries = attestationsIn(input);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("the history lists no attestation");
    }
    Map<Long, Map<String, Statement>> bySequence = new TreeMap<>();
    for (Object entry : entries) {
      Statement statement =
          checkAttestation(Json.object(entry, "an attestation"), arguments.signer);
      bySequence
          .computeIfAbsent(statement.sequence(), k -> new LinkedHashMap<>())
          .put(statement.hash(), statement);
    }
    Statement previous = null;
    for (Map.Entry<Long, Map<String, Statement>> entry : bySequence.entrySet()) {
      if (entry.getValue().size() > 1) {
        throw new IllegalArgumentException(
            "sequence "
                + entry.getKey()
                + " was signed more than once with different contents: "
                + entry.getValue().keySet()
                + " — a replaced attestation");
      }
      Statement statement = entry.getValue().values().iterator().next();
      if (previous != null) {
        if (statement.sequence() != previous.sequence() + 1) {
          throw new IllegalArgumentException(
              "the history skips from #" + previous.sequence() + " to #" + statement.sequence());
        }
        if (!statement.previousHash().equals(previous.hash())) {
          throw new IllegalArgumentException(
              "#"
                  + statement.sequence()
                  + " names "
                  + statement.previousHash()
                  + " as its previous, but #"
                  + previous.sequence()
                  + " hashes to "
                  + previous.hash());
        }
      }
      out.println(
          "#"
              + statement.sequence()
              + " "
              + statement.hash()
              + "  Bitcoin "
              + statement.btcHeight()
              + "  reserves "
              + statement.reservesSats()
              + "  supply "
              + statement.synthTotalSupply()
              + "  "
              + statement.backing());
      previous = statement;
    }
    Statement first = bySequence.values().iterator().next().values().iterator().next();
    out.println(
        bySequence.size()
            + " attestation(s) #"
            + first.sequence()
            + "..#"
            + previous.sequence()
            + " signed by "
            + arguments.signer
            + ", each naming the one before it"
            + (first.sequence() == 1 ? " back to the first" : ""));
  }

  private static void describe(Statement s, String signer, PrintStream out) {
    out.println(
        "attestation #"
            + s.sequence()
            + " ("
            + Statement.ENCODING
            + ") signed by "
            + signer
            + ", statement hash "
            + s.hash());
    out.println("  previous " + s.previousHash());
    out.println(
        "  Bitcoin "
            + s.btcNetwork()
            + " block "
            + s.btcHeight()
            + " "
            + s.btcBlockHash()
            + " ("
            + s.confirmations()
            + " confirmation(s) deep)");
    out.println(
        "  reserves "
            + s.reservesSats()
            + " sats in "
            + s.leafCount()
            + " leaves; rBTC-SYNTH "
            + s.synthAddress()
            + " total supply "
            + s.synthTotalSupply()
            + " sats at EVM block "
            + s.evmBlock()
            + " (chain "
            + s.evmChainId()
            + ")");
    out.println(
        "  backing "
            + s.backing()
            + ": reserves − supply = "
            + s.differenceSats()
            + " sats, "
            + s.backingPercent()
            + " %");
  }

  /**
   * The attestation object in a file: itself, its "attestation" field (a proof), or the one entry
   * of an "attestations" list (the gateway's {@code /attestation} answer).
   */
  static Map<String, Object> attestationIn(Object json) {
    Map<String, Object> object = Json.object(json, "the attestation");
    if (object.containsKey("statement")) {
      return object;
    }
    if (object.get("attestation") != null) {
      return Json.object(object.get("attestation"), "attestation");
    }
    if (object.get("attestations") instanceof List<?> list) {
      if (list.size() != 1) {
        throw new IllegalArgumentException(
            "the file lists "
                + list.size()
                + " attestations; give one (a sequence listed twice was signed twice)");
      }
      return Json.object(list.get(0), "attestations[0]");
    }
    throw new IllegalArgumentException("no attestation (a 'statement' and its 'signature') found");
  }

  private static List<Object> attestationsIn(Object json) {
    if (json instanceof List<?>) {
      return Json.array(json, "the history");
    }
    Map<String, Object> object = Json.object(json, "the history");
    if (object.get("attestations") != null) {
      return Json.array(object.get("attestations"), "attestations");
    }
    if (object.get("data") instanceof Map<?, ?> data && data.get("attestations") != null) {
      return Json.array(data.get("attestations"), "data.attestations");
    }
    throw new IllegalArgumentException("no 'attestations' array found");
  }

  private record Arguments(
      String command, String signer, String address, Path attestation, Path file, Long timestamp) {

    static Arguments parse(String[] args) {
      if (args.length == 0) {
        throw new IllegalArgumentException("no command");
      }
      String command = args[0];
      if (!List.of("proof", "export", "history", "request").contains(command)) {
        throw new IllegalArgumentException("unknown command " + command);
      }
      String signer = null;
      String address = null;
      Path attestation = null;
      Path file = null;
      Long timestamp = null;
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--key-file" -> file = Path.of(value(args, ++i, arg));
          case "--timestamp" -> {
            String t = value(args, ++i, arg);
            if (!t.matches("[0-9]{1,12}")) {
              throw new IllegalArgumentException("--timestamp is unix seconds");
            }
            timestamp = Long.parseLong(t);
          }
          case "--signer" -> signer = address(value(args, ++i, arg));
          case "--address" -> address = address(value(args, ++i, arg));
          case "--attestation" -> attestation = Path.of(value(args, ++i, arg));
          default -> {
            if (arg.startsWith("--") || file != null) {
              throw new IllegalArgumentException("unexpected argument " + arg);
            }
            file = Path.of(arg);
          }
        }
      }
      if (command.equals("request")) {
        if (file == null) {
          throw new IllegalArgumentException("request needs --key-file");
        }
        return new Arguments(command, null, null, null, file, timestamp);
      }
      if (signer == null) {
        throw new IllegalArgumentException(
            "--signer is required: the operator's published attestation address");
      }
      if (file == null) {
        throw new IllegalArgumentException("no input file");
      }
      if (command.equals("export") && attestation == null) {
        throw new IllegalArgumentException("export needs --attestation");
      }
      return new Arguments(command, signer, address, attestation, file, timestamp);
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }

    private static String address(String text) {
      String lower = text.toLowerCase(Locale.ROOT);
      if (!lower.matches("0x[0-9a-f]{40}")) {
        throw new IllegalArgumentException("not a 0x address: " + text);
      }
      return lower;
    }
  }
}
