package com.reservebtc.yield.participants;

import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.avro.LoyaltyTier;
import com.reservebtc.yield.pool.PoolAccess;
import com.reservebtc.yield.pool.PoolContributionRepository;
import com.reservebtc.yield.pool.PoolStatus;
import com.reservebtc.yield.registration.Registrations;
import com.reservebtc.yield.scales.LoyaltyTiers;
import com.reservebtc.yield.scales.PoolScales;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Operator read endpoint: one participant's yield state. */
@RestController
class ParticipantController {

  private final ParticipantRepository participants;
  private final Registrations registrations;
  private final PoolAccess pool;
  private final PoolContributionRepository contributions;
  private final Clock clock;

  ParticipantController(
      ParticipantRepository participants,
      Registrations registrations,
      PoolAccess pool,
      PoolContributionRepository contributions,
      Clock clock) {
    this.participants = participants;
    this.registrations = registrations;
    this.pool = pool;
    this.contributions = contributions;
    this.clock = clock;
  }

  @GetMapping("/api/yield/participants/{address}")
  ResponseEntity<?> participant(@PathVariable("address") String address) {
    String user = Keys.user(address);
    var found = participants.find(user);
    if (found.isEmpty()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(
              ProblemDetail.forStatusAndDetail(
                  HttpStatus.NOT_FOUND, "no yield participant " + user + " is known"));
    }
    Participant p = found.get();
    long[] supply = participants.supplyOf(p.chainId());
    PoolScales scales = new PoolScales(supply[0], supply[1]);
    long now = clock.instant().getEpochSecond();
    LoyaltyTier tier = LoyaltyTiers.tierAt(Math.max(0, now - p.joinedAt()));
    Position.Accrual pending = p.position().accrueTo(now, scales.rateBps());
    var registration =
        participants.registrationOf(user).orElse(ParticipantRepository.RegistrationDetails.NONE);
    RegistrationStatus status =
        p.registeredOnChain()
            ? RegistrationStatus.REGISTERED
            : registration.status() == null
                ? RegistrationStatus.OFF_CHAIN
                : RegistrationStatus.valueOf(registration.status());
    PoolStatus inPool = contributions.status(user).orElse(null);
    boolean key = pool.keyConfigured() && pool.problem().isEmpty();
    return ResponseEntity.ok(
        new ParticipantView(
            p.user(),
            p.participantType(),
            p.eligible(),
            p.registeredOnChain(),
            registrations.automatic() ? "AUTOMATIC" : "OFF_CHAIN_ONLY",
            RegistrationText.explain(status, registrations.automatic(), registration),
            status.name(),
            registration.registrationAttempts(),
            registration.registrationTxHash(),
            registration.registrationError(),
            p.rbtcBalanceSats(),
            p.contributionSats(),
            tier.name(),
            LoyaltyTiers.multiplierPct(tier),
            Instant.ofEpochSecond(p.joinedAt()),
            Instant.ofEpochSecond(p.lastAccrualAt()),
            p.accruedYield().toString(),
            pending.after().accruedYield().toString(),
            scales.rateBps().toString(),
            scales.totalSupplySats(),
            scales.peakSupplySats(),
            p.stateBlockNumber(),
            participants.heightsOf(p.chainId()).finalityOf(p.stateBlockNumber()).name(),
            key,
            inPool == null ? null : inPool.inStep(),
            inPool == null ? null : inPool.pendingCall(),
            inPool == null || inPool.onChainSats() == null ? null : inPool.onChainSats().toString(),
            inPool == null ? null : inPool.desiredSats(),
            inPool == null ? null : inPool.outOfStepSince(),
            inPool == null ? null : inPool.checkedAt(),
            inPool == null ? null : inPool.txHash(),
            inPool == null ? pool.problem().orElse(null) : inPool.error()));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badAddress(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
