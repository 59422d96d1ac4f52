package com.reservebtc.gateway.reserves;

import com.reservebtc.gateway.api.ApiError;
import com.reservebtc.gateway.api.ApiException;
import com.reservebtc.gateway.api.BadRequestException;
import com.reservebtc.gateway.api.EthAddress;
import com.reservebtc.gateway.api.Timestamps;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Proof of reserves for users and observers, beside {@code GET /api/realtime/proof-of-reserves}:
 *
 * <ul>
 *   <li>{@code GET /api/realtime/proof-of-reserves/history?limit=&before=} and {@code
 *       /attestation?sequence=}: every signed attestation the oracle published, from this gateway's
 *       own projection of {@code rbtc.reserves.attestations.v1} — a record the oracle cannot
 *       rewrite; a sequence signed twice is listed twice and named in {@code conflicts}.
 *   <li>{@code GET
 *       /api/realtime/proof-of-reserves/proof?address=&timestamp=&signature=[&sequence=]}: the
 *       caller's leaf, salt and path, forwarded to the oracle-service, which holds the salts and
 *       gives one out only with the address's EIP-191 signature over a fresh proof request
 *       (oracle-service README). Status and JSON body are passed through.
 *   <li>{@code GET /api/realtime/proof-of-reserves/export?sequence=}: the public export (leaf hash
 *       and sum per leaf, nothing else), streamed from the oracle-service.
 * </ul>
 */
@RestController
@Tag(name = "realtime")
class ReservesController {

  static final String BASE = "/api/realtime/proof-of-reserves";
  private static final MediaType JSONL = MediaType.parseMediaType("application/x-ndjson");
  private static final int MAX_LIMIT = 500;

  private final ReserveAttestations attestations;
  private final OracleReserves oracle;
  private final Clock clock;

  ReservesController(ReserveAttestations attestations, OracleReserves oracle, Clock clock) {
    this.attestations = attestations;
    this.oracle = oracle;
    this.clock = clock;
  }

  /**
   * @param conflicts sequences for which more than one different statement was published
   */
  record History(
      boolean success,
      List<ReserveAttestations.AttestationJson> attestations,
      List<Long> conflicts,
      String timestamp) {}

  @GetMapping(path = BASE + "/history", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Every signed proof-of-reserves attestation, newest first",
      description =
          "The oracle's signed statements as this gateway received them from Kafka. Each names"
              + " the SHA-256 of the previous statement; check them offline with `reserves-verifier"
              + " history --signer <published address>`. `conflicts` lists sequences that were"
              + " signed more than once with different contents.")
  Mono<History> history(
      @RequestParam(defaultValue = "100") String limit,
      @RequestParam(required = false) String before) {
    int n = (int) number("limit", limit, 1, MAX_LIMIT);
    long below = before == null ? Long.MAX_VALUE : number("before", before, 1, Long.MAX_VALUE);
    return attestations.history(below, n).map(this::history);
  }

  @GetMapping(path = BASE + "/attestation", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "One signed attestation (the newest without `sequence`)",
      description = "404 no_snapshot when there is none.")
  Mono<History> attestation(@RequestParam(required = false) String sequence) {
    Long seq = sequence == null ? null : number("sequence", sequence, 1, Long.MAX_VALUE);
    return attestations
        .attestation(seq)
        .map(
            list -> {
              if (list.isEmpty()) {
                throw new ApiException(
                    HttpStatus.NOT_FOUND,
                    "no_snapshot",
                    seq == null
                        ? "no signed attestation has been published yet"
                        : "no attestation " + seq + " has been published");
              }
              return history(list);
            });
  }

  @GetMapping(path = BASE + "/proof", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Your leaf, salt and inclusion path in a signed snapshot",
      description =
          "Sign `ReserveBTC Proof of Reserves Request\\nTimestamp: <unix seconds>\\nMegaETH"
              + " Address: <your address, lower case>` with the address (EIP-191 personal_sign)"
              + " and send address, timestamp and signature. Forwarded to the oracle-service; its"
              + " answer is passed through: 200 {attestation, leaf, path}, 401 signature_required /"
              + " invalid_eth_signature / timestamp_out_of_window, 404 no_leaf / no_snapshot, 410"
              + " leaves_pruned. Save the body and run `reserves-verifier proof`.")
  @ApiResponse(responseCode = "200", description = "The proof (the oracle's answer)")
  @ApiResponse(
      responseCode = "401",
      description = "Missing, stale or foreign signature",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  Mono<ResponseEntity<byte[]>> proof(
      @RequestParam(required = false) String address,
      @RequestParam(required = false) String timestamp,
      @RequestParam(required = false) String signature,
      @RequestParam(required = false) String sequence) {
    EthAddress user = EthAddress.parseParameter(address);
    Long seq = sequence == null ? null : number("sequence", sequence, 1, Long.MAX_VALUE);
    return oracle
        .proof(user.value(), timestamp, signature, seq)
        .map(
            answer -> {
              if (answer.contentType() == null
                  || !MediaType.APPLICATION_JSON.isCompatibleWith(answer.contentType())) {
                throw new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    "oracle_bad_response",
                    "the oracle-service answered "
                        + answer.status().value()
                        + " without a JSON body");
              }
              return ResponseEntity.status(answer.status())
                  .contentType(MediaType.APPLICATION_JSON)
                  .body(answer.body());
            });
  }

  @GetMapping(path = BASE + "/export")
  @Operation(
      summary = "The public export of a snapshot: one {index, leafHash, sum} per line",
      description =
          "Only what the Merkle-sum tree needs: no address, salt or binding. Check it with"
              + " `reserves-verifier export --attestation <its attestation>`.")
  Mono<ResponseEntity<Flux<DataBuffer>>> export(@RequestParam(required = false) String sequence) {
    Mono<Long> seq =
        sequence != null
            ? Mono.just(number("sequence", sequence, 1, Long.MAX_VALUE))
            : attestations
                .attestation(null)
                .map(
                    list -> {
                      if (list.isEmpty()) {
                        throw new ApiException(
                            HttpStatus.NOT_FOUND,
                            "no_snapshot",
                            "no signed attestation has been published yet");
                      }
                      return list.get(0).sequence();
                    });
    return seq.flatMap(oracle::export)
        .map(
            stream -> {
              boolean ok = stream.status().is2xxSuccessful();
              return ResponseEntity.status(stream.status())
                  .contentType(ok ? JSONL : MediaType.APPLICATION_JSON)
                  .body(stream.body());
            });
  }

  private History history(List<ReserveAttestations.AttestationJson> list) {
    TreeSet<Long> seen = new TreeSet<>();
    TreeSet<Long> conflicts = new TreeSet<>();
    for (ReserveAttestations.AttestationJson a : list) {
      if (!seen.add(a.sequence())) {
        conflicts.add(a.sequence());
      }
    }
    return new History(
        true, list, List.copyOf(conflicts.descendingSet()), Timestamps.zulu(clock.instant()));
  }

  private static long number(String name, String raw, long min, long max) {
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "invalid_parameter", "query parameter '" + name + "' must be a whole number");
    }
    if (value < min || value > max) {
      throw new BadRequestException(
          "invalid_parameter",
          "query parameter '" + name + "' must be between " + min + " and " + max);
    }
    return value;
  }
}
