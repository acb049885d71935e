package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NumericFieldsJsonMembersCustomizerTests {

  private static final JsonMapper json = JsonMapper.builder().build();

  @Test
  void numericStringsOfTheNumericFieldsBecomeNumbers() {
    JsonNode line = write(Map.of("status", "200", "duration_ms", "12"));

    assertThat(line.get("status").isInt()).isTrue();
    assertThat(line.get("status").asInt()).isEqualTo(200);
    assertThat(line.get("duration_ms").isIntegralNumber()).isTrue();
    assertThat(line.get("duration_ms").asLong()).isEqualTo(12);
  }

  @Test
  void aDecimalKeepsItsValue() {
    JsonNode line = write(Map.of("duration_ms", "12.50"));

    assertThat(line.get("duration_ms").isNumber()).isTrue();
    assertThat(line.get("duration_ms").decimalValue()).isEqualByComparingTo("12.5");
  }

  @Test
  void stringsThatAreNoJsonNumberStayStrings() {
    for (String value :
        new String[] {
          "n/a", "", " 200", "200 ", "+5", "007", "0x1F", "1e", "NaN", "1e999999999999"
        }) {
      JsonNode line = write(Map.of("status", value));

      assertThat(line.get("status").isString()).as(value).isTrue();
      assertThat(line.get("status").asString()).isEqualTo(value);
    }
  }

  @Test
  void aLongStringStaysAString() {
    String digits = "1".repeat(65);

    assertThat(write(Map.of("duration_ms", digits)).get("duration_ms").asString())
        .isEqualTo(digits);
  }

  @Test
  void numbersAndOtherFieldsAreWrittenAsTheyWere() {
    JsonNode line =
        write(Map.of("status", 503, "duration_ms", 7L, "path", "404", "request_id", "123"));

    assertThat(line.get("status").asInt()).isEqualTo(503);
    assertThat(line.get("duration_ms").asLong()).isEqualTo(7);
    assertThat(line.get("path").isString()).isTrue();
    assertThat(line.get("request_id").isString()).isTrue();
  }

  @Test
  void aLineWithoutTheFieldsIsUnchanged() {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("message", "hello");
    members.put("level", "INFO");

    assertThat(writeString(members)).isEqualTo("{\"message\":\"hello\",\"level\":\"INFO\"}");
  }

  @Test
  void onlyTopLevelMembersChange() {
    JsonNode line = write(Map.of("context", Map.of("status", "200")));

    assertThat(line.get("context").get("status").isString()).isTrue();
  }

  @Test
  void bootLoadsItFromSpringFactories() {
    assertThat(
            SpringFactoriesLoader.forDefaultResourceLocation()
                .load(StructuredLoggingJsonMembersCustomizer.class))
        .hasAtLeastOneElementOfType(NumericFieldsJsonMembersCustomizer.class);
  }

  private static JsonNode write(Map<String, ?> members) {
    return json.readTree(writeString(members));
  }

  // Members added one by one, as Boot's formatters add theirs, then the customizer, as Boot's
  // StructuredLogFormatterFactory applies it.
  private static String writeString(Map<String, ?> members) {
    JsonWriter<Map<String, ?>> writer =
        JsonWriter.of(
            (jsonMembers) -> {
              members.forEach(jsonMembers::add);
              new NumericFieldsJsonMembersCustomizer().customize(erased(jsonMembers));
            });
    return writer.writeToString(members);
  }

  @SuppressWarnings("unchecked")
  private static JsonWriter.Members<Object> erased(JsonWriter.Members<?> members) {
    return (JsonWriter.Members<Object>) members;
  }
}
