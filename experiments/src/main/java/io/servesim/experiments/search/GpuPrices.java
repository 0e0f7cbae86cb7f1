package io.servesim.experiments.search;

import io.servesim.core.config.ConfigException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one GPU costs per hour, by GPU type: a CSV {@code gpu,usd_per_gpu_hour,source,as_of}. The bundled table
 * ({@value #BUNDLED}) holds public list prices with their source and date; a user file ({@code --prices}) adds GPUs
 * and replaces the bundled rows of the GPUs it names. Names match the catalog's, ignoring case.
 */
public final class GpuPrices {
    static final String BUNDLED = "io/servesim/experiments/search/gpu_prices.csv";
    private static final String[] HEADER = {"gpu", "usd_per_gpu_hour", "source", "as_of"};

    /** One row of the table. */
    public record Price(String gpu, double usdPerGpuHour, String source, String asOf) {
    }

    private final Map<String, Price> byName;

    private GpuPrices(Map<String, Price> byName) {
        this.byName = byName;
    }

    /** The bundled table, overridden row by row by {@code userFile} when given. */
    public static GpuPrices load(Optional<Path> userFile) {
        Map<String, Price> prices = new LinkedHashMap<>();
        try (InputStream in = GpuPrices.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled price table " + BUNDLED + " is missing from the jar");
            }
            read(new InputStreamReader(in, StandardCharsets.UTF_8), "bundled " + BUNDLED, prices);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled price table " + BUNDLED, e);
        }
        if (userFile.isPresent()) {
            Path file = userFile.get();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("prices: " + file + " does not exist or is not a file");
            }
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                read(reader, file.toString(), prices);
            } catch (IOException e) {
                throw new ConfigException("prices: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return new GpuPrices(prices);
    }

    private static void read(Reader reader, String source, Map<String, Price> into) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser csv = CSVParser.parse(reader, format)) {
            for (String column : HEADER) {
                if (!csv.getHeaderMap().containsKey(column)) {
                    throw new ConfigException("prices: " + source + " has no column '" + column + "'; the header is "
                            + String.join(",", HEADER));
                }
            }
            for (CSVRecord row : csv) {
                String gpu = row.get("gpu").trim();
                double usd;
                try {
                    usd = Double.parseDouble(row.get("usd_per_gpu_hour").trim());
                } catch (NumberFormatException e) {
                    usd = Double.NaN;
                }
                if (gpu.isEmpty() || !(usd > 0) || !Double.isFinite(usd)) {
                    throw new ConfigException("prices: " + source + " line " + row.getRecordNumber()
                            + ": usd_per_gpu_hour must be a positive number for a named gpu, got '"
                            + row.get("usd_per_gpu_hour") + "' for '" + gpu + "'");
                }
                into.put(gpu.toLowerCase(Locale.ROOT), new Price(gpu, usd, row.get("source"), row.get("as_of")));
            }
        }
    }

    /** The price of {@code gpu} (any case); a {@link ConfigException} naming the fix when the table has none. */
    public Price of(String gpu) {
        Price price = byName.get(gpu.toLowerCase(Locale.ROOT));
        if (price == null) {
            throw new ConfigException("prices: no price for GPU " + gpu + " (the table has "
                    + byName.values().stream().map(Price::gpu).toList() + "); add a row to a file given with --prices");
        }
        return price;
    }
}
