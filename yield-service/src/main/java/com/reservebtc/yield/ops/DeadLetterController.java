package com.reservebtc.yield.ops;

import com.reservebtc.chainconsumer.DeadLetterReplay;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator command on the service's own port: replays this service's dead letters of one topic
 * ({@code <topic>.dlt}) after the cause was fixed. Each record is applied as the publication it
 * was, in its own transaction; one that fails again stays for the next replay. Not for the public:
 * the port is internal, like the participant read endpoint.
 */
@RestController
class DeadLetterController {

  private final DeadLetterReplay replay;

  DeadLetterController(DeadLetterReplay replay) {
    this.replay = replay;
  }

  /**
   * {@code POST /api/ops/dead-letters/replay?topic=rbtc.chain.token-transfers.v1}: how many were
   * replayed, already replayed before, failing again, or dead-lettered by other services.
   */
  @PostMapping("/api/ops/dead-letters/replay")
  DeadLetterReplay.Result replay(@RequestParam("topic") String topic) {
    return replay.replay(topic);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail unknownTopic(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
