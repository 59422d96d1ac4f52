package com.reservebtc.schemas;

import java.util.List;

/**
 * The broker's topics are not what a service needs (see {@link TopicCheck}); the message lists
 * every violation and what to do about it. A service that gets it must not start.
 */
public class TopicCheckException extends IllegalStateException {

  private final List<String> violations;

  public TopicCheckException(String message, List<String> violations) {
    super(message);
    this.violations = List.copyOf(violations);
  }

  /** One line per violation, each naming its topic. */
  public List<String> violations() {
    return violations;
  }
}
