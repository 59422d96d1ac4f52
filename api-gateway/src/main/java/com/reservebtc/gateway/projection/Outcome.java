package com.reservebtc.gateway.projection;

/** What applying one record did; counted per topic. */
enum Outcome {
  APPLIED,
  RETRACTED,
  DUPLICATE,
  /** Valid, but nothing in the read model depends on it (e.g. a retraction of an unseen log). */
  NO_EFFECT
}
