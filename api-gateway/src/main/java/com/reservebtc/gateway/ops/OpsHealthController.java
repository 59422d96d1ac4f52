package com.reservebtc.gateway.ops;

import com.reservebtc.gateway.health.HealthReport;
import com.reservebtc.gateway.health.OperationsHealth;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/ops/health}: the overall health figure, its formula and every check's status,
 * value and reason, measured at the request (the checks block on the database, the broker and the
 * node, so they run on the bounded elastic scheduler).
 */
@RestController
@RequestMapping(path = "/api/ops", produces = "application/json")
@Tag(name = "operations", description = "Operator endpoints (session required)")
class OpsHealthController {

  private final OperationsHealth health;

  OpsHealthController(OperationsHealth health) {
    this.health = health;
  }

  @GetMapping("/health")
  Mono<HealthReport> health() {
    return Mono.fromCallable(health::report).subscribeOn(Schedulers.boundedElastic());
  }
}
