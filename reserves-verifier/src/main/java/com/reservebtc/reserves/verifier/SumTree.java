package com.reservebtc.reserves.verifier;

import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle-sum tree of rbtc-por-v2 over leaf nodes in leaf order (ascending leaf hash).
 *
 * <p>Level 0 is the leaves; each next level joins neighbours (0,1), (2,3), … with {@link
 * SumNode#parent}; an odd last node is carried up unchanged (hash and sum), never paired with a
 * copy of itself. The root is the one node left (a single leaf is its own root); its sum is the
 * total of every balance in the tree. Holds every level in memory (about 2n nodes); immutable.
 */
public final class SumTree {

  private final List<SumNode[]> levels;

  public SumTree(List<SumNode> leaves) {
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("a tree has at least one leaf");
    }
    List<SumNode[]> built = new ArrayList<>();
    SumNode[] level = leaves.toArray(new SumNode[0]);
    built.add(level);
    while (level.length > 1) {
      SumNode[] next = new SumNode[(level.length + 1) / 2];
      for (int i = 0; i < level.length; i += 2) {
        next[i / 2] = i + 1 < level.length ? SumNode.parent(level[i], level[i + 1]) : level[i];
      }
      level = next;
      built.add(level);
    }
    this.levels = List.copyOf(built);
  }

  public int leafCount() {
    return levels.get(0).length;
  }

  public SumNode root() {
    return levels.get(levels.size() - 1)[0];
  }

  /** The path of leaf {@code index} from the bottom up (carried-up levels add no step). */
  public List<ProofStep> proof(int index) {
    if (index < 0 || index >= leafCount()) {
      throw new IndexOutOfBoundsException("leaf " + index + " of " + leafCount());
    }
    List<ProofStep> path = new ArrayList<>();
    int at = index;
    for (int depth = 0; depth < levels.size() - 1; depth++) {
      SumNode[] level = levels.get(depth);
      int sibling = at ^ 1;
      if (sibling < level.length) {
        path.add(
            new ProofStep(
                sibling < at ? ProofStep.Side.LEFT : ProofStep.Side.RIGHT, level[sibling]));
      }
      at /= 2;
    }
    return List.copyOf(path);
  }

  /**
   * The root a path implies for the leaf at {@code index} of {@code leafCount} leaves.
   *
   * @throws IllegalArgumentException if the path's length or sides are not those of that position
   *     (so a path cannot place the leaf anywhere else), or a sum overflows
   */
  public static SumNode fold(SumNode leaf, int index, int leafCount, List<ProofStep> path) {
    if (leafCount < 1 || index < 0 || index >= leafCount) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is not in 0.." + (leafCount - 1));
    }
    SumNode current = leaf;
    int at = index;
    int width = leafCount;
    int step = 0;
    while (width > 1) {
      boolean carried = at == width - 1 && at % 2 == 0;
      if (!carried) {
        if (step >= path.size()) {
          throw new IllegalArgumentException(
              "the path has " + path.size() + " steps; leaf " + index + " needs more");
        }
        ProofStep next = path.get(step++);
        ProofStep.Side expected = at % 2 == 1 ? ProofStep.Side.LEFT : ProofStep.Side.RIGHT;
        if (next.side() != expected) {
          throw new IllegalArgumentException(
              "step " + step + " has its sibling on the wrong side for leaf " + index);
        }
        try {
          current =
              expected == ProofStep.Side.LEFT
                  ? SumNode.parent(next.sibling(), current)
                  : SumNode.parent(current, next.sibling());
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException("a sum on the path exceeds 2^63 - 1");
        }
      }
      at /= 2;
      width = (width + 1) / 2;
    }
    if (step != path.size()) {
      throw new IllegalArgumentException(
          "the path has " + path.size() + " steps; leaf " + index + " needs " + step);
    }
    return current;
  }

  /** The root over leaf nodes in order, without keeping the levels. */
  public static SumNode rootOf(List<SumNode> leaves) {
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("a tree has at least one leaf");
    }
    List<SumNode> level = leaves;
    while (level.size() > 1) {
      List<SumNode> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        next.add(
            i + 1 < level.size() ? SumNode.parent(level.get(i), level.get(i + 1)) : level.get(i));
      }
      level = next;
    }
    return level.get(0);
  }
}
