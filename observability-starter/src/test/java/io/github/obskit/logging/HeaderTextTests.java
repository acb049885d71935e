package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderTextTests {

  @Test
  void readsUtf8BytesThatTheServerDecodedAsLatin1AsUtf8() {
    String sent = "Mozilla/5.0 (Linux; de-AT) Grüße 日本 🚀";

    assertThat(HeaderText.forLog(asTheServerDecodesIt(sent))).isEqualTo(sent);
  }

  @Test
  void keepsLatin1TextThatIsNoUtf8AsItArrived() {
    assertThat(HeaderText.forLog("Navigateur à Paris")).isEqualTo("Navigateur à Paris");
  }

  @Test
  void keepsAsciiAndValuesTheServerDecodedAlready() {
    assertThat(HeaderText.forLog("curl/8.5.0")).isEqualTo("curl/8.5.0");
    assertThat(HeaderText.forLog("agent 日本")).isEqualTo("agent 日本");
    assertThat(HeaderText.forLog(null)).isNull();
  }

  @Test
  void keepsAValueOfExactly512Characters() {
    String value = "a".repeat(512);

    assertThat(HeaderText.forLog(value)).isEqualTo(value);
  }

  @Test
  void cutsALongerValueAfter512CharactersAndMarksTheCut() {
    String logged = HeaderText.forLog("a".repeat(511) + "bc" + "d".repeat(10_000));

    assertThat(logged).isEqualTo("a".repeat(511) + "b…");
  }

  @Test
  void cutsAfterDecodingAndNeverHalfACharacter() {
    String sent = "a".repeat(511) + "🚀" + "z";

    String logged = HeaderText.forLog(asTheServerDecodesIt(sent));

    assertThat(logged).isEqualTo("a".repeat(511) + "…");
  }

  private static String asTheServerDecodesIt(String sent) {
    return new String(sent.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  @Test
  void capsOtherClientTextAtTheGivenLengthWithTheSameMark() {
    assertThat(HeaderText.cap("/" + "p".repeat(2000), 1024)).hasSize(1025).endsWith("p…");
    assertThat(HeaderText.cap("/short", 1024)).isEqualTo("/short");
    assertThat(HeaderText.cap(null, 1024)).isNull();
    assertThat(HeaderText.cap("a".repeat(1023) + "🚀", 1024)).isEqualTo("a".repeat(1023) + "…");
  }
}
