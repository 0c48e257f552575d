package io.github.natgrad.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** result.json's own writer gives exactly what Jackson's pretty printer gave (the reference) for every value kind. */
class TrainLogJsonTest {
    @Test
    void writesWhatJacksonWrites() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "a\"b\\c\nd\re\tf\u0001 é /");
        m.put("int", 3);
        m.put("long", 12_345_678_901L);
        m.put("small", 1e-6);
        m.put("double", 0.002461059190031153);
        m.put("negative", -2.5e300);
        m.put("whole", 4.0);
        m.put("flag", true);
        m.put("none", null);
        m.put("not finite", "NaN");
        ObjectMapper jackson = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        assertEquals(jackson.writeValueAsString(m) + "\n", TrainLog.json(m));
        assertEquals(jackson.writeValueAsString(Map.of()) + "\n", TrainLog.json(Map.of()));
    }
}
