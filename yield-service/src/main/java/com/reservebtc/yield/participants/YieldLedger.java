package com.reservebtc.yield.participants;

import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.ScalesBalanceUpdated;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldCalculated;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldParticipantState;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.yield.finality.BlockFinality;
import com.reservebtc.yield.finality.ChainFinality;
import com.reservebtc.yield.inbox.ProcessedEvents;
import com.reservebtc.yield.kafka.ChainValues;
import com.reservebtc.yield.kafka.MalformedEventException;
import com.reservebtc.yield.outbox.Outbox;
import com.reservebtc.yield.registration.Registrations;
import com.reservebtc.yield.scales.LoyaltyTiers;
import com.reservebtc.yield.scales.PoolScales;
import com.reservebtc.yield.scales.PoolTotalsRepository;
import com.reservebtc.yield.scales.ScalesStateRepository;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies chain events to participants, each in one database transaction together with its inbox
 * entry, audit rows and the participant state to publish.
 *
 * <p>Guarantees: before a participant's base changes, the period since its last accrual is settled
 * at the pool rate in force before the change (as the contract does); supply and peak follow
 * rBTC-SYNTH mints and burns; a retraction of a participant's latest change restores the
 * participant exactly, an older one reverses its balance and contribution steps only (yield settled
 * in between is kept). Every row written carries the finality of the log that caused it (the higher
 * of the record's and the block markers'); the chain's marker heights are share-locked first so a
 * concurrent marker cannot miss the new rows. Not guaranteed: that the accrued yield equals the
 * contract's, which settles at the moments the pool is called, not at token events.
 */
@Service
class YieldLedger {

  private static final Logger log = LoggerFactory.getLogger(YieldLedger.class);

  private final ChainFinality finality;
  private final ProcessedEvents inbox;
  private final ParticipantRepository participants;
  private final OperationsLog operations;
  private final PoolTotalsRepository totals;
  private final ScalesStateRepository scalesState;
  private final Outbox outbox;
  private final Registrations registrations;

  YieldLedger(
      ChainFinality finality,
      ProcessedEvents inbox,
      ParticipantRepository participants,
      OperationsLog operations,
      PoolTotalsRepository totals,
      ScalesStateRepository scalesState,
      Outbox outbox,
      Registrations registrations) {
    this.finality = finality;
    this.inbox = inbox;
    this.participants = participants;
    this.operations = operations;
    this.totals = totals;
    this.scalesState = scalesState;
    this.outbox = outbox;
    this.registrations = registrations;
  }

  /** rBTC-SYNTH mints and burns; other token logs do not concern the pool. */
  @Transactional
  boolean applyToken(TokenEvent event) {
    boolean mint = event.getKind() == TokenEventKind.MINT;
    if (event.getToken() != Token.RBTC_SYNTH || (!mint && event.getKind() != TokenEventKind.BURN)) {
      return false;
    }
    String user = ChainValues.address(event.getUser());
    long amount = ChainValues.sats("amount", event.getAmount());
    ChainLogRef chainLog = event.getLog();
    BlockFinality block = finality.holdShared(chainLog.getChainId()).of(chainLog);
    if (!inbox.claim(chainLog, Topics.CHAIN_TOKEN_TRANSFERS.name())) {
      return false;
    }
    if (chainLog.getRetracted()) {
      return undo(user, chainLog);
    }
    long delta = mint ? amount : -amount;
    return change(
        user,
        chainLog,
        block,
        "BALANCE_CHANGED",
        BigInteger.valueOf(delta),
        true,
        p -> p.withBalance(Math.addExact(p.rbtcBalanceSats(), delta)));
  }

  /**
   * An emergency burn. By the OracleAggregator the whole balance was burned: the yield owed up to
   * the burn's block time is settled at the old contribution and a holder's contribution becomes
   * zero (the token burn of the same transaction moves the balance) - unless the participant
   * already reflects a newer block, whose balance already includes the burn (topics are ordered
   * only per topic, so the burn can arrive after a later mint).
   *
   * <p>By the pool, the burn only mirrors an aggregator burn that the holder's balance, and so the
   * contribution, already accounts for: it is recorded, and the contribution is left as it is.
   * Subtracting it again would count the burn twice (for example when the pool's event is consumed
   * after a later mint) and push the pool below the holder's balance.
   */
  @Transactional
  boolean applyEmergencyBurn(EmergencyBurnEvent event) {
    String user = ChainValues.address(event.getUser());
    long burned = ChainValues.sats("burnedAmount", event.getBurnedAmount());
    ChainLogRef chainLog = event.getLog();
    BlockFinality block = finality.holdShared(chainLog.getChainId()).of(chainLog);
    if (!inbox.claim(chainLog, Topics.CHAIN_EMERGENCY_BURNS.name())) {
      return false;
    }
    if (chainLog.getRetracted()) {
      return undo(user, chainLog);
    }
    String operation = "EMERGENCY_BURN_" + event.getSource();
    if (event.getSource() == EmergencyBurnSource.YIELD_POOL) {
      operations.note(
          user,
          operation,
          EventIds.of(chainLog),
          BigInteger.valueOf(burned),
          "the pool mirrored an aggregator burn the balance already accounts for; contribution"
              + " unchanged",
          chainLog.getBlockTimestamp(),
          Origin.of(block));
      return false;
    }
    return change(
        user,
        chainLog,
        block,
        operation,
        BigInteger.valueOf(burned),
        false,
        p ->
            p.participantType() != Participant.BITCOIN_HOLDER
                    || p.newerThan(chainLog.getChainId(), chainLog.getBlockNumber())
                ? p
                : p.withContribution(0));
  }

  @Transactional
  boolean applyPoolEvent(YieldPoolEvent event) {
    ChainLogRef chainLog = event.getLog();
    Object payload = event.getPayload();
    if (payload instanceof ParticipantJoined joined) {
      return participantJoined(chainLog, joined);
    }
    if (payload instanceof YieldClaimed claimed) {
      return yieldClaimed(chainLog, claimed);
    }
    Supplier<BlockFinality> block = () -> finality.holdShared(chainLog.getChainId()).of(chainLog);
    if (payload instanceof BalanceDisputed disputed) {
      String user = ChainValues.address(disputed.getUser());
      BigInteger reported = ChainValues.unsigned("reportedBalance", disputed.getReportedBalance());
      BigInteger oracle = ChainValues.unsigned("oracleBalance", disputed.getOracleBalance());
      BlockFinality at = block.get();
      if (inbox.claim(chainLog, Topics.CHAIN_YIELD_POOL.name())) {
        operations.note(
            user,
            chainLog.getRetracted() ? "DISPUTE_RETRACTED" : "DISPUTED",
            EventIds.of(chainLog),
            reported,
            "oracle balance " + oracle,
            chainLog.getBlockTimestamp(),
            chainLog.getRetracted() ? Origin.retraction(chainLog) : Origin.of(at));
      }
      return false;
    }
    if (payload instanceof YieldCalculated calculated) {
      BigInteger usdt = ChainValues.unsigned("totalUsdtVirtual", calculated.getTotalUsdtVirtual());
      BigInteger supply = ChainValues.unsigned("totalRbtcSupply", calculated.getTotalRbtcSupply());
      BigInteger rate = ChainValues.unsigned("currentYieldRate", calculated.getCurrentYieldRate());
      BlockFinality at = block.get();
      if (inbox.claim(chainLog, Topics.CHAIN_YIELD_POOL.name())) {
        if (chainLog.getRetracted()) {
          scalesState.delete(chainLog);
        } else {
          scalesState.yieldCalculated(chainLog, at.finality(), usdt, supply, rate);
        }
      }
      return false;
    }
    if (payload instanceof ScalesBalanceUpdated updated) {
      BigInteger usdtScale = ChainValues.unsigned("usdtScale", updated.getUsdtScale());
      BigInteger rbtcScale = ChainValues.unsigned("rbtcScale", updated.getRbtcScale());
      BigInteger timestamp = ChainValues.unsigned("scaleTimestamp", updated.getScaleTimestamp());
      BlockFinality at = block.get();
      if (inbox.claim(chainLog, Topics.CHAIN_YIELD_POOL.name())) {
        if (chainLog.getRetracted()) {
          scalesState.delete(chainLog);
        } else {
          scalesState.scalesBalanceUpdated(
              chainLog, at.finality(), usdtScale, rbtcScale, timestamp);
        }
      }
      return false;
    }
    throw new MalformedEventException("unknown yield pool payload: " + payload);
  }

  private boolean participantJoined(ChainLogRef chainLog, ParticipantJoined joined) {
    String user = ChainValues.address(joined.getUser());
    int type = joined.getParticipantType();
    if (type != Participant.BITCOIN_HOLDER && type != Participant.TRADER) {
      throw new MalformedEventException("unknown participant type " + type + " for " + user);
    }
    long base = ChainValues.sats("amount", joined.getAmount());
    BlockFinality block = finality.holdShared(chainLog.getChainId()).of(chainLog);
    if (!inbox.claim(chainLog, Topics.CHAIN_YIELD_POOL.name())) {
      return false;
    }
    if (chainLog.getRetracted()) {
      return undo(user, chainLog);
    }
    log.info(
        "participant {} registered on chain as type {} (event {})",
        user,
        type,
        EventIds.of(chainLog));
    long at = chainLog.getBlockTimestamp();
    return change(
        user,
        chainLog,
        block,
        "REGISTERED",
        BigInteger.valueOf(base),
        true,
        p -> p.joinedOnChain(type, at, base));
  }

  private boolean yieldClaimed(ChainLogRef chainLog, YieldClaimed claimed) {
    String user = ChainValues.address(claimed.getUser());
    BigInteger amount = ChainValues.unsigned("amount", claimed.getAmount());
    BlockFinality block = finality.holdShared(chainLog.getChainId()).of(chainLog);
    if (!inbox.claim(chainLog, Topics.CHAIN_YIELD_POOL.name())) {
      return false;
    }
    if (chainLog.getRetracted()) {
      return undo(user, chainLog);
    }
    return change(
        user,
        chainLog,
        block,
        "CLAIMED",
        amount,
        false,
        p -> p.withAccruedYield(p.accruedYield().subtract(amount)));
  }

  /**
   * Settles the participant's yield up to the event's block time, applies {@code mutation} and
   * records everything. Returns whether a state was queued for publication.
   */
  private boolean change(
      String user,
      ChainLogRef chainLog,
      BlockFinality block,
      String operation,
      BigInteger amount,
      boolean createIfMissing,
      UnaryOperator<Participant> mutation) {
    String eventId = EventIds.of(chainLog);
    long at = chainLog.getBlockTimestamp();
    Origin origin = Origin.of(block);
    PoolScales scales = totals.lock();
    Optional<Participant> existing = participants.lock(user);
    if (existing.isEmpty() && !createIfMissing) {
      operations.note(
          user, operation, eventId, amount, "not a participant: nothing to change", at, origin);
      return false;
    }
    Participant before = existing.orElseGet(() -> Participant.fresh(user, at));
    Position.Accrual accrual = before.position().accrueTo(at, scales.rateBps());
    if (accrual.elapsedSeconds() > 0) {
      operations.accrual(user, eventId, accrual, at, origin);
    }
    Participant after =
        mutation
            .apply(before.withPosition(accrual.after()))
            .withLastEventId(eventId)
            .withState(BlockFinality.latest(before.state(), block));
    after = queueRegistration(after, eventId, at, origin);
    if (existing.isEmpty()) {
      participants.insert(after);
      operations.note(user, "JOINED", eventId, null, "tracking started", at, origin);
    } else {
      participants.update(after);
    }
    operations.change(operation, eventId, before, after, amount, null, at, origin);
    moveSupply(scales, after.rbtcBalanceSats() - before.rbtcBalanceSats());
    if (after.rbtcBalanceSats() < 0) {
      log.warn(
          "participant {} has a negative rBTC balance ({} sats) after event {}: the token history"
              + " is incomplete, check the indexer start block",
          user,
          after.rbtcBalanceSats(),
          eventId);
    }
    publish(after, at);
    return true;
  }

  private boolean undo(String user, ChainLogRef chainLog) {
    String eventId = EventIds.of(chainLog);
    long at = chainLog.getBlockTimestamp();
    Origin origin = Origin.retraction(chainLog);
    Optional<OperationsLog.LoggedChange> logged = operations.changeCausedBy(eventId);
    if (logged.isEmpty()) {
      operations.note(user, "RETRACTED", eventId, null, "nothing had changed", at, origin);
      return false;
    }
    PoolScales scales = totals.lock();
    Participant now =
        participants
            .lock(user)
            .orElseThrow(
                () -> new IllegalStateException("logged change of unknown participant " + user));
    boolean latest = eventId.equals(now.lastEventId());
    Participant undone = latest ? logged.get().restore(now) : logged.get().reverse(now);
    participants.update(undone);
    operations.change(
        "RETRACTED",
        eventId,
        now,
        undone,
        null,
        latest ? "restored the state before the event" : "reversed balance and contribution only",
        at,
        origin);
    moveSupply(scales, undone.rbtcBalanceSats() - now.rbtcBalanceSats());
    log.info("participant {}: event {} retracted by reorg", user, eventId);
    publish(undone, at);
    return true;
  }

  private Participant queueRegistration(Participant after, String eventId, long at, Origin origin) {
    boolean newlyEligible =
        after.eligible()
            && after.participantType() == Participant.BITCOIN_HOLDER
            && !after.registeredOnChain()
            && after.registrationStatus() == RegistrationStatus.OFF_CHAIN;
    if (!newlyEligible || !registrations.automatic()) {
      return after;
    }
    operations.note(after.user(), "REGISTRATION_QUEUED", eventId, null, null, at, origin);
    return after.withRegistration(RegistrationStatus.PENDING);
  }

  private void moveSupply(PoolScales scales, long deltaSats) {
    if (deltaSats != 0) {
      totals.save(scales.withSupplyChange(deltaSats));
    }
  }

  private void publish(Participant p, long at) {
    YieldParticipantState state =
        YieldParticipantState.newBuilder()
            .setUser(p.user())
            .setParticipantType(p.participantType())
            .setEligible(p.eligible())
            .setRegisteredOnChain(p.registeredOnChain())
            .setTier(LoyaltyTiers.tierAt(Math.max(0, at - p.joinedAt())))
            .setContributionSats(p.contributionSats())
            .setAccruedYield(p.accruedYield().toString())
            .setJoinedAtMillis(p.joinedAt() * 1000)
            .setUpdatedAtMillis(at * 1000)
            .build();
    outbox.add(Topics.YIELD_PARTICIPANTS, p.user(), state);
  }
}
