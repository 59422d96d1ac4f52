package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Transactions users send from their own wallets (fee deposits, withdrawals, wrBTC, disputes,
 * claims), signed here and sent without waiting for a receipt: a reverted or reorged-away one only
 * means fewer logs, and the verification reads what the chain holds. The nonce is the node's
 * pending count, so a transaction lost in a reorg is simply not there.
 */
final class UserTransactions {

  private static final BigInteger GAS_LIMIT = BigInteger.valueOf(400_000);
  private static final BigInteger MAX_FEE = BigInteger.valueOf(30_000_000_000L);
  private static final BigInteger TIP = BigInteger.valueOf(1_000_000_000L);

  private final AnvilControl anvil;
  private final long chainId;

  UserTransactions(AnvilControl anvil, long chainId) {
    this.anvil = anvil;
    this.chainId = chainId;
  }

  /** Signs and sends a call; the node's refusal, if any, is returned. */
  Optional<String> send(
      Credentials from, String to, BigInteger value, String name, Type<?>... args) {
    String data = FunctionEncoder.encode(new Function(name, List.of(args), List.of()));
    long nonce = anvil.transactionCount(from.getAddress(), "pending");
    RawTransaction tx =
        RawTransaction.createTransaction(
            chainId, BigInteger.valueOf(nonce), GAS_LIMIT, to, value, data, TIP, MAX_FEE);
    byte[] signed = TransactionEncoder.signMessage(tx, chainId, from);
    return anvil.sendRaw(Numeric.toHexString(signed));
  }
}
