package com.reservebtc.gateway.ops;

import com.reservebtc.gateway.api.ApiException;
import com.reservebtc.gateway.api.BadRequestException;
import com.reservebtc.gateway.api.EthAddress;
import com.reservebtc.gateway.api.PageRequest;
import com.reservebtc.gateway.profiles.ProfileKeyException;
import com.reservebtc.gateway.profiles.ProfileService;
import com.reservebtc.gateway.users.UserDirectory;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The operators' view of users: their current state, their audit trail and the private profile kept
 * about them. Under {@code /api/ops/}, which the gateway's operator authentication guards; the
 * acting operator is the request's principal. The work is blocking JDBC (rare operator requests,
 * transactional writes with their audit entry), run on the bounded elastic scheduler.
 */
@RestController
@RequestMapping(path = "/api/ops", produces = "application/json")
@Tag(name = "operations", description = "Operator endpoints (session required)")
class OpsUsersController {

  static final int MAX_CONTACT = 1_000;
  static final int MAX_NOTES = 20_000;
  static final int REENCRYPT_BATCH = 500;

  private final UserDirectory users;
  private final ProfileService profiles;

  OpsUsersController(UserDirectory users, ProfileService profiles) {
    this.users = users;
    this.profiles = profiles;
  }

  /** The body of a profile write; absent fields are cleared. */
  record ProfileBody(String contact, String notes) {}

  @GetMapping("/users")
  Mono<List<UserDirectory.UserState>> users(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String offset) {
    PageRequest page = PageRequest.parse(limit, offset);
    String wanted = state == null || state.isBlank() ? null : state.trim().toUpperCase(Locale.ROOT);
    if (wanted != null && !UserDirectory.STATES.contains(wanted)) {
      throw new BadRequestException(
          "invalid_state", "query parameter 'state' must be one of " + UserDirectory.STATES);
    }
    return blocking(() -> users.users(wanted, page.limit(), page.offset()));
  }

  @GetMapping("/users/{address}")
  Mono<UserDirectory.UserState> user(@PathVariable String address) {
    String user = EthAddress.parseParameter(address).value();
    return blocking(
        () ->
            users
                .user(user)
                .orElseThrow(
                    () ->
                        new ApiException(
                            HttpStatus.NOT_FOUND, "unknown_user", user + " has not been seen")));
  }

  @GetMapping("/users/{address}/audit")
  Mono<List<UserDirectory.AuditEntry>> audit(
      @PathVariable String address,
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String offset) {
    String user = EthAddress.parseParameter(address).value();
    PageRequest page = PageRequest.parse(limit, offset);
    return blocking(() -> users.audit(user, page.limit(), page.offset()));
  }

  @GetMapping("/users/{address}/profile")
  Mono<ProfileService.StoredProfile> profile(@PathVariable String address) {
    String user = EthAddress.parseParameter(address).value();
    return blocking(
        () ->
            profiles
                .get(user)
                .orElseThrow(
                    () ->
                        new ApiException(
                            HttpStatus.NOT_FOUND,
                            "no_profile",
                            "no profile is kept about " + user)));
  }

  @PutMapping(path = "/users/{address}/profile", consumes = "application/json")
  Mono<ProfileService.StoredProfile> putProfile(
      @PathVariable String address, @RequestBody ProfileBody body, ServerWebExchange exchange) {
    String user = EthAddress.parseParameter(address).value();
    if (body == null) {
      throw new BadRequestException("invalid_profile", "send {\"contact\": …, \"notes\": …}");
    }
    checkLength("contact", body.contact(), MAX_CONTACT);
    checkLength("notes", body.notes(), MAX_NOTES);
    ProfileService.Profile profile = new ProfileService.Profile(body.contact(), body.notes());
    return actor(exchange).flatMap(actor -> blocking(() -> profiles.put(user, profile, actor)));
  }

  /** Moves every profile sealed under an older key to the current key (after a rotation). */
  @PostMapping("/profiles/re-encrypt")
  Mono<Map<String, Object>> reencrypt(ServerWebExchange exchange) {
    return actor(exchange)
        .flatMap(
            actor ->
                blocking(
                    () -> {
                      int moved = profiles.reencrypt(actor, REENCRYPT_BATCH);
                      return Map.of("reencrypted", moved, "byKey", profiles.countByKey());
                    }));
  }

  private static void checkLength(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new BadRequestException(
          "invalid_profile", "'" + field + "' is longer than " + max + " characters");
    }
  }

  /** The operator acting: the authenticated principal of the request. */
  private static Mono<String> actor(ServerWebExchange exchange) {
    return exchange
        .getPrincipal()
        .map(Principal::getName)
        .map(name -> "operator:" + name)
        .defaultIfEmpty("unauthenticated");
  }

  private static <T> Mono<T> blocking(Callable<T> work) {
    return Mono.fromCallable(work)
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(ProfileKeyException.class, OpsUsersController::keyError);
  }

  private static ApiException keyError(ProfileKeyException e) {
    return switch (e.reason()) {
      case NO_KEY_CONFIGURED ->
          new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "profile_key_missing", e.getMessage());
      case KEY_NOT_CONFIGURED ->
          new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE, "profile_key_unavailable", e.getMessage());
      case KEY_MISMATCH ->
          new ApiException(
              HttpStatus.INTERNAL_SERVER_ERROR, "profile_key_mismatch", e.getMessage());
    };
  }
}
