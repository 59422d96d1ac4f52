package com.reservebtc.yield.pool;

import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.txsender.Call;
import com.reservebtc.txsender.RpcEndpoint;
import java.math.BigInteger;
import java.util.Locale;
import org.web3j.protocol.Web3j;
import org.web3j.tuples.generated.Tuple7;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The YieldScalesPool as this service sees it: {@code eth_call} reads and the call data of the
 * calls it makes. web3j types stop here. Does not send anything: transactions go through the pool
 * oracle key's {@link com.reservebtc.txsender.TransactionSender}.
 */
public final class PoolClient {

  private final RpcEndpoint endpoint;
  private final String address;
  private final YieldScalesPool contract;

  PoolClient(Web3j web3j, RpcEndpoint endpoint, String address) {
    this.endpoint = endpoint;
    this.address = address.toLowerCase(Locale.ROOT);
    this.contract =
        YieldScalesPool.load(
            this.address,
            web3j,
            new ReadonlyTransactionManager(web3j, this.address),
            new DefaultGasProvider());
  }

  /** The pool's address, lower case. */
  public String address() {
    return address;
  }

  /** The only address the pool accepts oracle calls from. */
  String oracle() throws PoolReadException {
    try {
      return contract.oracle().send().toLowerCase(Locale.ROOT);
    } catch (Exception e) {
      throw failed("oracle()", e);
    }
  }

  PoolPosition position(String user) throws PoolReadException {
    try {
      Tuple7<Boolean, BigInteger, BigInteger, BigInteger, BigInteger, BigInteger, BigInteger> p =
          contract.participants(user).send();
      return new PoolPosition(p.component1(), p.component2().intValueExact(), p.component3());
    } catch (Exception e) {
      throw failed("participants(" + user + ")", e);
    }
  }

  /** {@code joinAsBitcoinHolder(user)}. */
  public Call join(String user) {
    return call(contract.joinAsBitcoinHolder(user).encodeFunctionCall());
  }

  Call call(PoolCall call) {
    if (call instanceof PoolCall.Update update) {
      return call(
          contract
              .updateRBTCContribution(update.user(), BigInteger.valueOf(update.amount()))
              .encodeFunctionCall());
    }
    PoolCall.EmergencyBurn burn = (PoolCall.EmergencyBurn) call;
    return call(contract.emergencyBurn(burn.user(), burn.amount()).encodeFunctionCall());
  }

  private Call call(String data) {
    return new Call(address, BigInteger.ZERO, data);
  }

  private PoolReadException failed(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new PoolReadException(
        "reading "
            + what
            + " of the pool at "
            + endpoint
            + " failed: "
            + endpoint.scrub(e.getMessage()),
        e);
  }
}
