package com.reservebtc.oracle.operations;

import com.reservebtc.schemas.Keys;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/operations?address=0x…&limit=n}: a user's latest operation steps. */
@RestController
@RequestMapping("/api/operations")
class OperationsController {

  static final int MAX_LIMIT = 500;

  private final OperationsLog operations;

  OperationsController(OperationsLog operations) {
    this.operations = operations;
  }

  @GetMapping
  List<OperationView> latest(
      @RequestParam String address, @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
    return operations.latest(Keys.user(address), limit).stream().map(OperationView::of).toList();
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
