package com.reservebtc.oracle.binding;

import com.reservebtc.oracle.OracleProperties;
import com.reservebtc.oracle.chain.AggregatorClient;
import com.reservebtc.oracle.chain.ChainProperties;
import com.reservebtc.oracle.ownership.VerifiedOwnership;
import com.reservebtc.txsender.Call;
import com.reservebtc.txsender.SenderException;
import com.reservebtc.txsender.SentTx;
import com.reservebtc.txsender.TransactionSender;
import com.reservebtc.txsender.TxOutcome;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * DEV CONVENIENCE, off unless {@code rbtc.oracle.registration-prepay-wei} is positive: after a new
 * binding, the committee calls {@code registerAndPrepay(user, method, checksum)} with that value,
 * so a local user has fees to pay for syncs without funding their fee vault themselves.
 *
 * <p>Never fails a binding: a prepay that cannot be sent or reverts is logged and the binding
 * stands. The checksum is SHA-256 over {@code eth \n btc \n message}; the contract only records it.
 */
@Component
class RegistrationPrepay {

  private static final Logger log = LoggerFactory.getLogger(RegistrationPrepay.class);

  private final BigInteger prepayWei;
  private final AggregatorClient aggregator;
  private final TransactionSender sender;

  /** Anvil's chain id: the only chain on which the committee gives fees away. */
  static final long LOCAL_DEV_CHAIN_ID = 31337;

  RegistrationPrepay(
      OracleProperties properties,
      ChainProperties chain,
      AggregatorClient aggregator,
      TransactionSender sender) {
    this.prepayWei = properties.registrationPrepayWei();
    this.aggregator = aggregator;
    this.sender = sender;
    if (prepayWei.signum() > 0 && chain.id() != LOCAL_DEV_CHAIN_ID) {
      throw new IllegalStateException(
          "rbtc.oracle.registration-prepay-wei (RBTC_ORACLE_REGISTRATION_PREPAY_WEI) pays fees"
              + " from the committee for every new binding; it is a local-development convenience"
              + " and is refused on chain "
              + chain.id()
              + " (only the local dev chain "
              + LOCAL_DEV_CHAIN_ID
              + "): set it to 0");
    }
    if (prepayWei.signum() > 0) {
      log.warn(
          "Registration prepay is ON ({} wei per new binding from the committee): a dev"
              + " convenience, not for production",
          prepayWei);
    }
  }

  /**
   * @return the prepay transaction hash, or {@code null} when the prepay is off or failed
   */
  String afterNewBinding(VerifiedOwnership ownership) {
    if (prepayWei.signum() == 0) {
      return null;
    }
    String data =
        aggregator.encodeRegisterAndPrepay(
            ownership.ethAddress(), ownership.scheme().methodId(), checksum(ownership));
    try {
      SentTx tx = sender.send(new Call(aggregator.address(), prepayWei, data), signed -> {});
      TxOutcome outcome = sender.await(tx, replacement -> {});
      if (outcome instanceof TxOutcome.Pending) {
        log.warn("Prepay {} for {} was not mined in time", tx.hash(), ownership.ethAddress());
        return tx.hash();
      }
      if (!(outcome instanceof TxOutcome.Mined mined)) {
        log.warn(
            "Prepay {} for {} will not be mined: {}",
            tx.hash(),
            ownership.ethAddress(),
            ((TxOutcome.Dropped) outcome).reason());
        return null;
      }
      if (!mined.receipt().success()) {
        log.warn("Prepay {} for {} reverted", mined.receipt().hash(), ownership.ethAddress());
        return null;
      }
      log.info(
          "Prepaid {} wei of sync fees for {} in {}",
          prepayWei,
          ownership.ethAddress(),
          mined.receipt().hash());
      return mined.receipt().hash();
    } catch (SenderException e) {
      log.warn("Prepay for {} failed ({}): {}", ownership.ethAddress(), e.kind(), e.getMessage());
      return null;
    }
  }

  private static byte[] checksum(VerifiedOwnership ownership) {
    String text =
        ownership.ethAddress() + "\n" + ownership.btcAddress().text() + "\n" + ownership.message();
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
