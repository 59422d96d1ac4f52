package com.reservebtc.oracle.reserves;

import com.reservebtc.reserves.verifier.Eip191;
import com.reservebtc.reserves.verifier.LeafAddress;
import com.reservebtc.reserves.verifier.Statement;
import com.reservebtc.reserves.verifier.SumLeaf;
import com.reservebtc.reserves.verifier.SumNode;
import com.reservebtc.reserves.verifier.SumTree;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds and signs one rbtc-por-v2 snapshot from users' balances: salts each user's leaf, orders
 * the leaves by hash, builds the Merkle-sum tree, writes the statement and signs it. Pure: no I/O.
 *
 * <p>Guarantees: the returned signature recovers (by the verifier's own EIP-191 code) to the key's
 * address, and the root's sum is the sum of every balance — a snapshot that would not verify is
 * never returned.
 */
public final class SnapshotBuilder {

  private SnapshotBuilder() {}

  /** Where the snapshot stands: its place in the chain and the figures it attests. */
  public record Header(
      long sequence,
      String previousHash,
      String btcNetwork,
      long btcHeight,
      String btcBlockHash,
      int confirmations,
      long evmChainId,
      String synthAddress,
      BigInteger synthTotalSupply,
      long evmBlock,
      Instant created) {}

  /** A built snapshot: the signed statement, its tree and its leaves in leaf order. */
  public record Built(ReserveSnapshot snapshot, List<ReserveAccount> accounts, SumTree tree) {}

  /**
   * @param users each EVM address's bound addresses with their balances as of the header's block
   *     (at least one user, each with at least one address)
   */
  public static Built build(
      Map<String, List<LeafAddress>> users, Header header, AttestationKey key) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a snapshot has at least one user");
    }
    AttestationKey.SaltFunction salts = key.saltsFor(header.sequence());
    ReserveAccount[] accounts = new ReserveAccount[users.size()];
    int i = 0;
    for (Map.Entry<String, List<LeafAddress>> user : users.entrySet()) {
      SumLeaf leaf = SumLeaf.of(salts.of(user.getKey()), user.getKey(), user.getValue());
      accounts[i++] = ReserveAccount.of(leaf, leaf.node());
    }
    Arrays.sort(accounts, (a, b) -> a.leafHash().compareTo(b.leafHash()));
    List<ReserveAccount> ordered = new ArrayList<>(accounts.length);
    List<SumNode> nodes = new ArrayList<>(accounts.length);
    for (int index = 0; index < accounts.length; index++) {
      ordered.add(accounts[index].withIndex(index));
      nodes.add(accounts[index].node());
    }
    SumTree tree = new SumTree(nodes);
    Statement statement =
        new Statement(
            header.sequence(),
            header.previousHash(),
            tree.root().hashHex(),
            tree.root().sum(),
            accounts.length,
            header.btcNetwork(),
            header.btcHeight(),
            header.btcBlockHash(),
            header.confirmations(),
            header.evmChainId(),
            header.synthAddress(),
            header.synthTotalSupply(),
            header.evmBlock(),
            header.created());
    String text = statement.text();
    String signature = key.sign(text);
    if (!Eip191.recoverAddress(text, signature).equals(key.address())) {
      throw new IllegalStateException("the attestation signature does not recover to its key");
    }
    return new Built(
        new ReserveSnapshot(0, statement, statement.hash(), signature, key.address()),
        List.copyOf(ordered),
        tree);
  }
}
