package com.reservebtc.emergency.burns;

import com.reservebtc.schemas.Keys;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operator read endpoint: a user's recorded emergency burns, newest first. */
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

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badAddress(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
