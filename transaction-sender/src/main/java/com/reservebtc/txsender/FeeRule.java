package com.reservebtc.txsender;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * The fee arithmetic, free of I/O.
 *
 * <p>A new EIP-1559 transaction offers the node's suggested priority fee and a max fee of {@code
 * multiplier × baseFee + priority}, both limited by the cap; if the cap is below the current base
 * fee nothing could be mined, and the rule refuses instead of signing. A replacement raises both
 * fields by at least the bump (and at least 1 wei, since nodes demand a strict increase), to what
 * the current base fee and suggestion need if that is more, and never above the cap; if the cap
 * leaves less than the bump there is no replacement. On a node without a base fee a legacy gas
 * price (the node's {@code eth_gasPrice}, capped) is used and bumped the same way.
 */
final class FeeRule {

  private static final BigInteger BPS = BigInteger.valueOf(10_000);

  private final BigInteger cap;
  private final BigInteger multiplier;
  private final BigInteger bumpBps;

  FeeRule(SenderSettings settings) {
    this.cap = settings.maxFeePerGasWei();
    this.multiplier = BigInteger.valueOf(settings.baseFeeMultiplier());
    this.bumpBps = BigInteger.valueOf(settings.replacementBumpBps());
  }

  /**
   * What the node says fees are now.
   *
   * @param baseFeePerGas base fee of the latest block, or {@code null} if the node has none
   * @param priorityFeePerGas the node's suggested priority fee (EIP-1559 nodes)
   * @param gasPrice the node's {@code eth_gasPrice} (legacy nodes; may be null otherwise)
   */
  record NodeFees(BigInteger baseFeePerGas, BigInteger priorityFeePerGas, BigInteger gasPrice) {

    boolean legacy() {
      return baseFeePerGas == null;
    }
  }

  /** Fees of a new transaction, or empty if the cap is below the current base fee. */
  Optional<Fees> initial(NodeFees node) {
    if (node.legacy()) {
      return Optional.of(new Fees.Legacy(min(Objects.requireNonNull(node.gasPrice()), cap)));
    }
    BigInteger base = node.baseFeePerGas();
    if (cap.compareTo(base) < 0) {
      return Optional.empty();
    }
    BigInteger priority = node.priorityFeePerGas();
    BigInteger maxFee = min(base.multiply(multiplier).add(priority), cap);
    return Optional.of(new Fees.Dynamic(maxFee, min(priority, maxFee)));
  }

  /** Fees of a replacement of a version priced {@code old}, or empty if the cap allows none. */
  Optional<Fees> bump(Fees old, NodeFees node) {
    if (old instanceof Fees.Legacy legacy) {
      BigInteger least = bumped(legacy.gasPrice());
      BigInteger wanted = node.gasPrice() == null ? least : max(least, node.gasPrice());
      BigInteger price = min(wanted, cap);
      return price.compareTo(least) < 0 ? Optional.empty() : Optional.of(new Fees.Legacy(price));
    }
    Fees.Dynamic dynamic = (Fees.Dynamic) old;
    BigInteger leastMax = bumped(dynamic.maxFeePerGas());
    BigInteger leastPriority = bumped(dynamic.maxPriorityFeePerGas());
    BigInteger priority =
        node.priorityFeePerGas() == null
            ? leastPriority
            : max(leastPriority, node.priorityFeePerGas());
    BigInteger base = node.baseFeePerGas() == null ? BigInteger.ZERO : node.baseFeePerGas();
    BigInteger maxFee = min(max(leastMax, base.multiply(multiplier).add(priority)), cap);
    priority = min(priority, maxFee);
    return maxFee.compareTo(leastMax) < 0 || priority.compareTo(leastPriority) < 0
        ? Optional.empty()
        : Optional.of(new Fees.Dynamic(maxFee, priority));
  }

  /** {@code value} raised by the bump, rounded up, and by at least 1 wei. */
  BigInteger bumped(BigInteger value) {
    BigInteger[] division = value.multiply(BPS.add(bumpBps)).divideAndRemainder(BPS);
    BigInteger up = division[1].signum() > 0 ? division[0].add(BigInteger.ONE) : division[0];
    return max(up, value.add(BigInteger.ONE));
  }

  private static BigInteger min(BigInteger a, BigInteger b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static BigInteger max(BigInteger a, BigInteger b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
