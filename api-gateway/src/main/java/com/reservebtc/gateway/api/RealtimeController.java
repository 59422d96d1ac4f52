package com.reservebtc.gateway.api;

import com.reservebtc.gateway.ContractProperties;
import com.reservebtc.gateway.GatewayProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The {@code /api/realtime} read endpoints of the frontend contract, served from the projections.
 * Every address parameter is validated and lowercased; a malformed one is a 400, never a 200 with
 * zeros. A well-formed address the chain has never seen is answered with its true state: zero
 * balances and empty lists.
 */
@RestController
@RequestMapping(path = "/api/realtime", produces = "application/json")
@Tag(name = "realtime", description = "Read API of the ReserveBTC frontend")
@ApiResponse(
    responseCode = "400",
    description = "Malformed address, limit or offset",
    content = @Content(schema = @Schema(implementation = ApiError.class)))
class RealtimeController {

  /** Oracle states after which the address is not considered in sync. */
  private static final Set<String> UNSETTLED_OPERATIONS =
      Set.of(
          "PLANNED",
          "SUBMITTED",
          "SPLIT",
          "REVERTED",
          "FAILED",
          "NEEDS_TOP_UP",
          "SOURCE_DISAGREEMENT");

  private final ReadModel readModel;
  private final Clock clock;
  private final GatewayProperties properties;
  private final ContractProperties contracts;

  RealtimeController(
      ReadModel readModel,
      Clock clock,
      GatewayProperties properties,
      ContractProperties contracts) {
    this.readModel = readModel;
    this.clock = clock;
    this.properties = properties;
    this.contracts = contracts;
  }

  @GetMapping("/balances")
  @Operation(summary = "rBTC, wrBTC and fee-vault balances of an address")
  Mono<ResponsesJson.Balances> balances(
      @Parameter(description = "EVM address, 0x + 40 hex digits") @RequestParam(required = false)
          String address) {
    EthAddress user = EthAddress.parseParameter(address);
    return readModel
        .balances(user.value())
        .map(
            b ->
                new ResponsesJson.Balances(
                    user.value(),
                    b.rbtcSats(),
                    b.wrbtc().toString(),
                    Long.toString(b.rbtcSats()),
                    b.rbtcSats(),
                    Timestamps.local(b.rbtcBlockTimestamp()),
                    b.rbtcBlockNumber(),
                    b.feeVaultWei().toString()));
  }

  @GetMapping("/transactions")
  @Operation(summary = "Transactions of an address, newest first")
  Mono<List<TransactionJson>> transactions(
      @Parameter(description = "EVM address, 0x + 40 hex digits") @RequestParam(required = false)
          String address,
      @Parameter(description = "1 to 500, default 50") @RequestParam(required = false) String limit,
      @Parameter(description = "at least 0, default 0") @RequestParam(required = false)
          String offset) {
    EthAddress user = EthAddress.parseParameter(address);
    PageRequest page = PageRequest.parse(limit, offset);
    return readModel
        .transactions(user.value(), page)
        .map(row -> TransactionJson.of(row, user.value()))
        .collectList();
  }

  @GetMapping("/sync-status")
  @Operation(summary = "How fresh the oracle's view of an address is")
  Mono<ResponsesJson.SyncStatus> syncStatus(@RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    return readModel.syncState(user.value()).map(this::syncStatus);
  }

  private ResponsesJson.SyncStatus syncStatus(ReadModel.SyncState s) {
    Instant lastSync = later(s.lastConfirmedAt(), s.lastSyncedBlockAt());
    Instant now = clock.instant();
    Long age = lastSync == null ? null : Math.max(0, Duration.between(lastSync, now).toMillis());
    boolean recent = age != null && age <= properties.syncStatus().recentWindow().toMillis();
    boolean settled = s.lastStatus() == null || !UNSETTLED_OPERATIONS.contains(s.lastStatus());
    OracleOperationJson lastOperation =
        s.lastOperationId() == null
            ? null
            : new OracleOperationJson(
                s.lastOperationId(),
                s.lastStatus(),
                Timestamps.zulu(s.lastOperationAt()),
                s.lastTxHash(),
                s.lastDetail());
    return new ResponsesJson.SyncStatus(
        lastSync != null && settled,
        Timestamps.local(lastSync),
        age,
        recent,
        recent ? "recent" : "stale",
        s.registered(),
        lastOperation);
  }

  @GetMapping("/bitcoin-addresses")
  @Operation(summary = "Verified Bitcoin addresses bound to an address")
  Mono<ResponsesJson.BitcoinAddresses> bitcoinAddresses(
      @RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    return readModel
        .bitcoinAddresses(user.value())
        .collectList()
        .map(
            list ->
                new ResponsesJson.BitcoinAddresses(
                    user.value(), list, list.size(), Timestamps.zulu(clock.instant())));
  }

  @GetMapping("/emergency-burns")
  @Operation(summary = "Emergency burns of an address and the system-wide count")
  Mono<ResponsesJson.EmergencyBurns> emergencyBurns(
      @RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    Mono<List<ResponsesJson.UserBurn>> burns =
        readModel.emergencyBurns(user.value()).map(RealtimeController::userBurn).collectList();
    Mono<List<TransactionJson>> flagged =
        readModel
            .emergencyTransactions(user.value())
            .map(row -> TransactionJson.of(row, user.value()))
            .collectList();
    return Mono.zip(burns, flagged, readModel.systemEmergencyBurnCount())
        .map(
            t ->
                new ResponsesJson.EmergencyBurns(
                    true,
                    new ResponsesJson.EmergencyBurnsData(
                        t.getT1(), t.getT2(), t.getT3(), !t.getT1().isEmpty()),
                    Timestamps.zulu(clock.instant())));
  }

  private static ResponsesJson.UserBurn userBurn(TransactionRow row) {
    return new ResponsesJson.UserBurn(
        row.txHash(),
        row.blockNumber(),
        Timestamps.local(row.blockTimestamp()),
        row.userAddress(),
        row.amount().toString(),
        row.reason(),
        row.source(),
        row.finality().status(),
        row.finality().name());
  }

  @GetMapping("/yield-status")
  @Operation(
      summary = "Yield participation of an address",
      description =
          "Participation is not projected yet: isParticipant is false and systemStats count no"
              + " participants. currentBalance is the address's rBTC balance in sats.")
  Mono<ResponsesJson.YieldStatus> yieldStatus(@RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    return readModel
        .balances(user.value())
        .map(
            b ->
                new ResponsesJson.YieldStatus(
                    false,
                    b.rbtcSats() > 0,
                    null,
                    b.rbtcSats(),
                    new ResponsesJson.YieldSystemStats(0, 0, 0, 0, 0, 0),
                    contracts.yieldPoolOrNull(),
                    Timestamps.zulu(clock.instant())));
  }

  @GetMapping("/disputes")
  @Operation(
      summary = "Balance disputes of an address",
      description = "Disputes are not projected yet; the lists are empty.")
  Mono<ResponsesJson.Disputes> disputes(@RequestParam(required = false) String address) {
    EthAddress.parseParameter(address);
    return Mono.just(
        new ResponsesJson.Disputes(
            true,
            new ResponsesJson.DisputesData(List.of(), false, 0),
            Timestamps.zulu(clock.instant())));
  }

  @GetMapping("/proof-of-reserves")
  @Operation(summary = "Total rBTC outstanding and the oracle's latest reserve attestation")
  Mono<ResponsesJson.ProofOfReserves> proofOfReserves() {
    return Mono.zip(
            readModel.totalRbtcSats(),
            readModel.latestReserveProof().map(List::of).defaultIfEmpty(List.of()))
        .map(
            t -> {
              ResponsesJson.ReserveProof proof = t.getT2().isEmpty() ? null : t.getT2().get(0);
              return new ResponsesJson.ProofOfReserves(
                  true,
                  new ResponsesJson.ProofOfReservesData(
                      proof,
                      new ResponsesJson.ReserveTotals(
                          t.getT1(),
                          proof == null ? null : proof.totalConfirmedSats(),
                          proof == null ? null : proof.backingRatio())),
                  Timestamps.zulu(clock.instant()));
            });
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }
}
