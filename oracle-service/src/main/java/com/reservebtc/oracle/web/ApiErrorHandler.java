package com.reservebtc.oracle.web;

import com.reservebtc.oracle.binding.BindingConflictException;
import com.reservebtc.oracle.binding.BindingNotFoundException;
import com.reservebtc.oracle.ownership.OwnershipRejectedException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every API error is a real HTTP status with a JSON body {@code {"error": code, "message": text}}:
 * 4xx for what the client can fix, 500 (details only in the log) for anything else.
 */
@RestControllerAdvice
class ApiErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

  record ApiError(String error, String message) {}

  @ExceptionHandler(OwnershipRejectedException.class)
  ResponseEntity<ApiError> rejected(OwnershipRejectedException e) {
    return status(HttpStatus.BAD_REQUEST, e.reason().code(), e.getMessage());
  }

  @ExceptionHandler(BindingConflictException.class)
  ResponseEntity<ApiError> conflict(BindingConflictException e) {
    return status(HttpStatus.CONFLICT, "btc_address_already_bound", e.getMessage());
  }

  @ExceptionHandler(BindingNotFoundException.class)
  ResponseEntity<ApiError> notBound(BindingNotFoundException e) {
    return status(HttpStatus.NOT_FOUND, "binding_not_found", e.getMessage());
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ApiError> api(ApiException e) {
    return status(e.status(), e.code(), e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
    return status(
        HttpStatus.BAD_REQUEST,
        "malformed_request",
        "the request body must be a JSON object of strings: ethAddress, btcAddress, message and"
            + " signature to bind; message and signature to unbind");
  }

  @ExceptionHandler({
    IllegalArgumentException.class,
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<ApiError> badParameter(Exception e) {
    return status(HttpStatus.BAD_REQUEST, "invalid_parameter", e.getMessage());
  }

  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ApiError> undecodable(InvalidParameterException e) {
    return status(
        HttpStatus.BAD_REQUEST,
        "invalid_parameter",
        "a query parameter is not valid percent-encoded UTF-8");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
    return status(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send application/json");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
    return status(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage());
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ApiError> notFound(NoResourceFoundException e) {
    return status(HttpStatus.NOT_FOUND, "not_found", "no such endpoint: " + e.getResourcePath());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ApiError> unexpected(Exception e) {
    if (e instanceof ErrorResponse framework && framework.getStatusCode().is4xxClientError()) {
      // Other client errors detected by Spring MVC keep their status (406, 413, ...).
      return ResponseEntity.status(framework.getStatusCode())
          .body(new ApiError("bad_request", e.getMessage()));
    }
    log.error("Unexpected error serving a request", e);
    return status(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal_error",
        "unexpected error; see the service log");
  }

  private static ResponseEntity<ApiError> status(HttpStatus status, String error, String message) {
    return ResponseEntity.status(status).body(new ApiError(error, message));
  }
}
