package io.servesim.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        // 1.5 where a count belongs is a mistake, not 1; an explicit null for a count or a switch is a mistake, not
        // its default (leave the key out for that). A limit's null still reads as its default, "no limit", so a
        // written config.json (which writes an infinite limit as null) reads back as the same configuration.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        SimpleModule nullChecks = new SimpleModule("servesim-null-checks");
        nullChecks.addDeserializer(Integer.class, new NullRejecting<>(NumberDeserializers.find(Integer.class, Integer.class.getName())));
        nullChecks.addDeserializer(Long.class, new NullRejecting<>(NumberDeserializers.find(Long.class, Long.class.getName())));
        nullChecks.addDeserializer(Boolean.class, new NullRejecting<>(NumberDeserializers.find(Boolean.class, Boolean.class.getName())));
        mapper.registerModule(nullChecks);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(SerializationFeature.INDENT_OUTPUT);
        // Infinity ("no limit") and NaN ("no sample") are written bare and read back, so a written
        // configuration can be read again exactly.
        mapper.getFactory().disable(com.fasterxml.jackson.core.JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS);
        mapper.getFactory().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
        return mapper;
    }

    /**
     * A count or a switch: an explicit {@code null} is a mistake (the key is left out for its default), an absent key
     * takes the record's default.
     */
    private static final class NullRejecting<T> extends JsonDeserializer<T> {
        private final JsonDeserializer<T> base;

        @SuppressWarnings("unchecked")
        NullRejecting(JsonDeserializer<?> base) {
            this.base = (JsonDeserializer<T>) base;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return base.deserialize(p, ctxt);
        }

        @Override
        public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            throw InvalidNullException.from(ctxt, null, ctxt.constructType(handledType()));
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }

        @Override
        public Class<?> handledType() {
            return base.handledType();
        }
    }

    /** The JSON mapper (snake_case, strict), also for writing results such as {@code config.json}. */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * {@code value} as a configuration tree without its unset (null) fields, so that the tree reads back as the
     * value did (a configuration file leaves an unset key out; an explicit null is a mistake).
     */
    public static JsonNode treeWithoutNulls(Object value) {
        return withoutNulls(JSON.valueToTree(value));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            java.util.List<String> nulls = new java.util.ArrayList<>();
            object.fields().forEachRemaining(field -> {
                if (field.getValue().isNull()) {
                    nulls.add(field.getKey());
                } else {
                    withoutNulls(field.getValue());
                }
            });
            object.remove(nulls);
        } else if (node != null && node.isArray()) {
            node.forEach(ConfigMapper::withoutNulls);
        }
        return node;
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
     * Converts a tree read from the file {@code source} to {@code type}; a mistake without a field path names the
     * file, and an empty tree is a mistake.
     */
    public static <T> T convert(JsonNode node, Class<T> type, String fieldPrefix, String source) {
        try {
            T value = JSON.treeToValue(node, type);
            if (value == null) {
                throw new ConfigException(source + " is empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw translate(e, source, fieldPrefix);
        }
    }

    /**
     * Turns a Jackson failure into a one-line {@link ConfigException} naming the field by its dotted path, with the
     * line of the file where Jackson knows it, in the project's words (no Java type names).
     *
     * @param source the file or section the text came from, named when the failure has no field path
     * @param prefix the dotted path of the parsed text within a larger configuration ("" at the root)
     */
    public static ConfigException translate(JsonProcessingException e, String source, String prefix) {
        String path = e instanceof JsonMappingException m ? pathOf(m) : "";
        String full = prefix.isEmpty() ? path : path.isEmpty() ? prefix : path.startsWith("[") ? prefix + path : prefix + "." + path;
        String where = full.isEmpty() ? source + line(e, prefix, "") : full + line(e, prefix, source);
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
            Matcher known = KNOWN_TYPE_IDS.matcher(String.valueOf(e.getOriginalMessage()));
            return new ConfigException(where + ": unknown type '" + ConfigException.printable(String.valueOf(t.getTypeId()))
                    + "'" + (known.find() ? "; known types: [" + known.group(1) + "]" : ""), e);
        }
        if (e instanceof InvalidNullException) {
            return new ConfigException(where + ": needs a value, got null (leave the key out for its default)", e);
        }
        if (cause instanceof InputCoercionException || e instanceof InputCoercionException) {
            return new ConfigException(where + ": " + outOfRange(e), e);
        }
        if (e instanceof MismatchedInputException m) {
            return new ConfigException(where + ": expected " + expected(m.getTargetType()) + gotten(e.getOriginalMessage()), e);
        }
        return new ConfigException(where + ": " + (e instanceof JsonMappingException ? "invalid value"
                : "not valid YAML or JSON (" + ownWords(firstLine(e.getOriginalMessage())) + ")"), e);
    }

    private static final Pattern KNOWN_TYPE_IDS = Pattern.compile("known type ids = \\[([^\\]]*)\\]");
    private static final Pattern GIVEN_VALUE = Pattern.compile("from (?:String|Floating-point) value \\((\"[^\"]{0,60}\"|[-0-9.eE+]{1,40})\\)"
            + "|(?:String|Floating-point) value \\((\"[^\"]{0,60}\"|[-0-9.eE+]{1,40})\\)");
    private static final Pattern OUT_OF_RANGE = Pattern.compile("\\(([-0-9]+)\\) out of range of (int|long)");

    /** What a field of {@code type} holds, in words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return "a text value";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a mapping of keys";
    }

    private static String gotten(String message) {
        Matcher given = GIVEN_VALUE.matcher(String.valueOf(message));
        if (!given.find()) {
            return "";
        }
        return ", got " + (given.group(1) != null ? given.group(1) : given.group(2));
    }

    private static String outOfRange(JsonProcessingException e) {
        Matcher m = OUT_OF_RANGE.matcher(String.valueOf(e.getOriginalMessage()));
        if (!m.find()) {
            return "the number is out of range";
        }
        return m.group(1) + " is out of range (at most " + (m.group(2).equals("int") ? Integer.MAX_VALUE : Long.MAX_VALUE) + ")";
    }

    /** A parser's message without Jackson's wording of Java types and with no raw input characters. */
    private static String ownWords(String message) {
        String words = message.replaceAll("\\(code \\d+\\)", "").replaceAll("`[^`]*`", "value")
                .replaceAll("\\s*\\(for Object starting at[^)]*\\)", "");
        return ConfigException.printable(words);
    }

    /** " line N" (after the file name) or " (FILE line N)" (after a field) where Jackson knows the line, else "". */
    private static String line(JsonProcessingException e, String prefix, String file) {
        JsonLocation location = e.getLocation();
        if (!prefix.isEmpty() || location == null || location.getLineNr() < 1) {
            return "";
        }
        return file.isEmpty() ? " line " + location.getLineNr() : " (" + file + " line " + location.getLineNr() + ")";
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
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
