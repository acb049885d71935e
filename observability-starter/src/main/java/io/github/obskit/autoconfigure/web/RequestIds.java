package io.github.obskit.autoconfigure.web;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id of both web stacks: the caller's, when its header holds a short id of safe
 * characters, otherwise a generated one; kept in the request's attributes as {@link #ATTRIBUTE} and
 * in the MDC as {@value #MDC_KEY}.
 *
 * <p>Caller ids are validated because they end up in logs and headers: at most {@value #MAX_LENGTH}
 * characters of {@code [A-Za-z0-9._-]}.
 */
public final class RequestIds {

  /** MDC key (and so JSON log field) of the request id. */
  public static final String MDC_KEY = "request_id";

  /** Request (servlet) or exchange (WebFlux) attribute holding the request id. */
  public static final String ATTRIBUTE = RequestIds.class.getName() + ".requestId";

  /** Longest request id accepted from a caller. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

  private RequestIds() {}

  /**
   * Whether a caller-supplied request id is short and made of safe characters only.
   *
   * @param candidate the header value, may be {@code null}
   * @return {@code true} when the value can be used as the request id
   */
  public static boolean isAcceptable(String candidate) {
    return candidate != null && SAFE_ID.matcher(candidate).matches();
  }

  /**
   * Returns the caller's id when it is acceptable, otherwise a generated one.
   *
   * @param incoming the header value, may be {@code null}
   * @return the request id
   */
  public static String acceptOrGenerate(String incoming) {
    return isAcceptable(incoming) ? incoming : generate();
  }

  private static String generate() {
    // Ids need to be unique, not unpredictable: avoid SecureRandom's cost on every request.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
  }
}
