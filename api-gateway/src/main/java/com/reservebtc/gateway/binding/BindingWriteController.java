package com.reservebtc.gateway.binding;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.ApiError;
import com.reservebtc.gateway.api.ApiException;
import com.reservebtc.gateway.api.BadRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/realtime/bitcoin-addresses/verify} and {@code .../unbind}: the frontend's
 * binding writes, routed to the service that owns them. The gateway checks size, media type and
 * shape ({@link BindingRequest}, {@link UnbindRequest}) and forwards the fields to the
 * oracle-service's {@code POST /api/bindings} or {@code DELETE /api/bindings/{btcAddress}}; the
 * oracle's status and JSON body (201 bound, 200 already bound or removed, 400 invalid proof, 404
 * not bound, 409 bound to another address) are passed through unchanged. The new binding reaches
 * the read API through the oracle's bindings topic, like every other change.
 *
 * <p>Balance disputes are not forwarded: only the user's wallet can raise them on chain ({@code
 * YieldScalesPool.disputeBalance}); {@code POST /api/realtime/disputes} prepares that call.
 */
@RestController
@Tag(name = "realtime")
public class BindingWriteController {

  public static final String PATH = "/api/realtime/bitcoin-addresses/verify";
  public static final String UNBIND_PATH = "/api/realtime/bitcoin-addresses/unbind";

  private static final Logger log = LoggerFactory.getLogger(BindingWriteController.class);

  private final OracleClient oracle;
  private final JsonMapper json;
  private final int maxRequestBytes;
  private final long maxDiscardedBytes;

  BindingWriteController(OracleClient oracle, JsonMapper json, GatewayProperties properties) {
    this.oracle = oracle;
    this.json = json;
    this.maxRequestBytes = (int) properties.forwarding().maxRequestSize().toBytes();
    this.maxDiscardedBytes = properties.forwarding().maxDiscardedSize().toBytes();
  }

  @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Bind a Bitcoin address by an ownership message signed by both keys",
      description =
          "Forwarded to the oracle-service, which verifies the Bitcoin key's BIP-322 simple or"
              + " BIP-137 signature and the EVM address's EIP-191 personal_sign signature of the"
              + " same ownership message, and records the binding. Its status and JSON body are"
              + " passed through: 201 bound, 200 already bound to this address, 400 invalid proof"
              + " (e.g. eth_signature_required, invalid_eth_signature, wrong_network,"
              + " stale_request), 409 bound to another address.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = BindingRequest.class))))
  @ApiResponse(responseCode = "201", description = "Bound (the oracle's answer)")
  @ApiResponse(
      responseCode = "400",
      description = "Malformed request, or the oracle rejected the proof",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(
      responseCode = "413",
      description = "Body larger than rbtc.gateway.forwarding.max-request-size",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(
      responseCode = "503",
      description = "The oracle-service cannot be reached",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  Mono<ResponseEntity<byte[]>> verify(ServerHttpRequest request) {
    return readJson(request, BindingRequest::of)
        .flatMap(
            binding ->
                oracle
                    .bind(json.writeValueAsBytes(forwarded(binding)))
                    .map(answer -> passThrough("binding", binding.ethAddress(), answer)));
  }

  @PostMapping(path = UNBIND_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Remove a binding by a request signed by either key",
      description =
          "Forwarded to the oracle-service (DELETE /api/bindings/{btcAddress}), which checks the"
              + " unbind request and the signature of the Bitcoin key or of the EVM address the"
              + " Bitcoin address is bound to: either key may remove a binding, so an EVM address"
              + " can always remove a binding it did not want. Status and JSON body are passed"
              + " through: 200 removed, 400 invalid request or signature, 404 not bound.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = UnbindRequest.class))))
  @ApiResponse(responseCode = "200", description = "Removed (the oracle's answer)")
  @ApiResponse(
      responseCode = "400",
      description = "Malformed request, or the oracle rejected the request or signature",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(
      responseCode = "404",
      description = "The Bitcoin address is not bound",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(
      responseCode = "503",
      description = "The oracle-service cannot be reached",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  Mono<ResponseEntity<byte[]>> unbind(ServerHttpRequest request) {
    return readJson(request, UnbindRequest::of)
        .flatMap(
            unbind -> {
              Map<String, String> body = new LinkedHashMap<>();
              body.put("message", unbind.message());
              body.put("signature", unbind.signature());
              body.put("ethSignature", unbind.ethSignature());
              return oracle
                  .unbind(unbind.btcAddress(), json.writeValueAsBytes(body))
                  .map(answer -> passThrough("unbinding", unbind.btcAddress(), answer));
            });
  }

  /**
   * The body as JSON (null when empty), after the media type and size checks every write shares,
   * checked for shape by {@code shape}.
   */
  private <T> Mono<T> readJson(
      ServerHttpRequest request, java.util.function.Function<JsonNode, T> shape) {
    MediaType type = request.getHeaders().getContentType();
    if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
      return Mono.error(ApiException.notJson());
    }
    if (request.getHeaders().getContentLength() > maxDiscardedBytes) {
      // Not worth reading: answered at once, and the connection is closed.
      return Mono.error(tooLarge());
    }
    return request
        .getBody()
        .reduce(new Body(maxRequestBytes, maxDiscardedBytes), Body::add)
        .defaultIfEmpty(new Body(maxRequestBytes, maxDiscardedBytes))
        .map(Body::bytes)
        .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
        .map(body -> shape.apply(parse(body)));
  }

  private JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? null : json.readTree(body);
    } catch (JacksonException e) {
      throw new BadRequestException(
          "invalid_json", "the request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static Map<String, String> forwarded(BindingRequest binding) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("ethAddress", binding.ethAddress());
    body.put("btcAddress", binding.btcAddress());
    body.put("message", binding.message());
    body.put("signature", binding.signature());
    body.put("ethSignature", binding.ethSignature());
    return body;
  }

  private ResponseEntity<byte[]> passThrough(
      String what, String subject, OracleClient.Answer answer) {
    boolean jsonBody =
        answer.contentType() != null
            && MediaType.APPLICATION_JSON.isCompatibleWith(answer.contentType())
            && isJson(answer.body());
    log.info(
        "{} request of {} forwarded to the oracle-service: {}",
        what,
        subject.toLowerCase(java.util.Locale.ROOT),
        answer.status().value());
    if (!jsonBody) {
      throw new ApiException(
          HttpStatus.BAD_GATEWAY,
          "oracle_bad_response",
          "the oracle-service answered "
              + answer.status().value()
              + " without a JSON body; the binding may or may not have been recorded");
    }
    return ResponseEntity.status(answer.status())
        .contentType(MediaType.APPLICATION_JSON)
        .body(answer.body());
  }

  private boolean isJson(byte[] body) {
    try {
      return body.length > 0 && json.readTree(body) != null;
    } catch (JacksonException e) {
      return false;
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        HttpStatus.PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "the request body exceeds " + maxRequestBytes + " bytes");
  }

  /**
   * The request body read so far: kept up to {@code keep} bytes; past that only counted (and
   * released), up to {@code discard} bytes, so the answer is a clean 413 rather than a connection
   * closed under a client still sending.
   */
  private static final class Body {
    private final int keep;
    private final long discard;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long seen;

    Body(int keep, long discard) {
      this.keep = keep;
      this.discard = discard;
    }

    Body add(DataBuffer buffer) {
      try {
        int n = buffer.readableByteCount();
        seen += n;
        if (seen > discard) {
          throw new DataBufferLimitException("request body over " + discard + " bytes");
        }
        if (seen <= keep) {
          byte[] chunk = new byte[n];
          buffer.read(chunk);
          kept.write(chunk, 0, n);
        }
        return this;
      } finally {
        DataBufferUtils.release(buffer);
      }
    }

    byte[] bytes() {
      if (seen > keep) {
        throw new DataBufferLimitException("request body over " + keep + " bytes");
      }
      return kept.toByteArray();
    }
  }
}
