package com.reservebtc.devstack.chaos;

import com.reservebtc.contracts.deploy.ProtocolDeployment;
import java.math.BigInteger;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * What the users do while the faults happen, one action at a time at a steady pace, each choice
 * drawn from the seeded random source: Bitcoin received and spent (so the oracle mints and burns,
 * and burns everything of a user who withdrew their fee prepayment), fee-vault deposits and
 * withdrawals, wrBTC wraps, redemptions and transfers, pool disputes and yield claims. Actions
 * whose precondition does not hold on the chain right now (nothing to wrap, no pool membership) are
 * skipped, not sent to revert.
 *
 * <p>Not thread-safe: one workload thread.
 */
final class Workload {

  /** The kinds of user action. */
  enum Action {
    BTC_FUND(26),
    BTC_SPEND(14),
    FEE_DEPOSIT(14),
    FEE_WITHDRAW(4),
    WRAP(10),
    REDEEM(7),
    WRBTC_TRANSFER(10),
    DISPUTE(4),
    CLAIM_YIELD(4);

    final int weight;

    Action(int weight) {
      this.weight = weight;
    }
  }

  private static final BigInteger MILLI_ETH = BigInteger.TEN.pow(15);

  private final List<ChaosUser> users;
  private final ProtocolDeployment deployment;
  private final ProtocolCalls calls;
  private final UserTransactions transactions;
  private final BitcoinControl bitcoin;
  private final Random random;
  private final long[] bitcoinBalance;
  private final boolean[] exposed;
  private final Map<Action, Integer> sent = new EnumMap<>(Action.class);
  private final Map<Action, Integer> skipped = new EnumMap<>(Action.class);
  private final int totalWeight;

  Workload(
      List<ChaosUser> users,
      ProtocolDeployment deployment,
      ProtocolCalls calls,
      UserTransactions transactions,
      BitcoinControl bitcoin,
      long seed) {
    this.users = List.copyOf(users);
    this.deployment = deployment;
    this.calls = calls;
    this.transactions = transactions;
    this.bitcoin = bitcoin;
    this.random = new Random(seed ^ 0x5DEECE66DL);
    this.bitcoinBalance = new long[users.size()];
    this.exposed = new boolean[users.size()];
    int weights = 0;
    for (Action a : Action.values()) {
      weights += a.weight;
    }
    this.totalWeight = weights;
  }

  /** Funds every user's Bitcoin address once and confirms it. */
  void fundEveryone() {
    for (ChaosUser user : users) {
      long sats = 300_000 + random.nextInt(700_000);
      bitcoin.fund(user.bitcoinAddress(), sats);
      bitcoinBalance[user.index()] += sats;
    }
    bitcoin.mine();
  }

  /**
   * Runs actions at {@code actionsPerSecond} until {@code done} says so, each while holding {@code
   * senders} (so a fault that must keep the users quiet can).
   */
  void run(double actionsPerSecond, BooleanSupplier done, Lock senders) {
    long intervalNanos = (long) (1e9 / actionsPerSecond);
    long next = System.nanoTime();
    while (!done.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
      senders.lock();
      try {
        step();
      } finally {
        senders.unlock();
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Pause.of(Duration.ofNanos(wait));
      } else {
        next = System.nanoTime();
      }
    }
  }

  /** One action, chosen at random. */
  void step() {
    Action action = pick();
    ChaosUser user = users.get(random.nextInt(users.size()));
    boolean done;
    try {
      done = perform(action, user);
    } catch (ChaosException e) {
      // a node or simulator that is briefly unreachable (mining paused, a reorg) loses one action
      done = false;
    }
    (done ? sent : skipped).merge(action, 1, Integer::sum);
  }

  Map<Action, Integer> sent() {
    return Map.copyOf(sent);
  }

  Map<Action, Integer> skipped() {
    return Map.copyOf(skipped);
  }

  private Action pick() {
    int r = random.nextInt(totalWeight);
    for (Action a : Action.values()) {
      r -= a.weight;
      if (r < 0) {
        return a;
      }
    }
    throw new IllegalStateException("weights");
  }

  private boolean perform(Action action, ChaosUser user) {
    String me = user.address();
    switch (action) {
      case BTC_FUND -> {
        long sats = 5_000 + random.nextInt(250_000);
        bitcoin.fund(user.bitcoinAddress(), sats);
        bitcoinBalance[user.index()] += sats;
        mineSometimes();
        return true;
      }
      case BTC_SPEND -> {
        ChaosUser spender = exposedUser().orElse(user);
        long held = bitcoinBalance[spender.index()];
        if (held < 20_000) {
          return false;
        }
        long sats = 1_000 + (long) (random.nextDouble() * held * 0.4);
        if (!bitcoin.spend(spender.bitcoinAddress(), sats)) {
          bitcoin.mine();
          return false;
        }
        bitcoinBalance[spender.index()] -= sats;
        exposed[spender.index()] = false;
        mineSometimes();
        return true;
      }
      case FEE_DEPOSIT -> {
        BigInteger wei = MILLI_ETH.multiply(BigInteger.valueOf(5 + random.nextInt(45)));
        return transactions
            .send(user.wallet(), deployment.feeVault(), wei, "depositETH", new Address(me))
            .isEmpty();
      }
      case FEE_WITHDRAW -> {
        if (calls.feeVaultBalance(me, "latest").signum() == 0
            || calls.lastSats(me, "latest") == 0) {
          return false;
        }
        exposed[user.index()] = true;
        return transactions
            .send(user.wallet(), deployment.feeVault(), BigInteger.ZERO, "withdrawUnused")
            .isEmpty();
      }
      case WRAP -> {
        BigInteger free = calls.synthBalance(me, "latest");
        if (free.signum() == 0) {
          return false;
        }
        BigInteger amount = portion(free);
        return transactions
            .send(user.wallet(), deployment.wrbtc(), BigInteger.ZERO, "wrap", new Uint256(amount))
            .isEmpty();
      }
      case REDEEM -> {
        BigInteger redeemable =
            calls.wrbtcLocked(me, "latest").min(calls.wrbtcBalance(me, "latest"));
        if (redeemable.signum() == 0) {
          return false;
        }
        return transactions
            .send(
                user.wallet(),
                deployment.wrbtc(),
                BigInteger.ZERO,
                "redeem",
                new Uint256(portion(redeemable)))
            .isEmpty();
      }
      case WRBTC_TRANSFER -> {
        BigInteger held = calls.wrbtcBalance(me, "latest");
        if (held.signum() == 0) {
          return false;
        }
        ChaosUser to =
            users.get((user.index() + 1 + random.nextInt(users.size() - 1)) % users.size());
        return transactions
            .send(
                user.wallet(),
                deployment.wrbtc(),
                BigInteger.ZERO,
                "transfer",
                new Address(to.address()),
                new Uint256(portion(held)))
            .isEmpty();
      }
      case DISPUTE -> {
        if (!calls.participant(me, "latest").active()) {
          return false;
        }
        long oracle = calls.lastSats(me, "latest");
        long reported = oracle + 1 + random.nextInt(100_000);
        return transactions
            .send(
                user.wallet(),
                deployment.yieldPool(),
                BigInteger.ZERO,
                "disputeBalance",
                new Uint256(reported),
                new Uint256(oracle))
            .isEmpty();
      }
      case CLAIM_YIELD -> {
        if (!calls.participant(me, "latest").active()
            || calls.pendingYield(me, "latest").signum() == 0) {
          return false;
        }
        return transactions
            .send(user.wallet(), deployment.yieldPool(), BigInteger.ZERO, "claimYield")
            .isEmpty();
      }
    }
    throw new IllegalStateException("unhandled action " + action);
  }

  private Optional<ChaosUser> exposedUser() {
    for (ChaosUser u : users) {
      if (exposed[u.index()] && random.nextBoolean()) {
        return Optional.of(u);
      }
    }
    return Optional.empty();
  }

  private void mineSometimes() {
    if (random.nextInt(10) < 6) {
      bitcoin.mine();
    }
  }

  /** Between a tenth and all of {@code amount}, at least 1. */
  private BigInteger portion(BigInteger amount) {
    BigInteger tenths = BigInteger.valueOf(1 + random.nextInt(10));
    return amount.multiply(tenths).divide(BigInteger.TEN).max(BigInteger.ONE);
  }
}
