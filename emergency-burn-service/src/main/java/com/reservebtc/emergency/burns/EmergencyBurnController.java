package com.reservebtc.emergency.burns;

import com.reservebtc.schemas.Keys;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operator read endpoints: a user's recorded emergency burns, newest first, and system totals. */
@RestController
class EmergencyBurnController {

  private final EmergencyBurnRepository burns;

  EmergencyBurnController(EmergencyBurnRepository burns) {
    this.burns = burns;
  }

  @GetMapping("/api/emergency-burns")
  List<EmergencyBurn> byUser(@RequestParam("address") String address) {
    return burns.findByUser(Keys.user(address));
  }

  @GetMapping("/api/emergency-burns/summary")
  EmergencyBurnTotals summary() {
    return burns.totals();
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badAddress(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
