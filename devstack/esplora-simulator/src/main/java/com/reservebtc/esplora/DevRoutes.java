package com.reservebtc.esplora;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The dev controls over HTTP. JSON in, JSON out; bad input is a 400 with {@code {"error": "..."}}
 * and changes nothing.
 *
 * <ul>
 *   <li>{@code POST /dev/fund {"address":a,"sats":n}} or {@code {"outputs":[{"address":a,"sats":n},
 *       ...]}} → {@code {"txid":..}}: a mempool transaction paying from an unlimited faucet.
 *   <li>{@code POST /dev/spend {"address":a,"sats":n,"to":optional,"feeSats":optional}} → {@code
 *       {"txid":..}}: spends a's confirmed outputs, largest first, to {@code to} (default: an
 *       unspendable sink address) with change back to a.
 *   <li>{@code POST /dev/mine {"blocks":n=1,"address":optional}} → {@code {"height":h,"hash":..}}:
 *       the first block confirms the whole mempool; coinbases pay {@code address} if given.
 *   <li>{@code POST /dev/reorg {"depth":d,"newBlocks":m=d+1,"dropTxids":[..],"keepInMempool":false,
 *       "address":optional}} → {@code {"oldTip","newTip","orphaned","dropped"}}.
 *   <li>{@code POST /dev/faults {"mode":..,"delayMs":n,"pathPrefix":..,"remaining":n}} and {@code
 *       GET /dev/faults} → the active rule.
 *   <li>{@code GET /dev/state} → tip, mempool size, address count and the active fault.
 * </ul>
 */
final class DevRoutes {
  private static final Set<String> FUND_FIELDS = Set.of("address", "sats", "outputs");
  private static final Set<String> OUTPUT_FIELDS = Set.of("address", "sats");
  private static final Set<String> SPEND_FIELDS = Set.of("address", "sats", "to", "feeSats");
  private static final Set<String> MINE_FIELDS = Set.of("blocks", "address");
  private static final Set<String> REORG_FIELDS =
      Set.of("depth", "newBlocks", "dropTxids", "keepInMempool", "address");
  private static final Set<String> FAULT_FIELDS =
      Set.of("mode", "delayMs", "pathPrefix", "remaining");

  private final DevControls controls;

  DevRoutes(DevControls controls) {
    this.controls = controls;
  }

  HttpResponse handle(String method, String path, byte[] body) {
    return switch (path) {
      case "/dev/fund" -> post(method, () -> txid(fund(DevJson.parse(body, FUND_FIELDS))));
      case "/dev/spend" -> post(method, () -> txid(spend(DevJson.parse(body, SPEND_FIELDS))));
      case "/dev/mine" -> post(method, () -> mine(DevJson.parse(body, MINE_FIELDS)));
      case "/dev/reorg" -> post(method, () -> reorg(DevJson.parse(body, REORG_FIELDS)));
      case "/dev/faults" ->
          "GET".equals(method)
              ? HttpResponse.json(200, controls.fault())
              : post(method, () -> faults(DevJson.parse(body, FAULT_FIELDS)));
      case "/dev/state" ->
          "GET".equals(method)
              ? HttpResponse.json(200, controls.state())
              : HttpResponse.jsonError(405, "use GET for " + path);
      default -> HttpResponse.jsonError(404, "unknown dev control " + path);
    };
  }

  private String fund(DevJson json) {
    List<DevControls.Payment> payments = new ArrayList<>();
    if (json.has("outputs")) {
      if (json.has("address") || json.has("sats")) {
        throw new RejectedRequestException("give either address and sats, or outputs, not both");
      }
      for (DevJson output : json.optionalObjectList("outputs", OUTPUT_FIELDS)) {
        payments.add(
            new DevControls.Payment(output.requireString("address"), output.requireLong("sats")));
      }
    } else {
      payments.add(
          new DevControls.Payment(json.requireString("address"), json.requireLong("sats")));
    }
    return controls.fund(payments);
  }

  private String spend(DevJson json) {
    return controls.spend(
        json.requireString("address"),
        json.requireLong("sats"),
        json.optionalString("to"),
        json.optionalLong("feeSats", 0));
  }

  private Map<String, Object> mine(DevJson json) {
    BlockRef tip = controls.mine(json.optionalInt("blocks", 1), json.optionalString("address"));
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("height", tip.height());
    response.put("hash", tip.hash());
    return response;
  }

  private ReorgResult reorg(DevJson json) {
    if (!json.has("depth")) {
      throw new RejectedRequestException("depth is required");
    }
    return controls.reorg(
        json.optionalInt("depth", 0),
        json.has("newBlocks") ? json.optionalInt("newBlocks", 0) : null,
        json.optionalStringList("dropTxids"),
        json.optionalBoolean("keepInMempool", false),
        json.optionalString("address"));
  }

  private FaultRule faults(DevJson json) {
    FaultMode mode = FaultMode.parse(json.requireString("mode"));
    long defaultDelay = mode == FaultMode.TIMEOUT ? FaultRule.DEFAULT_TIMEOUT_DELAY_MS : 0;
    Long remaining = json.has("remaining") ? json.optionalLong("remaining", 0) : null;
    return controls.setFault(
        new FaultRule(
            mode,
            json.optionalLong("delayMs", defaultDelay),
            json.optionalString("pathPrefix"),
            remaining));
  }

  private static Map<String, String> txid(String txid) {
    return Map.of("txid", txid);
  }

  private static HttpResponse post(String method, Supplier<Object> action) {
    if (!"POST".equals(method)) {
      return HttpResponse.jsonError(405, "use POST");
    }
    return HttpResponse.json(200, action.get());
  }
}
