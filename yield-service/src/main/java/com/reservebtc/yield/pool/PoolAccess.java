package com.reservebtc.yield.pool;

import com.reservebtc.txsender.TransactionSender;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * What this service can do with the YieldScalesPool: nothing (no pool address), read it (an address
 * but no pool oracle key: what should be sent is only recorded), or also send (the key). A key that
 * is not the pool's oracle is not used: every call would revert, so the service records instead and
 * says why.
 */
public final class PoolAccess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PoolAccess.class);

  private final Web3j web3j;
  private final PoolClient pool;
  private final TransactionSender sender;
  private volatile Boolean keyIsOracle;
  private volatile String problem;

  PoolAccess(Web3j web3j, PoolClient pool, TransactionSender sender) {
    this.web3j = web3j;
    this.pool = pool;
    this.sender = sender;
  }

  public static PoolAccess off() {
    return new PoolAccess(null, null, null);
  }

  /** The pool, when its address is configured. */
  public Optional<PoolClient> pool() {
    return Optional.ofNullable(pool);
  }

  /** Whether a pool oracle key is configured. */
  public boolean keyConfigured() {
    return sender != null;
  }

  /**
   * The key's sender once the pool confirmed the key is its oracle; empty without a key, with a key
   * that is not the oracle, or while the pool cannot be asked.
   */
  public Optional<TransactionSender> sender() {
    if (sender == null) {
      return Optional.empty();
    }
    Boolean known = keyIsOracle;
    if (known == null) {
      try {
        String oracle = pool.oracle();
        known = oracle.equals(sender.address());
        keyIsOracle = known;
        if (!known) {
          problem =
              "the configured pool oracle key is "
                  + sender.address()
                  + " but the pool's oracle is "
                  + oracle
                  + ": nothing is sent, what should be is recorded";
          log.error("Yield pool: {}", problem);
        } else {
          problem = null;
        }
      } catch (PoolReadException e) {
        problem = "cannot check the pool's oracle: " + e.getMessage();
        return Optional.empty();
      }
    }
    return known ? Optional.of(sender) : Optional.empty();
  }

  /** Why a configured key is not used, if it is not. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  @Override
  public void close() {
    if (web3j != null) {
      web3j.shutdown();
    }
  }
}
