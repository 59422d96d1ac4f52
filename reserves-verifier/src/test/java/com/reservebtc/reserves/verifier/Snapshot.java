package com.reservebtc.reserves.verifier;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.web3j.crypto.ECKeyPair;

/**
 * A signed snapshot built the way the oracle builds one, written as the JSON files the oracle
 * serves (attestation, proof, public export), for the verifier's tests.
 */
final class Snapshot {

  final List<SumLeaf> leaves;
  final SumTree tree;
  final Statement statement;
  final String signature;

  Snapshot(List<SumLeaf> users, long sequence, String previous, BigInteger supply, ECKeyPair key) {
    List<SumLeaf> sorted = new ArrayList<>(users);
    sorted.sort(Comparator.comparing(l -> l.node().hashHex()));
    this.leaves = List.copyOf(sorted);
    this.tree = new SumTree(leaves.stream().map(SumLeaf::node).toList());
    this.statement =
        new Statement(
            sequence,
            previous,
            tree.root().hashHex(),
            tree.root().sum(),
            leaves.size(),
            "regtest",
            150 + sequence,
            "0f".repeat(32),
            6,
            31337,
            "0x" + "5f".repeat(20),
            supply,
            4_000 + sequence,
            Instant.parse("2026-11-01T12:00:00Z").plusSeconds(sequence));
    this.signature = Eip191Test.sign(key, statement.text());
  }

  static Snapshot first(List<SumLeaf> users, BigInteger supply, ECKeyPair key) {
    return new Snapshot(users, 1, Statement.NO_PREVIOUS, supply, key);
  }

  Snapshot next(List<SumLeaf> users, BigInteger supply, ECKeyPair key) {
    return new Snapshot(users, statement.sequence() + 1, statement.hash(), supply, key);
  }

  String attestationJson() {
    return "{\"sequence\":"
        + statement.sequence()
        + ",\"statement\":"
        + quote(statement.text())
        + ",\"statementHash\":\""
        + statement.hash()
        + "\",\"signature\":\""
        + signature
        + "\"}";
  }

  int indexOf(String ethAddress) {
    for (int i = 0; i < leaves.size(); i++) {
      if (leaves.get(i).ethAddress().equals(ethAddress)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no leaf of " + ethAddress);
  }

  String proofJson(String ethAddress) {
    int index = indexOf(ethAddress);
    return proofJson(index, leaves.get(index), tree.proof(index));
  }

  String proofJson(int index, SumLeaf leaf, List<ProofStep> path) {
    String addresses =
        leaf.addresses().stream()
            .map(
                a ->
                    "{\"btcAddress\":"
                        + quote(a.btcAddress())
                        + ",\"scriptPubKey\":\""
                        + a.scriptPubKey()
                        + "\",\"sats\":"
                        + a.sats()
                        + "}")
            .collect(Collectors.joining(","));
    String steps =
        path.stream()
            .map(
                s ->
                    "{\"side\":\""
                        + s.side().code()
                        + "\",\"hash\":\""
                        + s.sibling().hashHex()
                        + "\",\"sum\":"
                        + s.sibling().sum()
                        + "}")
            .collect(Collectors.joining(","));
    return "{\"attestation\":"
        + attestationJson()
        + ",\"leaf\":{\"index\":"
        + index
        + ",\"ethAddress\":\""
        + leaf.ethAddress()
        + "\",\"salt\":\""
        + leaf.salt()
        + "\",\"sum\":"
        + leaf.sum()
        + ",\"addresses\":["
        + addresses
        + "]},\"path\":["
        + steps
        + "]}";
  }

  String exportJsonl() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < leaves.size(); i++) {
      SumNode node = leaves.get(i).node();
      out.append("{\"index\":")
          .append(i)
          .append(",\"leafHash\":\"")
          .append(node.hashHex())
          .append("\",\"sum\":")
          .append(node.sum())
          .append("}\n");
    }
    return out.toString();
  }

  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
