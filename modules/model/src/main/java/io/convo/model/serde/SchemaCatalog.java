package io.convo.model.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.ParseContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every Avro schema version that ships: the current {@code .avsc} files and the retired versions under
 * {@code history/}, read from the classpath folder {@value #CLASSPATH_FOLDER} of every classpath root.
 *
 * <p>Current files are parsed together, so they may reference each other in any order. Each history
 * file is parsed on its own, seeded with the current named types it does not define itself: a retired
 * {@code ConversationCommand} may define its old {@code CreateConversation} inline and name the
 * unchanged commands. A history file that redefines a type must also redefine every type that holds
 * it, because seeded current types keep their current members.
 */
public final class SchemaCatalog {

    /** The classpath folder the model jar packages {@code schemas/} into. */
    public static final String CLASSPATH_FOLDER = "convo/schemas/";

    /** The sub-folder of retired versions. */
    public static final String HISTORY_FOLDER = "history/";

    /** A file the model jar always ships in the folder. */
    private static final String ANCHOR = "ConversationCommand.avsc";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaCatalog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NAMED_TYPES = Set.of("record", "error", "enum", "fixed");

    private static volatile SchemaCatalog classpath;

    private final Map<String, Schema> currentTypes;
    private final Map<String, List<Schema>> versionsByName;
    private final Map<Long, String> namesByFingerprint;

    private SchemaCatalog(Map<String, Schema> currentTypes, Map<String, List<Schema>> versionsByName) {
        this.currentTypes = Collections.unmodifiableMap(currentTypes);
        this.versionsByName = Collections.unmodifiableMap(versionsByName);
        Map<Long, String> names = new LinkedHashMap<>();
        versionsByName.forEach((name, versions) ->
            versions.forEach(v -> names.put(SchemaNormalization.parsingFingerprint64(v), name)));
        this.namesByFingerprint = Collections.unmodifiableMap(names);
    }

    /**
     * The catalog of the thread's context class loader (or this class's loader), read on first use and then
     * kept. A schema that cannot be parsed fails every call with the same message, not only the first.
     */
    public static SchemaCatalog classpath() {
        SchemaCatalog catalog = classpath;
        if (catalog == null) {
            synchronized (SchemaCatalog.class) {
                catalog = classpath;
                if (catalog == null) {
                    catalog = fromClassLoader(defaultClassLoader());
                    classpath = catalog;
                }
            }
        }
        return catalog;
    }

    /** Reads every {@code .avsc} under {@value #CLASSPATH_FOLDER} visible to {@code loader}. */
    public static SchemaCatalog fromClassLoader(ClassLoader loader) {
        Map<String, String> current = new TreeMap<>();
        Map<String, String> history = new TreeMap<>();
        for (URL root : roots(loader)) {
            readFolder(root).forEach((relative, text) -> {
                if (relative.startsWith(HISTORY_FOLDER)) {
                    // Several roots may each ship retired versions under the same file name; keep all.
                    history.putIfAbsent(root + "!" + relative, text);
                } else if (current.putIfAbsent(relative, text) != null) {
                    LOG.debug("Schema {} found again in {}; keeping the first one on the classpath", relative, root);
                }
            });
        }
        return of(current, history);
    }

    /**
     * A catalog from file texts, keyed by a name used in error messages.
     *
     * @param current the current schema files
     * @param history the retired versions
     */
    public static SchemaCatalog of(Map<String, String> current, Map<String, String> history) {
        Map<String, Schema> currentTypes = parseCurrent(current);
        Map<String, List<Schema>> versions = new TreeMap<>();
        currentTypes.forEach((name, schema) -> versions.computeIfAbsent(name, n -> new ArrayList<>()).add(schema));
        history.forEach((file, text) -> {
            Schema old = parseHistory(file, text, currentTypes);
            Schema reader = currentTypes.get(old.getFullName());
            if (reader == null) {
                throw new IllegalStateException("Retired schema " + file + " defines " + old.getFullName()
                    + ", which no current schema defines");
            }
            SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, old);
            if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                // Fail when the catalog is built, not at the first old record on a topic.
                throw new IllegalStateException("Retired schema " + file + " cannot be read as the current "
                    + old.getFullName() + ": " + compatibility.getDescription());
            }
            List<Schema> list = versions.get(old.getFullName());
            long fingerprint = SchemaNormalization.parsingFingerprint64(old);
            if (list.stream().noneMatch(s -> SchemaNormalization.parsingFingerprint64(s) == fingerprint)) {
                list.add(old);
            }
        });
        versions.replaceAll((name, list) -> List.copyOf(list));
        SchemaCatalog catalog = new SchemaCatalog(currentTypes, versions);
        LOG.debug("Schema catalog: {} named types, {} retired versions", currentTypes.size(), history.size());
        return catalog;
    }

    /** The current definition of every named type, by full name. */
    public Map<String, Schema> currentTypes() {
        return currentTypes;
    }

    /** Every shipped version of the named type, current first; empty when the name is unknown. */
    public List<Schema> versions(String fullName) {
        return versionsByName.getOrDefault(fullName, List.of());
    }

    /** The full name of the type whose shipped version has this parsing fingerprint, or null. */
    public String nameOf(long fingerprint) {
        return namesByFingerprint.get(fingerprint);
    }

    private static Map<String, Schema> parseCurrent(Map<String, String> files) {
        SchemaParser parser = new SchemaParser();
        for (Map.Entry<String, String> file : files.entrySet()) {
            try {
                parser.parse(file.getValue());
            } catch (SchemaParseException e) {
                throw new IllegalStateException("Cannot parse schema " + file.getKey() + ": " + e.getMessage(), e);
            }
        }
        Map<String, Schema> types = new TreeMap<>();
        try {
            for (Schema schema : parser.getParsedNamedSchemas()) {
                types.put(schema.getFullName(), schema);
            }
        } catch (SchemaParseException e) {
            throw new IllegalStateException("Cannot resolve the schemas " + files.keySet() + ": " + e.getMessage(), e);
        }
        return types;
    }

    private static Schema parseHistory(String file, String text, Map<String, Schema> currentTypes) {
        Set<String> defined = new HashSet<>();
        try {
            collectDefinedNames(JSON.readTree(text), null, defined);
        } catch (IOException e) {
            throw new IllegalStateException("Retired schema " + file + " is not JSON: " + e.getMessage(), e);
        }
        ParseContext context = new ParseContext();
        currentTypes.forEach((name, schema) -> {
            if (!defined.contains(name)) {
                context.put(schema);
            }
        });
        try {
            return new Schema.Parser(context).parse(text);
        } catch (SchemaParseException e) {
            throw new IllegalStateException("Cannot parse retired schema " + file + ": " + e.getMessage(), e);
        }
    }

    /** Full names of the named types a schema document defines (not those it only references). */
    private static void collectDefinedNames(JsonNode node, String namespace, Set<String> out) {
        if (node.isArray()) {
            node.forEach(child -> collectDefinedNames(child, namespace, out));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String inner = namespace;
        JsonNode type = node.get("type");
        JsonNode name = node.get("name");
        if (type != null && type.isTextual() && NAMED_TYPES.contains(type.asText()) && name != null && name.isTextual()) {
            String simple = name.asText();
            JsonNode ns = node.get("namespace");
            String full;
            if (simple.contains(".")) {
                full = simple;
            } else if (ns != null && ns.isTextual()) {
                full = ns.asText().isEmpty() ? simple : ns.asText() + "." + simple;
            } else {
                full = namespace == null || namespace.isEmpty() ? simple : namespace + "." + simple;
            }
            out.add(full);
            int dot = full.lastIndexOf('.');
            inner = dot < 0 ? "" : full.substring(0, dot);
        }
        if (type != null && !type.isTextual()) {
            collectDefinedNames(type, inner, out);
        }
        for (String child : List.of("fields", "items", "values")) {
            JsonNode value = node.get(child);
            if (value != null) {
                collectDefinedNames(value, inner, out);
            }
        }
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SchemaCatalog.class.getClassLoader();
    }

    /**
     * Every classpath root holding the folder. A jar built without directory entries does not answer for the
     * folder, so the folder holding the model's own {@value #ANCHOR} is added too.
     */
    private static List<URL> roots(ClassLoader loader) {
        Set<String> seen = new HashSet<>();
        List<URL> roots = new ArrayList<>();
        try {
            Enumeration<URL> found = loader.getResources(CLASSPATH_FOLDER);
            while (found.hasMoreElements()) {
                URL url = found.nextElement();
                if (seen.add(url.toString())) {
                    roots.add(url);
                }
            }
            URL own = loader.getResource(CLASSPATH_FOLDER + ANCHOR);
            if (own != null) {
                String text = own.toString();
                URL folder = new URL(text.substring(0, text.length() - ANCHOR.length()));
                if (seen.add(folder.toString())) {
                    roots.add(folder);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + CLASSPATH_FOLDER + " on the classpath", e);
        }
        return roots;
    }

    /** The {@code .avsc} files below a folder URL, by path relative to it. */
    private static Map<String, String> readFolder(URL folder) {
        Map<String, String> files = new TreeMap<>();
        try {
            if ("file".equals(folder.getProtocol())) {
                Path base = Paths.get(folder.toURI());
                try (Stream<Path> walk = Files.walk(base)) {
                    for (Path path : (Iterable<Path>) walk.filter(p -> p.toString().endsWith(".avsc"))::iterator) {
                        String relative = base.relativize(path).toString().replace('\\', '/');
                        files.put(relative, Files.readString(path, StandardCharsets.UTF_8));
                    }
                }
            } else if ("jar".equals(folder.getProtocol())) {
                // Opened by file, not through JarURLConnection: that one fails when the jar has no entry for the
                // folder itself, which jars built without directory entries lack.
                String spec = folder.toString();
                int separator = spec.indexOf("!/");
                URL jarUrl = new URL(spec.substring("jar:".length(), separator));
                String prefix = spec.substring(separator + 2);
                try (JarFile jar = new JarFile(Paths.get(jarUrl.toURI()).toFile())) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (!entry.isDirectory() && name.startsWith(prefix) && name.endsWith(".avsc")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                files.put(name.substring(prefix.length()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            } else {
                LOG.warn("Cannot list schemas in {}: unsupported URL protocol; retired versions there are ignored", folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schemas from " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot read schemas from " + folder, e);
        }
        return files;
    }
}
