package com.reservebtc.oracle.operations;

import com.reservebtc.schemas.Keys;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/operations?address=0x…&limit=n}: a user's latest operation steps. */
@RestController
@RequestMapping("/api/operations")
class OperationsController {

  static final int MAX_LIMIT = 500;
  private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");

  private final OperationsLog operations;

  OperationsController(OperationsLog operations) {
    this.operations = operations;
  }

  @GetMapping
  List<OperationView> latest(
      @RequestParam String address, @RequestParam(defaultValue = "50") String limit) {
    // Plain ASCII digits only: Spring's number conversion would take "0x10", Java's fullwidth ones.
    if (!LIMIT.matcher(limit).matches()
        || Integer.parseInt(limit) < 1
        || Integer.parseInt(limit) > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be an integer from 1 to " + MAX_LIMIT + ", was '" + shorten(limit) + "'");
    }
    return operations.latest(Keys.user(address), Integer.parseInt(limit)).stream()
        .map(OperationView::of)
        .toList();
  }

  private static String shorten(String text) {
    return text.length() > 32 ? text.substring(0, 32) + "…" : text;
  }

  /** JSON shape: sats as numbers, wei as a decimal string, time as ISO-8601. */
  record OperationView(
      String operationId,
      String ethAddress,
      String status,
      Long previousSats,
      Long targetSats,
      Long deltaSats,
      String feeWei,
      String txHash,
      Long nonce,
      String detail,
      String occurredAt) {

    static OperationView of(Operation o) {
      return new OperationView(
          o.operationId().toString(),
          o.ethAddress(),
          o.status().name(),
          o.previousSats(),
          o.targetSats(),
          o.deltaSats(),
          o.feeWei() == null ? null : o.feeWei().toString(),
          o.txHash(),
          o.nonce(),
          o.detail(),
          o.occurredAt().toString());
    }
  }
}
