package com.reservebtc.emergency.ops;

import com.reservebtc.chainconsumer.DeadLetterReplay;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator command: {@code POST /api/ops/dead-letters/replay?topic=<catalogue topic>} applies the
 * records this service dead-lettered from {@code <topic>.dlt} (after the fix that makes them
 * applicable), each once; a record that still fails stays for the next replay. Answers how many
 * were replayed, had been replayed before, failed again, or belong to other services.
 */
@RestController
class DeadLetterController {

  private final DeadLetterReplay replay;

  DeadLetterController(DeadLetterReplay replay) {
    this.replay = replay;
  }

  @PostMapping("/api/ops/dead-letters/replay")
  DeadLetterReplay.Result replay(@RequestParam("topic") String topic) {
    return replay.replay(topic);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail unknownTopic(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
