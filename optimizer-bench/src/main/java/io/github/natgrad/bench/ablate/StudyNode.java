package io.github.natgrad.bench.ablate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a study file as written — a mapping (keys in file order), a list or a scalar — with the
 * line it starts on, so that every error can name the file and line. Read with Jackson's streaming
 * parser from YAML or JSON (a file ending in {@code .json} is read as JSON).
 */
public final class StudyNode {
    /** The three shapes of a node. */
    public enum Shape {
        /** key: value pairs. */
        MAP,
        /** a sequence. */
        LIST,
        /** a number, string, boolean or null. */
        SCALAR
    }

    private final Shape shape;
    private final int line;
    private final String file;
    private final Map<String, StudyNode> map;
    private final Map<String, Integer> keyLines;
    private final List<StudyNode> list;
    private final String scalar;
    private final boolean text;

    private StudyNode(Shape shape, String file, int line, Map<String, StudyNode> map, Map<String, Integer> keyLines,
            List<StudyNode> list, String scalar, boolean text) {
        this.shape = shape;
        this.file = file;
        this.line = line;
        this.map = map;
        this.keyLines = keyLines;
        this.list = list;
        this.scalar = scalar;
        this.text = text;
    }

    /** Parses {@code content}, YAML unless {@code file} ends in .json. */
    public static StudyNode parse(String file, String content) {
        JsonFactory factory = file.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        try (JsonParser p = factory.createParser(content)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new StudyException(file, 1, "the study file is empty");
            }
            StudyNode root = read(p, file);
            if (p.nextToken() != null) {
                throw new StudyException(file, line(p.currentTokenLocation()), "more than one document in the study file");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String msg = e.getOriginalMessage();
            throw new StudyException(file, at == null ? 0 : line(at), "not valid " + (file.endsWith(".json") ? "JSON" : "YAML")
                    + ": " + msg.lines().findFirst().orElse(msg));
        } catch (IOException e) {
            throw new StudyException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    private static int line(JsonLocation at) {
        return Math.max(at.getLineNr(), 0);
    }

    private static StudyNode read(JsonParser p, String file) throws IOException {
        int line = line(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, StudyNode> m = new LinkedHashMap<>();
                Map<String, Integer> lines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    if (m.containsKey(key)) {
                        throw new StudyException(file, keyLine, "key '" + key + "' appears twice");
                    }
                    p.nextToken();
                    m.put(key, read(p, file));
                    lines.put(key, keyLine);
                }
                return new StudyNode(Shape.MAP, file, line, Collections.unmodifiableMap(m),
                        Collections.unmodifiableMap(lines), null, null, false);
            }
            case START_ARRAY: {
                List<StudyNode> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p, file));
                }
                return new StudyNode(Shape.LIST, file, line, null, null, Collections.unmodifiableList(l), null, false);
            }
            case VALUE_NULL:
                return new StudyNode(Shape.SCALAR, file, line, null, null, null, null, false);
            case VALUE_STRING:
                return new StudyNode(Shape.SCALAR, file, line, null, null, null, p.getText(), true);
            default:
                return new StudyNode(Shape.SCALAR, file, line, null, null, null, p.getText(), false);
        }
    }

    /** The shape. */
    public Shape shape() {
        return shape;
    }

    /** The line (1-based) the node starts on. */
    public int line() {
        return line;
    }

    /** The file name used in messages. */
    public String file() {
        return file;
    }

    /** An error at this node's line. */
    public StudyException error(String message) {
        return new StudyException(file, line, message);
    }

    /** The keys of a mapping, in file order. */
    public List<String> keys() {
        return map == null ? List.of() : List.copyOf(map.keySet());
    }

    /** The line of a key of this mapping. */
    public int keyLine(String key) {
        Integer l = keyLines == null ? null : keyLines.get(key);
        return l == null ? line : l;
    }

    /** The child at {@code key}, or null. */
    public StudyNode get(String key) {
        return map == null ? null : map.get(key);
    }

    /** The items of a list; a scalar or mapping is a list of itself. */
    public List<StudyNode> items() {
        return shape == Shape.LIST ? list : List.of(this);
    }

    /** The scalar's text (null for null). */
    public String text() {
        return scalar;
    }

    /** Whether the scalar was written as a string (quoted or plain text rather than a number). */
    public boolean isText() {
        return text;
    }

    /** Checks this is a mapping whose keys are all in {@code known}; the error names the first other key. */
    public StudyNode requireMap(String what, List<String> known) {
        if (shape != Shape.MAP) {
            throw error(what + " must be a mapping (key: value), got " + describe());
        }
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                throw new StudyException(file, keyLine(k), "unknown key '" + k + "' in " + what + "; known: " + known);
            }
        }
        return this;
    }

    /** This scalar as a string, or an error. */
    public String string(String what) {
        if (shape != Shape.SCALAR || scalar == null) {
            throw error(what + " must be a single value, got " + describe());
        }
        return scalar;
    }

    /** This scalar as a finite double. */
    public double number(String what) {
        String s = string(what);
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw error(what + " must be a finite number, got '" + s + "'");
    }

    /** This scalar as an int. */
    public int integer(String what) {
        String s = string(what);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error(what + " must be a whole number, got '" + s + "'");
        }
    }

    /** This scalar as a boolean (true/false). */
    public boolean bool(String what) {
        String s = string(what);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw error(what + " must be true or false, got '" + s + "'");
    }

    /** A short description for messages. */
    public String describe() {
        return switch (shape) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case SCALAR -> scalar == null ? "nothing (null)" : "'" + scalar + "'";
        };
    }
}
