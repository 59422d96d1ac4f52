package com.reservebtc.gateway.api;

import com.reservebtc.gateway.ContractProperties;
import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.cache.ReadCache;
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
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code /api/realtime} read endpoints of the frontend contract, served from the projections.
 * Every address parameter is validated and lowercased; a malformed one is a 400, never a 200 with
 * zeros. A well-formed address the chain has never seen is answered with its true state: zero
 * balances and empty lists. Read-model results are served through the {@link ReadCache}, which the
 * projections invalidate when they commit a change; response timestamps and ages are computed per
 * request.
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

  /** Alerts listed by /emergency-burns. */
  static final int RECENT_ALERTS = 20;

  private final ReadModel readModel;
  private final ReadCache cache;
  private final Clock clock;
  private final GatewayProperties properties;
  private final ContractProperties contracts;
  private final JsonMapper json;

  RealtimeController(
      ReadModel readModel,
      ReadCache cache,
      Clock clock,
      GatewayProperties properties,
      ContractProperties contracts,
      JsonMapper json) {
    this.readModel = readModel;
    this.cache = cache;
    this.clock = clock;
    this.properties = properties;
    this.contracts = contracts;
    this.json = json;
  }

  @GetMapping("/balances")
  @Operation(summary = "rBTC, wrBTC and fee-vault balances of an address")
  Mono<ResponsesJson.Balances> balances(
      @Parameter(description = "EVM address, 0x + 40 hex digits") @RequestParam(required = false)
          String address) {
    EthAddress user = EthAddress.parseParameter(address);
    return balanceState(user.value())
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
    return cache.get(
        user.value(),
        "transactions:" + page.limit() + ":" + page.offset(),
        () ->
            readModel
                .transactions(user.value(), page)
                .map(row -> TransactionJson.of(row, user.value()))
                .collectList());
  }

  private Mono<ReadModel.BalanceState> balanceState(String user) {
    return cache.get(user, "balances", () -> readModel.balances(user));
  }

  @GetMapping("/sync-status")
  @Operation(summary = "How fresh the oracle's view of an address is")
  Mono<ResponsesJson.SyncStatus> syncStatus(@RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    return cache
        .get(user.value(), "sync-status", () -> readModel.syncState(user.value()))
        .map(this::syncStatus);
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
        lastOperation,
        s.lastVerifiedAt() == null ? null : Timestamps.zulu(s.lastVerifiedAt()),
        s.verifiedHeight(),
        s.verifiedSats());
  }

  @GetMapping("/bitcoin-addresses")
  @Operation(summary = "Verified Bitcoin addresses bound to an address")
  Mono<ResponsesJson.BitcoinAddresses> bitcoinAddresses(
      @RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    return cache
        .get(
            user.value(),
            "bitcoin-addresses",
            () -> readModel.bitcoinAddresses(user.value()).collectList())
        .map(
            list ->
                new ResponsesJson.BitcoinAddresses(
                    user.value(), list, list.size(), Timestamps.zulu(clock.instant())));
  }

  @GetMapping("/emergency-burns")
  @Operation(
      summary = "Emergency burns of an address, its burn risk and the system-wide count",
      description =
          "atRisk, riskAlert and recentAlerts come from the emergency-burn service's alerts:"
              + " atRisk means the fee vault cannot pay a downward sync, so the next decrease of"
              + " the Bitcoin balance burns the whole rBTC balance.")
  Mono<ResponsesJson.EmergencyBurns> emergencyBurns(
      @RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    String u = user.value();
    Mono<UserEmergency> perUser =
        cache.get(
            u,
            "emergency-burns",
            () ->
                Mono.zip(
                        readModel.emergencyBurns(u).map(RealtimeController::userBurn).collectList(),
                        readModel
                            .emergencyTransactions(u)
                            .map(row -> TransactionJson.of(row, u))
                            .collectList(),
                        readModel.risk(u),
                        readModel.recentAlerts(u, RECENT_ALERTS))
                    .map(t -> new UserEmergency(t.getT1(), t.getT2(), t.getT3(), t.getT4())));
    Mono<Long> systemBurns =
        cache.get(ReadCache.GLOBAL, "emergency-burns", readModel::systemEmergencyBurnCount);
    return Mono.zip(perUser, systemBurns)
        .map(
            t -> {
              UserEmergency e = t.getT1();
              return new ResponsesJson.EmergencyBurns(
                  true,
                  new ResponsesJson.EmergencyBurnsData(
                      e.burns(),
                      e.flagged(),
                      t.getT2(),
                      !e.burns().isEmpty(),
                      e.risk().map(ReadModel.RiskState::atRisk).orElse(false),
                      e.risk().map(ReadModel.RiskState::alert).orElse(null),
                      e.alerts()),
                  Timestamps.zulu(clock.instant()));
            });
  }

  private record UserEmergency(
      List<ResponsesJson.UserBurn> burns,
      List<TransactionJson> flagged,
      Optional<ReadModel.RiskState> risk,
      List<AlertJson> alerts) {}

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
          "From the yield service's participant states: isParticipant means joined the"
              + " YieldScalesPool on chain; systemStats count those participants, tiers by time"
              + " since joining as of now. currentBalance is the address's rBTC balance in sats.")
  Mono<ResponsesJson.YieldStatus> yieldStatus(@RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    String u = user.value();
    Mono<Optional<ReadModel.ParticipantState>> participant =
        cache.get(u, "yield-participant", () -> readModel.participant(u));
    Mono<ResponsesJson.YieldSystemStats> stats =
        cache.get(ReadCache.GLOBAL, "yield-stats", () -> readModel.yieldStats(clock.instant()));
    return Mono.zip(balanceState(u), participant, stats)
        .map(
            t -> {
              Instant now = clock.instant();
              Optional<ReadModel.ParticipantState> state = t.getT2();
              boolean participating =
                  state.map(ReadModel.ParticipantState::registeredOnChain).orElse(false);
              return new ResponsesJson.YieldStatus(
                  participating,
                  state.map(ReadModel.ParticipantState::eligible).orElse(t.getT1().rbtcSats() > 0),
                  participating ? state.get().json(now) : null,
                  t.getT1().rbtcSats(),
                  t.getT3(),
                  contracts.yieldPoolOrNull(),
                  Timestamps.zulu(now));
            });
  }

  @GetMapping("/disputes")
  @Operation(
      summary = "Balance disputes of an address",
      description =
          "YieldScalesPool BalanceDisputed logs of the address, newest first. Disputes are raised"
              + " on chain: the user's wallet calls disputeBalance(reportedBalance, oracleBalance)"
              + " on the YieldScalesPool; the gateway only indexes them and has no write path for"
              + " them. The newest dispute is open (the pool keeps one per user); its resolution"
              + " by the oracle emits no log, so it is not visible here.")
  Mono<ResponsesJson.Disputes> disputes(@RequestParam(required = false) String address) {
    EthAddress user = EthAddress.parseParameter(address);
    String u = user.value();
    return Mono.zip(
            cache.get(u, "disputes", () -> readModel.disputes(u)),
            cache.get(ReadCache.GLOBAL, "disputes", readModel::disputeCount))
        .map(
            t ->
                new ResponsesJson.Disputes(
                    true,
                    new ResponsesJson.DisputesData(
                        t.getT1(),
                        t.getT1().stream().anyMatch(d -> "open".equals(d.status())),
                        t.getT1().size(),
                        t.getT2()),
                    Timestamps.zulu(clock.instant())));
  }

  @PostMapping(path = "/disputes")
  @Operation(
      summary = "Prepare a balance dispute for the participant's wallet",
      description =
          "The YieldScalesPool accepts disputeBalance(reportedBalance, oracleBalance) only from"
              + " the participant's own address, so the gateway cannot send it: it validates the"
              + " request and answers the call (to, data, value) for the wallet to sign and send"
              + " (eth_sendTransaction). The dispute appears in GET /disputes once its"
              + " BalanceDisputed log is indexed. Body: {\"address\": \"0x…\","
              + " \"reportedBalance\": \"sats\", \"oracleBalance\": \"sats\"}.")
  @ApiResponse(responseCode = "200", description = "The call to send from the participant's wallet")
  @ApiResponse(
      responseCode = "409",
      description = "The address has not joined the pool on chain (the pool would revert)",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(
      responseCode = "503",
      description = "No YieldScalesPool is configured (rbtc.contracts.yield-pool)",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  Mono<ResponsesJson.DisputeSubmission> submitDispute(
      @RequestHeader(name = "Content-Type", required = false) String contentType,
      @RequestBody(required = false) String body) {
    if (contentType == null
        || !MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType))) {
      return Mono.error(ApiException.notJson());
    }
    String pool = contracts.yieldPoolOrNull();
    if (pool == null) {
      return Mono.error(
          new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "yield_pool_not_deployed",
              "no YieldScalesPool is configured for this deployment (rbtc.contracts.yield-pool)"));
    }
    DisputeCall call;
    try {
      call = DisputeCall.of(body == null || body.isBlank() ? null : json.readTree(body));
    } catch (JacksonException e) {
      return Mono.error(
          new BadRequestException(
              "invalid_json", "the request body is not valid JSON: " + e.getOriginalMessage()));
    }
    String user = call.address().value();
    return readModel
        .participant(user)
        .map(
            participant -> {
              if (participant.isEmpty() || !participant.get().registeredOnChain()) {
                throw new ApiException(
                    HttpStatus.CONFLICT,
                    "not_a_participant",
                    user
                        + " has not joined the YieldScalesPool on chain; the pool accepts"
                        + " disputes from participants only");
              }
              return new ResponsesJson.DisputeSubmission(
                  true,
                  new ResponsesJson.DisputeSubmissionData(
                      new ResponsesJson.WalletCall(user, pool, call.callData(), "0x0"),
                      call.reportedBalance().toString(),
                      call.oracleBalance().toString(),
                      "Send this call from "
                          + user
                          + " with your wallet (eth_sendTransaction); the dispute appears in"
                          + " GET /api/realtime/disputes once it is mined and indexed."),
                  Timestamps.zulu(clock.instant()));
            });
  }

  @GetMapping("/proof-of-reserves")
  @Operation(summary = "Total rBTC outstanding and the oracle's latest reserve attestation")
  Mono<ResponsesJson.ProofOfReserves> proofOfReserves() {
    return Mono.zip(
            cache.get(ReadCache.GLOBAL, "total-rbtc", readModel::totalRbtcSats),
            cache.get(
                ReadCache.GLOBAL,
                "reserve-proof",
                () -> readModel.latestReserveProof().map(List::of).defaultIfEmpty(List.of())))
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
