package com.reservebtc.oracle.ownership;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message a user signs with their Bitcoin key to bind the address to an EVM address:
 *
 * <pre>
 * ReserveBTC Wallet Verification
 * Timestamp: &lt;unix seconds&gt;
 * MegaETH Address: &lt;0x… address&gt;
 * I confirm ownership of this Bitcoin address for use with ReserveBTC protocol.
 * </pre>
 *
 * <p>Guarantees: {@link #parse} accepts exactly this text with LF line breaks, no extra lines or
 * whitespace, so the signed bytes are unambiguous. The EVM address may be written in any letter
 * case (wallets often show the checksummed form); {@link #ethAddress()} is lower case. Does not
 * check the signature; see {@link OwnershipVerifier}.
 *
 * @param timestamp the stated time, epoch seconds
 * @param ethAddress the stated EVM address, lower-case 0x hex
 */
public record OwnershipMessage(long timestamp, String ethAddress) {

  /** How old a signed message may be. */
  public static final Duration MAX_AGE = Duration.ofHours(1);

  /** How far ahead of the oracle's clock a message may be dated (clock skew allowance). */
  public static final Duration MAX_FUTURE_SKEW = Duration.ofSeconds(60);

  static final String TITLE = "ReserveBTC Wallet Verification";
  static final String CONFIRMATION =
      "I confirm ownership of this Bitcoin address for use with ReserveBTC protocol.";

  private static final Pattern TIMESTAMP_LINE = Pattern.compile("Timestamp: (0|[1-9][0-9]{0,11})");
  private static final Pattern ADDRESS_LINE =
      Pattern.compile("MegaETH Address: (0x[0-9a-fA-F]{40})");

  /** The exact text to sign for {@code ethAddress} at {@code timestamp}. */
  public static String format(long timestamp, String ethAddress) {
    return TITLE
        + "\nTimestamp: "
        + timestamp
        + "\nMegaETH Address: "
        + ethAddress
        + "\n"
        + CONFIRMATION;
  }

  /**
   * Parses a message that must be exactly the template.
   *
   * @throws OwnershipRejectedException with {@link Reason#INVALID_MESSAGE} naming the first line
   *     that differs
   */
  public static OwnershipMessage parse(String text) {
    if (text == null || text.isEmpty()) {
      throw invalid("message is empty");
    }
    if (text.indexOf('\r') >= 0) {
      throw invalid("message must use LF line breaks, not CRLF");
    }
    String[] lines = text.split("\n", -1);
    if (lines.length != 4) {
      throw invalid("message must have exactly 4 lines without a trailing line break");
    }
    if (!TITLE.equals(lines[0])) {
      throw invalid("line 1 must be '" + TITLE + "'");
    }
    Matcher timestamp = TIMESTAMP_LINE.matcher(lines[1]);
    if (!timestamp.matches()) {
      throw invalid("line 2 must be 'Timestamp: <unix seconds>'");
    }
    Matcher address = ADDRESS_LINE.matcher(lines[2]);
    if (!address.matches()) {
      throw invalid("line 3 must be 'MegaETH Address: <0x followed by 40 hex digits>'");
    }
    if (!CONFIRMATION.equals(lines[3])) {
      throw invalid("line 4 must be '" + CONFIRMATION + "'");
    }
    return new OwnershipMessage(
        Long.parseLong(timestamp.group(1)), address.group(1).toLowerCase(Locale.ROOT));
  }

  /**
   * Checks that the message names {@code claimedEthAddress} and is recent at {@code now}.
   *
   * @throws OwnershipRejectedException if it names another address or is too old or too new
   */
  public void requireValidFor(String claimedEthAddress, Instant now) {
    if (!ethAddress.equalsIgnoreCase(claimedEthAddress)) {
      throw new OwnershipRejectedException(
          Reason.ADDRESS_MISMATCH,
          "the signed message names "
              + ethAddress
              + " but the request is for "
              + claimedEthAddress.toLowerCase(Locale.ROOT)
              + "; sign a message naming the address you bind to");
    }
    requireRecent(timestamp, now);
  }

  /**
   * Checks that a message dated {@code timestamp} (epoch seconds) is within [now − {@link
   * #MAX_AGE}, now + {@link #MAX_FUTURE_SKEW}].
   *
   * @throws OwnershipRejectedException with {@link Reason#TIMESTAMP_OUT_OF_WINDOW} otherwise
   */
  static void requireRecent(long timestamp, Instant now) {
    long nowSeconds = now.getEpochSecond();
    if (timestamp < nowSeconds - MAX_AGE.toSeconds()) {
      throw new OwnershipRejectedException(
          Reason.TIMESTAMP_OUT_OF_WINDOW,
          "the signed message is dated "
              + timestamp
              + ", more than one hour ago (now "
              + nowSeconds
              + "); sign a fresh message");
    }
    if (timestamp > nowSeconds + MAX_FUTURE_SKEW.toSeconds()) {
      throw new OwnershipRejectedException(
          Reason.TIMESTAMP_OUT_OF_WINDOW,
          "the signed message is dated "
              + timestamp
              + ", more than 60 s in the future (now "
              + nowSeconds
              + "); check the signing device's clock");
    }
  }

  private static OwnershipRejectedException invalid(String detail) {
    return new OwnershipRejectedException(
        Reason.INVALID_MESSAGE, "not the ReserveBTC ownership message: " + detail);
  }
}
