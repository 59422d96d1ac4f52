package com.reservebtc.yield.participants;

import com.reservebtc.yield.participants.ParticipantRepository.RegistrationDetails;

/** Explains a participant's pool registration to an operator in one sentence. */
final class RegistrationText {

  private RegistrationText() {}

  static String explain(RegistrationStatus status, boolean automatic, RegistrationDetails details) {
    return switch (status) {
      case REGISTERED -> "Registered on chain: the pool's ParticipantJoined event was indexed.";
      case OFF_CHAIN ->
          automatic
              ? "Not registered on chain: holders are queued for joinAsBitcoinHolder when they"
                  + " become eligible (rBTC-SYNTH balance above zero)."
              : "Off-chain only: this service runs without a pool oracle key"
                  + " (RBTC_YIELD_POOL_ORACLE_KEY), so it never calls joinAsBitcoinHolder. Yield is"
                  + " tracked here; the participant counts as registered once a ParticipantJoined"
                  + " event for it is indexed.";
      case PENDING ->
          "Queued for joinAsBitcoinHolder (attempts so far: "
              + details.registrationAttempts()
              + ").";
      case SUBMITTING ->
          "joinAsBitcoinHolder is being sent (attempt " + details.registrationAttempts() + ").";
      case SUBMITTED ->
          "joinAsBitcoinHolder mined in tx "
              + details.registrationTxHash()
              + "; waiting for the indexed ParticipantJoined event.";
      case FAILED ->
          "joinAsBitcoinHolder failed after "
              + details.registrationAttempts()
              + " attempt(s): "
              + details.registrationError();
    };
  }
}
