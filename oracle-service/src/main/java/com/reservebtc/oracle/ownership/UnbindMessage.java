package com.reservebtc.oracle.ownership;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message a user signs with the bound Bitcoin key to remove the binding:
 *
 * <pre>
 * ReserveBTC Unbind Request
 * Timestamp: &lt;unix seconds&gt;
 * MegaETH Address: &lt;0x… address the Bitcoin address is bound to&gt;
 * Bitcoin Address: &lt;the Bitcoin address to unbind&gt;
 * I confirm removal of this Bitcoin address from use with ReserveBTC protocol.
 * </pre>
 *
 * <p>Guarantees: {@link #parse} accepts exactly this text with LF line breaks and no trailing line
 * break; the title differs from the binding message, so a binding signature can never be replayed
 * as an unbinding (or the reverse). Naming both addresses ties the request to one binding. {@link
 * #requireValidFor} also refuses a request dated before the current binding's own signed message,
 * so an old unbind request cannot remove a later re-binding of the same address (the service also
 * checks it against the address's last change). Does not check the signature: either key may sign
 * (see {@link OwnershipVerifier#verifySignature} and {@link EthSignatureVerifier}).
 *
 * @param timestamp the stated time, epoch seconds
 * @param ethAddress the stated EVM address, lower case
 * @param btcAddress the stated Bitcoin address in canonical form
 */
public record UnbindMessage(long timestamp, String ethAddress, String btcAddress) {

  static final String TITLE = "ReserveBTC Unbind Request";
  static final String CONFIRMATION =
      "I confirm removal of this Bitcoin address from use with ReserveBTC protocol.";

  private static final Pattern TIMESTAMP_LINE = Pattern.compile("Timestamp: (0|[1-9][0-9]{0,11})");
  private static final Pattern ETH_LINE = Pattern.compile("MegaETH Address: (0x[0-9a-fA-F]{40})");
  private static final Pattern BTC_LINE = Pattern.compile("Bitcoin Address: ([0-9A-Za-z]{14,90})");

  /** The exact text to sign to unbind {@code btcAddress} from {@code ethAddress}. */
  public static String format(long timestamp, String ethAddress, String btcAddress) {
    return TITLE
        + "\nTimestamp: "
        + timestamp
        + "\nMegaETH Address: "
        + ethAddress
        + "\nBitcoin Address: "
        + btcAddress
        + "\n"
        + CONFIRMATION;
  }

  /**
   * Parses a message that must be exactly the template, with a Bitcoin address of {@code network}.
   *
   * @throws OwnershipRejectedException {@link Reason#INVALID_MESSAGE} naming the first line that
   *     differs, or {@link Reason#INVALID_BTC_ADDRESS}
   */
  public static UnbindMessage parse(String text, BtcNetwork network) {
    if (text == null || text.isEmpty()) {
      throw invalid("message is empty");
    }
    if (text.indexOf('\r') >= 0) {
      throw invalid("message must use LF line breaks, not CRLF");
    }
    String[] lines = text.split("\n", -1);
    if (lines.length != 5) {
      throw invalid("message must have exactly 5 lines without a trailing line break");
    }
    if (!TITLE.equals(lines[0])) {
      throw invalid("line 1 must be '" + TITLE + "'");
    }
    Matcher timestamp = TIMESTAMP_LINE.matcher(lines[1]);
    if (!timestamp.matches()) {
      throw invalid("line 2 must be 'Timestamp: <unix seconds>'");
    }
    Matcher eth = ETH_LINE.matcher(lines[2]);
    if (!eth.matches()) {
      throw invalid("line 3 must be 'MegaETH Address: <0x followed by 40 hex digits>'");
    }
    Matcher btc = BTC_LINE.matcher(lines[3]);
    if (!btc.matches()) {
      throw invalid("line 4 must be 'Bitcoin Address: <address>'");
    }
    if (!CONFIRMATION.equals(lines[4])) {
      throw invalid("line 5 must be '" + CONFIRMATION + "'");
    }
    return new UnbindMessage(
        Long.parseLong(timestamp.group(1)),
        eth.group(1).toLowerCase(Locale.ROOT),
        BtcAddress.parse(btc.group(1), network).text());
  }

  /**
   * Checks that the request names exactly this binding and is recent.
   *
   * @param boundEthAddress the EVM address the Bitcoin address is bound to
   * @param boundBtcAddress the canonical Bitcoin address being unbound
   * @param bindingMessageTimestamp the timestamp of the current binding's signed message
   * @throws OwnershipRejectedException {@link Reason#ADDRESS_MISMATCH} or {@link
   *     Reason#TIMESTAMP_OUT_OF_WINDOW}
   */
  public void requireValidFor(
      String boundEthAddress, String boundBtcAddress, long bindingMessageTimestamp, Instant now) {
    if (!btcAddress.equals(boundBtcAddress)) {
      throw new OwnershipRejectedException(
          Reason.ADDRESS_MISMATCH,
          "the signed request names "
              + btcAddress
              + " but the request is to unbind "
              + boundBtcAddress);
    }
    if (!ethAddress.equals(boundEthAddress)) {
      throw new OwnershipRejectedException(
          Reason.ADDRESS_MISMATCH,
          "the signed request names "
              + ethAddress
              + " but "
              + boundBtcAddress
              + " is bound to "
              + boundEthAddress);
    }
    OwnershipMessage.requireRecent(timestamp, now);
    if (timestamp <= bindingMessageTimestamp) {
      throw new OwnershipRejectedException(
          Reason.STALE_REQUEST,
          "the unbind request is dated "
              + timestamp
              + ", not after the current binding was signed ("
              + bindingMessageTimestamp
              + "); sign a fresh request");
    }
  }

  private static OwnershipRejectedException invalid(String detail) {
    return new OwnershipRejectedException(
        Reason.INVALID_MESSAGE, "not the ReserveBTC unbind request: " + detail);
  }
}
