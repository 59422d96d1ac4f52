package com.reservebtc.oracle.reserves;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Merkle tree over leaf hashes with the pairing rule of {@link ReserveProofVerifier}: neighbours
 * are hashed pairwise, an odd last node is carried up unchanged.
 *
 * <p>Guarantees: {@link #root()} equals {@link ReserveProofVerifier#root} and folding {@link
 * #proof(int)} over leaf {@code i} with {@link ReserveProofVerifier#fold} gives the root. Holds
 * every level in memory (2n hashes); immutable.
 */
final class MerkleTree {

  private static final HexFormat HEX = HexFormat.of();

  private final List<List<byte[]>> levels;

  MerkleTree(List<byte[]> leafHashes) {
    if (leafHashes.isEmpty()) {
      throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
    }
    List<List<byte[]>> built = new ArrayList<>();
    List<byte[]> level = List.copyOf(leafHashes);
    built.add(level);
    while (level.size() > 1) {
      List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        next.add(
            i + 1 < level.size()
                ? ReserveProofVerifier.nodeHash(level.get(i), level.get(i + 1))
                : level.get(i));
      }
      level = List.copyOf(next);
      built.add(level);
    }
    this.levels = List.copyOf(built);
  }

  int leafCount() {
    return levels.get(0).size();
  }

  byte[] root() {
    return levels.get(levels.size() - 1).get(0).clone();
  }

  String rootHex() {
    return HEX.formatHex(root());
  }

  /**
   * The sibling path of leaf {@code index} from the bottom up, as {@code L:<hex>}/{@code R:<hex>}.
   */
  List<String> proof(int index) {
    if (index < 0 || index >= leafCount()) {
      throw new IndexOutOfBoundsException("leaf " + index + " of " + leafCount());
    }
    List<String> path = new ArrayList<>();
    int at = index;
    for (int depth = 0; depth < levels.size() - 1; depth++) {
      List<byte[]> level = levels.get(depth);
      int sibling = at ^ 1;
      if (sibling < level.size()) {
        path.add((sibling < at ? "L:" : "R:") + HEX.formatHex(level.get(sibling)));
      }
      at /= 2;
    }
    return List.copyOf(path);
  }
}
