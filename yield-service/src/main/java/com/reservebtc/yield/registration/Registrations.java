package com.reservebtc.yield.registration;

/**
 * Whether newly eligible Bitcoin holders are registered in the YieldScalesPool automatically. When
 * not, participants are tracked off-chain only and stay {@code registered_on_chain=false} until a
 * ParticipantJoined event says otherwise.
 */
public interface Registrations {

  boolean automatic();
}
