package io.servesim.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads configuration records from YAML or JSON with one set of rules: keys are snake_case, unknown
 * keys are errors, numbers must be numbers, and every failure becomes a {@link ConfigException}
 * whose message names the field by its dotted path ({@code workload.profiles[2].prompt.sigma}).
 * Records validate in their compact constructors with {@link ConfigException}; this class prefixes
 * the path of the object that failed.
 */
public final class ConfigMapper {

    private static final ObjectMapper YAML = configure(YAMLMapper.builder(new YAMLFactory()).build());
    private static final ObjectMapper JSON = configure(JsonMapper.builder().build());

    private ConfigMapper() {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(SerializationFeature.INDENT_OUTPUT);
        // Infinity ("no limit") and NaN ("no sample") are written bare and read back, so a written
        // configuration can be read again exactly.
        mapper.getFactory().disable(com.fasterxml.jackson.core.JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS);
        mapper.getFactory().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
        return mapper;
    }

    /** The JSON mapper (snake_case, strict), also for writing results such as {@code config.json}. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** The YAML mapper with the same rules as {@link #json()}. */
    public static ObjectMapper yaml() {
        return YAML;
    }

    /** Reads {@code file} (YAML unless it ends in {@code .json}) as {@code type}. */
    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        ObjectMapper mapper = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        try {
            T value = mapper.readValue(file.toFile(), type);
            if (value == null) {
                throw new ConfigException(file + " is empty");
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw translate(e, file.getFileName().toString(), "");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a classpath resource (a catalog or a preset) as {@code type}. */
    public static <T> T readResource(String resource, Class<T> type) {
        ObjectMapper mapper = resource.endsWith(".json") ? JSON : YAML;
        try (InputStream in = ConfigMapper.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("resource " + resource + " not found on the classpath");
            }
            return mapper.readValue(in, type);
        } catch (JsonProcessingException e) {
            throw translate(e, resource, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Converts an already-parsed tree (e.g. one section of a scenario) to {@code type}. */
    public static <T> T convert(JsonNode node, Class<T> type, String fieldPrefix) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw translate(e, fieldPrefix, fieldPrefix);
        }
    }

    /**
     * Turns a Jackson failure into a one-line {@link ConfigException} naming the field.
     *
     * @param source the file or section the text came from, named when the failure has no field path
     * @param prefix the dotted path of the parsed text within a larger configuration ("" at the root)
     */
    public static ConfigException translate(JsonProcessingException e, String source, String prefix) {
        boolean unknownField = e instanceof UnrecognizedPropertyException;
        String path = e instanceof JsonMappingException m ? pathOf(m, unknownField) : "";
        String full = prefix.isEmpty() ? path : path.isEmpty() ? prefix : path.startsWith("[") ? prefix + path : prefix + "." + path;
        String where = full.isEmpty() ? source : full;
        Throwable cause = e.getCause();
        if (e instanceof ValueInstantiationException && cause instanceof ConfigException ce) {
            return new ConfigException(full.isEmpty() ? source + ": " + ce.getMessage() : full + "." + ce.getMessage(), e);
        }
        if (e instanceof ValueInstantiationException && cause != null) {
            return new ConfigException(where + ": " + cause.getMessage(), e);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new ConfigException(where + ": unknown field '" + u.getPropertyName() + "'; known fields: "
                    + u.getKnownPropertyIds(), e);
        }
        if (e instanceof InvalidTypeIdException t) {
            return new ConfigException(where + ": unknown type '" + t.getTypeId() + "'; " + firstLine(e.getOriginalMessage()), e);
        }
        if (e instanceof MismatchedInputException m) {
            String expected = m.getTargetType() == null ? "another value" : m.getTargetType().getSimpleName();
            return new ConfigException(where + ": wrong type or missing value, expected " + expected + " ("
                    + firstLine(e.getOriginalMessage()) + ")", e);
        }
        return new ConfigException(source + (path.isEmpty() ? "" : " at " + path) + ": "
                + firstLine(e.getOriginalMessage()), e);
    }

    private static String pathOf(JsonMappingException e, boolean dropLast) {
        StringBuilder sb = new StringBuilder();
        java.util.List<JsonMappingException.Reference> refs = e.getPath();
        int count = dropLast ? Math.max(0, refs.size() - 1) : refs.size();
        for (JsonMappingException.Reference ref : refs.subList(0, count)) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
