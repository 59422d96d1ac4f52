package com.reservebtc.gateway.contracts;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code GET /api/realtime/system-contracts}: the registry of indexed deployments, read-only. */
@RestController
@RequestMapping(path = "/api/realtime", produces = "application/json")
@Tag(name = "realtime", description = "Read API of the ReserveBTC frontend")
class SystemContractsController {

  private final SystemContracts contracts;

  SystemContractsController(SystemContracts contracts) {
    this.contracts = contracts;
  }

  @GetMapping("/system-contracts")
  Mono<List<SystemContracts.SystemContract>> systemContracts() {
    return Mono.fromCallable(contracts::all).subscribeOn(Schedulers.boundedElastic());
  }
}
