package com.reservebtc.devstack.chaos;

/**
 * The finality label each block must carry at a frozen head, by the rule the indexer uses: the
 * node's {@code safe} / {@code finalized} blocks where it takes them from the node, else the
 * configured depths below the head.
 *
 * @param confirmedThrough the highest CONFIRMED block
 * @param finalizedThrough the highest FINALIZED block
 */
record ExpectedFinality(long confirmedThrough, long finalizedThrough) {

  static ExpectedFinality byDepth(long head, int confirmationDepth, int finalizedDepth) {
    return new ExpectedFinality(head - confirmationDepth, head - finalizedDepth);
  }

  String of(long block) {
    if (block <= finalizedThrough) {
      return "FINALIZED";
    }
    return block <= confirmedThrough ? "CONFIRMED" : "PENDING";
  }

  String describe() {
    return "CONFIRMED through block "
        + confirmedThrough
        + ", FINALIZED through "
        + finalizedThrough;
  }
}
