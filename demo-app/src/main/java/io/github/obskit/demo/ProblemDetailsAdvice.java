package io.github.obskit.demo;

import java.util.List;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every Spring MVC error as {@code application/problem+json}, and makes the 400s for
 * unconvertible or out-of-range parameters name the parameter and the rejected value.
 *
 * <p>Being a {@link ResponseEntityExceptionHandler}, it replaces the one Spring Boot registers for
 * {@code spring.mvc.problemdetails.enabled}; the other MVC errors (404 for unknown paths, 405, 406)
 * keep Spring's standard problem bodies.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  static final String PARAMETER_PROPERTY = "parameter";

  static ProblemDetail invalidParameter(String name, Object value, String requirement) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            "Parameter '%s' %s, got '%s'.".formatted(name, requirement, value));
    problem.setProperty(PARAMETER_PROPERTY, name);
    return problem;
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String requirement =
        isIntegral(ex.getRequiredType()) ? "must be an integer" : "must be a number";
    Object value = ex.getValue();
    // A repeated parameter arrives as all its values; Spring converts the first, so that one
    // failed.
    if (value instanceof Object[] values && values.length > 0) {
      value = values[0];
    }
    ProblemDetail problem = invalidParameter(ex.getPropertyName(), value, requirement);
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<ParameterValidationResult> results = ex.getParameterValidationResults();
    if (results.isEmpty()) {
      return super.handleHandlerMethodValidationException(ex, headers, status, request);
    }
    ParameterValidationResult first = results.get(0);
    MessageSourceResolvable error = first.getResolvableErrors().get(0);
    ProblemDetail problem =
        invalidParameter(
            parameterName(first.getMethodParameter()),
            first.getArgument(),
            error.getDefaultMessage());
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  private static boolean isIntegral(Class<?> type) {
    return type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == short.class
        || type == Short.class;
  }

  private static String parameterName(MethodParameter parameter) {
    PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
    if (pathVariable != null && !pathVariable.name().isEmpty()) {
      return pathVariable.name();
    }
    RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
    if (requestParam != null && !requestParam.name().isEmpty()) {
      return requestParam.name();
    }
    return parameter.getParameterName();
  }
}
