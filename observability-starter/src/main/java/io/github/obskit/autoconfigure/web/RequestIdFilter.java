package io.github.obskit.autoconfigure.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's, when its header holds a short id of safe characters,
 * otherwise a generated one. The id is put in the MDC as {@value #MDC_KEY}, kept as the request
 * attribute {@link #ATTRIBUTE} and echoed in the response header.
 *
 * <p>Caller ids are validated because they end up in logs and headers: at most {@value #MAX_LENGTH}
 * characters of {@code [A-Za-z0-9._-]}.
 */
public class RequestIdFilter extends OncePerRequestFilter {

  /** MDC key (and so JSON log field) of the request id. */
  public static final String MDC_KEY = "request_id";

  /** Request attribute holding the request id. */
  public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";

  /** Longest request id accepted from a caller. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

  private final String header;

  /**
   * Creates a filter reading and writing the request id in the given header.
   *
   * @param header the header name, for example {@code X-Request-Id}
   */
  public RequestIdFilter(String header) {
    this.header = header;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain filterChain)
      throws ServletException, IOException {
    String requestId = requestId(request);
    request.setAttribute(ATTRIBUTE, requestId);
    if (!response.containsHeader(this.header)) {
      response.setHeader(this.header, requestId);
    }
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, requestId);
    try {
      filterChain.doFilter(request, response);
    } finally {
      if (previous != null) {
        MDC.put(MDC_KEY, previous);
      } else {
        MDC.remove(MDC_KEY);
      }
    }
  }

  private String requestId(HttpServletRequest request) {
    // Async and error dispatches of the same request keep the id chosen on the first pass.
    if (request.getAttribute(ATTRIBUTE) instanceof String existing) {
      return existing;
    }
    String incoming = request.getHeader(this.header);
    return isAcceptable(incoming) ? incoming : generate();
  }

  /**
   * Whether a caller-supplied request id is short and made of safe characters only.
   *
   * @param candidate the header value, may be {@code null}
   * @return {@code true} when the value can be used as the request id
   */
  public static boolean isAcceptable(String candidate) {
    return candidate != null && SAFE_ID.matcher(candidate).matches();
  }

  private static String generate() {
    // Ids need to be unique, not unpredictable: avoid SecureRandom's cost on every request.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }
}
