package com.reservebtc.oracle.binding;

import com.reservebtc.oracle.ownership.OwnershipClaim;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/bindings} binds a Bitcoin address (201 new, 200 already bound to the same
 * address, 400 invalid proof, 409 bound to another address); {@code GET /api/bindings?address=}
 * lists an EVM address's bindings; {@code DELETE /api/bindings/{btcAddress}} unbinds an address on
 * an unbind request signed by either key (200 removed, 400 invalid request, 404 not bound).
 */
@RestController
@RequestMapping("/api/bindings")
class BindingController {

  private final BindingService bindings;

  BindingController(BindingService bindings) {
    this.bindings = bindings;
  }

  @PostMapping
  ResponseEntity<BindingView> bind(@RequestBody BindingRequest request) {
    BindingService.BindingOutcome outcome =
        bindings.bind(
            new OwnershipClaim(
                request.ethAddress(),
                request.btcAddress(),
                request.message(),
                request.signature(),
                request.ethSignature()));
    return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(BindingView.of(outcome.binding(), outcome.created(), outcome.prepayTxHash()));
  }

  @DeleteMapping("/{btcAddress}")
  UnbindingView unbind(@PathVariable String btcAddress, @RequestBody UnbindRequest request) {
    return UnbindingView.of(
        bindings.unbind(
            btcAddress, request.message(), request.signature(), request.ethSignature()));
  }

  @GetMapping
  List<BindingView> list(@RequestParam String address) {
    return bindings.bindingsOf(address).stream().map(b -> BindingView.of(b, false, null)).toList();
  }

  /**
   * @param signature base64 BIP-322 simple or BIP-137 compact signature over {@code message} by the
   *     Bitcoin key
   * @param ethSignature EIP-191 {@code personal_sign} signature over the same {@code message} by
   *     {@code ethAddress}, 0x + 130 hex digits
   */
  record BindingRequest(
      String ethAddress,
      String btcAddress,
      String message,
      String signature,
      String ethSignature) {}

  /**
   * Either key may unbind: give {@code signature}, {@code ethSignature} or both (each one given
   * must be valid).
   *
   * @param message the unbind request text ({@code UnbindMessage})
   * @param signature base64 signature over {@code message} by the bound address's key (BIP-322
   *     simple or BIP-137)
   * @param ethSignature EIP-191 signature over {@code message} by the EVM address it is bound to
   */
  record UnbindRequest(String message, String signature, String ethSignature) {}

  record UnbindingView(
      String ethAddress,
      String btcAddress,
      String network,
      String signatureScheme,
      long messageTimestamp,
      String unboundAt,
      boolean unbound) {

    static UnbindingView of(Unbinding u) {
      return new UnbindingView(
          u.ethAddress(),
          u.btcAddress(),
          u.network(),
          u.signatureScheme(),
          u.messageTimestamp(),
          u.unboundAt().toString(),
          true);
    }
  }

  record BindingView(
      String ethAddress,
      String btcAddress,
      String network,
      String signatureScheme,
      long messageTimestamp,
      String verifiedAt,
      boolean monitoring,
      boolean created,
      String prepayTxHash) {

    static BindingView of(Binding b, boolean created, String prepayTxHash) {
      return new BindingView(
          b.ethAddress(),
          b.btcAddress(),
          b.network(),
          b.signatureScheme(),
          b.messageTimestamp(),
          b.verifiedAt().toString(),
          b.monitoring(),
          created,
          prepayTxHash);
    }
  }
}
